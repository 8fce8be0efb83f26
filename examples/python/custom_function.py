"""A custom autograd Function inside a module: a clipped ReLU whose backward lets the gradient through
only where the input was inside (0, cap), written as forward/backward with ctx.save_for_backward, and
checked against finite differences with ember.autograd.gradcheck."""
import ember
import ember.nn as nn


class ClippedReLU(ember.autograd.Function):
    @staticmethod
    def forward(ctx, x, cap):
        ctx.save_for_backward(x)
        ctx.cap = cap
        return x.clamp(0, cap)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * ((x > 0) & (x < ctx.cap)).to(grad.dtype), None


class ClippedMLP(nn.Module):
    def __init__(self, cap=1.0):
        super().__init__()
        self.cap = cap
        self.fc1 = nn.Linear(6, 16)
        self.fc2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc2(ClippedReLU.apply(self.fc1(x), self.cap))


def main():
    ember.manual_seed(0)
    x = ember.randn(5, 6, dtype=ember.float64, requires_grad=True)
    ok = ember.autograd.gradcheck(lambda t: ClippedReLU.apply(t, 0.5), (x,))
    print(f"gradcheck of ClippedReLU: {ok}")

    model = ClippedMLP()
    opt = ember.optim.Adam(model.parameters(), lr=1e-2)
    data, target = ember.randn(64, 6), ember.randn(64, 1)
    losses = []
    for _ in range(100):
        opt.zero_grad()
        loss = ((model(data) - target) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    print(f"loss {losses[0]:.4f} -> {losses[-1]:.4f}")
    return 0 if ok and losses[-1] < losses[0] else 1


if __name__ == "__main__":
    raise SystemExit(main())
