"""Linear algebra from Python, spot-checked against PyTorch: matrix products and the @ operator, the
add* family with beta/alpha, einsum, tensordot, tril/triu, and the exception classes of misuse."""
import pytest
import torch

import ember
from ops_helpers import E, assert_same


def pair(*shape, dtype=torch.float64):
    t = torch.randn(shape, dtype=torch.float64)
    t = t.to(dtype) if dtype.is_floating_point else t.mul(5).round().to(dtype)
    return E(t), t


PRODUCTS = [
    ("matmul", lambda M, a, b: M.matmul(a, b), [(2, 3), (3, 4)]),
    ("matmul batched", lambda M, a, b: a.matmul(b), [(2, 1, 2, 3), (3, 3, 5)]),
    ("matmul vec", lambda M, a, b: M.matmul(a, b), [(3,), (2, 3, 4)]),
    ("@", lambda M, a, b: a @ b, [(2, 3), (3,)]),
    ("@ batched", lambda M, a, b: a @ b, [(4, 2, 3), (4, 3, 2)]),
    ("mm", lambda M, a, b: M.mm(a, b), [(2, 3), (3, 4)]),
    ("mm method", lambda M, a, b: a.mm(mat2=b), [(2, 3), (3, 4)]),
    ("bmm", lambda M, a, b: M.bmm(a, b), [(2, 2, 3), (2, 3, 4)]),
    ("mv", lambda M, a, b: a.mv(b), [(2, 3), (3,)]),
    ("dot", lambda M, a, b: M.dot(a, b), [(3,), (3,)]),
    ("dot method", lambda M, a, b: a.dot(tensor=b), [(3,), (3,)]),
    ("vdot", lambda M, a, b: M.vdot(a, b), [(4,), (4,)]),
    ("outer", lambda M, a, b: M.outer(a, b), [(2,), (3,)]),
    ("ger", lambda M, a, b: a.ger(b), [(2,), (3,)]),
    ("kron", lambda M, a, b: M.kron(a, b), [(2, 2), (3, 1)]),
    ("inner", lambda M, a, b: M.inner(a, b), [(2, 3), (4, 3)]),
    ("inner scalar", lambda M, a, b: a.inner(b), [(), (2, 3)]),
    ("cross", lambda M, a, b: M.cross(a, b, dim=1), [(2, 3), (2, 3)]),
    ("cross default dim", lambda M, a, b: a.cross(b), [(3, 2), (3, 2)]),
    ("cross broadcast", lambda M, a, b: M.cross(a, b), [(3, 1), (3, 4)]),
    ("tensordot int", lambda M, a, b: M.tensordot(a, b, 1), [(2, 3), (3, 4)]),
    ("tensordot default", lambda M, a, b: M.tensordot(a, b), [(2, 3, 4), (3, 4, 5)]),
    ("tensordot lists", lambda M, a, b: M.tensordot(a, b, dims=([0, 2], [1, 0])), [(2, 3, 4), (4, 2, 5)]),
    ("tensordot tuple", lambda M, a, b: M.tensordot(a, b, ([1], [0])), [(2, 3), (3, 4)]),
    ("einsum mm", lambda M, a, b: M.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    ("einsum list", lambda M, a, b: M.einsum("ij,jk", [a, b]), [(2, 3), (3, 4)]),
    ("einsum batch", lambda M, a, b: M.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 4)]),
    ("einsum ellipsis", lambda M, a, b: M.einsum("...i,...i->...", a, b), [(2, 3), (2, 3)]),
]


@pytest.mark.parametrize("name,fn,shapes", PRODUCTS, ids=[p[0] for p in PRODUCTS])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.int64])
def test_products(name, fn, shapes, dtype):
    (ea, ta), (eb, tb) = pair(*shapes[0], dtype=dtype), pair(*shapes[1], dtype=dtype)
    assert_same(fn(ember, ea, eb), fn(torch, ta, tb))


def test_products_of_non_contiguous_operands():
    (ea, ta), (eb, tb) = pair(4, 3), pair(5, 4)
    assert_same(ea.t() @ eb.t(), ta.t() @ tb.t())
    assert_same(ember.mm(ea.t(), eb.t()), torch.mm(ta.t(), tb.t()))
    assert_same(ea.select(1, 0).expand(3, 4) @ eb.t(), ta.select(1, 0).expand(3, 4) @ tb.t())


def test_matmul_operator_with_other_types():
    (e, t) = pair(2, 2)
    with pytest.raises(TypeError):
        t @ 2
    with pytest.raises(TypeError):
        e @ 2
    with pytest.raises(TypeError):
        2 @ e


def test_rmatmul_and_no_imatmul():
    (ea, ta), (eb, tb) = pair(3), pair(3, 2)
    assert_same(eb.__rmatmul__(ea), tb.__rmatmul__(ta))
    assert hasattr(ember.Tensor, "__imatmul__") == hasattr(torch.Tensor, "__imatmul__")
    x = ea
    x @= eb  # without __imatmul__, Python rebinds x to x @ eb
    assert_same(x, ta @ tb)
    assert_same(ea, ta)


ADDS = [
    ("addmm", [(2, 4), (2, 3), (3, 4)]),
    ("addmm broadcast", [(4,), (2, 3), (3, 4)]),
    ("addmv", [(2,), (2, 3), (3,)]),
    ("baddbmm", [(2, 2, 4), (2, 2, 3), (2, 3, 4)]),
    ("addbmm", [(2, 4), (3, 2, 5), (3, 5, 4)]),
    ("addr", [(2, 3), (2,), (3,)]),
]


@pytest.mark.parametrize("name,shapes", ADDS, ids=[a[0] for a in ADDS])
@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2), (0, -1.5)])
def test_add_family_beta_alpha(name, shapes, beta, alpha):
    es, ts = zip(*(pair(*s) for s in shapes))
    op = name.split()[0]
    expected = getattr(torch, op)(*ts, beta=beta, alpha=alpha)
    if op == "baddbmm" and beta == 0:
        # 1.13's CPU baddbmm reads its uninitialised output when beta == 0 (NaN at random places).
        expected = torch.bmm(ts[1], ts[2]) * alpha
    assert_same(getattr(ember, op)(*es, beta=beta, alpha=alpha), expected)
    assert_same(getattr(es[0], op)(*es[1:], beta=beta, alpha=alpha), expected)
    assert_same(getattr(ember, op)(*es), getattr(torch, op)(*ts))


def test_beta_zero_ignores_nan_in_input():
    (em, tm), (ev, tv) = pair(2, 3), pair(3, 4)
    tnan = torch.full((2, 4), float("nan"), dtype=torch.float64)
    assert_same(ember.addmm(E(tnan), em, ev, beta=0), torch.addmm(tnan, tm, tv, beta=0))
    (e1, t1), (e2, t2) = pair(2), pair(4)
    assert_same(ember.addr(E(tnan), e1, e2, beta=0), torch.addr(tnan, t1, t2, beta=0))


def test_add_family_keywords_are_keyword_only():
    (ea, ta), (eb, tb), (ec, tc) = pair(2, 2), pair(2, 2), pair(2, 2)
    with pytest.raises(TypeError):
        torch.addmm(ta, tb, tc, 2, 1)
    with pytest.raises(TypeError):
        ember.addmm(ea, eb, ec, 2, 1)


def test_trace():
    for dtype in (torch.float64, torch.int32, torch.int64):
        e, t = pair(3, 4, dtype=dtype)
        assert_same(e.trace(), t.trace())
        assert_same(ember.trace(e), torch.trace(t))


@pytest.mark.parametrize("diagonal", [0, 1, -1, 5, -5])
def test_tril_triu(diagonal):
    e, t = pair(2, 3, 4)
    assert_same(ember.tril(e, diagonal), torch.tril(t, diagonal))
    assert_same(e.triu(diagonal=diagonal), t.triu(diagonal=diagonal))
    el, tl = pair(3, 3, dtype=torch.int64)
    assert el.tril_(diagonal) is el
    tl.tril_(diagonal)
    assert_same(el, tl)
    assert el.triu_(diagonal=diagonal) is el
    tl.triu_(diagonal=diagonal)
    assert_same(el, tl)


ERRORS = [
    (RuntimeError, lambda M, a, b: M.mm(a, b), [(2, 3), (2, 3)]),
    (RuntimeError, lambda M, a, b: M.matmul(a, b), [(), (3,)]),
    (RuntimeError, lambda M, a, b: a @ b, [(2, 3), (4,)]),
    (RuntimeError, lambda M, a, b: M.bmm(a, b), [(2, 3), (3, 2)]),
    (RuntimeError, lambda M, a, b: M.dot(a, b), [(3,), (4,)]),
    (RuntimeError, lambda M, a, b: M.mm(a, b.to(M.float32)), [(2, 3), (3, 2)]),
    (RuntimeError, lambda M, a, b: M.inner(a, b), [(2, 3), (2, 4)]),
    (RuntimeError, lambda M, a, b: M.cross(a, b), [(2, 2), (2, 2)]),
    (RuntimeError, lambda M, a, b: M.cross(a, b, dim=0), [(4, 3), (4, 3)]),
    (RuntimeError, lambda M, a, b: M.trace(a), [(3,), (3,)]),
    (IndexError, lambda M, a, b: M.addbmm(a, b, b), [(2, 2), (2, 2)]),
    (RuntimeError, lambda M, a, b: M.addbmm(a, b.unsqueeze(0), b.unsqueeze(1)), [(2, 2), (2, 2)]),
    (RuntimeError, lambda M, a, b: M.addr(a, b, b), [(2, 2), (2, 2)]),
    (RuntimeError, lambda M, a, b: M.einsum("ij,jk->ik", a, b), [(2, 3), (2, 3)]),
    (RuntimeError, lambda M, a, b: M.tensordot(a, b, -1), [(2, 3), (2, 3)]),
    (TypeError, lambda M, a, b: M.mm(a, 2), [(2, 2), (2, 2)]),
    (TypeError, lambda M, a, b: M.einsum("ij", a, 1), [(2, 2), (2, 2)]),
]


@pytest.mark.parametrize("cls,fn,shapes", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_raise_torch_exception_class(cls, fn, shapes):
    (ea, ta), (eb, tb) = pair(*shapes[0]), pair(*shapes[1])
    with pytest.raises(cls):
        fn(torch, ta, tb)
    with pytest.raises(cls):
        fn(ember, ea, eb)
