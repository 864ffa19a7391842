"""Models of measures."""
