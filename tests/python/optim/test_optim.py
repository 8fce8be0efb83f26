"""ember.optim side by side with torch.optim 1.13: the same parameters (from NumPy), the same loss computed in
each framework (so the same gradient sequence), the same optimizer settings; after every step the
parameters agree within the dtype's tolerance. Also param_groups (reads, writes, add_param_group),
zero_grad, closures, state and state_dict in PyTorch's layout moving between the two, and error cases."""
import importlib

import numpy as np
import pytest
import torch

import ember

RNG = np.random.default_rng(0)
W0 = RNG.standard_normal((3, 4))
B0 = RNG.standard_normal(3)
X = RNG.standard_normal((8, 4))
Y = RNG.standard_normal((8, 3))
TOL = {np.float64: dict(rtol=1e-10, atol=1e-12), np.float32: dict(rtol=2e-5, atol=2e-6)}


class Side:
    """One framework's model: a tanh regression, loss = mean((tanh(X W^T + b) - Y)^2)."""

    def __init__(self, lib, dtype, w0=W0, b0=B0):
        self.lib = lib
        make = torch.tensor if lib is torch else ember.tensor
        self.w = make(w0.astype(dtype), requires_grad=True)
        self.b = make(b0.astype(dtype), requires_grad=True)
        self.x = make(X.astype(dtype))
        self.y = make(Y.astype(dtype))
        self.optim = torch.optim if lib is torch else ember.optim

    def loss(self):
        out = self.lib.tanh(self.lib.matmul(self.x, self.w.t()) + self.b)
        return ((out - self.y) ** 2).mean()

    def backward(self, opt):
        opt.zero_grad()
        loss = self.loss()
        loss.backward()
        return loss

    def params(self):
        return [p.detach().numpy().copy() for p in (self.w, self.b)]


def make_pair(name, kwargs, dtype=np.float64, groups=None):
    sides = [Side(torch, dtype), Side(ember, dtype)]
    opts = []
    for s in sides:
        params = [s.w, s.b] if groups is None else [dict(g, params=[getattr(s, n) for n in g["params"]])
                                                     for g in groups]
        opts.append(getattr(s.optim, name)(params, **kwargs))
    return sides, opts


def assert_close(sides, dtype, step=None):
    for a, b in zip(sides[0].params(), sides[1].params()):
        np.testing.assert_allclose(b, a, err_msg=f"step {step}", **TOL[dtype])


def run(sides, opts, dtype, steps, start=0):
    for i in range(start, start + steps):
        for s, o in zip(sides, opts):
            s.backward(o)
            o.step()
        assert_close(sides, dtype, i)


CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.02, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, maximize=True, eps=1e-6)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.02, amsgrad=True, weight_decay=0.1, maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, weight_decay=0.05, maximize=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, weight_decay=0.05, momentum_decay=0.01)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, weight_decay=0.05, betas=(0.85, 0.95))),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.005, centered=True, momentum=0.9, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.005, alpha=0.9, momentum=0.5, maximize=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.05, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.01, maximize=True)),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name,kwargs", CONFIGS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_trajectory_matches_torch(name, kwargs, dtype):
    sides, opts = make_pair(name, kwargs, dtype)
    run(sides, opts, dtype, 50)


# Few inner iterations: with many, this small problem reaches its flat valley, where a line search turns
# last-bit differences of the dot products into visible ones.
@pytest.mark.parametrize("kwargs", [dict(lr=0.5, max_iter=5, history_size=4), dict(lr=0.1, max_iter=10),
                                    dict(max_iter=5, history_size=4, line_search_fn="strong_wolfe")])
def test_lbfgs_with_closure(kwargs):
    sides, opts = make_pair("LBFGS", kwargs)
    for i in range(5):
        losses = []
        for s, o in zip(sides, opts):
            losses.append(float(o.step(lambda s=s, o=o: s.backward(o))))
        assert losses[1] == pytest.approx(losses[0], rel=1e-10)
        assert_close(sides, np.float64, i)
    state = opts[1].state_dict()["state"][0]
    assert {"func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad",
            "prev_loss"} <= set(state)


def test_step_returns_the_closure_loss():
    sides, opts = make_pair("SGD", dict(lr=0.1))
    seen = []

    def closure():
        loss = sides[1].backward(opts[1])
        seen.append(loss)
        assert ember.is_grad_enabled()
        return loss

    with ember.no_grad():
        out = opts[1].step(closure)
    assert out is seen[0]
    sides[0].backward(opts[0])
    opts[0].step()
    assert_close(sides, np.float64)


def test_param_groups_are_dicts_users_write():
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9))
    run(sides, opts, np.float64, 10)
    for o in opts:
        for g in o.param_groups:
            g["lr"] = 0.01
            g["momentum"] = 0.5
    run(sides, opts, np.float64, 10, start=10)
    g = opts[1].param_groups[0]
    assert g["params"][0] is sides[1].w and g["params"][1] is sides[1].b
    expected = dict(opts[0].param_groups[0])
    del expected["params"]
    assert {k: v for k, v in g.items() if k != "params"} == expected
    assert list(g)[0] == "params" and set(g) == set(opts[0].param_groups[0])
    assert opts[1].defaults == opts[0].defaults


def test_per_group_options():
    groups = [dict(params=["w"]), dict(params=["b"], lr=0.001, betas=(0.5, 0.9), amsgrad=True)]
    sides, opts = make_pair("Adam", dict(lr=0.01), groups=groups)
    run(sides, opts, np.float64, 20)
    assert opts[1].param_groups[1]["betas"] == (0.5, 0.9)


def test_add_param_group():
    groups = [dict(params=["w"])]
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9), groups=groups)
    run(sides, opts, np.float64, 5)
    for s, o in zip(sides, opts):
        o.add_param_group({"params": s.b, "lr": 0.02, "nesterov": True})
    run(sides, opts, np.float64, 10, start=5)
    assert opts[1].param_groups[1]["params"] == [sides[1].b]
    assert opts[1].param_groups[1]["nesterov"] is True and opts[1].param_groups[1]["dampening"] == 0


def test_params_list_edited_in_place():
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9), groups=[dict(params=["w"])])
    run(sides, opts, np.float64, 3)
    for s, o in zip(sides, opts):
        o.param_groups[0]["params"].append(s.b)
    run(sides, opts, np.float64, 5, start=3)
    for s, o in zip(sides, opts):
        o.param_groups[0]["params"] = [s.b]
    run(sides, opts, np.float64, 3, start=8)


def test_lbfgs_state_dict_moves_between_frameworks():
    kwargs = dict(lr=0.5, max_iter=4, history_size=3)
    sides, opts = make_pair("LBFGS", kwargs)
    for s, o in zip(sides, opts):
        for _ in range(2):
            o.step(lambda s=s, o=o: s.backward(o))
    assert_close(sides, np.float64)
    fresh_e = Side(ember, np.float64, *sides[0].params())
    opt_e = ember.optim.LBFGS([fresh_e.w, fresh_e.b], **kwargs)
    opt_e.load_state_dict(to_ember(opts[0].state_dict()))
    fresh_t = Side(torch, np.float64, *sides[1].params())
    opt_t = torch.optim.LBFGS([fresh_t.w, fresh_t.b], **kwargs)
    opt_t.load_state_dict(to_torch(opts[1].state_dict()))
    for a, b in ((sides[0], fresh_e), (fresh_t, sides[1])):
        oa, ob = (opts[0], opt_e) if a is sides[0] else (opt_t, opts[1])
        for i in range(2):
            oa.step(lambda: a.backward(oa))
            ob.step(lambda: b.backward(ob))
            assert_close([a, b], np.float64, i)


def test_zero_grad_default_keeps_zeros_like_torch_1_13():
    sides, opts = make_pair("SGD", dict(lr=0.1))
    for s, o in zip(sides, opts):
        s.loss().backward()
        o.zero_grad()
    assert np.array_equal(sides[1].w.grad.numpy(), sides[0].w.grad.numpy())
    assert not sides[1].w.grad.numpy().any()
    opts[1].zero_grad(set_to_none=True)
    assert sides[1].w.grad is None and sides[1].b.grad is None


def test_parameters_without_grad_are_skipped():
    sides, opts = make_pair("Adam", dict(lr=0.1))
    for s, o in zip(sides, opts):
        o.zero_grad(set_to_none=True)
        s.loss().backward()
        s.b.grad = None
        o.step()
    assert_close(sides, np.float64)
    assert sides[1].w in opts[1].state and sides[1].b not in opts[1].state
    assert len(opts[1].state) == len(opts[0].state) == 1


def to_torch(value):
    if isinstance(value, ember.Tensor):
        return torch.from_numpy(value.numpy().copy())
    if isinstance(value, dict):
        return {k: to_torch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_torch(v) for v in value]
    return value


def to_ember(value):
    if isinstance(value, torch.Tensor):
        return ember.from_numpy(value.numpy().copy())
    if isinstance(value, dict):
        return {k: to_ember(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_ember(v) for v in value]
    return value


def assert_same_state_dict(e, t):
    assert set(e) == {"state", "param_groups"}
    assert e["param_groups"] == t["param_groups"]
    assert set(e["state"]) == set(t["state"])
    for i, st in t["state"].items():
        assert set(e["state"][i]) == set(st), i
        for k, v in st.items():
            ev = e["state"][i][k]
            if isinstance(v, torch.Tensor):
                assert ev.dtype == getattr(ember, str(v.dtype).split(".")[1]) and tuple(ev.shape) == tuple(v.shape), k
                np.testing.assert_allclose(ev.numpy(), v.numpy(), rtol=1e-10, atol=1e-12)
            else:
                assert ev == v, k


STATEFUL = [("SGD", dict(lr=0.05, momentum=0.9)), ("SGD", dict(lr=0.1)), ("Adam", dict(amsgrad=True)),
            ("AdamW", dict()), ("Adamax", dict()), ("NAdam", dict()), ("RAdam", dict()),
            ("RMSprop", dict(centered=True, momentum=0.9)), ("Adagrad", dict()), ("Adadelta", dict())]


@pytest.mark.parametrize("name,kwargs", STATEFUL, ids=[n for n, _ in STATEFUL])
def test_state_dict_layout_and_round_trips(name, kwargs):
    sides, opts = make_pair(name, kwargs)
    run(sides, opts, np.float64, 10)
    e_sd, t_sd = opts[1].state_dict(), opts[0].state_dict()
    assert_same_state_dict(e_sd, t_sd)
    assert opts[1].state[sides[1].w].keys() == opts[0].state[sides[0].w].keys()

    # ember -> torch: a fresh torch optimizer continues from ember's state as torch itself would.
    fresh_t = Side(torch, np.float64, *sides[1].params())
    opt_t = getattr(torch.optim, name)([fresh_t.w, fresh_t.b], **kwargs)
    opt_t.load_state_dict(to_torch(e_sd))
    # torch -> ember: a fresh ember optimizer continues from torch's state.
    fresh_e = Side(ember, np.float64, *sides[0].params())
    opt_e = getattr(ember.optim, name)([fresh_e.w, fresh_e.b], **kwargs)
    opt_e.load_state_dict(to_ember(t_sd))
    run([sides[0], fresh_e], [opts[0], opt_e], np.float64, 10, start=10)
    run([fresh_t, sides[1]], [opt_t, opts[1]], np.float64, 10, start=10)


def test_load_state_dict_restores_options_and_scheduler_keys():
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9))
    run(sides, opts, np.float64, 3)
    sd = opts[0].state_dict()
    sd["param_groups"][0]["lr"] = 0.01
    sd["param_groups"][0]["initial_lr"] = 0.1
    for o in opts:
        o.load_state_dict(to_ember(sd) if o is opts[1] else sd)
    assert opts[1].param_groups[0]["lr"] == 0.01 and opts[1].param_groups[0]["initial_lr"] == 0.1
    run(sides, opts, np.float64, 5, start=3)


def test_state_is_shared_with_the_optimizer():
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9))
    run(sides, opts, np.float64, 2)
    for s, o in zip(sides, opts):
        o.state[s.w]["momentum_buffer"].mul_(0.5)
    run(sides, opts, np.float64, 3, start=2)
    opts[1].state[sides[1].w]["momentum_buffer"] = ember.zeros(3, 4, dtype=ember.float64)
    with torch.no_grad():
        opts[0].state[sides[0].w]["momentum_buffer"] = torch.zeros(3, 4, dtype=torch.float64)
    run(sides, opts, np.float64, 3, start=5)


def test_repr_matches_torch():
    # Numeric options given as floats: ember holds them as floats, where PyTorch keeps an int as given.
    sides, opts = make_pair("Adam", dict(lr=0.01, weight_decay=0.0))
    assert repr(opts[1]) == repr(opts[0])
    sides, opts = make_pair("SGD", dict(lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.0))
    assert repr(opts[1]) == repr(opts[0])


def errors(make):
    """The exception type and message each framework raises."""
    out = []
    for lib in (torch, ember):
        with pytest.raises(Exception) as info:
            make(lib)
        out.append((info.type.__name__, str(info.value).replace("torch.", "ember.")))
    return out


def leaf(lib):
    return lib.zeros(2, requires_grad=True)


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.SGD([leaf(lib)], lr=-0.5),
    lambda lib: lib.optim.SGD([leaf(lib)], lr=0.1, momentum=-0.5),
    lambda lib: lib.optim.SGD([leaf(lib)], lr=0.1, weight_decay=-1.5),
    lambda lib: lib.optim.SGD([leaf(lib)], lr=0.1, nesterov=True),
    lambda lib: lib.optim.SGD([leaf(lib)]),
    lambda lib: lib.optim.Adam([leaf(lib)], lr=-0.001),
    lambda lib: lib.optim.Adam([leaf(lib)], eps=-1e-8),
    lambda lib: lib.optim.Adam([leaf(lib)], betas=(1.0, 0.999)),
    lambda lib: lib.optim.AdamW([leaf(lib)], betas=(0.9, -0.5)),
    lambda lib: lib.optim.RMSprop([leaf(lib)], alpha=-0.5),
    lambda lib: lib.optim.Adagrad([leaf(lib)], lr_decay=-0.5),
    lambda lib: lib.optim.Adadelta([leaf(lib)], rho=1.5),
    lambda lib: lib.optim.NAdam([leaf(lib)], momentum_decay=-0.5),
    lambda lib: lib.optim.Adam([]),
    lambda lib: lib.optim.Adam(leaf(lib)),
    lambda lib: lib.optim.Adam([leaf(lib), 3]),
    lambda lib: lib.optim.Adam([leaf(lib) * 2]),
    lambda lib: lib.optim.Adam([{"params": {leaf(lib)}}]),
    lambda lib: [lib.optim.Adam([{"params": [p]}, {"params": [p]}]) for p in [leaf(lib)]],
    lambda lib: lib.optim.LBFGS([{"params": [leaf(lib)]}, {"params": [leaf(lib)]}]),
], ids=lambda f: "")
def test_errors_match_torch(make):
    t, e = errors(make)
    assert e == t


def test_add_param_group_errors_match_torch():
    def make(lib):
        p = leaf(lib)
        lib.optim.SGD([p], lr=0.1).add_param_group({"params": [p]})
    t, e = errors(make)
    assert e == t


def custom_optimizer(lib):
    """A heavy-ball optimizer written against the optimizer API, the same code for both frameworks."""

    required = importlib.import_module(lib.__name__ + ".optim.optimizer").required

    class HeavyBall(lib.optim.Optimizer):
        def __init__(self, params, lr=required, beta=0.5):
            super().__init__(params, dict(lr=lr, beta=beta))

        def step(self, closure=None):
            loss = closure() if closure is not None else None
            with lib.no_grad():
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        if len(state) == 0:
                            state["step"] = 0
                            state["velocity"] = lib.zeros_like(p)
                        state["step"] += 1
                        state["velocity"].mul_(group["beta"]).add_(p.grad)
                        p.add_(state["velocity"], alpha=-group["lr"] / state["step"] ** 0.5)
            return loss

    return HeavyBall


def test_optimizer_subclass_written_in_python():
    sides = [Side(torch, np.float64), Side(ember, np.float64)]
    opts = [custom_optimizer(s.lib)([{"params": [s.w]}, {"params": [s.b], "beta": 0.9}], lr=0.1) for s in sides]
    run(sides, opts, np.float64, 20)
    assert_same_state_dict(opts[1].state_dict(), opts[0].state_dict())
    assert repr(opts[1]).startswith("HeavyBall (")
    for lib in (torch, ember):
        with pytest.raises(ValueError, match="required optimization parameter lr"):
            custom_optimizer(lib)([lib.zeros(1, requires_grad=True)])
        with pytest.raises(NotImplementedError):
            lib.optim.Optimizer([lib.zeros(1, requires_grad=True)], {}).step(None)
