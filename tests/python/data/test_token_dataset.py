"""ember.utils.data.TokenDataset over files the test writes: blocks and next-token targets equal NumPy
slices of the file's ids, the DataLoader's C++ batch path equals default_collate of the examples, and a
bad argument or file is an error naming it."""
import numpy as np
import pytest

import ember
from ember.utils.data import DataLoader, TokenDataset, default_collate


@pytest.fixture
def tokens(tmp_path):
    ids = np.random.default_rng(0).integers(0, 50257, size=1001).astype("<u2")
    path = tmp_path / "train.bin"
    ids.tofile(path)
    return path, ids.astype(np.int64)


def test_blocks_are_the_files_ids_and_the_next_ids(tokens):
    path, ids = tokens
    ds = TokenDataset(str(path), block_size=64)
    assert len(ds) == (1001 - 1) // 64 and ds.block_size == 64 and ds.num_tokens == 1001
    for i in (0, 7, len(ds) - 1, -1):
        x, y = ds[i]
        start = (i % len(ds)) * 64
        assert x.dtype == ember.int64 and tuple(x.shape) == (64,)
        np.testing.assert_array_equal(x.numpy(), ids[start:start + 64])
        np.testing.assert_array_equal(y.numpy(), ids[start + 1:start + 65])


@pytest.mark.parametrize("token_bytes, dtype", [(1, "u1"), (4, "<u4")])
def test_other_token_widths(tmp_path, token_bytes, dtype):
    ids = np.arange(41, dtype=dtype) * 3
    ids.tofile(tmp_path / "t.bin")
    x, y = TokenDataset(str(tmp_path / "t.bin"), block_size=8, token_bytes=token_bytes)[2]
    np.testing.assert_array_equal(x.numpy(), ids[16:24].astype(np.int64))
    np.testing.assert_array_equal(y.numpy(), ids[17:25].astype(np.int64))


def test_dataloader_batches_equal_default_collate_of_the_examples(tokens):
    path, _ = tokens
    ds = TokenDataset(str(path), block_size=32)
    fast = list(DataLoader(ds, batch_size=5))
    slow = list(DataLoader(ds, batch_size=5, collate_fn=lambda b: default_collate(b)))
    assert len(fast) == len(slow) == -(-len(ds) // 5)
    for (fx, fy), (sx, sy) in zip(fast, slow):
        np.testing.assert_array_equal(fx.numpy(), sx.numpy())
        np.testing.assert_array_equal(fy.numpy(), sy.numpy())
        assert tuple(fx.shape)[1:] == (32,)


def test_errors_name_the_problem(tmp_path, tokens):
    path, _ = tokens
    with pytest.raises(ValueError, match="block_size must be positive, got 0"):
        TokenDataset(str(path), block_size=0)
    with pytest.raises(ValueError, match="token_bytes must be 1, 2 or 4, got 3"):
        TokenDataset(str(path), block_size=4, token_bytes=3)
    with pytest.raises(RuntimeError, match="missing.bin"):
        TokenDataset(str(tmp_path / "missing.bin"), block_size=4)
    with pytest.raises(IndexError):
        TokenDataset(str(path), block_size=64)[1000]
