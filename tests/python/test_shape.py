"""Shape ops from Python, spot-checked against PyTorch: views (values, strides, shared memory), copies,
splits returning tuples, joins, and the exception classes of misuse."""
import pytest
import torch

import ember
from ops_helpers import E, assert_copy, assert_same, assert_same_all, assert_view


def pair(*shape, dtype=torch.float64):
    t = torch.randn(shape, dtype=torch.float64).mul(10).to(dtype) if dtype != torch.bool else torch.rand(shape) > 0.5
    return E(t), t


VIEWS = [
    ("view varargs", lambda x: x.view(4, 6)),
    ("view tuple", lambda x: x.view((2, -1))),
    ("view list", lambda x: x.view([24])),
    ("view_as", lambda x, M: x.view_as(M.zeros(6, 4))),
    ("reshape view", lambda x: x.reshape(6, 4)),
    ("reshape fn", lambda x, M: M.reshape(x, (3, 8))),
    ("reshape_as", lambda x, M: x.reshape_as(M.zeros(24))),
    ("as_strided", lambda x: x.as_strided((3, 2), (1, 4), 2)),
    ("as_strided fn", lambda x, M: M.as_strided(x, (2, 2), (3, 1))),
    ("expand", lambda x: x.select(0, 0).unsqueeze(0).expand(5, -1, -1)),
    ("expand tuple", lambda x: x.select(1, 0).select(1, 0).expand((3, 2))),
    ("expand_as", lambda x, M: x.select(0, 1).expand_as(M.zeros(2, 3, 4))),
    ("transpose", lambda x: x.transpose(0, 2)),
    ("transpose fn", lambda x, M: M.transpose(x, -1, 1)),
    ("swapaxes", lambda x, M: M.swapaxes(x, 0, 1)),
    ("swapdims", lambda x: x.swapdims(1, 2)),
    ("t", lambda x: x.select(0, 1).t()),
    ("t fn", lambda x, M: M.t(x.select(2, 1))),
    ("T", lambda x: x.T),
    ("mT", lambda x: x.mT),
    ("H", lambda x: x.select(0, 0).H),
    ("mH", lambda x: x.mH),
    ("adjoint", lambda x: x.adjoint()),
    ("permute varargs", lambda x: x.permute(2, 0, 1)),
    ("permute tuple", lambda x: x.permute((1, 2, 0))),
    ("permute fn", lambda x, M: M.permute(x, (0, 2, 1))),
    ("squeeze", lambda x: x.unsqueeze(1).unsqueeze(-1).squeeze()),
    ("squeeze dim", lambda x: x.unsqueeze(1).squeeze(1)),
    ("squeeze fn", lambda x, M: M.squeeze(x.unsqueeze(0), 0)),
    ("unsqueeze", lambda x: x.unsqueeze(-2)),
    ("flatten", lambda x: x.flatten()),
    ("flatten dims", lambda x, M: M.flatten(x, 1)),
    ("flatten kw", lambda x: x.flatten(start_dim=0, end_dim=1)),
    ("unflatten", lambda x: x.unflatten(2, (2, 2))),
    ("unflatten fn", lambda x, M: M.unflatten(x, -1, (-1, 1))),
    ("narrow", lambda x: x.narrow(1, 1, 2)),
    ("narrow fn", lambda x, M: M.narrow(x, -1, -3, 2)),
    ("select", lambda x: x.select(1, -1)),
    ("select fn", lambda x, M: M.select(x, 2, 3)),
    ("unfold", lambda x: x.unfold(2, 2, 1)),
    ("diagonal", lambda x: x.diagonal()),
    ("diagonal kw", lambda x, M: M.diagonal(x, offset=1, dim1=1, dim2=2)),
    ("movedim", lambda x: x.movedim(0, -1)),
    ("movedim tuple", lambda x, M: M.movedim(x, (0, 1), (2, 0))),
    ("moveaxis", lambda x, M: M.moveaxis(x, 2, 0)),
    ("atleast_3d", lambda x, M: M.atleast_3d(x.select(0, 0))),
    ("ravel of contiguous", lambda x: x.ravel()),
]


def call(fn, x, M):
    return fn(x, M) if fn.__code__.co_argcount == 2 else fn(x)


@pytest.mark.parametrize("name,fn", VIEWS, ids=[v[0] for v in VIEWS])
def test_views_share_memory_like_torch(name, fn):
    eb, tb = pair(2, 3, 4)
    assert_view(call(fn, eb, ember), eb, call(fn, tb, torch), tb)


def test_view_of_non_contiguous_and_reshape_copy():
    eb, tb = pair(2, 3, 4)
    assert_view(eb.transpose(0, 1).view(3, 2, 2, 2), eb, tb.transpose(0, 1).view(3, 2, 2, 2), tb)
    with pytest.raises(RuntimeError):
        eb.transpose(0, 1).view(-1)
    with pytest.raises(RuntimeError):
        tb.transpose(0, 1).view(-1)
    r = eb.transpose(0, 1).reshape(-1)
    assert_same(r, tb.transpose(0, 1).reshape(-1))
    assert r.is_contiguous()
    assert_copy(r, eb)
    r = ember.ravel(eb.transpose(0, 2))
    assert_same(r, torch.ravel(tb.transpose(0, 2)))
    assert_copy(r, eb)


def test_T_of_other_ranks_and_matrix_only_errors():
    e, t = pair(2, 3, 4)
    assert_same(e.T, t.T)
    assert e.T.shape == (4, 3, 2)
    s, ts = pair()
    v, tv = pair(3)
    assert_same(s.T, ts.T)
    assert_same(v.T, tv.T)
    assert_same(s.mT, ts.mT)
    assert_same(s.H, ts.H)
    for bad in (lambda x: x.mT, lambda x: x.mH, lambda x: x.adjoint(), lambda x: x.H):
        with pytest.raises(RuntimeError):
            bad(tv)
        with pytest.raises(RuntimeError):
            bad(v)
    with pytest.raises(RuntimeError):
        e.H
    with pytest.raises(RuntimeError):
        e.t()


def test_squeeze_dims_tuple():
    # torch 1.13 has no squeeze(tuple): compare with squeezing each listed dim in turn.
    e, t = pair(1, 3, 1, 2)
    assert_same(e.squeeze((0, 2)), t.squeeze(2).squeeze(0))
    assert_same(ember.squeeze(e, (-1, 0)), t.squeeze(0))


SPLITS = [
    ("split int", lambda x: x.split(2, 1)),
    ("split sizes", lambda x: x.split([1, 3], 2)),
    ("split fn", lambda x, M: M.split(x, 1)),
    ("split fn sizes kw", lambda x, M: M.split(x, split_size_or_sections=[3, 1], dim=-1)),
    ("split_with_sizes", lambda x: x.split_with_sizes([2, 1], 1)),
    ("chunk", lambda x: x.chunk(3, 2)),
    ("chunk fn", lambda x, M: M.chunk(x, 2, dim=1)),
    ("unbind", lambda x: x.unbind(1)),
    ("unbind fn", lambda x, M: M.unbind(x)),
    ("tensor_split sections", lambda x: x.tensor_split(3, 2)),
    ("tensor_split indices", lambda x, M: M.tensor_split(x, [1, 2], dim=1)),
    ("hsplit", lambda x, M: M.hsplit(x, 3)),
    ("hsplit indices", lambda x: x.hsplit([1])),
    ("vsplit", lambda x: x.vsplit(2)),
    ("dsplit", lambda x, M: M.dsplit(x, [1, 3])),
]


@pytest.mark.parametrize("name,fn", SPLITS, ids=[s[0] for s in SPLITS])
def test_splits_are_tuples_of_views(name, fn):
    eb, tb = pair(2, 3, 4)
    es, ts = call(fn, eb, ember), call(fn, tb, torch)
    assert_same_all(es, ts)
    for e, t in zip(es, ts):
        assert e.stride() == t.stride()
        assert e.data_ptr() - eb.data_ptr() == t.data_ptr() - tb.data_ptr()


def test_tensor_split_with_tensor_argument():
    eb, tb = pair(2, 6)
    assert_same_all(eb.tensor_split(E(torch.tensor([1, 4])), 1), tb.tensor_split(torch.tensor([1, 4]), 1))
    assert_same_all(ember.tensor_split(eb, E(torch.tensor(4)), dim=1), torch.tensor_split(tb, torch.tensor(4), dim=1))


def test_meshgrid_and_atleast_return_tuples():
    (ea, ta), (eb, tb) = pair(3), pair(2)
    assert_same_all(ember.meshgrid(ea, eb, indexing="ij"), torch.meshgrid(ta, tb, indexing="ij"))
    assert_same_all(ember.meshgrid([ea, eb], indexing="xy"), torch.meshgrid([ta, tb], indexing="xy"))
    assert_same_all(ember.meshgrid((ea, eb)), torch.meshgrid((ta, tb), indexing="ij"))
    s, ts = pair()
    assert_same(ember.atleast_1d(s), torch.atleast_1d(ts))
    assert_same_all(ember.atleast_2d(s, ea), torch.atleast_2d(ts, ta))
    assert_same_all(ember.atleast_3d([s, ea]), torch.atleast_3d([ts, ta]))
    assert_same(ember.cartesian_prod(ea, eb), torch.cartesian_prod(ta, tb))


JOINS = ["cat", "concat", "stack", "hstack", "vstack", "dstack", "column_stack", "row_stack"]


@pytest.mark.parametrize("name", JOINS)
def test_joins(name):
    (ea, ta), (eb, tb) = pair(2, 3), pair(2, 3)
    ef, tf = getattr(ember, name), getattr(torch, name)
    assert_same(ef([ea, eb]), tf([ta, tb]))
    assert_same(ef((ea, eb, ea)), tf((ta, tb, ta)))
    if name in ("cat", "concat", "stack"):
        assert_same(ef([ea, eb], dim=1), tf([ta, tb], dim=1))
        assert_same(ef([ea, eb], -1), tf([ta, tb], -1))


def test_join_promotes_and_mixes_ranks():
    (ef, tf), (ei, ti) = pair(2, 3), pair(2, 3, dtype=torch.int32)
    assert_same(ember.cat([ef, ei]), torch.cat([tf, ti]))
    (ev, tv), (em, tm) = pair(2), pair(2, 2)
    assert_same(ember.column_stack([ev, em]), torch.column_stack([tv, tm]))
    assert_same(ember.hstack([ev, ev]), torch.hstack([tv, tv]))
    assert_same(ember.concatenate([ev, ev]), torch.cat([tv, tv]))


def test_join_errors():
    e, t = pair(2, 3)
    # A tensor is not a list of tensors (PyTorch raises TypeError rather than joining its rows).
    with pytest.raises(TypeError):
        torch.cat(t)
    with pytest.raises(TypeError):
        ember.cat(e)
    with pytest.raises(TypeError):
        ember.stack(e)
    with pytest.raises(RuntimeError):
        torch.stack([t, t.t()])
    with pytest.raises(RuntimeError):
        ember.stack([e, e.t()])
    with pytest.raises(RuntimeError):
        ember.cat([e, e.t()])
    with pytest.raises(RuntimeError):
        ember.column_stack([])
    with pytest.raises(TypeError):
        ember.cat([e, 1])


COPIES = [
    ("flip", lambda x: x.flip(0, 2)),
    ("flip tuple", lambda x: x.flip((1,))),
    ("flip fn", lambda x, M: M.flip(x, [0, -1])),
    ("fliplr", lambda x, M: M.fliplr(x)),
    ("flipud", lambda x: x.flipud()),
    ("roll", lambda x: x.roll(1)),
    ("roll dims", lambda x, M: M.roll(x, (1, -2), (0, 2))),
    ("roll dims None", lambda x: x.roll(shifts=3, dims=None)),
    ("roll kw", lambda x, M: M.roll(x, shifts=1, dims=1)),
    ("rot90", lambda x: x.rot90()),
    ("rot90 kw", lambda x, M: M.rot90(x, k=3, dims=[1, 2])),
    ("repeat varargs", lambda x: x.repeat(2, 1, 1, 2)),
    ("repeat tuple", lambda x: x.repeat((1, 2, 1))),
    ("tile", lambda x, M: M.tile(x, (2,))),
    ("tile varargs", lambda x: x.tile(2, 1)),
    ("repeat_interleave int", lambda x: x.repeat_interleave(2)),
    ("repeat_interleave dim", lambda x, M: M.repeat_interleave(x, 2, dim=1)),
    ("diff", lambda x: x.diff()),
    ("diff kw", lambda x, M: M.diff(x, n=2, dim=1)),
    ("contiguous of view", lambda x: x.transpose(0, 1).contiguous()),
]


@pytest.mark.parametrize("name,fn", COPIES, ids=[c[0] for c in COPIES])
def test_copies(name, fn):
    eb, tb = pair(2, 3, 4)
    e = call(fn, eb, ember)
    assert_same(e, call(fn, tb, torch))
    assert_copy(e, eb)


@pytest.mark.parametrize("dtype", [torch.int64, torch.bool, torch.float16, torch.uint8])
def test_copies_keep_dtype(dtype):
    eb, tb = pair(3, 4, dtype=dtype)
    assert_same(eb.flip(1), tb.flip(1))
    assert_same(eb.roll(2, 0), tb.roll(2, 0))
    assert_same(eb.repeat(2, 1), tb.repeat(2, 1))
    assert_same(ember.stack([eb, eb], 1), torch.stack([tb, tb], 1))
    assert_same(eb.T, tb.T)


def test_repeat_interleave_tensor_repeats_and_diff_prepend():
    eb, tb = pair(3, 2)
    er, tr = E(torch.tensor([1, 0, 2])), torch.tensor([1, 0, 2])
    assert_same(eb.repeat_interleave(er, dim=0), tb.repeat_interleave(tr, dim=0))
    assert_same(ember.repeat_interleave(eb, er, 0, output_size=3), torch.repeat_interleave(tb, tr, 0, output_size=3))
    assert_same(ember.repeat_interleave(er), torch.repeat_interleave(tr))
    ep, tp = pair(3, 1)
    assert_same(eb.diff(dim=1, prepend=ep, append=ep), tb.diff(dim=1, prepend=tp, append=tp))


ERRORS = [
    (RuntimeError, lambda x: x.view(5, 5)),
    (RuntimeError, lambda x: x.reshape(-1, -1)),
    (RuntimeError, lambda x: x.expand(3, 3)),
    (RuntimeError, lambda x: x.permute(0, 0, 1)),
    (RuntimeError, lambda x: x.permute(0, 1)),
    (IndexError, lambda x: x.transpose(0, 3)),
    (IndexError, lambda x: x.select(0, 2)),
    (IndexError, lambda x: x.unsqueeze(4)),
    (IndexError, lambda x: x.squeeze(5)),
    (RuntimeError, lambda x: x.narrow(1, 2, 5)),
    (RuntimeError, lambda x: x.split(0)),
    (RuntimeError, lambda x: x.chunk(0)),
    (RuntimeError, lambda x: x.diagonal(0, 1, 1)),
    (RuntimeError, lambda x: x.unflatten(1, (2, 2))),
    (RuntimeError, lambda x: x.flatten(2, 1)),
    (RuntimeError, lambda x: x.movedim((0, 0), (1, 2))),
    (RuntimeError, lambda x: x.repeat(2)),
    (RuntimeError, lambda x: x.rot90(1, [0, 0])),
    (RuntimeError, lambda x: x.hsplit(5)),
    (RuntimeError, lambda x: x.unfold(2, 5, 1)),
    (RuntimeError, lambda x: x.roll((1, 2), 0)),
    (RuntimeError, lambda x: x.as_strided((2, 2), (1,))),
    (TypeError, lambda x: x.view("a")),
    (TypeError, lambda x: x.permute(0.5, 1, 2)),
    (TypeError, lambda x: x.transpose(0)),
]


@pytest.mark.parametrize("cls,fn", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_raise_torch_exception_class(cls, fn):
    e, t = pair(2, 3, 4)
    with pytest.raises(cls):
        fn(t)
    with pytest.raises(cls):
        fn(e)


def test_keyword_names_match_torch():
    e, t = pair(2, 3, 4)
    assert_same(e.transpose(dim0=0, dim1=1), t.transpose(dim0=0, dim1=1))
    assert_same(ember.narrow(e, dim=0, start=1, length=1), torch.narrow(t, dim=0, start=1, length=1))
    assert_same(e.select(dim=1, index=0), t.select(dim=1, index=0))
    assert_same(e.unsqueeze(dim=0), t.unsqueeze(dim=0))
    assert_same(ember.movedim(e, source=0, destination=1), torch.movedim(t, source=0, destination=1))
    assert_same(e.unfold(dimension=1, size=2, step=1), t.unfold(dimension=1, size=2, step=1))
    assert_same(ember.stack(tensors=[e, e], dim=0), torch.stack(tensors=[t, t], dim=0))
