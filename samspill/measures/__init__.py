"""Measures (tiltak) and their indicators (Results-Based Accountability) with measurements and progress."""
