"""index ops."""
OPS = []
