"""Fixtures for the `ember` command's tests: the built binary and a small Fashion-MNIST in IDX files."""
import gzip
import os
import pathlib
import struct

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FASHION = pathlib.Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(scope="session")
def ember_bin():
    path = pathlib.Path(os.environ.get("EMBER_BIN", ROOT / "build" / "bin" / "ember"))
    assert path.is_file(), f"{path} not built (make build)"
    return str(path)


def read_idx(name):
    with gzip.open(FASHION / name) as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8)


def write_idx(path, array, gz):
    header = struct.pack(">I", 2051 if array.ndim == 3 else 2049) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + np.ascontiguousarray(array, np.uint8).tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as f:
            f.write(payload)
    else:
        pathlib.Path(path).write_bytes(payload)


@pytest.fixture(scope="session")
def small_fashion(tmp_path_factory):
    """The first 2,048 training and 512 test images of Debian's Fashion-MNIST (training files gzipped,
    test files plain, as both occur), so a training run takes seconds."""
    d = tmp_path_factory.mktemp("fashion")
    write_idx(d / "train-images-idx3-ubyte", read_idx("train-images-idx3-ubyte.gz")[:2048], gz=True)
    write_idx(d / "train-labels-idx1-ubyte", read_idx("train-labels-idx1-ubyte.gz")[:2048], gz=True)
    write_idx(d / "t10k-images-idx3-ubyte", read_idx("t10k-images-idx3-ubyte.gz")[:512], gz=False)
    write_idx(d / "t10k-labels-idx1-ubyte", read_idx("t10k-labels-idx1-ubyte.gz")[:512], gz=False)
    return d
