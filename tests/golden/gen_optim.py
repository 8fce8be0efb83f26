"""Golden trajectories of torch.optim for tests/cpp/test_optim.cpp.

A small fixed model (two tanh layers, mean squared error, on fixed data) trained STEPS steps with each
optimizer configuration, in float64 and float32; saved: the final parameters, the float64 run's
state_dict (state entries and param_group options) and the data and initial parameters.
Name scheme: "<config>/<dtype>/p<i>" final parameters; "<config>/state/<i>/<key>" a tensor state entry,
with "#int", "#float", "#none" or "#list/<j>" appended for the other kinds; "<config>/group/<g>/<key>"
a group option (bool -> 0/1, None -> nan, tuple -> 1-d).
"""
import math

import torch

from golden import save

STEPS = 50
# LBFGS amplifies the last bits of its dot products, so its runs stop before torch itself stops being
# reproducible: torch 1.13 with OpenBLAS's Haswell kernels against its SkylakeX kernels (the same
# machine, OPENBLAS_CORETYPE) moves float64 state entries by 1.5x the tests' tolerance after 8 steps
# but by at most 4e-4 of it after 4, and float32 parameters by 1.1x the tolerance after 3 steps but
# 4e-2 of it after 1 step (which is 5 inner iterations, so the history of 4 already wraps around).
LBFGS_STEPS = 4
LBFGS_STEPS_F32 = 1

CONFIGS = {
    "sgd": ("SGD", dict(lr=0.05)),
    "sgd_momentum": ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    "sgd_nesterov_max": ("SGD", dict(lr=0.01, momentum=0.5, nesterov=True, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam_amsgrad_wd": ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    "adam_max": ("Adam", dict(lr=0.01, betas=(0.8, 0.99), maximize=True)),
    "adamw": ("AdamW", dict(lr=0.01)),
    "adamw_amsgrad": ("AdamW", dict(lr=0.01, amsgrad=True, weight_decay=0.05, eps=1e-6)),
    "adamax": ("Adamax", dict(lr=0.01)),
    "adamax_wd_max": ("Adamax", dict(lr=0.01, weight_decay=0.1, maximize=True)),
    "nadam": ("NAdam", dict(lr=0.01)),
    "nadam_wd": ("NAdam", dict(lr=0.01, weight_decay=0.1, momentum_decay=0.01)),
    "radam": ("RAdam", dict(lr=0.01)),
    "radam_wd": ("RAdam", dict(lr=0.01, weight_decay=0.1, betas=(0.9, 0.9))),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop_centered": ("RMSprop", dict(lr=0.01, alpha=0.9, centered=True, momentum=0.9, weight_decay=0.01)),
    "rmsprop_max": ("RMSprop", dict(lr=0.01, maximize=True, momentum=0.5)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_opts": ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01)),
    "adagrad_max": ("Adagrad", dict(lr=0.05, maximize=True)),
    "adadelta": ("Adadelta", dict(lr=1.0)),
    "adadelta_opts": ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.01, maximize=True)),
    "lbfgs": ("LBFGS", dict(lr=0.5, max_iter=5, history_size=4)),
    "lbfgs_wolfe": ("LBFGS", dict(lr=1, max_iter=5, history_size=4, line_search_fn="strong_wolfe")),
    # Two groups with their own options, and a parameter that never gets a gradient.
    "adam_groups": ("Adam", dict(lr=0.01)),
}

torch.manual_seed(0)
X = torch.randn(6, 3, dtype=torch.float64)
Y = torch.randn(6, 2, dtype=torch.float64)
INIT = [torch.randn(3, 5, dtype=torch.float64) * 0.5, torch.randn(5, dtype=torch.float64) * 0.1,
        torch.randn(5, 2, dtype=torch.float64) * 0.5, torch.randn(2, dtype=torch.float64) * 0.1,
        torch.randn(4, dtype=torch.float64)]


def loss_fn(ps, x, y):
    h = torch.tanh(torch.matmul(x, ps[0]) + ps[1])
    return ((torch.matmul(h, ps[2]) + ps[3] - y) ** 2).mean()


def make(config, ps):
    cls, kw = CONFIGS[config]
    if config == "adam_groups":
        return torch.optim.Adam([{"params": ps[:2]}, {"params": ps[2:], "lr": 0.02, "betas": (0.5, 0.9)}], **kw)
    return getattr(torch.optim, cls)(ps[:4], **kw)


def train(config, dtype):
    ps = [p.clone().to(dtype).requires_grad_() for p in INIT]
    x, y = X.to(dtype), Y.to(dtype)
    opt = make(config, ps)

    def closure():
        opt.zero_grad()
        loss = loss_fn(ps, x, y)
        loss.backward()
        return loss
    n = STEPS if not config.startswith("lbfgs") else LBFGS_STEPS if dtype == torch.float64 else LBFGS_STEPS_F32
    for _ in range(n):
        opt.step(closure)
    return ps, opt


def encode_option(v):
    if v is None:
        return torch.tensor(math.nan, dtype=torch.float64)
    if isinstance(v, (tuple, list)):
        return torch.tensor([float(e) for e in v], dtype=torch.float64)
    return torch.tensor(float(v), dtype=torch.float64)


out = {"x": X, "y": Y}
for i, p in enumerate(INIT):
    out[f"init/p{i}"] = p
for config in CONFIGS:
    for dtype, tag in ((torch.float64, "float64"), (torch.float32, "float32")):
        ps, opt = train(config, dtype)
        for i, p in enumerate(ps):
            out[f"{config}/{tag}/p{i}"] = p.detach()
        if dtype != torch.float64:
            continue
        sd = opt.state_dict()
        for idx, st in sd["state"].items():
            for key, v in st.items():
                base = f"{config}/state/{idx}/{key}"
                if isinstance(v, torch.Tensor):
                    out[base] = v
                elif v is None:
                    out[base + "#none"] = 0.0
                elif isinstance(v, list):
                    for j, e in enumerate(v):
                        out[f"{base}#list/{j}"] = e if isinstance(e, torch.Tensor) else torch.tensor(math.nan)
                elif isinstance(v, int):
                    out[base + "#int"] = float(v)
                else:
                    out[base + "#float"] = float(v)
        for g, group in enumerate(sd["param_groups"]):
            for key, v in group.items():
                if key != "params" and not isinstance(v, str):
                    out[f"{config}/group/{g}/{key}"] = encode_option(v)
            out[f"{config}/group/{g}/params"] = torch.tensor(group["params"], dtype=torch.int64)

save("optim", out)
