"""Sorting and searching from Python, spot-checked against PyTorch: (values, indices) named tuples, unique's
result tuples, searchsorted/bucketize, bincount/histc, and the exception classes of misuse."""
import pytest
import torch

import ember
from ops_helpers import E, assert_same, assert_same_all


def pair(*shape, dtype=torch.float64):
    # Distinct values, so any valid sort order is PyTorch's.
    t = torch.randperm(torch.Size(shape).numel()).reshape(shape).to(torch.float64).sub(5).div(2).to(dtype)
    return E(t), t


def assert_values_indices(e, t, name):
    assert type(e).__name__ == name and type(e).__module__ == "ember.return_types"
    assert isinstance(e, tuple) and len(e) == 2
    assert_same(e.values, t.values)
    assert_same(e.indices, t.indices)
    assert_same_all(tuple(e), tuple(t))
    values, indices = e
    assert values is e[0] and indices is e[1]


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.int64, torch.int16, torch.uint8])
def test_sort_and_argsort(dtype):
    e, t = pair(3, 5, dtype=dtype)
    assert_values_indices(e.sort(), t.sort(), "sort")
    assert_values_indices(ember.sort(e, 0, True), torch.sort(t, 0, True), "sort")
    assert_values_indices(ember.sort(e, dim=1, descending=True, stable=True),
                          torch.sort(t, dim=1, descending=True, stable=True), "sort")
    assert_same(e.argsort(), t.argsort())
    assert_same(ember.argsort(e, dim=0, descending=True), torch.argsort(t, dim=0, descending=True))
    assert_same(ember.msort(e), torch.msort(t))
    assert_same(e.msort(), t.msort())


def test_stable_sort_keeps_ties_in_order_and_nan_last():
    t = torch.tensor([2.0, 1.0, float("nan"), 1.0, 2.0, -1.0])
    assert_values_indices(ember.sort(E(t), stable=True), torch.sort(t, stable=True), "sort")
    assert_values_indices(E(t).sort(descending=True, stable=True), t.sort(descending=True, stable=True), "sort")


def test_sort_repr_names_ember_return_types():
    r = repr(ember.sort(E(torch.tensor([2, 1]))))
    assert r.startswith("ember.return_types.sort(\nvalues=") and "\nindices=" in r


@pytest.mark.parametrize("largest,sorted_", [(True, True), (False, True)])
def test_topk(largest, sorted_):
    e, t = pair(4, 6)
    assert_values_indices(e.topk(3), t.topk(3), "topk")
    assert_values_indices(ember.topk(e, 2, dim=0, largest=largest, sorted=sorted_),
                          torch.topk(t, 2, dim=0, largest=largest, sorted=sorted_), "topk")
    assert_values_indices(ember.topk(e, 0), torch.topk(t, 0), "topk")


def test_kthvalue():
    e, t = pair(4, 6)
    assert_values_indices(e.kthvalue(2), t.kthvalue(2), "kthvalue")
    assert_values_indices(ember.kthvalue(e, 4, dim=0, keepdim=True), torch.kthvalue(t, 4, dim=0, keepdim=True),
                          "kthvalue")


def test_unique_result_tuples():
    t = torch.tensor([[3, 1, 3], [2, 1, 3]])
    e = E(t)
    assert_same(ember.unique(e), torch.unique(t))
    assert_same(e.unique(), t.unique())
    assert_same_all(ember.unique(e, return_inverse=True), torch.unique(t, return_inverse=True))
    assert_same_all(ember.unique(e, return_counts=True), torch.unique(t, return_counts=True))
    assert_same_all(e.unique(return_inverse=True, return_counts=True), t.unique(return_inverse=True, return_counts=True))
    assert_same_all(ember.unique(e, sorted=True, return_inverse=True, return_counts=True, dim=1),
                    torch.unique(t, sorted=True, return_inverse=True, return_counts=True, dim=1))
    assert_same(ember.unique(e, dim=0), torch.unique(t, dim=0))


def test_unique_consecutive():
    t = torch.tensor([1, 1, 2, 2, 3, 1, 1, 2])
    e = E(t)
    assert_same(ember.unique_consecutive(e), torch.unique_consecutive(t))
    assert_same_all(e.unique_consecutive(return_inverse=True, return_counts=True),
                    t.unique_consecutive(return_inverse=True, return_counts=True))
    m = torch.tensor([[1, 1, 2], [1, 1, 2]])
    assert_same_all(ember.unique_consecutive(E(m), return_counts=True, dim=1),
                    torch.unique_consecutive(m, return_counts=True, dim=1))


def test_searchsorted_and_bucketize():
    st = torch.tensor([[1.0, 3.0, 5.0, 7.0], [2.0, 4.0, 6.0, 8.0]])
    vt = torch.tensor([[3.0, 6.0, 9.0], [1.0, 4.0, 8.0]])
    s, v = E(st), E(vt)
    assert_same(ember.searchsorted(s, v), torch.searchsorted(st, vt))
    assert_same(ember.searchsorted(s, v, right=True), torch.searchsorted(st, vt, right=True))
    assert_same(ember.searchsorted(s, v, side="right", out_int32=True), torch.searchsorted(st, vt, side="right", out_int32=True))
    assert_same(ember.searchsorted(s.select(0, 0), 5.0), torch.searchsorted(st[0], 5.0))
    unsorted = torch.tensor([5.0, 1.0, 3.0])
    sorter = torch.argsort(unsorted)
    assert_same(ember.searchsorted(E(unsorted), E(torch.tensor([2.0, 4.0])), sorter=E(sorter)),
                torch.searchsorted(unsorted, torch.tensor([2.0, 4.0]), sorter=sorter))
    b = torch.tensor([1.0, 3.0, 5.0])
    assert_same(ember.bucketize(v, E(b)), torch.bucketize(vt, b))
    assert_same(ember.bucketize(v, E(b), out_int32=True, right=True), torch.bucketize(vt, b, out_int32=True, right=True))
    assert_same(ember.bucketize(3, E(b)), torch.bucketize(3, b))


def test_bincount_and_histc():
    t = torch.tensor([1, 1, 3, 0, 5])
    w = torch.tensor([0.5, 1.0, 2.0, -1.0, 0.25], dtype=torch.float64)
    assert_same(ember.bincount(E(t)), torch.bincount(t))
    assert_same(E(t).bincount(E(w)), t.bincount(w))
    assert_same(ember.bincount(E(t), weights=E(w.float()), minlength=8), torch.bincount(t, weights=w.float(), minlength=8))
    x = torch.tensor([1.0, 2.0, 1.0, 2.5, -1.0, 4.0])
    assert_same(ember.histc(E(x)), torch.histc(x))
    assert_same(ember.histc(E(x), bins=4, min=0, max=3), torch.histc(x, bins=4, min=0, max=3))
    assert_same(E(x).histc(5, 0, 2), x.histc(5, 0, 2))


ERRORS = [
    (IndexError, lambda M, x: M.sort(x, 2)),
    (IndexError, lambda M, x: x.argsort(dim=-3)),
    (RuntimeError, lambda M, x: M.topk(x, 7)),
    (RuntimeError, lambda M, x: x.kthvalue(0)),
    (RuntimeError, lambda M, x: M.bincount(x)),
    (RuntimeError, lambda M, x: M.bincount(x.flatten().argsort(), minlength=-1)),
    (RuntimeError, lambda M, x: M.histc(x, bins=-1)),
    (RuntimeError, lambda M, x: M.histc(x, bins=3, min=2, max=1)),
    (RuntimeError, lambda M, x: M.searchsorted(x, x.select(0, 0))),
    (RuntimeError, lambda M, x: M.bucketize(x, x)),
    (IndexError, lambda M, x: M.unique(x, dim=3)),
    (TypeError, lambda M, x: M.sort(x, 1.5)),
    (TypeError, lambda M, x: x.topk()),
]


@pytest.mark.parametrize("cls,fn", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_raise_torch_exception_class(cls, fn):
    e, t = pair(3, 4)
    with pytest.raises(cls):
        fn(torch, t)
    with pytest.raises(cls):
        fn(ember, e)
