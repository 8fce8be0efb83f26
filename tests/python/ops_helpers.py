"""Helpers for the spot checks of the shape, linalg, index and sort families: ember copies of torch tensors
of any shape (empty ones included), results that must be tuples, and views that must share memory as
PyTorch's do. Values are compared by _spot_check.check."""
import torch

import ember
from _spot_check import check, ember_dtype

assert_same = check


def E(t):
    """An ember copy of torch tensor t (contiguous, same dtype and values, any shape)."""
    return ember.tensor(t.tolist(), dtype=ember_dtype(t.dtype)).reshape(tuple(t.shape))


def assert_same_all(es, ts):
    """A tuple of results (split pieces, (values, indices)), each the same as PyTorch's."""
    assert isinstance(es, tuple), type(es)
    assert len(es) == len(ts)
    for e, t in zip(es, ts):
        check(e, t)


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
    check(e_out, t_out)
    assert e_out.stride() == t_out.stride()
    esize = e_base.element_size()
    assert (e_out.data_ptr() - e_base.data_ptr()) // esize == (t_out.data_ptr() - t_base.data_ptr()) // esize
    if e_out.numel() and not overlaps(t_out):
        zero_(e_out)
        t_out.detach().zero_()
        check(e_base, t_base)


def assert_copy(e_out, e_base):
    """e_out owns its memory: writing it leaves e_base unchanged."""
    before = e_base.tolist()
    if e_out.numel():
        zero_(e_out)
    assert e_base.tolist() == before
