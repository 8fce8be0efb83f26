"""Golden values for tests/cpp/test_pointwise*.cpp: every pointwise op of include/ember/ops/pointwise.def
over every dtype, the ops with extra arguments, and PyTorch's result dtypes for a matrix of operand
kinds. Where PyTorch raises for an op and dtype, no tensor is saved and the C++ test expects an error."""
import math

import torch

from golden import save

torch.manual_seed(0)
NAN, INF = float("nan"), float("inf")
FLOATS = [torch.float32, torch.float64, torch.float16, torch.bfloat16]
INTS = [torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8]
ALL = FLOATS + INTS + [torch.bool]
NAMES = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16", torch.bfloat16: "bfloat16",
         torch.int64: "int64", torch.int32: "int32", torch.int16: "int16", torch.int8: "int8", torch.uint8: "uint8",
         torch.bool: "bool"}
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 1.0]


def float_input(lo, hi):
    """(3, 4) values: six special values and six uniform in [lo, hi]."""
    rand = torch.rand(6, dtype=torch.float64) * (hi - lo) + lo
    return torch.cat([torch.tensor(SPECIAL, dtype=torch.float64), rand]).reshape(3, 4)


DOMAINS = {"general": float_input(-3, 3), "positive": float_input(0.05, 5), "unit": float_input(-0.95, 0.95)}
INT_INPUT = torch.tensor([[-5, -3, -1, 0], [1, 2, 3, 4], [5, -2, 7, -7]])
UINT_INPUT = torch.tensor([[0, 1, 2, 3], [4, 5, 6, 7], [200, 9, 10, 255]])
BOOL_INPUT = torch.tensor([[True, False, True, False], [False, False, True, True], [True, True, False, True]])


def make_input(domain, dt):
    if dt == "upcast" or dt.is_floating_point:
        return cv(DOMAINS[domain], dt)
    if dt == torch.bool:
        return BOOL_INPUT.clone()
    return (UINT_INPUT if dt == torch.uint8 else INT_INPUT).to(dt)


out = {}


def cv(t, d):
    """t in dtype d; d == "upcast" means float16 values held in float32."""
    return t.to(torch.float16).float() if d == "upcast" else t.to(d)


def put(name, fn, dt):
    """Saves fn(dt) under name. Where PyTorch 1.13 has no CPU kernel for float16 (newer PyTorch computes
    those in float32), saves fn("upcast") (float16 inputs computed in float32) rounded to float16 under
    name + "_upcast"; for other failures, nothing (the C++ test then expects an error)."""
    try:
        out[name] = fn(dt)
    except RuntimeError:
        if dt == torch.float16:
            try:
                out[name + "_upcast"] = fn("upcast").half()
            except RuntimeError:
                pass


UNARY = {
    "general": ["neg", "abs", "sign", "square", "reciprocal", "exp", "exp2", "expm1", "sin", "cos", "tan", "atan",
                "sinh", "cosh", "tanh", "sigmoid", "erf", "erfc", "floor", "ceil", "round", "trunc", "frac", "relu",
                "bitwise_not", "isnan", "isinf", "isfinite", "logical_not"],
    "positive": ["sqrt", "rsqrt", "log", "log2", "log10", "log1p"],
    "unit": ["asin", "acos", "erfinv"],
}

for domain, ops in UNARY.items():
    for dt in ALL:
        x = make_input(domain, dt)
        out[f"in_{domain}_{NAMES[dt]}"] = x
        for op in ops:
            put(f"{op}_{NAMES[dt]}", lambda d: getattr(torch, op)(make_input(domain, d)), dt)

# Binary ops: a (3, 4) against b (4,), broadcast. Shift and pow exponents stay small and non-negative
# for integers (PyTorch's vectorised and scalar integer kernels disagree outside that range).
BINARY = ["mul", "div", "remainder", "fmod", "pow", "atan2", "minimum", "maximum", "fmin", "fmax", "clamp_min",
          "clamp_max", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "bitwise_and",
          "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift", "add", "sub"]
B_FLOAT = torch.tensor([1.5, -2.25, 0.0, NAN], dtype=torch.float64)
B_INT = torch.tensor([2, -3, 1, 4])
B_SMALL = torch.tensor([0, 1, 3, 2])
for dt in ALL:
    a = make_input("general", dt)
    b = B_FLOAT.to(dt) if dt.is_floating_point else (BOOL_INPUT[1] if dt == torch.bool else B_INT.abs().to(dt))
    b_small = B_SMALL.to(dt) if dt != torch.bool else BOOL_INPUT[2]
    if dt in INTS and dt != torch.uint8:
        b = B_INT.to(dt)
    out[f"bin_a_{NAMES[dt]}"] = a
    out[f"bin_b_{NAMES[dt]}"] = b
    out[f"bin_bsmall_{NAMES[dt]}"] = b_small
    for op in BINARY:
        rhs = b_small if op in ("pow", "bitwise_left_shift", "bitwise_right_shift") and dt not in FLOATS else b
        put(f"{op}_{NAMES[dt]}", lambda d: getattr(torch, op)(cv(a, d), cv(rhs, d)), dt)

# div's rounding modes and floor_divide, on floats (Python semantics for signs) and integers.
fa = torch.tensor([[-7.0, 7.0, -7.5, 7.5], [1.0, -0.0, 3.0, NAN]], dtype=torch.float64)
fb = torch.tensor([2.0, -2.0, 0.0, 3.0], dtype=torch.float64)
ia = torch.tensor([[-7, 7, -8, 8], [1, 0, -1, 9]])
ib = torch.tensor([2, -2, 3, -1])
for dt in [torch.float32, torch.float64, torch.float16, torch.bfloat16]:
    for mode in ["trunc", "floor"]:
        out[f"div_{mode}_{NAMES[dt]}"] = torch.div(fa.to(dt), fb.to(dt), rounding_mode=mode)
    out[f"floor_divide_{NAMES[dt]}"] = torch.floor_divide(fa.to(dt), fb.to(dt))
for dt in [torch.int64, torch.int32, torch.int8]:
    for mode in ["trunc", "floor"]:
        out[f"div_{mode}_{NAMES[dt]}"] = torch.div(ia.to(dt), ib.to(dt), rounding_mode=mode)
    out[f"floor_divide_{NAMES[dt]}"] = torch.floor_divide(ia.to(dt), ib.to(dt))
    out[f"remainder_div_{NAMES[dt]}"] = torch.remainder(ia.to(dt), ib.to(dt))
    out[f"fmod_div_{NAMES[dt]}"] = torch.fmod(ia.to(dt), ib.to(dt))
out["div_fa"], out["div_fb"], out["div_ia"], out["div_ib"] = fa, fb, ia, ib
out["div_floor_int_by_float_scalar"] = torch.div(ia, 2.5, rounding_mode="floor")

# pow with numbers on either side.
px = torch.tensor([[0.0, 0.5, 2.0], [-1.5, 3.0, 4.0]], dtype=torch.float64)
pi = torch.tensor([[0, 1, 2], [-2, 3, 4]])
out["pow_px"], out["pow_pi"] = px, pi
out["pow_px_2"] = torch.pow(px, 2)
out["pow_px_half"] = torch.pow(px, 0.5)
out["pow_px_neg3"] = torch.pow(px, -3)
out["pow_pi_3"] = torch.pow(pi, 3)
out["pow_pi_half"] = torch.pow(pi, 0.5)
out["pow_2_pi"] = torch.pow(2, pi)
out["pow_2p5_pi"] = torch.pow(2.5, pi)
out["pow_3_px"] = torch.pow(3, px)
out["pow_px_f16_2"] = torch.pow(px.half(), 2)

# round with decimals, logit with eps, nan_to_num.
rx = torch.tensor([[1.2345, 2.5, -0.5, 1250.0], [-17.35, 0.125, NAN, INF]], dtype=torch.float64)
out["round_x"] = rx
for dt in [torch.float32, torch.float64, torch.float16, torch.bfloat16]:
    for d in [2, -2, 1]:
        put(f"round_d{d}_{NAMES[dt]}".replace("-", "m"), lambda t: torch.round(cv(rx, t), decimals=d), dt)
lx = torch.tensor([[0.0, 0.05, 0.5, 0.9], [1.0, -0.5, 1.5, NAN]], dtype=torch.float64)
out["logit_x"] = lx
for dt in FLOATS:
    put(f"logit_{NAMES[dt]}", lambda d: torch.logit(cv(lx, d)), dt)
    put(f"logit_eps_{NAMES[dt]}", lambda d: torch.logit(cv(lx, d), eps=0.1), dt)
nx = torch.tensor([[NAN, INF, -INF, 1.5], [-2.0, NAN, 0.0, -INF]], dtype=torch.float64)
out["nan_to_num_x"] = nx
for dt in FLOATS:
    out[f"nan_to_num_{NAMES[dt]}"] = torch.nan_to_num(nx.to(dt))
    out[f"nan_to_num_custom_{NAMES[dt]}"] = torch.nan_to_num(nx.to(dt), nan=7.0, posinf=100.0, neginf=-50.0)

# Ternary ops with broadcasting and promotion.
ta = torch.randn(3, 4, dtype=torch.float64)
tb = torch.randn(4, dtype=torch.float64)
tc = torch.randn(3, 1, dtype=torch.float64) + 3
cond = torch.tensor([[True, False, True, False]])
out.update({"t_a": ta, "t_b": tb, "t_c": tc, "t_cond": cond})


for dt in FLOATS:
    n = NAMES[dt]
    put(f"lerp_scalar_{n}", lambda d: torch.lerp(cv(ta, d), cv(tb, d), 0.3), dt)
    put(f"lerp_scalar_big_{n}", lambda d: torch.lerp(cv(ta, d), cv(tb, d), 0.8), dt)
    put(f"lerp_tensor_{n}", lambda d: torch.lerp(cv(ta, d), cv(tb, d), cv(tc, d) - 3), dt)
    put(f"addcmul_{n}", lambda d: torch.addcmul(cv(ta, d), cv(tb, d), cv(tc, d), value=0.5), dt)
    put(f"addcdiv_{n}", lambda d: torch.addcdiv(cv(ta, d), cv(tb, d), cv(tc, d), value=-2), dt)
    put(f"clamp_tensor_{n}", lambda d: torch.clamp(cv(ta, d), cv(tb, d) - 0.5, cv(tb, d) + 0.5), dt)
    put(f"clamp_scalar_{n}", lambda d: torch.clamp(cv(ta, d), -0.5, 0.7), dt)
    put(f"where_{n}", lambda d: torch.where(cond, cv(ta, d), cv(tb, d)), dt)
    put(f"masked_fill_{n}", lambda d: cv(ta, d).masked_fill(cond, -1.25), dt)
ti = (ta * 4).round().long()
out["t_i"] = ti
out["addcmul_int"] = torch.addcmul(ti, ti, ti[0], value=2)
out["addcmul_int_float_value"] = torch.addcmul(ti, ti, ti[0], value=0.5)
out["addcmul_mixed"] = torch.addcmul(ti, ta.float(), ti[0], value=3)
out["addcdiv_mixed"] = torch.addcdiv(ti, ta.float(), tc.float())
out["clamp_int"] = torch.clamp(ti, -2, 3)
out["clamp_int_float_min"] = torch.clamp(ti, 0.5)
out["clamp_int_max_only"] = torch.clamp(ti, max=1)
out["clamp_min_gt_max"] = torch.clamp(ta, 1.0, 0.0)
out["clamp_nan_scalar"] = torch.clamp(ta, NAN, 0.5)
out["clamp_nan_tensor"] = torch.clamp(ta, torch.tensor(NAN, dtype=torch.float64))
out["where_promote"] = torch.where(cond, ti, tb.float())
out["where_scalar_other"] = torch.where(cond, ti, 2.5)
out["where_scalars_int"] = torch.where(cond, 1, 0)
out["where_scalars_float"] = torch.where(cond, 1.5, 0)
out["masked_fill_int"] = ti.masked_fill(cond, 2.7)
out["masked_fill_bool"] = (ti > 0).masked_fill(cond, False)
out["masked_fill_tensor_value"] = ta.masked_fill(cond, torch.tensor(9.0))
out["masked_fill_broadcast"] = ta[0].masked_fill(torch.tensor([[True, False, False, True], [False] * 4]), 5.0)
out["clip"] = torch.clip(ta, -0.2, 0.2)

# Scalar operands of binary ops (int, float, bool numbers), and scalars on the left.
sx = torch.tensor([[-3, 0, 5], [7, -8, 2]])
out["s_x"] = sx
out["s_add_float"] = sx + 2.5
out["s_mul_bool"] = sx * True
out["s_rsub"] = 3 - sx
out["s_rdiv"] = 3 / sx.clamp(min=1)
out["s_rmod"] = 7 % sx.clamp(min=1)
out["s_mod_neg"] = sx % -3
out["s_and"] = sx & 6
out["s_or"] = sx | 1
out["s_xor"] = sx ^ 5
out["s_shl"] = sx << 2
out["s_shr"] = sx >> 1
out["s_not"] = ~sx
out["s_eq"] = sx == 0
out["s_ge_float"] = sx >= 0.5
out["s_div_float"] = sx / 2
out["s_f32_add_f64_0dim"] = sx.float() + torch.tensor(1.5, dtype=torch.float64)
out["s_i32_add_i64_0dim"] = sx.int() + torch.tensor(3)
out["s_u8_add_neg"] = torch.tensor([1, 2, 250], dtype=torch.uint8) + 10

# Result dtypes: -1 where PyTorch raises. Codes follow ember's DType order.
ORDER = [torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64, torch.float16, torch.float32, torch.float64,
         torch.bool, torch.bfloat16]
PROMO_OPS = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "remainder": torch.remainder,
    "pow": torch.pow, "minimum": torch.minimum, "atan2": torch.atan2, "eq": torch.eq,
    "bitwise_and": torch.bitwise_and, "logical_or": torch.logical_or, "floor_divide": torch.floor_divide,
}


def code(fn, half_ok):
    try:
        return ORDER.index(fn().dtype)
    except RuntimeError as e:
        # atan2 has no float16 CPU kernel in PyTorch 1.13 (newer versions have one): its dtype rule gave float16.
        return ORDER.index(torch.float16) if half_ok and "not implemented for 'Half'" in str(e) else -1
    except TypeError:
        return -1


def sample(dt, zero_dim):
    v = torch.ones(()) if zero_dim else torch.ones(2)
    return v.to(dt)


SCALARS = [2, 2.5, True]
for name, fn in PROMO_OPS.items():
    codes = []
    for a in ORDER:
        for b in ORDER:
            codes.append(code(lambda: fn(sample(a, False), sample(b, False)), name == "atan2"))
            codes.append(code(lambda: fn(sample(a, False), sample(b, True)), name == "atan2"))
            codes.append(code(lambda: fn(sample(a, True), sample(b, True)), name == "atan2"))
        for s in SCALARS:
            codes.append(code(lambda: fn(sample(a, False), s), False))
            codes.append(code(lambda: fn(sample(a, True), s), False))
    out[f"promo_{name}"] = torch.tensor(codes)

save("pointwise", out)
