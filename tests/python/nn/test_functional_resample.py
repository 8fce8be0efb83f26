"""ember.nn.functional's resampling (interpolate in every mode, the deprecated upsample*, pixel_shuffle /
pixel_unshuffle, grid_sample, affine_grid) against torch 1.13: values and gradients in float32 and float64,
size or scale_factor given as a number or per dim, align_corners and recompute_scale_factor, torch's
warnings, and its errors (the ValueErrors of torch's Python front ends included)."""
import warnings

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


INTERPOLATE = [
    ((2, 3, 5), dict(size=8, mode="nearest")),
    ((2, 3, 5), dict(scale_factor=1.7, mode="nearest")),
    ((2, 3, 5, 4), dict(size=(7, 3), mode="nearest")),
    ((2, 3, 3, 4, 2), dict(scale_factor=(2, 0.5, 1.5), mode="nearest")),
    ((2, 3, 5, 4), dict(scale_factor=1.5, mode="nearest-exact")),
    ((2, 3, 5), dict(size=(9,), mode="linear")),
    ((2, 3, 5), dict(scale_factor=2.3, mode="linear", align_corners=True)),
    ((2, 3, 5, 4), dict(size=(8, 7), mode="bilinear")),
    ((2, 3, 5, 4), dict(scale_factor=(1.5, 2.2), mode="bilinear", align_corners=True)),
    ((2, 3, 5, 4), dict(scale_factor=1.7, mode="bilinear", recompute_scale_factor=True)),
    ((2, 3, 5, 4), dict(size=(3, 9), mode="bicubic")),
    ((2, 3, 5, 4), dict(scale_factor=2.5, mode="bicubic", align_corners=True)),
    ((2, 3, 3, 4, 2), dict(size=(5, 3, 4), mode="trilinear")),
    ((2, 3, 3, 4, 2), dict(scale_factor=1.6, mode="trilinear", align_corners=True)),
    ((2, 3, 8), dict(size=3, mode="area")),
    ((2, 3, 8, 7), dict(scale_factor=0.5, mode="area")),
    ((2, 3, 6, 5, 7), dict(size=(2, 3, 4), mode="area")),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(INTERPOLATE)))
def test_interpolate(dtype, case):
    shape, kw = INTERPOLATE[case]
    compare(*both("interpolate", **kw), rand(*shape, dtype=dtype))


def test_interpolate_positional():
    x = rand(2, 3, 5, 4)
    compare(lambda x: F.interpolate(x, None, 2.0, "bilinear", False, False),
            lambda x: TF.interpolate(x, None, 2.0, "bilinear", False, False), x)


@pytest.mark.parametrize("name, kw", [
    ("upsample", dict(size=(7, 6), mode="bilinear", align_corners=False)),
    ("upsample", dict(scale_factor=2)),
    ("upsample_nearest", dict(scale_factor=3)),
    ("upsample_nearest", dict(size=7)),
    ("upsample_bilinear", dict(size=(9, 5))),
    ("upsample_bilinear", dict(scale_factor=1.5)),
])
def test_upsample_deprecated_forms(name, kw):
    x = rand(2, 3, 5, 4)
    with pytest.warns(UserWarning) as wt:
        getattr(TF, name)(x, **kw)
    with pytest.warns(UserWarning) as we:
        getattr(F, name)(ember.tensor(x.tolist(), dtype=ember.float64), **kw)
    assert [str(w.message) for w in we] == [str(w.message) for w in wt]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(*both(name, **kw), x)


@pytest.mark.parametrize("shape, kw", [
    ((2, 3, 5, 4), dict(size=(7, 3), scale_factor=2)),  # both
    ((2, 3, 5, 4), dict()),  # neither
    ((2, 3, 5, 4), dict(size=(7, 3, 2))),
    ((2, 3, 5, 4), dict(size=[7])),
    ((2, 3, 5, 4), dict(scale_factor=(2.0,))),
    ((2, 3, 5, 4), dict(scale_factor=[2.0, 1.0, 3.0], mode="bilinear")),
    ((2, 3, 5, 4), dict(size=4, mode="nearest", align_corners=True)),
    ((2, 3, 5, 4), dict(size=4, mode="area", align_corners=False)),
    ((2, 3, 5, 4), dict(size=(4, 4), recompute_scale_factor=True)),
    ((2, 3, 5), dict(size=4, mode="bilinear")),
    ((2, 3, 5, 4), dict(size=4, mode="trilinear")),
    ((2, 3, 5, 4, 3), dict(size=4, mode="bicubic")),
    ((2, 3), dict(size=4)),
    ((2, 3, 5, 4), dict(size=4, mode="cubic")),
    ((2, 3, 5), dict(size=4, mode="linear", antialias=True)),
])
def test_interpolate_errors(shape, kw):
    raises_like(*both("interpolate", **kw), rand(*shape))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape, r", [((2, 8, 3, 2), 2), ((9, 2, 3), 3), ((2, 1, 4, 2, 3), 1)])
def test_pixel_shuffle(dtype, shape, r):
    x = rand(*shape, dtype=dtype)
    compare(lambda x: F.pixel_shuffle(x, r), lambda x: TF.pixel_shuffle(x, r), x)
    y = TF.pixel_shuffle(x, r)
    compare(lambda y: ember.pixel_unshuffle(y, r), lambda y: torch.pixel_unshuffle(y, r), y)


@pytest.mark.parametrize("f, tf, args", [
    (F.pixel_shuffle, TF.pixel_shuffle, (rand(2, 7, 3, 3), 2)),
    (F.pixel_shuffle, TF.pixel_shuffle, (rand(8, 3), 2)),
    (F.pixel_unshuffle, TF.pixel_unshuffle, (rand(2, 4, 5, 4), 2)),
    (F.pixel_unshuffle, TF.pixel_unshuffle, (rand(2, 4, 4, 4), 0)),
])
def test_pixel_shuffle_errors(f, tf, args):
    raises_like(f, tf, *args)


GRID = [
    ((2, 3, 5, 4), (2, 6, 3, 2), dict(mode="bilinear", padding_mode="zeros", align_corners=False)),
    ((2, 3, 5, 4), (2, 6, 3, 2), dict(mode="bilinear", padding_mode="border", align_corners=True)),
    ((2, 3, 5, 4), (2, 6, 3, 2), dict(mode="bilinear", padding_mode="reflection", align_corners=False)),
    ((2, 3, 5, 4), (2, 6, 3, 2), dict(mode="nearest", padding_mode="reflection", align_corners=True)),
    ((2, 2, 4, 3, 5), (2, 3, 2, 4, 3), dict(mode="bilinear", padding_mode="zeros", align_corners=True)),
    ((2, 2, 4, 3, 5), (2, 3, 2, 4, 3), dict(mode="nearest", padding_mode="border", align_corners=False)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", range(len(GRID)))
def test_grid_sample(dtype, case):
    in_shape, grid_shape, kw = GRID[case]
    x, grid = rand(*in_shape, dtype=dtype), rand(*grid_shape, dtype=dtype, lo=-1.2, hi=1.2)
    if kw["mode"] == "nearest":
        compare(*both("grid_sample", **kw), x, grid, grad=False)
        compare(lambda x: F.grid_sample(x, ember.tensor(grid.tolist(), dtype=x.dtype), **kw),
                lambda x: TF.grid_sample(x, grid, **kw), x)
    else:
        compare(*both("grid_sample", **kw), x, grid)


def test_grid_sample_default_warns_as_torch():
    x, grid = rand(1, 2, 4, 4), rand(1, 3, 3, 2)
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        out_t = TF.grid_sample(x, grid)
    with pytest.warns(UserWarning, match="Default grid_sample and affine_grid behavior has changed"):
        compare(F.grid_sample, lambda x, g: out_t.detach(), x, grid, grad=False)


@pytest.mark.parametrize("args", [
    (rand(1, 2, 4, 4), rand(1, 3, 3, 2), "cubic", "zeros", False),
    (rand(1, 2, 4, 4), rand(1, 3, 3, 2), "bilinear", "wrap", False),
    (rand(1, 2, 4, 4), rand(1, 3, 3, 3), "bilinear", "zeros", False),
    (rand(1, 2, 4, 4), rand(2, 3, 3, 2), "bilinear", "zeros", False),
])
def test_grid_sample_errors(args):
    raises_like(F.grid_sample, TF.grid_sample, *args)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("theta_shape, size", [((2, 2, 3), (2, 3, 5, 4)), ((2, 3, 4), [2, 3, 4, 3, 5])])
@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid(dtype, theta_shape, size, align_corners):
    compare(*both("affine_grid", size=size, align_corners=align_corners), rand(*theta_shape, dtype=dtype))


def test_affine_grid_then_grid_sample():
    theta, x = rand(2, 2, 3), rand(2, 3, 5, 4)
    compare(lambda t, x: F.grid_sample(x, F.affine_grid(t, (2, 3, 6, 3), False), align_corners=False),
            lambda t, x: TF.grid_sample(x, TF.affine_grid(t, (2, 3, 6, 3), False), align_corners=False), theta, x)


@pytest.mark.parametrize("theta, size", [
    (rand(2, 2, 3), (2, 3, 5, 4, 3)),
    (rand(2, 3, 4), (2, 3, 5, 4)),
    (rand(2, 2, 3), (2, 3, 5)),
    (rand(2, 2, 3), (2, 3, 0, 4)),
    (torch.zeros(2, 2, 3, dtype=torch.int64), (2, 3, 5, 4)),
])
def test_affine_grid_errors(theta, size):
    raises_like(lambda t: F.affine_grid(t, size, False), lambda t: TF.affine_grid(t, size, False), theta,
                ember_names=True)
