"""reduce ops."""
OPS = []
