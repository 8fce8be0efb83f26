"""Run by `make test-pip` with the venv's Python from outside the repository: the ember that `pip install .`
put into site-packages imports next to PyTorch, carries its stubs, and computes."""
import pathlib
import sys

import ember
import numpy as np
import torch

pkg = pathlib.Path(ember.__file__).resolve().parent
prefix = pathlib.Path(sys.prefix).resolve()
assert prefix in pkg.parents, f"ember imported from {pkg}, not from the venv {prefix}"
for name in ("py.typed", "_C.pyi", "__init__.py"):
    assert (pkg / name).is_file(), f"{name} missing from the installed package {pkg}"
assert list(pkg.glob("libember*.so*")), f"libember missing from {pkg}"

x = ember.zeros(2, 3, dtype=ember.float64)
assert x.shape == torch.zeros(2, 3).shape and x.dtype == ember.float64
assert x.tolist() == torch.zeros(2, 3, dtype=torch.float64).tolist()
print(f"pip install: ember {ember.__version__} from {pkg} (Python {sys.version.split()[0]}), "
      f"torch {torch.__version__}, numpy {np.__version__}")
