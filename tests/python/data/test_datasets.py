"""ember.vision datasets and transforms on small IDX, CIFAR-10 and PNG files the tests write: images and
targets equal the files' contents, transforms equal the same computation in torch, and a DataLoader over
them gives the same batches on its C++ batch path as default_collate over the examples."""
import gzip
import struct

import numpy as np
import pytest
import torch
import torch.utils.data as tdata
from PIL import Image

import ember
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms as T

RNG = np.random.default_rng(0)


def idx_bytes(arr):
    return struct.pack(">I", 0x0800 | arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape) + arr.tobytes()


@pytest.fixture
def mnist_root(tmp_path):
    images = RNG.integers(0, 256, size=(11, 28, 28), dtype=np.uint8)
    labels = RNG.integers(0, 10, size=(11,), dtype=np.uint8)
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (raw / "train-labels-idx1-ubyte").write_bytes(idx_bytes(labels))
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(idx_bytes(images[:3]))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(labels[:3]))
    return tmp_path, images, labels


def torch_to_tensor(img):
    t = torch.from_numpy(np.ascontiguousarray(img))
    t = t.unsqueeze(0) if t.dim() == 2 else t.permute(2, 0, 1)
    return t.float().div(255)


def test_mnist_items_and_to_tensor_normalize(mnist_root):
    root, images, labels = mnist_root
    ds = datasets.FashionMNIST(str(root), train=True)
    assert len(ds) == 11 and ds.classes[0] == "T-shirt/top" and ds.class_to_idx["Trouser"] == 1
    img, target = ds[4]
    assert type(target) is int and target == labels[4]
    assert img.dtype == ember.uint8 and np.array_equal(img.numpy(), images[4])
    np.testing.assert_array_equal(ds.data.numpy(), images)
    assert ds.targets.dtype == ember.int64 and ds.targets.tolist() == labels.tolist()
    assert len(datasets.MNIST(str(root), train=False)) == 3

    tf = T.Compose([T.ToTensor(), T.Normalize((0.2860,), (0.3530,))])
    img, _ = datasets.FashionMNIST(str(root), transform=tf)[-1]
    ref = (torch_to_tensor(images[-1]) - 0.2860) / 0.3530
    assert img.dtype == ember.float32 and tuple(img.shape) == (1, 28, 28)
    np.testing.assert_allclose(img.numpy(), ref.numpy(), rtol=1e-6, atol=1e-6)

    with pytest.raises(RuntimeError, match="FashionMNIST: cannot find t10k-images-idx3-ubyte"):
        datasets.FashionMNIST(str(root / "FashionMNIST"), train=False)
    with pytest.raises(IndexError):
        ds[11]


def test_python_transforms_and_target_transform(mnist_root):
    root, images, labels = mnist_root
    ds = datasets.FashionMNIST(str(root), transform=lambda x: x.float() * 2, target_transform=lambda y: y + 100)
    img, target = ds[2]
    assert target == labels[2] + 100
    np.testing.assert_array_equal(img.numpy(), images[2].astype(np.float32) * 2)
    assert not hasattr(ds, "_get_batch")  # Python transforms: the DataLoader collates in Python


def test_loader_batch_path_equals_default_collate(mnist_root):
    root, images, labels = mnist_root
    tf = T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.25,))])
    ds = datasets.FashionMNIST(str(root), transform=tf)
    assert hasattr(ds, "_get_batch")
    fast = list(DataLoader(ds, batch_size=4))
    for k, (x, y) in enumerate(fast):
        items = [(torch.from_numpy(ds[i][0].numpy()), ds[i][1]) for i in range(4 * k, min(4 * k + 4, 11))]
        tx, ty = tdata.default_collate(items)
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        assert y.dtype == ember.int64 and y.tolist() == ty.tolist()
    assert [len(y) for _, y in fast] == [4, 4, 3]


def test_random_transforms_do_not_depend_on_num_workers(mnist_root):
    root, images, _ = mnist_root
    tf = T.Compose([T.ToTensor(), T.RandomCrop(28, padding=4), T.RandomHorizontalFlip()])
    ds = datasets.FashionMNIST(str(root), transform=tf)
    runs = []
    for nw in (0, 1, 3):
        g = ember.Generator().manual_seed(5)
        runs.append([x.numpy() for x, _ in DataLoader(ds, batch_size=2, num_workers=nw, generator=g)])
    for other in runs[1:]:
        assert all(np.array_equal(a, b) for a, b in zip(runs[0], other))
    # each image is a 28x28 window of the zero-padded image, flipped or not
    for i, x in enumerate(np.concatenate(runs[0])):
        padded = np.pad(images[i].astype(np.float32) / 255, 4)
        windows = [padded[t:t + 28, l:l + 28] for t in range(9) for l in range(9)]
        assert any(np.array_equal(x[0], w) or np.array_equal(x[0], w[:, ::-1]) for w in windows)


def test_transform_objects():
    img = RNG.integers(0, 256, size=(5, 6, 3), dtype=np.uint8)
    out = T.ToTensor()(img)  # a NumPy array is taken as the HWC image it is
    np.testing.assert_allclose(out.numpy(), torch_to_tensor(img).numpy(), rtol=1e-6)
    x = ember.rand(3, 4, 4)
    np.testing.assert_allclose(T.Normalize([0.1, 0.2, 0.3], [1, 2, 3])(x).numpy(),
                               ((torch.from_numpy(x.numpy()) - torch.tensor([0.1, 0.2, 0.3]).view(3, 1, 1))
                                / torch.tensor([1.0, 2, 3]).view(3, 1, 1)).numpy(), rtol=1e-6)
    assert tuple(T.RandomCrop((2, 3))(x).shape) == (3, 2, 3)
    assert np.array_equal(T.RandomHorizontalFlip(p=1.0)(x).numpy(), x.numpy()[..., ::-1])
    assert np.array_equal(T.RandomHorizontalFlip(p=0.0)(x).numpy(), x.numpy())
    assert "ToTensor()" in repr(T.Compose([T.ToTensor()]))


def test_cifar10(tmp_path):
    d = tmp_path / "cifar-10-batches-bin"
    d.mkdir()
    recs = []
    for b in range(1, 6):
        labels = RNG.integers(0, 10, size=2, dtype=np.uint8)
        pix = RNG.integers(0, 256, size=(2, 3, 32, 32), dtype=np.uint8)
        (d / f"data_batch_{b}.bin").write_bytes(b"".join(bytes([labels[i]]) + pix[i].tobytes() for i in range(2)))
        recs += [(pix[i], int(labels[i])) for i in range(2)]
    (d / "test_batch.bin").write_bytes(bytes([3]) + recs[0][0].tobytes())
    ds = datasets.CIFAR10(str(tmp_path), train=True)
    assert len(ds) == 10 and ds.classes[0] == "airplane"
    for i in (0, 7):
        img, y = ds[i]
        assert y == recs[i][1] and np.array_equal(img.numpy(), recs[i][0].transpose(1, 2, 0))  # HWC
    assert ds.targets == [r[1] for r in recs]
    x, y = next(iter(DataLoader(datasets.CIFAR10(str(tmp_path), train=False, transform=T.ToTensor()))))
    np.testing.assert_allclose(x[0].numpy(), recs[0][0].astype(np.float32) / 255, rtol=1e-6)
    (d / "test_batch.bin").write_bytes(bytes(100))
    with pytest.raises(RuntimeError, match="test_batch.bin"):
        datasets.CIFAR10(str(tmp_path), train=False)


def test_image_folder(tmp_path):
    imgs = {}
    for cls, n in (("dog", 2), ("cat", 1)):
        (tmp_path / cls).mkdir()
        for k in range(n):
            a = RNG.integers(0, 256, size=(4, 5, 3), dtype=np.uint8)
            Image.fromarray(a).save(tmp_path / cls / f"{k}.png")
            imgs[(cls, k)] = a
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    ds = datasets.ImageFolder(str(tmp_path))
    assert ds.classes == ["cat", "dog"] and ds.class_to_idx == {"cat": 0, "dog": 1}
    assert ds.targets == [0, 1, 1] and [s[0].endswith(".png") for s in ds.samples] == [True] * 3
    img, y = ds[2]
    assert y == 1 and np.array_equal(img.numpy(), imgs[("dog", 1)])
    x, y = next(iter(DataLoader(datasets.ImageFolder(str(tmp_path), transform=T.ToTensor()), batch_size=3)))
    assert tuple(x.shape) == (3, 3, 4, 5) and y.tolist() == [0, 1, 1]
    np.testing.assert_allclose(x[0].numpy(), torch_to_tensor(imgs[("cat", 0)]).numpy(), rtol=1e-6)
