"""shape ops."""
OPS = []
