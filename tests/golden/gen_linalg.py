"""Golden values for tests/cpp/test_linalg*.cpp: matrix products, einsum, tensordot, kron, tril/triu.

Inputs are saved next to the results (in float64, or their integer dtype), so the C++ side rebuilds the
same operands and casts them as the torch side did. float16 matrix products are not implemented on
PyTorch 1.13's CPU; their expected values are the float32 product of the float16-rounded inputs,
rounded back to float16 (what ember computes: widen, multiply in float, round).
"""
import torch

from golden import save

torch.manual_seed(0)
T = {}


def rnd(*shape):
    return torch.randn(shape, dtype=torch.float64)


def case(name, fn, *inputs):
    for i, x in enumerate(inputs):
        T[f"{name}/in{i}"] = x
    T[f"{name}/out"] = fn(*inputs)


# ---- matmul: every dimensionality case of PyTorch's matmul, and zero-size dims ----
MATMUL_SHAPES = {
    "1d_1d": ((3,), (3,)),
    "2d_1d": ((2, 3), (3,)),
    "1d_2d": ((3,), (3, 4)),
    "2d_2d": ((2, 3), (3, 4)),
    "3d_3d": ((2, 2, 3), (2, 3, 4)),
    "3d_1d": ((2, 3, 4), (4,)),
    "1d_3d": ((3,), (2, 3, 4)),
    "3d_2d": ((2, 3, 4), (4, 5)),
    "2d_3d": ((2, 3), (4, 3, 5)),
    "4d_3d_bcast": ((2, 1, 2, 3), (3, 3, 4)),
    "3d_4d_bcast": ((1, 2, 3), (2, 3, 3, 2)),
    "5d_1d": ((2, 1, 2, 2, 3), (3,)),
    "zero_m": ((0, 3), (3, 4)),
    "zero_k": ((2, 0), (0, 3)),
    "zero_batch": ((0, 2, 3), (3, 4)),
    "zero_k_batched": ((2, 2, 0), (2, 0, 3)),
}
for name, (sa, sb) in MATMUL_SHAPES.items():
    case(f"matmul_{name}", torch.matmul, rnd(*sa), rnd(*sb))
for dt in (torch.float32, torch.int64, torch.bfloat16):
    a, b = rnd(2, 3, 4), rnd(4, 5)
    if dt == torch.int64:
        a, b = (a * 10).round(), (b * 10).round()
    tag = str(dt).split(".")[1]
    T[f"matmul_{tag}/in0"], T[f"matmul_{tag}/in1"] = a, b
    T[f"matmul_{tag}/out"] = torch.matmul(a.to(dt), b.to(dt))
    T[f"matmul_{tag}_2d/out"] = torch.matmul(a[0].to(dt), b.to(dt))
a, b = rnd(2, 3, 4), rnd(4, 5)
T["matmul_float16/in0"], T["matmul_float16/in1"] = a, b
T["matmul_float16/out"] = (a.half().float() @ b.half().float()).half()
ai, bi = torch.randint(-100, 100, (3, 4), dtype=torch.int32), torch.randint(-100, 100, (4, 2), dtype=torch.int32)
case("mm_int32", torch.mm, ai, bi)
# Large enough that the integer kernel splits its rows across threads.
case("mm_int64_big", torch.mm, torch.randint(-50, 50, (40, 50)), torch.randint(-50, 50, (50, 30)))
# Large enough that the float32 product takes the BLAS path with real blocking.
case("mm_f64_big", torch.mm, rnd(33, 65), rnd(65, 17))

# ---- non-contiguous operands: transposed, stepped slices, expanded ----
a, b = rnd(4, 3), rnd(5, 4)  # used as a.t() (3x4) and b.t() (4x5)
case("mm_transposed", lambda a, b: a.t() @ b.t(), a, b)
a, b = rnd(3, 8), rnd(4, 10)
case("mm_stepped", lambda a, b: a[:, ::2] @ b[:, ::2], a, b)
a, b = rnd(1, 4), rnd(4, 3)
case("mm_expanded", lambda a, b: a.expand(5, 4) @ b, a, b)
a, b = rnd(2, 4, 3), rnd(2, 5, 4)
case("bmm_transposed", lambda a, b: torch.bmm(a.transpose(1, 2), b.transpose(1, 2)), a, b)
a, b = rnd(3, 2, 4), rnd(2, 4, 5)
case("bmm_permuted", lambda a, b: torch.bmm(a.permute(1, 0, 2), b), a, b)
a, b = rnd(2, 3, 4, 5), rnd(5, 4)
case("matmul_4d_transposed", lambda a, b: a.transpose(1, 2) @ b, a, b)

a, b = rnd(5), rnd(4, 5)
case("vecmat_transposed", lambda v, b: v @ b.t(), a, b)
a, b = rnd(3, 4), rnd(1)
case("mv_expanded", lambda m, v: m @ v.expand(4), a, b)
a, b = rnd(65, 33), rnd(17, 65)
case("mm_big_transposed", lambda a, b: a.t() @ b.t(), a, b)

# ---- the other products ----
case("mm", torch.mm, rnd(3, 4), rnd(4, 2))
case("bmm", torch.bmm, rnd(3, 2, 4), rnd(3, 4, 5))
case("addmm", lambda s, a, b: torch.addmm(s, a, b, beta=0.5, alpha=2.0), rnd(2, 5), rnd(2, 3), rnd(3, 5))
case("addmm_bcast", lambda s, a, b: torch.addmm(s, a, b), rnd(5), rnd(2, 3), rnd(3, 5))
nan_self = torch.full((2, 5), float("nan"), dtype=torch.float64)
case("addmm_beta0", lambda s, a, b: torch.addmm(s, a, b, beta=0), nan_self, rnd(2, 3), rnd(3, 5))
case("addmm_zero_k", lambda s, a, b: torch.addmm(s, a, b, beta=3, alpha=2), rnd(2, 5), rnd(2, 0), rnd(0, 5))
si, ai, bi = (torch.randint(-9, 9, s) for s in ((2, 5), (2, 3), (3, 5)))
case("addmm_int64", lambda s, a, b: torch.addmm(s, a, b, beta=2, alpha=3), si, ai, bi)
case("addmv", lambda s, m, v: torch.addmv(s, m, v, beta=0.5, alpha=-1.5), rnd(2), rnd(2, 3), rnd(3))
case("addmv_scalar_self", lambda s, m, v: torch.addmv(s, m, v), rnd(), rnd(2, 3), rnd(3))
case("baddbmm", lambda s, a, b: torch.baddbmm(s, a, b, beta=-1.0, alpha=0.25), rnd(2, 2, 5), rnd(2, 2, 3),
     rnd(2, 3, 5))
case("baddbmm_bcast", lambda s, a, b: torch.baddbmm(s, a, b), rnd(5), rnd(2, 2, 3), rnd(2, 3, 5))
case("dot", torch.dot, rnd(5), rnd(5))
case("dot_stepped", lambda a, b: torch.dot(a[::2], b[::3]), rnd(7), rnd(10))
case("dot_int64", torch.dot, torch.randint(-9, 9, (6,)), torch.randint(-9, 9, (6,)))
case("dot_empty", torch.dot, rnd(0), rnd(0))
case("vdot", torch.vdot, rnd(4), rnd(4))
case("mv", torch.mv, rnd(3, 4), rnd(4))
case("mv_transposed", lambda m, v: torch.mv(m.t(), v), rnd(4, 3), rnd(4))
case("outer", torch.outer, rnd(3), rnd(4))
case("outer_int_float", torch.outer, torch.randint(-9, 9, (3,)), rnd(2).float())
for dt, tag in ((torch.float32, "float32"), (torch.bfloat16, "bfloat16")):
    a, b = rnd(3, 4), rnd(4, 2)
    T[f"mm_{tag}/in0"], T[f"mm_{tag}/in1"] = a, b
    T[f"mm_{tag}/out"] = torch.mm(a.to(dt), b.to(dt))
    a, b = rnd(6), rnd(6)
    T[f"dot_{tag}/in0"], T[f"dot_{tag}/in1"] = a, b
    T[f"dot_{tag}/out"] = torch.dot(a.to(dt), b.to(dt))

# ---- every dtype PyTorch's CPU products take, through each product op ----
DTYPE_OPS = {
    "mm": (lambda a, b, c: torch.mm(a, b), (3, 4), (4, 2), (3, 2)),
    "bmm": (lambda a, b, c: torch.bmm(a, b), (2, 3, 4), (2, 4, 2), (2, 3, 2)),
    "mv": (lambda a, b, c: torch.mv(a, b), (3, 4), (4,), (3,)),
    "addmm": (lambda a, b, c: torch.addmm(c, a, b, beta=2, alpha=3), (3, 4), (4, 2), (3, 2)),
    "baddbmm": (lambda a, b, c: torch.baddbmm(c, a, b, beta=2, alpha=3), (2, 3, 4), (2, 4, 2), (2, 3, 2)),
    "matmul": (lambda a, b, c: torch.matmul(a, b), (2, 3, 4), (4,), (2, 3)),
    "einsum": (lambda a, b, c: torch.einsum("bij,bjk->bik", a, b), (2, 3, 4), (2, 4, 2), (2, 3, 2)),
}
for dt in (torch.uint8, torch.int8, torch.int16, torch.bfloat16):
    tag = str(dt).split(".")[1]
    for op, (fn, sa, sb, sc) in DTYPE_OPS.items():
        a, b, c = (torch.randint(0, 5, s).to(torch.float64) for s in (sa, sb, sc))
        if dt == torch.bfloat16:
            a, b, c = rnd(*sa), rnd(*sb), rnd(*sc)
        case(f"dtype_{op}_{tag}", lambda a, b, c: fn(a.to(dt), b.to(dt), c.to(dt)), a, b, c)

# ---- einsum ----
EINSUM = [
    ("ij,jk->ik", (2, 3), (3, 4)),
    ("ij,jk", (2, 3), (3, 4)),
    ("bij,bjk->bik", (2, 2, 3), (2, 3, 4)),
    ("ii->i", (3, 3)),
    ("ii", (3, 3)),
    ("iji->j", (3, 2, 3)),
    ("ij->", (2, 3)),
    ("ij->ji", (2, 3)),
    ("i,j->ij", (3,), (4,)),
    ("i,i->", (5,), (5,)),
    ("ij,ij->ij", (2, 3), (2, 3)),
    ("ij,ij->ij", (2, 1), (2, 4)),
    ("...ij,...jk->...ik", (2, 1, 2, 3), (4, 3, 5)),
    ("...ij,...jk", (5, 2, 3), (3, 4)),
    ("i...->...", (2, 3, 4)),
    ("...ii->...i", (2, 3, 3)),
    ("bn,anm,bm->ba", (2, 3), (4, 3, 5), (2, 5)),
    ("ij,jk,kl->il", (2, 3), (3, 4), (4, 2)),
    ("i,i,i->i", (3,), (3,), (3,)),
    ("ab,cd->", (2, 3), (4, 2)),
    ("ba,ca->cb", (3, 2), (4, 2)),
    ("Aa,aB->AB", (2, 3), (3, 2)),
    ("i,->i", (3,), ()),
    ("", ()),
    ("ij,jk->ik", (2, 0), (0, 3)),
    ("iij,jk->ik", (2, 2, 3), (3, 4)),
    ("i j , j k -> i k", (2, 3), (3, 4)),
]
for n, (eq, *shapes) in enumerate(EINSUM):
    ins = [rnd(*s) for s in shapes]
    T[f"einsum_{n}/out"] = torch.einsum(eq, *ins)
    for i, x in enumerate(ins):
        T[f"einsum_{n}/in{i}"] = x
ai, bi = torch.randint(-9, 9, (2, 3), dtype=torch.int32), torch.randint(-9, 9, (3, 4), dtype=torch.int32)
case("einsum_int32", lambda a, b: torch.einsum("ij,jk->ik", a, b), ai, bi)
case("einsum_int32_sum", lambda a: torch.einsum("ij->i", a), ai)

# ---- tensordot, kron ----
case("tensordot_2", lambda a, b: torch.tensordot(a, b, dims=2), rnd(2, 3, 4), rnd(3, 4, 5))
case("tensordot_0", lambda a, b: torch.tensordot(a, b, dims=0), rnd(2, 3), rnd(4))
case("tensordot_lists", lambda a, b: torch.tensordot(a, b, dims=([0, 2], [1, 0])), rnd(3, 2, 4), rnd(4, 3, 5))
case("tensordot_size1", lambda a, b: torch.tensordot(a, b, dims=([1], [0])), rnd(2, 3), rnd(1, 4))
case("kron_2d", torch.kron, rnd(2, 3), rnd(3, 2))
case("kron_mixed_dims", torch.kron, rnd(2, 3), rnd(2))
case("kron_3d", torch.kron, rnd(2, 1, 2), rnd(1, 3, 2))
case("kron_int_float", torch.kron, torch.randint(-9, 9, (2,)), rnd(2).float())

# ---- tril / triu ----
x = rnd(2, 4, 5)
T["tri/in0"] = x
for k in (-2, -1, 0, 1, 3, 7, -7):
    T[f"tril_{k}/out"] = torch.tril(x, k)
    T[f"triu_{k}/out"] = torch.triu(x, k)
T["tril_t/out"] = torch.tril(x.transpose(1, 2), 1)
b = torch.rand(3, 3) > 0.3
T["tri_bool/in0"] = b
T["tril_bool/out"] = torch.tril(b)
T["triu_bool/out"] = torch.triu(b, 1)
T["tril_zero/out"] = torch.tril(torch.ones(0, 3, dtype=torch.float64))

# ---- compositions: addbmm, addr, inner, cross, trace ----
case("addbmm", lambda c, a, b: torch.addbmm(c, a, b, beta=0.5, alpha=2), rnd(3, 4), rnd(2, 3, 5), rnd(2, 5, 4))
case("addbmm_bcast", torch.addbmm, rnd(4), rnd(2, 3, 5), rnd(2, 5, 4))
case("addbmm_empty_batch", torch.addbmm, rnd(3, 4), rnd(0, 3, 5), rnd(0, 5, 4))
a, b = torch.randint(-9, 9, (2, 3, 4)), torch.randint(-9, 9, (2, 4, 2))
case("addbmm_int64", lambda c, a, b: torch.addbmm(c, a, b, beta=2, alpha=3), torch.randint(-9, 9, (3, 2)), a, b)
case("addr", lambda c, a, b: torch.addr(c, a, b, beta=2, alpha=-1.5), rnd(3, 4), rnd(3), rnd(4))
case("addr_bcast", torch.addr, rnd(4), rnd(3), rnd(4))
case("addr_beta0_nan", lambda c, a, b: torch.addr(c, a, b, beta=0), torch.full((2, 3), float("nan"), dtype=torch.float64),
     rnd(2), rnd(3))
case("addr_promote", torch.addr, torch.randint(-9, 9, (2, 3)), rnd(2), rnd(3))
case("addr_bool", torch.addr, torch.rand(2, 3) > 0.5, torch.rand(2) > 0.5, torch.rand(3) > 0.5)
case("inner", torch.inner, rnd(2, 3), rnd(4, 3))
case("inner_1d", torch.inner, rnd(3), rnd(3))
case("inner_scalar", torch.inner, rnd(), rnd(2, 3))
case("inner_int32", torch.inner, torch.randint(-9, 9, (2, 3), dtype=torch.int32), torch.randint(-9, 9, (3,), dtype=torch.int32))
case("cross_dim", lambda a, b: torch.cross(a, b, dim=1), rnd(2, 3), rnd(2, 3))
case("cross_default", torch.cross, rnd(4, 3, 3), rnd(4, 3, 3))
case("cross_bcast", torch.cross, rnd(3, 1), rnd(3, 4))
case("cross_neg_dim", lambda a, b: torch.cross(a, b, dim=-1), rnd(2, 3), rnd(2, 3))
case("cross_int64", torch.cross, torch.randint(-9, 9, (3,)), torch.randint(-9, 9, (3,)))
case("trace", torch.trace, rnd(3, 4))
case("trace_int32", torch.trace, torch.randint(-9, 9, (4, 3), dtype=torch.int32))
case("trace_empty", torch.trace, rnd(0, 3))

save("linalg", T)
