"""Golden values for tests/cpp/test_pool.cpp: max/avg/adaptive pools and max_unpool from PyTorch.

Each case i of a kind saves `<kind>.<i>.cfg` (int64 parameters, laid out as the test reads them), the
input `x`, a random upstream gradient `g`, the output `out` (and `idx` for max pools) and the input
gradient `gx`, all computed in float64.
"""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
T = {}


def grad_of(out, x):
    g = torch.randn_like(out)
    (gx,) = torch.autograd.grad(out, x, g)
    return g, gx


def per_dim(v, nd):
    return list(v) if isinstance(v, (tuple, list)) else [v] * nd


# (nd, shape, kernel, stride, padding, dilation, ceil_mode)
MAX = [
    (2, (2, 3, 8, 8), 2, None, 0, 1, False),
    (2, (2, 3, 9, 7), 2, None, 0, 1, False),
    (2, (2, 3, 9, 7), 2, None, 0, 1, True),
    (2, (1, 2, 10, 9), 3, 2, 1, 1, False),
    (2, (1, 2, 10, 9), 3, 2, 1, 1, True),
    (2, (2, 2, 11, 12), (3, 2), (2, 1), (1, 0), (2, 3), False),
    (2, (2, 2, 11, 12), (3, 2), (2, 3), (1, 1), (1, 2), True),
    (2, (3, 7, 6), 3, 1, 1, 1, False),
    (1, (2, 3, 13), 4, 3, 2, 2, True),
    (1, (2, 13), 3, 2, 0, 1, False),
    (3, (1, 2, 5, 6, 7), 2, None, 0, 1, False),
    (3, (2, 5, 6, 7), (2, 3, 2), (1, 2, 2), (1, 1, 0), (2, 1, 2), True),
    (2, (1, 2, 4, 5), 1, 1, 0, 1, False),
    (2, (2, 4, 26, 26), 2, None, 0, 1, False),
    (2, (2, 4, 11, 11), 2, None, 0, 1, False),
]
for i, (nd, shape, k, s, p, d, ceil) in enumerate(MAX):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[nd]
    out, idx = fn(x, k, s, p, d, ceil, return_indices=True)
    g, gx = grad_of(out, x)
    sd = per_dim(k if s is None else s, nd)
    cfg = [nd, int(ceil)] + per_dim(k, nd) + sd + per_dim(p, nd) + per_dim(d, nd)
    T.update({f"max.{i}.cfg": torch.tensor(cfg), f"max.{i}.x": x, f"max.{i}.out": out, f"max.{i}.idx": idx,
              f"max.{i}.g": g, f"max.{i}.gx": gx})
    # max_unpool of the pooled values back to the input's spatial size
    y = out.detach().clone().requires_grad_(True)
    osz = list(shape[-nd:])
    if nd == 1:
        u = torch._C._nn.max_unpool2d(y.unsqueeze(-1), idx.unsqueeze(-1), osz + [1]).squeeze(-1)
    elif nd == 2:
        u = torch._C._nn.max_unpool2d(y, idx, osz)
    else:
        u = torch._C._nn.max_unpool3d(y, idx, osz, per_dim(k if s is None else s, 3), per_dim(p, 3))
    gu, gy = grad_of(u, y)
    T.update({f"max.{i}.unpool": u, f"max.{i}.unpool_g": gu, f"max.{i}.unpool_gx": gy})

# (nd, shape, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override)
AVG = [
    (2, (2, 3, 8, 8), 2, None, 0, False, True, None),
    (2, (2, 3, 9, 7), 3, 2, 1, False, True, None),
    (2, (2, 3, 9, 7), 3, 2, 1, False, False, None),
    (2, (2, 3, 9, 7), 3, 2, 1, True, True, None),
    (2, (2, 3, 9, 7), 3, 2, 1, True, False, None),
    (2, (1, 2, 10, 11), (3, 2), (2, 3), (1, 1), True, True, 5),
    (2, (3, 6, 5), 2, 1, 1, False, False, None),
    (1, (2, 3, 11), 4, 3, 2, True, True, None),
    (1, (2, 3, 11), 4, 3, 2, True, False, None),
    (1, (3, 11), 3, 2, 1, False, True, None),
    (3, (1, 2, 5, 6, 7), 2, None, 0, False, True, None),
    (3, (2, 5, 6, 7), (2, 3, 2), (1, 2, 2), (1, 1, 0), True, False, None),
    (3, (1, 2, 5, 6, 7), 3, 2, 1, True, True, 7),
]
for i, (nd, shape, k, s, p, ceil, cip, div) in enumerate(AVG):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    if nd == 1:
        out = F.avg_pool1d(x, k, s, p, ceil, cip)
    else:
        out = {2: F.avg_pool2d, 3: F.avg_pool3d}[nd](x, k, s, p, ceil, cip, div)
    g, gx = grad_of(out, x)
    cfg = [nd, int(ceil), int(cip), div or 0] + per_dim(k, nd) + per_dim(k if s is None else s, nd) + per_dim(p, nd)
    T.update({f"avg.{i}.cfg": torch.tensor(cfg), f"avg.{i}.x": x, f"avg.{i}.out": out, f"avg.{i}.g": g,
              f"avg.{i}.gx": gx})

# (nd, shape, output_size)
ADAPTIVE = [
    (2, (2, 3, 8, 8), (4, 4)),
    (2, (2, 3, 9, 7), (4, 3)),
    (2, (2, 3, 5, 7), (7, 9)),
    (2, (3, 10, 11), (1, 1)),
    (1, (2, 3, 13), (5,)),
    (1, (3, 7), (7,)),
    (3, (1, 2, 5, 6, 7), (3, 2, 4)),
    (3, (2, 5, 6, 7), (2, 5, 3)),
]
for i, (nd, shape, osz) in enumerate(ADAPTIVE):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    out = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}[nd](x, osz)
    g, gx = grad_of(out, x)
    mfn = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}[nd]
    mout, midx = mfn(x, osz, return_indices=True)
    mg, mgx = grad_of(mout, x)
    T.update({f"adaptive.{i}.cfg": torch.tensor([nd] + list(osz)), f"adaptive.{i}.x": x,
              f"adaptive.{i}.avg": out, f"adaptive.{i}.avg_g": g, f"adaptive.{i}.avg_gx": gx,
              f"adaptive.{i}.max": mout, f"adaptive.{i}.max_idx": midx, f"adaptive.{i}.max_g": mg,
              f"adaptive.{i}.max_gx": mgx})

# lp_pool: (nd, shape, norm_type, kernel, stride, ceil_mode)
LP = [(2, (2, 3, 8, 7), 2.0, 2, None, False), (2, (1, 2, 7, 7), 3.0, 3, 2, True), (1, (2, 3, 11), 1.5, 3, 2, False)]
for i, (nd, shape, pnorm, k, s, ceil) in enumerate(LP):
    x = (torch.rand(shape, dtype=torch.float64) + 0.1).requires_grad_(True)
    out = {1: F.lp_pool1d, 2: F.lp_pool2d}[nd](x, pnorm, k, s, ceil)
    g, gx = grad_of(out, x)
    cfg = [nd, int(ceil), k, k if s is None else s]
    T.update({f"lp.{i}.cfg": torch.tensor(cfg), f"lp.{i}.p": pnorm, f"lp.{i}.x": x, f"lp.{i}.out": out,
              f"lp.{i}.g": g, f"lp.{i}.gx": gx})

# NaN propagates through max pools; the last NaN of a window gives the index.
xn = torch.tensor([[[[1.0, float("nan"), 3.0, 4.0], [float("nan"), 0.0, float("-inf"), float("-inf")]]]],
                  dtype=torch.float64)
out, idx = F.max_pool2d(xn, 2, return_indices=True)
T.update({"nan.x": xn, "nan.out": out, "nan.idx": idx})

save("pool", T)
