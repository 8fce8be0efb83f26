"""Golden values for the convolution family (tests/cpp/test_conv.cpp): conv1d/2d/3d, conv_transpose1d/2d/3d,
F.pad, F.unfold/F.fold, each with the gradients of a random upstream gradient. Inputs are float64; the C++
test also runs them in float32. Each case stores its arguments as int64 tensors next to its values."""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
T = {}


def r(*shape):
    return torch.randn(*shape, dtype=torch.float64)


# name, transposed, x shape, w shape, bias, stride, padding (int list or "same"/"valid"), dilation, groups,
# output_padding
CONV = [
    ("c1_basic", False, (2, 4, 9), (6, 4, 3), True, [2], [1], [1], 1, [0]),
    ("c1_groups_dil", False, (2, 4, 11), (6, 2, 3), False, [1], [2], [2], 2, [0]),
    ("c1_same_even", False, (2, 3, 8), (2, 3, 4), True, [1], "same", [1], 1, [0]),
    ("c2_basic", False, (2, 3, 7, 6), (4, 3, 3, 2), True, [2, 1], [1, 0], [1, 2], 1, [0, 0]),
    ("c2_groups3", False, (2, 6, 5, 5), (9, 2, 3, 3), True, [1, 1], [1, 1], [1, 1], 3, [0, 0]),
    ("c2_depthwise", False, (2, 4, 6, 6), (4, 1, 3, 3), False, [2, 2], [1, 1], [1, 1], 4, [0, 0]),
    ("c2_same_even", False, (2, 3, 6, 7), (4, 3, 2, 4), True, [1, 1], "same", [1, 2], 1, [0, 0]),
    ("c2_same_odd", False, (1, 2, 5, 5), (3, 2, 3, 3), True, [1, 1], "same", [2, 1], 1, [0, 0]),
    ("c2_valid", False, (2, 2, 5, 4), (3, 2, 2, 2), False, [1, 1], "valid", [1, 1], 1, [0, 0]),
    ("c2_pointwise", False, (3, 5, 4, 4), (6, 5, 1, 1), True, [1, 1], [0, 0], [1, 1], 1, [0, 0]),
    ("c2_first_layer", False, (3, 1, 10, 10), (4, 1, 3, 3), True, [1, 1], [0, 0], [1, 1], 1, [0, 0]),
    ("c2_batch1_stride3", False, (1, 2, 8, 9), (3, 2, 3, 3), True, [3, 2], [2, 1], [1, 1], 1, [0, 0]),
    ("c3_basic", False, (2, 2, 4, 5, 5), (3, 2, 2, 3, 3), True, [1, 2, 1], [1, 1, 0], [1, 1, 1], 1, [0, 0, 0]),
    ("c3_groups", False, (1, 4, 4, 4, 4), (4, 2, 2, 2, 2), False, [2, 1, 1], [0, 1, 1], [1, 2, 1], 2, [0, 0, 0]),
    ("t1_basic", True, (2, 4, 5), (4, 3, 3), True, [2], [1], [1], 1, [1]),
    ("t1_groups_dil", True, (2, 4, 5), (4, 2, 3), False, [1], [0], [2], 2, [1]),
    ("t2_basic", True, (2, 4, 4, 5), (4, 2, 3, 3), True, [2, 2], [1, 0], [1, 1], 2, [1, 0]),
    ("t2_dil", True, (1, 3, 3, 3), (3, 2, 2, 3), False, [1, 2], [0, 1], [2, 1], 1, [1, 1]),
    ("t3_basic", True, (1, 2, 3, 3, 3), (2, 3, 2, 2, 2), True, [2, 1, 2], [0, 1, 0], [1, 1, 1], 1, [1, 0, 0]),
]

FN = {(False, 1): F.conv1d, (False, 2): F.conv2d, (False, 3): F.conv3d,
      (True, 1): F.conv_transpose1d, (True, 2): F.conv_transpose2d, (True, 3): F.conv_transpose3d}

for i, (name, tr, xs, ws, has_b, st, pd, dl, gr, op) in enumerate(CONV):
    x, w = r(*xs).requires_grad_(), r(*ws).requires_grad_()
    b = r(ws[1] * gr if tr else ws[0]).requires_grad_() if has_b else None
    f = FN[(tr, len(xs) - 2)]
    if tr:
        y = f(x, w, b, stride=st, padding=pd, output_padding=op, groups=gr, dilation=dl)
    else:
        y = f(x, w, b, stride=st, padding=pd, dilation=dl, groups=gr)
    gy = r(*y.shape)
    grads = torch.autograd.grad(y, [t for t in (x, w, b) if t is not None], gy)
    p = f"conv{i}."
    T[p + "x"], T[p + "w"], T[p + "y"], T[p + "gy"], T[p + "gx"], T[p + "gw"] = x, w, y, gy, grads[0], grads[1]
    if has_b:
        T[p + "b"], T[p + "gb"] = b, grads[2]
    T[p + "stride"], T[p + "dilation"], T[p + "output_padding"] = (torch.tensor(v) for v in (st, dl, op))
    T[p + "groups"] = torch.tensor([gr])
    T[p + "transposed"] = torch.tensor([int(tr)])
    T[p + "padding"] = torch.tensor(pd if isinstance(pd, list) else [])
    T[p + "mode"] = torch.tensor([{"same": 1, "valid": 2}.get(pd, 0) if isinstance(pd, str) else 0])
T["conv.count"] = torch.tensor([len(CONV)])

# x shape, pad, mode, value
PAD = [
    ((2, 3, 5), [2, 1], "reflect", 0.0),
    ((2, 3, 4, 5), [1, 2, 3, 0], "reflect", 0.0),
    ((1, 2, 3, 4, 4), [1, 1, 2, 0, 1, 2], "reflect", 0.0),
    ((3, 4, 5), [2, 0, 1, 3], "replicate", 0.0),
    ((2, 2, 3, 3), [3, 1, 0, 2], "replicate", 0.0),
    ((2, 2, 2, 3, 2), [1, 2, 0, 1, 2, 0], "replicate", 0.0),
    ((2, 3, 5), [2, 3], "circular", 0.0),
    ((2, 2, 4, 5), [1, 2, 3, 4], "circular", 0.0),
    ((1, 2, 3, 3, 3), [1, 0, 2, 1, 0, 3], "circular", 0.0),
    ((2, 3, 4), [1, 2], "constant", 1.5),
    ((2, 3, 4, 5), [-1, 2, 0, -2], "constant", -0.5),
    ((2, 3, 4), [1, 1, 2, 0, 1, 1], "constant", 0.0),
    ((2, 2, 4, 5), [-1, 2, 1, 0], "reflect", 0.0),
]
for i, (xs, pd, mode, val) in enumerate(PAD):
    x = r(*xs).requires_grad_()
    y = F.pad(x, pd, mode=mode, value=val) if mode == "constant" else F.pad(x, pd, mode=mode)
    gy = r(*y.shape)
    p = f"pad{i}."
    T[p + "x"], T[p + "y"], T[p + "gy"], T[p + "gx"] = x, y, gy, torch.autograd.grad(y, x, gy)[0]
    T[p + "pad"] = torch.tensor(pd)
    T[p + "mode"] = torch.tensor([["constant", "reflect", "replicate", "circular"].index(mode)])
    T[p + "value"] = torch.tensor([val], dtype=torch.float64)
T["pad.count"] = torch.tensor([len(PAD)])

# x shape, kernel, dilation, padding, stride
FOLD = [
    ((2, 3, 6, 5), [2, 3], [1, 2], [1, 0], [2, 1]),
    ((1, 2, 5, 5), [3, 3], [1, 1], [1, 1], [1, 1]),
    ((3, 4, 4), [2, 2], [1, 1], [0, 0], [2, 2]),
]
for i, (xs, k, d, pd, st) in enumerate(FOLD):
    x = r(*xs).requires_grad_()
    y = F.unfold(x, k, d, pd, st)
    gy = r(*y.shape)
    p = f"fold{i}."
    T[p + "x"], T[p + "cols"], T[p + "gcols"], T[p + "gx"] = x, y, gy, torch.autograd.grad(y, x, gy)[0]
    cols = r(*y.shape).requires_grad_()
    z = F.fold(cols, xs[-2:], k, d, pd, st)
    gz = r(*z.shape)
    T[p + "cols_in"], T[p + "folded"], T[p + "gz"], T[p + "gcols_in"] = cols, z, gz, torch.autograd.grad(z, cols, gz)[0]
    T[p + "kernel"], T[p + "dilation"], T[p + "padding"], T[p + "stride"] = (torch.tensor(v) for v in (k, d, pd, st))
T["fold.count"] = torch.tensor([len(FOLD)])

save("conv", T)
