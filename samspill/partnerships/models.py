"""Models of partnerships."""
