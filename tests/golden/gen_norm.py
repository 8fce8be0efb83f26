"""Golden values for tests/cpp/test_norm.cpp and test_embedding.cpp: normalisation, distance and
embedding ops from torch.nn.functional, in float64 and float32, with gradients of a random upstream
gradient and the running statistics after several training steps.

Names are `case:what`; inputs are saved too, so the C++ test feeds ember exactly the same numbers.
rms_norm is not in PyTorch 1.13: its reference is torch.rms_norm's definition written with torch ops.
"""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
out = {}


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def grads(name, y, inputs):
    """Saves y and the gradients of a random upstream gradient for each named input."""
    gy = torch.randn_like(y)
    out[f"{name}:out"] = y
    out[f"{name}:gy"] = gy
    y.backward(gy)
    for k, t in inputs.items():
        if t is not None and t.grad is not None:
            out[f"{name}:d{k}"] = t.grad


def batch_norm_case(name, shape, dtype, training, affine=True, stats=True, momentum=0.1, steps=3, eps=1e-5):
    c = shape[1]
    xs = [torch.randn(*shape, dtype=torch.float64) * 2 + 0.5 for _ in range(steps)]
    w = torch.rand(c, dtype=torch.float64) + 0.5
    b = torch.randn(c, dtype=torch.float64)
    rm = torch.randn(c, dtype=torch.float64) if stats else None
    rv = torch.rand(c, dtype=torch.float64) + 0.5 if stats else None
    for i, x in enumerate(xs):
        out[f"{name}:x{i}"] = x
    out[f"{name}:w"], out[f"{name}:b"] = w, b
    if stats:
        out[f"{name}:rm0"], out[f"{name}:rv0"] = rm, rv
        rm, rv = rm.to(dtype).clone(), rv.to(dtype).clone()
    for i, x in enumerate(xs):
        xi = leaf(x.to(dtype))
        wi, bi = (leaf(w.to(dtype)), leaf(b.to(dtype))) if affine else (None, None)
        y = F.batch_norm(xi, rm, rv, wi, bi, training=training, momentum=momentum, eps=eps)
        if i == steps - 1:
            grads(name, y, {"x": xi, "w": wi, "b": bi})
    if stats:
        out[f"{name}:rm"], out[f"{name}:rv"] = rm, rv


for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    batch_norm_case(f"bn_train_{suffix}", (4, 3, 5), dt, True)
    batch_norm_case(f"bn_eval_{suffix}", (4, 3, 5), dt, False, steps=1)
    batch_norm_case(f"bn_2d_{suffix}", (6, 4), dt, True)
    batch_norm_case(f"bn_4d_{suffix}", (2, 3, 4, 3), dt, True, momentum=0.5, steps=2)
batch_norm_case("bn_nostats_f64", (5, 2, 3), torch.float64, True, stats=False, steps=1)
batch_norm_case("bn_noaffine_f64", (5, 2, 3), torch.float64, True, affine=False, steps=2)


def layer_norm_case(name, shape, nshape, dtype, affine=True):
    x = torch.randn(*shape, dtype=torch.float64) * 3 - 1
    w = torch.rand(*nshape, dtype=torch.float64) + 0.5
    b = torch.randn(*nshape, dtype=torch.float64)
    out[f"{name}:x"], out[f"{name}:w"], out[f"{name}:b"] = x, w, b
    xi = leaf(x.to(dtype))
    wi, bi = (leaf(w.to(dtype)), leaf(b.to(dtype))) if affine else (None, None)
    grads(name, F.layer_norm(xi, nshape, wi, bi, eps=1e-5), {"x": xi, "w": wi, "b": bi})


for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    layer_norm_case(f"ln_last_{suffix}", (3, 4, 5), (5,), dt)
    layer_norm_case(f"ln_two_{suffix}", (3, 4, 5), (4, 5), dt)
layer_norm_case("ln_noaffine_f64", (6, 7), (7,), torch.float64, affine=False)

# A layer_norm large enough for the kernel to split its weight and bias gradients into several chunks
# (over 32K elements). Input and upstream gradient follow a formula the C++ test repeats, and only the
# parameter gradients and three rows are saved, to keep the file small.
i = torch.arange(200 * 256, dtype=torch.float64).reshape(200, 256)
xw = leaf(torch.sin(0.37 * i) * 3 + torch.cos(0.11 * i))
ww, bw = leaf(torch.linspace(0.5, 1.5, 256, dtype=torch.float64)), leaf(torch.linspace(-1, 1, 256, dtype=torch.float64))
yw = F.layer_norm(xw, (256,), ww, bw)
yw.backward(torch.cos(0.23 * i))
rows = torch.tensor([0, 100, 199])
out["ln_big:out_rows"], out["ln_big:dx_rows"] = yw[rows], xw.grad[rows]
out["ln_big:dw"], out["ln_big:db"] = ww.grad, bw.grad


def group_norm_case(name, shape, groups, dtype):
    x = torch.randn(*shape, dtype=torch.float64) + 1
    w = torch.rand(shape[1], dtype=torch.float64) + 0.5
    b = torch.randn(shape[1], dtype=torch.float64)
    out[f"{name}:x"], out[f"{name}:w"], out[f"{name}:b"] = x, w, b
    xi, wi, bi = leaf(x.to(dtype)), leaf(w.to(dtype)), leaf(b.to(dtype))
    grads(name, F.group_norm(xi, groups, wi, bi, eps=1e-5), {"x": xi, "w": wi, "b": bi})


group_norm_case("gn_f64", (2, 6, 4), 3, torch.float64)
group_norm_case("gn_f32", (3, 4, 2, 3), 2, torch.float32)


def instance_norm_case(name, dtype):
    xs = [torch.randn(2, 3, 5, dtype=torch.float64) + 0.3 for _ in range(2)]
    w = torch.rand(3, dtype=torch.float64) + 0.5
    b = torch.randn(3, dtype=torch.float64)
    rm, rv = torch.randn(3, dtype=torch.float64), torch.rand(3, dtype=torch.float64) + 0.5
    out[f"{name}:x0"], out[f"{name}:x1"], out[f"{name}:w"], out[f"{name}:b"] = xs[0], xs[1], w, b
    out[f"{name}:rm0"], out[f"{name}:rv0"] = rm, rv
    rm, rv = rm.to(dtype).clone(), rv.to(dtype).clone()
    F.instance_norm(xs[0].to(dtype), rm, rv, w.to(dtype), b.to(dtype), use_input_stats=True, momentum=0.2)
    xi, wi, bi = leaf(xs[1].to(dtype)), leaf(w.to(dtype)), leaf(b.to(dtype))
    grads(name, F.instance_norm(xi, rm, rv, wi, bi, use_input_stats=True, momentum=0.2), {"x": xi, "w": wi, "b": bi})
    out[f"{name}:rm"], out[f"{name}:rv"] = rm, rv
    xe = leaf(xs[1].to(dtype))
    grads(f"{name}_eval", F.instance_norm(xe, rm, rv, None, None, use_input_stats=False), {"x": xe})


instance_norm_case("in_f64", torch.float64)
instance_norm_case("in_f32", torch.float32)


def rms_norm_ref(x, nshape, w, eps):
    dims = tuple(range(x.dim() - len(nshape), x.dim()))
    if eps is None:
        eps = torch.finfo(x.dtype).eps
    y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    return y * w if w is not None else y


for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    x = torch.randn(3, 4, 5, dtype=torch.float64)
    w = torch.rand(4, 5, dtype=torch.float64) + 0.5
    out[f"rms_{suffix}:x"], out[f"rms_{suffix}:w"] = x, w
    xi, wi = leaf(x.to(dt)), leaf(w.to(dt))
    grads(f"rms_{suffix}", rms_norm_ref(xi, (4, 5), wi, 1e-6), {"x": xi, "w": wi})
    xi = leaf(x.to(dt))
    grads(f"rms_default_{suffix}", rms_norm_ref(xi, (5,), None, None), {"x": xi})

for name, shape, size in [("lrn4d", (2, 5, 3, 4), 3), ("lrn3d", (2, 6, 7), 2), ("lrn5d", (1, 4, 2, 2, 3), 4)]:
    x = torch.randn(*shape, dtype=torch.float64) * 2
    out[f"{name}:x"] = x
    for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
        xi = leaf(x.to(dt))
        grads(f"{name}_{suffix}", F.local_response_norm(xi, size, alpha=0.01, beta=0.75, k=1.5), {"x": xi})

x = torch.randn(3, 4, dtype=torch.float64)
out["normalize:x"] = x
for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    xi = leaf(x.to(dt))
    grads(f"normalize_p2_{suffix}", F.normalize(xi, p=2.0, dim=1), {"x": xi})
    xi = leaf(x.to(dt))
    grads(f"normalize_p1_{suffix}", F.normalize(xi, p=1.0, dim=0), {"x": xi})

x1, x2, x3 = (torch.randn(3, 5, dtype=torch.float64) for _ in range(3))
x2b = torch.randn(1, 5, dtype=torch.float64)
out["dist:x1"], out["dist:x2"], out["dist:x2b"], out["dist:x3"] = x1, x2, x2b, x3
for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    a, b = leaf(x1.to(dt)), leaf(x2.to(dt))
    grads(f"cos_{suffix}", F.cosine_similarity(a, b, dim=1), {"x1": a, "x2": b})
    a, b = leaf(x1.to(dt)), leaf(x2b.to(dt))
    grads(f"cos_bcast_{suffix}", F.cosine_similarity(a, b, dim=-1), {"x1": a, "x2": b})
    a, b = leaf(x1.to(dt)), leaf(x2.to(dt))
    grads(f"pair_p2_{suffix}", F.pairwise_distance(a, b), {"x1": a, "x2": b})
    a, b = leaf(x1.to(dt)), leaf(x2.to(dt))
    grads(f"pair_p1_{suffix}", F.pairwise_distance(a, b, p=1.0, keepdim=True), {"x1": a, "x2": b})
    a = leaf(torch.cat([x1, x3]).to(dt))
    grads(f"pdist_p2_{suffix}", F.pdist(a), {"x": a})
    a = leaf(torch.cat([x1, x3]).to(dt))
    grads(f"pdist_p3_{suffix}", F.pdist(a, p=3.0), {"x": a})

# ---- embedding ----
weight = torch.randn(10, 3, dtype=torch.float64)
idx = torch.tensor([[0, 2, 4, 2], [9, 2, 0, 7]])
out["emb:weight"], out["emb:idx"] = weight, idx
for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    for case, kw in [("plain", {}), ("pad", {"padding_idx": 2}), ("padneg", {"padding_idx": -1}),
                     ("freq", {"scale_grad_by_freq": True}), ("padfreq", {"padding_idx": 0, "scale_grad_by_freq": True})]:
        w = leaf(weight.to(dt))
        grads(f"emb_{case}_{suffix}", F.embedding(idx, w, **kw), {"w": w})
    w = leaf(weight.to(dt) * 2)
    grads(f"emb_maxnorm_{suffix}", F.embedding(idx, w, max_norm=1.5), {"w": w})
    out[f"emb_maxnorm_{suffix}:renormed"] = w.detach()
    w = leaf(weight.to(dt) * 2)
    grads(f"emb_maxnorm1_{suffix}", F.embedding(idx, w, max_norm=2.0, norm_type=1.0), {"w": w})
    out[f"emb_maxnorm1_{suffix}:renormed"] = w.detach()

bag_in = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9, 0, 2])
bag_off = torch.tensor([0, 3, 3, 7])
# include_last_offset with a last offset short of the input's length crashes PyTorch 1.13, so that
# form gets the input's length as its last offset.
bag_off_last = torch.tensor([0, 3, 3, 7, 10])
psw = torch.rand(10, dtype=torch.float64) + 0.1
out["bag:in"], out["bag:off"], out["bag:off_last"], out["bag:psw"] = bag_in, bag_off, bag_off_last, psw
bag_in2d = torch.tensor([[1, 2, 4], [4, 3, 2], [9, 0, 0]])
out["bag:in2d"] = bag_in2d
for dt, suffix in [(torch.float64, "f64"), (torch.float32, "f32")]:
    for mode in ["sum", "mean", "max"]:
        w = leaf(weight.to(dt))
        grads(f"bag_{mode}_{suffix}", F.embedding_bag(bag_in, w, bag_off, mode=mode), {"w": w})
        w = leaf(weight.to(dt))
        grads(f"bag_{mode}_pad_{suffix}", F.embedding_bag(bag_in, w, bag_off, mode=mode, padding_idx=2), {"w": w})
        w = leaf(weight.to(dt))
        grads(f"bag_{mode}_last_{suffix}", F.embedding_bag(bag_in, w, bag_off_last, mode=mode, include_last_offset=True),
              {"w": w})
        w = leaf(weight.to(dt))
        grads(f"bag_{mode}_2d_{suffix}", F.embedding_bag(bag_in2d, w, mode=mode), {"w": w})
    w, p = leaf(weight.to(dt)), leaf(psw.to(dt))
    grads(f"bag_psw_{suffix}", F.embedding_bag(bag_in, w, bag_off, mode="sum", per_sample_weights=p),
          {"w": w, "psw": p})
    # PyTorch 1.13's CPU embedding_bag divides by the wrong index's count with scale_grad_by_freq
    # (pytorch/pytorch#190063, fixed by #190264), so the reference is the documented rule built from
    # F.embedding (whose scaling is right): each looked-up row, then the mean of each bag.
    w = leaf(weight.to(dt))
    rows = F.embedding(bag_in, w, scale_grad_by_freq=True)
    ends = bag_off.tolist()[1:] + [len(bag_in)]
    means = [rows[a:b].mean(0) if b > a else torch.zeros(3, dtype=dt) for a, b in zip(bag_off.tolist(), ends)]
    grads(f"bag_freq_{suffix}", torch.stack(means), {"w": w})
    out[f"bag_freq_{suffix}:torch113_out"] = F.embedding_bag(bag_in, w, bag_off, mode="mean",
                                                            scale_grad_by_freq=True).detach()
    w = leaf(weight.to(dt) * 2)
    grads(f"bag_maxnorm_{suffix}", F.embedding_bag(bag_in, w, bag_off, mode="sum", max_norm=1.0), {"w": w})

save("norm", out)
