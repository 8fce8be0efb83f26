"""Golden values for tests/cpp/test_nn_module.cpp, test_nn_init.cpp and test_nn_utils.cpp, from PyTorch.

Writes nn.json: tensors (golden.py's format, under "tensors") and strings (key lists, print(model) text and
error messages, under "strings"). The C++ tests build the same models, load the weights saved here through
load_state_dict (so PyTorch's state_dict keys are exercised), and compare names, printouts, outputs and
gradients. "torch." in strings is compared as "ember.".
"""
import json
import math

import torch
from torch import nn

from golden import HERE, encode

torch.manual_seed(0)
tensors = {}
strings = {}


class Block(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.fc = nn.Linear(n_in, n_out)
        self.act = nn.ReLU()
        self.register_buffer("running", torch.randn(n_out))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        self.scale = nn.Parameter(torch.randn(n_out))

    def forward(self, x):
        return self.act(self.fc(x)) * self.scale + self.running


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(5, 4, bias=False)
        self.blocks = nn.ModuleList([Block(4, 3), Block(3, 3)])
        self.head = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Dropout(0.25), nn.Flatten(), nn.Linear(6, 6))
        self.extra = nn.ParameterList([nn.Parameter(torch.randn(2, 2)), nn.Parameter(torch.randn(3))])
        self.table = nn.ModuleDict({"b": nn.Identity(), "a": nn.Sigmoid()})
        self.pd = nn.ParameterDict({"w": nn.Parameter(torch.randn(2))})
        self.bil = nn.Bilinear(3, 3, 4)
        self.unf = nn.Unflatten(1, (2, 3))

    def forward(self, x):
        h = self.embed(x)
        for b in self.blocks:
            h = b(h)
        h = self.head(h)
        u = self.unf(h)
        y = self.bil(u[:, 0], u[:, 1])
        y = self.table["a"](y) + self.table["b"](y) * self.pd["w"].sum()
        return y + self.extra[0].sum() + self.extra[1].sum()


def keys(d):
    return list(d)


net = Net()
strings["net_named_parameters"] = [k for k, _ in net.named_parameters()]
strings["net_named_buffers"] = [k for k, _ in net.named_buffers()]
strings["net_named_modules"] = [k for k, _ in net.named_modules()]
strings["net_named_children"] = [k for k, _ in net.named_children()]
strings["net_state_dict"] = keys(net.state_dict())
strings["net_blocks_state_dict"] = keys(net.blocks.state_dict())
strings["net_named_parameters_norecurse"] = [k for k, _ in net.named_parameters(recurse=False)]
strings["net_repr"] = repr(net)
for k, v in net.state_dict().items():
    tensors["net_sd/" + k] = v
net.eval()
x = torch.randn(7, 5)
y = net(x)
g = torch.randn_like(y)
(y * g).sum().backward()
tensors["net_x"] = x
tensors["net_y"] = y
tensors["net_g"] = g
for k, p in net.named_parameters():
    tensors["net_grad/" + k] = p.grad

# load_state_dict errors
sd = net.state_dict()
bad = {k: v for k, v in sd.items() if k not in ("blocks.1.fc.bias", "embed.weight")}
bad["blocks.0.foo"] = torch.zeros(1)
bad["zzz"] = torch.zeros(1)
try:
    net.load_state_dict(bad)
except RuntimeError as e:
    strings["load_strict_error"] = str(e)
r = net.load_state_dict(bad, strict=False)
strings["load_nonstrict_missing"] = list(r.missing_keys)
strings["load_nonstrict_unexpected"] = list(r.unexpected_keys)
shape_bad = dict(sd)
shape_bad["head.0.weight"] = torch.zeros(6, 4)
shape_bad["blocks.0.running"] = torch.zeros(4)
try:
    net.load_state_dict(shape_bad, strict=False)
except RuntimeError as e:
    strings["load_shape_error"] = str(e)


# Weight tying and a shared module
class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(4, 4, bias=False)
        self.dec = nn.Linear(4, 4)
        self.dec.weight = self.enc.weight
        shared = nn.Linear(4, 2)
        self.a = shared
        self.b = shared

    def forward(self, x):
        h = torch.tanh(self.enc(x))
        return self.b(self.a.weight.sum() * self.dec(h))


tied = Tied()
strings["tied_named_parameters"] = [k for k, _ in tied.named_parameters()]
strings["tied_named_modules"] = [k for k, _ in tied.named_modules()]
strings["tied_state_dict"] = keys(tied.state_dict())
for k, v in tied.state_dict().items():
    tensors["tied_sd/" + k] = v
x = torch.randn(3, 4)
y = tied(x)
g = torch.randn_like(y)
(y * g).sum().backward()
tensors["tied_x"] = x
tensors["tied_y"] = y
tensors["tied_g"] = g
tensors["tied_grad_enc_weight"] = tied.enc.weight.grad
tensors["tied_grad_dec_bias"] = tied.dec.bias.grad
tensors["tied_grad_a_weight"] = tied.a.weight.grad

# Linear and Bilinear with given weights, 2-D and 3-D inputs, float64
lin = nn.Linear(3, 2).double()
for name, xs in (("lin2d", (4, 3)), ("lin3d", (2, 4, 3))):
    lin.zero_grad(set_to_none=True)
    x = torch.randn(*xs, dtype=torch.float64, requires_grad=True)
    y = lin(x)
    g = torch.randn_like(y)
    y.backward(g)
    tensors[name + "_x"], tensors[name + "_y"], tensors[name + "_g"] = x, y, g
    tensors[name + "_gx"], tensors[name + "_gw"], tensors[name + "_gb"] = x.grad, lin.weight.grad.clone(), lin.bias.grad.clone()
tensors["lin_weight"], tensors["lin_bias"] = lin.weight, lin.bias
bil = nn.Bilinear(3, 2, 4).double()
x1 = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
x2 = torch.randn(5, 2, dtype=torch.float64, requires_grad=True)
y = bil(x1, x2)
g = torch.randn_like(y)
y.backward(g)
tensors.update(bil_weight=bil.weight, bil_bias=bil.bias, bil_x1=x1, bil_x2=x2, bil_y=y, bil_g=g, bil_gx1=x1.grad,
               bil_gx2=x2.grad, bil_gw=bil.weight.grad, bil_gb=bil.bias.grad)

# Full backward hook on the first layer of a Sequential: grad_input and grad_output
seq = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double()
seen = {}
seq[0].register_full_backward_hook(lambda m, gi, go: seen.update(gi=gi[0], go=go[0]))
x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
y = seq(x)
g = torch.randn_like(y)
y.backward(g)
for k, v in seq.state_dict().items():
    tensors["hook_sd/" + k] = v
tensors.update(hook_x=x, hook_g=g, hook_gi=seen["gi"], hook_go=seen["go"], hook_gx=x.grad)

# Printouts
strings["repr_linear_nobias"] = repr(nn.Linear(3, 2, bias=False))
strings["repr_misc"] = repr(nn.Sequential(nn.ReLU(inplace=True), nn.Dropout(p=0.1), nn.Dropout(1e-5, inplace=True),
                                          nn.Identity(), nn.Unflatten(0, (5,)), nn.Flatten(0, 2),
                                          nn.Bilinear(2, 3, 4, bias=False), nn.Sequential(), nn.ModuleList())
                            )
strings["repr_params"] = repr(nn.ModuleDict({"pl": nn.ParameterList([nn.Parameter(torch.zeros(2, 3)),
                                                                     nn.Parameter(torch.zeros(4, dtype=torch.float64))]),
                                             "pd": nn.ParameterDict({"x": nn.Parameter(torch.zeros(1, 2, 3))})}))

# clip_grad_norm_ over three parameters with given gradients
params = [torch.zeros(3, 4, requires_grad=True), torch.zeros(5, requires_grad=True), torch.zeros(2, 2, requires_grad=True)]
grads = [torch.randn(3, 4) * 2, torch.randn(5), torch.randn(2, 2) * 3]
for i, gr in enumerate(grads):
    tensors[f"clip_grad{i}"] = gr
for norm_type, tag in ((2.0, "2"), (1.0, "1"), (math.inf, "inf"), (3.0, "3"), (0.5, "0.5")):
    for max_norm, mtag in ((1.0, "1"), (100.0, "100")):
        for p, gr in zip(params, grads):
            p.grad = gr.clone()
        total = nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        tensors[f"clip_total_{tag}_{mtag}"] = total
        for i, p in enumerate(params):
            tensors[f"clip_out_{tag}_{mtag}_{i}"] = p.grad.clone()
for p, gr in zip(params, grads):
    p.grad = gr.clone()
nn.utils.clip_grad_value_(params, 0.5)
for i, p in enumerate(params):
    tensors[f"clipv_out_{i}"] = p.grad.clone()
params[1].grad[0] = float("inf")
try:
    nn.utils.clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    strings["clip_nonfinite_error"] = str(e)

# init: fans, gains, deterministic initialisers
fans = []
for shape in ((3, 4), (5, 2, 3), (6, 3, 2, 2), (2, 3, 4, 5, 6), (7, 0)):
    fi, fo = nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    fans.append([list(shape), fi, fo])
strings["init_fans"] = [json.dumps(f) for f in fans]
gains = []
for nl, param in (("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                  ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)):
    gains.append(nn.init.calculate_gain(nl, param))
tensors["init_gains"] = torch.tensor(gains, dtype=torch.float64)
tensors["init_eye"] = nn.init.eye_(torch.empty(3, 5))
tensors["init_dirac"] = nn.init.dirac_(torch.empty(6, 2, 3, 3), groups=2)
tensors["init_dirac3"] = nn.init.dirac_(torch.empty(2, 4, 4))
for fn, msg_key, arg in ((nn.init.eye_, "init_eye_error", torch.empty(2, 2, 2)),
                         (nn.init.dirac_, "init_dirac_error", torch.empty(2, 2)),
                         (nn.init.xavier_uniform_, "init_fan_error", torch.empty(3)),
                         (nn.init.orthogonal_, "init_orth_error", torch.empty(3))):
    try:
        fn(arg)
    except ValueError as e:
        strings[msg_key] = str(e)
try:
    nn.init.kaiming_uniform_(torch.empty(2, 2), mode="fan_avg")
except ValueError as e:
    strings["init_mode_error"] = str(e)
try:
    nn.init.calculate_gain("swish")
except ValueError as e:
    strings["init_gain_error"] = str(e)

out = {name: encode(t) for name, t in tensors.items()}
path = HERE / "nn.json"
tmp = path.with_suffix(".json.tmp")
tmp.write_text(json.dumps({"generator": "gen_nn.py", "torch": torch.__version__, "tensors": out, "strings": strings},
                          separators=(",", ":")))
tmp.replace(path)
print(f"wrote {path.name}: {len(out)} tensors, {len(strings)} strings")
