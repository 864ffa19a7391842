"""Volunteering: opportunities, shifts and sign-ups with a wait list that can never overbook."""
