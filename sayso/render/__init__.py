"""sayso render."""
