"""Gradient accumulation: one optimizer step per 4 micro-batches of 8 gives the same update as one step
on the batch of 32 they make up, because each micro-batch loss is scaled by 1/4 and gradients add up in
.grad until zero_grad()."""
import copy

import ember
import ember.nn as nn
import ember.nn.functional as F


def main():
    ember.manual_seed(0)
    model = nn.Sequential(nn.Linear(20, 64), nn.Tanh(), nn.Linear(64, 5))
    twin = copy.deepcopy(model)
    x, y = ember.randn(32, 20), ember.randint(0, 5, (32,))

    opt = ember.optim.SGD(model.parameters(), lr=0.1)
    opt.zero_grad()
    for xs, ys in zip(x.chunk(4), y.chunk(4)):
        (F.cross_entropy(model(xs), ys) / 4).backward()
    opt.step()

    twin_opt = ember.optim.SGD(twin.parameters(), lr=0.1)
    twin_opt.zero_grad()
    F.cross_entropy(twin(x), y).backward()
    twin_opt.step()

    diff = max((a - b).abs().max().item() for a, b in zip(model.parameters(), twin.parameters()))
    print(f"largest difference between accumulated and full-batch update: {diff:.2e}")
    return 0 if diff < 1e-6 else 1


if __name__ == "__main__":
    raise SystemExit(main())
