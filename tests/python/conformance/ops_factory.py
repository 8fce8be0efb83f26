"""Factories: zeros/ones/empty/full/scalar_tensor, arange/range/linspace/logspace, eye, empty_strided, the
*_like forms (which keep the input's strides, PyTorch's preserve_format), tensor/as_tensor from Python data,
and the random factories (dtype and shape only: ember's generator is Philox, docs/DIFFERENCES.md).

The dtype an item runs under is passed as the factory's dtype= argument; the "infer" overloads pass none
and check PyTorch's dtype inference from the arguments."""
import warnings

from .opinfo import ALL, FLOATING, DT, OpInfo, S, make, significant_strides, without

OPS = []
RANDOM = "random numbers: ember's Philox generator gives other values than PyTorch's mt19937 (DIFFERENCES.md)"


def op(name, overload, samples, *, dtypes=ALL, variants=("function",), **kw):
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, grad=False, **kw))


def infer(name, samples, **kw):
    op(name, "infer", samples, dtypes=("float32",), dtype_independent=True, **kw)


def _sized(dt, rng):
    d = DT(dt)
    yield S(2, 3, dtype=d)
    yield S((2, 3), dtype=d)
    yield S([4], dtype=d)
    yield S(0, 3, dtype=d)
    yield S((), dtype=d)


def _sized_infer(dt, rng):
    yield S(2, 3)
    yield S((3,), requires_grad=True)
    yield S([2, 2], dtype=DT("float64"), requires_grad=True)


for _name in ("zeros", "ones"):
    op(_name, "", _sized, errors=lambda rng: (S(2, "a"), S(-1), S(2, dtype=DT("int64"), requires_grad=True)))
    infer(_name, _sized_infer)
op("empty", "", lambda dt, rng: (s.uninitialized() for s in _sized(dt, rng)), errors=lambda rng: (S(-1),))
infer("empty", lambda dt, rng: (s.uninitialized() for s in _sized_infer(dt, rng)))


def _full(dt, rng):
    d = DT(dt)
    yield S((2, 3), 1, dtype=d)
    yield S([4], 2.5 if dt in FLOATING else 3, dtype=d)
    yield S((), True, dtype=d)
    yield S((0, 2), 1, dtype=d)


op("full", "", _full, errors=lambda rng: (S((2,), "a"), S((-1,), 1)))
infer("full", lambda dt, rng: (S((2, 3), 1.5), S((2,), 3), S((2,), True), S((), 2.5, requires_grad=True)))
op("scalar_tensor", "", lambda dt, rng: (S(1, dtype=DT(dt)), S(True, dtype=DT(dt))))
infer("scalar_tensor", lambda dt, rng: (S(2.5), S(3), S(False)))


def _arange(dt, rng):
    d = DT(dt)
    yield S(5, dtype=d)
    yield S(1, 7, 2, dtype=d)
    yield S(-3, 3, dtype=d) if dt != "uint8" else S(0, 3, dtype=d)
    yield S(0, dtype=d)
    yield S(10, 2, -3, dtype=d) if dt != "uint8" else S(2, 10, 3, dtype=d)
    if dt in FLOATING:
        yield S(0, 1, 0.25, dtype=d)
        yield S(5, 0, -1.5, dtype=d)


op("arange", "", _arange, dtypes=without(ALL, "bool"),
   errors=lambda rng: (S(0, 5, 0), S(5, 0, 1), S(0, 1, 0.25, dtype=DT("int64"))))
infer("arange", lambda dt, rng: (S(10), S(2.5), S(1, 4), S(0, 1, 0.1), S(1, 3, True), S(-2.5, 2.5, 0.5)))


def _range(dt, rng):
    d = DT(dt)
    yield S(1, 4, dtype=d)
    yield S(0, 9, 3, dtype=d)
    if dt in FLOATING:
        yield S(0, 1, 0.25, dtype=d)


def _no_deprecation(f):
    def run(M, *args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return f(M, *args, **kwargs)
    return run


op("range", "", _range, dtypes=without(ALL, "float16", "bool"), ember_dtypes=("float16",),
   op=_no_deprecation(lambda M, *a, **k: M.range(*a, **k)), variant="function")


def _linspace(dt, rng):
    d = DT(dt)
    yield S(0, 5, 4, dtype=d)
    yield S(-1, 1, 5, dtype=d) if dt != "uint8" else S(1, 9, 5, dtype=d)
    yield S(2, 2, 1, dtype=d)
    yield S(0, 10, 0, dtype=d)
    yield S(7, 0, 8, dtype=d)
    yield S(0.5, 3.5, steps=4, dtype=d)


op("linspace", "", _linspace, dtypes=without(ALL, "bool"), errors=lambda rng: (S(0, 1, -1),))
infer("linspace", lambda dt, rng: (S(0, 1, 5), S(0, 10, steps=3)))


def _logspace(dt, rng):
    d = DT(dt)
    yield S(0, 2, 3, dtype=d)
    yield S(-1, 1, 5, base=2, dtype=d)
    yield S(0, 1, 0, dtype=d)
    yield S(1, 3, 3, 3.0, dtype=d)


op("logspace", "", _logspace, dtypes=without(ALL, "float16", "bool"), ember_dtypes=("float16",))
infer("logspace", lambda dt, rng: (S(0, 1, 5), S(0, 2, 3, base=2)))
op("eye", "", lambda dt, rng: (S(3, dtype=DT(dt)), S(2, 4, dtype=DT(dt)), S(0, dtype=DT(dt)), S(3, 0, dtype=DT(dt))),
   dtypes=without(ALL, "bfloat16"), ember_dtypes=("bfloat16",), errors=lambda rng: (S(-1),))
infer("eye", lambda dt, rng: (S(3), S(2, m=3)))
op("empty_strided", "", lambda dt, rng: (S((2, 3), (1, 2), dtype=DT(dt)).uninitialized(),
                                         S((2, 3), (3, 1), dtype=DT(dt)).uninitialized()),
   op=lambda M, *a, **k: _with_strides(M.empty_strided(*a, **k)), variant="function")


def _with_strides(t):
    return t, significant_strides(t)


# ---- *_like: the input's dtype and strides unless overridden ----
def _like(value=None):
    def gen(dt, rng):
        v = () if value is None else (value,)
        yield S(make(rng, (2, 3), dt), *v)
        yield S(make(rng, (3, 4), dt, "T"), *v)
        yield S(make(rng, (2, 5), dt, "step"), *v)
        yield S(make(rng, (3, 4), dt, "expand"), *v)
        yield S(make(rng, (), dt), *v)
        yield S(make(rng, (0, 3), dt), *v)
        yield S(make(rng, (2, 3), dt), *v, dtype=DT("float64"))
        yield S(make(rng, (3, 4), dt, "T"), *v, dtype=DT("int32"))
    return gen


for _name in ("zeros_like", "ones_like"):
    OPS.append(OpInfo(_name, dtypes=ALL, variant="function", grad=False, samples=_like(),
                      op=lambda M, x, _n=_name, **k: _with_strides(getattr(M, _n)(x, **k))))
OPS.append(OpInfo("full_like", dtypes=ALL, variant="function", grad=False, samples=_like(1),
                  op=lambda M, x, v, **k: _with_strides(M.full_like(x, v, **k))))
OPS.append(OpInfo("empty_like", dtypes=ALL, variant="function", grad=False,
                  samples=lambda dt, rng: (s.uninitialized() for s in _like()(dt, rng)),
                  op=lambda M, x, **k: _with_strides(M.empty_like(x, **k))))


# ---- from Python data ----
def _data(dt, rng):
    d = DT(dt)
    yield S([[1, 2], [3, 4]], dtype=d)
    yield S([1.5, -2.0, 0.0] if dt in FLOATING else [1, 0, 3], dtype=d)
    yield S([True, False], dtype=d)
    yield S([], dtype=d)
    yield S(3, dtype=d)
    yield S([[[1], [2]]], dtype=d)


def _data_infer(dt, rng):
    yield S([1, 2.5])
    yield S([True, 1])
    yield S([[True], [False]])
    yield S(2.5)
    yield S([[1, 2], [3, 4]])
    yield S([[]])
    yield S([1.0, 2.0], requires_grad=True)


def _data_errors(rng):
    yield S([[1, 2], [3]])
    yield S(["a"])
    yield S([1, 2], dtype=DT("int64"), requires_grad=True)


op("tensor", "", _data, errors=_data_errors)
infer("tensor", _data_infer)
op("as_tensor", "", _data)
infer("as_tensor", lambda dt, rng: (s for s in _data_infer(dt, rng) if "requires_grad" not in s.kwargs))


# ---- random: dtype and shape ----
def _random(dt, rng, *lead):
    d = DT(dt)
    yield S(*lead, (2, 3), dtype=d).known(RANDOM)
    yield S(*lead, (0,), dtype=d).known(RANDOM)


op("rand", "", lambda dt, rng: _random(dt, rng), dtypes=FLOATING)
op("randn", "", lambda dt, rng: _random(dt, rng), dtypes=FLOATING)
op("randint", "", lambda dt, rng: _random(dt, rng, 0, 5), dtypes=without(ALL, "bool"),
   errors=lambda rng: (S(5, 0, (2,)),))
op("randperm", "", lambda dt, rng: (S(5, dtype=DT(dt)).known(RANDOM), S(0, dtype=DT(dt)).known(RANDOM)),
   dtypes=without(ALL, "bool"))
infer("randint", lambda dt, rng: (S(10, (3,)).known(RANDOM), S(-2, 2, (2, 2)).known(RANDOM)))
