"""linalg ops."""
OPS = []
