"""PyTorch's side of the data-loading figures in docs/PERFORMANCE.md: Fashion-MNIST read with numpy from
Debian's gzip files, and one epoch of torch's DataLoader (batch 64, shuffled) over a Dataset that computes
what torchvision's ToTensor + Normalize would (Debian has no torchvision). ember's side is
tests/cpp/test_datasets.cpp (FashionMNIST.RealFilesMatchNumpy and FashionMNIST.LoaderSpeed), which
prints the same figures.

Run: /usr/bin/python3 bench/data_loader_torch.py
"""
import gzip
import struct
import time

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

ROOT = "/usr/share/datasets/fashion-mnist/"
torch.set_num_threads(1)  # ops on one 28x28 image gain nothing from more threads


def idx(path):
    raw = gzip.open(path, "rb").read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


t0, c0 = time.time(), time.process_time()
images = torch.from_numpy(idx(ROOT + "train-images-idx3-ubyte.gz").copy())
labels = torch.from_numpy(idx(ROOT + "train-labels-idx1-ubyte.gz").astype(np.int64))
print(f"numpy read of the train split: {time.time() - t0:.3f} s wall, {time.process_time() - c0:.3f} s CPU")


class FashionMNIST(Dataset):
    def __len__(self):
        return len(labels)

    def __getitem__(self, i):
        x = images[i].unsqueeze(0).to(torch.float32).div(255)
        return x.sub_(0.2860).div_(0.3530), labels[i]


for workers in (0, 2):
    loader = DataLoader(FashionMNIST(), batch_size=64, shuffle=True, num_workers=workers)
    t0, c0, n = time.time(), time.process_time(), 0
    for x, y in loader:
        n += 1
    print(f"torch DataLoader, num_workers {workers}: {(time.time() - t0) / n * 1e6:.1f} us per batch wall, "
          f"{(time.process_time() - c0) / n * 1e6:.1f} us CPU in the main process")
