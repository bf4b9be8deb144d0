"""sayso components."""
