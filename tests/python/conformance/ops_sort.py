"""Sorting and searching: sort, argsort, msort, topk, kthvalue, unique, unique_consecutive, searchsorted,
bucketize, bincount, histc.

PyTorch leaves the order of equal elements unspecified for stable=False sorts, topk and kthvalue; ember
always sorts stably and breaks topk/kthvalue ties by the lower index (docs/DIFFERENCES.md). Samples compared
by value therefore have distinct elements, or ask for stable=True; inputs with ties for the other forms are
marked as known differences."""
import numpy as np

from .opinfo import ALL, FLOATING, OpInfo, S, make, without

OPS = []
FM = ("function", "method")
NAN = float("nan")
INF = float("inf")


def op(name, overload, samples, *, dtypes=ALL, variants=FM, errors=None, **kw):
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, errors=errors,
                      **kw))


def distinct(rng, shape, dt, layout="contig"):
    """Distinct values (small integers, exact in every dtype), so any correct sort gives the same indices."""
    n = int(np.prod(shape))
    if dt == "bool":
        return make(rng, shape, dt, layout)
    v = rng.permutation(n) - (0 if dt == "uint8" else n // 2)
    return make(rng, shape, dt, layout, values=v.reshape(shape))


def ties(rng, shape, dt, layout="contig"):
    return make(rng, shape, dt, layout, low=0, high=3)


def _sort(dt, rng):
    if dt != "bool":
        yield S(distinct(rng, (3, 4), dt))
        yield S(distinct(rng, (3, 4), dt, "T"), 0)
        yield S(distinct(rng, (2, 5), dt, "step"), descending=True)
        yield S(distinct(rng, (2, 3, 4), dt), 1, True)
        yield S(distinct(rng, (), dt))
        yield S(distinct(rng, (6,), dt), dim=0)
    yield S(ties(rng, (3, 6), dt), stable=True)
    yield S(ties(rng, (3, 6), dt, "T"), stable=True, dim=0, descending=True)
    yield S(make(rng, (0, 3), dt), stable=True)
    yield S(make(rng, (3, 4), dt, "expand"), dim=0, stable=True)
    if dt in FLOATING:
        yield S(make(rng, (7,), dt, values=(1.0, NAN, -INF, 0.0, INF, -0.0, NAN)), stable=True)
        yield S(make(rng, (6,), dt, values=(1.0, NAN, -INF, 2.0, INF, -1.0)), descending=True)
    yield S(ties(rng, (3, 6), dt)).known("sort: ties in any order in PyTorch, stable in ember (DIFFERENCES.md)")


op("sort", "", _sort, errors=lambda rng: (S(make(rng, (3,), "float32"), 1),))


def _argsort(dt, rng):
    if dt != "bool":
        yield S(distinct(rng, (3, 4), dt))
        yield S(distinct(rng, (3, 4), dt, "T"), 0, True)
        yield S(distinct(rng, (2, 5), dt, "step"), descending=True)
        yield S(distinct(rng, (), dt))
    yield S(ties(rng, (3, 6), dt), stable=True)
    yield S(ties(rng, (3, 6), dt), dim=0, descending=True, stable=True)
    yield S(make(rng, (0, 3), dt), stable=True)


op("argsort", "", _argsort, grad=False, errors=lambda rng: (S(make(rng, (3,), "float32"), 1),))
op("msort", "", lambda dt, rng: (S(ties(rng, (4, 3), dt)), S(make(rng, (3, 4), dt, "T")), S(make(rng, (5,), dt, "step")),
                                 S(make(rng, (0, 2), dt))))


def _topk(dt, rng):
    yield S(distinct(rng, (3, 5), dt), 2)
    yield S(distinct(rng, (3, 5), dt, "T"), 1, 0)
    yield S(distinct(rng, (2, 6), dt, "step"), 3, largest=False)
    yield S(distinct(rng, (2, 3, 4), dt), 4, dim=-1, sorted=True)
    yield S(distinct(rng, (3, 5), dt), 0)
    yield S(distinct(rng, (), dt), 1)
    yield S(make(rng, (0, 3), dt), 2)
    if dt in FLOATING:
        yield S(make(rng, (5,), dt, values=(1.0, NAN, -INF, 2.0, INF)), 2)
    yield S(ties(rng, (3, 6), dt), 3).known("topk: ties in any order in PyTorch, by lower index in ember "
                                              "(DIFFERENCES.md)")


HALF = ("float16",)
op("topk", "", _topk, dtypes=without(ALL, "float16", "bool"), ember_dtypes=HALF,
   errors=lambda rng: (S(make(rng, (3,), "float32"), 4), S(make(rng, (3,), "float32"), -1)))


def _kthvalue(dt, rng):
    yield S(distinct(rng, (3, 5), dt), 2)
    yield S(distinct(rng, (3, 5), dt, "T"), 1, 0)
    yield S(distinct(rng, (2, 6), dt, "step"), 6, keepdim=True)
    yield S(distinct(rng, (2, 3, 4), dt), 3, dim=-2)
    yield S(distinct(rng, (), dt), 1)
    yield S(ties(rng, (3, 6), dt), 3).known("kthvalue: ties in any order in PyTorch, by lower index in ember "
                                              "(DIFFERENCES.md)")


op("kthvalue", "", _kthvalue, dtypes=without(ALL, "float16", "bool"), ember_dtypes=HALF,
   errors=lambda rng: (S(make(rng, (3,), "float32"), 4), S(make(rng, (3,), "float32"), 0),
                       S(make(rng, (0, 2), "float32"), 1, 0)))


def _unique(dt, rng):
    yield S(ties(rng, (3, 6), dt))
    yield S(ties(rng, (3, 6), dt, "T"), return_inverse=True)
    yield S(ties(rng, (2, 5), dt, "step"), return_counts=True)
    yield S(ties(rng, (3, 4), dt), return_inverse=True, return_counts=True)
    yield S(ties(rng, (4, 3), dt), dim=0)
    yield S(make(rng, (4, 3), dt, low=0, high=2), dim=1, return_inverse=True, return_counts=True)
    yield S(make(rng, (), dt), return_counts=True)
    yield S(make(rng, (0, 3), dt), return_inverse=True)
    yield S(ties(rng, (3, 6), dt), sorted=False).known("unique(sorted=False): hash order in PyTorch 1.13, sorted "
                                                         "in ember (DIFFERENCES.md)")
    if dt in FLOATING:
        yield S(make(rng, (5,), dt, values=(1.0, NAN, 0.0, NAN, -1.0))).known(
            "unique: NaNs first in PyTorch 1.13, each NaN its own value at the end in ember (DIFFERENCES.md)")


op("unique", "", _unique, dtypes=without(ALL, "float16"), ember_dtypes=HALF, grad=False,
   errors=lambda rng: (S(make(rng, (3,), "float32"), dim=1),))


def _unique_consecutive(dt, rng):
    yield S(ties(rng, (12,), dt))
    yield S(ties(rng, (3, 6), dt, "T"), return_inverse=True)
    yield S(ties(rng, (2, 5), dt, "step"), return_counts=True, return_inverse=True)
    yield S(make(rng, (4, 3), dt, low=0, high=2), dim=0, return_counts=True)
    yield S(make(rng, (3, 4), dt, low=0, high=2), dim=1)
    yield S(make(rng, (), dt), return_inverse=True)
    yield S(make(rng, (0,), dt), return_counts=True)


op("unique_consecutive", "", _unique_consecutive, dtypes=without(ALL, "float16"), ember_dtypes=HALF, grad=False)


# ---- searching and counting ----
def sorted_seq(rng, shape, dt, layout="contig"):
    a = np.sort(rng.integers(-8, 9, size=shape) if dt != "uint8" else rng.integers(0, 20, size=shape), axis=-1)
    return make(rng, shape, dt, layout, values=a)


def _searchsorted(dt, rng):
    yield S(sorted_seq(rng, (6,), dt), make(rng, (3, 4), dt))
    yield S(sorted_seq(rng, (6,), dt), make(rng, (3, 4), dt, "T"), right=True)
    yield S(sorted_seq(rng, (3, 5), dt), make(rng, (3, 2), dt), side="right")
    yield S(sorted_seq(rng, (3, 5), dt, "step"), make(rng, (3, 4), dt, "step"), out_int32=True)
    yield S(sorted_seq(rng, (0,), dt), make(rng, (3,), dt))
    yield S(sorted_seq(rng, (6,), dt), make(rng, (), dt), side="left")
    perm = rng.permutation(6)
    seq = np.sort(rng.integers(0, 9, size=6))
    unsorted = np.empty(6, dtype=np.int64)
    unsorted[perm] = seq
    yield S(make(rng, (6,), dt, values=unsorted), make(rng, (4,), dt), sorter=make(rng, (6,), "int64", values=perm))
    if dt in FLOATING:
        yield S(make(rng, (4,), dt, values=(-INF, 0.0, 1.0, INF)), make(rng, (4,), dt, values=(NAN, INF, -INF, 0.5)))


op("searchsorted", "Tensor", _searchsorted, dtypes=without(ALL, "bool"), variants=("function",), grad=False,
   errors=lambda rng: (S(sorted_seq(rng, (3, 5), "float32"), make(rng, (2, 2), "float32")),
                       S(sorted_seq(rng, (5,), "float32"), make(rng, (2,), "float32"), side="middle"),
                       S(sorted_seq(rng, (5,), "float32"), make(rng, (2,), "float32"), right=True, side="left")))
op("searchsorted", "Scalar", lambda dt, rng: (S(sorted_seq(rng, (6,), dt), 2), S(sorted_seq(rng, (6,), dt), 1.5, right=True),
                                              S(sorted_seq(rng, (5,), dt, "step"), -20, out_int32=True)),
   dtypes=ALL, variants=("function",), grad=False)


def _bucketize(dt, rng):
    yield S(make(rng, (3, 4), dt), sorted_seq(rng, (5,), dt))
    yield S(make(rng, (3, 4), dt, "T"), sorted_seq(rng, (5,), dt), right=True)
    yield S(make(rng, (), dt), sorted_seq(rng, (5,), dt, "step"), out_int32=True)
    yield S(make(rng, (0, 2), dt), sorted_seq(rng, (5,), dt))


op("bucketize", "Tensor", _bucketize, dtypes=without(ALL, "bool"), variants=("function",), grad=False,
   errors=lambda rng: (S(make(rng, (3,), "float32"), sorted_seq(rng, (2, 3), "float32")),))
op("bucketize", "Scalar", lambda dt, rng: (S(3, sorted_seq(rng, (5,), dt)), S(0.5, sorted_seq(rng, (5,), dt), right=True)),
   dtypes=ALL, variants=("function",), grad=False)


def _bincount(dt, rng):
    yield S(make(rng, (10,), dt, low=0, high=6))
    yield S(make(rng, (7,), dt, "step", low=0, high=4), minlength=6)
    yield S(make(rng, (0,), dt))
    yield S(make(rng, (0,), dt), minlength=3)
    yield S(make(rng, (6,), dt, low=0, high=4), make(rng, (6,), "float32"))
    yield S(make(rng, (5,), dt, low=0, high=4), weights=make(rng, (5,), "float64", "step"), minlength=2)


op("bincount", "", _bincount, dtypes=("uint8", "int8", "int16", "int32", "int64"), grad=False,
   errors=lambda rng: (S(make(rng, (3,), "int64", values=(1, -1, 2))), S(make(rng, (2, 2), "int64", low=0)),
                       S(make(rng, (3,), "int64", low=0), make(rng, (2,), "float32"))))


def _histc(dt, rng):
    yield S(make(rng, (3, 4), dt))
    yield S(make(rng, (3, 4), dt, "T"), bins=5)
    yield S(make(rng, (2, 5), dt, "step"), 4, -1, 1)
    yield S(make(rng, (3, 4), dt), bins=3, min=0, max=2)
    yield S(make(rng, (), dt), 2)
    yield S(make(rng, (0,), dt), 4, 0, 1)
    yield S(make(rng, (4,), dt, values=(1.0, 1.0, 1.0, 1.0)), 4)


HISTC = ("bfloat16 histc: PyTorch 1.13 computes bin positions in bfloat16, ember in float32; compared with "
         "PyTorch computing in float32 (DIFFERENCES.md)")


def _histc_bf16(dt, rng):
    for s in _histc(dt, rng):
        yield s.versus({"bfloat16": "float32"}, HISTC) if dt == "bfloat16" else s


op("histc", "", _histc_bf16, dtypes=("bfloat16", "float32", "float64"), ember_dtypes=HALF, grad=False,
   errors=lambda rng: (S(make(rng, (3,), "float32"), -1), S(make(rng, (3,), "float32"), 3, 2, 1)))
