"""Index ops: index_select, gather, scatter (with reduce), scatter_add, scatter_reduce, index_add/copy/fill,
index_put, masked_select/scatter, nonzero, argwhere, where(cond), take, take_along_dim, one_hot.

Index tensors are built so that ops whose result would depend on the write order (scatter without reduce,
index_copy, index_put without accumulate) never see a repeated position."""
import numpy as np

from .opinfo import ALL, OpInfo, S, XFail, make

OPS = []
FMI = ("function", "method", "inplace")


def op(name, overload, samples, *, dtypes=ALL, variants=("function", "method"), errors=None, **kw):
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, errors=errors,
                      **kw))


def idx(rng, values, dtype="int64"):
    values = np.asarray(values)
    return make(rng, values.shape, dtype, values=values)


def ridx(rng, shape, high, dtype="int64"):
    return idx(rng, rng.integers(0, high, size=shape), dtype)


def unique_rows(rng, k, n, m):
    """A (k, n) index of distinct rows of an m-row tensor in every column (k <= m)."""
    return np.stack([rng.permutation(m)[:k] for _ in range(n)], axis=1)


# ---- reads ----
def _index_select(dt, rng):
    yield S(make(rng, (3, 4), dt), 0, idx(rng, [0, 2, 2]))
    yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, [3, 0]))
    yield S(make(rng, (2, 5), dt, "step"), -1, idx(rng, [4, 1, 0], "int32"))
    yield S(make(rng, (3, 4), dt, "expand"), 0, idx(rng, [2, 1]))
    # PyTorch 1.13's backward fails on a 0-dim input.
    yield S(make(rng, (), dt), 0, idx(rng, [0, 0])).nograd()
    yield S(make(rng, (3, 4), dt), 0, idx(rng, np.zeros((0,), np.int64)))
    yield S(make(rng, (3, 4), dt), 1, idx(rng, 2))
    yield S(make(rng, (0, 3), dt), 1, idx(rng, [1]))


op("index_select", "", _index_select,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, idx(rng, [3])),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [1.0], "float32")),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [[0, 1]])),
                       S(make(rng, (3, 4), "float32"), 2, idx(rng, [0]))))


def _gather(dt, rng):
    yield S(make(rng, (3, 4), dt), 0, ridx(rng, (2, 4), 3))
    yield S(make(rng, (3, 4), dt, "T"), 1, ridx(rng, (3, 6), 4))
    yield S(make(rng, (2, 5), dt, "step"), -1, ridx(rng, (1, 2), 5))
    yield S(make(rng, (3, 4), dt, "expand"), 0, ridx(rng, (3, 4), 3))
    yield S(make(rng, (2, 3, 4), dt), 1, ridx(rng, (2, 2, 3), 3))
    yield S(make(rng, (), dt), 0, idx(rng, 0))
    yield S(make(rng, (3, 4), dt), 1, idx(rng, np.zeros((3, 0), np.int64)))


op("gather", "", _gather,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 1, idx(rng, [[4]])),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [[0]], "int32")),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [0]))))
op("take", "", lambda dt, rng: (S(make(rng, (3, 4), dt), ridx(rng, (5,), 12)), S(make(rng, (3, 4), dt, "T"), ridx(rng, (2, 3), 12)),
                                S(make(rng, (2, 5), dt, "step"), idx(rng, [-1, 0, -10])), S(make(rng, (), dt), idx(rng, 0)),
                                S(make(rng, (3, 4), dt), idx(rng, np.zeros((0,), np.int64)))),
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), idx(rng, [12])), S(make(rng, (3, 4), "float32"), idx(rng, [-13])),
                       S(make(rng, (3,), "float32"), idx(rng, [0], "int32"))))
op("take_along_dim", "", lambda dt, rng: (
    S(make(rng, (3, 4), dt), ridx(rng, (2, 4), 3), 0), S(make(rng, (3, 4), dt, "T"), ridx(rng, (3, 1), 4), dim=1),
    S(make(rng, (3, 4), dt), ridx(rng, (5,), 12)), S(make(rng, (2, 3, 4), dt, "step"), ridx(rng, (1, 3, 2), 4), -1)),
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), idx(rng, [[0]], "int32"), 0),))


# ---- writes ----
def _scatter_src(reduce=None, dup=False):
    """src larger than index is allowed; PyTorch 1.13's backward then fails on src's gradient shape, so those
    samples check values only."""
    def gen(dt, rng):
        x = make(rng, (3, 4), dt)
        yield S(x, 0, idx(rng, unique_rows(rng, 2, 4, 3)), make(rng, (2, 4), dt), **_r(reduce))
        yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, unique_rows(rng, 3, 3, 4).T), make(rng, (3, 5), dt),
                **_r(reduce)).nograd()
        yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, unique_rows(rng, 3, 3, 4).T), make(rng, (3, 3), dt, "step"),
                **_r(reduce))
        yield S(make(rng, (2, 5), dt, "step"), -1, idx(rng, unique_rows(rng, 2, 2, 5).T), make(rng, (2, 2), dt, "T"), **_r(reduce))
        yield S(make(rng, (), dt), 0, idx(rng, 0), make(rng, (), dt), **_r(reduce))
        yield S(make(rng, (3, 4), dt), 1, idx(rng, np.zeros((3, 0), np.int64)), make(rng, (3, 2), dt),
                **_r(reduce)).nograd()
        if dup or reduce:
            yield S(make(rng, (3, 4), dt), 0, ridx(rng, (4, 4), 3), make(rng, (4, 4), dt), **_r(reduce))
    return gen


def _r(reduce):
    return {"reduce": reduce} if reduce else {}


def _scatter_value(reduce=None):
    def gen(dt, rng):
        v = 2 if dt != "bool" else True
        yield S(make(rng, (3, 4), dt), 0, idx(rng, unique_rows(rng, 2, 4, 3)), v, **_r(reduce))
        yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, unique_rows(rng, 2, 3, 4).T), v, **_r(reduce))
        yield S(make(rng, (), dt), 0, idx(rng, 0), v, **_r(reduce))
        if reduce:
            yield S(make(rng, (3, 4), dt), 0, ridx(rng, (4, 4), 3), v, **_r(reduce))
    return gen


def _scatter_errors(rng):
    yield S(make(rng, (3, 4), "float32"), 0, idx(rng, [[3]]), make(rng, (1, 1), "float32"))
    yield S(make(rng, (3, 4), "float32"), 0, idx(rng, [[0]], "int32"), make(rng, (1, 1), "float32"))
    yield S(make(rng, (3, 4), "float32"), 0, idx(rng, [[0]]), make(rng, (1, 1), "float64"))
    yield S(make(rng, (3, 4), "float32"), 0, idx(rng, [[0]]), make(rng, (1, 1), "float32"), reduce="max")


op("scatter", "src", _scatter_src(), variants=FMI, errors=_scatter_errors)
op("scatter", "value", _scatter_value(), variants=FMI, grad=True)
op("scatter", "reduce", _scatter_src("add"), variants=FMI, grad=False)
op("scatter", "reduce_multiply", _scatter_src("multiply"), variants=FMI, grad=False)
op("scatter", "value_reduce", _scatter_value("add"), variants=FMI, grad=False)
op("scatter_add", "", _scatter_src(dup=True), variants=FMI, errors=lambda rng: list(_scatter_errors(rng))[:3])


def _scatter_reduce(dt, rng):
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        if reduce == "mean" and dt == "bool":
            continue
        for include_self in (True, False):
            yield S(make(rng, (3, 4), dt), 0, ridx(rng, (4, 4), 3), make(rng, (4, 4), dt), reduce,
                    include_self=include_self)
        yield S(make(rng, (3, 4), dt, "T"), 1, ridx(rng, (3, 2), 4), make(rng, (3, 5), dt, "step"), reduce)
    yield S(make(rng, (), dt), 0, idx(rng, 0), make(rng, (), dt), "amax", include_self=False)


op("scatter_reduce", "two", _scatter_reduce, variants=FMI, grad=False,
   errors=lambda rng: (S(make(rng, (3,), "float32"), 0, idx(rng, [0]), make(rng, (1,), "float32"), "max"),
                       S(make(rng, (3,), "bool"), 0, idx(rng, [0]), make(rng, (1,), "bool"), "mean")))


def _index_add(dt, rng):
    yield S(make(rng, (3, 4), dt), 0, idx(rng, [0, 2, 0]), make(rng, (3, 4), dt))
    yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, [3, 1], "int32"), make(rng, (3, 2), dt, "T"))
    yield S(make(rng, (3, 4), dt), 0, idx(rng, [1]), make(rng, (1, 4), dt), alpha=2 if dt != "bool" else True)
    yield S(make(rng, (), dt), 0, idx(rng, [0]), make(rng, (), dt))
    yield S(make(rng, (3, 4), dt), 1, idx(rng, np.zeros((0,), np.int64)), make(rng, (3, 0), dt))


op("index_add", "", _index_add, variants=FMI,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, idx(rng, [3]), make(rng, (1, 4), "float32")),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [0]), make(rng, (2, 4), "float32"))))


def _index_copy(dt, rng):
    yield S(make(rng, (3, 4), dt), 0, idx(rng, [2, 0]), make(rng, (2, 4), dt))
    yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, [3, 1, 0]), make(rng, (3, 3), dt, "step"))
    yield S(make(rng, (), dt), 0, idx(rng, [0]), make(rng, (), dt))
    yield S(make(rng, (3, 4), dt), -1, idx(rng, [1]), make(rng, (3, 1), dt))


op("index_copy", "", _index_copy, variants=FMI,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, idx(rng, [0]), make(rng, (1, 4), "float64")),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [5]), make(rng, (1, 4), "float32"))))


def _index_fill(tensor_value):
    def gen(dt, rng):
        def v(val):
            return make(rng, (), dt, values=val) if tensor_value else val
        one = True if dt == "bool" else 1
        yield S(make(rng, (3, 4), dt), 0, idx(rng, [2, 0, 2]), v(one))
        yield S(make(rng, (3, 4), dt, "T"), 1, idx(rng, [3]), v(0))
        yield S(make(rng, (2, 5), dt, "step"), -1, idx(rng, np.zeros((0,), np.int64)), v(one))
        yield S(make(rng, (), dt), 0, idx(rng, [0]), v(one))
        if not tensor_value and dt != "bool":
            yield S(make(rng, (3, 4), dt), 1, idx(rng, [1, 2]), -2)
    return gen


op("index_fill", "int_Scalar", _index_fill(False), variants=FMI,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, idx(rng, [3]), 1.0),
                       S(make(rng, (3, 4), "float32"), 0, idx(rng, [0], "int32"), 1.0)))
op("index_fill", "int_Tensor", _index_fill(True), variants=FMI,
   errors=lambda rng: (S(make(rng, (3, 4), "float32"), 0, idx(rng, [0]), make(rng, (1,), "float32")),))


def _index_put(accumulate):
    def gen(dt, rng):
        k = {"accumulate": True} if accumulate else {}
        rows = [0, 2, 0] if accumulate else [0, 2]
        yield S(make(rng, (3, 4), dt), (idx(rng, rows),), make(rng, (len(rows), 4), dt), **k)
        yield S(make(rng, (3, 4), dt, "T"), (idx(rng, [1, 2]), idx(rng, [3, 0])), make(rng, (2,), dt), **k)
        yield S(make(rng, (3, 4), dt), [idx(rng, [[1], [2]]), idx(rng, [[3, 0]])], make(rng, (), dt), **k)
        yield S(make(rng, (3, 4), dt), (make(rng, (3, 4), "bool"),), make(rng, (), dt), **k)
        yield S(make(rng, (3, 4), dt, "step"), (make(rng, (3,), "bool"),), make(rng, (4,), dt), **k)
        yield S(make(rng, (2, 3, 4), dt), (idx(rng, [1]),), make(rng, (3, 4), dt, "expand"), **k)
        yield S(make(rng, (3, 4), dt), (idx(rng, np.zeros((0,), np.int64)),), make(rng, (0, 4), dt), **k)
    return gen


def _index_put_errors(rng):
    yield S(make(rng, (3, 4), "float32"), (idx(rng, [3]),), make(rng, (), "float32"))
    yield S(make(rng, (3, 4), "float32"), (idx(rng, [0]),), make(rng, (), "float64"))
    yield S(make(rng, (3, 4), "float32"), (idx(rng, [0, 1]),), make(rng, (3, 4), "float32"))
    yield S(make(rng, (3, 4), "float32"), (idx(rng, [0.0], "float32"),), make(rng, (), "float32"))


op("index_put", "", _index_put(False), variants=FMI, errors=_index_put_errors)
op("index_put", "accumulate", _index_put(True), variants=FMI)


# ---- masks and nonzero ----
MEMORY_ORDER = ("masked_scatter_ on a non-contiguous tensor, and masked_select's gradient for one: PyTorch 1.13 "
                "fills in memory order (a wrong gradient), ember in row-major order like the out-of-place form "
                "(DIFFERENCES.md)")


def _masked_select(dt, rng):
    yield S(make(rng, (3, 4), dt), make(rng, (3, 4), "bool"))
    yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), "bool")).known_grad(MEMORY_ORDER)
    yield S(make(rng, (3, 1), dt), make(rng, (3, 4), "bool", "step"))
    yield S(make(rng, (), dt), make(rng, (), "bool"))
    yield S(make(rng, (0, 3), dt), make(rng, (3,), "bool"))


op("masked_select", "", _masked_select,
   errors=lambda rng: (S(make(rng, (3,), "float32"), make(rng, (3,), "int64")),
                       S(make(rng, (3,), "float32"), make(rng, (4,), "bool"))))


def _masked_scatter(dt, rng):
    yield S(make(rng, (3, 4), dt), make(rng, (3, 4), "bool"), make(rng, (3, 4), dt))
    yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), "bool"), make(rng, (20,), dt)).only("function", "method")
    yield S(make(rng, (3, 4), dt, "T"), make(rng, (4,), "bool"), make(rng, (20,), dt)).only("inplace").known(
        MEMORY_ORDER)
    yield S(make(rng, (), dt), make(rng, (), "bool"), make(rng, (2,), dt))
    yield S(make(rng, (0, 3), dt), make(rng, (3,), "bool"), make(rng, (1,), dt))


op("masked_scatter", "", _masked_scatter, variants=FMI,
   errors=lambda rng: (S(make(rng, (3,), "float32"), make(rng, (3,), "bool", values=(True, True, True)),
                         make(rng, (2,), "float32")),
                       S(make(rng, (3,), "float32"), make(rng, (3,), "bool"), make(rng, (3,), "float64"))))


def _nonzero_inputs(dt, rng):
    yield make(rng, (3, 4), dt, low=-1, high=2)
    yield make(rng, (3, 4), dt, "T", low=-1, high=2)
    yield make(rng, (2, 3, 4), dt, "step", low=-1, high=2)
    yield make(rng, (), dt, low=-1, high=2)
    yield make(rng, (0, 3), dt)
    yield make(rng, (5,), dt, values=np.zeros(5))


op("nonzero", "", lambda dt, rng: (S(x) for x in _nonzero_inputs(dt, rng)), grad=False)
op("nonzero", "as_tuple", lambda dt, rng: (S(x, as_tuple=True) for x in _nonzero_inputs(dt, rng)), grad=False)
op("argwhere", "", lambda dt, rng: (S(x) for x in _nonzero_inputs(dt, rng)), grad=False)
op("where", "cond", lambda dt, rng: (S(x) for x in _nonzero_inputs(dt, rng)), variants=("function",), grad=False)
op("one_hot", "", lambda dt, rng: (S(idx(rng, [0, 2, 1])), S(idx(rng, [[0, 2], [1, 1]]), 4),
                                   S(idx(rng, 3), num_classes=5), S(idx(rng, np.zeros((0,), np.int64)), 3)),
   dtypes=("int64",), dtype_independent=True, variants=("function",), module="nn.functional", grad=False,
   errors=lambda rng: (S(idx(rng, [0, 3]), 2), S(idx(rng, [-1])), S(idx(rng, np.zeros((0,), np.int64)))))
