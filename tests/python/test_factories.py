"""Tensor factories (zeros, full, arange, linspace, eye, the *_like family, ...) checked against PyTorch:
dtypes, shapes, values and errors for the same calls."""
import math

import pytest
import torch

import ember

DTYPES = ["uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64", "bool"]


def E(name):
    return getattr(ember, name)


def T(name):
    return getattr(torch, name)


def dtype_name(d):
    return repr(d).split(".")[-1]


def assert_same(e, t, exact=True):
    assert isinstance(e, ember.Tensor)
    assert dtype_name(e.dtype) == dtype_name(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.requires_grad == t.requires_grad
    if exact:
        assert e.tolist() == t.tolist()
    else:
        for a, b in zip(flat(e.tolist()), flat(t.tolist())):
            assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6), (a, b)


def flat(v):
    if not isinstance(v, list):
        return [v]
    return [x for item in v for x in flat(item)]


def both(fn, *args, **kwargs):
    """Calls fn(mod, ...) for ember and torch, translating dtype names in kwargs."""
    def conv(mod, v):
        if isinstance(v, str) and v in DTYPES:
            return getattr(mod, v)
        return v
    ek = {k: conv(ember, v) for k, v in kwargs.items()}
    tk = {k: conv(torch, v) for k, v in kwargs.items()}
    return fn(ember, *args, **ek), fn(torch, *args, **tk)


def raises_like(fn):
    """Both libraries raise, with the same exception class."""
    with pytest.raises(Exception) as te:
        fn(torch)
    with pytest.raises(Exception) as ee:
        fn(ember)
    assert type(ee.value) is type(te.value) or isinstance(ee.value, type(te.value)), (ee.value, te.value)


@pytest.mark.parametrize("name", ["zeros", "ones"])
@pytest.mark.parametrize("dt", [None] + DTYPES)
def test_zeros_ones(name, dt):
    kw = {} if dt is None else {"dtype": dt}
    for size_args in [(2, 3), ((2, 3),), ([4],), (0,), ((),), (2, 0, 3)]:
        e, t = both(lambda m, *a, **k: getattr(m, name)(*a, **k), *size_args, **kw)
        assert_same(e, t)


@pytest.mark.parametrize("dt", [None, "float64", "int32", "bool"])
def test_empty_shape_and_dtype(dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.empty(3, 4, **k), **kw)
    assert tuple(e.shape) == tuple(t.shape) and dtype_name(e.dtype) == dtype_name(t.dtype)
    assert e.stride() == t.stride() and e.is_contiguous()


def test_empty_strided():
    e, t = both(lambda m: m.empty_strided((2, 3), (1, 2)))
    assert e.shape == t.shape and e.stride() == t.stride() == (1, 2)
    e, t = both(lambda m: m.empty_strided((2, 3), (3, 1), dtype=m.float64))
    assert e.stride() == t.stride() and e.dtype is ember.float64
    raises_like(lambda m: m.empty_strided((2, 3), (1,)))


def test_requires_grad_keyword():
    for name in ["zeros", "ones", "empty", "rand", "randn"]:
        x = getattr(ember, name)(2, requires_grad=True)
        assert x.requires_grad and x.is_leaf
    assert ember.full((2,), 1.5, requires_grad=True).requires_grad
    assert ember.arange(3.0, requires_grad=True).requires_grad
    raises_like(lambda m: m.zeros(2, dtype=m.int64, requires_grad=True))
    raises_like(lambda m: m.arange(3, requires_grad=True))


@pytest.mark.parametrize("value", [1.5, 2, True, -3, 0.0])
@pytest.mark.parametrize("dt", [None, "float64", "int32", "bool", "float16"])
def test_full(value, dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.full((2, 3), value, **k), **kw)
    assert_same(e, t)


def test_full_with_default_dtype():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        e, t = both(lambda m: m.full((2,), 0.5))
        assert_same(e, t)
        e, t = both(lambda m: m.full((2,), 1))
        assert_same(e, t)
    finally:
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("value", [1.5, 2, True])
@pytest.mark.parametrize("dt", [None, "float64", "int64", "bool"])
def test_scalar_tensor(value, dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.scalar_tensor(value, **k), **kw)
    assert_same(e, t)


ARANGE_CASES = [
    (5,), (5.0,), (0,), (2, 7), (2, 7, 2), (7, 2, -1), (0.0, 1.0, 0.1), (1, 2.5, 0.5), (-3, 3, 0.7),
    (True,), (0, 10, 3), (10, 0, -3),
]


@pytest.mark.parametrize("args", ARANGE_CASES)
def test_arange(args):
    e, t = both(lambda m: m.arange(*args))
    assert_same(e, t, exact=t.dtype == torch.int64)


@pytest.mark.parametrize("dt", ["int32", "int64", "float32", "float64", "uint8", "int8", "float16"])
def test_arange_dtypes(dt):
    e, t = both(lambda m, **k: m.arange(0, 10, 3, **k), dtype=dt)
    assert_same(e, t)
    e, t = both(lambda m, **k: m.arange(7, **k), dtype=dt)
    assert_same(e, t)


def test_arange_keywords():
    e, t = both(lambda m: m.arange(end=5))
    assert_same(e, t)
    e, t = both(lambda m: m.arange(start=1, end=5))
    assert_same(e, t)
    e, t = both(lambda m: m.arange(1, 5, step=2))
    assert_same(e, t)


def test_arange_0dim_tensor_arguments():
    e = ember.arange(ember.scalar_tensor(4, dtype=ember.int64))
    t = torch.arange(torch.scalar_tensor(4, dtype=torch.int64))
    assert_same(e, t)


def test_arange_errors():
    raises_like(lambda m: m.arange(0, 5, 0))
    raises_like(lambda m: m.arange(5, 0, 1))
    raises_like(lambda m: m.arange(0, float("inf")))
    raises_like(lambda m: m.arange(5, dtype=m.bool))
    raises_like(lambda m: m.arange("a"))


@pytest.mark.parametrize("args", [(0, 4), (1, 3, 0.5), (0.0, 1.0, 0.25), (5, 1, -1)])
def test_range(args):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        e, t = both(lambda m: m.range(*args))
    assert_same(e, t, exact=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        e, t = both(lambda m: m.range(*args, dtype=m.float64))
    assert_same(e, t, exact=False)


@pytest.mark.parametrize("args", [(0, 1, 5), (-2, 2, 1), (1, 1, 3), (0, 10, 0), (3, -3, 7), (0, 1, 2)])
@pytest.mark.parametrize("dt", [None, "float64", "int64", "int32"])
def test_linspace(args, dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.linspace(*args, **k), **kw)
    assert_same(e, t, exact=False)


def test_linspace_errors_and_keywords():
    raises_like(lambda m: m.linspace(0, 1, -1))
    raises_like(lambda m: m.linspace(0, 1))
    e, t = both(lambda m: m.linspace(start=0, end=1, steps=3))
    assert_same(e, t)


@pytest.mark.parametrize("args", [(0, 2, 3), (-1, 1, 5), (0, 3, 4, 2.0), (1, 0, 3, 3)])
@pytest.mark.parametrize("dt", [None, "float64"])
def test_logspace(args, dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.logspace(*args, **k), **kw)
    assert_same(e, t, exact=False)
    e, t = both(lambda m: m.logspace(0, 3, 4, base=2))
    assert_same(e, t, exact=False)


@pytest.mark.parametrize("args", [(3,), (2, 4), (4, 2), (0,), (0, 3), (1, 1)])
@pytest.mark.parametrize("dt", [None, "int64", "bool", "float64"])
def test_eye(args, dt):
    kw = {} if dt is None else {"dtype": dt}
    e, t = both(lambda m, **k: m.eye(*args, **k), **kw)
    assert_same(e, t)


def test_eye_keywords_and_errors():
    e, t = both(lambda m: m.eye(2, m=3))
    assert_same(e, t)
    e, t = both(lambda m: m.eye(n=2))
    assert_same(e, t)
    raises_like(lambda m: m.eye(-1))
    raises_like(lambda m: m.eye(2, -1))


@pytest.mark.parametrize("name", ["empty_like", "zeros_like", "ones_like"])
@pytest.mark.parametrize("src_dt", ["float32", "int64", "bool", "float64"])
def test_like_factories(name, src_dt):
    ex = ember.zeros(2, 3, dtype=E(src_dt))
    tx = torch.zeros(2, 3, dtype=T(src_dt))
    e, t = getattr(ember, name)(ex), getattr(torch, name)(tx)
    assert dtype_name(e.dtype) == dtype_name(t.dtype) and e.shape == t.shape
    if name != "empty_like":
        assert_same(e, t)
    e = getattr(ember, name)(ex, dtype=ember.float64)
    t = getattr(torch, name)(tx, dtype=torch.float64)
    assert dtype_name(e.dtype) == dtype_name(t.dtype)
    if name != "empty_like":
        assert_same(e, t)
    e = getattr(ember, name)(ember.zeros(2, dtype=ember.float32), requires_grad=True)
    assert e.requires_grad and e.is_leaf


def test_like_keeps_layout():
    ex = ember.empty_strided((4, 3), (1, 4))
    tx = torch.empty_strided((4, 3), (1, 4))
    for name in ["empty_like", "zeros_like", "ones_like"]:
        assert getattr(ember, name)(ex).stride() == getattr(torch, name)(tx).stride()
    assert ember.full_like(ex, 2).stride() == torch.full_like(tx, 2).stride()


@pytest.mark.parametrize("value", [2.5, 3, True])
@pytest.mark.parametrize("src_dt", ["float32", "int64", "bool"])
def test_full_like(value, src_dt):
    e = ember.full_like(ember.zeros(2, 2, dtype=E(src_dt)), value)
    t = torch.full_like(torch.zeros(2, 2, dtype=T(src_dt)), value)
    assert_same(e, t)
    e = ember.full_like(ember.zeros(2, dtype=E(src_dt)), value, dtype=ember.float64)
    t = torch.full_like(torch.zeros(2, dtype=T(src_dt)), value, dtype=torch.float64)
    assert_same(e, t)


def test_size_keyword():
    for name in ["zeros", "ones", "empty", "rand", "randn"]:
        e = getattr(ember, name)(size=(2, 3), dtype=ember.float64)
        t = getattr(torch, name)(size=(2, 3), dtype=torch.float64)
        assert e.shape == t.shape and dtype_name(e.dtype) == dtype_name(t.dtype)
        raises_like(lambda m: getattr(m, name)())


def test_size_errors():
    raises_like(lambda m: m.zeros(-1))
    raises_like(lambda m: m.zeros(2, "a"))
    raises_like(lambda m: m.ones((2, 3.5)))
    raises_like(lambda m: m.full((2,), "x"))
    raises_like(lambda m: m.zeros(2, dtype="float32"))


def test_default_dtype():
    assert ember.get_default_dtype() is ember.float32
    ember.set_default_dtype(ember.float64)
    assert ember.get_default_dtype() is ember.float64
    assert ember.zeros(1).dtype is ember.float64
    assert ember.arange(2.0).dtype is ember.float64
    assert ember.tensor([1.0]).dtype is ember.float64
    assert ember.tensor([1]).dtype is ember.int64
    assert ember.linspace(0, 1, 3).dtype is ember.float64
    ember.set_default_dtype(ember.float32)
    raises_like(lambda m: m.set_default_dtype(m.int64))
    assert ember.get_default_dtype() is ember.float32


def test_device_keyword():
    for f in [lambda m: m.zeros(2, device="cpu"), lambda m: m.arange(3, device="cpu"),
              lambda m: m.eye(2, device=m.device("cpu")), lambda m: m.full((1,), 2, device="cpu")]:
        e, t = both(f)
        assert_same(e, t)
        assert e.device == ember.device("cpu")


@pytest.mark.parametrize("value,dt", [(300, "uint8"), (-256, "uint8"), (-255, "uint8"), (1e10, "int32"),
                                      (float("nan"), "int32"), (1e300, "float32"), (100000, "float16"),
                                      (65504, "float16"), (1e39, "bfloat16"), (-9.3e18, "int64"), (2, "bool"),
                                      (float("inf"), "float16"), (1.5, "int8"), (-0.5, "uint8"), (200, "int8")])
def test_fill_values_that_do_not_fit(value, dt):
    for make in [lambda m: m.full((2,), value, dtype=getattr(m, dt)),
                 lambda m: m.full_like(m.zeros(2, dtype=getattr(m, dt)), value),
                 lambda m: m.scalar_tensor(value, dtype=getattr(m, dt))]:
        try:
            t = make(torch)
        except RuntimeError as te:
            with pytest.raises(RuntimeError) as ee:
                make(ember)
            assert str(ee.value) == str(te)
            continue
        e = make(ember)
        assert dtype_name(e.dtype) == dtype_name(t.dtype)
        assert [str(v) for v in flat(e.tolist())] == [str(v) for v in flat(t.tolist())]
