"""Spot checks of the reduction and scan bindings against PyTorch: `dim` as an int, a tuple, a list or
None, keepdim, dtype=, the (values, indices) results with named fields, var/std's unbiased and
correction forms, norm's p, and PyTorch's errors."""
import math

import pytest
import torch

import ember
import ember.return_types
from _spot_check import check, to_ember


def sample(dtype=torch.float32, shape=(3, 4, 5), seed=0):
    g = torch.Generator().manual_seed(seed)
    if dtype == torch.bool:
        return torch.rand(shape, generator=g) > 0.5
    if dtype.is_floating_point:
        return (torch.rand(shape, generator=g, dtype=torch.float64) * 4 - 2).to(dtype)
    return torch.randint(0 if dtype == torch.uint8 else -3, 4, shape, generator=g, dtype=dtype)


DIMS = [None, 0, -1, (0, 2), [1, 2], (), ...]


def call(obj, name, dim, **kw):
    """obj.name(dim=dim, **kw), or obj.name(**kw) when dim is `...` (argument left out)."""
    if dim is ...:
        return getattr(obj, name)(**kw)
    return getattr(obj, name)(dim=dim, **kw)


@pytest.mark.parametrize("name", ["sum", "mean", "nansum", "nanmean", "amax", "amin", "count_nonzero"])
@pytest.mark.parametrize("dim", DIMS, ids=repr)
def test_dim_forms(name, dim):
    t = sample()
    e = to_ember(t)
    check(call(ember, name, dim, input=e) if dim is not ... else getattr(ember, name)(e),
          call(torch, name, dim, input=t) if dim is not ... else getattr(torch, name)(t))
    check(call(e, name, dim), call(t, name, dim))
    if name != "count_nonzero" and dim is not ...:
        check(call(e, name, dim, keepdim=True), call(t, name, dim, keepdim=True))
    if dim not in (None, (), ...):  # positional dim (and keepdim)
        check(getattr(e, name)(dim), getattr(t, name)(dim))


@pytest.mark.parametrize("dtype", [torch.int32, torch.uint8, torch.bool, torch.float16, torch.float64])
def test_sum_prod_mean_dtypes(dtype):
    t = sample(dtype, (3, 4))
    e = to_ember(t)
    check(ember.sum(e), torch.sum(t))  # integers and bool sum in int64
    check(e.sum(1), t.sum(1))
    if dtype != torch.float16:  # PyTorch 1.13 has no float16 prod on CPU (docs/DIFFERENCES.md)
        check(ember.prod(e), torch.prod(t))
        check(e.prod(0, keepdim=True), t.prod(0, keepdim=True))
    check(e.sum(dtype=ember.float64), t.sum(dtype=torch.float64))
    check(ember.sum(e, (0, 1), True, dtype=ember.int32), torch.sum(t, (0, 1), True, dtype=torch.int32))
    check(e.prod(1, dtype=ember.float32), t.prod(1, dtype=torch.float32))
    if dtype != torch.float16:
        check(ember.cumsum(e, 1), torch.cumsum(t, 1))
    check(e.cumprod(dim=0, dtype=ember.float64), t.cumprod(dim=0, dtype=torch.float64))
    if dtype.is_floating_point:
        check(ember.mean(e, 0), torch.mean(t, 0))
        check(e.mean(dtype=ember.float64), t.mean(dtype=torch.float64))
    else:
        with pytest.raises(RuntimeError):
            ember.mean(e)
        check(e.mean(dtype=ember.float32), t.mean(dtype=torch.float32))


def test_nan_reductions():
    t = torch.tensor([[1.0, float("nan"), 3.0], [float("nan"), float("nan"), 2.0]])
    e = to_ember(t)
    check(ember.nansum(e), torch.nansum(t))
    check(e.nansum(1), t.nansum(1))
    check(ember.nanmean(e, 0), torch.nanmean(t, 0))
    check(e.sum(), t.sum())
    check(ember.max(e), torch.max(t))


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_forms(name):
    t = sample(seed=1)
    e = to_ember(t)
    check(getattr(ember, name)(e), getattr(torch, name)(t))
    check(getattr(e, name)(), getattr(t, name)())
    r, rt = getattr(ember, name)(e, 1), getattr(torch, name)(t, 1)
    assert type(r).__name__ == name and type(r).__module__ == "ember.return_types"
    assert isinstance(r, tuple) and len(r) == 2
    check(r.values, rt.values)
    check(r.indices, rt.indices)
    values, indices = getattr(e, name)(dim=-1, keepdim=True)
    check(values, getattr(t, name)(dim=-1, keepdim=True).values)
    check(indices, getattr(t, name)(dim=-1, keepdim=True).indices)
    # torch's layout: torch.return_types.max(\nvalues=tensor(...),\nindices=tensor(...))
    assert r[0] is r.values and repr(r).startswith("ember.return_types." + name + "(\nvalues=")
    assert type(r) is getattr(ember.return_types, name)
    other = sample(seed=2, shape=(4, 5))
    check(getattr(ember, name)(e, to_ember(other)), getattr(torch, name)(t, other))
    check(getattr(e, name)(other=to_ember(other)), getattr(t, name)(other=other))
    with pytest.raises(IndexError):
        getattr(e, name)(3)
    with pytest.raises(RuntimeError):
        getattr(ember, name)(ember.zeros(0))


def test_argmax_argmin():
    t = sample(seed=3)
    e = to_ember(t)
    for name in ("argmax", "argmin"):
        check(getattr(ember, name)(e), getattr(torch, name)(t))
        check(getattr(e, name)(1), getattr(t, name)(1))
        check(getattr(e, name)(dim=None, keepdim=True), getattr(t, name)(dim=None, keepdim=True))
        check(getattr(ember, name)(e, -1, True), getattr(torch, name)(t, -1, True))


def test_var_std_forms():
    t = sample(torch.float64, seed=4)
    e = to_ember(t)
    for name in ("var", "std"):
        fe, ft = getattr(ember, name), getattr(torch, name)
        check(fe(e), ft(t))
        check(fe(e, False), ft(t, False))
        check(fe(e, unbiased=False), ft(t, unbiased=False))
        check(fe(e, 1), ft(t, 1))
        check(fe(e, (0, 2), False, True), ft(t, (0, 2), False, True))
        check(fe(e, dim=[1], unbiased=True, keepdim=True), ft(t, dim=[1], unbiased=True, keepdim=True))
        check(fe(e, dim=1, correction=0), ft(t, dim=1, correction=0))
        check(fe(e, dim=None, correction=2), ft(t, dim=None, correction=2))
        check(fe(e, None, keepdim=True), ft(t, None, keepdim=True))
        me, mt = getattr(e, name), getattr(t, name)
        check(me(), mt())
        check(me(0, unbiased=False), mt(0, unbiased=False))
        check(me(dim=(0, 1), correction=0, keepdim=True), mt(dim=(0, 1), correction=0, keepdim=True))
    for name in ("var_mean", "std_mean"):
        fe, ft = getattr(ember, name), getattr(torch, name)
        r = fe(e)
        assert isinstance(r, tuple) and len(r) == 2
        check(r, ft(t))
        check(fe(e, 1), ft(t, 1))
        check(fe(e, 1, True, True), ft(t, 1, True, True))
        check(fe(e, dim=(0, 2), correction=0), ft(t, dim=(0, 2), correction=0))
        check(fe(e, False), ft(t, False))


def test_var_std_need_floats():
    e = to_ember(torch.tensor([1, 2, 3]))
    with pytest.raises(RuntimeError):
        ember.var(e)


@pytest.mark.parametrize("p", ["fro", 2, 1, 0, 3, 0.5, math.inf, -math.inf, None])
def test_norm(p):
    t = sample(torch.float64, seed=5)
    e = to_ember(t)
    check(ember.norm(e, p), torch.norm(t, p))
    check(e.norm(p=p), t.norm(p=p))
    check(ember.norm(e, p, dim=1), torch.norm(t, p, dim=1))
    check(e.norm(p, (0, 2), True), t.norm(p, (0, 2), True))
    check(e.norm(p, dim=[-1]), t.norm(p, dim=[-1]))


def test_norm_defaults_and_dtype():
    t = sample(torch.float32, seed=6)
    e = to_ember(t)
    check(ember.norm(e), torch.norm(t))
    check(e.norm(), t.norm())
    check(e.norm(dim=1), t.norm(dim=1))
    check(e.norm(2, dtype=ember.float64), t.norm(2, dtype=torch.float64))
    check(ember.norm(e, 1, 0, False, dtype=ember.float64), torch.norm(t, 1, 0, False, dtype=torch.float64))


def test_logsumexp():
    t = sample(torch.float64, seed=7) * 100  # large enough to overflow a naive exp
    e = to_ember(t)
    check(ember.logsumexp(e, 1), torch.logsumexp(t, 1))
    check(e.logsumexp((0, 2), keepdim=True), t.logsumexp((0, 2), keepdim=True))
    check(e.logsumexp(dim=[0, 1, 2]), t.logsumexp(dim=[0, 1, 2]))
    with pytest.raises(TypeError):
        ember.logsumexp(e)


@pytest.mark.parametrize("dtype", [torch.bool, torch.uint8, torch.int64, torch.float32])
def test_all_any_count_nonzero(dtype):
    t = sample(dtype, (3, 4), seed=8)
    e = to_ember(t)
    for name in ("all", "any"):
        check(getattr(ember, name)(e), getattr(torch, name)(t))  # uint8 stays uint8, as PyTorch
        check(getattr(e, name)(1), getattr(t, name)(1))
        check(getattr(e, name)(dim=0, keepdim=True), getattr(t, name)(dim=0, keepdim=True))
    check(ember.count_nonzero(e), torch.count_nonzero(t))
    check(e.count_nonzero(1), t.count_nonzero(1))
    check(e.count_nonzero(dim=(0, 1)), t.count_nonzero(dim=(0, 1)))


def test_scans():
    t = sample(torch.float32, (3, 4), seed=9)
    e = to_ember(t)
    check(ember.cumsum(e, 0), torch.cumsum(t, 0))
    check(e.cumsum(dim=-1), t.cumsum(dim=-1))
    check(ember.cumprod(e, 1), torch.cumprod(t, 1))
    i = torch.tensor([[1, 3, 3, 2], [5, 0, 5, 1]])
    for name in ("cummax", "cummin"):
        for src in (t, i):
            r, rt = getattr(ember, name)(to_ember(src), 1), getattr(torch, name)(src, 1)
            assert type(r).__name__ == name
            check(r.values, rt.values)
            check(r.indices, rt.indices)  # a later equal value takes the index
        values, indices = getattr(to_ember(i), name)(dim=0)
        check(values, getattr(i, name)(dim=0).values)
        check(indices, getattr(i, name)(dim=0).indices)


def test_zero_dim_and_empty():
    s = torch.tensor(2.5)
    e = to_ember(s)
    check(ember.sum(e), torch.sum(s))
    check(e.sum(0), s.sum(0))
    check(e.max(0).values, s.max(0).values)
    z = torch.zeros(0, 3)
    ez = ember.zeros(0, 3)
    check(ember.sum(ez, 0), torch.sum(z, 0))
    check(ez.prod(), z.prod())
    check(ez.mean(1), z.mean(1))
    check(ez.amax(1), z.amax(1))
    with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
        ez.amax(0)


def test_argument_errors():
    e = ember.zeros(2, 3)
    with pytest.raises(TypeError):
        e.sum("a")
    with pytest.raises(TypeError):
        e.sum(dim=1.5)
    with pytest.raises(TypeError):
        e.prod((0, 1))  # prod takes one dim, as PyTorch
    with pytest.raises(IndexError):
        e.sum(2)
    with pytest.raises(RuntimeError):
        e.sum((0, 0))


def test_reduction_gradients():
    t = sample(torch.float64, (3, 4), seed=10).requires_grad_()
    e = to_ember(t.detach(), requires_grad=True)
    out_t = t.sum(1).max() + t.var(0, correction=0).sum() + t.norm() + t.logsumexp(1).mean() + t.cumsum(1).amax()
    out_e = e.sum(1).max() + e.var(0, correction=0).sum() + e.norm() + e.logsumexp(1).mean() + e.cumsum(1).amax()
    check(out_e, out_t)
    out_t.backward()
    out_e.backward()
    check(e.grad, t.grad)


CLOSE_PAIRS = [
    ([1.0, 2.0, float("nan"), float("inf"), -float("inf"), 1e-9], [1.0 + 1e-9, 2.1, float("nan"), float("inf"),
                                                                   float("inf"), 0.0]),
    ([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.00001]),  # broadcast
    ([], []),
]


@pytest.mark.parametrize("a, b", CLOSE_PAIRS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16])
@pytest.mark.parametrize("kw", [{}, {"equal_nan": True}, {"rtol": 0.1, "atol": 0.0}, {"rtol": 0.0, "atol": 1e-3}],
                         ids=repr)
def test_isclose_allclose(a, b, dtype, kw):
    ta, tb = torch.tensor(a, dtype=dtype), torch.tensor(b, dtype=dtype)
    ea, eb = to_ember(ta), to_ember(tb)
    check(ember.isclose(ea, eb, **kw), torch.isclose(ta, tb, **kw))
    check(ea.isclose(eb, **kw), ta.isclose(tb, **kw))
    assert ember.allclose(ea, eb, **kw) is torch.allclose(ta, tb, **kw)
    assert ea.allclose(eb, **kw) is ta.allclose(tb, **kw)


@pytest.mark.parametrize("dtype", [torch.int64, torch.uint8, torch.bool])
def test_isclose_integers_and_bool(dtype):
    ta, tb = sample(dtype, seed=1), sample(dtype, seed=2)
    check(ember.isclose(to_ember(ta), to_ember(tb)), torch.isclose(ta, tb))
    check(ember.isclose(to_ember(ta), to_ember(tb), rtol=0.5, atol=1), torch.isclose(ta, tb, rtol=0.5, atol=1))


@pytest.mark.parametrize("a, b", [([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0, 2.5]), ([1.0, 2.0], [[1.0, 2.0]]),
                                  ([1.0, 2.0], [1.0, 2.0, 3.0]), ([float("nan")], [float("nan")]), ([], [])])
def test_equal(a, b):
    ta, tb = torch.tensor(a), torch.tensor(b)
    assert ember.equal(to_ember(ta), to_ember(tb)) is torch.equal(ta, tb)
    assert to_ember(ta).equal(to_ember(tb)) is ta.equal(tb)
    # Compared after type promotion, as torch 1.13.
    assert ember.equal(to_ember(ta), to_ember(tb.double())) is torch.equal(ta, tb.double())


@pytest.mark.parametrize("call, message", [
    (lambda lib: lib.isclose(lib.ones(2), lib.ones(2, dtype=lib.float64)), "Float did not match Double"),
    (lambda lib: lib.isclose(lib.ones(2), lib.ones(2), rtol=-1.0), "rtol must be greater than or equal to zero"),
    (lambda lib: lib.allclose(lib.ones(2), lib.ones(2), atol=-1.0), "atol must be greater than or equal to zero"),
    (lambda lib: lib.allclose(lib.ones(4), lib.ones(2)), "The size of tensor a \\(4\\) must match"),
])
def test_closeness_errors(call, message):
    for lib in (torch, ember):
        with pytest.raises(RuntimeError, match=message):
            call(lib)
