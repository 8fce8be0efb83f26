"""Autograd from Python against PyTorch: grad modes, autograd.grad/backward, hooks, grad_fn nodes,
custom Functions, gradcheck and anomaly mode.

Behaviour tests run the same code on `torch` and on `ember` (parametrized over `lib`), so every
expectation written here is one that PyTorch itself meets; gradient values are compared between the two."""
import gc
import os
import subprocess
import sys
import threading
import warnings
import weakref

import numpy as np
import pytest
import torch

import ember

LIBS = [pytest.param(torch, id="torch"), pytest.param(ember, id="ember")]


def leaf(lib, data, requires_grad=True):
    return lib.tensor(data, dtype=lib.float64, requires_grad=requires_grad)


def pair(data, requires_grad=True):
    return leaf(ember, data, requires_grad), leaf(torch, data, requires_grad)


def assert_same(e, t):
    assert (e is None) == (t is None)
    if e is None:
        return
    assert tuple(e.shape) == tuple(t.shape)
    np.testing.assert_allclose(np.array(e.tolist(), dtype=np.float64), t.detach().numpy(), rtol=1e-12, atol=1e-12)


# ---- grad modes ----

@pytest.mark.parametrize("lib", LIBS)
def test_no_grad_and_enable_grad_nest(lib):
    x = leaf(lib, [1.0, 2.0])
    with lib.no_grad():
        assert not lib.is_grad_enabled()
        y = x * 2
        with lib.enable_grad():
            assert lib.is_grad_enabled()
            z = x * 2
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and z.grad_fn is not None


@pytest.mark.parametrize("lib", LIBS)
def test_grad_modes_restore_on_exception(lib):
    for make in [lib.no_grad, lambda: lib.set_grad_enabled(False), lib.inference_mode]:
        with pytest.raises(KeyError):
            with make():
                assert not lib.is_grad_enabled()
                raise KeyError("x")
        assert lib.is_grad_enabled()
        assert not lib.is_inference_mode_enabled()
    with lib.no_grad():
        with pytest.raises(KeyError):
            with lib.enable_grad():
                raise KeyError("x")
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()


@pytest.mark.parametrize("lib", LIBS)
def test_grad_modes_as_decorators(lib):
    x = leaf(lib, [1.0, 2.0])

    @lib.no_grad()
    def doubled(t):
        assert not lib.is_grad_enabled()
        return t * 2

    @lib.enable_grad()
    def tripled(t):
        assert lib.is_grad_enabled()
        return t * 3

    @lib.inference_mode()
    def quadrupled(t):
        assert lib.is_inference_mode_enabled() and not lib.is_grad_enabled()
        return t * 4

    assert doubled.__name__ == "doubled"
    assert not doubled(x).requires_grad
    assert lib.is_grad_enabled()
    with lib.no_grad():
        assert tripled(x).requires_grad
        assert not lib.is_grad_enabled()
    assert not quadrupled(x).requires_grad
    assert not lib.is_inference_mode_enabled() and lib.is_grad_enabled()

    @lib.no_grad()
    def failing():
        raise ValueError("inside")

    with pytest.raises(ValueError, match="inside"):
        failing()
    assert lib.is_grad_enabled()


def test_set_grad_enabled_as_decorator_keeps_the_outer_mode():
    # PyTorch 1.13 leaves grad mode off after `@torch.set_grad_enabled(False)` at definition time (fixed in
    # PyTorch 2); ember behaves as PyTorch 2.
    @ember.set_grad_enabled(False)
    def f(t):
        assert not ember.is_grad_enabled()
        return t * 2

    assert ember.is_grad_enabled()
    assert not f(leaf(ember, [1.0])).requires_grad
    assert ember.is_grad_enabled()


@pytest.mark.parametrize("lib", LIBS)
def test_set_grad_enabled_as_function_and_context(lib):
    x = leaf(lib, [1.0])
    try:
        lib.set_grad_enabled(False)
        assert not lib.is_grad_enabled()
        assert not (x * 2).requires_grad
        with lib.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not lib.is_grad_enabled()
    finally:
        lib.set_grad_enabled(True)
    with lib.set_grad_enabled(False):
        assert not lib.is_grad_enabled()
    assert lib.is_grad_enabled()


@pytest.mark.parametrize("lib", LIBS)
def test_grad_mode_decorates_generators(lib):
    @lib.no_grad()
    def gen():
        for i in range(3):
            got = yield lib.is_grad_enabled()
            assert got == i
        return "done"

    g = gen()
    seen = [next(g)]
    with pytest.raises(StopIteration) as stop:
        for i in range(3):
            assert lib.is_grad_enabled()  # the caller's mode between yields
            seen.append(g.send(i))
    assert seen == [False, False, False] and stop.value.value == "done"
    assert lib.is_grad_enabled()


@pytest.mark.parametrize("lib", LIBS)
def test_inference_mode(lib):
    x = leaf(lib, [1.0, 2.0])
    assert not lib.is_inference_mode_enabled()
    with lib.inference_mode():
        assert lib.is_inference_mode_enabled() and not lib.is_grad_enabled()
        assert not (x * x).requires_grad
        with lib.inference_mode(False):
            assert not lib.is_inference_mode_enabled()
        assert lib.is_inference_mode_enabled()
    assert not lib.is_inference_mode_enabled() and lib.is_grad_enabled()
    with lib.inference_mode(mode=False):
        assert (x * x).requires_grad


@pytest.mark.parametrize("lib", LIBS)
def test_grad_mode_is_thread_local(lib):
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def worker():
        seen["start"] = lib.is_grad_enabled()
        with lib.no_grad():
            inside.set()
            release.wait(10)
            seen["worker"] = lib.is_grad_enabled()

    with lib.no_grad():
        t = threading.Thread(target=worker)
        t.start()
        inside.wait(10)
        seen["main_in_no_grad"] = lib.is_grad_enabled()
    seen["main"] = lib.is_grad_enabled()
    release.set()
    t.join()
    assert seen == {"start": True, "worker": False, "main_in_no_grad": False, "main": True}


# ---- autograd.grad / autograd.backward ----

def test_grad_single_and_sequences():
    (ex, tx), (ey, ty) = pair([1.0, -2.0, 3.0]), pair([0.5, 4.0, -1.0])
    for lib, x, y in [(ember, ex, ey), (torch, tx, ty)]:
        out = (x * x * y).sum()
        g = lib.autograd.grad(out, x, retain_graph=True)
        assert isinstance(g, tuple) and len(g) == 1
        gs = lib.autograd.grad([out], (x, y))
        assert isinstance(gs, tuple) and len(gs) == 2
        if lib is ember:
            e = (g, gs)
        else:
            t = (g, gs)
    assert_same(e[0][0], t[0][0])
    for a, b in zip(e[1], t[1]):
        assert_same(a, b)
    assert ex.grad is None and tx.grad is None  # grad() does not accumulate


def test_grad_with_grad_outputs_and_several_outputs():
    (ex, tx) = pair([[1.0, 2.0], [3.0, -4.0]])
    (eg1, tg1), (eg2, tg2) = pair([[1.0, 0.5], [-1.0, 2.0]], False), pair([3.0, -2.0], False)
    ge = ember.autograd.grad([ex * ex, (ex * 3).sum(1)], [ex], [eg1, eg2])
    gt = torch.autograd.grad([tx * tx, (tx * 3).sum(1)], [tx], [tg1, tg2])
    assert_same(ge[0], gt[0])
    # None upstream gradient for a scalar output: an implicit 1
    ge = ember.autograd.grad([(ex * ex).sum(), ex * 2], ex, [None, eg1])
    gt = torch.autograd.grad([(tx * tx).sum(), tx * 2], tx, [None, tg1])
    assert_same(ge[0], gt[0])


@pytest.mark.parametrize("lib", LIBS)
def test_grad_allow_unused(lib):
    x, y = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    out = (x * 2).sum()
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        lib.autograd.grad(out, [x, y], retain_graph=True)
    gx, gy = lib.autograd.grad(out, [x, y], allow_unused=True)
    assert gy is None and gx.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("lib", LIBS)
def test_grad_errors(lib):
    x = leaf(lib, [1.0, 2.0])
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        lib.autograd.grad(x * 2, x)
    with pytest.raises(RuntimeError, match="Mismatch in shape"):
        lib.autograd.grad(x * 2, x, leaf(lib, [1.0, 2.0, 3.0], False))
    with pytest.raises(RuntimeError, match="does not require grad"):
        lib.autograd.grad((x * 2).sum(), leaf(lib, [1.0], False))
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        lib.autograd.grad(leaf(lib, [1.0], False), x)
    with pytest.raises(TypeError):
        lib.autograd.grad((x * 2).sum(), x, grad_outputs=[1.0])


@pytest.mark.parametrize("lib", LIBS)
def test_second_backward_through_nodes_without_saved_tensors(lib):
    a, b = leaf(lib, [1.0, 2.0]), leaf(lib, [3.0, 4.0])
    s = a - b
    s.sum().backward()
    s.mean().backward()
    assert a.grad.tolist() == [1.5, 1.5] and b.grad.tolist() == [-1.5, -1.5]
    m = (a + b) * 2
    m.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        m.sum().backward()


@pytest.mark.parametrize("lib", LIBS)
def test_retain_graph(lib):
    x = leaf(lib, [1.0, 2.0])
    out = (x.exp() * x).sum()
    lib.autograd.grad(out, x)
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        lib.autograd.grad(out, x)
    out = (x.exp() * x).sum()
    a = lib.autograd.grad(out, x, retain_graph=True)[0]
    b = lib.autograd.grad(out, x)[0]
    assert a.tolist() == b.tolist()


def test_create_graph_double_and_triple_backward():
    ex, tx = pair([0.5, -1.5, 2.0])
    results = []
    for lib, x in [(ember, ex), (torch, tx)]:
        y = (x * x * x * x.sin()).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        assert g.requires_grad
        (gg,) = lib.autograd.grad(g.sum(), x, create_graph=True)
        (ggg,) = lib.autograd.grad(gg.sum(), x)
        results.append((g, gg, ggg))
    for e, t in zip(*results):
        assert_same(e, t)


def test_backward_function():
    (ex, tx), (ey, ty) = pair([1.0, 2.0]), pair([3.0, -1.0])
    for lib, x, y in [(ember, ex, ey), (torch, tx, ty)]:
        a = x * y
        b = (x * x).sum()
        lib.autograd.backward([a, b], [leaf(lib, [1.0, -1.0], False), None])
        lib.autograd.backward(b * y.sum(), inputs=[y])
    assert_same(ex.grad, tx.grad)
    assert_same(ey.grad, ty.grad)
    with pytest.raises(RuntimeError, match="cannot be empty"):
        ember.autograd.backward((ex * 2).sum(), inputs=[])


def test_backward_create_graph_and_tensor_backward_inputs():
    (ex, tx) = pair([1.0, -2.0])
    for lib, x in [(ember, ex), (torch, tx)]:
        lib.autograd.backward((x * x * x).sum(), create_graph=True)
        assert x.grad.requires_grad
        g = x.grad
        x.grad = None
        g.sum().backward(inputs=[x])
    assert_same(ex.grad, tx.grad)


# ---- hooks, retain_grad, grad_fn ----

def test_tensor_hooks_observe_and_replace():
    (ex, tx) = pair([1.0, 2.0, 3.0])
    seen = {ember: [], torch: []}
    for lib, x in [(ember, ex), (torch, tx)]:
        y = x * x
        h1 = y.register_hook(lambda g, lib=lib: seen[lib].append(("y", g.tolist())))
        y.register_hook(lambda g: g * 10)  # replaces the gradient flowing on into x
        x.register_hook(lambda g, lib=lib: seen[lib].append(("x", g.tolist())))
        (y * y).sum().backward(retain_graph=True)
        h1.remove()
        h1.remove()  # harmless twice
        (y * y).sum().backward()
    assert seen[ember] == seen[torch]
    assert_same(ex.grad, tx.grad)


def test_leaf_hook_return_replaces_accumulated_grad():
    (ex, tx) = pair([1.0, -1.0])
    for x in (ex, tx):
        handle = x.register_hook(lambda g: g + 100)
        (x * 3).sum().backward()
        handle.remove()
        (x * 3).sum().backward()
    assert_same(ex.grad, tx.grad)


@pytest.mark.parametrize("lib", LIBS)
def test_hook_errors(lib):
    x = leaf(lib, [1.0, 2.0])
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        leaf(lib, [1.0], False).register_hook(lambda g: g)
    y = x * 2
    y.register_hook(lambda g: 1)
    with pytest.raises(TypeError, match="expected Variable, but hook returned 'int'"):
        y.sum().backward()

    def boom(g):
        raise ZeroDivisionError("from the hook")

    z = x * 3
    z.register_hook(boom)
    with pytest.raises(ZeroDivisionError, match="from the hook"):
        z.sum().backward()
    w = x * 4
    w.register_hook(lambda g: g[:1])
    with pytest.raises(RuntimeError, match="has changed the size of value"):
        w.sum().backward()


@pytest.mark.parametrize("lib", LIBS)
def test_retain_grad(lib):
    x = leaf(lib, [1.0, 2.0])
    y = x * x
    assert not y.retains_grad
    y.retain_grad()
    assert y.retains_grad
    (y * 3).sum().backward()
    assert y.grad.tolist() == [3.0, 3.0] and x.grad.tolist() == [6.0, 12.0]
    z = x * 2
    assert z.grad is None


def _graph(fn):
    """The graph below fn as nested (name, input_nr, children) tuples."""
    if fn is None:
        return None
    # PyTorch names its leaf accumulator by its C++ name (docs/DIFFERENCES.md).
    name = fn.name().replace("torch::autograd::", "")
    return (name, [(_graph(f), n) for f, n in fn.next_functions])


def test_grad_fn_graph_matches_pytorch():
    (ex, tx), (ew, tw) = pair([1.0, 2.0]), pair([3.0, 4.0], False)
    graphs = []
    for x, w in [(ex, ew), (tx, tw)]:
        assert x.grad_fn is None and x.is_leaf
        y = (x * w + x.exp()).sum()
        assert not y.is_leaf
        graphs.append(_graph(y.grad_fn))
    assert graphs[0] == graphs[1]
    y = (ex * 2).sum()
    acc = y.grad_fn.next_functions[0][0].next_functions[0][0]
    assert acc.name() == "AccumulateGrad"
    assert acc.next_functions == ()
    assert acc.variable.tolist() == ex.tolist() and acc.variable.requires_grad
    assert y.grad_fn is y.grad_fn
    assert repr(y.grad_fn).startswith("<SumBackward0 object at 0x")


# ---- custom Functions ----

def exp_function(lib):
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    return Exp


def test_function_gradient_and_name():
    ex, tx = pair([0.5, -1.0, 2.0])
    names = []
    for lib, x in [(ember, ex), (torch, tx)]:
        Exp = exp_function(lib)
        y = Exp.apply(x)
        assert y.requires_grad and not y.is_leaf
        names.append((type(y.grad_fn).__name__, y.grad_fn.name(), _graph(y.grad_fn)))
        (y * y).sum().backward()
    assert names[0] == names[1] == ("ExpBackward", "ExpBackward", ("ExpBackward", [(("AccumulateGrad", []), 0)]))
    assert_same(ex.grad, tx.grad)


def scaled_function(lib, log):
    class Scaled(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y, tag):
            log.append(("needs", ctx.needs_input_grad, lib.is_grad_enabled()))
            ctx.k = k
            ctx.tag = tag
            ctx.save_for_backward(x, None, y)
            return x * k + y * y

        @staticmethod
        def backward(ctx, g):
            x, none, y = ctx.saved_tensors
            log.append(("backward", ctx.needs_input_grad, ctx.k, ctx.tag, none))
            return g * ctx.k, None, g * 2 * y, None

    return Scaled


def test_function_non_tensor_arguments_and_ctx_attributes():
    (ex, tx), (ey, ty) = pair([1.0, 2.0]), pair([3.0, 4.0], False)
    logs = {ember: [], torch: []}
    for lib, x, y in [(ember, ex, ey), (torch, tx, ty)]:
        Scaled = scaled_function(lib, logs[lib])
        z = Scaled.apply(x, 2.5, y, "t")
        assert z.grad_fn.k == 2.5 and z.grad_fn.tag == "t"
        z.sum().backward()
        with lib.no_grad():
            assert not Scaled.apply(x, 1.0, y, "n").requires_grad
    assert logs[ember] == logs[torch]
    assert_same(ex.grad, tx.grad)


def split_function(lib, materialize, seen):
    class Split(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(materialize)
            idx = (x > 0).long()
            ctx.mark_non_differentiable(idx)
            return x * 2, x * 3, idx

        @staticmethod
        def backward(ctx, g1, g2, gidx):
            seen.append(tuple(None if g is None else g.tolist() for g in (g1, g2, gidx)))
            out = 0
            if g1 is not None:
                out = out + g1 * 2
            if g2 is not None:
                out = out + g2 * 3
            return out

    return Split


@pytest.mark.parametrize("materialize", [True, False])
def test_function_several_outputs(materialize):
    ex, tx = pair([-1.0, 2.0])
    seen = {ember: [], torch: []}
    for lib, x in [(ember, ex), (torch, tx)]:
        a, b, idx = split_function(lib, materialize, seen[lib]).apply(x)
        assert a.requires_grad and b.requires_grad and not idx.requires_grad
        assert idx.dtype == lib.int64 and idx.tolist() == [0, 1]
        (a * a).sum().backward()
    assert seen[ember] == seen[torch]
    assert_same(ex.grad, tx.grad)


def test_function_mark_dirty_and_returned_input():
    ex, tx = pair([1.0, 3.0])
    results = []
    for lib, x in [(ember, ex), (torch, tx)]:
        class Double(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                t.mul_(2)
                ctx.mark_dirty(t)
                return t

            @staticmethod
            def backward(ctx, g):
                return g * 2

        class Same(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t

            @staticmethod
            def backward(ctx, g):
                return g * 5

        h = x * 1
        out = Double.apply(h)
        assert out is h and h.grad_fn.name() == "DoubleBackward"
        s = Same.apply(x)
        assert s is not x and s.tolist() == x.tolist() and x.grad_fn is None
        (h * h).sum().backward()
        s.sum().backward()
        results.append(x.grad)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            Double.apply(x)
    assert_same(*results)


def cube_function(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x * x

    return Cube


def test_function_double_backward():
    ex, tx = pair([0.5, -2.0])
    results = []
    for lib, x in [(ember, ex), (torch, tx)]:
        y = cube_function(lib).apply(x * x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        results.append((g, gg))
    for e, t in zip(*results):
        assert_same(e, t)


def test_function_non_tensor_outputs():
    ex, tx = pair([1.0, 2.0])
    seen = {ember: [], torch: []}
    for lib, x in [(ember, ex), (torch, tx)]:
        class WithExtras(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                return t * 2, 5, t * 3, None

            @staticmethod
            def backward(ctx, *g):
                seen[lib].append(tuple(None if v is None else v.tolist() for v in g))
                return g[0] * 2 + g[2] * 3

        a, five, b, none = WithExtras.apply(x)
        assert five == 5 and none is None and a.requires_grad and b.requires_grad
        a.sum().backward()
    assert seen[ember] == seen[torch]
    assert_same(ex.grad, tx.grad)


def test_function_saved_tensor_modified_in_place():
    for lib in (ember, torch):
        x = leaf(lib, [1.0, 2.0])
        y = x * 1
        z = cube_function(lib).apply(y)
        y.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()


def test_function_saved_output_double_backward():
    ex, tx = pair([0.3, -1.2])
    results = []
    for lib, x in [(ember, ex), (torch, tx)]:
        y = exp_function(lib).apply(x * x)  # saves its output
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x)
        results.append((y, g, gg))
    for e, t in zip(*results):
        assert_same(e, t)


def test_function_whose_backward_uses_functions():
    # Under create_graph the backward records Python Function nodes that die inside the engine, where the
    # GIL is released: they take it back to free their ctx.
    ex, tx = pair([0.7, -0.4])
    results = []
    for lib, x in [(ember, ex), (torch, tx)]:
        Cube = cube_function(lib)

        class CubeOfCube(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t * t * t * t * t * t * t * t

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                return g * 9 * Cube.apply(Cube.apply(t)) / t

        (g,) = lib.autograd.grad(CubeOfCube.apply(x).sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad(g.sum(), x, create_graph=True)
        results.append((g, gg))
        del g, gg
        gc.collect()
    for e, t in zip(*results):
        assert_same(e, t)


def test_function_backward_runs_the_engine_again():
    # Checkpointing: backward recomputes its forward with grad enabled and differentiates it (a backward
    # inside a backward, from Python that holds the GIL inside an engine that released it).
    ex, tx = pair([0.2, -0.9, 1.4])
    for lib, x in [(ember, ex), (torch, tx)]:
        class Checkpointed(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return (t.sin() * t).exp()

            @staticmethod
            def backward(ctx, g):
                (t,) = ctx.saved_tensors
                with lib.enable_grad():
                    t = t.detach().requires_grad_()
                    out = (t.sin() * t).exp()
                    out.backward(g)
                return t.grad

        (Checkpointed.apply(x) * x).sum().backward()
    assert_same(ex.grad, tx.grad)


@pytest.mark.parametrize("lib", LIBS)
def test_function_errors(lib):
    x = leaf(lib, [1.0, 2.0])

    class Raises(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            raise KeyError("from backward")

    with pytest.raises(KeyError, match="from backward"):
        Raises.apply(x).sum().backward()

    class TooMany(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(RuntimeError, match="returned an incorrect number of gradients"):
        TooMany.apply(x).sum().backward()

    class WrongType(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return 1

    with pytest.raises(RuntimeError, match=r"expected Variable or None \(got int\)"):
        WrongType.apply(x).sum().backward()

    class WrongShape(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

        @staticmethod
        def backward(ctx, g):
            return g.sum()

    with pytest.raises(RuntimeError, match="returned an invalid gradient at index 0"):
        WrongShape.apply(x).sum().backward()

    class NoBackward(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            return t * 2

    with pytest.raises(NotImplementedError):
        NoBackward.apply(x).sum().backward()

    class SaveNumber(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(1)
            return t

    with pytest.raises(TypeError, match="save_for_backward can only save variables, but argument 0 is of type int"):
        SaveNumber.apply(x)

    y = exp_function(lib).apply(x)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        y.grad_fn.saved_tensors


def test_function_once_differentiable():
    ex, tx = pair([0.5, 1.5])
    for lib, x in [(ember, ex), (torch, tx)]:
        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            @lib.autograd.function.once_differentiable
            def backward(ctx, g):
                assert not lib.is_grad_enabled()
                (t,) = ctx.saved_tensors
                return g * 2 * t

        # An upstream gradient that requires grad makes the result differentiable in form only.
        v = leaf(lib, [1.0, -1.0])
        (g,) = lib.autograd.grad(Square.apply(x), x, v, create_graph=True)
        assert g.requires_grad and g.tolist() == [1.0, -3.0]
        with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
            g.sum().backward()
        (g,) = lib.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        assert g.tolist() == [1.0, 3.0] and not g.requires_grad


def test_function_ctx_and_graph_are_freed():
    class Sentinel:
        pass

    class Keep(ember.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.sentinel = Sentinel()
            ctx.save_for_backward(t)
            out = t * 2
            ctx.save_for_backward(t, out)  # an output saved: no cycle through the graph
            return out

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = leaf(ember, [1.0])
    y = Keep.apply(x)
    ref = weakref.ref(y.grad_fn.sentinel)
    assert y.grad_fn.next_functions[0][0].name() == "AccumulateGrad"
    y.sum().backward()
    assert ref() is not None
    del y
    gc.collect()
    assert ref() is None


def test_hooks_and_functions_from_several_threads():
    # Backward releases the GIL; Python hooks and Function.backward take it back.
    Cube = cube_function(ember)
    errors = []

    def work(seed):
        try:
            for i in range(20):
                x = leaf(ember, [seed + 0.5, i + 1.0])
                calls = []
                y = Cube.apply(x)
                y.register_hook(lambda g: calls.append(1) or g * 2)
                y.sum().backward()
                assert x.grad.tolist() == [6 * (seed + 0.5) ** 2, 6 * (i + 1.0) ** 2] and calls == [1]
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# ---- gradcheck ----

@pytest.mark.parametrize("lib", LIBS)
def test_gradcheck_passes_and_catches_a_wrong_backward(lib):
    x = leaf(lib, [[0.3, -0.7], [1.2, 0.4]])
    w = leaf(lib, [0.5, -1.5])
    assert lib.autograd.gradcheck(lambda a, b: (a * b).sin(), (x, w))
    assert lib.autograd.gradcheck(lambda a, k: a * k, (x, 3.0))  # non-tensor input passed through
    assert lib.autograd.gradcheck(cube_function(lib).apply, x)

    class WrongCube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t * t * t

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return g * 2 * t * t

    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        lib.autograd.gradcheck(WrongCube.apply, (x,))
    assert lib.autograd.gradcheck(WrongCube.apply, (x,), raise_exception=False) is False


@pytest.mark.parametrize("lib", LIBS)
def test_gradgradcheck(lib):
    x = leaf(lib, [0.3, -0.7, 1.1])
    assert lib.autograd.gradgradcheck(cube_function(lib).apply, (x,))
    assert lib.autograd.gradgradcheck(lambda t: t.exp() * t, (x,), leaf(lib, [1.0, -2.0, 0.5]))

    class FirstOrderOnly(lib.autograd.Function):
        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return t * t * t

        @staticmethod
        def backward(ctx, g):
            (t,) = ctx.saved_tensors
            return g * 3 * t.detach() * t.detach()

    assert lib.autograd.gradcheck(FirstOrderOnly.apply, (x,))
    assert lib.autograd.gradgradcheck(FirstOrderOnly.apply, (x,), raise_exception=False) is False


# ---- anomaly mode ----

@pytest.mark.parametrize("lib", LIBS)
def test_detect_anomaly(lib):
    assert not lib.is_anomaly_enabled()
    q = leaf(lib, [0.0])
    (q / q).sum().backward()  # NaN gradients, no error while off
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        guard = lib.autograd.detect_anomaly()
    with guard:
        assert lib.is_anomaly_enabled()
        with pytest.raises(RuntimeError, match="Function 'DivBackward0' returned nan values in its 1th output"):
            (q / q).sum().backward()
    assert not lib.is_anomaly_enabled()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with lib.autograd.detect_anomaly(check_nan=False):
            assert lib.is_anomaly_enabled() and not lib.is_anomaly_check_nan_enabled()
            (q / q).sum().backward()
    assert lib.is_anomaly_check_nan_enabled()


def test_anomaly_error_names_the_python_forward_call():
    # PyTorch prints the Python stack of the forward call as a warning; ember puts it in the error.
    def forward_that_divides(q):
        return q / q

    q = leaf(ember, [0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with ember.autograd.detect_anomaly():
            out = forward_that_divides(q).sum()
            with pytest.raises(RuntimeError) as err:
                out.backward()
    msg = str(err.value)
    assert "The forward call that created DivBackward0 (anomaly mode):" in msg
    assert "test_autograd.py" in msg and "in forward_that_divides" in msg and "return q / q" in msg


@pytest.mark.parametrize("lib", LIBS)
def test_set_detect_anomaly(lib):
    try:
        lib.autograd.set_detect_anomaly(True)
        assert lib.is_anomaly_enabled()
        with lib.autograd.set_detect_anomaly(False):
            assert not lib.is_anomaly_enabled()
        assert lib.is_anomaly_enabled()
    finally:
        lib.autograd.set_detect_anomaly(False)
    assert not lib.is_anomaly_enabled()


# ---- cycles through the graph are collected (as PyTorch's Tensor tp_traverse allows) ----

def _collected(make):
    ref = make()
    gc.collect()
    return ref() is None


class _Marker:
    pass


def test_cycle_through_nonleaf_hook_is_collected():
    def make():
        y = ember.ones(3, requires_grad=True) * 2
        m = _Marker()
        y.register_hook(lambda g: (m, y) and None)
        return weakref.ref(m)
    assert _collected(make)


def test_cycle_through_leaf_hook_is_collected():
    def make():
        x = ember.ones(3, requires_grad=True)
        m = _Marker()
        x.register_hook(lambda g: (m, x) and None)
        return weakref.ref(m)
    assert _collected(make)


def test_cycle_through_function_ctx_is_collected():
    class Square(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return 2 * g

    def make():
        y = Square.apply(ember.ones(3, requires_grad=True))
        m = _Marker()
        y.grad_fn.marker, y.grad_fn.out = m, y
        return weakref.ref(m)
    assert _collected(make)


def test_hook_still_runs_and_tensor_shared_elsewhere_is_kept():
    x = ember.ones(3, requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()))
    alias = [x]
    gc.collect()
    (alias[0] * 3).sum().backward()
    assert seen == [[3.0, 3.0, 3.0]]
    assert x.grad.tolist() == [3.0, 3.0, 3.0]


def test_no_leak_report_at_exit():
    code = ("import ember\n"
            "x = ember.ones(3, requires_grad=True)\n"
            "y = x * 2\n"
            "y.register_hook(lambda g: y and None)\n"
            "class F(ember.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, a): return a * 1\n"
            "    @staticmethod\n"
            "    def backward(ctx, g): return g\n"
            "z = F.apply(x); z.grad_fn.z = z\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert res.returncode == 0, res.stderr
    assert "leaked" not in res.stderr, res.stderr
