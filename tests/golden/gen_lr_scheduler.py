"""Golden learning-rate sequences of torch.optim.lr_scheduler for tests/cpp/test_lr_scheduler.cpp.

Each scheduler runs STEPS steps over an optimizer with two parameter groups (lr 0.1 and 0.05). Saved per
configuration: "<name>/lr" [STEPS + 1, 2], the groups' lr after construction and after each step;
"<name>/last_lr" get_last_lr() at the same points; "<name>/momentum" the groups' momentum (or betas[0])
where a scheduler cycles it; "<name>/sd/<key>" the numeric entries of scheduler.state_dict() after
SD_AT steps (bools as 0/1, lists 1-d; children of SequentialLR/ChainedScheduler under
"<name>/sd/_schedulers/<i>/<key>"); "<name>/metrics" the values fed to ReduceLROnPlateau.
"""
import math

import torch
from torch.optim import lr_scheduler as S

from golden import save

STEPS = 30
SD_AT = 10
METRICS = [1.0 / (1 + 0.3 * i) + 0.05 * math.sin(1.7 * i) + (0.2 if i > 18 else 0.0) for i in range(STEPS)]


def optimizer(kind="sgd"):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    groups = [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.05}]
    if kind == "adam":
        return torch.optim.Adam(groups, lr=0.1)
    return torch.optim.SGD(groups, lr=0.1, momentum=0.9)


def build(name, opt):
    return {
        "lambda": lambda: S.LambdaLR(opt, lambda e: 0.95 ** e),
        "lambda_per_group": lambda: S.LambdaLR(opt, [lambda e: 0.9 ** e, lambda e: 1.0 / (e + 1)]),
        "multiplicative": lambda: S.MultiplicativeLR(opt, lambda e: 0.9),
        "step": lambda: S.StepLR(opt, step_size=7, gamma=0.5),
        "multistep": lambda: S.MultiStepLR(opt, milestones=[3, 8, 8, 20], gamma=0.3),
        "constant": lambda: S.ConstantLR(opt, factor=0.25, total_iters=6),
        "linear": lambda: S.LinearLR(opt, start_factor=0.2, end_factor=0.9, total_iters=12),
        "exponential": lambda: S.ExponentialLR(opt, gamma=0.9),
        "polynomial": lambda: S.PolynomialLR(opt, total_iters=20, power=2.0),
        "cosine": lambda: S.CosineAnnealingLR(opt, T_max=10, eta_min=0.001),
        "warm_restarts": lambda: S.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=0.01),
        "cyclic_triangular": lambda: S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=4),
        "cyclic_triangular2": lambda: S.CyclicLR(opt, base_lr=[0.01, 0.02], max_lr=[0.1, 0.2], step_size_up=3,
                                                 step_size_down=5, mode="triangular2", base_momentum=0.7,
                                                 max_momentum=[0.9, 0.95]),
        "cyclic_exp_range": lambda: S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range",
                                               gamma=0.9, cycle_momentum=False),
        "onecycle_cos": lambda: S.OneCycleLR(opt, max_lr=0.5, total_steps=STEPS + 1),
        "onecycle_linear_three_phase": lambda: S.OneCycleLR(opt, max_lr=[0.5, 0.3], total_steps=STEPS + 1,
                                                            anneal_strategy="linear", three_phase=True,
                                                            pct_start=0.25),
        "sequential": lambda: S.SequentialLR(opt, [S.ConstantLR(opt, factor=0.1, total_iters=2),
                                                   S.ExponentialLR(opt, gamma=0.9)], milestones=[5]),
        "sequential3": lambda: S.SequentialLR(opt, [S.LinearLR(opt, start_factor=0.5, total_iters=4),
                                                    S.StepLR(opt, step_size=3, gamma=0.5),
                                                    S.CosineAnnealingLR(opt, T_max=8)], milestones=[5, 15]),
        "chained": lambda: S.ChainedScheduler([S.ConstantLR(opt, factor=0.1, total_iters=2),
                                               S.ExponentialLR(opt, gamma=0.9)]),
        "plateau_min": lambda: S.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=0.01,
                                                   cooldown=1, min_lr=[0.01, 0.02]),
        "plateau_max_abs": lambda: S.ReduceLROnPlateau(opt, mode="max", factor=0.3, patience=1, threshold=0.1,
                                                       threshold_mode="abs", eps=1e-3),
    }[name]()


NAMES = ["lambda", "lambda_per_group", "multiplicative", "step", "multistep", "constant", "linear", "exponential",
         "polynomial", "cosine", "warm_restarts", "cyclic_triangular", "cyclic_triangular2", "cyclic_exp_range",
         "onecycle_cos", "onecycle_linear_three_phase", "sequential", "sequential3", "chained", "plateau_min",
         "plateau_max_abs"]
ADAM = {"onecycle_linear_three_phase"}
MOMENTUM = {"cyclic_triangular", "cyclic_triangular2", "onecycle_cos", "onecycle_linear_three_phase"}


def encode_sd(out, prefix, sd):
    for key, v in sd.items():
        if key == "_schedulers":
            for i, child in enumerate(v):
                encode_sd(out, f"{prefix}/_schedulers/{i}", child)
        elif isinstance(v, bool) or isinstance(v, (int, float)):
            out[f"{prefix}/{key}"] = float(v)
        elif isinstance(v, (list, tuple)) and all(isinstance(e, (int, float)) for e in v) and v:
            out[f"{prefix}/{key}"] = torch.tensor([float(e) for e in v], dtype=torch.float64)


out = {"metrics": torch.tensor(METRICS, dtype=torch.float64)}
for name in NAMES:
    opt = optimizer("adam" if name in ADAM else "sgd")
    sched = build(name, opt)
    lrs, last, moms = [], [], []

    def record():
        lrs.append([g["lr"] for g in opt.param_groups])
        last.append(list(sched._last_lr) if hasattr(sched, "_last_lr") else [g["lr"] for g in opt.param_groups])
        moms.append([g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups])
    record()
    for i in range(STEPS):
        opt.step()
        if name.startswith("plateau"):
            sched.step(METRICS[i])
        else:
            sched.step()
        record()
        if i + 1 == SD_AT:
            encode_sd(out, f"{name}/sd", sched.state_dict())
    out[f"{name}/lr"] = torch.tensor(lrs, dtype=torch.float64)
    out[f"{name}/last_lr"] = torch.tensor(last, dtype=torch.float64)
    if name in MOMENTUM:
        out[f"{name}/momentum"] = torch.tensor(moms, dtype=torch.float64)

save("lr_scheduler", out)
