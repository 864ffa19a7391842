"""Partnerships (seed 004): members, guidelines, agreements with contributions, meetings, action items."""
