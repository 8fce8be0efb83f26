"""Golden values for tests/cpp/test_activation.cpp: the softmax family and every activation, forward
and the gradient of a random upstream gradient, in float64 and float32.

Case `name` saves `name|in0`, `name|in1`, ... (inputs), `name|y` (output), `name|g` (upstream gradient)
and `name|d0`, ... (gradients of the inputs that require grad). The C++ test has the same names with
ember's call; inputs include the kinks (0, +-3, +-0.5, 6) where PyTorch picks a one-sided derivative.
"""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
out = {}


def base(shape=(3, 4, 5), scale=2.5):
    x = torch.randn(*shape, dtype=torch.float64) * scale
    flat = x.view(-1)
    specials = [0.0, 3.0, -3.0, 0.5, -0.5, 6.0, -1.0, 1.0, 21.0, -21.0]
    flat[: len(specials)] = torch.tensor(specials, dtype=torch.float64)
    return x


X = base()
EXT = torch.tensor([[1e4, -1e4, 0.0, 5.0], [-1e4, -1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1, 3.0]], dtype=torch.float64)


def strided(t):
    """t's values in a non-contiguous layout, so PyTorch runs its scalar (not vectorised) loop."""
    s = torch.empty(t.shape + (2,), dtype=t.dtype)[..., 0]
    s.copy_(t)
    return s


def case(name, fn, inputs, dtypes=(torch.float64, torch.float32), scalar_loop=False):
    # scalar_loop: 1.13's vectorised hardswish backward takes x < 3 where its scalar loop (and
    # derivatives.yaml's rule) takes x <= 3; the golden gradient is the scalar loop's (DIFFERENCES.md).
    for dt in dtypes:
        key = f"{name}|{str(dt).split('.')[-1]}"
        xs = [t.to(dt).detach().requires_grad_() for t in inputs]
        run = [strided(t) for t in xs] if scalar_loop else xs
        y = fn(*run)
        g = torch.randn(y.shape, dtype=torch.float64).to(y.dtype)
        grads = torch.autograd.grad(y, xs, g, allow_unused=True)
        for i, t in enumerate(xs):
            out[f"{key}|in{i}"] = t
        out[f"{key}|y"] = y
        out[f"{key}|g"] = g
        for i, d in enumerate(grads):
            if d is not None:
                out[f"{key}|d{i}"] = d


# softmax family: last dim, inner dims, strided input, dtype argument, extremes
for d in (0, 1, 2, -1):
    case(f"softmax_d{d}", lambda x, d=d: torch.softmax(x, d), [X])
    case(f"log_softmax_d{d}", lambda x, d=d: torch.log_softmax(x, d), [X])
case("softmin_d1", lambda x: F.softmin(x, 1), [X])
case("softmax_T", lambda x: torch.softmax(x.transpose(0, 2), 1), [X])
case("log_softmax_T", lambda x: torch.log_softmax(x.transpose(0, 2), -1), [X])
case("softmax_dtype", lambda x: torch.softmax(x, 1, dtype=torch.float64), [X], dtypes=(torch.float32,))
case("log_softmax_dtype", lambda x: torch.log_softmax(x, -1, dtype=torch.float64), [X], dtypes=(torch.float32,))
case("softmax_ext", lambda x: torch.softmax(x, 1), [EXT])
case("log_softmax_ext", lambda x: torch.log_softmax(x, 1), [EXT])
case("log_softmax_ext_d0", lambda x: torch.log_softmax(x, 0), [EXT])
case("softmax_long", lambda x: torch.softmax(x, 1), [torch.randn(2, 133, dtype=torch.float64) * 4])
case("log_softmax_inner_big", lambda x: torch.log_softmax(x, 0), [torch.randn(3, 300, dtype=torch.float64) * 4])
case("softmax_0d", lambda x: torch.softmax(x, 0), [torch.tensor(1.5, dtype=torch.float64)])
case("log_softmax_1d", lambda x: torch.log_softmax(x, 0), [torch.randn(7, dtype=torch.float64)])

# pointwise activations
acts = {
    "relu6": lambda x: F.relu6(x),
    "leaky_relu": lambda x: F.leaky_relu(x),
    "leaky_relu_0.2": lambda x: F.leaky_relu(x, 0.2),
    "elu": lambda x: F.elu(x),
    "elu_0.5": lambda x: F.elu(x, 0.5),
    "selu": lambda x: F.selu(x),
    "celu_2": lambda x: F.celu(x, 2.0),
    "gelu": lambda x: F.gelu(x),
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": lambda x: F.silu(x),
    "mish": lambda x: F.mish(x),
    "hardtanh": lambda x: F.hardtanh(x),
    "hardtanh_-2_3": lambda x: F.hardtanh(x, -2.0, 3.0),
    "hardsigmoid": lambda x: F.hardsigmoid(x),
    "hardswish": lambda x: F.hardswish(x),
    "softplus": lambda x: F.softplus(x),
    "softplus_2_5": lambda x: F.softplus(x, 2.0, 5.0),
    "softsign": lambda x: F.softsign(x),
    "tanhshrink": lambda x: F.tanhshrink(x),
    "softshrink": lambda x: F.softshrink(x),
    "softshrink_1": lambda x: F.softshrink(x, 1.0),
    "hardshrink": lambda x: F.hardshrink(x),
    "logsigmoid": lambda x: F.logsigmoid(x),
    "threshold": lambda x: F.threshold(x, 0.5, -2.0),
    "rrelu_eval": lambda x: F.rrelu(x, training=False),
    "glu": lambda x: F.glu(x, 1),
    "glu_last": lambda x: F.glu(x[..., :4]),
    "relu": lambda x: F.relu(x),
}
for name, fn in acts.items():
    case(name, fn, [X], scalar_loop=name == "hardswish")
    if name in ("logsigmoid", "softplus", "silu", "mish", "gelu", "elu", "selu", "tanhshrink", "softsign", "hardswish"):
        case(name + "_ext", fn, [EXT])
    if not name.startswith("glu"):
        case(name + "_T", lambda x, fn=fn: fn(x.transpose(0, 2)), [X], dtypes=(torch.float64,))
case("prelu_1", lambda x, w: F.prelu(x, w), [X, torch.tensor([0.25], dtype=torch.float64)])
case("prelu_c", lambda x, w: F.prelu(x, w), [X, torch.tensor([0.1, -0.3, 0.5, 2.0], dtype=torch.float64)])
case("bf16_silu", lambda x: F.silu(x), [X.bfloat16()], dtypes=(torch.bfloat16,))
case("bf16_softmax", lambda x: torch.softmax(x, -1), [X.bfloat16()], dtypes=(torch.bfloat16,))

save("activation", out)
