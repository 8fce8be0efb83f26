"""Identity, Linear, Bilinear, Flatten/Unflatten, Conv*d and ConvTranspose*d against torch.nn: values,
gradients and state_dict keys (through _layer_check), default initialisation, printout and constructor
errors."""
import math
import re

import numpy as np
import pytest
import torch

import ember
from _layer_check import check_layer, randn

DTYPES = ["float32", "float64"]

CASES = [
    ("nn.Identity(3, foo=1)", [randn(2, 3)]),
    ("nn.Linear(5, 3)", [randn(4, 5)]),
    ("nn.Linear(5, 3, bias=False)", [randn(2, 4, 5)]),
    ("nn.Bilinear(3, 4, 2)", [randn(5, 3), randn(5, 4, seed=1)]),
    ("nn.Bilinear(3, 4, 2, bias=False)", [randn(5, 3), randn(5, 4, seed=1)]),
    ("nn.Flatten()", [randn(2, 3, 4)]),
    ("nn.Flatten(0, 1)", [randn(2, 3, 4)]),
    ("nn.Unflatten(1, (2, 3))", [randn(4, 6, 2)]),
    ("nn.Conv1d(4, 6, 3)", [randn(2, 4, 9)]),
    ("nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2)", [randn(2, 4, 11)]),
    ("nn.Conv1d(2, 3, 4, padding='same', padding_mode='circular')", [randn(2, 2, 8)]),
    ("nn.Conv1d(2, 3, 3, padding=1, padding_mode='reflect', bias=False)", [randn(3, 2, 7)]),
    ("nn.Conv2d(3, 4, 3)", [randn(2, 3, 7, 6)]),
    ("nn.Conv2d(3, 4, (2, 3), stride=(2, 1), padding=(1, 2), dilation=(1, 2))", [randn(2, 3, 7, 8)]),
    ("nn.Conv2d(4, 4, 3, groups=4, padding='same')", [randn(2, 4, 6, 5)]),
    ("nn.Conv2d(2, 4, 3, padding='valid', groups=2)", [randn(2, 2, 6, 5)]),
    ("nn.Conv2d(2, 3, 3, padding=1, padding_mode='replicate')", [randn(2, 2, 5, 6)]),
    ("nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode='circular')", [randn(2, 2, 5, 6)]),
    ("nn.Conv2d(2, 3, (2, 4), padding='same', dilation=(2, 1), padding_mode='reflect')", [randn(2, 2, 6, 7)]),
    ("nn.Conv2d(3, 2, 3)", [randn(3, 6, 5)]),  # unbatched
    ("nn.Conv3d(2, 3, 2)", [randn(2, 2, 4, 5, 3)]),
    ("nn.Conv3d(2, 4, (2, 3, 2), stride=(1, 2, 1), padding=1, groups=2, padding_mode='replicate')",
     [randn(1, 2, 4, 5, 4)]),
    ("nn.ConvTranspose1d(4, 6, 3)", [randn(2, 4, 5)]),
    ("nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, dilation=2)", [randn(2, 4, 5)]),
    ("nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)", [randn(2, 3, 4, 5)]),
    ("nn.ConvTranspose2d(4, 6, (2, 3), stride=(2, 3), groups=2, bias=False, dilation=(2, 1))", [randn(2, 4, 3, 3)]),
    ("nn.ConvTranspose2d(3, 2, 3)", [randn(3, 4, 4)]),  # unbatched
    ("nn.ConvTranspose3d(2, 3, 2, stride=2, padding=1, output_padding=(1, 0, 1))", [randn(1, 2, 3, 4, 3)]),
    # a small CNN: nested state_dict keys, the printout of a model, one backward through all of it
    ("nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),"
     " nn.Linear(36, 5), nn.LogSoftmax(1))", [randn(3, 1, 8, 8)]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("expr,inputs", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(expr, inputs, dtype):
    tm, em = check_layer(expr, inputs, dtype)
    assert repr(em) == repr(tm)


@pytest.mark.parametrize("expr,shape,output_size", [
    ("nn.ConvTranspose1d(2, 3, 3, stride=3)", (2, 2, 4), [14]),
    ("nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1)", (2, 2, 4, 5), [2, 3, 8, 10]),
    ("nn.ConvTranspose3d(2, 2, 2, stride=(2, 3, 2))", (1, 2, 2, 3, 3), [5, 10, 7]),
])
def test_conv_transpose_output_size(expr, shape, output_size):
    tm, em = check_layer(expr, [randn(*shape)], kwargs={"output_size": output_size})
    with pytest.raises(ValueError) as te:
        tm(torch.zeros(shape), output_size=[s + 5 for s in output_size])
    with pytest.raises(ValueError) as ee:
        em(ember.zeros(shape), output_size=[s + 5 for s in output_size])
    assert str(ee.value) == str(te.value).replace("torch", "ember")


def uniform_bound_ok(t, bound):
    """Drawn from U(-bound, bound): inside the bound, spread over it, centred."""
    a = t.detach().numpy().ravel()
    assert np.abs(a).max() <= bound * (1 + 1e-6)
    assert np.abs(a).max() > 0.9 * bound
    assert abs(a.mean()) < 4 * bound / math.sqrt(3 * a.size)
    assert abs(a.std() - bound / math.sqrt(3)) < 0.1 * bound


@pytest.mark.parametrize("expr,fan_in,out", [
    ("nn.Linear(50, 40)", 50, 40),
    ("nn.Bilinear(30, 20, 10)", 30, 10),
    ("nn.Conv1d(8, 40, 5, groups=2)", 4 * 5, 40),
    ("nn.Conv2d(6, 60, (3, 2), groups=3)", 2 * 6, 60),
    ("nn.Conv3d(4, 40, 3)", 4 * 27, 40),
    ("nn.ConvTranspose2d(30, 20, 3, groups=2)", 10 * 9, 20),
])
def test_default_init_bounds(expr, fan_in, out):
    """torch's default: kaiming_uniform_(a=sqrt(5)) on the weight, i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
    and the bias from the same range (Bilinear: both from 1/sqrt(in1_features))."""
    ember.manual_seed(0)
    m = eval(expr, {"nn": ember.nn})
    bound = 1 / math.sqrt(fan_in)
    uniform_bound_ok(m.weight, bound)
    assert tuple(m.bias.shape) == (out,)
    b = m.bias.detach().numpy()
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.5 * bound
    assert m.weight.dtype == ember.float32 and m.weight.requires_grad


def test_factory_kwargs():
    m = ember.nn.Conv2d(2, 3, 3, dtype=ember.float64)
    assert m.weight.dtype == ember.float64 and m.bias.dtype == ember.float64
    m = ember.nn.Linear(2, 3, device="cpu", dtype=ember.float64)
    assert m.weight.dtype == ember.float64
    ember.manual_seed(3)
    a = ember.nn.Linear(4, 4).weight.detach().numpy()
    ember.manual_seed(3)
    np.testing.assert_array_equal(ember.nn.Linear(4, 4).weight.detach().numpy(), a)


@pytest.mark.parametrize("expr", [
    "nn.Conv2d(4, 6, 3, groups=0)",
    "nn.Conv2d(4, 6, 3, groups=3)",
    "nn.Conv2d(6, 4, 3, groups=3)",
    "nn.Conv2d(4, 4, 3, stride=2, padding='same')",
    "nn.Conv1d(4, 4, 3, padding='full')",
    "nn.Conv2d(4, 4, 3, padding_mode='mirror')",
    "nn.ConvTranspose2d(4, 4, 3, padding_mode='reflect')",
    "nn.Unflatten(1, [2, 'a'])",
    "nn.Unflatten(1.0, (2, 3))",
])
def test_constructor_errors(expr):
    with pytest.raises(Exception) as te:
        eval(expr, {"nn": torch.nn})
    with pytest.raises(type(te.value)) as ee:
        eval(expr, {"nn": ember.nn})
    assert set_order_free(str(ee.value)) == set_order_free(str(te.value))


def test_unflatten_by_name_is_a_type_error():
    """ember has no named tensors (docs/DIFFERENCES.md): Unflatten takes torch's named form in its constructor,
    and its forward raises TypeError."""
    m = ember.nn.Unflatten("c", (("h", 2), ("w", 3)))
    with pytest.raises(TypeError, match="no named tensors"):
        m(ember.zeros(1, 6))


def set_order_free(message):
    """The message with each printed set's elements sorted: a set literal's iteration order depends on how
    its module was compiled (torch's from a .pyc), not on the code."""
    return re.sub(r"\{([^}]*)\}", lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}", message)
