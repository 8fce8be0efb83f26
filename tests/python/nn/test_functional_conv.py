"""ember.nn.functional's linear and convolution layers (linear, bilinear, conv*, conv_transpose*, pad, unfold,
fold) against torch 1.13: values and gradients in float32 and float64 over the argument forms (int or
tuple sizes, padding strings, groups, dilation, output_padding, unbatched inputs), and torch's errors."""
import pytest
import torch
import torch.nn.functional as TF

import ember
import ember.nn.functional as F
from nn_compare import compare, raises_like, rand

DTYPES = [torch.float32, torch.float64]


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("in_shape", [(5,), (3, 5), (2, 3, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(dtype, in_shape, bias):
    b = rand(4, dtype=dtype) if bias else None
    compare(F.linear, TF.linear, rand(*in_shape, dtype=dtype), rand(4, 5, dtype=dtype), b)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear(dtype, bias):
    b = rand(4, dtype=dtype) if bias else None
    args = rand(2, 3, 5, dtype=dtype), rand(2, 3, 6, dtype=dtype), rand(4, 5, 6, dtype=dtype), b
    compare(F.bilinear, TF.bilinear, *args)
    compare(ember.bilinear, torch.bilinear, *args)


def test_linear_errors():
    raises_like(F.linear, TF.linear, rand(2, 5), rand(4, 6))


# (input shape, weight shape, keyword arguments): 1-d, 2-d and 3-d; int and tuple forms; groups;
# the padding strings; unbatched inputs.
CONV = [
    (TF.conv1d, F.conv1d, (2, 4, 9), (6, 4, 3), dict()),
    (TF.conv1d, F.conv1d, (2, 4, 9), (6, 2, 3), dict(stride=2, padding=1, dilation=2, groups=2)),
    (TF.conv1d, F.conv1d, (4, 9), (6, 4, 3), dict(padding="same", dilation=2)),
    (TF.conv1d, F.conv1d, (2, 4, 9), (6, 4, 4), dict(padding="same")),
    (TF.conv2d, F.conv2d, (2, 3, 7, 6), (4, 3, 3, 2), dict()),
    (TF.conv2d, F.conv2d, (2, 4, 7, 6), (6, 2, 3, 3), dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)),
    (TF.conv2d, F.conv2d, (2, 4, 7, 6), (4, 1, 3, 3), dict(padding="same", groups=4)),
    (TF.conv2d, F.conv2d, (3, 7, 6), (4, 3, 2, 3), dict(padding="valid", stride=2)),
    (TF.conv3d, F.conv3d, (2, 2, 5, 4, 6), (3, 2, 2, 3, 2), dict(stride=(1, 2, 1), padding=1)),
    (TF.conv3d, F.conv3d, (2, 5, 4, 6), (4, 1, 3, 1, 2), dict(padding="same", dilation=(1, 2, 2), groups=2)),
]


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")  # torch's own notice
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(CONV)))
@pytest.mark.parametrize("bias", [True, False])
def test_conv(dtype, case, bias):
    tf, f, in_shape, w_shape, kw = CONV[case]
    b = rand(w_shape[0], dtype=dtype) if bias else None
    compare(lambda x, w, b: f(x, w, b, **kw), lambda x, w, b: tf(x, w, b, **kw),
            rand(*in_shape, dtype=dtype), rand(*w_shape, dtype=dtype), b)


CONV_T = [
    (TF.conv_transpose1d, F.conv_transpose1d, (2, 4, 5), (4, 3, 3), dict()),
    (TF.conv_transpose1d, F.conv_transpose1d, (4, 5), (4, 2, 3),
     dict(stride=3, padding=1, output_padding=2, groups=2, dilation=1)),
    (TF.conv_transpose2d, F.conv_transpose2d, (2, 4, 4, 3), (4, 3, 3, 2), dict(stride=2, output_padding=1)),
    (TF.conv_transpose2d, F.conv_transpose2d, (2, 4, 4, 3), (4, 1, 3, 3),
     dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(2, 1))),
    (TF.conv_transpose3d, F.conv_transpose3d, (2, 2, 3, 2, 3), (2, 3, 2, 2, 3),
     dict(stride=(2, 1, 2), padding=(0, 1, 1), output_padding=(1, 0, 0))),
    (TF.conv_transpose3d, F.conv_transpose3d, (4, 3, 2, 3), (4, 1, 2, 2, 2), dict(groups=2, dilation=2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(CONV_T)))
@pytest.mark.parametrize("bias", [True, False])
def test_conv_transpose(dtype, case, bias):
    tf, f, in_shape, w_shape, kw = CONV_T[case]
    groups = kw.get("groups", 1)
    b = rand(w_shape[1] * groups, dtype=dtype) if bias else None
    compare(lambda x, w, b: f(x, w, b, **kw), lambda x, w, b: tf(x, w, b, **kw),
            rand(*in_shape, dtype=dtype), rand(*w_shape, dtype=dtype), b)


def test_top_level_and_positional_forms():
    x, w, b = rand(2, 4, 7, 6), rand(6, 2, 3, 3), rand(6)
    compare(lambda x, w, b: ember.conv2d(x, w, b, 2, 1, 1, 2), lambda x, w, b: torch.conv2d(x, w, b, 2, 1, 1, 2),
            x, w, b)
    compare(lambda x, w, b: ember.conv1d(x, w, b, 1, "same"), lambda x, w, b: torch.conv1d(x, w, b, 1, "same"),
            rand(2, 4, 9), rand(6, 4, 3), b)
    xt, wt = rand(2, 4, 4, 3), rand(4, 3, 3, 2)
    compare(lambda x, w: ember.conv_transpose2d(x, w, None, 2, 1, 1), lambda x, w: torch.conv_transpose2d(
        x, w, None, 2, 1, 1), xt, wt)
    compare(lambda x, w: ember.convolution(x, w, None, [2, 1], [1, 0], [1, 1], True, [1, 0], 1),
            lambda x, w: torch.convolution(x, w, None, [2, 1], [1, 0], [1, 1], True, [1, 0], 1), xt, wt)
    assert F.conv2d is ember.conv2d and F.conv_transpose3d is ember.conv_transpose3d


@pytest.mark.parametrize("f, tf, args", [
    (F.conv2d, TF.conv2d, (rand(2, 4, 5, 5), rand(6, 3, 3, 3), None, 1, 0, 1, 2)),  # channels / groups mismatch
    (F.conv2d, TF.conv2d, (rand(2, 4, 5, 5), rand(6, 4, 3, 3), None, 2, "same")),  # "same" with stride 2
    (F.conv2d, TF.conv2d, (rand(2, 4, 5, 5), rand(6, 4, 3, 3), None, 1, "full")),
    (F.conv1d, TF.conv1d, (rand(2, 4, 5, 5), rand(6, 4, 3), None)),  # 4-d input to conv1d
    (F.conv2d, TF.conv2d, (rand(2, 4, 2, 2), rand(6, 4, 3, 3), None)),  # kernel larger than input
    (F.conv_transpose2d, TF.conv_transpose2d, (rand(2, 4, 3, 3), rand(4, 2, 3, 3), None, 1, 0, 1)),
])
def test_conv_errors(f, tf, args):
    raises_like(f, tf, *args)


PAD = [
    ((2, 3, 4), (1, 2), "constant", None),
    ((2, 3, 4), (1, 2, 0, 1), "constant", 2.5),
    ((2, 3, 4, 5), (-1, 2, 1, -2), "constant", None),
    ((2, 3, 4), (3, 2), "reflect", None),
    ((2, 3, 4, 5), (1, 2, 3, 0), "reflect", None),
    ((3, 4, 5), (1, 2, 3, 0), "replicate", None),
    ((1, 2, 3, 4, 2), (1, 1, 2, 3, 0, 1), "replicate", None),
    ((2, 3, 4, 5), (2, 1, 4, 3), "circular", None),
    ((2, 3, 4), (4, 0), "circular", None),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(PAD)))
def test_pad(dtype, case):
    shape, pad, mode, value = PAD[case]
    kw = {} if value is None else {"value": value}
    compare(lambda x: F.pad(x, pad, mode, **kw), lambda x: TF.pad(x, pad, mode, **kw), rand(*shape, dtype=dtype))


def test_pad_integer_input_and_constant_pad_nd():
    x = torch.arange(12).reshape(3, 4)
    compare(lambda x: F.pad(x, (1, 1), value=7), lambda x: TF.pad(x, (1, 1), value=7), x, grad=False)
    compare(lambda x: ember.constant_pad_nd(x, [1, 0, 2, 1], 1.5),
            lambda x: torch.constant_pad_nd(x, [1, 0, 2, 1], 1.5), rand(2, 3))


@pytest.mark.parametrize("shape, pad, mode, value", [
    ((2, 3, 4), (1, 2, 3), "constant", None),  # odd length
    ((2, 3), (1, 1, 1, 1, 1, 1), "constant", None),  # longer than the input's rank
    ((2, 3, 4), (4, 1), "reflect", None),  # reflect pad as wide as the dim, in each of 1-d, 2-d and 3-d
    ((3, 4, 5), (1, 1, 4, 0), "reflect", None),
    ((1, 2, 3, 4, 2), (0, 0, 0, 0, 3, 0), "reflect", None),
    ((2, 3, 4), (1, 1), "reflect", 1.0),  # value with a non-constant mode
    ((2, 3, 4), (1, 1), "wrap", None),
    ((2, 3, 4), (5, 0), "circular", None),  # wraps more than once
    ((2, 3, 4, 5, 6, 7), (1, 1), "replicate", None),  # too many dims for non-constant modes
])
def test_pad_errors(shape, pad, mode, value):
    kw = {} if value is None else {"value": value}
    raises_like(lambda x: F.pad(x, pad, mode, **kw), lambda x: TF.pad(x, pad, mode, **kw), rand(*shape))


UNFOLD = [
    ((2, 3, 6, 5), dict(kernel_size=2)),
    ((2, 3, 6, 5), dict(kernel_size=(2, 3), dilation=(2, 1), padding=1, stride=(2, 1))),
    ((3, 6, 5), dict(kernel_size=3, padding=(1, 0), stride=2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(UNFOLD)))
def test_unfold_and_fold(dtype, case):
    shape, kw = UNFOLD[case]
    x = rand(*shape, dtype=dtype)
    compare(lambda x: F.unfold(x, **kw), lambda x: TF.unfold(x, **kw), x)
    cols = TF.unfold(x, **kw)
    compare(lambda c: F.fold(c, shape[-2:], **kw), lambda c: TF.fold(c, shape[-2:], **kw), cols)


@pytest.mark.parametrize("f, tf, args", [
    (F.unfold, TF.unfold, (rand(2, 3, 4, 4), 5)),  # kernel larger than the padded input
    (F.unfold, TF.unfold, (rand(2, 3, 4, 4), 0)),
    (F.fold, TF.fold, (rand(2, 10, 9), (4, 4), 2)),  # 10 rows: not a multiple of the 4 kernel elements
    (F.fold, TF.fold, (rand(2, 12, 8), (4, 4), 2)),  # block count differs from the output size's
])
def test_unfold_fold_errors(f, tf, args):
    raises_like(f, tf, *args)
