"""ember.nn.utils (gradient clipping, parameters <-> vector) and ember.utils.checkpoint against torch:
the same gradients clipped by both give the same norms and results; checkpointed models give the
gradients of the uncheckpointed run."""
import math
import warnings

import numpy as np
import pytest
import torch
import torch.utils.checkpoint

import ember
from ember.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters
from ember.utils.checkpoint import checkpoint, checkpoint_sequential

SHAPES = [(3, 4), (4,), (2, 2, 3)]


def params_with_grads(dtype=np.float64, none_at=None, seed=0):
    rng = np.random.default_rng(seed)
    e, t = [], []
    for i, shape in enumerate(SHAPES):
        v, g = rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype) * 3
        pe, pt = ember.nn.Parameter(ember.tensor(v)), torch.nn.Parameter(torch.tensor(v))
        if i != none_at:
            pe.grad, pt.grad = ember.tensor(g), torch.tensor(g)
        e.append(pe)
        t.append(pt)
    return e, t


def assert_grads_equal(e, t, rtol):
    for pe, pt in zip(e, t):
        if pt.grad is None:
            assert pe.grad is None
        else:
            np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=rtol, atol=rtol)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_is_torchs(norm_type, max_norm):
    e, t = params_with_grads(none_at=1)
    ne = clip_grad_norm_((p for p in e), max_norm, norm_type)  # any iterable, as model.parameters()
    nt = torch.nn.utils.clip_grad_norm_(iter(t), max_norm, norm_type)
    assert ne.dim() == 0 and ne.dtype == ember.float64
    np.testing.assert_allclose(ne.item(), nt.item(), rtol=1e-12)
    assert_grads_equal(e, t, 1e-12)


def test_clip_grad_norm_float32_and_a_single_tensor():
    e, t = params_with_grads(np.float32, seed=1)
    ne = clip_grad_norm_(e[0], 1.0)
    nt = torch.nn.utils.clip_grad_norm_(t[0], 1.0)
    assert ne.dtype == ember.float32
    np.testing.assert_allclose(ne.item(), nt.item(), rtol=1e-6)
    assert_grads_equal(e, t, 1e-6)


def test_clip_grad_norm_without_grads_is_zero():
    e, t = params_with_grads()
    for p in e:
        p.grad = None
    assert clip_grad_norm_(e, 1.0).item() == torch.nn.utils.clip_grad_norm_([], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    e, t = params_with_grads()
    e[0].grad[0, 0] = float("nan")
    t[0].grad[0, 0] = float("nan")
    with pytest.raises(RuntimeError) as ie:
        clip_grad_norm_(e, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError) as it:
        torch.nn.utils.clip_grad_norm_(t, 1.0, error_if_nonfinite=True)
    assert str(ie.value) == str(it.value)
    assert math.isnan(clip_grad_norm_(e, 1.0).item())  # without the check: the NaN norm, as torch


@pytest.mark.parametrize("clip", [0.5, 2])
def test_clip_grad_value_is_torchs(clip):
    e, t = params_with_grads(none_at=0)
    assert clip_grad_value_(iter(e), clip) is None
    torch.nn.utils.clip_grad_value_(t, clip)
    assert_grads_equal(e, t, 0)


def test_parameters_to_vector_and_back_are_torchs():
    e, t = params_with_grads()
    ve, vt = parameters_to_vector(iter(e)), torch.nn.utils.parameters_to_vector(iter(t))
    np.testing.assert_array_equal(ve.detach().numpy(), vt.detach().numpy())
    assert ve.requires_grad  # differentiable, as torch.cat of views
    new = np.arange(ve.numel(), dtype=np.float64)
    vector_to_parameters(ember.tensor(new), e)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), t)
    for pe, pt in zip(e, t):
        np.testing.assert_array_equal(pe.detach().numpy(), pt.detach().numpy())
        assert pe.requires_grad and pe.is_leaf
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        vector_to_parameters([1.0], e)


def model(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(4, 8), nn.Linear(8, 8), nn.Linear(8, 8), nn.Linear(8, 2))


def grads(m, x):
    return [p.grad.numpy().copy() for p in m.parameters()] + [x.grad.numpy().copy()]


def test_checkpoint_gives_the_gradients_of_the_plain_run():
    m = model(ember).double()
    x = ember.randn(5, 4, dtype=ember.float64, requires_grad=True)
    m(x).pow(2).sum().backward()
    plain = grads(m, x)
    m.zero_grad(set_to_none=True)
    x.grad = None
    y = checkpoint(lambda a, k, b: m(a) * k + b, x, 2.0, ember.ones(2, dtype=ember.float64))
    assert y.grad_fn is not None
    (y - 1.0).pow(2).sum().backward()
    m.zero_grad(set_to_none=True)
    x.grad = None
    checkpoint(m, x).pow(2).sum().backward()
    for a, b in zip(grads(m, x), plain):
        np.testing.assert_array_equal(a, b)
    # checkpoint_sequential splits into segments; same gradients again
    m.zero_grad(set_to_none=True)
    x.grad = None
    checkpoint_sequential(m, 2, x).pow(2).sum().backward()
    for a, b in zip(grads(m, x), plain):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_gradients_equal_torchs():
    mt = model(torch).double()
    me = model(ember).double()
    me.load_state_dict({k: ember.tensor(v.numpy()) for k, v in mt.state_dict().items()})
    xn = np.random.default_rng(3).standard_normal((5, 4))
    xt = torch.tensor(xn, requires_grad=True)
    xe = ember.tensor(xn, requires_grad=True)
    torch.utils.checkpoint.checkpoint(mt, xt).pow(2).sum().backward()
    checkpoint(me, xe).pow(2).sum().backward()
    for a, b in zip(grads(me, xe), [p.grad.numpy() for p in mt.parameters()] + [xt.grad.numpy()]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def noisy(x):
    """Random inside the function (as dropout): only the restored RNG state makes recomputation agree."""
    return x * (ember.rand_like(x) > 0.5) * 2


@pytest.mark.parametrize("preserve", [True, False])
def test_checkpoint_restores_the_rng_state_for_the_recomputation(preserve):
    x = ember.randn(200, dtype=ember.float64, requires_grad=True)
    ember.manual_seed(11)
    y = checkpoint(noisy, x, preserve_rng_state=preserve)
    ember.manual_seed(11)
    mask = noisy(ember.ones(200, dtype=ember.float64))
    ember.manual_seed(99)  # backward runs later, with the generator elsewhere
    y.sum().backward()
    assert bool((x.grad == mask).all()) == preserve
    if preserve:
        # the caller's RNG stream is untouched by the recomputation
        ember.manual_seed(99)
        want = ember.rand(3)
        ember.manual_seed(99)
        z = checkpoint(noisy, x)
        ember.manual_seed(99)
        z.sum().backward()
        assert bool((ember.rand(3) == want).all())


def test_checkpoint_argument_errors_and_warning():
    x = ember.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="Unexpected keyword arguments: foo"):
        checkpoint(noisy, x, foo=1)
    with pytest.warns(UserWarning, match="None of the inputs have requires_grad=True. Gradients will be None"):
        y = checkpoint(noisy, ember.ones(2))
    assert not y.requires_grad
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checkpoint(noisy, x)
