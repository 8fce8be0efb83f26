"""Side-by-side checks of ember.nn.functional against torch.nn.functional: a case is a callable
`call(F, M, *tensors)` run once with (torch.nn.functional, torch) and once with (ember.nn.functional,
ember) on tensors made from the same numpy arrays. Floating arrays become tensors of the case's dtype
that require grad (unless wrapped in Const); integer arrays stay integer. The outputs are compared in
dtype, shape and value, then both are backpropagated with the same random upstream gradient and the
inputs' gradients compared."""
import numpy as np
import pytest
import torch

import ember
import ember.nn.functional

DTYPES = {"float32": (torch.float32, ember.float32, np.float32), "float64": (torch.float64, ember.float64, np.float64)}
# By result dtype. float32: torch.testing's defaults for float32; float64: tight.
TOL = {"float32": dict(rtol=1.3e-6, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-12)}


class Const:
    """A floating input that does not require grad (a target, running statistics)."""

    def __init__(self, array):
        self.array = np.asarray(array)


def rand(*shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def make_inputs(arrays, dtype):
    """The torch and the ember tensors of `arrays`, in dtype where floating."""
    ndt = DTYPES[dtype][2]
    ts, es = [], []
    for a in arrays:
        grad = not isinstance(a, Const)
        a = a.array if isinstance(a, Const) else np.asarray(a)
        if a.dtype.kind == "f":
            a = a.astype(ndt)
        else:
            grad = False
        ts.append(torch.from_numpy(a.copy()).requires_grad_(grad))
        es.append(ember.from_numpy(a.copy()).requires_grad_(grad))
    return ts, es


def to_numpy(t):
    return t.detach().numpy()


def assert_same(e, t):
    """Same dtype, shape and values, at the tolerance of the result's dtype."""
    assert isinstance(e, ember.Tensor), type(e)
    assert repr(e.dtype).split(".")[1] == repr(t.dtype).split(".")[1], (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (e.shape, t.shape)
    tol = TOL[str(t.dtype).split(".")[1]] if t.is_floating_point() else dict(rtol=0, atol=0)
    np.testing.assert_allclose(to_numpy(e), to_numpy(t), equal_nan=True, **tol)


def compare(call, *arrays, dtype="float64", grad=True, seed=1):
    """Runs `call` under both frameworks and checks values and (with grad) input gradients."""
    ts, es = make_inputs(arrays, dtype)
    t_out = call(torch.nn.functional, torch, *ts)
    e_out = call(ember.nn.functional, ember, *es)
    assert_same(e_out, t_out)
    if not grad or not t_out.requires_grad:
        return e_out, t_out
    g = np.random.default_rng(seed).standard_normal(tuple(t_out.shape)).astype(DTYPES[dtype][2])
    t_out.backward(torch.from_numpy(g.copy()))
    e_out.backward(ember.from_numpy(g.copy()))
    for e, t in zip(es, ts):
        if t.requires_grad:
            assert (e.grad is None) == (t.grad is None)
            if t.grad is not None:
                assert_same(e.grad, t.grad)
    return e_out, t_out


def check_error(call, exc, fragment, array):
    """call(F, M, t) raises exc with `fragment` in its message in torch and in ember alike."""
    [t], [e] = make_inputs([array], "float64")
    with pytest.raises(exc) as te:
        call(torch.nn.functional, torch, t)
    assert fragment in str(te.value)
    with pytest.raises(exc) as ee:
        call(ember.nn.functional, ember, e)
    assert fragment in str(ee.value), str(ee.value)
