"""Side-by-side checks of an ember.nn layer against torch.nn's: a case is a constructor expression evaluated
once with `nn` = torch.nn and once with `nn` = ember.nn (tensor arguments go through `T`, which builds the
framework's tensor from a numpy array), plus numpy inputs. torch's parameters and buffers are copied into the
ember layer through load_state_dict (strict), so the state_dict keys and shapes must match torch's; then
forward outputs, input gradients and parameter gradients (backward with one random upstream gradient) are
compared in the case's dtype."""
import numpy as np
import torch

import ember

DTYPES = {"float32": (torch.float32, ember.float32, np.float32), "float64": (torch.float64, ember.float64, np.float64)}
# float32: torch.testing's defaults for float32; float64: tight.
TOL = {"float32": dict(rtol=1.3e-6, atol=1e-5), "float64": dict(rtol=1e-10, atol=1e-12)}


class Const:
    """A floating input that does not require grad (a loss's target, say)."""

    def __init__(self, array):
        self.array = np.asarray(array)


def to_numpy(t):
    return t.detach().numpy()


def make_pair(expr, dtype="float64", env=None):
    """The torch and the ember layer of one constructor expression, ember's holding torch's state."""
    tdt, edt, ndt = DTYPES[dtype]

    def T_torch(a):
        a = np.asarray(a)
        return torch.from_numpy(a.astype(ndt) if a.dtype.kind == "f" else a.copy())

    def T_ember(a):
        a = np.asarray(a)
        return ember.from_numpy(a.astype(ndt) if a.dtype.kind == "f" else a.copy())

    env = dict(env or {})
    tm = eval(expr, {"nn": torch.nn, "T": T_torch, **env})
    em = eval(expr, {"nn": ember.nn, "T": T_ember, **env})
    tm.to(tdt)
    em.to(edt)
    copy_state(tm, em)
    return tm, em


def copy_state(tm, em):
    tsd = tm.state_dict()
    assert list(em.state_dict().keys()) == list(tsd.keys())
    em.load_state_dict({k: ember.from_numpy(v.detach().numpy().copy()) for k, v in tsd.items()}, strict=True)
    for k, v in em.state_dict().items():
        assert tuple(v.shape) == tuple(tsd[k].shape), k
        np.testing.assert_array_equal(v.numpy(), tsd[k].numpy())


def assert_close(e, t, dtype, what=""):
    e = to_numpy(e)
    t = to_numpy(t)
    assert e.shape == t.shape, (what, e.shape, t.shape)
    assert e.dtype == t.dtype, (what, e.dtype, t.dtype)
    np.testing.assert_allclose(e, t, err_msg=what, **TOL.get(dtype, dict(rtol=0, atol=0)))


def outputs(y):
    return list(y) if isinstance(y, (tuple, list)) else [y]


def check_layer(expr, inputs, dtype="float64", env=None, train=True, grad=True, kwargs=None, seed=0):
    """Forward and backward of `expr`'s layers on `inputs` (numpy arrays; floating ones get requires_grad
    unless wrapped in Const)
    agree; returns the pair for further checks."""
    tm, em = make_pair(expr, dtype, env)
    tm.train(train)
    em.train(train)
    tdt, edt, ndt = DTYPES[dtype]
    tin, ein = [], []
    for a in inputs:
        const = isinstance(a, Const)
        a = a.array if const else np.asarray(a)
        if a.dtype.kind == "f":
            a = a.astype(ndt)
            tin.append(torch.from_numpy(a.copy()).requires_grad_(grad and not const))
            ein.append(ember.from_numpy(a.copy()).requires_grad_(grad and not const))
        else:
            tin.append(torch.from_numpy(a.copy()))
            ein.append(ember.from_numpy(a.copy()))
    kwargs = kwargs or {}
    ty = outputs(tm(*tin, **kwargs))
    ey = outputs(em(*ein, **kwargs))
    assert len(ty) == len(ey)
    for i, (e, t) in enumerate(zip(ey, ty)):
        assert_close(e, t, dtype, "output %d of %s" % (i, expr))
    for k, v in tm.state_dict().items():  # buffers the forward updated (running statistics)
        assert_close(em.state_dict()[k], v, dtype, "state %s of %s" % (k, expr))
    if not grad:
        return tm, em
    rng = np.random.default_rng(seed + 1)
    tl, el = 0, 0
    for e, t in zip(ey, ty):
        if not t.dtype.is_floating_point or not t.requires_grad:
            continue
        g = rng.standard_normal(tuple(t.shape)).astype(ndt)
        tl = tl + (t * torch.from_numpy(g)).sum()
        el = el + (e * ember.from_numpy(g)).sum()
    tl.backward()
    el.backward()
    for i, (e, t) in enumerate(zip(ein, tin)):
        if t.grad is not None:
            assert e.grad is not None, "input %d of %s has no gradient" % (i, expr)
            assert_close(e.grad, t.grad, dtype, "gradient of input %d of %s" % (i, expr))
    eparams = dict(em.named_parameters())
    for name, p in tm.named_parameters():
        if p.grad is not None:
            assert eparams[name].grad is not None, name
            assert_close(eparams[name].grad, p.grad, dtype, "gradient of %s of %s" % (name, expr))
    return tm, em


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def rand(*shape, seed=0, low=0.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def randint(high, *shape, seed=0, low=0):
    return np.random.default_rng(seed).integers(low, high, shape, dtype=np.int64)
