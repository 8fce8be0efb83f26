"""sort ops."""
OPS = []
