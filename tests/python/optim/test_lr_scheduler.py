"""ember.optim.lr_scheduler side by side with torch.optim.lr_scheduler 1.13: every scheduler's learning
rates (and cycled momentum) over 30 steps, its state_dict (keys and values) and round trips of the
state_dict between the two frameworks, step(epoch), and error cases."""
import warnings

import numpy as np
import pytest
import torch

import ember


def make_optimizer(lib, name="SGD", **kwargs):
    """Two parameter groups with different learning rates."""
    p1 = lib.zeros(2, requires_grad=True)
    p2 = lib.zeros(3, requires_grad=True)
    groups = [{"params": [p1]}, {"params": [p2], "lr": 0.01}]
    defaults = dict(lr=0.1, momentum=0.9) if name == "SGD" else dict(lr=0.1)
    defaults.update(kwargs)
    return getattr(lib.optim, name)(groups, **defaults)


# name -> (optimizer name, scheduler factory(lib, optimizer)).
SCHEDULERS = {
    "LambdaLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.LambdaLR(o, lambda e: 0.95 ** e)),
    "LambdaLR-per-group": ("SGD", lambda lib, o: lib.optim.lr_scheduler.LambdaLR(
        o, [lambda e: 1.0 / (e + 1), lambda e: 0.5 if e % 3 else 1])),
    "MultiplicativeLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.MultiplicativeLR(o, lambda e: 0.9)),
    "StepLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.StepLR(o, step_size=4, gamma=0.5)),
    "MultiStepLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.MultiStepLR(o, [3, 7, 7, 20], gamma=0.3)),
    "ConstantLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.ConstantLR(o, factor=0.25, total_iters=6)),
    "LinearLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.LinearLR(o, start_factor=0.2, end_factor=0.9,
                                                                      total_iters=12)),
    "ExponentialLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.87)),
    "CosineAnnealingLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001)),
    "CosineAnnealingWarmRestarts": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.0005)),
    "CyclicLR-triangular": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=[0.1, 0.05], step_size_up=4)),
    "CyclicLR-triangular2": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2")),
    "CyclicLR-exp_range": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.97, cycle_momentum=False)),
    "CyclicLR-scale_fn": ("SGD", lambda lib, o: lib.optim.lr_scheduler.CyclicLR(
        o, 0.01, 0.1, step_size_up=2, scale_fn=lambda x: 1 / (1.0 + x), scale_mode="iterations",
        base_momentum=0.7, max_momentum=0.95)),
    "OneCycleLR-cos": ("SGD", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=31)),
    "OneCycleLR-linear-three-phase": ("Adam", lambda lib, o: lib.optim.lr_scheduler.OneCycleLR(
        o, max_lr=0.3, epochs=4, steps_per_epoch=8, anneal_strategy="linear", three_phase=True, pct_start=0.4)),
    "PolynomialLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.PolynomialLR(o, total_iters=20, power=2.0)),
    "SequentialLR": ("SGD", lambda lib, o: lib.optim.lr_scheduler.SequentialLR(
        o, [lib.optim.lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=5),
            lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9),
            lib.optim.lr_scheduler.StepLR(o, step_size=3)], milestones=[5, 12])),
    "ChainedScheduler": ("SGD", lambda lib, o: lib.optim.lr_scheduler.ChainedScheduler(
        [lib.optim.lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4),
         lib.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)])),
}


def make(lib, name):
    opt_name, factory = SCHEDULERS[name]
    opt = make_optimizer(lib, opt_name)
    return opt, factory(lib, opt)


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def step(opt, sched):
    opt.step()
    sched.step()


def assert_same(t, e, t_sched, e_sched, where):
    np.testing.assert_allclose(e_sched.get_last_lr(), t_sched.get_last_lr(), rtol=1e-13, atol=0, err_msg=where)
    np.testing.assert_allclose([g["lr"] for g in e.param_groups], [g["lr"] for g in t.param_groups], rtol=1e-13,
                               atol=0, err_msg=where)
    np.testing.assert_allclose(momenta(e), momenta(t), rtol=1e-13, atol=0, err_msg=where)
    if hasattr(t_sched, "last_epoch"):  # not on PyTorch's ChainedScheduler
        assert e_sched.last_epoch == t_sched.last_epoch


@pytest.fixture(autouse=True)
def quiet():
    # PyTorch warns about a scheduler stepped before its optimizer (not here) and about step(epoch).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence_matches_torch(name):
    (t, ts), (e, es) = make(torch, name), make(ember, name)
    assert_same(t, e, ts, es, "construction")
    if hasattr(ts, "base_lrs"):  # not on PyTorch's SequentialLR and ChainedScheduler
        assert es.base_lrs == ts.base_lrs
    for i in range(30):
        step(t, ts)
        step(e, es)
        assert_same(t, e, ts, es, f"step {i}")


def torch_to_ember(value):
    if isinstance(value, dict):
        return {k: torch_to_ember(v) for k, v in value.items()}
    if isinstance(value, list):
        return [torch_to_ember(v) for v in value]
    return value


def common_keys_equal(e_sd, t_sd):
    """The entries both hold are equal; ember holds every key PyTorch's own scheduler attributes have, except
    the functions PyTorch saves (anneal_func, scale_fn) and OneCycleLR's derived phase table."""
    skip = {"anneal_func", "_schedule_phases", "scale_fn", "_scale_fn_ref", "_scale_fn_custom"}
    assert set(t_sd) - skip <= set(e_sd), set(t_sd) - set(e_sd)
    for k in set(t_sd) - skip:
        if k == "_schedulers":
            for a, b in zip(e_sd[k], t_sd[k]):
                common_keys_equal(a, b)
        elif isinstance(t_sd[k], float) or (isinstance(t_sd[k], list) and t_sd[k] and isinstance(t_sd[k][0], float)):
            np.testing.assert_allclose(e_sd[k], t_sd[k], rtol=1e-13, err_msg=k)
        else:
            assert e_sd[k] == t_sd[k], k


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_state_dict_round_trips(name):
    (t, ts), (e, es) = make(torch, name), make(ember, name)
    for _ in range(11):
        step(t, ts)
        step(e, es)
    e_sd, t_sd = es.state_dict(), ts.state_dict()
    common_keys_equal(e_sd, t_sd)

    # ember -> ember and torch -> ember: a fresh scheduler (on an optimizer with the same groups) loads the
    # state and continues as torch continues.
    (e2, es2), (e3, es3) = make(ember, name), make(ember, name)
    for opt, sched, sd in ((e2, es2, e_sd), (e3, es3, torch_to_ember(t_sd))):
        sched.load_state_dict(sd)
        opt.load_state_dict(e.state_dict())
    # ember -> torch, where torch's own state_dict holds no functions to restore.
    t2, ts2 = make(torch, name)
    torch_loadable = name not in ("CyclicLR-scale_fn",) and not name.startswith("OneCycleLR")
    if torch_loadable:
        ts2.load_state_dict({**ts2.state_dict(), **{k: v for k, v in e_sd.items() if k != "_schedulers"}})
        t2.load_state_dict(t.state_dict())
    for i in range(15):
        step(t, ts)
        for opt, sched in ((e2, es2), (e3, es3)):
            step(opt, sched)
            assert_same(t, opt, ts, sched, f"step {i} after load")
        if torch_loadable and name not in ("SequentialLR", "ChainedScheduler"):
            step(t2, ts2)
            assert_same(t, t2, ts, ts2, f"torch step {i} after loading ember's state")


def test_lambda_state_dict_saves_callable_objects_like_torch():
    class Decay:
        def __init__(self):
            self.rate = 0.9

        def __call__(self, epoch):
            return self.rate ** epoch

    fns = {lib: [Decay(), lambda e: 1.0] for lib in (torch, ember)}
    scheds = {lib: lib.optim.lr_scheduler.LambdaLR(make_optimizer(lib), fns[lib]) for lib in fns}
    assert scheds[ember].state_dict()["lr_lambdas"] == scheds[torch].state_dict()["lr_lambdas"] == [
        {"rate": 0.9}, None]
    sd = scheds[ember].state_dict()
    sd["lr_lambdas"][0]["rate"] = 0.5
    scheds[ember].load_state_dict(sd)
    assert fns[ember][0].rate == 0.5


def test_multistep_state_dict_keeps_a_counter():
    sd = ember.optim.lr_scheduler.MultiStepLR(make_optimizer(ember), [2, 5, 5]).state_dict()
    assert sd["milestones"] == torch.optim.lr_scheduler.MultiStepLR(make_optimizer(torch), [2, 5, 5]).state_dict()[
        "milestones"]


@pytest.mark.parametrize("name,kwargs", [
    ("StepLR", dict(step_size=3, gamma=0.5)), ("MultiStepLR", dict(milestones=[2, 6], gamma=0.5)),
    ("ExponentialLR", dict(gamma=0.9)), ("CosineAnnealingLR", dict(T_max=6)),
    ("LinearLR", dict(start_factor=0.5, total_iters=4)), ("ConstantLR", dict(factor=0.5, total_iters=4)),
    ("PolynomialLR", dict(total_iters=8, power=0.5))])
def test_step_with_epoch_uses_the_closed_form(name, kwargs):
    opts = {lib: make_optimizer(lib) for lib in (torch, ember)}
    scheds = {lib: getattr(lib.optim.lr_scheduler, name)(opts[lib], **kwargs) for lib in opts}
    for epoch in [3, 1, 7, 4, 10]:
        for s in scheds.values():
            s.step(epoch)
        assert_same(opts[torch], opts[ember], scheds[torch], scheds[ember], f"epoch {epoch}")
    with pytest.warns(UserWarning, match="epoch parameter"):
        warnings.simplefilter("always")
        scheds[ember].step(2)


def test_cosine_warm_restarts_fractional_epochs():
    opts = {lib: make_optimizer(lib) for lib in (torch, ember)}
    scheds = {lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opts[lib], T_0=2, T_mult=3) for lib in opts}
    for epoch in [0.25, 0.5, 1.75, 2.0, 5.5, 9.0, 3.3]:
        for s in scheds.values():
            s.step(epoch)
        assert_same(opts[torch], opts[ember], scheds[torch], scheds[ember], f"epoch {epoch}")


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="max", factor=0.5, patience=2, threshold_mode="abs",
                                                 threshold=0.05, cooldown=2, min_lr=[0.02, 0.001]),
                                    dict(patience=0, min_lr=0.005, eps=0.01)])
def test_reduce_lr_on_plateau(kwargs):
    opts = {lib: make_optimizer(lib) for lib in (torch, ember)}
    scheds = {lib: lib.optim.lr_scheduler.ReduceLROnPlateau(opts[lib], **kwargs) for lib in opts}
    metrics = [1.0, 0.9, 0.95, 0.95, 0.96, 0.89, 0.9, 0.9, 0.9, 0.91, 0.92, 0.7] * 3
    for i, m in enumerate(metrics):
        for lib, s in scheds.items():
            s.step(lib.tensor(m) if i % 2 else m)
        t, e = scheds[torch], scheds[ember]
        assert [g["lr"] for g in opts[ember].param_groups] == pytest.approx(
            [g["lr"] for g in opts[torch].param_groups], rel=1e-13)
        assert (e.best, e.num_bad_epochs, e.last_epoch, e.in_cooldown) == (
            t.best, t.num_bad_epochs, t.last_epoch, t.in_cooldown)
    e_sd, t_sd = scheds[ember].state_dict(), scheds[torch].state_dict()
    assert set(e_sd) == set(t_sd)
    common_keys_equal(e_sd, t_sd)
    fresh = ember.optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(ember), **kwargs)
    fresh.load_state_dict(t_sd)
    assert fresh.state_dict() == e_sd


def errors(make):
    out = []
    for lib in (torch, ember):
        with pytest.raises(Exception) as info:
            make(lib)
        out.append((info.type.__name__, str(info.value)))
    return out


@pytest.mark.parametrize("make", [
    lambda lib: lib.optim.lr_scheduler.StepLR(object(), 3),
    lambda lib: lib.optim.lr_scheduler.StepLR(make_optimizer(lib), 3, last_epoch=4),
    lambda lib: lib.optim.lr_scheduler.LambdaLR(make_optimizer(lib), [lambda e: 1.0]),
    lambda lib: lib.optim.lr_scheduler.ConstantLR(make_optimizer(lib), factor=1.5),
    lambda lib: lib.optim.lr_scheduler.LinearLR(make_optimizer(lib), start_factor=-0.5),
    lambda lib: lib.optim.lr_scheduler.LinearLR(make_optimizer(lib), end_factor=2.0),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(make_optimizer(lib), T_0=0),
    lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(make_optimizer(lib), T_0=2, T_mult=0),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(make_optimizer(lib), 0.01, 0.1, mode="nope"),
    lambda lib: lib.optim.lr_scheduler.CyclicLR(make_optimizer(lib, "Adagrad"), 0.01, 0.1),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1, total_steps=-2),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1, epochs=0, steps_per_epoch=3),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1, total_steps=10, pct_start=1.5),
    lambda lib: lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1, total_steps=10, anneal_strategy="x"),
    lambda lib: [s.step() for s in [lib.optim.lr_scheduler.OneCycleLR(make_optimizer(lib), 0.1, total_steps=3)]
                 for _ in range(4)],
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(lib), factor=1.0),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(lib), mode="median"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(lib), threshold_mode="x"),
    lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(make_optimizer(lib), min_lr=[0.1]),
    lambda lib: [lib.optim.lr_scheduler.SequentialLR(o, [lib.optim.lr_scheduler.StepLR(o, 2)], [3])
                 for o in [make_optimizer(lib)]],
    lambda lib: lib.optim.lr_scheduler.SequentialLR(make_optimizer(lib), [lib.optim.lr_scheduler.StepLR(
        make_optimizer(lib), 2), lib.optim.lr_scheduler.StepLR(make_optimizer(lib), 2)], [3]),
], ids=lambda f: "")
def test_errors_match_torch(make):
    t, e = errors(make)
    assert e == t


def test_verbose_prints_like_torch(capsys):
    out = {}
    for lib in (torch, ember):
        opt = make_optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 2, verbose=True)
        for _ in range(3):
            opt.step()
            sched.step()
        plateau = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0, verbose=True)
        for m in (1.0, 2.0, 3.0):
            plateau.step(m)
        out[lib] = capsys.readouterr().out
    assert out[ember] == out[torch] and "group 1" in out[ember] and "reducing" in out[ember]


def test_last_epoch_can_be_set_like_torch():
    opts = {lib: make_optimizer(lib) for lib in (torch, ember)}
    scheds = {lib: lib.optim.lr_scheduler.StepLR(opts[lib], 3, gamma=0.5) for lib in opts}
    for s in scheds.values():
        s.last_epoch = 5
    for i in range(5):
        for lib, s in scheds.items():
            s.step()
        assert_same(opts[torch], opts[ember], scheds[torch], scheds[ember], f"step {i}")
