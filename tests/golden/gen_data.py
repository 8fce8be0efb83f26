"""Golden values for tests/cpp/test_data.cpp and test_datasets.cpp.

From PyTorch: random_split's lengths for fractions, BatchSampler's batches, default_collate's dtypes and
values, ToTensor/Normalize as torchvision computes them (torchvision's own code, written with torch, since
Debian has no torchvision). From numpy and the standard library: the real Fashion-MNIST files as numpy
reads them, and small gzip'd IDX and PNG files (encoded here by Python's gzip and zlib, independently of
ember) with the arrays they hold.
"""
import gzip
import pathlib
import struct
import zlib

import numpy as np
import torch
from torch.utils.data import BatchSampler, SequentialSampler, TensorDataset, DataLoader, random_split
from torch.utils.data import default_collate

from golden import save

FMNIST = pathlib.Path("/usr/share/datasets/fashion-mnist")
out = {}


def u8(a):
    return torch.from_numpy(np.array(a, dtype=np.uint8))


def i64(a):
    return torch.tensor(list(a), dtype=torch.int64)


# ---- Fashion-MNIST as numpy reads it ----
def idx(path):
    raw = gzip.open(path, "rb").read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


for split, prefix in (("train", "train"), ("test", "t10k")):
    images = idx(FMNIST / f"{prefix}-images-idx3-ubyte.gz")
    labels = idx(FMNIST / f"{prefix}-labels-idx1-ubyte.gz")
    n = len(labels)
    picks = [0, 1, 2, 100, 1234, n - 1]
    out[f"fmnist_{split}_picks"] = i64(picks)
    out[f"fmnist_{split}_labels_at_picks"] = i64(int(labels[i]) for i in picks)
    out[f"fmnist_{split}_pixel_sums_at_picks"] = i64(int(images[i].sum(dtype=np.int64)) for i in picks)
    out[f"fmnist_{split}_label_counts"] = i64(np.bincount(labels, minlength=10))
    out[f"fmnist_{split}_total_pixel_sum"] = torch.tensor([int(images.sum(dtype=np.int64))], dtype=torch.int64)
    out[f"fmnist_{split}_image0"] = u8(images[0])
    out[f"fmnist_{split}_image_last"] = u8(images[n - 1])
    out[f"fmnist_{split}_labels_head"] = i64(int(x) for x in labels[:32])

# ---- random_split lengths for fractions ----
cases = [(10, [0.3, 0.7]), (11, [0.5, 0.5]), (7, [0.1, 0.2, 0.7]), (100, [1 / 3, 1 / 3, 1 / 3]),
         (5, [0.25, 0.25, 0.5]), (3, [0.2, 0.2, 0.2, 0.2, 0.2]), (60000, [0.9, 0.1])]
for k, (n, fr) in enumerate(cases):
    parts = random_split(range(n), fr, generator=torch.Generator().manual_seed(0))
    out[f"split{k}_n"] = torch.tensor([n], dtype=torch.int64)
    out[f"split{k}_fractions"] = torch.tensor(fr, dtype=torch.float64)
    out[f"split{k}_lengths"] = i64(len(p) for p in parts)


# ---- BatchSampler over a given order ----
def batches(sampler, bs, drop_last):
    b = list(BatchSampler(sampler, bs, drop_last))
    return i64(x for bb in b for x in bb), i64(len(bb) for bb in b), len(BatchSampler(sampler, bs, drop_last))


order = [5, 3, 9, 1, 0, 2, 7]
for name, sampler in (("seq10", SequentialSampler(range(10))), ("order", order)):
    for bs in (1, 3, 4):
        for drop in (False, True):
            flat, sizes, length = batches(sampler, bs, drop)
            key = f"batch_{name}_{bs}_{int(drop)}"
            out[key + "_flat"] = flat
            out[key + "_sizes"] = sizes
            out[key + "_len"] = torch.tensor([length], dtype=torch.int64)

# ---- DataLoader over a TensorDataset, no shuffle ----
x = torch.arange(30, dtype=torch.float32).reshape(10, 3)
y = torch.arange(10, dtype=torch.int64) * 7
for drop in (False, True):
    loader = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=drop)
    bx = [b[0] for b in loader]
    by = [b[1] for b in loader]
    out[f"loader_x_{int(drop)}"] = torch.cat(bx)
    out[f"loader_y_{int(drop)}"] = torch.cat(by)
    out[f"loader_sizes_{int(drop)}"] = i64(len(b) for b in by)
    out[f"loader_len_{int(drop)}"] = torch.tensor([len(loader)], dtype=torch.int64)

# ---- default_collate ----
out["collate_ints"] = default_collate([1, 2, 3])
out["collate_floats"] = default_collate([1.5, 2.25, -3.0])
out["collate_bools"] = default_collate([True, False, True])
t = [torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), torch.tensor([5.0, 6.0])]
pairs = default_collate([(t[i], i * 10) for i in range(3)])
out["collate_pair_first"], out["collate_pair_second"] = pairs[0], pairs[1]
d = default_collate([{"a": t[i], "b": 0.5 * i} for i in range(3)])
out["collate_map_a"], out["collate_map_b"] = d["a"], d["b"]
lists = default_collate([[1, 2], [3, 4], [5, 6]])  # a list of sequences is transposed
out["collate_lists_0"], out["collate_lists_1"] = lists[0], lists[1]
nested = default_collate([(i, (float(i) / 2, [t[i], t[i] * 2])) for i in range(3)])
out["collate_nested_0"] = nested[0]
out["collate_nested_1_0"] = nested[1][0]
out["collate_nested_1_1_0"] = nested[1][1][0]
out["collate_nested_1_1_1"] = nested[1][1][1]

# ---- ToTensor and Normalize, as torchvision computes them ----
rng = np.random.default_rng(0)
hwc = rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
out["totensor_in"] = u8(hwc)
out["totensor_out"] = torch.from_numpy(hwc.transpose((2, 0, 1))).contiguous().to(torch.float32).div(255)
hw = rng.integers(0, 256, size=(3, 4), dtype=np.uint8)
out["totensor_gray_in"] = u8(hw)
out["totensor_gray_out"] = torch.from_numpy(hw[:, :, None].transpose((2, 0, 1))).contiguous().to(torch.float32).div(255)
img = out["totensor_out"].clone()
mean, std = torch.tensor([0.5, 0.25, 0.125]), torch.tensor([0.2, 0.3, 0.4])
out["normalize_mean"], out["normalize_std"] = mean.double(), std.double()
out["normalize_out"] = img.clone().sub_(mean[:, None, None]).div_(std[:, None, None])

# ---- a small IDX file, gzip'd by Python ----
arr = rng.integers(0, 256, size=(5, 4, 3), dtype=np.uint8)
idx_bytes = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">III", 5, 4, 3) + arr.tobytes()
out["idx_array"] = u8(arr)
out["idx_gz_bytes"] = u8(np.frombuffer(gzip.compress(idx_bytes, mtime=0), dtype=np.uint8))
i16 = rng.integers(-30000, 30000, size=(6,), dtype=np.int16)
out["idx_i16_array"] = torch.from_numpy(i16.copy())
out["idx_i16_bytes"] = u8(np.frombuffer(struct.pack(">BBBB", 0, 0, 0x0B, 1) + struct.pack(">I", 6) +
                                        i16.astype(">i2").tobytes(), dtype=np.uint8))


# ---- PNG files, encoded by hand with zlib ----
def png(pixels, color_type, palette=None):
    h, w = pixels.shape[:2]

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
    if palette is not None:
        body += chunk(b"PLTE", palette.tobytes())
    return b"\x89PNG\r\n\x1a\n" + body + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


images = {
    "gray": (rng.integers(0, 256, size=(3, 5), dtype=np.uint8), 0),
    "rgb": (rng.integers(0, 256, size=(4, 3, 3), dtype=np.uint8), 2),
    "rgba": (rng.integers(0, 256, size=(2, 2, 4), dtype=np.uint8), 6),
    "graya": (rng.integers(0, 256, size=(2, 3, 2), dtype=np.uint8), 4),
}
for name, (pix, ct) in images.items():
    expected = pix if pix.ndim == 3 else pix[:, :, None]
    out[f"png_{name}_pixels"] = u8(expected)
    out[f"png_{name}_bytes"] = u8(np.frombuffer(png(pix, ct), dtype=np.uint8))
palette = rng.integers(0, 256, size=(4, 3), dtype=np.uint8)
index = rng.integers(0, 4, size=(3, 3), dtype=np.uint8)
out["png_palette_pixels"] = u8(palette[index])
out["png_palette_bytes"] = u8(np.frombuffer(png(index, 3, palette), dtype=np.uint8))

save("data", out)
