"""Golden values for tests/cpp/test_nn_layers.cpp (the nn layer modules), from PyTorch.

Writes nn_layers.json. For each case: the module's state_dict keys and printout (under "strings"), its
state_dict, inputs, output, a random upstream gradient and the gradients of the parameters and the
first input (under "tensors", named "<case>/..."). The C++ test builds the same module, loads the state
dict saved here (so PyTorch's names and shapes are exercised), and compares. float64 throughout, so
the comparison is tight.
"""
import json

import torch
from torch import nn

from golden import HERE, encode

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
tensors = {}
strings = {}


def case(name, module, *inputs, grad_input=True, train=True):
    """Runs module on inputs (tensors, or other arguments passed through) and records the case."""
    module.train(train)
    strings[name + "/keys"] = list(module.state_dict())
    strings[name + "/repr"] = repr(module)
    for k, v in module.state_dict().items():
        tensors[f"{name}/sd/{k}"] = v.clone()
    args = []
    for i, x in enumerate(inputs):
        if isinstance(x, torch.Tensor):
            tensors[f"{name}/in{i}"] = x
            if i == 0 and grad_input and x.is_floating_point():
                x = x.clone().requires_grad_()
        args.append(x)
    out = module(*args)
    if isinstance(out, tuple):
        tensors[name + "/indices"] = out[1]
        out = out[0]
    tensors[name + "/out"] = out.detach()
    if out.requires_grad:
        gout = torch.randn_like(out)
        tensors[name + "/gout"] = gout
        out.backward(gout)
        for k, p in module.named_parameters():
            tensors[f"{name}/grad/{k}"] = p.grad
        if args and isinstance(args[0], torch.Tensor) and args[0].grad is not None:
            tensors[name + "/grad_in0"] = args[0].grad
    for k, v in module.state_dict().items():  # buffers updated by the forward (running stats)
        if k in dict(module.named_buffers()):
            tensors[f"{name}/sd_after/{k}"] = v.clone()


# ---- convolutions ----
case("conv2d", nn.Conv2d(3, 4, 3), torch.randn(2, 3, 6, 5))
case("conv2d_args", nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias=False),
     torch.randn(2, 4, 7, 6))
case("conv2d_same", nn.Conv2d(2, 3, (4, 3), padding="same", dilation=(1, 2)), torch.randn(1, 2, 6, 7))
case("conv2d_valid", nn.Conv2d(2, 3, 3, padding="valid"), torch.randn(2, 5, 5))
for mode in ("reflect", "replicate", "circular"):
    case("conv2d_" + mode, nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode), torch.randn(2, 2, 5, 6))
case("conv2d_same_reflect", nn.Conv2d(2, 2, (2, 4), padding="same", padding_mode="reflect"), torch.randn(1, 2, 5, 6))

# ---- pooling ----
case("maxpool2d", nn.MaxPool2d(2), torch.randn(2, 3, 6, 5))
case("maxpool2d_args", nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True),
     torch.randn(2, 2, 7, 8))
case("maxpool2d_indices", nn.MaxPool2d(2, stride=1, return_indices=True), torch.randn(1, 2, 4, 4))

# Initialisation statistics: the largest |value| of a large layer is close to the bound 1/sqrt(fan_in).
big = nn.Conv2d(64, 128, 3)
tensors["init/conv2d_weight_absmax"] = big.weight.abs().max()
tensors["init/conv2d_bias_absmax"] = big.bias.abs().max()
tensors["init/conv2d_weight_std"] = big.weight.std()

out = {name: encode(t) for name, t in tensors.items()}
path = HERE / "nn_layers.json"
tmp = path.with_suffix(".json.tmp")
tmp.write_text(json.dumps({"generator": "gen_nn_layers.py", "torch": torch.__version__, "tensors": out,
                           "strings": strings}, separators=(",", ":")))
tmp.replace(path)
print(f"wrote {path.name}: {len(out)} tensors, {len(strings)} strings, {path.stat().st_size} bytes")
