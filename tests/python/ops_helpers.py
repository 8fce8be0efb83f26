"""Helpers for the per-family spot checks (test_shape, test_linalg, test_index_ops, test_sort): build ember
tensors from torch ones and compare results with PyTorch's (values, dtype, shape, strides, memory sharing)."""
import torch

import ember

NAMES = ["float32", "float64", "float16", "bfloat16", "int8", "uint8", "int16", "int32", "int64", "bool"]
TO_EMBER = {getattr(torch, n): getattr(ember, n) for n in NAMES}
TO_TORCH = {getattr(ember, n): getattr(torch, n) for n in NAMES}

# (rtol, atol) per dtype, as the conformance suite.
TOLERANCE = {torch.float64: (1e-10, 1e-12), torch.float32: (1e-5, 1e-5), torch.float16: (1e-3, 1e-5),
             torch.bfloat16: (1.6e-2, 1e-5)}


def E(t):
    """An ember copy of torch tensor t (contiguous, same dtype and values)."""
    return ember.tensor(t.tolist(), dtype=TO_EMBER[t.dtype]).reshape(tuple(t.shape))


def to_torch(e):
    return torch.tensor(e.tolist(), dtype=TO_TORCH[e.dtype]).reshape(tuple(e.shape))


def assert_same(e, t):
    """ember result e equals torch result t: type, dtype, shape and values (exact for integers and bools,
    equal NaNs)."""
    assert isinstance(e, ember.Tensor), type(e)
    assert TO_TORCH[e.dtype] == t.dtype, (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (e.shape, t.shape)
    got = to_torch(e)
    if t.dtype in TOLERANCE:
        rtol, atol = TOLERANCE[t.dtype]
        torch.testing.assert_close(got, t, rtol=rtol, atol=atol, equal_nan=True)
    else:
        assert torch.equal(got, t), (got, t)


def assert_same_all(es, ts):
    """Sequences of results (split pieces, (values, indices) pairs): same length, each the same."""
    assert isinstance(es, tuple), type(es)
    assert len(es) == len(ts)
    for e, t in zip(es, ts):
        assert_same(e, t)


def zero_(e):
    """Zeroes e in place through one of the family's own in-place ops (index_fill_ along dim 0)."""
    n = e.shape[0] if e.dim() else 1
    e.index_fill_(0, E(torch.arange(n)), 0)


def overlaps(t):
    """Whether two elements of t share a memory location (expanded or overlapping windows)."""
    offsets = {0}
    for size, stride in zip(t.shape, t.stride()):
        offsets = {o + i * stride for o in offsets for i in range(size)}
    return len(offsets) < t.numel()


def assert_view(e_out, e_base, t_out, t_base):
    """e_out is a view of e_base exactly as t_out is of t_base: same strides and the same offset into the
    base's memory; and a write through the view (unless its elements overlap) shows in the base."""
    assert_same(e_out, t_out.detach())
    assert e_out.stride() == t_out.stride()
    esize = e_base.element_size()
    assert (e_out.data_ptr() - e_base.data_ptr()) // esize == (t_out.data_ptr() - t_base.data_ptr()) // esize
    if e_out.numel() and not overlaps(t_out):
        zero_(e_out)
        t_out.detach().zero_()
        assert_same(e_base, t_base.detach())


def assert_copy(e_out, e_base):
    """e_out owns its memory: writing it leaves e_base unchanged."""
    before = e_base.tolist()
    if e_out.numel():
        zero_(e_out)
    assert e_base.tolist() == before
