"""ember.save_file / ember.load_file against the reference safetensors library (safetensors.torch):
files go both ways with equal tensors, ember writes the same bytes, and a damaged file is rejected with
a message saying what is wrong."""
import json
import struct

import numpy as np
import pytest
import torch
from safetensors.torch import load_file as ref_load_file, save_file as ref_save_file

import ember

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def state(lib):
    out = {}
    for k, name in enumerate(DTYPES):
        base = np.arange(24).reshape(2, 3, 4) % 7 - 3
        t = lib.tensor(base.tolist(), dtype=getattr(lib, "float32") if name == "bfloat16" else None)
        out[f"layer{k}.{name}"] = (t > 0) if name == "bool" else t.to(getattr(lib, name))
    out["scalar"] = lib.tensor(2.5)
    out["empty"] = lib.zeros(0, 3)
    out["a.weight"] = lib.arange(10.0).reshape(2, 5).t()  # non-contiguous: written in logical order
    return out


def same(e, t):
    assert str(e.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.to(ember.float64).tolist() == t.to(torch.float64).tolist()


def test_ember_file_reads_with_safetensors_and_bytes_are_identical(tmp_path):
    ember.save_file(state(ember), tmp_path / "e.safetensors", metadata={"epoch": "3"})
    loaded = ref_load_file(str(tmp_path / "e.safetensors"))
    theirs = state(torch)
    assert sorted(loaded) == sorted(theirs)
    for k in theirs:
        assert loaded[k].dtype == theirs[k].dtype and loaded[k].shape == theirs[k].shape
        assert torch.equal(loaded[k], theirs[k]), k
    ref_save_file({k: v.contiguous() for k, v in theirs.items()}, str(tmp_path / "t.safetensors"), metadata={"epoch": "3"})
    assert (tmp_path / "e.safetensors").read_bytes() == (tmp_path / "t.safetensors").read_bytes()


def test_reference_file_reads_with_ember(tmp_path):
    theirs = state(torch)
    ref_save_file({k: v.contiguous() for k, v in theirs.items()}, str(tmp_path / "t.safetensors"))
    loaded = ember.load_file(str(tmp_path / "t.safetensors"))
    assert isinstance(loaded, dict) and sorted(loaded) == sorted(theirs)
    for k in theirs:
        same(loaded[k], theirs[k])
    loaded["scalar"].add_(1)  # loaded tensors are writable copies-on-write, the file is unchanged
    assert ember.load_file(tmp_path / "t.safetensors")["scalar"].item() == 2.5
    with pytest.raises(RuntimeError, match="cuda"):
        ember.load_file(str(tmp_path / "t.safetensors"), device="cuda")


def write_raw(path, header, data):
    h = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(h)) + h + data)


@pytest.mark.parametrize("header,data,message", [
    ({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 4, "data"),
    ({"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8, "x"),
    ({"x": {"dtype": "F99", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 8, "F99"),
    ({"x": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, b"\0" * 8, "x"),
    ({"x": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 12, "trailing|data"),
])
def test_corrupt_files_are_rejected(tmp_path, header, data, message):
    p = tmp_path / "bad.safetensors"
    write_raw(p, header, data)
    with pytest.raises(Exception):
        ref_load_file(str(p))  # the reference rejects it too
    with pytest.raises(RuntimeError, match=message):
        ember.load_file(str(p))


def test_truncated_and_missing_files(tmp_path):
    p = tmp_path / "short.safetensors"
    p.write_bytes(b"\x10\0\0")
    with pytest.raises(RuntimeError, match="short.safetensors"):
        ember.load_file(str(p))
    p.write_bytes(struct.pack("<Q", 1 << 40) + b"{}")
    with pytest.raises(RuntimeError, match="header"):
        ember.load_file(str(p))
    with pytest.raises(RuntimeError, match="missing.safetensors"):
        ember.load_file(str(tmp_path / "missing.safetensors"))
    with pytest.raises(TypeError):
        ember.save_file({"x": np.zeros(2)}, str(tmp_path / "np.safetensors"))
