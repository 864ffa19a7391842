"""Models of volunteering."""
