"""Op-by-op conformance of ember against PyTorch, driven by OpInfo-like tables (opinfo.py, ops_*.py)."""
