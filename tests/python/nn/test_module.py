"""nn.Module against torch.nn.Module: the same models built with torch and with ember give the same
names, order, state_dict keys, printouts, error messages, hook calls and gradients. Behaviour tests run
the same code on both (parametrized over `lib`); value tests copy torch's parameters into ember through
NumPy and compare results."""
import copy

import numpy as np
import pytest
import torch

import ember

LIBS = [pytest.param(torch, id="torch"), pytest.param(ember, id="ember")]


def build(lib):
    """A small model with everything Module tracks: nested children, a None parameter, a persistent and
    a non-persistent buffer, an integer buffer, a container, a module reused twice, a tied weight."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, n):
            super().__init__()
            self.fc = nn.Linear(n, n)
            self.scale = nn.Parameter(lib.ones(n))
            self.register_parameter("shift", None)
            self.register_buffer("running", lib.zeros(n))
            self.register_buffer("scratch", lib.zeros(n), persistent=False)
            self.register_buffer("count", lib.tensor(0))

        def forward(self, x):
            return self.fc(x) * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Linear(3, 4)
            self.blocks = nn.Sequential(Block(4), Block(4))
            shared = nn.Linear(4, 4, bias=False)
            self.heads = nn.ModuleList([shared, nn.Linear(4, 2)])
            self.again = shared
            self.out = nn.Linear(4, 2)
            self.out.weight = self.heads[1].weight  # tying

        def forward(self, x):
            x = self.inp(x)
            x = self.blocks(x)
            x = self.again(self.heads[0](x))
            return self.out(x) + self.heads[1](x)

    return Net()


def to_torch_names(pairs):
    return [n for n, _ in pairs]


def load_from_torch(e_model, t_model):
    """Copies torch's state_dict into the ember model through NumPy (the way a user would)."""
    sd = {k: ember.tensor(v.detach().numpy()) for k, v in t_model.state_dict().items()}
    return e_model.load_state_dict(sd)


def test_names_and_order_are_torchs():
    e, t = build(ember), build(torch)
    assert to_torch_names(e.named_parameters()) == to_torch_names(t.named_parameters())
    assert to_torch_names(e.named_parameters(prefix="m", recurse=True)) == to_torch_names(
        t.named_parameters(prefix="m"))
    assert to_torch_names(e.blocks[0].named_parameters(recurse=False)) == to_torch_names(
        t.blocks[0].named_parameters(recurse=False))
    assert to_torch_names(e.named_buffers()) == to_torch_names(t.named_buffers())
    assert to_torch_names(e.named_modules()) == to_torch_names(t.named_modules())
    assert to_torch_names(e.named_modules(remove_duplicate=False)) == to_torch_names(
        t.named_modules(remove_duplicate=False))
    assert to_torch_names(e.named_children()) == to_torch_names(t.named_children())
    assert list(e.state_dict().keys()) == list(t.state_dict().keys())
    assert list(e.state_dict(prefix="net.").keys()) == list(t.state_dict(prefix="net.").keys())
    assert len(list(e.parameters())) == len(list(t.parameters()))
    assert len(list(e.modules())) == len(list(t.modules()))
    assert len(list(e.children())) == len(list(t.children()))


def test_state_dict_values_detach_unless_keep_vars():
    e = build(ember)
    sd = e.state_dict()
    assert type(sd).__name__ == "OrderedDict"
    assert not sd["inp.weight"].requires_grad and type(sd["inp.weight"]) is ember.Tensor
    assert sd["inp.weight"].data_ptr() == e.inp.weight.data_ptr()
    assert e.state_dict(keep_vars=True)["inp.weight"] is e.inp.weight
    assert sd["blocks.0.count"].dtype == ember.int64


def test_torch_state_dict_loads_into_ember_and_back():
    e, t = build(ember), build(torch)
    result = load_from_torch(e, t)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(e(ember.tensor(x)).detach().numpy(), t(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-6)
    # and back: ember's state_dict into a fresh torch model
    t2 = build(torch)
    t2.load_state_dict({k: torch.tensor(v.numpy()) for k, v in e.state_dict().items()})
    for (kt, vt), (k2, v2) in zip(t.state_dict().items(), t2.state_dict().items()):
        assert kt == k2 and torch.equal(vt, v2)


def normalize(msg):
    return msg.replace("torch.Size", "ember.Size").replace("torch.int64", "ember.int64")


def load_error(lib, model, sd, strict=True):
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(sd, strict=strict)
    return normalize(str(info.value))


def state_dict_cases(lib, model):
    sd = dict(model.state_dict())
    missing = {k: v for k, v in sd.items() if k != "blocks.1.running"}
    unexpected = dict(sd, **{"blocks.0.extra": lib.zeros(1), "nothere.weight": lib.zeros(1)})
    both = dict(missing, **{"zzz": lib.zeros(1)})
    bad_shape = dict(sd, **{"inp.weight": lib.zeros(3, 4)})
    return [missing, unexpected, both, bad_shape]


def test_load_state_dict_errors_are_torchs():
    e, t = build(ember), build(torch)
    for se, st in zip(state_dict_cases(ember, e), state_dict_cases(torch, t)):
        assert load_error(ember, e, se) == load_error(torch, t, st)
    # strict=False still reports shape mismatches, and returns the keys otherwise
    se, st = state_dict_cases(ember, e)[3], state_dict_cases(torch, t)[3]
    assert load_error(ember, e, se, strict=False) == load_error(torch, t, st, strict=False)
    for se, st in zip(state_dict_cases(ember, e)[:3], state_dict_cases(torch, t)[:3]):
        re_, rt = e.load_state_dict(se, strict=False), t.load_state_dict(st, strict=False)
        assert (re_.missing_keys, re_.unexpected_keys) == (rt.missing_keys, rt.unexpected_keys)
        assert repr(re_) == repr(rt)
    with pytest.raises(TypeError, match="Expected state_dict to be dict-like, got <class 'list'>."):
        e.load_state_dict([])


def test_load_state_dict_error_for_a_non_tensor_value():
    msgs = []
    for lib in (torch, ember):
        m = lib.nn.Linear(2, 2)
        sd = dict(m.state_dict(), bias=[1.0, 2.0])
        msgs.append(load_error(lib, m, sd).replace("torch.Tensor", "ember.Tensor"))
    assert msgs[0] == msgs[1]


@pytest.mark.parametrize("lib", LIBS)
def test_load_state_dict_copies_into_the_existing_parameters(lib):
    m = lib.nn.Linear(2, 3)
    w = m.weight
    m.load_state_dict({"weight": lib.ones(3, 2), "bias": lib.zeros(3)})
    assert m.weight is w and w.tolist() == [[1.0, 1.0]] * 3 and w.requires_grad


def test_repr_is_torchs():
    e, t = build(ember), build(torch)
    assert repr(e) == repr(t)

    class Multi:
        @staticmethod
        def make(lib):
            class Odd(lib.nn.Module):
                def extra_repr(self):
                    return "first=1,\nsecond=2"

            seq = lib.nn.Sequential(lib.nn.Linear(1, 2), Odd(), lib.nn.ModuleDict({"a": Odd(), "b": lib.nn.Linear(2, 2)}))
            seq.add_module("empty", lib.nn.Sequential())
            seq.add_module("none", None)
            return seq

    assert repr(Multi.make(ember)) == repr(Multi.make(torch))


@pytest.mark.parametrize("lib", LIBS)
def test_attribute_registration(lib):
    nn = lib.nn
    m = nn.Module()
    m.p = nn.Parameter(lib.ones(1))
    m.sub = nn.Linear(1, 1)
    m.register_buffer("b", lib.zeros(1))
    m.plain = 3
    assert list(m._parameters) == ["p"] and list(m._modules) == ["sub"] and list(m._buffers) == ["b"]
    assert "plain" in m.__dict__ and "p" not in m.__dict__
    m.p = None  # a registered parameter can be set to None
    assert m._parameters["p"] is None and m.p is None
    m.b = lib.ones(2)  # a buffer takes any tensor
    assert m.b.tolist() == [1.0, 1.0]
    m.sub = None
    assert m._modules["sub"] is None
    # re-assigning a name as another kind moves it
    m.plain = nn.Parameter(lib.ones(1))
    assert "plain" in m._parameters and "plain" not in m.__dict__
    m.other = 3
    m.other = nn.Linear(1, 1)
    assert "other" in m._modules and "other" not in m.__dict__
    del m.plain, m.b, m.p, m.other
    assert "other" not in m._modules and "plain" not in m._parameters
    assert "b" not in m._buffers and "p" not in m._parameters
    with pytest.raises(AttributeError, match="'Module' object has no attribute 'nothing'"):
        m.nothing
    del m.sub
    m.x = 1
    del m.x
    assert not hasattr(m, "x")


def raised(fn):
    try:
        fn()
    except Exception as ex:  # noqa: BLE001 - the type and message are what is compared
        return type(ex), str(ex).replace("torch.", "ember.")
    raise AssertionError("no exception")


def registration_errors(lib):
    nn = lib.nn

    class Early(nn.Module):
        def __init__(self, what):
            if what == "param":
                self.p = nn.Parameter(lib.ones(1))
            elif what == "module":
                self.m = nn.Linear(1, 1)
            else:
                self.register_buffer("b", lib.ones(1))

    def model():
        m = nn.Linear(2, 2)
        m.register_buffer("buf", lib.zeros(1))
        m.sub = nn.Linear(1, 1)
        m.attr = 5
        return m

    def set_attr(name, value):
        return lambda: setattr(model(), name, value)

    x = lib.ones(1, requires_grad=True)
    return [
        raised(lambda: Early("param")), raised(lambda: Early("module")), raised(lambda: Early("buffer")),
        raised(lambda: model().register_buffer("a.b", lib.ones(1))),
        raised(lambda: model().register_buffer("", lib.ones(1))),
        raised(lambda: model().register_buffer("attr", lib.ones(1))),
        raised(lambda: model().register_buffer("x", 3)),
        raised(lambda: model().register_buffer(1, lib.ones(1))),
        raised(lambda: model().register_parameter("a.b", None)),
        raised(lambda: model().register_parameter("", None)),
        raised(lambda: model().register_parameter("attr", None)),
        raised(lambda: model().register_parameter("x", lib.ones(1))),
        raised(lambda: model().register_parameter("x", nn.Parameter(x) * 2)),
        raised(lambda: model().add_module("a.b", None)),
        raised(lambda: model().add_module("", None)),
        raised(lambda: model().add_module("attr", None)),
        raised(lambda: model().add_module("x", 3)),
        raised(lambda: model().add_module(1, None)),
        raised(set_attr("weight", lib.ones(2, 2))),
        raised(set_attr("sub", 3)),
        raised(set_attr("buf", 3)),
        raised(lambda: model().get_submodule("sub.nope")),
        raised(lambda: model().get_submodule("weight")),
        raised(lambda: model().get_parameter("sub.nope")),
        raised(lambda: model().get_parameter("buf")),
        raised(lambda: model().get_buffer("weight")),
        raised(lambda: model().train("yes")),
        raised(lambda: nn.Module()(1)),
    ]


def test_registration_errors_are_torchs():
    got, want = registration_errors(ember), registration_errors(torch)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, i


@pytest.mark.parametrize("lib", LIBS)
def test_get_submodule_parameter_buffer(lib):
    m = build(lib)
    assert m.get_submodule("") is m
    assert m.get_submodule("blocks.1.fc") is m.blocks[1].fc
    assert m.get_parameter("blocks.0.scale") is m.blocks[0].scale
    assert m.get_parameter("out.weight") is m.heads[1].weight
    assert m.get_buffer("blocks.1.running") is m.blocks[1].running


@pytest.mark.parametrize("lib", LIBS)
def test_train_eval_propagate(lib):
    m = build(lib)
    assert m.training and m.blocks[1].fc.training
    assert m.eval() is m
    assert not any(x.training for x in m.modules())
    m.blocks.train()
    assert m.blocks[0].training and not m.training and not m.inp.training


@pytest.mark.parametrize("lib", LIBS)
def test_requires_grad_and_zero_grad(lib):
    m = build(lib)
    m(lib.ones(2, 3)).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()  # torch 1.13: set_to_none=False
    assert all(p.grad is not None and not p.grad.any() for p in m.parameters())
    m.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in m.parameters())
    assert m.requires_grad_(False) is m and not any(p.requires_grad for p in m.parameters())
    assert m.blocks.requires_grad_() is m.blocks
    assert [p.requires_grad for p in m.parameters()] == [n.startswith("blocks") for n, _ in m.named_parameters()]


def test_apply_visits_children_first_like_torch():
    seen = {}
    for lib in (torch, ember):
        names = []
        build(lib).apply(lambda mod: names.append(type(mod).__name__))
        seen[lib.__name__] = names
    assert seen["ember"] == seen["torch"]


@pytest.mark.parametrize("lib", LIBS)
def test_to_converts_in_place(lib):
    m = build(lib)
    w = m.inp.weight
    m(lib.ones(1, 3)).sum().backward()
    assert m.double() is m
    assert m.inp.weight is w and w.dtype == lib.float64 and w.grad.dtype == lib.float64 and w.requires_grad
    assert m.blocks[0].running.dtype == lib.float64 and m.blocks[0].count.dtype == lib.int64
    m.to(lib.float32)
    assert w.dtype == lib.float32
    m.to(lib.ones(1, dtype=lib.float64))
    assert w.dtype == lib.float64
    m.to("cpu", lib.float32)
    assert w.dtype == lib.float32
    m.to(device=lib.device("cpu"), dtype=lib.float64)
    assert w.dtype == lib.float64
    m.float()
    assert w.dtype == lib.float32 and m.blocks[1].count.dtype == lib.int64
    m.half()
    assert w.dtype == lib.float16
    assert m.cpu() is m and w.device.type == "cpu"
    assert m.out.weight is m.heads[1].weight  # tying survives conversion


def test_to_rejects_integer_dtypes_like_torch():
    msgs = [raised(lambda: lib.nn.Linear(1, 1).to(lib.int64)) for lib in (torch, ember)]
    assert msgs[0] == msgs[1]


def test_weight_tying_in_forward_backward_and_state_dict():
    e, t = build(ember), build(torch)
    load_from_torch(e, t)
    assert e.out.weight is e.heads[1].weight
    x = np.random.default_rng(1).standard_normal((4, 3)).astype(np.float32)
    e(ember.tensor(x)).pow(2).sum().backward()
    t(torch.tensor(x)).pow(2).sum().backward()
    for (ne, pe), (nt, pt) in zip(e.named_parameters(), t.named_parameters()):
        assert ne == nt
        np.testing.assert_allclose(pe.grad.numpy(), pt.grad.numpy(), rtol=1e-4, atol=1e-5)
    sd = e.state_dict(keep_vars=True)
    assert sd["out.weight"] is sd["heads.1.weight"]


def test_deepcopy_copies_parameters_and_keeps_sharing():
    m = build(ember)
    c = copy.deepcopy(m)
    assert [n for n, _ in c.named_parameters()] == [n for n, _ in m.named_parameters()]
    for p, q in zip(m.parameters(), c.parameters()):
        assert p is not q and type(q) is ember.nn.Parameter and q.requires_grad
        assert p.data_ptr() != q.data_ptr() and bool((p == q).all())
    assert c.out.weight is c.heads[1].weight and c.again is c.heads[0]
    x = ember.randn(2, 3)
    assert bool((c(x) == m(x)).all())
    with ember.no_grad():
        c.inp.weight.zero_()
    assert bool(m.inp.weight.abs().sum() > 0)


def test_dir_lists_registered_names():
    e, t = build(ember), build(torch)
    want = {"inp", "blocks", "heads", "again", "out"}
    assert want <= set(dir(e)) and want <= set(dir(t))
    assert {"running", "scale", "shift", "fc"} <= set(dir(e.blocks[0]))
    assert not any(k[0].isdigit() for k in dir(e.blocks))


def hook_trace(lib):
    """Forward pre-hooks and forward hooks on a two-level model: call order, input/output rewriting,
    removal through handles and the `with` form."""
    m = lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.Linear(2, 2))
    with lib.no_grad():
        for p in m.parameters():
            p.fill_(0.5)
    log = []
    h1 = m.register_forward_pre_hook(lambda mod, inp: log.append(("pre", type(mod).__name__, len(inp))))
    h2 = m[0].register_forward_pre_hook(lambda mod, inp: inp[0] * 2)  # single value: wrapped into a tuple
    h3 = m[1].register_forward_hook(lambda mod, inp, out: log.append(("fwd1", inp[0].tolist())))
    h4 = m[1].register_forward_hook(lambda mod, inp, out: out + 1)
    h5 = m.register_forward_hook(lambda mod, inp, out: log.append(("fwd", out.tolist())))
    x = lib.ones(1, 2)
    log.append(("result", m(x).tolist()))
    h2.remove()
    h4.remove()
    h4.remove()  # removing twice is harmless
    log.append(("result", m(x).tolist()))
    for h in (h1, h3):
        with h:
            pass
    log.append(("result", m(x).tolist()))
    h5.remove()
    log.append(("ids distinct", len({h1.id, h2.id, h3.id, h4.id, h5.id})))
    return log


def test_forward_hooks_are_torchs():
    assert hook_trace(ember) == hook_trace(torch)


@pytest.mark.parametrize("lib", LIBS)
def test_global_forward_hooks_run_before_the_modules_own(lib):
    from importlib import import_module
    mm = import_module(lib.__name__ + ".nn.modules.module")
    log = []
    m = lib.nn.Linear(1, 1)
    m.register_forward_hook(lambda *a: log.append("own"))
    g1 = mm.register_module_forward_pre_hook(lambda *a: log.append("global pre"))
    g2 = mm.register_module_forward_hook(lambda *a: log.append("global"))
    try:
        m(lib.ones(1, 1))
    finally:
        g1.remove()
        g2.remove()
    m(lib.ones(1, 1))
    assert log == ["global pre", "global", "own", "own"]


def backward_hook_run(lib, x_np, rewrite):
    """Full backward hooks on a module with two tensor inputs and a non-tensor one; returns what the
    hooks saw and the gradients that reached the inputs and parameters."""
    nn = lib.nn

    class Mix(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 3)

        def forward(self, a, k, b):
            return self.fc(a) * b * k, (a * b).sum()

    m = Mix()
    with lib.no_grad():
        m.fc.weight.copy_(lib.tensor(np.arange(9.0).reshape(3, 3) / 10, dtype=lib.float64))
        m.fc.bias.fill_(0.1)
    seen = []

    def hook(mod, grad_input, grad_output):
        seen.append(("inputs", [None if g is None else g.tolist() for g in grad_input]))
        seen.append(("outputs", [None if g is None else g.tolist() for g in grad_output]))
        if rewrite:
            return tuple(None if g is None else g * 10 for g in grad_input)
        return None

    def second(mod, grad_input, grad_output):
        seen.append(("second", [None if g is None else g.tolist() for g in grad_input]))

    m.double()
    m.register_full_backward_hook(hook)
    m.register_full_backward_hook(second)
    a = lib.tensor(x_np, dtype=lib.float64, requires_grad=True)
    b = lib.tensor(x_np[::-1].copy(), dtype=lib.float64, requires_grad=True)
    y, s = m(a, 3.0, b)
    (y.pow(2).sum() + s).backward()
    return seen, a.grad.tolist(), b.grad.tolist(), m.fc.weight.grad.tolist()


@pytest.mark.parametrize("rewrite", [False, True])
def test_full_backward_hooks_match_torch(rewrite):
    x = np.random.default_rng(2).standard_normal((2, 3))
    got, want = backward_hook_run(ember, x, rewrite), backward_hook_run(torch, x, rewrite)
    assert [k for k, _ in got[0]] == [k for k, _ in want[0]]
    for (_, ge), (_, gt) in zip(got[0], want[0]):
        assert [g is None for g in ge] == [g is None for g in gt]
        for a, b in zip(ge, gt):
            if a is not None:
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    for a, b in zip(got[1:], want[1:]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("lib", LIBS)
def test_backward_hook_when_no_input_requires_grad(lib):
    m = lib.nn.Linear(2, 1)
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append((gi, tuple(go[0].shape))))
    m(lib.ones(3, 2)).sum().backward()
    assert seen == [((None,), (3, 1))]
    m.register_full_backward_hook(lambda mod, gi, go: (lib.ones(3, 2),))
    with pytest.raises(RuntimeError, match="Backward hook for Modules where no input requires gradient should "
                                           "always return None or None for all gradients."):
        m(lib.ones(3, 2)).sum().backward()


@pytest.mark.parametrize("lib", LIBS)
def test_backward_hook_returning_the_wrong_count(lib):
    m = lib.nn.Linear(2, 1)
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="Backward hook returned an invalid number of grad_input, got 2, "
                                           "but expected 1"):
        m(lib.ones(3, 2, requires_grad=True)).sum().backward()


@pytest.mark.parametrize("lib", LIBS)
def test_backward_hook_handle_removes_it(lib):
    m = lib.nn.Linear(2, 1)
    calls = []
    h = m.register_full_backward_hook(lambda *a: calls.append(1))
    x = lib.ones(1, 2, requires_grad=True)
    m(x).sum().backward()
    h.remove()
    m(x).sum().backward()
    assert calls == [1]


def test_named_parameters_without_removing_duplicates():
    # torch 2.x's remove_duplicate=False (1.13 lacks it): every (module path, own parameter) pair, the
    # module tree walked with duplicates as torch 1.13's named_modules(remove_duplicate=False) walks it.
    t = build(torch)
    want = [(p + ("." if p else "") + k) for p, mod in t.named_modules(remove_duplicate=False)
            for k, v in mod._parameters.items() if v is not None]
    e = build(ember)
    got = [n for n, _ in e.named_parameters(remove_duplicate=False)]
    assert got == want and len(got) > len(list(e.parameters()))
    assert [n for n, _ in e.named_buffers(remove_duplicate=False)] == [
        (p + ("." if p else "") + k) for p, mod in t.named_modules(remove_duplicate=False)
        for k, v in mod._buffers.items() if v is not None]


def extra_state_run(lib):
    class WithState(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = lib.nn.Linear(1, 1)
            self.step = 0

        def get_extra_state(self):
            return {"step": self.step}

        def set_extra_state(self, state):
            self.step = state["step"]

    m = lib.nn.Sequential(WithState())
    m[0].step = 5
    sd = m.state_dict()
    out = [list(sd), sd["0._extra_state"]]
    fresh = lib.nn.Sequential(WithState())
    fresh.load_state_dict(sd)
    out.append(fresh[0].step)
    missing = {k: v for k, v in sd.items() if k != "0._extra_state"}
    out.append(normalize(load_error(lib, fresh, missing)))
    plain = lib.nn.Sequential(lib.nn.Linear(1, 1))
    out.append(normalize(load_error(lib, plain, sd)))
    # state_dict hooks may rewrite the result; load_state_dict post hooks see the incompatible keys
    seen = []
    plain._register_state_dict_hook(lambda mod, dest, prefix, meta: seen.append(("sd", prefix, list(dest))))
    plain[0].register_load_state_dict_post_hook(lambda mod, keys: seen.append(("post", list(keys.missing_keys))))
    plain.state_dict()
    plain.load_state_dict({"0.weight": lib.ones(1, 1)}, strict=False)
    out.append(seen)
    return out


def test_extra_state_and_state_dict_hooks_are_torchs():
    assert extra_state_run(ember) == extra_state_run(torch)
