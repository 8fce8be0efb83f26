"""factory ops."""
OPS = []
