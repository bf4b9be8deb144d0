"""sayso evaluate."""
