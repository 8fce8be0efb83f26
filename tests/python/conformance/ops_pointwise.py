"""Pointwise ops: unary math, binary arithmetic and comparisons (Tensor and Scalar overloads), the ternary
ops, and the Python operators including reflected and in-place forms."""
import numpy as np

from .opinfo import (ALL, ALL_BUT_BOOL, FLOAT_EDGES, FLOATING, INT_AND_BOOL, INTEGRAL, SampleInput, S, OpInfo,
                     XFail, binary_samples, make, scalar_samples, unary_samples, without)

NO_HALF = without(ALL, "float16")
# PyTorch 1.13 has no float16 CPU kernel for these; ember computes them in float32 and rounds
# (docs/DIFFERENCES.md, "float16 on CPU").
HALF = ("float16",)
FUNC_METHOD_INPLACE = ("function", "method", "inplace")
PROMOTE = ("bool", "int64", "float64", "float16")
# PyTorch 1.13 has no bool kernel for clamp; ember clamps 0/1 values (docs/DIFFERENCES.md).
BOOL_CLAMP = "clamp of bool tensors: computed by ember, refused by PyTorch 1.13 (DIFFERENCES.md)"

OPS = []


# PyTorch 1.13 leaves the earlier history on a tensor an in-place logical op wrote (gradients flow as if the
# op were the identity); ember's result of a non-differentiable op does not require grad.
LOGICAL_INPLACE = XFail("in-place logical ops keep no history (DIFFERENCES.md, 'In-place logical ops')",
                        variants=("inplace",), kind="grad")


def unary(name, dtypes, *, ember_dtypes=(), inplace=True, grad=True, knowns=(), **kw):
    OPS.append(OpInfo(name, dtypes=dtypes, ember_dtypes=ember_dtypes, grad=grad, knowns=knowns,
                      variants=FUNC_METHOD_INPLACE if inplace else ("function", "method"),
                      samples=lambda dt, rng: unary_samples(dt, rng, **kw)))


unary("neg", without(ALL, "bool"), int_edge=True)
unary("abs", without(ALL, "bool"), int_edge=True)
unary("sign", ALL, int_edge=True)
unary("square", ALL)
unary("reciprocal", ALL)
unary("exp2", ALL)
for _name in ("sqrt", "rsqrt", "exp", "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "atan", "sinh",
              "cosh", "tanh", "sigmoid", "erf", "erfc"):
    unary(_name, NO_HALF, ember_dtypes=HALF)
unary("asin", NO_HALF, ember_dtypes=HALF, low=-1, high=1)
unary("acos", NO_HALF, ember_dtypes=HALF, low=-1, high=1)
unary("erfinv", NO_HALF, ember_dtypes=HALF, low=-1, high=1, edges=(0.0, -0.0, 1.0, -1.0, 0.5, -0.999, 2.0, float("nan")))
for _name in ("floor", "ceil", "round", "trunc", "relu"):
    unary(_name, without(ALL, "float16", "bool"), ember_dtypes=HALF)
unary("frac", FLOATING)
unary("bitwise_not", INT_AND_BOOL, int_edge=True)
unary("logical_not", ALL, int_edge=True, knowns=(LOGICAL_INPLACE,))
for _name in ("isnan", "isinf", "isfinite"):
    unary(_name, ALL, inplace=False, int_edge=True)


def _logit_samples(dtype, rng):
    yield from unary_samples(dtype, rng, low=0, high=1, edges=(0.0, 1.0, 0.5, 1e-3, -0.5, 2.0, float("nan")))
    yield S(make(rng, (3, 4), dtype, low=0, high=1), eps=0.1)
    yield S(make(rng, (3, 4), dtype, "T", low=-0.5, high=1.5), 0.25)
    yield S(make(rng, (5,), dtype, values=(0.0, 1.0, 0.05, 0.95, 0.5)), eps=0.1)


BF16_LOGIT = ("bfloat16 logit: PyTorch 1.13 computes strided inputs step by step in bfloat16, ember in float32; "
              "compared with PyTorch computing in float32 (DIFFERENCES.md)")


def _bf16_logit(dt, rng):
    for s in _logit_samples(dt, rng):
        yield s.versus({"bfloat16": "float32"}, BF16_LOGIT) if dt == "bfloat16" else s


OPS.append(OpInfo("logit", dtypes=NO_HALF, ember_dtypes=HALF, variants=FUNC_METHOD_INPLACE, samples=_bf16_logit))


def _round_decimals_samples(dtype, rng):
    for d in (0, 1, 2, -1):
        yield S(make(rng, (3, 4), dtype, low=-300, high=300), decimals=d)
    yield S(make(rng, (3, 4), dtype, "T"), decimals=3)
    yield S(make(rng, (), dtype), decimals=1)
    yield S(make(rng, (0, 2), dtype), decimals=1)
    if dtype in FLOATING:
        yield S(make(rng, (6,), dtype, values=(0.125, 0.375, -2.5, 1.005, float("inf"), float("nan"))), decimals=2)


OPS.append(OpInfo("round", overload="decimals", dtypes=("bfloat16", "float32", "float64"), ember_dtypes=HALF,
                  variants=FUNC_METHOD_INPLACE, samples=_round_decimals_samples))


def _nan_to_num_samples(dtype, rng):
    e = FLOAT_EDGES if dtype in FLOATING else (0, 1, 2)
    x = make(rng, (len(e),), dtype, values=e)
    yield S(x)
    yield S(x, nan=1.5)
    yield S(x, posinf=10.0, neginf=-10.0)
    yield S(x, 2.0, 3.0, -3.0)
    yield S(make(rng, (3, 4), dtype, "T"))
    yield S(make(rng, (), dtype), nan=0.5)
    yield S(make(rng, (0, 3), dtype))


OPS.append(OpInfo("nan_to_num", dtypes=ALL, variants=FUNC_METHOD_INPLACE, samples=_nan_to_num_samples))


# ---- binary ----

def binary(name, dtypes, *, scalar_dtypes=None, ember_dtypes=(), inplace=True, grad=True, scalar=True,
           extra=None, errors=None, variants=None, bool_scalar=None, scalar_extra=None, knowns=(),
           scalar_ember_dtypes=None, **kw):
    """The Tensor overload and, when `scalar`, the Scalar overload of a binary op."""
    variants = variants or (FUNC_METHOD_INPLACE if inplace else ("function", "method"))
    bool_scalar = ("bool" in dtypes) if bool_scalar is None else bool_scalar
    scalars = kw.pop("scalars", (2, -1.5, True, 0.5))

    def tensor_samples(dt, rng):
        yield from binary_samples(dt, rng, **kw)
        if extra:
            yield from extra(dt, rng)

    def number_samples(dt, rng):
        yield from scalar_samples(dt, rng, low=kw.get("low"), high=kw.get("high"), scalars=scalars,
                                  bool_scalar=bool_scalar)
        if scalar_extra:
            yield from scalar_extra(dt, rng)

    OPS.append(OpInfo(name, overload="Tensor", dtypes=dtypes, ember_dtypes=ember_dtypes, grad=grad,
                      variants=variants, samples=tensor_samples, errors=errors, knowns=knowns))
    if scalar:
        OPS.append(OpInfo(name, overload="Scalar", dtypes=scalar_dtypes or dtypes,
                          ember_dtypes=ember_dtypes if scalar_ember_dtypes is None else scalar_ember_dtypes,
                          grad=grad, variants=variants, samples=number_samples, knowns=knowns))


def _alpha_samples(dt, rng):
    yield S(make(rng, (3, 4), dt), make(rng, (4,), dt), alpha=2)
    yield S(make(rng, (3, 4), dt, "T"), make(rng, (3, 4), dt), alpha=-3)
    if dt in FLOATING:
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), alpha=0.5)


def _shape_errors(rng):
    yield S(make(rng, (3, 4), "float32"), make(rng, (5,), "float32"))
    yield S(make(rng, (2, 3), "int64"), make(rng, (3, 2), "int64"))


def _add_errors(rng):
    yield from _shape_errors(rng)
    yield S(make(rng, (3,), "int64"), make(rng, (3,), "int64"), alpha=0.5)
    yield S(make(rng, (3,), "float32"), "a")


binary("add", ALL, other_dtypes=PROMOTE, edges=FLOAT_EDGES, extra=_alpha_samples, errors=_add_errors)
OPS.append(OpInfo("add", overload="Scalar_alpha", dtypes=ALL, variants=FUNC_METHOD_INPLACE,
                  samples=lambda dt, rng: (S(make(rng, (3, 4), dt), 2, alpha=3), S(make(rng, (2,), dt, "step"), 1, alpha=2))))
binary("sub", without(ALL, "bool"), other_dtypes=("int64", "float64", "float16"), edges=FLOAT_EDGES,
       extra=_alpha_samples, scalars=(2, -1.5, 0.5),
       errors=lambda rng: (S(make(rng, (3,), "bool"), make(rng, (3,), "bool")),
                           S(make(rng, (3,), "float32"), make(rng, (3,), "bool"))))
OPS.append(OpInfo("subtract", overload="Tensor", dtypes=without(ALL, "bool"), variants=FUNC_METHOD_INPLACE,
                  samples=lambda dt, rng: binary_samples(dt, rng, other_dtypes=("int64", "float64"))))
binary("mul", ALL, other_dtypes=PROMOTE, edges=FLOAT_EDGES, errors=_shape_errors)
OPS.append(OpInfo("multiply", overload="Tensor", dtypes=ALL, variants=FUNC_METHOD_INPLACE,
                  samples=lambda dt, rng: binary_samples(dt, rng, other_dtypes=("bool", "float64"))))
binary("div", ALL, other_dtypes=PROMOTE, edges=FLOAT_EDGES, scalars=(2, -1.5, True, 0))
OPS.append(OpInfo("divide", overload="Tensor", dtypes=ALL, variants=FUNC_METHOD_INPLACE,
                  samples=lambda dt, rng: binary_samples(dt, rng, other_dtypes=("int64",))))


TRUNC_HALF = ("div(rounding_mode='trunc') in float16/bfloat16: PyTorch 1.13 rounds the quotient to the dtype "
              "before truncating, ember truncates the float32 quotient (DIFFERENCES.md)")


def _div_mode_samples(dt, rng):
    for mode in ("trunc", "floor", None):
        def s(*args):
            sample = S(*args, rounding_mode=mode)
            return sample.known(TRUNC_HALF) if mode == "trunc" and dt in ("float16", "bfloat16") else sample
        yield s(make(rng, (3, 4), dt, low=-20, high=20), make(rng, (3, 4), dt, exclude_zero=True))
        yield s(make(rng, (3, 4), dt, "T", low=-20, high=20), make(rng, (4,), dt, exclude_zero=True))
        yield s(make(rng, (), dt), make(rng, (2, 3), dt, "step", exclude_zero=True))
        yield s(make(rng, (0, 3), dt), make(rng, (3,), dt, exclude_zero=True))
        yield s(make(rng, (3, 4), dt), make(rng, (3, 4), "float64", exclude_zero=True))
    if dt in FLOATING:
        e = np.array(FLOAT_EDGES)
        for mode in ("trunc", "floor"):
            yield SampleInput([make(rng, (len(e), 1), dt, values=e[:, None]),
                               make(rng, (1, len(e)), dt, values=e[None, :])], {"rounding_mode": mode}, desc="edges")


def _div_mode_scalar_samples(dt, rng):
    for mode in ("trunc", "floor"):
        for s in (3, -2, 2.5, True):
            yield S(make(rng, (3, 4), dt, low=-20, high=20), s, rounding_mode=mode)
        yield S(make(rng, (3, 4), dt, "T"), 2, rounding_mode=mode)
        yield S(make(rng, (), dt), -3, rounding_mode=mode)


def _int_div_zero_errors(rng, name_kw=None):
    kw = name_kw or {}
    yield S(make(rng, (3,), "int64"), make(rng, (3,), "int64", values=(1, 0, 2)), **kw)
    yield S(make(rng, (3,), "int32"), 0, **kw)
    yield S(make(rng, (), "uint8"), make(rng, (), "uint8", values=0), **kw)


OPS.append(OpInfo("div", overload="Tensor_mode", dtypes=without(ALL, "bool"), variants=FUNC_METHOD_INPLACE,
                  samples=_div_mode_samples,
                  errors=lambda rng: (*_int_div_zero_errors(rng, {"rounding_mode": "trunc"}),
                                      S(make(rng, (3,), "float32"), make(rng, (3,), "float32"),
                                        rounding_mode="round"))))
OPS.append(OpInfo("div", overload="Scalar_mode", dtypes=ALL_BUT_BOOL, variants=FUNC_METHOD_INPLACE,
                  samples=_div_mode_scalar_samples))
binary("floor_divide", without(ALL, "bool"), scalar_dtypes=ALL, grad=False, rhs_exclude_zero=True,
       other_dtypes=("int64", "float64"), edges=FLOAT_EDGES, scalars=(3, -2, 2.5, True),
       errors=lambda rng: _int_div_zero_errors(rng))
binary("remainder", without(ALL, "bool"), scalar_dtypes=ALL, rhs_exclude_zero=True,
       other_dtypes=("int64", "float64"), edges=FLOAT_EDGES, scalars=(3, -2, 2.5, True),
       errors=lambda rng: _int_div_zero_errors(rng))
binary("fmod", without(ALL, "bool"), scalar_dtypes=ALL, rhs_exclude_zero=True,
       other_dtypes=("int64", "float64"), edges=FLOAT_EDGES, scalars=(3, -2, 2.5, True),
       errors=lambda rng: _int_div_zero_errors(rng))


def _pow_errors(rng):
    yield S(make(rng, (3,), "int64"), -2)
    yield S(make(rng, (3,), "int32"), -1)


binary("pow", without(ALL, "bool"), scalar_dtypes=ALL, rhs_low=0, rhs_high=4, low=0.5,
       other_dtypes=("int64", "float64"), scalars=(2, 0.5, True, 3, -1.5, 0), errors=_pow_errors)
OPS.append(OpInfo("pow", overload="Scalar_base", dtypes=without(ALL, "bool"), variants=("function",),
                  samples=lambda dt, rng: (S(2, make(rng, (3, 4), dt, low=0, high=4)),
                                           S(0.5, make(rng, (3, 4), dt, "T", low=0, high=4)),
                                           S(-3, make(rng, (), dt, low=0, high=4)),
                                           S(2, make(rng, (0, 2), dt)),
                                           # PyTorch 1.13's backward fails on a bool base (an internal assert).
                                           S(True, make(rng, (3,), dt, low=0, high=4)).nograd())))
binary("atan2", NO_HALF, ember_dtypes=HALF, scalar=False, other_dtypes=("int64", "float64"), edges=FLOAT_EDGES,
       errors=lambda rng: (S(make(rng, (3,), "float32"), 2.0),))
for _name in ("minimum", "maximum", "fmin", "fmax"):
    binary(_name, ALL, scalar=False, other_dtypes=("int64", "float64", "bool"), edges=FLOAT_EDGES,
           inplace=False, errors=lambda rng: (S(make(rng, (3,), "float32"), 2.0),))
for _name in ("clamp_min", "clamp_max"):
    binary(_name, ALL, scalar_dtypes=NO_HALF, scalar_ember_dtypes=HALF, other_dtypes=("int64", "float64"),
           edges=FLOAT_EDGES, bool_scalar=False,
           scalar_extra=lambda dt, rng: (S(make(rng, (3,), dt), True).known(BOOL_CLAMP),) if dt == "bool" else ())
for _name in ("eq", "ne", "lt", "le", "gt", "ge"):
    binary(_name, ALL, other_dtypes=PROMOTE, edges=FLOAT_EDGES, errors=_shape_errors)
for _name in ("logical_and", "logical_or", "logical_xor"):
    binary(_name, ALL, scalar=False, other_dtypes=PROMOTE, edges=FLOAT_EDGES, knowns=(LOGICAL_INPLACE,))
for _name in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    binary(_name, INT_AND_BOOL, other_dtypes=("bool", "int64", "uint8"), scalars=(3, True, -1, 0))
for _name in ("bitwise_left_shift", "bitwise_right_shift"):
    binary(_name, INTEGRAL, scalar_dtypes=INT_AND_BOOL, rhs_low=0, rhs_high=4, low=-8, high=8,
           other_dtypes=("int64", "uint8"), scalars=(1, 2, 0, 3))


# ---- ternary and masked ----

def _clamp_scalar_samples(dt, rng):
    x = make(rng, (3, 4), dt)
    yield S(x, -1, 1)
    yield S(x, min=0)
    yield S(x, max=1)
    yield S(x, -1.5, 0.5)
    yield S(x, 2, -2)
    yield S(make(rng, (3, 4), dt, "T"), min=-1, max=2)
    yield S(make(rng, (2, 3), dt, "step"), None, 1)
    yield S(make(rng, (), dt), -1, 1)
    yield S(make(rng, (0, 2), dt), -1, 1)
    if dt in FLOATING:
        yield S(make(rng, (len(FLOAT_EDGES),), dt, values=FLOAT_EDGES), -1, 1)
        yield S(make(rng, (4,), dt), min=0.5, max=float("inf"))
        yield S(make(rng, (20,), dt), float("nan"), 1).known("NaN number bound in clamp gives NaN (DIFFERENCES.md)")


def _clamp_tensor_samples(dt, rng):
    yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), make(rng, (3, 4), dt))
    yield S(make(rng, (3, 4), dt), min=make(rng, (4,), dt))
    yield S(make(rng, (3, 4), dt), max=make(rng, (3, 1), dt))
    yield S(make(rng, (3, 4), dt, "T"), make(rng, (), dt), make(rng, (4,), dt, "step"))
    yield S(make(rng, (3, 4), dt, "expand"), make(rng, (3, 4), dt, "T"), None)
    yield S(make(rng, (), dt), make(rng, (), dt), make(rng, (), dt))
    yield S(make(rng, (0, 4), dt), make(rng, (4,), dt), make(rng, (4,), dt))
    yield S(make(rng, (3, 4), dt), make(rng, (3, 4), "float64"), None)


def _clamp_errors(rng):
    yield S(make(rng, (3,), "float32"))
    yield S(make(rng, (3,), "float32"), None, None)
    yield S(make(rng, (3,), "float32"), make(rng, (4,), "float32"))


for _name in ("clamp", "clip"):
    OPS.append(OpInfo(_name, overload="Scalar", dtypes=NO_HALF, ember_dtypes=HALF, variants=FUNC_METHOD_INPLACE,
                      samples=_clamp_scalar_samples, errors=_clamp_errors))
    OPS.append(OpInfo(_name, overload="Tensor", dtypes=without(ALL, "float16", "bool"), variants=FUNC_METHOD_INPLACE,
                      ember_dtypes={"float16": "float32", "bool": "int64"}, samples=_clamp_tensor_samples))


def _lerp_samples(weight_tensor):
    def gen(dt, rng):
        def w(shape, layout="contig"):
            return make(rng, shape, dt, layout, low=0, high=1) if weight_tensor else 0.3
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), w((3, 4)))
        yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), dt), w((3, 1)))
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt, "step"), w((), ) if weight_tensor else 0.75)
        yield S(make(rng, (), dt), make(rng, (3, 4), dt, "expand"), w((4,), "step") if weight_tensor else 1.5)
        yield S(make(rng, (), dt), make(rng, (), dt), w(()) if weight_tensor else -0.5)
        yield S(make(rng, (0, 4), dt), make(rng, (4,), dt), w((4,)))
        if not weight_tensor:
            yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), 2)
    return gen


def _lerp_errors(rng):
    yield S(make(rng, (3,), "float32"), make(rng, (3,), "float64"), 0.5)
    yield S(make(rng, (3,), "float32"), make(rng, (4,), "float32"), 0.5)
    yield S(make(rng, (3,), "float32"), make(rng, (3,), "float32"), make(rng, (3,), "float64"))


OPS.append(OpInfo("lerp", overload="Scalar", dtypes=("bfloat16", "float32", "float64"), ember_dtypes=HALF,
                  variants=FUNC_METHOD_INPLACE, samples=_lerp_samples(False), errors=_lerp_errors))
OPS.append(OpInfo("lerp", overload="Tensor", dtypes=("bfloat16", "float32", "float64"), ember_dtypes=HALF,
                  variants=FUNC_METHOD_INPLACE, samples=_lerp_samples(True)))


def _addc_samples(div):
    def gen(dt, rng):
        def d(shape, layout="contig"):
            return make(rng, shape, dt, layout, exclude_zero=div)
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), d((3, 4)))
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), d((3, 4)), value=2)
        yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), dt), d((3, 1)), value=-1)
        yield S(make(rng, (3, 4), dt), make(rng, (), dt), d((3, 4), "step"))
        yield S(make(rng, (), dt), make(rng, (3, 4), dt, "expand"), d(()))
        yield S(make(rng, (0, 4), dt), make(rng, (4,), dt), d((4,)))
        if dt in FLOATING:
            yield S(make(rng, (3, 4), dt), make(rng, (3, 4), dt), d((3, 4)), value=0.5)
    return gen


OPS.append(OpInfo("addcmul", dtypes=without(ALL, "float16", "bool"), ember_dtypes=HALF, variants=FUNC_METHOD_INPLACE,
                  samples=_addc_samples(False), errors=lambda rng: (
                      S(make(rng, (3,), "float32"), make(rng, (3,), "float32"), make(rng, (4,), "float32")),
                      S(make(rng, (3,), "bool"), make(rng, (3,), "bool"), make(rng, (3,), "bool")))))
OPS.append(OpInfo("addcdiv", dtypes=("bfloat16", "float32", "float64"), ember_dtypes=HALF,
                  variants=FUNC_METHOD_INPLACE, samples=_addc_samples(True), errors=lambda rng: (
                      S(make(rng, (3,), "int64"), make(rng, (3,), "int64"), make(rng, (3,), "int64")),)))


def _where_samples(kind):
    def gen(dt, rng):
        def c(shape, layout="contig"):
            return make(rng, shape, "bool", layout)

        def x(shape, layout="contig"):
            return make(rng, shape, dt, layout)
        if kind == "tensor":
            yield S(c((3, 4)), x((3, 4)), x((3, 4)))
            yield S(c((3, 4), "T"), x((4,)), x((3, 1)))
            yield S(c((4,)), x((3, 4), "step"), x(()))
            yield S(c(()), x((3, 4), "expand"), x((3, 4), "T"))
            yield S(c((2, 1, 4)), x((3, 4)), x((3, 1)))
            yield S(c((0, 4)), x((4,)), x(()))
            yield S(c(()), x(()), x(()))
            yield S(c((3, 4)), x((3, 4)), make(rng, (3, 4), "float64"))
            yield S(c((3, 4)), x((3, 4)), make(rng, (), "int64"))
        elif kind == "scalar_other":
            for s in (0, 1.5, True):
                yield S(c((3, 4)), x((3, 4)), s)
            yield S(c((4,)), x((3, 4), "T"), -2)
        elif kind == "scalar_self":
            for s in (0, 1.5, True):
                yield S(c((3, 4)), s, x((3, 4)))
            yield S(c(()), 2, x((3, 4), "step"))
        else:
            yield S(c((3, 4)), 1.0, 0.0)
            yield S(c((3, 4), "T"), 1, 0)
            yield S(c((3,)), True, False)
            yield S(c(()), 2, 0.5)
    return gen


def _where_errors(rng):
    yield S(make(rng, (3,), "float32"), make(rng, (3,), "float32"), make(rng, (3,), "float32"))
    yield S(make(rng, (3,), "bool"), make(rng, (4,), "float32"), make(rng, (3,), "float32"))


OPS.append(OpInfo("where", overload="self", dtypes=ALL, variants=("function",), samples=_where_samples("tensor"),
                  errors=_where_errors))
OPS.append(OpInfo("where", overload="ScalarOther", dtypes=ALL, variants=("function",),
                  samples=_where_samples("scalar_other")))
OPS.append(OpInfo("where", overload="ScalarSelf", dtypes=ALL, variants=("function",),
                  samples=_where_samples("scalar_self")))
OPS.append(OpInfo("where", overload="Scalar", dtypes=("float32",), variants=("function",), grad=False,
                  dtype_independent=True,
                  samples=_where_samples("scalars")))
OPS.append(OpInfo("where", overload="method", dtypes=ALL, op=lambda M, cond, x, y: x.where(cond, y), variant="method",
                  samples=_where_samples("tensor")))


def _masked_fill_samples(tensor_value):
    def gen(dt, rng):
        def v(val):
            return make(rng, (), dt, values=val) if tensor_value else val
        m = "bool"
        yield S(make(rng, (3, 4), dt), make(rng, (3, 4), m), v(1))
        yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), m), v(0))
        yield S(make(rng, (3, 4), dt, "step"), make(rng, (3, 4), m, "T"), v(2))
        yield S(make(rng, (), dt), make(rng, (), m), v(1))
        yield S(make(rng, (0, 3), dt), make(rng, (3,), m), v(1))
        yield S(make(rng, (3, 4), dt), make(rng, (), m), v(True))
        if not tensor_value:
            yield S(make(rng, (3, 4), dt), make(rng, (3, 4), m), 2.5 if dt in FLOATING else 3)
        else:
            yield S(make(rng, (3, 4), dt), make(rng, (3, 4), m), make(rng, (), "float64", values=0.5))
    return gen


def _masked_fill_errors(rng):
    yield S(make(rng, (3,), "float32"), make(rng, (3,), "float32"), 1.0)
    yield S(make(rng, (3,), "float32"), make(rng, (3,), "bool"), make(rng, (3,), "float32"))
    yield S(make(rng, (3,), "float32"), make(rng, (4,), "bool"), 1.0)


OPS.append(OpInfo("masked_fill", overload="Scalar", dtypes=ALL, variants=FUNC_METHOD_INPLACE,
                  samples=_masked_fill_samples(False), errors=_masked_fill_errors))
OPS.append(OpInfo("masked_fill", overload="Tensor", dtypes=ALL, variants=FUNC_METHOD_INPLACE,
                  samples=_masked_fill_samples(True)))


def _result_type_samples(scalar):
    def gen(dt, rng):
        for od in ALL:
            if scalar:
                break
            yield S(make(rng, (2,), dt), make(rng, (2,), od))
            yield S(make(rng, (2,), dt), make(rng, (), od))
        if scalar:
            for s in (1, 1.5, True):
                yield S(make(rng, (2,), dt), s)
                yield S(make(rng, (), dt), s)
    return gen


OPS.append(OpInfo("result_type", overload="Tensor", dtypes=ALL, grad=False, variant="function",
                  op=lambda M, a, b: str(M.result_type(a, b)).rsplit(".")[-1], samples=_result_type_samples(False)))
OPS.append(OpInfo("result_type", overload="Scalar", dtypes=ALL, grad=False, variant="function",
                  op=lambda M, a, b: str(M.result_type(a, b)).rsplit(".")[-1], samples=_result_type_samples(True)))


# ---- Python operators ----

def _inplace_op(f):
    def run(M, x, y):
        before = x
        x = f(x, y)
        assert x is before, "compound assignment rebound the name to a new object"
        return x
    return run


def _iadd(x, y):
    x += y
    return x


def _isub(x, y):
    x -= y
    return x


def _imul(x, y):
    x *= y
    return x


def _itruediv(x, y):
    x /= y
    return x


def _ifloordiv(x, y):
    x //= y
    return x


def _imod(x, y):
    x %= y
    return x


def _ipow(x, y):
    x **= y
    return x


def _iand(x, y):
    x &= y
    return x


def _ior(x, y):
    x |= y
    return x


def _ixor(x, y):
    x ^= y
    return x


def _ilshift(x, y):
    x <<= y
    return x


def _irshift(x, y):
    x >>= y
    return x


def operator(name, f, dtypes, *, scalar_dtypes=None, reflected=None, inplace=None, tensor=True, scalar=True,
             scalars=(2, -1.5, True), grad=True, **kw):
    bool_scalar = "bool" in dtypes
    if tensor:
        OPS.append(OpInfo(name, overload="Tensor", dtypes=dtypes, variant="operator", grad=grad,
                          op=lambda M, a, b: f(a, b), samples=lambda dt, rng: binary_samples(dt, rng, **kw)))
    if scalar:
        OPS.append(OpInfo(name, overload="Scalar", dtypes=scalar_dtypes or dtypes, variant="operator", grad=grad,
                          op=lambda M, a, b: f(a, b),
                          samples=lambda dt, rng: scalar_samples(dt, rng, scalars=scalars, low=kw.get("low"),
                                                                 high=kw.get("high"), bool_scalar=bool_scalar)))
    if reflected:
        OPS.append(OpInfo("__r" + name[2:], overload="Scalar", dtypes=scalar_dtypes or dtypes, variant="operator",
                          grad=grad and reflected != "nograd", op=lambda M, a, b: f(b, a),
                          samples=lambda dt, rng: scalar_samples(dt, rng, scalars=scalars, low=kw.get("rhs_low"),
                                                                 high=kw.get("rhs_high"), bool_scalar=bool_scalar,
                                                                 exclude_zero=kw.get("rhs_exclude_zero", False))))
    if inplace:
        OPS.append(OpInfo("__i" + name[2:], overload="Tensor", dtypes=dtypes, variant="operator", grad=False,
                          op=_inplace_op(inplace), inplace_of=lambda M, a, b: f(a, b),
                          samples=lambda dt, rng: binary_samples(dt, rng, **kw)))
        if scalar:
            OPS.append(OpInfo("__i" + name[2:], overload="Scalar", dtypes=scalar_dtypes or dtypes, variant="operator",
                              grad=False, op=_inplace_op(inplace), inplace_of=lambda M, a, b: f(a, b),
                              samples=lambda dt, rng: scalar_samples(dt, rng, scalars=scalars,
                                                                     bool_scalar=bool_scalar)))


_NB = without(ALL, "bool")
operator("__add__", lambda a, b: a + b, ALL, reflected=True, inplace=_iadd, other_dtypes=PROMOTE)
operator("__sub__", lambda a, b: a - b, _NB, reflected=True, inplace=_isub, other_dtypes=("int64", "float64"),
         scalars=(2, -1.5, 0.5))
operator("__mul__", lambda a, b: a * b, ALL, reflected=True, inplace=_imul, other_dtypes=PROMOTE)
operator("__truediv__", lambda a, b: a / b, ALL, reflected=True, inplace=_itruediv, other_dtypes=("int64", "float64"))
operator("__floordiv__", lambda a, b: a // b, _NB, scalar_dtypes=ALL, reflected=True, inplace=_ifloordiv, grad=False,
         rhs_exclude_zero=True, other_dtypes=("int64",), scalars=(3, -2, 2.5), rhs_low=1, rhs_high=5)
# reflected="nograd": PyTorch 1.13 has no derivative of `number % tensor`.
operator("__mod__", lambda a, b: a % b, _NB, scalar_dtypes=ALL, reflected="nograd", inplace=_imod, rhs_exclude_zero=True,
         other_dtypes=("int64",), scalars=(3, -2, 2.5), rhs_low=1, rhs_high=5)
operator("__pow__", lambda a, b: a ** b, _NB, scalar_dtypes=ALL, reflected=True, inplace=_ipow, rhs_low=0, rhs_high=3, low=0.5,
         scalars=(2, 0.5, 3))
for _n, _f in (("__eq__", lambda a, b: a == b), ("__ne__", lambda a, b: a != b), ("__lt__", lambda a, b: a < b),
               ("__le__", lambda a, b: a <= b), ("__gt__", lambda a, b: a > b), ("__ge__", lambda a, b: a >= b)):
    operator(_n, _f, ALL, other_dtypes=("int64", "float64"))
operator("__and__", lambda a, b: a & b, INT_AND_BOOL, reflected=True, inplace=_iand, scalars=(3, True, -1),
         other_dtypes=("bool", "int64"))
operator("__or__", lambda a, b: a | b, INT_AND_BOOL, reflected=True, inplace=_ior, scalars=(3, True, -1),
         other_dtypes=("bool", "int64"))
operator("__xor__", lambda a, b: a ^ b, INT_AND_BOOL, reflected=True, inplace=_ixor, scalars=(3, True, -1),
         other_dtypes=("bool", "int64"))
operator("__lshift__", lambda a, b: a << b, INTEGRAL, scalar_dtypes=INT_AND_BOOL, inplace=_ilshift, rhs_low=0,
         rhs_high=4, low=-8, high=8, scalars=(1, 2, 3), other_dtypes=("int64",))
operator("__rshift__", lambda a, b: a >> b, INTEGRAL, scalar_dtypes=INT_AND_BOOL, inplace=_irshift, rhs_low=0,
         rhs_high=4, low=-8, high=8, scalars=(1, 2, 3), other_dtypes=("int64",))
for _n, _f, _dt in (("__neg__", lambda M, x: -x, _NB), ("__abs__", lambda M, x: abs(x), _NB),
                    ("__invert__", lambda M, x: ~x, INT_AND_BOOL)):
    OPS.append(OpInfo(_n, dtypes=_dt, variant="operator", op=_f,
                      samples=lambda dt, rng: unary_samples(dt, rng, int_edge=True)))
