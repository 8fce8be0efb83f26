"""Pooling, unpooling, upsampling, pixel shuffle, padding and fold layers against torch.nn: values, gradients,
state_dict, printout and constructor errors (through _layer_check)."""
import numpy as np
import pytest
import torch

import ember
from _layer_check import check_layer, rand, randn

DTYPES = ["float32", "float64"]


def pool_indices(fn, x, *args):
    return fn(torch.from_numpy(x), *args, return_indices=True)[1].numpy()


X1, X2, X3 = randn(2, 3, 4), randn(2, 3, 4, 6), randn(1, 2, 4, 4, 6)
F = torch.nn.functional

CASES = [
    ("nn.MaxPool1d(3)", [randn(2, 3, 10)]),
    ("nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True, return_indices=True)", [randn(2, 3, 11)]),
    ("nn.MaxPool2d(2)", [randn(2, 3, 6, 7)]),
    ("nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, return_indices=True)", [randn(2, 3, 7, 6)]),
    ("nn.MaxPool2d(3, stride=2, ceil_mode=True, dilation=(1, 2))", [randn(3, 8, 9)]),
    ("nn.MaxPool3d(2, stride=(1, 2, 2), padding=(1, 0, 1), return_indices=True)", [randn(1, 2, 4, 5, 6)]),
    ("nn.MaxUnpool1d(2)", [X1, pool_indices(F.max_pool1d, randn(2, 3, 8), 2)]),
    ("nn.MaxUnpool2d(2, stride=2)", [X2, pool_indices(F.max_pool2d, randn(2, 3, 8, 12), 2)]),
    ("nn.MaxUnpool3d(2)", [X3, pool_indices(F.max_pool3d, randn(1, 2, 8, 8, 12), 2)]),
    ("nn.AvgPool1d(3, stride=2, padding=1)", [randn(2, 3, 10)]),
    ("nn.AvgPool1d(2, ceil_mode=True, count_include_pad=False)", [randn(2, 3, 9)]),
    ("nn.AvgPool2d(2)", [randn(2, 3, 6, 7)]),
    ("nn.AvgPool2d((3, 2), stride=(2, 1), padding=1, ceil_mode=True, count_include_pad=False)", [randn(2, 3, 7, 6)]),
    ("nn.AvgPool2d(3, padding=1, divisor_override=4)", [randn(3, 7, 8)]),
    ("nn.AvgPool3d(2, stride=(1, 2, 2), padding=(1, 0, 1), count_include_pad=False)", [randn(1, 2, 4, 5, 6)]),
    ("nn.AdaptiveAvgPool1d(4)", [randn(2, 3, 10)]),
    ("nn.AdaptiveAvgPool2d((3, None))", [randn(2, 3, 7, 5)]),
    ("nn.AdaptiveAvgPool2d(4)", [randn(3, 9, 6)]),
    ("nn.AdaptiveAvgPool3d((2, 3, 2))", [randn(1, 2, 5, 7, 4)]),
    ("nn.AdaptiveMaxPool1d(3, return_indices=True)", [randn(2, 3, 10)]),
    ("nn.AdaptiveMaxPool2d((3, 4))", [randn(2, 3, 7, 9)]),
    ("nn.AdaptiveMaxPool3d(2, return_indices=True)", [randn(1, 2, 5, 4, 6)]),
    ("nn.LPPool1d(2, 3, stride=2)", [randn(2, 3, 10)]),
    ("nn.LPPool2d(1.5, (2, 3), ceil_mode=True)", [rand(2, 3, 7, 8, low=0.1)]),
    ("nn.Upsample(scale_factor=2)", [randn(2, 3, 4)]),
    ("nn.Upsample(size=(5, 7), mode='nearest')", [randn(2, 3, 3, 4)]),
    ("nn.Upsample(scale_factor=1.7, mode='linear')", [randn(2, 3, 5)]),
    ("nn.Upsample(scale_factor=(2, 1.5), mode='bilinear', align_corners=True)", [randn(2, 3, 3, 4)]),
    ("nn.Upsample(size=7, mode='bilinear')", [randn(2, 3, 3, 4)]),
    ("nn.Upsample(scale_factor=2, mode='bicubic', align_corners=False)", [randn(1, 2, 3, 4)]),
    ("nn.Upsample(size=(4, 5, 3), mode='trilinear')", [randn(1, 2, 2, 3, 2)]),
    ("nn.UpsamplingNearest2d(scale_factor=3)", [randn(2, 3, 2, 3)]),
    ("nn.UpsamplingBilinear2d(size=(5, 4))", [randn(2, 3, 2, 3)]),
    ("nn.PixelShuffle(2)", [randn(2, 8, 3, 4)]),
    ("nn.PixelUnshuffle(2)", [randn(2, 3, 4, 6)]),
    ("nn.ZeroPad2d((1, 2, 0, 3))", [randn(2, 3, 4, 5)]),
    ("nn.ZeroPad2d(2)", [randn(3, 4, 5)]),
    ("nn.ConstantPad1d((2, 1), 3.5)", [randn(2, 3, 4)]),
    ("nn.ConstantPad2d(1, -1.0)", [randn(2, 3, 4, 5)]),
    ("nn.ConstantPad3d((1, 0, 2, 1, 0, 1), 0.5)", [randn(1, 2, 3, 4, 5)]),
    ("nn.ReflectionPad1d((3, 1))", [randn(2, 3, 5)]),
    ("nn.ReflectionPad2d(2)", [randn(2, 3, 4, 5)]),
    ("nn.ReflectionPad3d((1, 2, 0, 1, 1, 1))", [randn(1, 2, 3, 4, 5)]),
    ("nn.ReplicationPad1d(2)", [randn(2, 3, 4)]),
    ("nn.ReplicationPad2d((1, 3, 2, 0))", [randn(3, 4, 5)]),
    ("nn.ReplicationPad3d(1)", [randn(1, 2, 3, 4, 5)]),
    ("nn.Fold(output_size=(4, 5), kernel_size=2)", [randn(2, 12, 12)]),
    ("nn.Fold((5, 6), (2, 3), dilation=(2, 1), padding=1, stride=(1, 2))", [randn(2, 6, 15)]),
    ("nn.Unfold(kernel_size=(2, 3))", [randn(2, 3, 4, 5)]),
    ("nn.Unfold(3, dilation=2, padding=1, stride=2)", [randn(2, 2, 7, 6)]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("expr,inputs", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(expr, inputs, dtype):
    tm, em = check_layer(expr, inputs, dtype)
    assert repr(em) == repr(tm)


def test_max_unpool_output_size():
    x = randn(2, 3, 5, 7)
    idx = pool_indices(F.max_pool2d, randn(2, 3, 11, 15), 2)
    check_layer("nn.MaxUnpool2d(2)", [x, idx], kwargs={"output_size": [11, 15]})


@pytest.mark.parametrize("dims,shape,pad", [(1, (2, 3, 5), (2, 1)), (2, (2, 3, 4, 5), (1, 2, 0, 3)),
                                            (3, (1, 2, 3, 4, 5), (1, 0, 2, 1, 1, 2)), (2, (3, 4, 5), 2)])
def test_circular_pad(dims, shape, pad):
    """CircularPad*d (torch 2.x's layers) equal torch 1.13's F.pad(mode='circular'), which takes a batch
    dimension only (an unbatched input is compared as a batch of one)."""
    x = randn(*shape)
    tx = torch.from_numpy(x).requires_grad_()
    ex = ember.from_numpy(x).requires_grad_()
    m = getattr(ember.nn, "CircularPad%dd" % dims)(pad)
    full = pad if isinstance(pad, tuple) else (pad,) * (2 * dims)
    assert m.padding == full
    assert repr(m) == "CircularPad%dd(%s)" % (dims, full)
    unbatched = len(shape) == dims + 1
    ty = F.pad(tx.unsqueeze(0) if unbatched else tx, full, mode="circular")
    ty = ty.squeeze(0) if unbatched else ty
    ey = m(ex)
    np.testing.assert_allclose(ey.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    g = randn(*ty.shape, seed=4)
    ty.backward(torch.from_numpy(g))
    ey.backward(ember.from_numpy(g))
    np.testing.assert_allclose(ex.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-12)
    with pytest.raises(ValueError, match="expected"):
        m(ember.zeros([2] * (dims + 3)))


@pytest.mark.parametrize("expr", ["nn.MaxPool2d(2)", "nn.AvgPool1d(4, stride=1, padding=1)", "nn.LPPool2d(2, 3)",
                                  "nn.Upsample(scale_factor=2, mode='linear')", "nn.AdaptiveMaxPool2d((None, 3))"])
def test_attributes(expr):
    """The attributes torch stores (stride defaulting to kernel_size, scale_factor as a float)."""
    tm = eval(expr, {"nn": torch.nn})
    em = eval(expr, {"nn": ember.nn})
    for k, v in vars(tm).items():
        if not k.startswith("_") and k != "training":
            assert getattr(em, k) == v and type(getattr(em, k)) is type(v), k
