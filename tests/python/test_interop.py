"""NumPy and DLPack interop (zero-copy both ways) and ember.tensor / ember.as_tensor from Python data,
checked against PyTorch: the same dtypes, shapes, strides, values, memory sharing and errors."""
import gc
import sys
import threading
import warnings

import numpy as np
import pytest
import torch
import torch.utils.dlpack

import ember

NUMPY_DTYPES = ["uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64", "bool"]
ALL_DTYPES = NUMPY_DTYPES + ["bfloat16"]


def dtype_name(d):
    return repr(d).split(".")[-1]


def assert_same(e, t):
    assert isinstance(e, ember.Tensor)
    assert dtype_name(e.dtype) == dtype_name(t.dtype), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape)
    assert e.tolist() == t.tolist()
    assert e.requires_grad == t.requires_grad


def raises_like(fn):
    with pytest.raises(Exception) as te:
        fn(torch)
    with pytest.raises(Exception) as ee:
        fn(ember)
    assert isinstance(ee.value, type(te.value)), (ee.value, te.value)
    return ee.value, te.value


def sample(dt, shape=(2, 3)):
    n = int(np.prod(shape))
    if dt == "bool":
        return (np.arange(n) % 3 == 0).reshape(shape)
    return (np.arange(n) % 7).astype(dt).reshape(shape)


def address(a):
    return a.__array_interface__["data"][0]


# ---- Tensor.numpy() ----

@pytest.mark.parametrize("dt", NUMPY_DTYPES)
def test_numpy_dtype_and_values_match_torch(dt):
    a = sample(dt)
    e = ember.from_numpy(a.copy()).numpy()
    t = torch.from_numpy(a.copy()).numpy()
    assert e.dtype == t.dtype and e.shape == t.shape and e.strides == t.strides
    assert np.array_equal(e, t)


def test_numpy_shares_memory():
    x = ember.zeros(2, 3)
    a = x.numpy()
    assert address(a) == x.data_ptr()
    assert a.flags.writeable and not a.flags.owndata
    a[1, 2] = 7.5
    assert x.tolist()[1][2] == 7.5
    x.uniform_(3, 4)
    assert np.array_equal(a, np.array(x.tolist(), dtype=np.float32))
    assert np.shares_memory(a, x.numpy())


def test_numpy_keeps_storage_alive():
    x = ember.arange(6, dtype=ember.float64)
    a = x.numpy()
    del x
    gc.collect()
    ember.zeros(6, dtype=ember.float64)  # would reuse the freed buffer
    assert a.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    a[0] = 9
    assert a[0] == 9


def test_numpy_strided_views_match_torch():
    for size, stride in [((3, 4), (1, 3)), ((2, 3), (0, 1)), ((2, 2), (4, 1)), ((3,), (2,)), ((), ())]:
        e = ember.empty_strided(size, stride, dtype=ember.float64).numpy()
        t = torch.empty_strided(size, stride, dtype=torch.float64).numpy()
        assert e.shape == t.shape and e.strides == t.strides


def test_numpy_of_views_of_numpy_arrays():
    base = np.arange(24, dtype=np.float32).reshape(4, 6)
    for view in [base[:, ::2], base.T, base[1:, 2:], base[::3, ::-1][:, ::-1] if False else base[::3]]:
        e = ember.from_numpy(view)
        t = torch.from_numpy(view)
        assert e.stride() == t.stride() and e.shape == t.shape and e.storage_offset() == t.storage_offset()
        assert e.tolist() == t.tolist()
        out = e.numpy()
        assert out.strides == t.numpy().strides and np.shares_memory(out, base)
        assert np.array_equal(out, view)


def test_numpy_zero_size_and_zero_dim():
    for make in [lambda m: m.zeros(0), lambda m: m.zeros(2, 0, 3), lambda m: m.full((), 4.0), lambda m: m.empty(0, 5)]:
        e, t = make(ember).numpy(), make(torch).numpy()
        assert e.shape == t.shape and e.dtype == t.dtype and e.strides == t.strides
        assert np.array_equal(e, t)


def test_numpy_errors_match_torch():
    e, t = raises_like(lambda m: m.ones(2, requires_grad=True).numpy())
    assert str(e) == str(t)
    e, t = raises_like(lambda m: m.ones(2, dtype=m.bfloat16).numpy())
    assert str(e) == str(t)
    e, t = raises_like(lambda m: np.asarray(m.ones(2, requires_grad=True)))
    assert str(e) == str(t)


def test_numpy_force():
    x = ember.ones(3, requires_grad=True)
    a = x.numpy(force=True)
    t = torch.ones(3, requires_grad=True).numpy(force=True)
    assert a.dtype == t.dtype and np.array_equal(a, t)
    assert address(a) == x.data_ptr()


# ---- __array__ ----

@pytest.mark.parametrize("dt", NUMPY_DTYPES)
def test_array_protocol(dt):
    a = sample(dt)
    x = ember.from_numpy(a)
    e = np.asarray(x)
    assert e.dtype == a.dtype and np.shares_memory(e, a)
    assert np.array_equal(e, np.asarray(torch.from_numpy(a)))
    c = np.array(x)
    assert not np.shares_memory(c, a) and np.array_equal(c, a)
    f = np.asarray(x, dtype=np.float64)
    assert f.dtype == np.float64 and np.array_equal(f, np.asarray(torch.from_numpy(a), dtype=np.float64))


def test_array_protocol_copy_keyword():
    x = ember.arange(4, dtype=ember.float32)
    assert address(x.__array__()) == x.data_ptr()
    assert address(x.__array__(copy=False)) == x.data_ptr()
    c = x.__array__(copy=True)
    assert address(c) != x.data_ptr() and c.tolist() == x.tolist()
    assert x.__array__(np.float64, copy=True).dtype == np.float64


def test_numpy_ufuncs_return_tensors_like_torch():
    x, t = ember.arange(3.0), torch.arange(3.0)
    for f in [np.sin, lambda v: np.add(v, 1), np.negative, lambda v: np.equal(v, v), lambda v: np.multiply(v, v)]:
        e, r = f(x), f(t)
        assert isinstance(e, ember.Tensor)
        assert dtype_name(e.dtype) == dtype_name(r.dtype) and e.tolist() == r.tolist()
    assert ember.Tensor.__array_priority__ == torch.Tensor.__array_priority__


def test_array_protocol_in_numpy_functions():
    x = ember.arange(6, dtype=ember.float64)
    t = torch.arange(6, dtype=torch.float64)
    assert np.sum(np.asarray(x)) == np.sum(np.asarray(t))
    assert np.array_equal(np.stack([x, x]), np.stack([t, t]))


# ---- ember.from_numpy ----

@pytest.mark.parametrize("dt", NUMPY_DTYPES)
def test_from_numpy_dtypes_match_torch(dt):
    a = sample(dt)
    assert_same(ember.from_numpy(a), torch.from_numpy(a))
    assert ember.from_numpy(a).data_ptr() == address(a)


def test_from_numpy_shares_memory_both_ways():
    a = np.zeros((2, 3), dtype=np.float32)
    x = ember.from_numpy(a)
    a[0, 1] = 5
    assert x.tolist()[0][1] == 5
    x.uniform_(1, 2)
    assert np.all((a >= 1) & (a < 2))
    assert x.tolist() == a.tolist()
    assert x.is_contiguous() and x.stride() == (3, 1)


def test_from_numpy_fortran_and_sliced_strides():
    a = np.asfortranarray(np.arange(12, dtype=np.int64).reshape(3, 4))
    e, t = ember.from_numpy(a), torch.from_numpy(a)
    assert e.stride() == t.stride() == (1, 3) and e.tolist() == t.tolist()
    b = np.arange(20, dtype=np.int16)[3:17:3]
    e, t = ember.from_numpy(b), torch.from_numpy(b)
    assert e.stride() == t.stride() and e.tolist() == t.tolist() and e.data_ptr() == address(b)


def test_from_numpy_keeps_the_strides_of_size_one_dims():
    for a in [np.zeros((1, 4), np.float32).T, np.zeros((3, 1, 4), np.float64)[:, :, ::2], np.zeros((2, 1), np.int8)]:
        e, t = ember.from_numpy(a), torch.from_numpy(a)
        assert e.stride() == t.stride() and e.shape == t.shape and e.data_ptr() == address(a)


def test_from_numpy_zero_dim_and_empty():
    for a in [np.array(3.5), np.zeros((0, 4), dtype=np.int32), np.zeros(0, dtype=bool)]:
        assert_same(ember.from_numpy(a), torch.from_numpy(a))


def test_from_numpy_keeps_array_alive():
    a = np.arange(5, dtype=np.float64)
    before = sys.getrefcount(a)
    x = ember.from_numpy(a)
    assert sys.getrefcount(a) > before
    del a
    gc.collect()
    np.zeros(5)  # would reuse the freed buffer
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_from_numpy_releases_array():
    a = np.arange(5, dtype=np.float64)
    before = sys.getrefcount(a)
    x = ember.from_numpy(a)
    v = x.numpy()
    del x
    gc.collect()
    assert sys.getrefcount(a) > before  # the numpy view of the tensor still holds the storage
    del v
    gc.collect()
    assert sys.getrefcount(a) == before


def test_from_numpy_storage_released_from_other_threads():
    # The last reference may go on a thread other than the one that imported the array.
    a = np.arange(1000, dtype=np.float32)
    before = sys.getrefcount(a)
    tensors = [ember.from_numpy(a) for _ in range(8)]

    def drop(i):
        tensors[i] = None

    threads = [threading.Thread(target=drop, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    gc.collect()
    assert sys.getrefcount(a) == before


def test_from_numpy_storage_released_inside_backward():
    # backward releases the GIL; freeing the graph there drops the last reference to the array.
    if not hasattr(ember.Tensor, "__mul__"):
        pytest.skip("needs the pointwise bindings")
    a = np.full(4, 3.0, dtype=np.float32)
    before = sys.getrefcount(a)
    w = ember.ones(4, requires_grad=True)
    y = w * ember.from_numpy(a)
    gc.collect()
    assert sys.getrefcount(a) > before
    y.backward(ember.ones(4))
    del y
    gc.collect()
    assert sys.getrefcount(a) == before
    assert w.grad.tolist() == [3.0] * 4


def test_from_numpy_readonly_warns_like_torch():
    a = np.arange(3, dtype=np.float32)
    a.flags.writeable = False
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        torch.from_numpy(a)
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        x = ember.from_numpy(a)
    assert [w.category for w in ew] == [w.category for w in tw] == [UserWarning]
    assert x.tolist() == [0.0, 1.0, 2.0] and x.data_ptr() == address(a)


def test_from_numpy_errors_match_torch():
    cases = [
        lambda m: m.from_numpy([1, 2]),
        lambda m: m.from_numpy(3.0),
        lambda m: m.from_numpy(np.arange(5)[::-1]),
        lambda m: m.from_numpy(np.arange(12).reshape(3, 4)[:, ::-2]),
        lambda m: m.from_numpy(np.arange(5, dtype=">i4")),
        lambda m: m.from_numpy(np.arange(5, dtype=np.uint16)),
        lambda m: m.from_numpy(np.array(["a"], dtype=object)),
        lambda m: m.from_numpy(np.ndarray((3,), dtype=np.int16, buffer=np.zeros(10, np.uint8), offset=1,
                                          strides=(3,))),
    ]
    for i, case in enumerate(cases):
        e, t = raises_like(case)
        if i not in (5, 6):  # the list of supported dtypes differs: ember has no complex dtypes
            assert str(e) == str(t)


def test_from_numpy_complex_is_unsupported():
    with pytest.raises(TypeError):
        ember.from_numpy(np.zeros(2, dtype=np.complex64))


# ---- DLPack ----

@pytest.mark.parametrize("dt", ALL_DTYPES)
def test_torch_from_dlpack_of_ember(dt):
    x = ember.from_numpy(sample("float32")).to(getattr(ember, dt))
    if dt == "bool" and torch.__version__ < "2":
        with pytest.raises(RuntimeError):  # 1.13 predates DLPack's bool (docs/DIFFERENCES.md)
            torch.from_dlpack(x)
        return
    t = torch.from_dlpack(x)
    assert dtype_name(t.dtype) == dt and t.tolist() == x.tolist()
    assert t.data_ptr() == x.data_ptr() and t.stride() == x.stride()


def test_dlpack_bool_to_numpy():
    x = ember.from_numpy(sample("bool"))
    if not hasattr(np, "from_dlpack"):
        pytest.skip("NumPy without from_dlpack")
    try:
        a = np.from_dlpack(x)
    except (BufferError, TypeError, RuntimeError):
        pytest.skip("this NumPy cannot import DLPack bool")
    assert a.dtype == np.bool_ and a.tolist() == x.tolist()


@pytest.mark.parametrize("dt", ALL_DTYPES)
def test_ember_from_dlpack_of_torch(dt):
    t = torch.arange(6).reshape(2, 3).to(getattr(torch, dt))
    if dt == "bool":
        e, te = raises_like(lambda m: m.from_dlpack(t))  # PyTorch 1.13 does not export bool
        assert str(e) == str(te)
        return
    x = ember.from_dlpack(t)
    assert_same(x, t)
    assert x.data_ptr() == t.data_ptr()


def test_dlpack_shares_memory_ember_to_torch():
    x = ember.zeros(2, 3)
    t = torch.from_dlpack(x)
    t[1, 1] = 4.0  # write through torch, read through ember
    assert x.tolist()[1][1] == 4.0
    x.uniform_(5, 6)  # write through ember, read through torch
    assert t.tolist() == x.tolist() and bool((t >= 5).all())


def test_dlpack_shares_memory_torch_to_ember():
    t = torch.zeros(2, 3, dtype=torch.float64)
    x = ember.from_dlpack(t)
    x.uniform_(1, 2)
    assert t.tolist() == x.tolist() and bool((t >= 1).all())
    t.add_(10)
    assert x.tolist() == t.tolist()


def test_dlpack_strided():
    t = torch.arange(12, dtype=torch.float32).reshape(3, 4).t()[1:]
    x = ember.from_dlpack(t)
    assert x.stride() == t.stride() and x.shape == t.shape and x.tolist() == t.tolist()
    assert x.data_ptr() == t.data_ptr()
    back = torch.from_dlpack(x)
    assert back.stride() == t.stride() and back.data_ptr() == t.data_ptr()
    y = ember.empty_strided((3, 2), (1, 3))
    assert torch.from_dlpack(y).stride() == (1, 3)


def test_dlpack_lifetimes():
    x = ember.arange(5, dtype=ember.float64)
    t = torch.from_dlpack(x)
    del x
    gc.collect()
    ember.zeros(5, dtype=ember.float64)
    assert t.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    t2 = torch.arange(4, dtype=torch.int32)
    y = ember.from_dlpack(t2)
    del t2
    gc.collect()
    assert y.tolist() == [0, 1, 2, 3]


def test_dlpack_capsules():
    t = torch.arange(4, dtype=torch.int64)
    capsule = torch.utils.dlpack.to_dlpack(t)
    x = ember.from_dlpack(capsule)
    assert x.tolist() == [0, 1, 2, 3] and x.data_ptr() == t.data_ptr()
    with pytest.raises(Exception):
        ember.from_dlpack(capsule)  # a capsule is consumed once, as in torch
    y = ember.arange(3)
    t2 = torch.utils.dlpack.from_dlpack(y.__dlpack__())
    assert t2.tolist() == [0, 1, 2] and t2.data_ptr() == y.data_ptr()
    assert type(y.__dlpack__()).__name__ == "PyCapsule"
    assert type(y.__dlpack__(None)).__name__ == "PyCapsule"
    assert type(y.__dlpack__(stream=None)).__name__ == "PyCapsule"


def test_dlpack_device_matches_torch():
    assert tuple(ember.zeros(2).__dlpack_device__()) == tuple(torch.zeros(2).__dlpack_device__()) == (1, 0)


def test_dlpack_requires_grad_error():
    e, t = raises_like(lambda m: m.ones(2, requires_grad=True).__dlpack__())
    assert str(e) == str(t)
    t = torch.ones(2, requires_grad=True)
    x = ember.from_dlpack(t.detach())
    assert not x.requires_grad


def test_dlpack_from_numpy_and_ember():
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    x = ember.from_dlpack(a)
    assert x.data_ptr() == address(a) and x.tolist() == a.tolist()
    a[0, 0] = 42
    assert x.tolist()[0][0] == 42
    y = ember.from_dlpack(x)
    assert y.data_ptr() == x.data_ptr() and y.tolist() == x.tolist()
    if hasattr(np, "from_dlpack"):
        b = np.from_dlpack(x)
        assert address(b) == x.data_ptr()


def test_dlpack_zero_dim_and_empty():
    for make in [lambda m: m.full((), 2.5), lambda m: m.zeros(0, 3)]:
        x = make(ember)
        t = torch.from_dlpack(x)
        assert t.shape == make(torch).shape and t.tolist() == make(torch).tolist()
        y = ember.from_dlpack(make(torch))
        assert_same(y, make(torch))


def test_from_dlpack_rejects_other_objects():
    with pytest.raises(TypeError):
        ember.from_dlpack([1, 2, 3])
    with pytest.raises(TypeError):
        ember.from_dlpack(3)
    with pytest.raises(TypeError):
        ember.from_dlpack(None)
    a = np.arange(3.0)
    a.flags.writeable = False
    raises_like(lambda m: m.from_dlpack(a))  # NumPy refuses to export read-only arrays


# ---- ember.tensor ----

TENSOR_DATA = [
    3, 2.5, True, -7, 0.0,
    [], [[]], [[], []], (), [1, 2, 3], (1, 2), [1.0, 2], [True, False], [True, 2], [True, 2.5],
    [[1, 2], [3, 4]], [[[1.5]], [[2]]], [(1, 2), [3, 4]], range(4),
    [1, 2.5, True], [2 ** 62, -(2 ** 63)], [float("inf"), float("-inf")],
    [np.float32(1), 2], [np.float64(1), 2.0], [np.float16(1), 2.0], [np.int32(1), 2], [np.int8(1), True],
    [np.bool_(True), np.bool_(False)], np.float32(1.5), np.int16(3),
]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=[repr(d)[:30] for d in TENSOR_DATA])
def test_tensor_from_python_data(data):
    assert_same(ember.tensor(data), torch.tensor(data))


def test_tensor_nan():
    e, t = ember.tensor([float("nan"), 1.0]), torch.tensor([float("nan"), 1.0])
    assert np.isnan(e.tolist()[0]) and dtype_name(e.dtype) == dtype_name(t.dtype)


def test_tensor_size_argument_like_torch():
    assert_same(ember.tensor(ember.Size([2, 3])), torch.tensor(torch.Size([2, 3])))


@pytest.mark.parametrize("dt", ALL_DTYPES)
@pytest.mark.parametrize("data", [[1, 0, 3], [[1.5, -2.0], [0.0, 7.25]], [True, False], 5, 1.5])
def test_tensor_with_dtype(dt, data):
    try:
        t = torch.tensor(data, dtype=getattr(torch, dt))
    except RuntimeError:
        raises_like(lambda m: m.tensor(data, dtype=getattr(m, dt)))
        return
    assert_same(ember.tensor(data, dtype=getattr(ember, dt)), t)


def test_tensor_default_dtype():
    ember.set_default_dtype(ember.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for data in [1.5, [1, 2.5], [], [np.float32(1), 2.0], [[1]]]:
            assert_same(ember.tensor(data), torch.tensor(data))
    finally:
        torch.set_default_dtype(torch.float32)


def test_tensor_requires_grad_and_device():
    e = ember.tensor([1.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    assert_same(e, t)
    assert e.is_leaf and e.grad is None
    assert ember.tensor([1], device="cpu").device == ember.device("cpu")
    e, t = raises_like(lambda m: m.tensor([1, 2], requires_grad=True))
    assert str(e) == str(t)


def test_tensor_from_numpy_copies():
    for dt in NUMPY_DTYPES:
        a = sample(dt)
        e, t = ember.tensor(a), torch.tensor(a)
        assert_same(e, t)
        assert e.data_ptr() != address(a)
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    e = ember.tensor(a)
    a[0, 0] = 100
    assert e.tolist()[0][0] == 0
    assert_same(ember.tensor(a.T, dtype=ember.int32), torch.tensor(a.T, dtype=torch.int32))
    assert_same(ember.tensor(np.array(5.0)), torch.tensor(np.array(5.0)))
    assert_same(ember.tensor([np.arange(2), np.arange(2)]), torch.tensor(np.array([np.arange(2), np.arange(2)])))


def test_tensor_from_tensor_copies_and_warns():
    x = ember.arange(3.0, requires_grad=True)
    with pytest.warns(UserWarning):
        y = ember.tensor(x)
    assert y.data_ptr() != x.data_ptr() and not y.requires_grad and y.is_leaf and y.tolist() == [0.0, 1.0, 2.0]
    with pytest.warns(UserWarning):
        z = ember.tensor(x, dtype=ember.int64, requires_grad=False)
    assert z.dtype is ember.int64
    with pytest.warns(UserWarning):
        w = ember.tensor(x, requires_grad=True)
    assert w.requires_grad and w.is_leaf


def test_tensor_of_one_element_tensors():
    assert_same(ember.tensor([ember.tensor(1), 2]), torch.tensor([torch.tensor(1), 2]))
    assert_same(ember.tensor([ember.tensor(1.5, dtype=ember.float64), 2]),
                torch.tensor([torch.tensor(1.5, dtype=torch.float64), 2]))
    assert_same(ember.tensor([ember.ones(1), ember.ones(1)]), torch.tensor([torch.ones(1), torch.ones(1)]))


TENSOR_ERRORS = [
    lambda m: m.tensor([[1, 2], [3]]),
    lambda m: m.tensor([[1, 2], 3]),
    lambda m: m.tensor([1, [2, 3]]),
    lambda m: m.tensor([[1], [2, 3]]),
    lambda m: m.tensor(["a"]),
    lambda m: m.tensor("a"),
    lambda m: m.tensor([None]),
    lambda m: m.tensor(None),
    lambda m: m.tensor([None], dtype=m.float32),
    lambda m: m.tensor([1, [2]], dtype=m.float32),
    lambda m: m.tensor([m.ones(2), m.ones(2)]),
    lambda m: m.tensor(2 ** 63),
    lambda m: m.tensor([2 ** 64]),
    lambda m: m.tensor([128], dtype=m.int8),
    lambda m: m.tensor([-129], dtype=m.int8),
    lambda m: m.tensor([1e10], dtype=m.int32),
    lambda m: m.tensor([float("nan")], dtype=m.int32),
    lambda m: m.tensor([1e400, 1], dtype=m.int64),
    lambda m: m.tensor([300], dtype=m.uint8),
    lambda m: m.tensor([-256], dtype=m.uint8),
    lambda m: m.tensor(np.arange(5)[::-1]),
    lambda m: m.tensor(np.arange(3, dtype=np.uint16)),
    lambda m: m.tensor([np.uint16(1)]),
    lambda m: m.tensor([1.0], dtype="float32"),
    lambda m: m.tensor([-0.5], dtype=m.uint8),
    lambda m: m.tensor([255.5], dtype=m.uint8),
    lambda m: m.tensor([127.5], dtype=m.int8),
    lambda m: m.tensor([float("inf")], dtype=m.int8),
    lambda m: m.tensor([9.3e18], dtype=m.int64),
]


@pytest.mark.parametrize("call", TENSOR_ERRORS)
def test_tensor_errors_match_torch(call):
    raises_like(call)


def test_tensor_error_messages():
    for call in [TENSOR_ERRORS[0], TENSOR_ERRORS[4], TENSOR_ERRORS[5], TENSOR_ERRORS[6], TENSOR_ERRORS[8],
                 TENSOR_ERRORS[10], TENSOR_ERRORS[11], TENSOR_ERRORS[13], TENSOR_ERRORS[15]]:
        e, t = raises_like(call)
        assert str(e) == str(t)


def test_tensor_unsigned_wraps_like_torch():
    assert_same(ember.tensor([-1, -255], dtype=ember.uint8), torch.tensor([-1, -255], dtype=torch.uint8))
    assert_same(ember.tensor([1e10, -1e10], dtype=ember.float16), torch.tensor([1e10, -1e10], dtype=torch.float16))
    assert_same(ember.tensor([2, 0.5, 0], dtype=ember.bool), torch.tensor([2, 0.5, 0], dtype=torch.bool))
    assert_same(ember.tensor([1.7, -2.7], dtype=ember.int32), torch.tensor([1.7, -2.7], dtype=torch.int32))
    assert_same(ember.tensor([255.0, -0.0], dtype=ember.uint8), torch.tensor([255.0, -0.0], dtype=torch.uint8))
    assert_same(ember.tensor([2.0 ** 63, -2.0 ** 63], dtype=ember.int64),
                torch.tensor([2.0 ** 63, -2.0 ** 63], dtype=torch.int64))


# ---- ember.as_tensor ----

def test_as_tensor_shares_numpy_memory():
    for dt in NUMPY_DTYPES:
        a = sample(dt)
        x = ember.as_tensor(a)
        assert_same(x, torch.as_tensor(a))
        assert x.data_ptr() == address(a)
    a = np.arange(4, dtype=np.float32)
    x = ember.as_tensor(a)
    a[0] = 9
    assert x.tolist()[0] == 9
    y = ember.as_tensor(a, dtype=ember.float64)
    assert y.data_ptr() != address(a)
    assert_same(y, torch.as_tensor(a, dtype=torch.float64))
    assert ember.as_tensor(a, dtype=ember.float32).data_ptr() == address(a)


def test_as_tensor_of_tensors_and_lists():
    x = ember.arange(3.0)
    assert ember.as_tensor(x).data_ptr() == x.data_ptr()
    assert ember.as_tensor(x, ember.float32).data_ptr() == x.data_ptr()
    y = ember.as_tensor(x, dtype=ember.float64)
    assert y.dtype is ember.float64 and y.data_ptr() != x.data_ptr()
    for data in [[1, 2], [[1.5], [2]], 3, True]:
        assert_same(ember.as_tensor(data), torch.as_tensor(data))
    assert_same(ember.as_tensor([1, 2], dtype=ember.float64), torch.as_tensor([1, 2], dtype=torch.float64))
    assert ember.as_tensor([1.0], device="cpu").device == ember.device("cpu")


def test_as_tensor_errors_match_torch():
    for call in [lambda m: m.as_tensor(np.arange(5)[::-1]), lambda m: m.as_tensor(np.arange(3, dtype=np.uint16)),
                 lambda m: m.as_tensor([[1], [2, 3]]), lambda m: m.as_tensor("a")]:
        raises_like(call)


# ---- 100 MB zero-copy ----

def test_100mb_from_numpy_and_numpy_are_zero_copy():
    n = 100 * 1024 * 1024 // 8
    a = np.zeros(n, dtype=np.float64)
    x = ember.from_numpy(a)
    assert x.data_ptr() == address(a) and x.nbytes == a.nbytes == 100 * 1024 * 1024
    a[n - 1] = 3.0
    a[n // 2] = 2.0
    v = x.numpy()
    assert np.shares_memory(v, a) and address(v) == address(a)
    assert v[n - 1] == 3.0 and v[n // 2] == 2.0
    y = ember.empty(n, dtype=ember.float64)
    w = y.numpy()
    assert address(w) == y.data_ptr() and w.nbytes == y.nbytes
    w[0] = 1.5
    assert ember.from_numpy(w[:1]).tolist() == [1.5]
    assert np.shares_memory(np.asarray(y), w)
    t = torch.from_dlpack(y)
    assert t.data_ptr() == y.data_ptr()
