"""Tensor.__getitem__ / __setitem__ / __iter__ / __contains__ against PyTorch: the same keys give the same
values, shapes and dtypes, views where PyTorch gives views (writes reach the base) and copies where it gives
copies, the same gradients, and the same exception classes."""
import numpy as np
import pytest
import torch

import ember

DTYPES = {getattr(torch, n): getattr(ember, n)
          for n in ["float32", "float64", "float16", "bfloat16", "int8", "uint8", "int16", "int32", "int64", "bool"]}


def E(t):
    """An ember copy of torch tensor t (through Python lists, so no memory is shared)."""
    return ember.tensor(t.tolist(), dtype=DTYPES[t.dtype]).reshape(tuple(t.shape))


def ekey(k):
    """A key for ember made from a key for torch: torch tensors become ember tensors, recursively."""
    if isinstance(k, torch.Tensor):
        return E(k)
    if isinstance(k, tuple):
        return tuple(ekey(i) for i in k)
    if isinstance(k, list):
        return [ekey(i) for i in k]
    if isinstance(k, slice):
        return slice(ekey(k.start), ekey(k.stop), ekey(k.step))
    return k


def check(e, t):
    assert isinstance(e, ember.Tensor)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.dtype is DTYPES[t.dtype]
    assert e.tolist() == t.tolist()


def check_grad(e, t):
    """Gradients in float64: sums may be taken in another order than PyTorch's, so equal to a few ulps."""
    assert tuple(e.shape) == tuple(t.shape) and e.dtype is ember.float64
    assert torch.allclose(torch.tensor(e.tolist(), dtype=torch.float64), t, rtol=1e-13, atol=1e-15)


def raises_like(fe, ft, match_message=True):
    with pytest.raises(Exception) as te:
        ft()
    with pytest.raises(Exception) as ee:
        fe()
    assert type(ee.value) is type(te.value), (ee.value, te.value)
    if match_message:
        assert str(ee.value) == str(te.value)


def sources(layout):
    """A (4, 5, 6) int64 tensor in torch and in ember: contiguous, or a strided view of a larger one."""
    if layout == "contiguous":
        t = torch.arange(4 * 5 * 6).reshape(4, 5, 6)
        return t, E(t)
    t = torch.arange(8 * 5 * 12).reshape(8, 5, 12)
    return t[1::2, :, ::2], E(t)[1::2, :, ::2]


M4 = torch.tensor([True, False, True, True])
M45 = torch.arange(20).reshape(4, 5) % 3 == 0
I2 = torch.tensor([2, 0, -1])
I22 = torch.tensor([[0, 1], [3, 2]])

BASIC_KEYS = [
    0, -1, 3, (1, 2), (-1, -2, -3), slice(None), slice(1, 3), slice(None, None, 2), slice(-3, None),
    slice(1, 100, 3), slice(5, 1), slice(-100, 100), (slice(None), 0), (Ellipsis, 1), (Ellipsis,), Ellipsis, None,
    (None,), (None, 0, None, Ellipsis, None), (), (Ellipsis, Ellipsis), (slice(None), slice(1, None, 2), -1),
    (0, slice(None), slice(None, None, 4)), torch.tensor(1), (slice(None), torch.tensor(-2)),
    slice(torch.tensor(1), torch.tensor(3)), (np.int64(2), slice(np.int64(1), None)), [0, slice(None), 1],
    [None, 1], [Ellipsis, 2], (1, None, slice(None), None),
]

ADVANCED_KEYS = [
    [0, 2], [-1, 0, 0], [], [[0, 1], [1, 2]], [[0, 1], [1, 2], [3, 4]], [[[0, 1], [1, 2]]], (slice(None), [0, 2]),
    ([0, 1], slice(None), [1, 2]), (0, slice(None), [1, 2]), (slice(None), 0, [1, 2]), ([0, 1], 1, [1, 2]),
    (I22, None, slice(None), I22), (Ellipsis, I2), (I2, Ellipsis, slice(None, None, 2)), (1, slice(None), I22, None),
    (slice(None), slice(None), torch.tensor([[1], [0], [1]])), I2, (I2, I2), (I2, slice(None), torch.tensor([1, 0, 1])),
    True, False, (True, 0), (0, False), (None, True, slice(None)), torch.tensor(True), torch.tensor(False),
    M4, (M4, slice(None), 0), M45, (M45, torch.tensor([0, 5, 2, 1, 3, 4, 0])[:int(M45.sum())]),
    (slice(None), M45[0]), [True, False, True, False], (Ellipsis, [True, False, True, False, True, True]),
    M4.to(torch.uint8), np.array([0, 3]), [0.0, 2.7], [0, True], (slice(None), [[0], [4]], [1, 0]),
    (torch.zeros(0, dtype=torch.int64),), (slice(None), torch.zeros(0, 2, dtype=torch.int64)),
]


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
@pytest.mark.parametrize("key", BASIC_KEYS, ids=repr)
def test_basic_indexing_gives_views(key, layout):
    t, x = sources(layout)
    r, rt = x[ekey(key)], t[key]
    check(r, rt)
    assert r.stride() == rt.stride() and r.storage_offset() == rt.storage_offset()
    if rt.numel():
        r[...] = -1
        rt[...] = -1
        check(x, t)


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
@pytest.mark.parametrize("key", ADVANCED_KEYS, ids=repr)
def test_advanced_indexing_gives_copies(key, layout):
    t, x = sources(layout)
    r, rt = x[ekey(key)], t[key]
    check(r, rt)
    if rt.numel():
        r[...] = -1
        check(x, t)


@pytest.mark.parametrize("dtype", list(DTYPES))
def test_every_dtype(dtype):
    t = (torch.arange(12).reshape(3, 4) % 5).to(dtype)
    x = E(t)
    for key in [1, (slice(None), 2), [0, 2], t.bool() if dtype is torch.bool else t > 1]:
        check(x[ekey(key)], t[key])


def test_zero_dim_and_empty_sources():
    t, x = torch.tensor(5.0), E(torch.tensor(5.0))
    for key in [Ellipsis, None, (), True, False, (None, Ellipsis, None)]:
        check(x[key], t[key])
    raises_like(lambda: x[0], lambda: t[0])
    raises_like(lambda: x[:], lambda: t[:])
    t, x = torch.zeros(0, 3), ember.zeros(0, 3)
    for key in [slice(None), (slice(None), 1), (Ellipsis, [0, 2]), torch.zeros(0, dtype=torch.bool)]:
        check(x[ekey(key)], t[key])


def test_results_are_new_objects_and_aliases():
    x = ember.zeros(2, 3)
    for key in [Ellipsis, (), slice(None)]:
        r = x[key]
        assert r is not x and r.data_ptr() == x.data_ptr()


KEY_ERRORS = [
    5, -5, (0, 0, 0, 0), (1, 2, 3, 0), (0, 7), (slice(None), slice(None), 6), "a", 1.5, {1: 2}, [0, "a"],
    slice(None, None, -1), slice(None, None, 0), slice(0.5, None), torch.tensor(1.0), torch.tensor([1.0]),
    torch.tensor([1], dtype=torch.int32), torch.tensor([True, False]), torch.zeros(4, 4, dtype=torch.bool),
    [True, False], [5], (slice(None), [7]), (torch.tensor([5]),), ([0, 1], [0, 1, 2]), [[[0, 1], [0]]], (M4, M4),
    2 ** 70, [2 ** 70], (0, Ellipsis, 0, Ellipsis, 0, 0),
]


@pytest.mark.parametrize("key", KEY_ERRORS, ids=repr)
def test_key_errors_match_pytorch(key):
    t, x = sources("contiguous")
    raises_like(lambda: x[ekey(key)], lambda: t[key])
    raises_like(lambda: x.__setitem__(ekey(key), 1), lambda: t.__setitem__(key, 1))


def test_key_error_messages():
    t = torch.zeros(3, 4)
    x = ember.zeros(3, 4)
    with pytest.raises(IndexError, match="^index 5 is out of bounds for dimension 0 with size 3$"):
        x[5]
    with pytest.raises(IndexError, match="^too many indices for tensor of dimension 2$"):
        x[0, 0, 0]
    with pytest.raises(ValueError, match="^step must be greater than zero$"):
        x[::-1]
    raises_like(lambda: x[1.5], lambda: t[1.5])
    raises_like(lambda: x[{1: 2}], lambda: t[{1: 2}])
    raises_like(lambda: x[E(torch.tensor([True, False]))], lambda: t[torch.tensor([True, False])])
    raises_like(lambda: x[:, [4]], lambda: t[:, [4]])


# ---- __setitem__ ----

SET_KEYS = [
    0, -1, (1, 2), slice(1, 3), slice(None, None, 2), (slice(None), 0), (Ellipsis, 1), None, Ellipsis, (), True,
    (None, 0, None), torch.tensor(1), [0, 2], [[0, 1], [1, 2]], (slice(None), [0, 2]), ([0, 1], slice(None), [1, 2]),
    (I22, None, slice(None), I22), M4, M45, (M4, slice(None), 0), (Ellipsis, [True, False, True, False, True, True]),
    [True, False, True, False], ([0, 0], [1, 1]), (slice(None), [], 1),
]


def values_for(shape):
    """Values broadcastable to an indexing result of `shape`: whole, one row, leading ones, a 0-dim."""
    n = 1
    for s in shape:
        n *= s
    vals = [torch.arange(n, dtype=torch.int64).reshape(shape) * 7 - 3, torch.tensor(-9)]
    if shape:
        vals.append(torch.arange(shape[-1]) + 100)
        vals.append((torch.arange(n) * 2).reshape((1, 1) + tuple(shape)))
    return vals


@pytest.mark.parametrize("layout", ["contiguous", "strided"])
@pytest.mark.parametrize("key", SET_KEYS, ids=repr)
def test_setitem_tensor_values(key, layout):
    for v in values_for(tuple(sources(layout)[0][key].shape)):
        t, x = sources(layout)
        t[key] = v
        x[ekey(key)] = E(v)
        check(x, t)


@pytest.mark.parametrize("key", SET_KEYS, ids=repr)
def test_setitem_numbers_in_every_dtype(key):
    for dtype in DTYPES:
        for v in [3, -1, 2.75, True, np.int64(2), np.float64(0.5)]:
            t = (sources("contiguous")[0] % 3).to(dtype)
            x = E(t)
            t[key] = v
            x[ekey(key)] = v
            check(x, t)


def assign_like(x, t, key, v):
    """t[key] = v and the same in ember: equal results, or the same error from both."""
    try:
        t[key] = v
    except Exception as err:
        with pytest.raises(type(err)) as ee:
            x[ekey(key)] = ekey(v)
        assert str(ee.value) == str(err)
        return
    x[ekey(key)] = ekey(v)
    assert str(x.tolist()) == str(t.tolist()) and x.dtype is DTYPES[t.dtype]


def test_setitem_value_dtype_rules():
    # Basic indexing copies with a cast. Advanced indexing needs the same dtype, except when one mask is the
    # only index tensor and the value has one element (PyTorch then fills through masked_fill_).
    values = [torch.tensor(3), torch.tensor(-1.5, dtype=torch.float64), torch.tensor([[2]]), torch.tensor(True),
              torch.tensor([1, 2, 3, 4]), torch.tensor([1.5, 2.5, 3.5, 4.5], dtype=torch.float64),
              torch.tensor([300]), torch.tensor(1e300, dtype=torch.float64)]
    keys = [0, slice(1, 3), (1, Ellipsis), [0], M4[:3], (slice(None), M4), (M4[:3], M4), (M4[:3], 1),
            (slice(None), [1, 2]), True]
    for dtype in [torch.float32, torch.int32, torch.uint8]:
        for key in keys:
            for v in values:
                assign_like(E(torch.zeros(3, 4, dtype=dtype)), torch.zeros(3, 4, dtype=dtype), key, v)


def test_setitem_number_overflow_matches_pytorch():
    cases = [(torch.uint8, 300), (torch.uint8, -1), (torch.uint8, -256), (torch.uint8, 255.0), (torch.uint8, -1.0),
             (torch.uint8, 1e10), (torch.int8, -129), (torch.int8, 255), (torch.int16, 40000),
             (torch.int32, 2 ** 40), (torch.int64, 2 ** 40), (torch.int64, float("nan")), (torch.int64, float("inf")),
             (torch.float16, 1e10), (torch.float16, float("inf")), (torch.bfloat16, 1e39), (torch.float32, 1e300),
             (torch.float32, float("-inf")), (torch.float32, float("nan")), (torch.bool, 2), (torch.bool, -0.5),
             (torch.float64, 1e300)]
    for dtype, v in cases:
        for key in [0, [0], slice(None), torch.tensor([True, False, True])]:
            assign_like(ember.zeros(3, dtype=DTYPES[dtype]), torch.zeros(3, dtype=dtype), key, v)


def test_setitem_value_errors_match_pytorch():
    t, x = torch.zeros(3, 4), ember.zeros(3, 4)
    for v in ["a", None, object(), np.float32(1.5), np.bool_(True)]:
        raises_like(lambda: x.__setitem__(0, v), lambda: t.__setitem__(0, v), match_message=False)
    with pytest.raises(TypeError, match="^can't assign a str to a ember.FloatTensor$"):
        x[0] = "a"
    # The value is read before the key, and a False key then writes nothing.
    raises_like(lambda: x.__setitem__(5, "a"), lambda: t.__setitem__(5, "a"), match_message=False)
    raises_like(lambda: x.__setitem__(False, "a"), lambda: t.__setitem__(False, "a"), match_message=False)
    x[False] = 7
    t[False] = 7
    check(x, t)
    raises_like(lambda: x.__setitem__(0, 2 ** 70), lambda: t.__setitem__(0, 2 ** 70))
    for key, shape in [(0, (2, 4)), ([0], (2, 4)), (slice(None), (4, 4)), ([0, 1], (3,)), (M4[:3], (3,))]:
        v = torch.ones(shape)
        raises_like(lambda: x.__setitem__(ekey(key), E(v)), lambda: t.__setitem__(key, v), match_message=False)
    raises_like(lambda: x.__delitem__(0), lambda: t.__delitem__(0))


def test_setitem_refuses_values_that_share_memory_like_pytorch():
    mask = torch.tensor([True, False, False, False, False, False])
    for key, view in [([0, 1], lambda x: x[4:6]), ([1], lambda x: x[0]), (slice(1, None), lambda x: x[:-1]),
                      ([1, 3], lambda x: x[::4]), (mask, lambda x: x[5]), (slice(None), lambda x: x)]:
        t = torch.arange(6.0)
        x = E(t)
        try:
            t[key] = view(t)
        except RuntimeError as err:
            with pytest.raises(RuntimeError) as ee:
                x[ekey(key)] = view(x)
            assert str(ee.value) == str(err)
            continue
        x[ekey(key)] = view(x)
        check(x, t)


def test_setitem_lists_and_tuples():
    # PyTorch raises TypeError for a list value; ember takes it as a tensor in x's dtype (docs/DIFFERENCES.md).
    with pytest.raises(TypeError):
        torch.zeros(3)[0:2] = [1, 2]
    for dtype in [torch.float32, torch.int64, torch.bool, torch.float64]:
        for key, v in [(0, [1, 2.5, 0, -3]), (slice(None), [[1], [0], [2]]), ([0, 2], (4, 0, 1, True)),
                       (M4[:3], [[1, 2, 3, 4], [5, 6, 7, 8]]), ((slice(None), 1), [[[5]]])]:
            t, x = torch.zeros(3, 4, dtype=dtype), ember.zeros(3, 4, dtype=DTYPES[dtype])
            t[key] = torch.tensor(v).to(dtype)
            x[ekey(key)] = v
            check(x, t)
    x = ember.zeros(2, 2, dtype=ember.int64)
    x[0] = [2 ** 40, -(2 ** 40)]
    assert x.tolist() == [[2 ** 40, -(2 ** 40)], [0, 0]]
    with pytest.raises(RuntimeError):
        x[0] = []
    with pytest.raises(ValueError, match="^expected sequence of length 2 at dim 1 \\(got 1\\)$"):
        x[...] = [[1, 2], [3]]
    with pytest.raises(TypeError):
        x[...] = [[1, 2], "ab"]


def test_setitem_bumps_the_version_once():
    t, x = torch.zeros(3, 4), ember.zeros(3, 4)
    for key in [0, (slice(None), 1), [0, 1], M4[:3], Ellipsis]:
        t[key] = 1.0
        x[ekey(key)] = 1.0
        assert x._version == t._version
    v = x[0]
    x[0, 1] = 5.0
    assert v._version == x._version and v.tolist() == [1.0, 5.0, 1.0, 1.0]


SHAPE = (4, 5)
GRAD_KEYS = [1, (slice(None), 2), slice(1, None, 2), (Ellipsis, None, [0, 3]), [2, 0, 2], M45, (M4, [1, 1, 0]),
             ([0, 3], slice(None), None), (None, True, 0)]


def upstream(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(shape, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("key", GRAD_KEYS, ids=repr)
def test_getitem_backward(key):
    a = upstream(SHAPE, 0).requires_grad_()
    ae = E(a.detach()).requires_grad_()
    r, re = a[key], ae[ekey(key)]
    check(re, r.detach())
    assert re.requires_grad and not re.is_leaf
    g = upstream(r.shape, 1)
    r.backward(g)
    re.backward(E(g))
    check_grad(ae.grad, a.grad)


@pytest.mark.parametrize("key", GRAD_KEYS, ids=repr)
def test_setitem_backward_through_a_non_leaf(key):
    a = upstream(SHAPE, 0).requires_grad_()
    ae = E(a.detach()).requires_grad_()
    shape = a[key].shape
    v = upstream(shape[-1:] if shape else (), 2).requires_grad_()
    ve = E(v.detach()).requires_grad_()
    y, ye = a.clone(), ae.clone()
    y[key] = v
    ye[ekey(key)] = ve
    check(ye, y.detach())
    assert ye.requires_grad and not ye.is_leaf
    g = upstream(SHAPE, 3)
    y.backward(g)
    ye.backward(E(g))
    check_grad(ae.grad, a.grad)
    check_grad(ve.grad, v.grad)


def test_setitem_records_a_value_that_requires_grad_into_a_plain_tensor():
    v = upstream((5,), 4).requires_grad_()
    ve = E(v.detach()).requires_grad_()
    y, ye = torch.zeros(SHAPE, dtype=torch.float64), ember.zeros(*SHAPE, dtype=ember.float64)
    y[[1, 3]] = v
    ye[[1, 3]] = ve
    assert ye.requires_grad
    g = upstream(SHAPE, 5)
    y.backward(g)
    ye.backward(E(g))
    check_grad(ve.grad, v.grad)


def test_setitem_on_a_leaf_that_requires_grad_raises_like_pytorch():
    a = torch.zeros(3, requires_grad=True)
    ae = ember.zeros(3, requires_grad=True)
    raises_like(lambda: ae.__setitem__(0, 1.0), lambda: a.__setitem__(0, 1.0), match_message=False)


# ---- __iter__, __contains__, __len__ ----

def test_iteration_over_dim_zero():
    t, x = sources("strided")
    rows = list(x)
    assert len(rows) == len(t) == len(x)
    for r, rt in zip(rows, t):
        check(r, rt)
    rows[1][...] = -5
    t[1] = -5
    check(x, t)
    assert list(ember.zeros(0, 3)) == []
    assert [r.tolist() for r in ember.zeros(2)] == [0.0, 0.0]
    with pytest.raises(TypeError, match="^iteration over a 0-d tensor$"):
        iter(ember.zeros(()))
    with pytest.raises(TypeError):
        iter(torch.zeros(()))
    a = upstream((3, 2), 6).requires_grad_()
    ae = E(a.detach()).requires_grad_()
    parts, pe = list(a), list(ae)
    parts[2].backward(torch.ones(2, dtype=torch.float64))
    pe[2].backward(ember.ones(2, dtype=ember.float64))
    check_grad(ae.grad, a.grad)


def test_contains():
    t = torch.arange(6).reshape(2, 3)
    x = E(t)
    for el in [3, 30, 3.0, 2.5, True, False, np.int64(4), torch.tensor(5), torch.tensor([0, 1, 2]),
               torch.tensor([[3], [7]])]:
        assert (ekey(el) in x) == (el in t)
    for el in ["a", None, [1]]:
        raises_like(lambda: ekey(el) in x, lambda: el in t)
    raises_like(lambda: E(torch.zeros(2)) in x, lambda: torch.zeros(2) in t)
    assert (1 in ember.zeros(0)) is False


# ---- random keys ----

def random_entry(rng, size):
    hi = max(size - 1, 0)
    kind = rng.randrange(9)
    if kind == 0:
        return rng.randint(-size - 1, size)
    if kind == 1:
        bound = lambda: rng.choice([None, rng.randint(-size - 2, size + 2)])  # noqa: E731
        return slice(bound(), bound(), rng.choice([None, 1, 2, 3]))
    if kind == 2:
        return None
    if kind == 3:
        return Ellipsis
    if kind == 4:
        return rng.choice([True, False])
    if kind == 5:
        return torch.tensor([rng.randint(-size, hi) for _ in range(rng.randint(0, 3))], dtype=torch.int64)
    if kind == 6:
        return [rng.randint(-size, hi) for _ in range(rng.randint(1, 3))]
    if kind == 7:
        return torch.tensor([rng.random() < 0.5 for _ in range(size)])
    return torch.tensor(rng.randint(-size, hi))


def outcome(f):
    try:
        r = f()
        return ("ok", tuple(r.shape), r.tolist())
    except Exception as e:
        return ("error", type(e).__name__, str(e))


@pytest.mark.parametrize("seed", range(3))
def test_random_keys_match_pytorch(seed):
    """Random shapes (with empty dims) and random keys: the same values or the same error, for __getitem__ and
    for __setitem__ with a number and with a tensor of the result's shape. Keys with two Ellipses and bare slices
    of 0-dim tensors are left out (PyTorch reads past the sizes for them)."""
    import random
    rng = random.Random(seed)
    done = 0
    while done < 100:
        shape = tuple(rng.randint(0, 4) for _ in range(rng.randint(0, 4)))
        dims = list(shape) + [3] * 4
        key = tuple(random_entry(rng, dims[i]) for i in range(rng.randint(0, 4)))
        if sum(k is Ellipsis for k in key) > 1:
            continue
        if len(key) == 1 and rng.random() < 0.5:
            key = key[0]
        if not shape and isinstance(key, slice):
            continue
        done += 1
        t = torch.arange(int(np.prod(shape))).reshape(shape)
        assert outcome(lambda: E(t)[ekey(key)]) == outcome(lambda: t[key]), key
        target = outcome(lambda: t[key])
        values = [-7]
        if target[0] == "ok":
            values.append(-torch.arange(int(np.prod(target[1]))).reshape(target[1]) - 1)
        for v in values:
            def put(x, k, v):
                x[k] = v
                return x
            assert outcome(lambda: put(E(t), ekey(key), ekey(v))) == outcome(lambda: put(t.clone(), key, v)), key
