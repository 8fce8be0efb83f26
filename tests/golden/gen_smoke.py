"""Golden values for tests/cpp/test_smoke.cpp: a few pointwise ops on broadcast and transposed inputs."""
import torch

from golden import save

torch.manual_seed(0)
x = torch.randn(3, 4, dtype=torch.float64)
y = torch.randn(4, dtype=torch.float64)
save("smoke", {
    "x": x, "y": y,
    "sin_xt": torch.sin(x.t()),
    "x_mul_y": x * y,
    "x_div_y": x / y,
    "exp_x_f32": torch.exp(x.float()),
    "sigmoid_x": torch.sigmoid(x),
})
