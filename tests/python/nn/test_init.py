"""ember.nn.init against torch.nn.init: gains and fans equal torch's, deterministic initialisers give
torch's exact values, random ones have the distribution torch's formulas give (bounds, moments,
orthogonality), and errors are torch's."""
import math

import numpy as np
import pytest
import torch

import ember
from ember.nn import init

GAINS = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None), ("conv_transpose1d", None),
         ("conv_transpose2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
         ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu", None)]


@pytest.mark.parametrize("name,param", GAINS)
def test_calculate_gain_is_torchs(name, param):
    assert init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param), rel=1e-15)


def error(fn):
    with pytest.raises(Exception) as info:
        fn()
    return type(info.value), str(info.value)


@pytest.mark.parametrize("args", [("softmax",), ("leaky_relu", "x"), ("leaky_relu", True)])
def test_calculate_gain_errors_are_torchs(args):
    assert error(lambda: init.calculate_gain(*args)) == error(lambda: torch.nn.init.calculate_gain(*args))


@pytest.mark.parametrize("shape", [(3, 4), (5, 2, 3), (6, 4, 3, 2), (2, 3, 1, 2, 2), (4, 0)])
def test_fans_are_torchs(shape):
    e, t = ember.empty(shape), torch.empty(shape)
    assert init._calculate_fan_in_and_fan_out(e) == torch.nn.init._calculate_fan_in_and_fan_out(t)
    for mode in ("fan_in", "fan_out"):
        assert init._calculate_correct_fan(e, mode) == torch.nn.init._calculate_correct_fan(t, mode)


def test_fan_errors_are_torchs():
    assert error(lambda: init._calculate_fan_in_and_fan_out(ember.empty(3))) == error(
        lambda: torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(3)))
    assert error(lambda: init.kaiming_uniform_(ember.empty(3, 3), mode="fan_avg")) == error(
        lambda: torch.nn.init.kaiming_uniform_(torch.empty(3, 3), mode="fan_avg"))


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (5, 2)])
def test_eye_is_torchs(shape):
    np.testing.assert_array_equal(init.eye_(ember.empty(shape)).numpy(), torch.nn.init.eye_(torch.empty(shape)).numpy())


@pytest.mark.parametrize("shape,groups", [((4, 2, 3), 1), ((6, 3, 3, 3), 1), ((4, 2, 3, 3), 2), ((2, 4, 1, 3, 3), 1)])
def test_dirac_is_torchs(shape, groups):
    np.testing.assert_array_equal(init.dirac_(ember.empty(shape), groups).numpy(),
                                  torch.nn.init.dirac_(torch.empty(shape), groups).numpy())


def test_shape_errors_are_torchs():
    assert error(lambda: init.eye_(ember.empty(2, 2, 2))) == error(lambda: torch.nn.init.eye_(torch.empty(2, 2, 2)))
    assert error(lambda: init.dirac_(ember.empty(2, 2))) == error(lambda: torch.nn.init.dirac_(torch.empty(2, 2)))
    assert error(lambda: init.dirac_(ember.empty(3, 2, 3), 2)) == error(
        lambda: torch.nn.init.dirac_(torch.empty(3, 2, 3), 2))
    assert error(lambda: init.orthogonal_(ember.empty(3))) == error(lambda: torch.nn.init.orthogonal_(torch.empty(3)))


def test_constant_ones_zeros():
    p = ember.nn.Parameter(ember.empty(2, 3))
    assert init.constant_(p, 0.25) is p and p.tolist() == [[0.25] * 3] * 2 and p.requires_grad
    assert init.ones_(p) is p and p.tolist() == [[1.0] * 3] * 2
    assert init.zeros_(p) is p and p.tolist() == [[0.0] * 3] * 2


def sample(fn, shape, **kw):
    ember.manual_seed(7)
    t = ember.empty(shape, dtype=ember.float64)
    assert fn(t, **kw) is t
    return t.numpy()


def test_uniform_and_normal_moments():
    u = sample(init.uniform_, (200, 500), a=-1.0, b=3.0)
    assert u.min() >= -1.0 and u.max() < 3.0
    assert abs(u.mean() - 1.0) < 0.02 and abs(u.var() - 16 / 12) < 0.02
    n = sample(init.normal_, (200, 500), mean=2.0, std=0.5)
    assert abs(n.mean() - 2.0) < 0.005 and abs(n.std() - 0.5) < 0.005


def test_trunc_normal_stays_in_bounds_with_the_truncated_moments():
    t = sample(init.trunc_normal_, (200, 500), mean=0.5, std=1.0, a=-1.0, b=1.5)
    assert t.min() >= -1.0 and t.max() <= 1.5
    # the mean of N(0.5, 1) truncated to [-1.5, 1] (standardised): mu + phi(a) - phi(b) / (Phi(b) - Phi(a))
    phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    Phi = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    want = 0.5 + (phi(-1.5) - phi(1.0)) / (Phi(1.0) - Phi(-1.5))
    assert abs(t.mean() - want) < 0.01


@pytest.mark.parametrize("shape", [(256, 512), (64, 32, 3, 3)])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("a,nonlinearity", [(0, "relu"), (math.sqrt(5), "leaky_relu"), (0, "tanh")])
def test_kaiming_bounds_and_std(shape, mode, a, nonlinearity):
    t = torch.empty(shape)
    fan = torch.nn.init._calculate_correct_fan(t, mode)
    gain = torch.nn.init.calculate_gain(nonlinearity, a)
    bound = gain * math.sqrt(3.0 / fan)
    u = sample(init.kaiming_uniform_, shape, a=a, mode=mode, nonlinearity=nonlinearity)
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.99 * bound
    assert abs(u.std() - bound / math.sqrt(3)) < 0.02 * bound
    n = sample(init.kaiming_normal_, shape, a=a, mode=mode, nonlinearity=nonlinearity)
    assert abs(n.std() - gain / math.sqrt(fan)) < 0.02 * gain / math.sqrt(fan)


@pytest.mark.parametrize("shape", [(256, 512), (64, 32, 3, 3)])
def test_xavier_bounds_and_std(shape):
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    std = 0.5 * math.sqrt(2.0 / (fan_in + fan_out))
    u = sample(init.xavier_uniform_, shape, gain=0.5)
    assert np.abs(u).max() <= std * math.sqrt(3) and np.abs(u).max() > 0.99 * std * math.sqrt(3)
    n = sample(init.xavier_normal_, shape, gain=0.5)
    assert abs(n.std() - std) < 0.02 * std


@pytest.mark.parametrize("shape", [(6, 6), (4, 10), (10, 4), (3, 2, 2, 2)])
def test_orthogonal(shape):
    q = sample(init.orthogonal_, shape, gain=2.0).reshape(shape[0], -1)
    rows, cols = q.shape
    gram = q @ q.T if rows <= cols else q.T @ q
    np.testing.assert_allclose(gram, 4.0 * np.eye(min(rows, cols)), atol=1e-10)


def test_initialisers_work_on_parameters_and_seed_reproducibly():
    a = ember.nn.Parameter(ember.empty(3, 4))
    b = ember.nn.Parameter(ember.empty(3, 4))
    ember.manual_seed(3)
    init.kaiming_uniform_(a)
    ember.manual_seed(3)
    init.kaiming_uniform_(b)
    assert a.requires_grad and a.is_leaf and a.grad_fn is None and bool((a == b).all())
    g1, g2 = ember.Generator().manual_seed(5), ember.Generator().manual_seed(5)
    init.normal_(a, generator=g1)
    init.normal_(b, generator=g2)
    assert bool((a == b).all())


def test_linear_default_init_bounds_are_torchs():
    m = ember.nn.Linear(400, 30)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) gives gain*sqrt(3/fan_in) = 1/sqrt(fan_in)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert np.abs(b).max() <= bound
    t = torch.nn.Linear(400, 30)
    assert np.abs(t.weight.detach().numpy()).max() <= bound
