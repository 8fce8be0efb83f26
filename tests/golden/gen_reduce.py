"""Golden values for tests/cpp/test_reduce.cpp: every reduction and scan over dtypes, dims/keepdim
combinations, non-contiguous views, zero-size and 0-dim inputs.

Each expected tensor is named `op|input|view|dims|keepdim|extra` (with `#0`/`#1` for the two outputs
of max(dim), var_mean, cummax, ...); the C++ test parses the name and makes the same call. Inputs are
saved as `in:<name>`. view: C (as is), T (transpose(0, 2)), S (x[:, ::2]).
"""
import math

import torch

from golden import save

torch.manual_seed(0)
base = torch.randn(2, 4, 3, dtype=torch.float64)
ints = torch.randint(-4, 5, (2, 4, 3))
inputs = {
    "f64": base,
    "f32": base.float(),
    "f16": base.half(),
    "bf16": base.bfloat16(),
    "i64": ints,
    "i32": ints.int(),
    "i8": ints.to(torch.int8),
    "u8": torch.randint(0, 4, (2, 4, 3), dtype=torch.uint8),
    "b": torch.randint(0, 2, (2, 4, 3)).bool(),
    # ties (for arg reductions and amax's even split) and NaNs (propagation)
    "ties": torch.randint(0, 3, (2, 4, 3)).double(),
    "nan": torch.where(torch.rand(2, 4, 3) < 0.2, torch.tensor(float("nan")), base.float()),
    "zeros": torch.where(torch.rand(2, 4, 3) < 0.25, torch.tensor(0.0, dtype=torch.float64), base),
    "s": torch.tensor(2.5, dtype=torch.float64),
    "e": torch.empty(0, 3),
    "e3": torch.empty(2, 0, 3, dtype=torch.float64),
}
FLOATS = ["f64", "f32", "f16", "bf16"]
ALL = FLOATS + ["i64", "i32", "i8", "u8", "b"]

DIMS3 = [None, (1,), (0, 2), (-1,)]
ONE_DIM3 = [None, (0,), (1,), (-1,)]


def view(x, v):
    return {"C": lambda: x, "T": lambda: x.transpose(0, 2), "S": lambda: x[:, ::2]}[v]()


def cases_for(name):
    x = inputs[name]
    if x.dim() == 0:
        return [("C", [None, (0,), (-1,)], [None, (0,), (-1,)], [False, True])]
    if x.numel() == 0:
        return [("C", [None, (1,), (-1,)], [None, (1,), (-1,)], [False, True])]
    views = ["C", "T", "S"] if name in ("f64", "f32") else ["C"]
    keeps = [False, True] if name in ("f64", "f32", "nan", "ties") else [False]
    return [(v, DIMS3, ONE_DIM3, keeps) for v in views]


def dims_str(d):
    return "-" if d is None else ",".join(str(i) for i in d)


out = {}


def put(key, fn):
    try:
        r = fn()
    except (RuntimeError, IndexError):
        return  # PyTorch rejects the combination; the C++ error tests cover the messages
    if isinstance(r, tuple):
        out[key + "#0"], out[key + "#1"] = r[0], r[1]
    else:
        out[key] = r


def norm_p(p):
    return {"inf": math.inf, "-inf": -math.inf}.get(p, p if p == "fro" else float(p))


for name, x0 in inputs.items():
    out["in:" + name] = x0
    for v, dims_list, one_list, keeps in cases_for(name):
        x = view(x0, v)
        fl = x.is_floating_point()
        for k in keeps:
            for d in dims_list:
                key = lambda op, extra="-": f"{op}|{name}|{v}|{dims_str(d)}|{int(k)}|{extra}"
                dd = list(range(x.dim())) if d is None else list(d)
                put(key("sum"), lambda: x.sum(dd, keepdim=k) if d is not None else x.sum())
                put(key("nansum"), lambda: torch.nansum(x, dd, keepdim=k) if d is not None else torch.nansum(x))
                put(key("amax"), lambda: x.amax(dd, keepdim=k))
                put(key("amin"), lambda: x.amin(dd, keepdim=k))
                put(key("count_nonzero"), lambda: torch.count_nonzero(x, dd))
                if fl:
                    put(key("mean"), lambda: x.mean(dd, keepdim=k) if d is not None else x.mean())
                    put(key("nanmean"), lambda: x.nanmean(dd, keepdim=k))
                    put(key("logsumexp"), lambda: x.logsumexp(dd, keepdim=k))
                    for c in ((0, 1, 2) if name == "f64" else (1,)):
                        put(key("var", c), lambda: x.var(dd, correction=c, keepdim=k))
                        put(key("std", c), lambda: x.std(dd, correction=c, keepdim=k))
                    put(key("var_mean", 1), lambda: torch.var_mean(x, dd, correction=1, keepdim=k))
                    put(key("std_mean", 0), lambda: torch.std_mean(x, dd, correction=0, keepdim=k))
                    ps = ("2", "1", "inf", "-inf", "0", "3", "0.5", "fro") if v == "C" else ("2", "inf", "3")
                    for p in ps:
                        put(key("norm", p), lambda: torch.norm(x, p=norm_p(p), dim=dd, keepdim=k))
            for d in one_list:
                key = lambda op, extra="-": f"{op}|{name}|{v}|{dims_str(d)}|{int(k)}|{extra}"
                if d is None:
                    if not k:
                        put(key("prod"), lambda: x.prod())
                        put(key("max"), lambda: x.max())
                        put(key("min"), lambda: x.min())
                        put(key("all"), lambda: x.all())
                        put(key("any"), lambda: x.any())
                    put(key("argmax"), lambda: x.argmax(keepdim=k))
                    put(key("argmin"), lambda: x.argmin(keepdim=k))
                    continue
                i = d[0]
                put(key("prod"), lambda: x.prod(i, keepdim=k))
                put(key("max"), lambda: tuple(x.max(i, keepdim=k)))
                put(key("min"), lambda: tuple(x.min(i, keepdim=k)))
                put(key("argmax"), lambda: x.argmax(i, keepdim=k))
                put(key("argmin"), lambda: x.argmin(i, keepdim=k))
                put(key("all"), lambda: x.all(i, keepdim=k))
                put(key("any"), lambda: x.any(i, keepdim=k))
                if not k:
                    put(key("cumsum"), lambda: x.cumsum(i))
                    put(key("cumprod"), lambda: x.cumprod(i))
                    put(key("cummax"), lambda: tuple(x.cummax(i)))
                    put(key("cummin"), lambda: tuple(x.cummin(i)))

# dtype arguments
x = inputs["i32"]
out["sum|i32|C|1|0|float64"] = x.sum(1, dtype=torch.float64)
out["sum|f32|C|-|0|float64"] = inputs["f32"].sum(dtype=torch.float64)
out["mean|i32|C|-|0|float32"] = x.mean(dtype=torch.float32)
out["prod|f64|C|1|0|int32"] = inputs["f64"].prod(1, dtype=torch.int32)
out["cumsum|f32|C|1|0|float64"] = inputs["f32"].cumsum(1, dtype=torch.float64)
out["norm|f32|C|0,2|0|2:float64"] = torch.norm(inputs["f32"], p=2, dim=(0, 2), dtype=torch.float64)

save("reduce", out)
