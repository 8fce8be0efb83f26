"""ember.nn.functional's activations and softmax family against torch.nn.functional: values and input
gradients in float32 and float64 for representative arguments, the in-place forms (same object back,
input modified), the top-level and Tensor-method spellings PyTorch has, softmax's implicit-dim warning,
and PyTorch's errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as EF
from _functional_check import Const, assert_same, check_error, compare, make_inputs, rand

DTYPES = ["float32", "float64"]

# (id, call): call(F, M, x) on x of shape (3, 4, 5) in [-2, 2].
POINTWISE = [
    ("relu", lambda F, M, x: F.relu(x)),
    ("relu6", lambda F, M, x: F.relu6(x * 4)),
    ("leaky_relu", lambda F, M, x: F.leaky_relu(x)),
    ("leaky_relu_slope", lambda F, M, x: F.leaky_relu(x, 0.2)),
    ("rrelu_eval", lambda F, M, x: F.rrelu(x)),
    ("rrelu_eval_bounds", lambda F, M, x: F.rrelu(x, 0.1, 0.5, training=False)),
    ("elu", lambda F, M, x: F.elu(x)),
    ("elu_alpha", lambda F, M, x: F.elu(x, alpha=0.5)),
    ("selu", lambda F, M, x: F.selu(x)),
    ("celu", lambda F, M, x: F.celu(x, 1.5)),
    ("gelu", lambda F, M, x: F.gelu(x)),
    ("gelu_tanh", lambda F, M, x: F.gelu(x, approximate="tanh")),
    ("silu", lambda F, M, x: F.silu(x)),
    ("mish", lambda F, M, x: F.mish(x)),
    ("sigmoid", lambda F, M, x: M.sigmoid(x)),
    ("tanh", lambda F, M, x: M.tanh(x)),
    ("hardtanh", lambda F, M, x: F.hardtanh(x)),
    ("hardtanh_bounds", lambda F, M, x: F.hardtanh(x, -0.5, 1.5)),
    ("hardtanh_crossed_bounds", lambda F, M, x: F.hardtanh(x, 1.0, -1.0)),  # 1.13 does not check
    ("hardsigmoid", lambda F, M, x: F.hardsigmoid(x * 3)),
    ("hardswish", lambda F, M, x: F.hardswish(x * 3)),
    ("softplus", lambda F, M, x: F.softplus(x)),
    ("softplus_beta_threshold", lambda F, M, x: F.softplus(x * 5, beta=2, threshold=3)),
    ("softsign", lambda F, M, x: F.softsign(x)),
    ("softshrink", lambda F, M, x: F.softshrink(x)),
    ("softshrink_lambd", lambda F, M, x: F.softshrink(x, 1.0)),
    ("hardshrink", lambda F, M, x: F.hardshrink(x)),
    ("hardshrink_lambd", lambda F, M, x: F.hardshrink(x, lambd=1.0)),
    ("tanhshrink", lambda F, M, x: F.tanhshrink(x)),
    ("logsigmoid", lambda F, M, x: F.logsigmoid(x * 10)),
    ("threshold", lambda F, M, x: F.threshold(x, 0.5, -3.0)),
    ("glu", lambda F, M, x: F.glu(x)),
    ("glu_dim", lambda F, M, x: F.glu(x, 1)),
    ("softmax", lambda F, M, x: F.softmax(x, dim=1)),
    ("softmax_last", lambda F, M, x: F.softmax(x * 30, -1)),
    ("log_softmax", lambda F, M, x: F.log_softmax(x, 0)),
    ("log_softmax_large", lambda F, M, x: F.log_softmax(x * 100, dim=2)),
    ("softmin", lambda F, M, x: F.softmin(x, 1)),
    ("softmax_dtype", lambda F, M, x: F.softmax(x.float(), 1, dtype=M.float64)),
    ("log_softmax_dtype", lambda F, M, x: F.log_softmax(x.float(), 2, dtype=M.float64)),
    ("softmin_dtype", lambda F, M, x: F.softmin(x, 0, dtype=M.float64)),
    # torch-level and Tensor-method spellings.
    ("torch.softmax", lambda F, M, x: M.softmax(x, 1)),
    ("torch.log_softmax", lambda F, M, x: M.log_softmax(x, -1, M.float64)),
    ("Tensor.softmax", lambda F, M, x: x.softmax(2)),
    ("Tensor.log_softmax", lambda F, M, x: x.log_softmax(dim=0, dtype=M.float64)),
    ("torch.selu", lambda F, M, x: M.selu(x)),
    ("torch.celu", lambda F, M, x: M.celu(x, alpha=2.0)),
    ("torch.threshold", lambda F, M, x: M.threshold(x, 0.0, 1.0)),
    ("torch.hardshrink", lambda F, M, x: M.hardshrink(x, 0.3)),
    ("Tensor.hardshrink", lambda F, M, x: x.hardshrink()),
    ("torch.rrelu_eval", lambda F, M, x: M.rrelu(x)),
    ("torch.relu", lambda F, M, x: M.relu(x)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", POINTWISE, ids=[c[0] for c in POINTWISE])
def test_value_and_gradient(case, dtype):
    # hardsigmoid's float64 gradient: see test_hardsigmoid_gradient_float64.
    compare(case[1], rand(3, 4, 6), dtype=dtype, grad=not (case[0] == "hardsigmoid" and dtype == "float64"))


def test_hardsigmoid_gradient_float64():
    # PyTorch 1.13 multiplies the float64 gradient by float32's 1/6, ember divides by 6 in float64
    # (docs/DIFFERENCES.md): torch's gradient rescaled to the exact 1/6 is ember's.
    x = rand(3, 4, 6)
    g = rand(3, 4, 6, seed=5)
    t = torch.from_numpy(x).requires_grad_()
    torch.nn.functional.hardsigmoid(t).backward(torch.from_numpy(g))
    e = ember.from_numpy(x).requires_grad_()
    EF.hardsigmoid(e).backward(ember.from_numpy(g))
    expected = t.grad * ((1 / 6) / float(np.float32(1 / 6)))
    assert_same(e.grad, expected)
    assert np.count_nonzero(e.grad.numpy()) > 10


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("weight_shape", [(1,), (4,)])
@pytest.mark.parametrize("form", ["F", "torch", "Tensor"])
def test_prelu(weight_shape, form, dtype):
    call = {"F": lambda F, M, x, w: F.prelu(x, w),
            "torch": lambda F, M, x, w: M.prelu(x, w),
            "Tensor": lambda F, M, x, w: x.prelu(w)}[form]
    compare(call, rand(3, 4, 5), rand(*weight_shape, seed=2, low=0.0, high=0.5), dtype=dtype)


# (id, F name, extra args): F.name(x, *args, inplace=True), and the explicit in-place spelling where
# PyTorch has one (F.relu_, F.elu_ ...).
INPLACE = [
    ("relu", (), "relu_"),
    ("relu6", (), None),
    ("leaky_relu", (0.1,), "leaky_relu_"),
    ("elu", (0.7,), "elu_"),
    ("selu", (), "selu_"),
    ("celu", (1.5,), "celu_"),  # 1.13's float64 gradient is float32-rounded for some alphas (1.3)
    ("silu", (), None),
    ("mish", (), None),
    ("hardtanh", (-0.5, 0.5), "hardtanh_"),
    ("hardsigmoid", (), None),
    ("hardswish", (), None),
    ("threshold", (0.1, 2.0), "threshold_"),
    ("rrelu", (0.2, 0.3), "rrelu_"),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", INPLACE, ids=[c[0] for c in INPLACE])
def test_inplace(case, dtype):
    name, args, underscore = case
    x = rand(2, 3, 4)
    expected = getattr(torch.nn.functional, name)(torch.from_numpy(x), *args)
    forms = [lambda e: getattr(EF, name)(e, *args, inplace=True)]
    if underscore:
        forms.append(lambda e: getattr(EF, underscore)(e, *args))
    for form in forms:
        _, [e] = make_inputs([Const(x)], dtype)
        out = form(e)
        assert out is e
        assert_same(e, expected.to(getattr(torch, dtype)))
    # In place on a non-leaf: the gradient flows through the modified tensor, as in PyTorch.
    def through_clone(F, M, x):
        y = x * 1.5
        getattr(F, name)(y, *args, inplace=True)
        return y
    # hardsigmoid's float64 gradient: see test_hardsigmoid_gradient_float64.
    compare(through_clone, x, dtype=dtype, grad=not (name == "hardsigmoid" and dtype == "float64"))


def test_top_level_inplace_forms():
    for name, args in [("relu_", ()), ("selu_", ()), ("celu_", (0.5,)), ("threshold_", (0.2, 5.0)), ("rrelu_", ())]:
        x = rand(5, 3)
        _, [e] = make_inputs([Const(x)], "float64")
        assert getattr(ember, name)(e, *args) is e
        t = torch.from_numpy(x.copy())
        getattr(torch, name)(t, *args)
        assert_same(e, t)


def test_rrelu_training_slopes_in_range():
    # Random slopes: positive values pass, negative ones are scaled by a slope in [lower, upper], and the
    # gradient is that same slope (as in PyTorch; the draws themselves differ between frameworks).
    x = rand(1000)
    e = ember.from_numpy(x).requires_grad_()
    y = EF.rrelu(e, 0.1, 0.3, training=True)
    y.sum().backward()
    out, g = y.detach().numpy(), e.grad.numpy()
    pos = x > 0
    np.testing.assert_array_equal(out[pos], x[pos])
    np.testing.assert_array_equal(g[pos], 1.0)
    slope = out[~pos] / x[~pos]
    assert slope.min() >= 0.1 - 1e-12 and slope.max() <= 0.3 + 1e-12
    assert slope.std() > 0.01  # drawn per element, not one value
    np.testing.assert_allclose(g[~pos], slope)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 4), (2, 3, 4, 5)])
def test_softmax_implicit_dim(name, shape):
    x = rand(*shape) if shape else np.array(0.7)
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        expected = getattr(torch.nn.functional, name)(torch.from_numpy(x))
    with warnings.catch_warnings(record=True) as ew:
        warnings.simplefilter("always")
        out = getattr(EF, name)(ember.from_numpy(x))
    assert_same(out, expected)
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
    assert [w.category for w in ew] == [w.category for w in tw]
    assert ew[0].filename == __file__  # the warning points at the caller, as PyTorch's


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_deprecated_sigmoid_tanh_warn(name):
    x = rand(4)
    with pytest.warns(UserWarning) as tw:
        expected = getattr(torch.nn.functional, name)(torch.from_numpy(x))
    with pytest.warns(UserWarning) as ew:
        out = getattr(EF, name)(ember.from_numpy(x))
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
    assert_same(out, expected)


def test_integer_input_relu():
    x = np.arange(-3, 4)
    assert_same(EF.relu(ember.from_numpy(x)), torch.nn.functional.relu(torch.from_numpy(x)))


# (call, exception type, message fragment PyTorch gives).
ERRORS = [
    (lambda F, M, x: F.gelu(x, approximate="fast"), RuntimeError, "approximate"),
    (lambda F, M, x: F.glu(x[:, :, :5]), RuntimeError, "Halving dimension must be even"),
    (lambda F, M, x: F.softmax(x, 3), IndexError, "Dimension out of range"),
    (lambda F, M, x: F.log_softmax(x, -4), IndexError, "Dimension out of range"),
    (lambda F, M, x: F.prelu(x, M.ones(3, dtype=x.dtype)), RuntimeError, "Mismatch of parameter numbers"),
    (lambda F, M, x: F.relu(x, True), RuntimeError, "a leaf Variable that requires grad"),
]


@pytest.mark.parametrize("case", ERRORS, ids=range(len(ERRORS)))
def test_errors(case):
    call, exc, fragment = case
    check_error(call, exc, fragment, rand(2, 4, 6))
