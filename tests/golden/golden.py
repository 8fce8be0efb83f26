"""Writes golden files for the C++ unit tests from PyTorch (Debian's python3-torch).

A generator script (tests/golden/gen_<family>.py) builds inputs with PyTorch, runs the op there, and
saves every named tensor with `save(family, tensors)`. The C++ side (tests/cpp/golden.h) loads them by
name. Regenerate with `make golden` (or /usr/bin/python3 tests/golden/gen_<family>.py); never edit
the .json files by hand and never fill them from ember's own output.
"""
import json
import math
import pathlib

import torch

HERE = pathlib.Path(__file__).resolve().parent
DTYPES = {
    torch.float32: "float32", torch.float64: "float64", torch.float16: "float16", torch.bfloat16: "bfloat16",
    torch.int8: "int8", torch.uint8: "uint8", torch.int16: "int16", torch.int32: "int32", torch.int64: "int64",
    torch.bool: "bool",
}


def _value(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def encode(t):
    t = t.detach().contiguous()
    vals = t.to(torch.float64).flatten().tolist() if t.is_floating_point() else t.flatten().tolist()
    return {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data": [_value(v) for v in vals]}


def save(family, tensors):
    """tensors: dict name -> torch.Tensor (or a Python number, saved as a 0-dim float64 tensor)."""
    out = {}
    for name, t in tensors.items():
        if not isinstance(t, torch.Tensor):
            t = torch.tensor(t, dtype=torch.float64)
        out[name] = encode(t)
    path = HERE / f"{family}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"generator": f"gen_{family}.py", "torch": torch.__version__, "tensors": out},
                              separators=(",", ":")))
    tmp.replace(path)
    print(f"wrote {path.name}: {len(out)} tensors")
