"""Golden values for tests/cpp/test_resample.cpp: interpolate, grid_sample, affine_grid and
pixel_(un)shuffle from PyTorch, float64, with the gradients of random upstream gradients.

interp.<i>.cfg = [mode id (MODES), align_corners (0, 1, 2 = None), recompute_scale_factor (same),
number of sizes, sizes...]; interp.<i>.scale holds the scale factors (empty for none).
"""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
T = {}
MODES = ["nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"]


def grads(out, *xs):
    g = torch.randn_like(out)
    return g, torch.autograd.grad(out, xs, g)


def tri(v):
    return 2 if v is None else int(v)


# (shape, size, scale_factor, mode, align_corners, recompute_scale_factor)
INTERP = [
    ((2, 3, 5), 9, None, "nearest", None, None),
    ((2, 3, 7), None, 1.7, "nearest", None, None),
    ((2, 3, 7), None, 0.6, "nearest", None, None),
    ((1, 2, 4, 5), None, 2.0, "nearest", None, None),
    ((1, 2, 4, 5), (7, 3), None, "nearest", None, None),
    ((1, 2, 4, 5), None, (1.5, 2.3), "nearest", None, True),
    ((1, 2, 3, 4, 5), (5, 3, 7), None, "nearest", None, None),
    ((1, 2, 4, 5), (7, 3), None, "nearest-exact", None, None),
    ((1, 2, 6, 7), None, 0.7, "nearest-exact", None, None),
    ((2, 3, 5), 9, None, "linear", False, None),
    ((2, 3, 5), 9, None, "linear", True, None),
    ((2, 3, 8), None, 0.6, "linear", None, None),
    ((1, 2, 4, 5), (7, 9), None, "bilinear", False, None),
    ((1, 2, 4, 5), (7, 9), None, "bilinear", True, None),
    ((1, 2, 4, 5), None, 1.5, "bilinear", False, None),
    ((1, 2, 4, 5), None, 1.5, "bilinear", False, True),
    ((1, 2, 9, 8), (4, 3), None, "bilinear", False, None),
    ((1, 2, 4, 5), (7, 9), None, "bicubic", False, None),
    ((1, 2, 4, 5), (7, 9), None, "bicubic", True, None),
    ((1, 2, 9, 8), None, 0.55, "bicubic", False, None),
    ((1, 2, 3, 4, 5), (5, 3, 7), None, "trilinear", False, None),
    ((1, 2, 3, 4, 5), None, (2.0, 1.5, 0.8), "trilinear", True, None),
    ((1, 2, 8, 9), None, 0.5, "area", None, None),
    ((1, 2, 8, 9), (3, 4), None, "area", None, None),
    ((2, 3, 5), 1, None, "linear", True, None),
]
for i, (shape, size, scale, mode, ac, rc) in enumerate(INTERP):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    out = F.interpolate(x, size=size, scale_factor=scale, mode=mode, align_corners=ac, recompute_scale_factor=rc)
    g, (gx,) = grads(out, x)
    sizes = [] if size is None else ([size] if isinstance(size, int) else list(size))
    scales = [] if scale is None else ([scale] if isinstance(scale, float) else list(scale))
    T.update({f"interp.{i}.cfg": torch.tensor([MODES.index(mode), tri(ac), tri(rc), len(sizes)] + sizes),
              f"interp.{i}.scale": torch.tensor(scales, dtype=torch.float64), f"interp.{i}.x": x,
              f"interp.{i}.out": out, f"interp.{i}.g": g, f"interp.{i}.gx": gx})

# grid_sample: (input shape, grid shape, mode, padding_mode, align_corners); grid points reach outside
# [-1, 1] so every padding mode matters.
GRID = [
    ((2, 3, 5, 6), (2, 4, 7, 2), "bilinear", "zeros", False),
    ((2, 3, 5, 6), (2, 4, 7, 2), "bilinear", "zeros", True),
    ((2, 3, 5, 6), (2, 4, 7, 2), "bilinear", "border", False),
    ((2, 3, 5, 6), (2, 4, 7, 2), "bilinear", "reflection", False),
    ((2, 3, 5, 6), (2, 4, 7, 2), "bilinear", "reflection", True),
    ((2, 3, 5, 6), (2, 4, 7, 2), "nearest", "zeros", False),
    ((2, 3, 5, 6), (2, 4, 7, 2), "nearest", "border", True),
    ((2, 3, 5, 6), (2, 4, 7, 2), "nearest", "reflection", False),
    ((1, 2, 3, 4, 5), (1, 2, 3, 4, 3), "bilinear", "zeros", False),
    ((1, 2, 3, 4, 5), (1, 2, 3, 4, 3), "bilinear", "reflection", True),
    ((1, 2, 3, 4, 5), (1, 2, 3, 4, 3), "nearest", "border", False),
]
PAD = ["zeros", "border", "reflection"]
for i, (shape, gshape, mode, pad, ac) in enumerate(GRID):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    grid = (torch.rand(gshape, dtype=torch.float64) * 2.6 - 1.3).requires_grad_(True)
    out = F.grid_sample(x, grid, mode=mode, padding_mode=pad, align_corners=ac)
    g, (gx, ggrid) = grads(out, x, grid)
    T.update({f"grid.{i}.cfg": torch.tensor([int(mode == "nearest"), PAD.index(pad), int(ac)]), f"grid.{i}.x": x,
              f"grid.{i}.grid": grid, f"grid.{i}.out": out, f"grid.{i}.g": g, f"grid.{i}.gx": gx})
    if mode == "bilinear":
        T[f"grid.{i}.ggrid"] = ggrid

AFFINE = [((2, 3, 4, 5), False), ((2, 3, 4, 5), True), ((1, 1, 1, 3), False), ((2, 1, 3, 4, 5), False),
          ((2, 1, 3, 4, 5), True)]
for i, (size, ac) in enumerate(AFFINE):
    nd = len(size) - 2
    theta = torch.randn(size[0], nd, nd + 1, dtype=torch.float64, requires_grad=True)
    out = F.affine_grid(theta, size, align_corners=ac)
    g, (gt,) = grads(out, theta)
    T.update({f"affine.{i}.size": torch.tensor(size), f"affine.{i}.ac": int(ac), f"affine.{i}.theta": theta,
              f"affine.{i}.out": out, f"affine.{i}.g": g, f"affine.{i}.gt": gt})

x = torch.randn(2, 8, 3, 4, dtype=torch.float64, requires_grad=True)
ps = F.pixel_shuffle(x, 2)
g, (gx,) = grads(ps, x)
T.update({"shuffle.x": x, "shuffle.out": ps, "shuffle.g": g, "shuffle.gx": gx,
          "shuffle.x5": (x5 := torch.randn(2, 2, 9, 2, 3, dtype=torch.float64)), "shuffle.out5": F.pixel_shuffle(x5, 3),
          "unshuffle.x": (xu := torch.randn(2, 3, 4, 6, dtype=torch.float64)),
          "unshuffle.out": F.pixel_unshuffle(xu, 2), "unshuffle.x3": (xu3 := torch.randn(2, 6, 9)),
          "unshuffle.out3": F.pixel_unshuffle(xu3, 3)})

save("resample", T)
