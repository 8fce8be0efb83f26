"""Activation and distance layers against torch.nn: values, gradients, state_dict and printout (through
_layer_check), in-place variants, RReLU's training-mode slopes and PReLU's initialisation."""
import numpy as np
import pytest
import torch

import ember
from _layer_check import check_layer, randn

DTYPES = ["float32", "float64"]
X = [randn(3, 4, 5) * 3]

CASES = [(e, X) for e in [
    "nn.ReLU()", "nn.ReLU6()", "nn.LeakyReLU()", "nn.LeakyReLU(0.2)", "nn.PReLU()", "nn.PReLU(4, init=0.1)",
    "nn.RReLU(0.1, 0.3)", "nn.ELU()", "nn.ELU(alpha=0.7)", "nn.SELU()", "nn.CELU(alpha=1.5)", "nn.GELU()",
    "nn.GELU(approximate='tanh')", "nn.SiLU()", "nn.Mish()", "nn.Sigmoid()", "nn.Tanh()", "nn.Hardtanh()",
    "nn.Hardtanh(-2.0, 3.0)", "nn.Hardsigmoid()", "nn.Hardswish()", "nn.Softplus()",
    "nn.Softplus(beta=2, threshold=5)", "nn.Softsign()", "nn.Softshrink()", "nn.Softshrink(0.3)", "nn.Hardshrink()",
    "nn.Hardshrink(0.4)", "nn.Tanhshrink()", "nn.LogSigmoid()", "nn.Softmax(dim=1)", "nn.Softmax(-1)",
    "nn.LogSoftmax(dim=0)", "nn.LogSoftmax(2)", "nn.Softmin(dim=1)", "nn.Softmax2d()", "nn.GLU(dim=1)",
    "nn.Threshold(0.1, 20.0)", "nn.Threshold(-1, -2.5)",
]] + [
    ("nn.Softmax2d()", [randn(2, 3, 4, 5)]),
    ("nn.GLU()", [randn(3, 4, 6)]),
    ("nn.CosineSimilarity()", [randn(4, 5, 3), randn(4, 5, 3, seed=1)]),
    ("nn.CosineSimilarity(dim=2, eps=1e-3)", [randn(4, 5, 3), randn(4, 5, 3, seed=1)]),
    ("nn.PairwiseDistance()", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.PairwiseDistance(p=1.0, eps=1e-3, keepdim=True)", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.PairwiseDistance(p=3.0)", [randn(6), randn(6, seed=1)]),
]


@pytest.mark.parametrize("expr,inputs,dtype", [
    pytest.param(e, i, d, id="%s-%s" % (e, d)) for e, i in CASES for d in DTYPES
    if (e, d) != ("nn.Hardsigmoid()", "float64")])  # torch is off there: test_hardsigmoid_float64
def test_matches_torch(expr, inputs, dtype):
    # RReLU draws its slopes in training mode: compared in eval mode, where the slope is (lower + upper) / 2.
    tm, em = check_layer(expr, inputs, dtype, train="RReLU" not in expr)
    assert repr(em) == repr(tm)


# torch 1.13's CPU hardsigmoid backward multiplies by `scalar_t(1.0f / 6.0f)`, a float32 constant, also in
# float64; ember's gradient is exactly grad / 6 (docs/DIFFERENCES.md).
TORCH_SIXTH = float(np.float32(1.0) / np.float32(6.0))


def torch_hardsigmoid_grad_exact(grad):
    return grad / TORCH_SIXTH / 6


def test_hardsigmoid_float64():
    x = X[0]
    g = randn(*x.shape, seed=3)
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ex = ember.from_numpy(x.copy()).requires_grad_()
    ty, ey = torch.nn.Hardsigmoid()(tx), ember.nn.Hardsigmoid()(ex)
    np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    ty.backward(torch.from_numpy(g))
    ey.backward(ember.from_numpy(g))
    np.testing.assert_allclose(ex.grad.numpy(), torch_hardsigmoid_grad_exact(tx.grad.numpy()), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ex.grad.numpy(), np.where(np.abs(x) < 3, g / 6, 0), rtol=1e-15, atol=0)


@pytest.mark.parametrize("expr", ["nn.ReLU(inplace=True)", "nn.ReLU6(inplace=True)", "nn.LeakyReLU(0.1, True)",
                                  "nn.ELU(inplace=True)", "nn.SELU(inplace=True)", "nn.CELU(0.5, inplace=True)",
                                  "nn.SiLU(inplace=True)", "nn.Mish(inplace=True)", "nn.Hardtanh(inplace=True)",
                                  "nn.Hardsigmoid(inplace=True)", "nn.Hardswish(inplace=True)",
                                  "nn.Threshold(0.5, 2.0, inplace=True)", "nn.RReLU(inplace=True)"])
def test_inplace(expr):
    """inplace=True writes the result into the input (a non-leaf here) and still differentiates."""
    tm = eval(expr, {"nn": torch.nn}).eval()
    em = eval(expr, {"nn": ember.nn}).eval()
    assert repr(em) == repr(tm)
    x = X[0]
    g = randn(*x.shape, seed=3)
    tx = torch.from_numpy(x.copy()).requires_grad_()
    ex = ember.from_numpy(x.copy()).requires_grad_()
    th, eh = tx * 1, ex * 1
    ty, ey = tm(th), em(eh)
    np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(eh.detach().numpy(), ey.detach().numpy())
    ty.backward(torch.from_numpy(g))
    ey.backward(ember.from_numpy(g))
    tgrad = tx.grad.numpy()
    if "Hardsigmoid" in expr:
        tgrad = torch_hardsigmoid_grad_exact(tgrad)
    np.testing.assert_allclose(ex.grad.numpy(), tgrad, rtol=1e-12, atol=1e-12)


def test_rrelu_training_slopes():
    """In training mode each negative element gets its own slope drawn from U(lower, upper); its gradient is
    that slope; positive elements pass through."""
    ember.manual_seed(0)
    m = ember.nn.RReLU(0.1, 0.3)
    x = randn(100, 100)
    ex = ember.from_numpy(x).requires_grad_()
    y = m(ex)
    y.sum().backward()
    y = y.detach().numpy()
    neg = x < 0
    np.testing.assert_array_equal(y[~neg], x[~neg])
    slopes = y[neg] / x[neg]
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.05
    np.testing.assert_allclose(ex.grad.numpy()[neg], slopes, rtol=1e-12)
    np.testing.assert_array_equal(ex.grad.numpy()[~neg], 1.0)


def test_prelu_parameters():
    m = ember.nn.PReLU(3, init=0.1)
    assert [k for k, _ in m.named_parameters()] == ["weight"] and tuple(m.weight.shape) == (3,)
    np.testing.assert_allclose(m.weight.detach().numpy(), 0.1)
    np.testing.assert_allclose(ember.nn.PReLU().weight.detach().numpy(), [0.25])


def test_assertions():
    """torch's layers assert some arguments (Hardtanh's range, Softmax2d's rank); so do ember's."""
    for nn, T in ((torch.nn, torch.zeros), (ember.nn, ember.zeros)):
        with pytest.raises(AssertionError):
            nn.Hardtanh(1.0, -1.0)
        with pytest.raises(AssertionError, match="Softmax2d requires a 3D or 4D tensor as input"):
            nn.Softmax2d()(T(2, 3))


@pytest.mark.parametrize("cls", ["Softmax", "LogSoftmax", "Softmin"])
def test_softmax_implicit_dim(cls):
    """dim=None picks torch's legacy dimension (1 for a 2-D input) with torch's deprecation warning."""
    with pytest.warns(UserWarning, match="Implicit dimension choice for"):
        check_layer("nn.%s()" % cls, [randn(2, 3)])
