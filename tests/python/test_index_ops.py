"""Index ops from Python, spot-checked against PyTorch: gather/scatter with reduce, index_* and their
in-place forms (returning the same object), index_put with a tuple of index tensors, masked ops, put,
nonzero and the exception classes of misuse."""
import pytest
import torch

import ember
from ops_helpers import E, assert_same, assert_same_all


def pair(*shape, dtype=torch.float64):
    t = torch.randn(shape, dtype=torch.float64)
    t = t.to(dtype) if dtype.is_floating_point else t.mul(5).round().to(dtype)
    return E(t), t


def index(t):
    return E(t), t


def test_index_select_gather_take():
    e, t = pair(3, 4)
    ei, ti = index(torch.tensor([2, 0, 2]))
    assert_same(e.index_select(1, ei), t.index_select(1, ti))
    assert_same(ember.index_select(e, 0, ei), torch.index_select(t, 0, ti))
    eg, tg = index(torch.tensor([[0, 2], [1, 1], [3, 0]]))
    assert_same(e.gather(1, eg), t.gather(1, tg))
    assert_same(ember.gather(e, dim=1, index=eg, sparse_grad=False), torch.gather(t, dim=1, index=tg, sparse_grad=False))
    et, tt = index(torch.tensor([[0, 11], [-1, 5]]))
    assert_same(e.take(et), t.take(tt))
    assert_same(ember.take(e, et), torch.take(t, tt))
    assert_same(ember.take_along_dim(e, eg, dim=1), torch.take_along_dim(t, tg, dim=1))
    assert_same(e.take_along_dim(E(torch.tensor([3, 0])), None), t.take_along_dim(torch.tensor([3, 0]), None))


@pytest.mark.parametrize("reduce", [None, "add", "multiply"])
def test_scatter_src_and_value(reduce):
    e, t = pair(3, 4)
    es, ts = pair(2, 4)
    ei, ti = index(torch.tensor([[0, 2, 1, 0], [2, 0, 0, 1]]))
    kw = {} if reduce is None else {"reduce": reduce}
    assert_same(e.scatter(0, ei, es, **kw), t.scatter(0, ti, ts, **kw))
    assert_same(ember.scatter(e, 0, ei, 2.5, **kw), torch.scatter(t, 0, ti, 2.5, **kw))
    assert_same(ember.scatter(e, dim=0, index=ei, src=es, **kw), torch.scatter(t, dim=0, index=ti, src=ts, **kw))
    assert_same(e.scatter(dim=0, index=ei, value=-1, **kw), t.scatter(dim=0, index=ti, value=-1, **kw))
    assert e.scatter_(0, ei, es, **kw) is e
    t.scatter_(0, ti, ts, **kw)
    assert_same(e, t)
    assert e.scatter_(0, ei, 7, **kw) is e
    t.scatter_(0, ti, 7, **kw)
    assert_same(e, t)


def test_scatter_add_and_reduce():
    e, t = pair(3, 4)
    es, ts = pair(2, 4)
    ei, ti = index(torch.tensor([[0, 2, 1, 0], [2, 0, 0, 0]]))
    assert_same(e.scatter_add(0, ei, es), t.scatter_add(0, ti, ts))
    assert_same(ember.scatter_add(e, 0, ei, es), torch.scatter_add(t, 0, ti, ts))
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            assert_same(ember.scatter_reduce(e, 0, ei, es, reduce, include_self=include_self),
                        torch.scatter_reduce(t, 0, ti, ts, reduce, include_self=include_self))
            assert_same(e.scatter_reduce(0, ei, es, reduce=reduce, include_self=include_self),
                        t.scatter_reduce(0, ti, ts, reduce=reduce, include_self=include_self))
    assert e.scatter_reduce_(0, ei, es, "amax") is e
    t.scatter_reduce_(0, ti, ts, "amax")
    assert_same(e, t)
    assert e.scatter_add_(0, ei, es) is e
    t.scatter_add_(0, ti, ts)
    assert_same(e, t)


def test_index_add_copy_fill():
    e, t = pair(4, 3)
    es, ts = pair(2, 3)
    ei, ti = index(torch.tensor([3, 1]))
    assert_same(e.index_add(0, ei, es), t.index_add(0, ti, ts))
    assert_same(ember.index_add(e, 0, ei, es, alpha=2.5), torch.index_add(t, 0, ti, ts, alpha=2.5))
    assert_same(e.index_copy(0, ei, es), t.index_copy(0, ti, ts))
    assert_same(ember.index_copy(e, 0, ei, es), torch.index_copy(t, 0, ti, ts))
    assert_same(e.index_fill(1, E(torch.tensor([0, 2])), -3), t.index_fill(1, torch.tensor([0, 2]), -3))
    ev, tv = E(torch.tensor(4.5, dtype=torch.float64)), torch.tensor(4.5, dtype=torch.float64)
    assert_same(ember.index_fill(e, 0, ei, ev), torch.index_fill(t, 0, ti, tv))
    assert e.index_add_(0, ei, es, alpha=-1) is e
    t.index_add_(0, ti, ts, alpha=-1)
    assert_same(e, t)
    assert e.index_copy_(0, ei, es) is e
    t.index_copy_(0, ti, ts)
    assert_same(e, t)
    assert e.index_fill_(1, E(torch.tensor([1])), 0.5) is e
    t.index_fill_(1, torch.tensor([1]), 0.5)
    assert_same(e, t)
    assert e.index_fill_(0, ei, ev) is e
    t.index_fill_(0, ti, tv)
    assert_same(e, t)


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_with_tuple_of_indices(accumulate):
    e, t = pair(3, 4)
    (e0, t0), (e1, t1) = index(torch.tensor([0, 2, 0])), index(torch.tensor([1, 3, 1]))
    ev, tv = pair(3)
    assert_same(e.index_put((e0, e1), ev, accumulate), t.index_put((t0, t1), tv, accumulate))
    assert_same(ember.index_put(e, [e0], ev.unsqueeze(1), accumulate=accumulate),
                torch.index_put(t, [t0], tv.unsqueeze(1), accumulate=accumulate))
    em, tm = index(torch.tensor([[True, False, False, True]] * 3))
    assert_same(e.index_put((em,), E(torch.tensor(9.0, dtype=torch.float64)), accumulate),
                t.index_put((tm,), torch.tensor(9.0, dtype=torch.float64), accumulate))
    assert e.index_put_((e0, e1), ev, accumulate=accumulate) is e
    t.index_put_((t0, t1), tv, accumulate=accumulate)
    assert_same(e, t)


def test_masked_select_and_scatter():
    e, t = pair(3, 4)
    em, tm = index(torch.rand(3, 4) > 0.5)
    es, ts = pair(12)
    assert_same(e.masked_select(em), t.masked_select(tm))
    assert_same(ember.masked_select(e, em.select(0, 0)), torch.masked_select(t, tm.select(0, 0)))
    assert_same(ember.masked_scatter(e, em, es), torch.masked_scatter(t, tm, ts))
    assert e.masked_scatter_(em, es) is e
    t.masked_scatter_(tm, ts)
    assert_same(e, t)


@pytest.mark.parametrize("accumulate", [False, True])
def test_put(accumulate):
    e, t = pair(3, 4)
    ei, ti = index(torch.tensor([[1, -1], [5, 0]]))
    es, ts = pair(2, 2)
    assert_same(e.put(ei, es, accumulate), t.put(ti, ts, accumulate))
    assert_same(ember.put(e.t(), ei, es, accumulate=accumulate), torch.put(t.t(), ti, ts, accumulate=accumulate))
    view, tview = e.t(), t.t()
    assert view.put_(ei, es, accumulate=accumulate) is view
    tview.put_(ti, ts, accumulate=accumulate)
    assert_same(e, t)


def test_nonzero_argwhere_where():
    e, t = pair(3, 4, dtype=torch.int64)
    assert_same(e.nonzero(), t.nonzero())
    assert_same(ember.nonzero(e), torch.nonzero(t))
    assert_same_all(ember.nonzero(e, as_tuple=True), torch.nonzero(t, as_tuple=True))
    assert_same_all(e.nonzero(as_tuple=True), t.nonzero(as_tuple=True))
    assert_same(ember.argwhere(e), torch.argwhere(t))
    assert_same(e.argwhere(), t.argwhere())
    assert_same_all(ember.where(e.bool()), torch.where(t.bool()))
    s, ts = E(torch.tensor(3)), torch.tensor(3)
    assert_same_all(ember.nonzero(s, as_tuple=True), torch.nonzero(ts, as_tuple=True))


ERRORS = [
    (IndexError, lambda M, x, i: x.index_select(0, i)),
    (RuntimeError, lambda M, x, i: x.gather(0, i.to(M.int32))),
    (RuntimeError, lambda M, x, i: x.index_select(0, i.to(M.float32))),
    (RuntimeError, lambda M, x, i: x.gather(0, i.unsqueeze(0).unsqueeze(0))),
    (RuntimeError, lambda M, x, i: x.scatter(0, i.unsqueeze(1), 1.0, reduce="max")),
    (RuntimeError, lambda M, x, i: x.scatter_reduce(0, i.unsqueeze(1), x, "max")),
    (IndexError, lambda M, x, i: x.take(i)),
    (IndexError, lambda M, x, i: x.put(i, x.flatten().narrow(0, 0, 2))),
    (IndexError, lambda M, x, i: x.index_put((i,), x.select(0, 0).select(0, 0))),
    (RuntimeError, lambda M, x, i: x.masked_select(x)),
    (TypeError, lambda M, x, i: x.index_put(i, x)),
    (TypeError, lambda M, x, i: M.index_select(x, 0, [0, 1])),
]


@pytest.mark.parametrize("cls,fn", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_raise_torch_exception_class(cls, fn):
    e, t = pair(3, 4)
    ei, ti = index(torch.tensor([0, 17, 1]))
    with pytest.raises(cls):
        fn(torch, t, ti)
    with pytest.raises(cls):
        fn(ember, e, ei)
