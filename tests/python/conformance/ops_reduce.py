"""Reductions and scans: sum, mean, prod, max/min (full and along a dim), amax/amin, argmax/argmin, var/std
(and their _mean forms), norm, logsumexp, all/any, count_nonzero, cumsum/cumprod/cummax/cummin."""
from .opinfo import (ALL, FLOATING, DT, OpInfo, S, make, without)

OPS = []
FLOAT_ONLY = FLOATING
NO_HALF = without(ALL, "float16")
NAN = float("nan")
INF = float("inf")


def _inputs(dtype, rng, low=None, high=None, empty=True):
    def m(shape, layout="contig"):
        return make(rng, shape, dtype, layout, low, high)
    xs = [m((3, 4)), m((3, 4), "T"), m((2, 5), "step"), m((3, 4), "expand"), m((2, 3, 4)), m(()), m((5,))]
    return xs + ([m((0, 3))] if empty else [])


def _edges(dtype, rng):
    if dtype in FLOATING:
        yield make(rng, (2, 4), dtype, values=((1.0, NAN, 3.0, -1.0), (INF, -INF, 2.0, 0.0)))
        yield make(rng, (3, 3), dtype, values=((NAN, NAN, NAN), (-INF, -INF, -INF), (0.0, -0.0, 1.0)))


def full_samples(dtype, rng, *, low=None, high=None, empty=True, kwargs=()):
    """The whole-tensor form: op(x), on every layout, plus NaN/inf edges."""
    for x in _inputs(dtype, rng, low, high, empty):
        yield S(x)
    for e in _edges(dtype, rng):
        yield _edge(S(e))
    for kw in kwargs:
        yield _int_result_nograd(S(make(rng, (3, 4), dtype, low=low, high=high), **kw))


def dim_samples(dtype, rng, *, low=None, high=None, dims="list", keepdim=True, empty_dim=True, kwargs=(),
                empty_tuple=False):
    """The along-dims form: int dims (negative too), dim lists, keepdim positional and by keyword."""
    def m(shape, layout="contig"):
        return make(rng, shape, dtype, layout, low, high)
    k = {"keepdim": True} if keepdim else {}
    yield S(m((3, 4)), 1)
    yield S(m((3, 4), "T"), 0)
    yield S(m((3, 4), "T"), -1, **k)
    yield S(m((2, 5), "step"), 1)
    yield S(m((3, 4), "expand"), 0)
    yield S(m((2, 3, 4)), -2, *((True,) if keepdim else ()))
    yield S(m(()), 0)
    yield S(m((5,)), 0, **k)
    yield S(m((0, 3)), 1)
    if empty_dim:
        yield S(m((0, 3)), 0)
    if dims == "list":
        yield S(m((2, 3, 4)), (0, 2))
        yield S(m((2, 3, 4), "T"), [1, -1], **k)
        yield S(m((3, 4), "step"), (0, 1))
    if empty_tuple:
        yield S(m((3, 4)), ())
    for e in _edges(dtype, rng):
        yield _edge(S(e, 1))
        yield _edge(S(e, 0))
    for kw in kwargs:
        yield _int_result_nograd(S(m((3, 4)), 1, **kw))


def _edge(sample):
    sample.desc = "edges"
    return sample


def _int_result_nograd(sample):
    """PyTorch 1.13 asserts internally when a float input that requires grad is reduced to an integer dtype."""
    dt = sample.kwargs.get("dtype")
    return sample.nograd() if dt is not None and dt.name not in FLOATING else sample


def _errors_dim(rng, extra=()):
    x = make(rng, (3, 4), "float32")
    yield S(x, 5)
    yield S(x, -3)
    yield from extra


def op(name, overload, dtypes, samples, *, variants=("function", "method"), errors=None, **kw):
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, errors=errors,
                      **kw))


F16_SUM = ("float16/bfloat16 sums: ember accumulates in float32, PyTorch 1.13 in the reduced dtype for strided "
           "inputs and reductions over several dims; compared with PyTorch summing in float32 (DIFFERENCES.md)")


def f16_exact(gen):
    """Samples of float16/bfloat16 sums are checked against PyTorch's float32 sum, rounded."""
    def samples(dt, rng):
        for s in gen(dt, rng):
            if dt in ("float16", "bfloat16") and not s.kwargs.get("dtype"):
                s.versus({dt: "float32"}, F16_SUM)
            yield s
    return samples


# sum / nansum / mean / nanmean / prod
op("sum", "", ALL, f16_exact(lambda dt, rng: full_samples(dt, rng, kwargs=({"dtype": DT("float64")},
                                                                           {"dtype": DT("int64")}))))
op("sum", "dim_IntList", ALL, f16_exact(lambda dt, rng: dim_samples(dt, rng, empty_tuple=True,
                                                                    kwargs=({"dtype": DT("float64")},
                                                                            {"keepdim": True}))),
   errors=lambda rng: _errors_dim(rng, (S(make(rng, (3, 4), "float32"), (0, 0)),)))
op("nansum", "", ALL, f16_exact(lambda dt, rng: full_samples(dt, rng, kwargs=({"dtype": DT("float64")},))))
op("nansum", "dim_IntList", ALL, f16_exact(lambda dt, rng: dim_samples(dt, rng, kwargs=({"dtype": DT("float64")},))),
   errors=_errors_dim)
op("mean", "", FLOAT_ONLY, lambda dt, rng: full_samples(dt, rng, kwargs=({"dtype": DT("float64")},)),
   errors=lambda rng: (S(make(rng, (3,), "float32"), dtype=DT("int64")),))
op("mean", "dim_IntList", FLOAT_ONLY, lambda dt, rng: dim_samples(dt, rng, empty_tuple=True,
                                                                  kwargs=({"dtype": DT("float64")},)),
   errors=_errors_dim)
op("nanmean", "", FLOAT_ONLY, lambda dt, rng: full_samples(dt, rng))
op("nanmean", "dim_IntList", FLOAT_ONLY, lambda dt, rng: dim_samples(dt, rng), errors=_errors_dim)
op("prod", "", without(ALL, "float16", "bfloat16"),
   lambda dt, rng: full_samples(dt, rng, low=-2, high=2, kwargs=({"dtype": DT("float64")},)),
   ember_dtypes=("float16", "bfloat16"))
op("prod", "dim_int", without(ALL, "float16", "bfloat16"),
   lambda dt, rng: dim_samples(dt, rng, low=-2, high=2, dims="int", kwargs=({"dtype": DT("float64")},)),
   ember_dtypes=("float16", "bfloat16"), errors=_errors_dim)


# max / min / amax / amin / argmax / argmin
def _empty_full_errors(rng):
    yield S(make(rng, (0, 3), "float32"))


for _name in ("max", "min"):
    op(_name, "", ALL, lambda dt, rng: full_samples(dt, rng, empty=False), errors=_empty_full_errors)
    op(_name, "dim", ALL, lambda dt, rng: dim_samples(dt, rng, dims="int", empty_dim=False),
       errors=lambda rng: _errors_dim(rng, (S(make(rng, (0, 3), "float32"), 0),)))
    # The binary max(x, other) / min(x, other): maximum / minimum.
    op(_name, "other", ALL, lambda dt, rng: (S(make(rng, (3, 4), dt), make(rng, (4,), dt)),
                                            S(make(rng, (3, 4), dt, "T"), make(rng, (3, 4), dt, "step")),
                                            S(make(rng, (), dt), make(rng, (2, 3), dt))))
for _name in ("amax", "amin"):
    op(_name, "", ALL, lambda dt, rng: full_samples(dt, rng, empty=False))
    op(_name, "dim", ALL, lambda dt, rng: dim_samples(dt, rng, empty_dim=False),
       errors=lambda rng: _errors_dim(rng, (S(make(rng, (0, 3), "float32"), 0),)))
for _name in ("argmax", "argmin"):
    op(_name, "", without(ALL, "bool"), lambda dt, rng: full_samples(dt, rng, empty=False),
       errors=_empty_full_errors)
    op(_name, "dim", without(ALL, "bool"), lambda dt, rng: dim_samples(dt, rng, dims="int", empty_dim=False),
       errors=lambda rng: _errors_dim(rng, (S(make(rng, (0, 3), "float32"), 0),)))


# var / std / var_mean / std_mean
def _var_full(dt, rng):
    yield from full_samples(dt, rng)
    yield S(make(rng, (3, 4), dt), False)
    yield S(make(rng, (3, 4), dt, "T"), unbiased=False)
    # PyTorch 1.13's backward of a one-element var/std fails on its own shape check.
    yield S(make(rng, (1,), dt)).nograd()


def _var_dim(dt, rng):
    yield from dim_samples(dt, rng)
    m = make(rng, (3, 4), dt)
    yield S(m, 1, False)
    yield S(m, 0, True, True)
    yield S(m, (0, 1), unbiased=False, keepdim=True)
    yield S(make(rng, (3, 1), dt), 1)


def _var_correction(dt, rng):
    for c in (0, 1, 2):
        yield S(make(rng, (3, 4), dt), 1, correction=c)
    yield S(make(rng, (3, 4), dt, "T"), (0, 1), correction=0, keepdim=True)
    yield S(make(rng, (2, 3, 4), dt), -1, correction=3)
    yield S(make(rng, (2, 5), dt, "step"), dim=None, correction=0)
    yield S(make(rng, (3, 4), dt), dim=0, correction=None)


VAR_GRAD = ("var's gradient where it is undefined (one element, or infinite inputs): PyTorch 1.13 gives inf for a "
            "0-dim input but NaN for a one-element vector; ember gives NaN (DIFFERENCES.md)")
WELFORD = ("var_mean/std_mean of a line of infinities: PyTorch 1.13's mean is NaN there (Welford updates), ember's "
           "is the infinity torch.mean gives (DIFFERENCES.md)")


def _var_edges(name, gen):
    def samples(dt, rng):
        for s in gen(dt, rng):
            if name.startswith("var") and (s.desc == "edges" or getattr(s.args[0], "shape", None) == ()):
                s.known_grad(VAR_GRAD)
            if name.endswith("_mean") and s.desc == "edges":
                s.known(WELFORD)
            yield s
    return samples


for _name in ("var", "std", "var_mean", "std_mean"):
    variants = ("function", "method") if _name in ("var", "std") else ("function",)
    op(_name, "", FLOAT_ONLY, _var_edges(_name, _var_full), variants=variants)
    op(_name, "dim", FLOAT_ONLY, _var_edges(_name, _var_dim), variants=variants, errors=_errors_dim)
    op(_name, "correction", FLOAT_ONLY, _var_edges(_name, _var_correction), variants=variants)


# norm / logsumexp
def _norm_p(dt, rng):
    for p in (1, 2, 3, 0.5, 0, INF, -INF):
        yield S(make(rng, (3, 4), dt), p)
    yield S(make(rng, (3, 4), dt, "T"), 2)
    yield S(make(rng, (), dt), 1)
    yield S(make(rng, (0, 3), dt), 2)
    yield S(make(rng, (2, 4), dt, values=((1.0, NAN, 3.0, -1.0), (INF, -INF, 2.0, 0.0))), 2)


def _norm_dim(dt, rng):
    for p in (1, 2, 3, INF, -INF, 0):
        yield S(make(rng, (3, 4), dt), p, 1)
    yield S(make(rng, (3, 4), dt, "T"), 2, (0, 1), True)
    yield S(make(rng, (2, 3, 4), dt), 1.5, dim=-1, keepdim=True)
    yield S(make(rng, (2, 5), dt, "step"), None, 0)
    yield S(make(rng, (3, 4), dt, "expand"), 2, 0)
    yield S(make(rng, (0, 3), dt), 2, 1)


def _norm_fro(dt, rng):
    yield S(make(rng, (3, 4), dt), "fro")
    yield S(make(rng, (3, 4), dt, "T"), "fro", (0, 1))
    yield S(make(rng, (2, 3, 4), dt), "fro", dim=(1, 2), keepdim=True)
    yield S(make(rng, (2, 3, 4), dt), p="fro", dim=1)


op("norm", "", FLOAT_ONLY, lambda dt, rng: full_samples(dt, rng))
op("norm", "Scalar", FLOAT_ONLY, _norm_p)
op("norm", "ScalarOpt_dim", FLOAT_ONLY, _norm_dim, errors=lambda rng: (S(make(rng, (3, 4), "float32"), 2, 5),))
op("norm", "str", without(FLOAT_ONLY, "float16"), _norm_fro, ember_dtypes=("float16",))
op("norm", "dtype", ("float32",), lambda dt, rng: (S(make(rng, (3, 4), dt), 2, 1, False, dtype=DT("float64")),),
   variants=("function",), dtype_independent=True)


def _logsumexp(dt, rng):
    yield from dim_samples(dt, rng)
    yield S(make(rng, (2, 3), dt, values=((-INF, -INF, -INF), (INF, 1.0, 2.0))), 1)
    yield S(make(rng, (3, 4), dt, low=50, high=100), 1)
    yield S(make(rng, (3, 4), dt, low=-100, high=-50), 0)


op("logsumexp", "", NO_HALF, _logsumexp, ember_dtypes=("float16",), errors=_errors_dim)


# all / any / count_nonzero
for _name in ("all", "any"):
    op(_name, "", ALL, lambda dt, rng: full_samples(dt, rng, low=0, high=3))
    op(_name, "dim", ALL, lambda dt, rng: dim_samples(dt, rng, low=0, high=3, dims="int"), errors=_errors_dim)
op("count_nonzero", "", ALL, lambda dt, rng: full_samples(dt, rng, low=-1, high=2))
op("count_nonzero", "dim_IntList", ALL, lambda dt, rng: (
    S(make(rng, (3, 4), dt, low=-1, high=2), 1), S(make(rng, (2, 3, 4), dt, "T", low=-1, high=2), (0, 2)),
    S(make(rng, (3, 4), dt, "step", low=-1, high=2), dim=-1), S(make(rng, (0, 3), dt), 0),
    S(make(rng, (), dt, low=-1, high=2), 0)), errors=_errors_dim, grad=False)


# scans
def _scan(dt, rng, dtype_kw=True, low=None, high=None):
    def m(shape, layout="contig"):
        return make(rng, shape, dt, layout, low, high)
    yield S(m((3, 4)), 1)
    yield S(m((3, 4), "T"), 0)
    yield S(m((2, 5), "step"), -1)
    yield S(m((3, 4), "expand"), 0)
    yield S(m((2, 3, 4)), 1)
    yield S(m(()), 0)
    yield S(m((0, 3)), 0)
    yield S(m((5,)), dim=0)
    for e in _edges(dt, rng):
        yield S(e, 1)
    if dtype_kw:
        yield S(m((3, 4)), 1, dtype=DT("float64"))
        yield _int_result_nograd(S(m((3, 4)), 0, dtype=DT("int64")))


op("cumsum", "", NO_HALF, _scan, ember_dtypes=("float16",), errors=_errors_dim)
op("cumprod", "", NO_HALF, lambda dt, rng: _scan(dt, rng, low=-2, high=2), ember_dtypes=("float16",),
   errors=_errors_dim)
for _name in ("cummax", "cummin"):
    op(_name, "", NO_HALF, lambda dt, rng: _scan(dt, rng, dtype_kw=False), ember_dtypes=("float16",),
       errors=_errors_dim)
