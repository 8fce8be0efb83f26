"""Linear algebra: matmul in all its rank combinations (and `@`), mm, bmm, mv, dot, vdot, outer/ger, addmm,
addmv, baddbmm, einsum, tensordot, kron, tril/triu."""
from .opinfo import ALL, FLOATING, OpInfo, S, make, without

OPS = []
FM = ("function", "method")
# PyTorch 1.13 has no float16 matmul on CPU; ember computes it in float32 (docs/DIFFERENCES.md).
MM = without(ALL, "float16", "bool")
HALF = ("float16",)
NAN = float("nan")


BF16_MM = ("bfloat16 matrix products: PyTorch 1.13 accumulates in bfloat16, ember in float32; compared with "
           "PyTorch computing in float32 (DIFFERENCES.md)")


def bf16_exact(gen):
    def samples(dt, rng):
        for s in gen(dt, rng):
            yield s.versus({"bfloat16": "float32"}, BF16_MM) if dt == "bfloat16" and not s.known_reason else s
    return samples


def op(name, overload, samples, *, dtypes=MM, variants=FM, errors=None, ember_dtypes=HALF, **kw):
    if dtypes == MM:
        samples = bf16_exact(samples)
    OPS.append(OpInfo(name, overload=overload, dtypes=dtypes, variants=variants, samples=samples, errors=errors,
                      ember_dtypes=ember_dtypes if dtypes == MM else (), **kw))


def _m(rng, shape, dt, layout="contig"):
    return make(rng, shape, dt, layout)


def _matmul(dt, rng):
    def m(shape, layout="contig"):
        return _m(rng, shape, dt, layout)
    yield S(m((4,)), m((4,)))
    yield S(m((3, 4)), m((4,), "step"))
    yield S(m((4,)), m((4, 2), "T"))
    yield S(m((3, 4)), m((4, 2)))
    yield S(m((3, 4), "T"), m((4, 2), "T"))
    yield S(m((3, 4), "step"), m((4, 5), "expand"))
    yield S(m((2, 3, 4)), m((2, 4, 2)))
    yield S(m((2, 3, 4), "T"), m((4, 2)))
    yield S(m((3, 4)), m((2, 4, 2), "T"))
    yield S(m((2, 1, 3, 4)), m((3, 4, 2)))
    yield S(m((2, 3, 4)), m((4,)))
    yield S(m((4,)), m((2, 4, 3)))
    yield S(m((3, 0)), m((0, 2)))
    yield S(m((0, 4)), m((4, 2)))
    yield S(m((2, 3, 4)), m((2, 4, 0)))


def _matmul_errors(rng):
    yield S(_m(rng, (), "float32"), _m(rng, (3,), "float32"))
    yield S(_m(rng, (3, 4), "float32"), _m(rng, (3, 4), "float32"))
    yield S(_m(rng, (3,), "float32"), _m(rng, (4,), "float32"))
    yield S(_m(rng, (3, 4), "float32"), _m(rng, (4, 2), "float64"))
    yield S(_m(rng, (2, 3, 4), "float32"), _m(rng, (3, 4, 2), "float32"))


op("matmul", "", _matmul, errors=_matmul_errors)
OPS.append(OpInfo("__matmul__", dtypes=MM, ember_dtypes=HALF, op=lambda M, a, b: a @ b, variant="operator",
                  samples=bf16_exact(_matmul), errors=_matmul_errors))
op("mm", "", lambda dt, rng: (S(_m(rng, (3, 4), dt), _m(rng, (4, 2), dt)), S(_m(rng, (3, 4), dt, "T"), _m(rng, (4, 2), dt, "step")),
                              S(_m(rng, (3, 4), dt, "expand"), _m(rng, (4, 2), dt, "T")), S(_m(rng, (3, 0), dt), _m(rng, (0, 2), dt)),
                              S(_m(rng, (1, 4), dt), _m(rng, (4, 1), dt))),
   errors=lambda rng: (S(_m(rng, (3, 4), "float32"), _m(rng, (3, 4), "float32")),
                       S(_m(rng, (3,), "float32"), _m(rng, (3, 4), "float32")),
                       S(_m(rng, (3, 4), "float32"), _m(rng, (4, 2), "float64"))))
op("bmm", "", lambda dt, rng: (S(_m(rng, (2, 3, 4), dt), _m(rng, (2, 4, 2), dt)),
                               S(_m(rng, (2, 3, 4), dt, "T"), _m(rng, (2, 4, 2), dt, "step")),
                               S(_m(rng, (2, 3, 4), dt, "expand"), _m(rng, (2, 4, 2), dt, "T")),
                               S(_m(rng, (0, 3, 4), dt), _m(rng, (0, 4, 2), dt)),
                               S(_m(rng, (2, 3, 0), dt), _m(rng, (2, 0, 2), dt))),
   errors=lambda rng: (S(_m(rng, (2, 3, 4), "float32"), _m(rng, (3, 4, 2), "float32")),
                       S(_m(rng, (3, 4), "float32"), _m(rng, (4, 2), "float32"))))
op("mv", "", lambda dt, rng: (S(_m(rng, (3, 4), dt), _m(rng, (4,), dt)), S(_m(rng, (3, 4), dt, "T"), _m(rng, (4,), dt, "step")),
                              S(_m(rng, (3, 4), dt, "expand"), _m(rng, (4,), dt)), S(_m(rng, (0, 4), dt), _m(rng, (4,), dt)),
                              S(_m(rng, (3, 0), dt), _m(rng, (0,), dt))),
   errors=lambda rng: (S(_m(rng, (3, 4), "float32"), _m(rng, (3,), "float32")),))
for _name in ("dot", "vdot"):
    op(_name, "", lambda dt, rng: (S(_m(rng, (4,), dt), _m(rng, (4,), dt)), S(_m(rng, (5,), dt, "step"), _m(rng, (5,), dt)),
                                   S(_m(rng, (0,), dt), _m(rng, (0,), dt)),
                                   S(make(rng, (3,), dt, values=(1.0, NAN, 2.0) if dt in FLOATING
                                          else (1, 2, 3)), _m(rng, (3,), dt))),
       errors=lambda rng: (S(_m(rng, (3,), "float32"), _m(rng, (4,), "float32")),
                           S(_m(rng, (3, 1), "float32"), _m(rng, (3,), "float32")),
                           S(_m(rng, (3,), "float32"), _m(rng, (3,), "float64"))))
for _name in ("outer", "ger"):
    op(_name, "", lambda dt, rng: (S(_m(rng, (3,), dt), _m(rng, (4,), dt)), S(_m(rng, (3,), dt, "step"), _m(rng, (0,), dt)),
                                   S(_m(rng, (3,), dt), _m(rng, (2,), "float64"))),
       dtypes=ALL, errors=lambda rng: (S(_m(rng, (3, 1), "float32"), _m(rng, (4,), "float32")),))


def _addmm(dt, rng):
    yield S(_m(rng, (3, 2), dt), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt))
    yield S(_m(rng, (2,), dt), _m(rng, (3, 4), dt, "T"), _m(rng, (4, 2), dt, "step"), beta=2, alpha=-1)
    yield S(_m(rng, (3, 1), dt), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt, "T"), alpha=3)
    yield S(_m(rng, (), dt), _m(rng, (3, 0), dt), _m(rng, (0, 2), dt))
    yield S(_m(rng, (3, 2), dt, "expand"), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt), beta=0)
    if dt in FLOATING:
        yield S(make(rng, (3, 2), dt, values=[[NAN, 1], [2, NAN], [0, 0]]), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt),
                beta=0, alpha=0.5)


op("addmm", "", _addmm, variants=("function", "method"),
   errors=lambda rng: (S(_m(rng, (3, 3), "float32"), _m(rng, (3, 4), "float32"), _m(rng, (4, 2), "float32")),))


def _addmm_activation(dt, rng):
    for use_gelu in ((False, True) if dt in FLOATING else (False,)):
        yield S(_m(rng, (3, 2), dt), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt), use_gelu=use_gelu)
        yield S(_m(rng, (2,), dt), _m(rng, (3, 4), dt, "T"), _m(rng, (4, 2), dt, "step"), use_gelu=use_gelu)
        yield S(_m(rng, (2,), dt), _m(rng, (3, 4), dt), _m(rng, (4, 2), dt), beta=2, alpha=-1, use_gelu=use_gelu)
        yield S(_m(rng, (), dt), _m(rng, (3, 0), dt), _m(rng, (0, 2), dt), use_gelu=use_gelu)


# No derivative in PyTorch either (its backward raises).
op("_addmm_activation", "", _addmm_activation, variants=("function",), grad=False,
   errors=lambda rng: (S(_m(rng, (3, 3), "float32"), _m(rng, (3, 4), "float32"), _m(rng, (4, 2), "float32")),
                       S(_m(rng, (3, 2), "int64"), _m(rng, (3, 4), "int64"), _m(rng, (4, 2), "int64"), use_gelu=True)))


def _addmv(dt, rng):
    yield S(_m(rng, (3,), dt), _m(rng, (3, 4), dt), _m(rng, (4,), dt))
    yield S(_m(rng, (1,), dt), _m(rng, (3, 4), dt, "T"), _m(rng, (4,), dt, "step"), beta=2, alpha=-1)
    yield S(_m(rng, (), dt), _m(rng, (3, 0), dt), _m(rng, (0,), dt)).known(
        "addmv of a 0-dim self with an empty product: PyTorch 1.13 returns self's shape () (a resize it warns "
        "about), ember the broadcast shape (3,) (DIFFERENCES.md)", shapes=False)
    yield S(_m(rng, (3,), dt, "step"), _m(rng, (3, 4), dt, "expand"), _m(rng, (4,), dt), beta=0)
    if dt in FLOATING:
        yield S(make(rng, (3,), dt, values=[NAN, 1, 2]), _m(rng, (3, 4), dt), _m(rng, (4,), dt), beta=0)


op("addmv", "", _addmv, errors=lambda rng: (S(_m(rng, (2,), "float32"), _m(rng, (3, 4), "float32"), _m(rng, (4,), "float32")),))


def _baddbmm(dt, rng):
    yield S(_m(rng, (2, 3, 2), dt), _m(rng, (2, 3, 4), dt), _m(rng, (2, 4, 2), dt))
    yield S(_m(rng, (3, 2), dt), _m(rng, (2, 3, 4), dt, "T"), _m(rng, (2, 4, 2), dt, "step"), beta=0.5 if dt in FLOATING else 2, alpha=2)
    yield S(_m(rng, (), dt), _m(rng, (2, 3, 0), dt), _m(rng, (2, 0, 2), dt))
    # No beta=0 sample: PyTorch 1.13's CPU baddbmm then reads uninitialized memory (NaNs at random).
    yield S(_m(rng, (2, 3, 2), dt), _m(rng, (2, 3, 4), dt), _m(rng, (2, 4, 2), dt, "T"), beta=-1)


op("baddbmm", "", _baddbmm, errors=lambda rng: (S(_m(rng, (2, 3, 2), "float32"), _m(rng, (2, 3, 4), "float32"),
                                                  _m(rng, (3, 4, 2), "float32")),))


F16_CHAIN = ("float16 einsum over three operands: ember rounds to float16 after each pairwise contraction, the "
             "reference computes all in float32 (DIFFERENCES.md, float16 on CPU)")


def _einsum(dt, rng):
    def m(shape, layout="contig"):
        return _m(rng, shape, dt, layout)
    yield S("ij,jk->ik", m((3, 4)), m((4, 2), "T"))
    yield S("ij,jk", m((3, 4), "step"), m((4, 2)))
    yield S("ii", m((3, 3)))
    yield S("ii->i", m((3, 3), "T"))
    yield S("bij,bjk->bik", m((2, 3, 4)), m((2, 4, 2)))
    yield S("i,i->", m((4,)), m((4,)))
    yield S("i,j->ij", m((3,)), m((2,), "step"))
    yield S("...ij,...jk", m((2, 3, 4)), m((4, 2)))
    yield S("ij->ji", m((3, 4)))
    yield S("ijk->", m((2, 3, 4), "expand"))
    yield S("ij,ij->ij", m((3, 4)), m((3, 4), "T"))
    yield S("bi,bi->b", [m((2, 3)), m((2, 3))])
    three = S("ij,jk,kl->il", m((2, 3)), m((3, 4)), m((4, 2)))
    yield three.known(F16_CHAIN) if dt == "float16" else three
    yield S("i,->i", m((3,)), m(()))
    yield S("ij,jk->ik", m((3, 0)), m((0, 2)))


op("einsum", "", _einsum, variants=("function",),
   errors=lambda rng: (S("ij,jk->ik", _m(rng, (3, 4), "float32"), _m(rng, (3, 2), "float32")),
                       S("ij->k", _m(rng, (3, 4), "float32")),
                       S("ij,jk->ik", _m(rng, (3, 4), "float32"))))


def _tensordot(dt, rng):
    yield S(_m(rng, (2, 3, 4), dt), _m(rng, (3, 4, 2), dt))
    yield S(_m(rng, (2, 3, 4), dt, "T"), _m(rng, (4, 2), dt), 1)
    yield S(_m(rng, (2, 3), dt), _m(rng, (4, 5), dt), dims=0)
    yield S(_m(rng, (2, 3, 4), dt), _m(rng, (4, 3, 2), dt), ([1, 2], [1, 0]))
    yield S(_m(rng, (2, 3, 4), dt), _m(rng, (4, 3, 2), dt, "step"), dims=([2], [0]))


op("tensordot", "", _tensordot, variants=("function",),
   errors=lambda rng: (S(_m(rng, (2, 3), "float32"), _m(rng, (2, 3), "float32"), 1),))


def _kron(dt, rng):
    yield S(_m(rng, (2, 3), dt), _m(rng, (3, 2), dt))
    # PyTorch 1.13's kron views its input and fails on transposed ones; stepped 1-D inputs work.
    yield S(_m(rng, (2, 3), dt), _m(rng, (4,), dt, "step"))
    yield S(_m(rng, (2,), dt), _m(rng, (2, 2, 2), dt))
    yield S(_m(rng, (), dt), _m(rng, (2, 2), dt))
    yield S(_m(rng, (0, 2), dt), _m(rng, (2, 2), dt))


op("kron", "", _kron, dtypes=ALL)


def _tri(dt, rng):
    yield S(_m(rng, (4, 4), dt))
    yield S(_m(rng, (3, 5), dt), 1)
    yield S(_m(rng, (5, 3), dt, "T"), -1)
    yield S(_m(rng, (2, 3, 4), dt), diagonal=2)
    yield S(_m(rng, (3, 4), dt, "step"), -5)
    yield S(_m(rng, (0, 3), dt))
    yield S(_m(rng, (3, 4), dt, "expand"), 10)


for _name in ("tril", "triu"):
    op(_name, "", _tri, dtypes=ALL, variants=("function", "method", "inplace"),
       errors=lambda rng: (S(_m(rng, (3,), "float32")),))
