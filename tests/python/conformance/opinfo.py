"""The conformance framework: op descriptions (OpInfo), sample inputs built from NumPy, and the runner that
executes a sample in ember and in PyTorch and compares the results.

An OpInfo names an op and how to call it in either module (`ember` or `torch`, passed as `M`), the dtypes
PyTorch 1.13 supports for it on CPU, whether it is differentiable, and generators of sample inputs and of
error inputs. Tensor arguments of a sample are TensorSpecs: a NumPy array plus a layout (contiguous,
transposed, sliced with a step, expanded); both frameworks build their tensor from a copy of the same array
and apply the same view, so the op sees identical values and strides in both.

EMBER_TEST_DEVICE=cuda runs the samples on a GPU: each tensor argument is built on the CPU, moved to the
device and viewed there in each framework, both compute on the device, and the results come back to the
CPU to be compared (docs/GPU.md).
"""
import dataclasses
import os
import zlib

import numpy as np
import torch

import ember

DEVICE = os.environ.get("EMBER_TEST_DEVICE", "cpu")

FLOATING = ("float16", "bfloat16", "float32", "float64")
INTEGRAL = ("uint8", "int8", "int16", "int32", "int64")
ALL = FLOATING + INTEGRAL + ("bool",)
ALL_BUT_BOOL = FLOATING + INTEGRAL
INT_AND_BOOL = INTEGRAL + ("bool",)


def without(dtypes, *names):
    return tuple(d for d in dtypes if d not in names)


# (rtol, atol) per result dtype. float16/bfloat16 allow one unit in the last place (2^-10 and 2^-7 relative,
# times two for bfloat16, PyTorch's own defaults): an implementation may compute in float32 and round, or not.
TOLERANCE = {
    "float64": (1e-10, 1e-12),
    "float32": (1e-5, 1e-5),
    "float16": (1e-3, 1e-5),
    "bfloat16": (1.6e-2, 1e-5),
}

_NP_STORAGE = {
    "float16": np.float16, "bfloat16": np.float32, "float32": np.float32, "float64": np.float64,
    "uint8": np.uint8, "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64, "bool": np.bool_,
}


_DTYPE_NAMES = {}


def dtype_name(d):
    n = _DTYPE_NAMES.get(d)
    if n is None:
        n = _DTYPE_NAMES[d] = str(d).rsplit(".", 1)[-1]
    return n


def is_tensor(x):
    return isinstance(x, (torch.Tensor, ember.Tensor))


def round_to_bfloat16(a):
    """float32 values rounded to the nearest bfloat16 (ties to even), so converting them is exact."""
    a = np.array(a, dtype=np.float32, order="C")
    bits = a.view(np.uint32).astype(np.int64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16) << 16
    out = (rounded & 0xFFFFFFFF).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(a), a, out)


class DT:
    """A dtype argument, resolved to ember.<name> or torch.<name> when the sample is built."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class TensorSpec:
    """A tensor argument: `base` is the array both frameworks copy, `view` the same view applied to it."""

    def __init__(self, logical, dtype, layout, rng, grad):
        self.dtype = dtype
        self.layout = layout
        self.grad = grad
        logical = np.asarray(logical)
        if layout == "contig":
            base = logical
        elif layout == "T":
            base = np.swapaxes(logical, -1, -2)
        elif layout == "step":
            base = random_array(rng, logical.shape[:-1] + (2 * logical.shape[-1] + 1,), dtype)
            base[..., 1::2] = logical
        elif layout == "expand":
            base = logical[:1]
            logical = np.broadcast_to(base, logical.shape)
        else:
            raise ValueError(f"unknown layout {layout}")
        base = np.array(base, dtype=_NP_STORAGE[dtype], order="C")
        if dtype == "bfloat16":
            base = round_to_bfloat16(base)
        self.base = base
        self.shape = tuple(logical.shape)

    def build(self, M, requires_grad=False, upcast=None):
        """(tensor the op receives, leaf tensor, (first byte, end byte) of the memory it views).

        The layout is a NumPy view handed to from_numpy, so building inputs relies on no ember op; dtypes
        NumPy lacks (bfloat16, or a float32 reference for an ember-only dtype) are converted from the
        contiguous array and then viewed with the framework's own transpose / slicing / expand."""
        dtype = (upcast or {}).get(self.dtype, self.dtype)
        arr = self.base.copy()
        if dtype == self.dtype and self.dtype != "bfloat16" and DEVICE == "cpu":
            t = M.from_numpy(self._np_view(arr))
            if requires_grad:
                t.requires_grad_()
            return t, t, (arr.ctypes.data, arr.ctypes.data + arr.nbytes)
        t = M.from_numpy(arr).to(getattr(M, dtype)).to(DEVICE)
        if requires_grad:
            t.requires_grad_()
        leaf = t
        span = (t.data_ptr(), t.data_ptr() + t.numel() * t.element_size())
        if self.layout == "T":
            t = t.transpose(-2, -1)
        elif self.layout == "step":
            t = t[..., 1::2]
        elif self.layout == "expand":
            t = t.expand(*self.shape)
        return t, leaf, span

    def _np_view(self, arr):
        if self.layout == "T":
            return np.swapaxes(arr, -1, -2)
        if self.layout == "step":
            return arr[..., 1::2]
        if self.layout == "expand":
            return np.lib.stride_tricks.as_strided(arr, self.shape, (0,) + arr.strides[1:])
        return arr

    def __repr__(self):
        short = {"float16": "f16", "bfloat16": "bf16", "float32": "f32", "float64": "f64", "uint8": "u8",
                 "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64", "bool": "b"}[self.dtype]
        lay = "" if self.layout == "contig" else ":" + self.layout
        return f"{short}{list(self.shape)}{lay}"


def random_array(rng, shape, dtype, low=None, high=None, exclude_zero=False):
    if dtype in FLOATING:
        lo = -3.0 if low is None else low
        hi = 3.0 if high is None else high
        a = rng.uniform(lo, hi, size=shape)
        if exclude_zero:
            a = np.where(np.abs(a) < 0.25, np.copysign(0.5, a), a)
        return a.astype(np.float64)
    if dtype == "bool":
        return np.ones(shape, dtype=bool) if exclude_zero else rng.random(size=shape) < 0.5
    info = np.iinfo(_NP_STORAGE[dtype])
    lo = max(-9 if low is None else int(low), info.min)
    hi = min(10 if high is None else int(high), info.max + 1)
    if hi <= lo:  # a range outside the dtype (negative numbers for uint8): its nearest end
        lo, hi = (info.min, info.min + 10) if hi <= info.min else (info.max - 9, info.max + 1)
    a = rng.integers(lo, hi, size=shape, dtype=np.int64)
    if exclude_zero:
        a = np.where(a == 0, 1, a)
    return a


def make(rng, shape, dtype, layout="contig", low=None, high=None, exclude_zero=False, grad=True, values=None):
    """A TensorSpec of the given logical shape and dtype, with random values (or `values`) and a layout."""
    shape = tuple(shape)
    if values is not None:
        logical = np.asarray(values, dtype=np.float64 if dtype in FLOATING else None)
        if dtype not in FLOATING:
            logical = logical.astype(_NP_STORAGE[dtype])
    else:
        logical = random_array(rng, shape, dtype, low, high, exclude_zero)
    if layout == "T" and logical.ndim < 2:
        raise ValueError("layout T needs 2 dims")
    if layout == "step" and logical.ndim < 1:
        raise ValueError("layout step needs 1 dim")
    if dtype in FLOATING and dtype != "float64":
        logical = logical.astype(_NP_STORAGE[dtype]).astype(np.float64)
    return TensorSpec(logical, dtype, layout, rng, grad)


class SampleInput:
    """Positional and keyword arguments of one call, plus how the runner treats them."""

    def __init__(self, args, kwargs=None, *, desc=""):
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.desc = desc
        self.xfail_reason = None
        self.xfail_grad_reason = None
        self.known_reason = None
        self.known_shapes = True
        self.grad = True
        self.variants = None
        self.values = True
        self.reference = None
        self.grad_known_reason = None

    def xfail(self, reason):
        """An ember bug, left failing visibly: the sample must fail (strict), and is reported as xfailed."""
        self.xfail_reason = reason
        return self

    def xfail_grad(self, reason):
        """An ember bug in the gradient only: the forward is compared, the gradient check must fail."""
        self.xfail_grad_reason = reason
        return self

    def known(self, reason, shapes=True):
        """An intended difference (docs/DIFFERENCES.md): only dtypes (and, unless the difference is the
        shape, shapes) are compared."""
        self.known_reason = reason
        self.known_shapes = shapes
        return self

    def versus(self, reference, reason):
        """An intended difference in precision: PyTorch computes the reference from inputs converted per
        `reference` ({dtype: wider dtype}) and its result is rounded back, then compared as usual."""
        self.reference = reference
        self.known_reason = reason
        return self

    def uninitialized(self):
        """The result's values are unspecified (empty, empty_like): only dtypes and shapes are compared."""
        self.values = False
        return self

    def known_grad(self, reason):
        """An intended difference in the gradient only (docs/DIFFERENCES.md): values are compared, the
        gradient is not."""
        self.grad_known_reason = reason
        return self

    def nograd(self):
        self.grad = False
        return self

    def only(self, *variants):
        self.variants = variants
        return self

    def __repr__(self):
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return (self.desc + " " if self.desc else "") + "(" + ", ".join(parts) + ")"


def S(*args, **kwargs):
    return SampleInput(args, kwargs)


@dataclasses.dataclass
class XFail:
    """An ember bug affecting a whole group of samples (by variant, dtype, forward or gradient). As an
    OpInfo's `knowns`, an intended difference (docs/DIFFERENCES.md) of such a group instead."""
    reason: str
    variants: tuple = None
    dtypes: tuple = None
    kind: str = None  # "forward", "grad", "errors" or None for all

    def applies(self, variant, dtype, kind):
        return ((self.variants is None or variant in self.variants) and (self.dtypes is None or dtype in self.dtypes)
                and (self.kind is None or self.kind == kind))


class OpInfo:
    """One op (one overload): how to call it, its dtypes, and its sample generators.

    variants: "function" (M.<name>), "method" (x.<name>), "inplace" (x.<name>_), or a single custom form
    given by `op`, a callable (M, *args, **kwargs), under the variant name `variant` ("operator", "lambda").
    samples(dtype, rng) yields SampleInputs; errors(rng) yields SampleInputs on which PyTorch raises.
    ember_dtypes: dtypes PyTorch 1.13 lacks on CPU but ember computes (an intended difference in
    docs/DIFFERENCES.md); checked against PyTorch computing in float32 and rounding.
    """

    def __init__(self, name, *, samples, dtypes=ALL, overload="", variants=("function", "method"), op=None,
                 variant=None, grad=True, grad_dtypes=("float32", "float64"), errors=None, ember_dtypes=(),
                 xfails=(), module=None, inplace_of=None, dtype_independent=False, check_strides=False,
                 knowns=()):
        self.name = name
        self.overload = overload
        self.samples = samples
        self.dtypes = tuple(dtypes)
        self.op = op
        self.variants = (variant or "lambda",) if op is not None else tuple(variants)
        self.grad = grad
        self.grad_dtypes = tuple(d for d in grad_dtypes if d in self.dtypes)
        self.errors = errors
        # dtype -> the dtype PyTorch computes the reference in (float32 for float16/bfloat16, int64 for bool).
        self.ember_dtypes = (dict(ember_dtypes) if isinstance(ember_dtypes, dict) else
                             {d: "float32" if d in FLOATING else "int64" for d in ember_dtypes})
        self.xfails = tuple(xfails)
        self.knowns = tuple(knowns)
        self.module = module
        self.inplace_of = inplace_of
        # Samples that do not depend on the dtype (factories with explicit dtypes, where with numbers):
        # run once, under the first of `dtypes`, with no unsupported-dtype checks.
        self.dtype_independent = dtype_independent
        # Views: their strides follow from the input's, so they must equal PyTorch's.
        self.check_strides = check_strides

    @property
    def key(self):
        return self.name + ("." + self.overload if self.overload else "")

    def call(self, M, variant, args, kwargs):
        if self.op is not None:
            return self.op(M, *args, **kwargs)
        if variant == "function":
            f = M
            for part in ((self.module + ".") if self.module else "").split(".")[:-1] + [self.name]:
                f = getattr(f, part)
            return f(*args, **kwargs)
        if variant == "method":
            return getattr(args[0], self.name)(*args[1:], **kwargs)
        if variant == "inplace":
            return getattr(args[0], self.name + "_")(*args[1:], **kwargs)
        raise ValueError(f"unknown variant {variant}")

    def writes_self(self, variant):
        return variant == "inplace" or self.inplace_of is not None

    def predicts_torch_error(self, variant, sample, upcast=None):
        """For an in-place form: whether PyTorch will refuse the sample, judged from the out-of-place result
        (shape or dtype that self cannot hold, or a self with overlapping elements). PyTorch's errors are
        slow (it records a C++ backtrace), so the runner runs only a few of these."""
        args, kwargs, _ = materialize(torch, sample, upcast=upcast)
        self_ = args[0]
        try:
            if variant == "inplace":
                out = getattr(self_, self.name)(*args[1:], **kwargs)
            else:
                out = self.inplace_of(torch, *args, **kwargs)
        except Exception:  # noqa: BLE001
            return True
        if not isinstance(out, torch.Tensor) or not isinstance(self_, torch.Tensor):
            return False
        return (out.shape != self_.shape or not torch.can_cast(out.dtype, self_.dtype)
                or any(st == 0 and sz > 1 for st, sz in zip(self_.stride(), self_.shape)))

    def xfail_for(self, variant, dtype, kind):
        for x in self.xfails:
            if x.applies(variant, dtype, kind):
                return x.reason
        return None

    def known_for(self, variant, dtype, kind):
        for x in self.knowns:
            if x.applies(variant, dtype, kind):
                return x.reason
        return None

    def rng(self, dtype):
        return np.random.default_rng(zlib.crc32(f"{self.key}/{dtype}".encode()))


# ---- running a sample ----

class Coverage:
    def __init__(self):
        self.ops = set()
        self.overloads = set()
        self.samples = 0
        self.grad_samples = 0
        self.error_samples = 0
        self.known = 0
        self.xfailed = 0


COVERAGE = Coverage()


class Mismatch(AssertionError):
    pass


def _materialize(M, obj, requires_grad, upcast, leaves):
    if isinstance(obj, TensorSpec):
        grad = requires_grad and obj.grad and obj.dtype in FLOATING
        t, leaf, span = obj.build(M, grad, upcast)
        leaves.append((leaf, span, grad))
        return t
    if isinstance(obj, DT):
        return getattr(M, (upcast or {}).get(obj.name, obj.name))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_materialize(M, o, requires_grad, upcast, leaves) for o in obj)
    if isinstance(obj, dict):
        return {k: _materialize(M, v, requires_grad, upcast, leaves) for k, v in obj.items()}
    return obj


def materialize(M, sample, requires_grad=False, upcast=None):
    leaves = []
    args = _materialize(M, sample.args, requires_grad, upcast, leaves)
    kwargs = _materialize(M, sample.kwargs, requires_grad, upcast, leaves)
    return args, kwargs, leaves


def to_numpy(t):
    t = t.detach().cpu()
    if dtype_name(t.dtype) == "bfloat16":
        t = t.float()
    if isinstance(t, torch.Tensor):
        return t.numpy()
    if hasattr(t, "numpy"):
        return t.numpy()
    return np.array(t.tolist(), dtype=_NP_STORAGE[dtype_name(t.dtype)]).reshape(tuple(t.shape))


def _mismatch_detail(a, e, bad):
    a, e, bad = np.atleast_1d(a), np.atleast_1d(e), np.atleast_1d(bad)
    idx = tuple(int(i[0]) for i in np.nonzero(bad))
    return f"{int(bad.sum())} of {bad.size} elements differ, first at {list(idx)}: ember {a[idx]!r}, torch {e[idx]!r}"


_PRECISION = {"bfloat16": 0, "float16": 1, "float32": 2, "float64": 3}


def _reference_target(e, t, upcast):
    """The dtype to cast PyTorch's result to when it was computed in a reference dtype for an ember-only one."""
    for orig, ref in (upcast or {}).items():
        if dtype_name(t.dtype) == ref and dtype_name(e.dtype) == orig:
            return orig
    return None


def compare_tensor(e, t, what, upcast_to=None, tol_dtype=None):
    """tol_dtype: the least precise floating dtype the computation went through, when it is less precise
    than the result's (the float64 gradient of a float64 number added to a float32 tensor is summed in
    float32)."""
    if not isinstance(e, ember.Tensor):
        raise Mismatch(f"{what}: ember returned {type(e).__name__}, torch a Tensor")
    tdt = upcast_to or dtype_name(t.dtype)
    if dtype_name(e.dtype) != tdt:
        raise Mismatch(f"{what}: dtype ember {dtype_name(e.dtype)}, torch {tdt}")
    if tuple(e.shape) != tuple(t.shape):
        raise Mismatch(f"{what}: shape ember {tuple(e.shape)}, torch {tuple(t.shape)}")
    if e.requires_grad != t.requires_grad:
        raise Mismatch(f"{what}: requires_grad ember {e.requires_grad}, torch {t.requires_grad}")
    if t.numel() == 0:
        return
    a = to_numpy(e)
    x = to_numpy(t.to(getattr(torch, upcast_to)) if upcast_to else t)
    if tdt in FLOATING:
        a = a.astype(np.float64)
        x = x.astype(np.float64)
        if np.array_equal(a, x, equal_nan=True):
            return
        tol = tdt if tol_dtype is None or _PRECISION[tol_dtype] >= _PRECISION[tdt] else tol_dtype
        rtol, atol = TOLERANCE[tol]
        # NaN matches NaN; infinities must be equal; finite values within atol + rtol * |torch|.
        if not np.isclose(a, x, rtol, atol, equal_nan=True).all():
            bad = ~np.isclose(a, x, rtol, atol, equal_nan=True)
            raise Mismatch(f"{what}: values differ (rtol={rtol}, atol={atol}): {_mismatch_detail(a, x, bad)}")
    else:
        if np.array_equal(a, x):
            return
        bad = a != x
        if np.any(bad):
            raise Mismatch(f"{what}: values differ: {_mismatch_detail(np.asarray(a), np.asarray(x), np.asarray(bad))}")


def compare_outputs(e, t, what="result", upcast=None, values=True, tol_dtype=None, shapes=True):
    if isinstance(t, torch.Tensor):
        if not values:
            if not isinstance(e, ember.Tensor):
                raise Mismatch(f"{what}: ember returned {type(e).__name__}, torch a Tensor")
            tdt = _reference_target(e, t, upcast) or dtype_name(t.dtype)
            if (dtype_name(e.dtype) != tdt or (shapes and tuple(e.shape) != tuple(t.shape))
                    or e.requires_grad != t.requires_grad):
                raise Mismatch(f"{what}: ember {dtype_name(e.dtype)}{tuple(e.shape)}, "
                               f"torch {tdt}{tuple(t.shape)}")
            return
        if isinstance(e, ember.Tensor):
            compare_tensor(e, t, what, _reference_target(e, t, upcast), tol_dtype)
        else:
            compare_tensor(e, t, what)
        return
    if isinstance(t, (tuple, list)):
        if not isinstance(e, (tuple, list)) or len(e) != len(t):
            raise Mismatch(f"{what}: ember returned {type(e).__name__} of {len(e) if hasattr(e, '__len__') else '-'}"
                           f", torch {type(t).__name__} of {len(t)}")
        for i, (ei, ti) in enumerate(zip(e, t)):
            compare_outputs(ei, ti, f"{what}[{i}]", upcast, values, tol_dtype, shapes)
        for field in getattr(t, "_fields", ()):
            if not hasattr(e, field):
                raise Mismatch(f"{what}: torch's result has field .{field}, ember's ({type(e).__name__}) does not")
        return
    if t is None:
        if e is not None:
            raise Mismatch(f"{what}: ember returned {type(e).__name__}, torch None")
        return
    if type(e) is not type(t) or (e != t and not (t != t and e != e)):
        raise Mismatch(f"{what}: ember {e!r} ({type(e).__name__}), torch {t!r} ({type(t).__name__})")


def significant_strides(t):
    """A tensor's strides where they matter: none for an empty tensor, and not those of size-1 dims (which
    PyTorch's own contiguity checks ignore)."""
    if t.numel() == 0:
        return ()
    return tuple(st for st, sz in zip(t.stride(), t.shape) if sz != 1)


def flat_tensors(out):
    if is_tensor(out):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in flat_tensors(o)]
    return []


def exception_class(exc):
    """The builtin exception class PyTorch's exception is (torch's own errors subclass builtins)."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls
    return Exception


def _aliasing(out, leaves):
    flags = []
    for t in flat_tensors(out):
        if t.numel() == 0:
            flags.append(None)
            continue
        p = t.data_ptr()
        flags.append(tuple(i for i, (_, (lo, hi), _) in enumerate(leaves) if lo <= p < hi))
    return flags


def _call_both(op, variant, sample, upcast):
    """Calls the op in torch, then in ember. Returns (torch result, torch inputs, torch leaves, ember ...) or
    raises Mismatch; a torch exception is returned as the result for the caller to judge."""
    t_args, t_kwargs, t_leaves = materialize(torch, sample, upcast=upcast)
    try:
        t_out = op.call(torch, variant, t_args, t_kwargs)
    except Exception as exc:  # noqa: BLE001 - every torch error class is compared with ember's
        t_out = exc
    e_args, e_kwargs, e_leaves = materialize(ember, sample)
    try:
        e_out = op.call(ember, variant, e_args, e_kwargs)
    except Exception as exc:  # noqa: BLE001
        e_out = exc
    return t_out, t_args, t_leaves, e_out, e_args, e_leaves


def run_forward(op, variant, dtype, sample, *, allow_torch_error=False, upcast=None, known=None):
    """Runs one sample; returns "ok", "error" (both raised the same class) or "known". Raises Mismatch.

    upcast: {dtype: reference dtype} for ember-only dtypes, whose inputs PyTorch gets in the reference
    dtype. known: the reason of an intended difference for the whole group (else the sample's own)."""
    if sample.reference:
        upcast = sample.reference
    known = known or (sample.known_reason if not sample.reference else None)
    t_out, t_args, t_leaves, e_out, e_args, e_leaves = _call_both(op, variant, sample, upcast)
    if isinstance(t_out, Exception) and known and not isinstance(e_out, Exception):
        # An intended difference may be that ember computes what PyTorch 1.13 refuses.
        return "known"
    if isinstance(t_out, Exception):
        if not allow_torch_error:
            raise AssertionError(f"sample rejected by torch (fix the table): {type(t_out).__name__}: {t_out}")
        want = exception_class(t_out)
        if not isinstance(e_out, want):
            got = f"{type(e_out).__name__}: {e_out}" if isinstance(e_out, Exception) else "no error"
            raise Mismatch(f"torch raises {want.__name__} ({t_out}); ember: {got}")
        return "error"
    if isinstance(e_out, Exception):
        raise Mismatch(f"ember raised {type(e_out).__name__}: {e_out}") from e_out
    if known:
        compare_outputs(e_out, t_out, values=False, upcast=upcast, shapes=sample.known_shapes)
        return "known"
    compare_outputs(e_out, t_out, upcast=upcast, values=sample.values)
    if not sample.values:
        return "ok"
    if variant == "inplace" and e_out is not e_args[0]:
        raise Mismatch("in-place method did not return self")
    # Inputs after the call (in-place ops write them; nothing else may).
    for i, (ea, ta) in enumerate(zip(flat_tensors(e_args), flat_tensors(t_args))):
        compare_tensor(ea, ta, f"input {i} after the call", _reference_target(ea, ta, upcast))
    if op.check_strides:
        for i, (eo, to) in enumerate(zip(flat_tensors(e_out), flat_tensors(t_out))):
            if significant_strides(eo) != significant_strides(to):
                raise Mismatch(f"output {i}: strides ember {tuple(eo.stride())}, torch {tuple(to.stride())}")
    if not upcast and _aliasing(e_out, e_leaves) != _aliasing(t_out, t_leaves):
        raise Mismatch(f"aliasing differs (indices of the inputs each output shares memory with): ember "
                       f"{_aliasing(e_out, e_leaves)}, torch {_aliasing(t_out, t_leaves)}")
    return "known" if sample.reference else "ok"


def _upstream(M, out, rng_seed):
    rng = np.random.default_rng(rng_seed)
    grads = []
    for o in out:
        g = rng.standard_normal(tuple(o.shape))
        dt = dtype_name(o.dtype)
        g = g.astype(_NP_STORAGE[dt])
        if dt == "bfloat16":
            g = round_to_bfloat16(g)
        gt = M.from_numpy(np.array(g, order="C")).to(DEVICE)
        grads.append(gt.to(getattr(M, dt)) if dtype_name(gt.dtype) != dt else gt)
    return grads


def _run_grad_one(M, op, variant, sample, seed):
    args, kwargs, leaves = materialize(M, sample, requires_grad=True)
    if variant == "inplace":
        args = (args[0].clone(),) + tuple(args[1:])
    out = op.call(M, variant, args, kwargs)
    outs = flat_tensors(out)
    diff = [o for o in outs if o.requires_grad]
    if diff:
        grads = _upstream(M, diff, seed)
        for i, (o, g) in enumerate(zip(diff, grads)):
            o.backward(g, retain_graph=i + 1 < len(diff))
    return [o.requires_grad for o in outs], [leaf.grad if grad else None for leaf, _, grad in leaves]


def run_grad(op, variant, sample, seed):
    try:
        t_req, t_grads = _run_grad_one(torch, op, variant, sample, seed)
    except Exception as exc:  # noqa: BLE001
        raise AssertionError(f"torch fails on the gradient sample (fix the table): {exc}") from exc
    try:
        e_req, e_grads = _run_grad_one(ember, op, variant, sample, seed)
    except Exception as exc:  # noqa: BLE001
        raise Mismatch(f"ember raised {type(exc).__name__} in forward or backward: {exc}") from exc
    if e_req != t_req:
        raise Mismatch(f"requires_grad of the outputs: ember {e_req}, torch {t_req}")
    if not any(t_req):
        return False
    involved = [dtype_name(t.dtype) for t in t_grads if t is not None]
    involved += [spec.dtype for spec in _specs(sample)]
    floats = [d for d in involved if d in _PRECISION]
    tol_dtype = min(floats, key=_PRECISION.get) if floats else None
    for i, (eg, tg) in enumerate(zip(e_grads, t_grads)):
        compare_outputs(eg, tg, f"gradient of input {i}", tol_dtype=tol_dtype)
    return True


def _specs(sample):
    out = []

    def walk(o):
        if isinstance(o, TensorSpec):
            out.append(o)
        elif isinstance(o, (list, tuple)):
            for x in o:
                walk(x)
        elif isinstance(o, dict):
            for x in o.values():
                walk(x)
    walk((sample.args, sample.kwargs))
    return out


# ---- sample generators shared by the tables ----

FLOAT_EDGES = (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 1e-3, 100.0, float("inf"), float("-inf"), float("nan"))


def int_edges(dtype):
    if dtype == "bool":
        return (False, True)
    info = np.iinfo(_NP_STORAGE[dtype])
    return tuple(sorted({0, 1, int(info.max), int(info.min), 7, int(max(info.min, -7))}))


def unary_samples(dtype, rng, *, low=None, high=None, exclude_zero=False, edges=FLOAT_EDGES, int_edge=False):
    """Contiguous, transposed, stepped, expanded, 0-dim, zero-size and 3-d inputs, plus edge values."""
    def m(shape, layout="contig"):
        return make(rng, shape, dtype, layout, low, high, exclude_zero)
    yield S(m((3, 4)))
    yield S(m((3, 4), "T"))
    yield S(m((2, 5), "step"))
    yield S(m((3, 4), "expand"))
    yield S(m(()))
    yield S(m((0, 3)))
    yield S(m((2, 3, 4)))
    if dtype in FLOATING and edges:
        yield SampleInput([make(rng, (len(edges),), dtype, values=edges)], desc="edges")
    elif dtype not in FLOATING and int_edge:
        e = int_edges(dtype)
        yield SampleInput([make(rng, (len(e),), dtype, values=e)], desc="edges")


def binary_samples(dtype, rng, *, low=None, high=None, rhs_low=None, rhs_high=None, rhs_exclude_zero=False,
                   other_dtypes=(), edges=None, rhs_dtype=None):
    """Same shapes, non-contiguous pairs, broadcasting (one side, both sides, 0-dim), zero-size, and type
    promotion against other dtypes (dimensioned and 0-dim)."""
    rhs_dtype = rhs_dtype or dtype

    def a(shape, layout="contig"):
        return make(rng, shape, dtype, layout, low, high)

    def b(shape, layout="contig", dt=None):
        return make(rng, shape, dt or rhs_dtype, layout, rhs_low, rhs_high, rhs_exclude_zero)
    yield S(a((3, 4)), b((3, 4)))
    yield S(a((3, 4), "T"), b((3, 4), "step"))
    yield S(a((3, 4), "step"), b((3, 4), "T"))
    yield S(a((3, 4)), b((4,)))
    yield S(a((3, 1)), b((1, 4)))
    yield S(a((2, 1, 4)), b((3, 1)))
    yield S(a((3, 4), "expand"), b((3, 4)))
    yield S(a((3, 4)), b((3, 4), "expand"))
    yield S(a(()), b((3, 4)))
    yield S(a((3, 4)), b(()))
    yield S(a(()), b(()))
    yield S(a((0, 4)), b((4,)))
    for od in other_dtypes:
        if od != dtype:
            yield S(a((3, 4)), b((3, 4), dt=od))
            yield S(a((3, 4)), b((), dt=od))
            yield S(a(()), b((2, 3), dt=od))
    if edges and dtype in FLOATING and rhs_dtype in FLOATING:
        n = len(edges)
        yield SampleInput([make(rng, (n, 1), dtype, values=np.reshape(edges, (n, 1))),
                           make(rng, (1, n), rhs_dtype, values=np.reshape(edges, (1, n)))], desc="edges")


def scalar_samples(dtype, rng, *, low=None, high=None, scalars=(2, -1.5, True, 0.5), bool_scalar=True,
                   exclude_zero=False):
    """A tensor with Python numbers of each kind (bool, int, float), on several layouts and ranks. Without
    `bool_scalar`, a bool tensor gets no bool number (ops that refuse bool with bool)."""
    if dtype == "bool" and not bool_scalar:
        scalars = tuple(s for s in scalars if not isinstance(s, bool))
    def a(shape, layout="contig"):
        return make(rng, shape, dtype, layout, low, high, exclude_zero)
    for s in scalars:
        yield S(a((3, 4)), s)
    yield S(a((3, 4), "T"), scalars[0])
    yield S(a((2, 3), "step"), scalars[-1])
    yield S(a(()), scalars[1])
    yield S(a((0, 3)), scalars[0])
