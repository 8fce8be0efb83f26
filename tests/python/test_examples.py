"""The Python examples (examples/python/) run to completion and check their own results (exit 0)."""
import os
import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


@pytest.mark.parametrize("name, args", [
    ("grad_accumulation", []),
    ("feature_maps", []),
    ("custom_function", []),
    ("fmnist_cnn", ["--steps", "40"]),
])
def test_example_runs(name, args, tmp_path):
    if name == "fmnist_cnn":
        args = args + ["--out", str(tmp_path / "model.safetensors")]
    run = subprocess.run([sys.executable, str(EXAMPLES / f"{name}.py"), *args], capture_output=True, text=True,
                         env=dict(os.environ), timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    if name == "fmnist_cnn":
        from safetensors.torch import load_file
        weights = load_file(tmp_path / "model.safetensors")
        assert {k: tuple(v.shape) for k, v in weights.items()} == {
            "c1.weight": (32, 1, 3, 3), "c1.bias": (32,), "c2.weight": (64, 32, 3, 3), "c2.bias": (64,),
            "f1.weight": (128, 1600), "f1.bias": (128,), "f2.weight": (10, 128), "f2.bias": (10,)}
