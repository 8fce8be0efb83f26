"""ember.nn.functional's pooling (max_pool*, avg_pool*, adaptive_*_pool*, lp_pool*, max_unpool*) and the
top-level forms torch has (torch.max_pool2d, torch.avg_pool1d, ...) against torch 1.13: values, indices and
gradients in float32 and float64 over kernel / stride / padding / dilation / ceil_mode / count_include_pad /
divisor_override, return_indices choosing the result type, and torch's errors."""
import pytest
import torch
import torch.nn.functional as TF

import ember
import ember.nn.functional as F
from nn_compare import both, compare, raises_like, rand

DTYPES = [torch.float32, torch.float64]


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


MAX_POOL = [
    ("max_pool1d", (2, 3, 9), dict(kernel_size=3)),
    ("max_pool1d", (3, 10), dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True)),
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=2)),
    ("max_pool2d", (2, 3, 7, 6), dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2))),
    ("max_pool2d", (3, 7, 8), dict(kernel_size=3, stride=2, ceil_mode=True)),
    ("max_pool3d", (2, 2, 5, 4, 6), dict(kernel_size=2, stride=(1, 2, 2), padding=(1, 0, 1))),
    ("max_pool3d", (2, 5, 5, 6), dict(kernel_size=(2, 3, 2), dilation=(2, 1, 1), ceil_mode=True, stride=2)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(MAX_POOL)))
@pytest.mark.parametrize("return_indices", [False, True])
def test_max_pool(dtype, case, return_indices):
    name, shape, kw = MAX_POOL[case]
    compare(*both(name, return_indices=return_indices, **kw), rand(*shape, dtype=dtype))
    compare(*both(name + "_with_indices", **kw), rand(*shape, dtype=dtype))


def test_max_pool_positional_return_indices_and_top_level():
    x = rand(2, 3, 7, 6)
    compare(lambda x: F.max_pool2d(x, 2, None, 0, 1, False, True), lambda x: TF.max_pool2d(x, 2, None, 0, 1, False,
                                                                                             True), x)
    compare(lambda x: ember.max_pool2d(x, (2, 3), [1, 2], 1), lambda x: torch.max_pool2d(x, (2, 3), [1, 2], 1), x)
    compare(lambda x: ember.max_pool1d(x[0], 3), lambda x: torch.max_pool1d(x[0], 3), x)
    compare(lambda x: ember.max_pool3d(x, 2, 1), lambda x: torch.max_pool3d(x, 2, 1), x)
    compare(lambda x: ember.max_pool2d(x, 2, None), lambda x: torch.max_pool2d(x, 2, None), x)
    compare(lambda x: ember.max_pool1d_with_indices(x[0], 2), lambda x: torch.max_pool1d_with_indices(x[0], 2), x)


AVG_POOL = [
    ("avg_pool1d", (2, 3, 9), dict(kernel_size=3)),
    ("avg_pool1d", (3, 10), dict(kernel_size=4, stride=3, padding=2, ceil_mode=True, count_include_pad=False)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=2, stride=None)),
    ("avg_pool2d", (2, 3, 7, 6), dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), count_include_pad=False)),
    ("avg_pool2d", (3, 7, 8), dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, divisor_override=4)),
    ("avg_pool3d", (2, 2, 5, 4, 6), dict(kernel_size=2, stride=(1, 2, 2), padding=(1, 0, 1))),
    ("avg_pool3d", (2, 5, 5, 6), dict(kernel_size=(2, 3, 2), ceil_mode=True, stride=2, count_include_pad=False,
                                      divisor_override=5)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(AVG_POOL)))
def test_avg_pool(dtype, case):
    name, shape, kw = AVG_POOL[case]
    compare(*both(name, **kw), rand(*shape, dtype=dtype))


def test_avg_pool_positional_and_top_level():
    x = rand(2, 3, 7, 6)
    compare(lambda x: F.avg_pool2d(x, 3, 2, 1, True, False, 2), lambda x: TF.avg_pool2d(x, 3, 2, 1, True, False, 2),
            x)
    compare(lambda x: ember.avg_pool1d(x[0], 3, None, 1), lambda x: torch.avg_pool1d(x[0], 3, None, 1), x)
    assert F.avg_pool1d is ember.avg_pool1d


ADAPTIVE = [
    ("1d", (2, 3, 9), 4),
    ("1d", (3, 10), (3,)),
    ("2d", (2, 3, 7, 6), (3, 4)),
    ("2d", (3, 7, 6), 5),
    ("2d", (2, 3, 7, 6), (None, 2)),
    ("3d", (2, 2, 5, 4, 6), (2, 3, 4)),
    ("3d", (2, 5, 5, 6), (3, None, 7)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(ADAPTIVE)))
def test_adaptive_pool(dtype, case):
    nd, shape, out = ADAPTIVE[case]
    compare(*both("adaptive_avg_pool" + nd, output_size=out), rand(*shape, dtype=dtype))
    for ri in (False, True):
        compare(*both("adaptive_max_pool" + nd, output_size=out, return_indices=ri), rand(*shape, dtype=dtype))
    compare(*both("adaptive_max_pool" + nd + "_with_indices", output_size=out), rand(*shape, dtype=dtype))


def test_adaptive_pool_top_level():
    x = rand(2, 3, 9)
    compare(lambda x: ember.adaptive_avg_pool1d(x, 4), lambda x: torch.adaptive_avg_pool1d(x, 4), x)
    compare(lambda x: ember.adaptive_max_pool1d(x, 4), lambda x: torch.adaptive_max_pool1d(x, 4), x)


LP_POOL = [
    ("lp_pool1d", (2, 3, 9), dict(norm_type=2, kernel_size=3)),
    ("lp_pool1d", (3, 10), dict(norm_type=1.5, kernel_size=4, stride=3, ceil_mode=True)),
    ("lp_pool2d", (2, 3, 7, 6), dict(norm_type=3, kernel_size=2)),
    ("lp_pool2d", (2, 3, 7, 6), dict(norm_type=2.5, kernel_size=(3, 2), stride=(2, 1))),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(LP_POOL)))
def test_lp_pool(dtype, case):
    name, shape, kw = LP_POOL[case]
    compare(*both(name, **kw), rand(*shape, dtype=dtype, lo=0.1, hi=2.0))


UNPOOL = [
    ("1d", (2, 3, 9), dict(kernel_size=3), None),
    ("1d", (3, 10), dict(kernel_size=2, stride=3, padding=1), (11,)),
    ("2d", (2, 3, 7, 6), dict(kernel_size=2), (2, 3, 7, 7)),
    ("2d", (3, 7, 8), dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0)), None),
    ("3d", (2, 2, 5, 4, 6), dict(kernel_size=2, stride=(1, 2, 2)), (5, 5, 7)),
    ("3d", (2, 5, 5, 6), dict(kernel_size=(2, 3, 2), stride=2), None),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(UNPOOL)))
def test_max_unpool(dtype, case):
    nd, shape, kw, out = UNPOOL[case]
    pooled, indices = getattr(TF, "max_pool" + nd)(rand(*shape, dtype=dtype), return_indices=True, **kw)
    compare(*both("max_unpool" + nd, output_size=out, **kw), pooled, indices)


@pytest.mark.parametrize("f, tf, args", [
    (F.max_pool2d, TF.max_pool2d, (rand(2, 3, 6, 6), 2, 2, 2)),  # padding over half the kernel
    (F.max_pool2d, TF.max_pool2d, (rand(2, 3, 6, 6), 0)),
    (F.max_pool2d, TF.max_pool2d, (rand(2, 3, 2, 4), 3)),  # output size 0
    (F.max_pool2d, TF.max_pool2d, (rand(2, 3, 6, 6), (2, 2, 2))),
    (F.avg_pool2d, TF.avg_pool2d, (rand(2, 3, 6, 6), 2, 2, 0, False, True, 0)),  # divisor_override 0
    (F.avg_pool1d, TF.avg_pool1d, (rand(2, 3, 6), 2, 2, 2)),
    (F.adaptive_avg_pool2d, TF.adaptive_avg_pool2d, (rand(3, 6), (2, None))),  # _list_with_default's ValueError
    (F.adaptive_max_pool3d, TF.adaptive_max_pool3d, (rand(6, 6, 6), (2, 2, None))),
    (F.adaptive_avg_pool2d, TF.adaptive_avg_pool2d, (rand(2, 3, 6, 6), (2, 2, 2))),
    (F.adaptive_max_pool1d, TF.adaptive_max_pool1d, (rand(2, 3, 6, 6), 2)),
    (F.adaptive_avg_pool1d, TF.adaptive_avg_pool1d, (rand(6), 2)),
])
def test_pool_errors(f, tf, args):
    raises_like(f, tf, *args)


def test_max_unpool_errors():
    pooled, indices = TF.max_pool2d(rand(1, 2, 6, 6), 2, return_indices=True)
    for out in [(9, 9), (1, 2, 9, 9), (1, 2, 3), (3, 3)]:
        raises_like(lambda x, i: F.max_unpool2d(x, i, 2, output_size=out),
                    lambda x, i: TF.max_unpool2d(x, i, 2, output_size=out), pooled, indices)
    pooled, indices = TF.max_pool1d(rand(2, 6), 2, return_indices=True)
    raises_like(lambda x, i: F.max_unpool1d(x, i, 2, output_size=(9,)),
                lambda x, i: TF.max_unpool1d(x, i, 2, output_size=(9,)), pooled, indices)
