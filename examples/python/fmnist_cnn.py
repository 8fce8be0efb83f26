"""The Fashion-MNIST CNN of ../shared/anchors/fmnist_cnn.py written against ember's Python API: a Module
subclass, the FashionMNIST dataset through a DataLoader, Adam, cross-entropy, and the trained weights
saved as safetensors.

    python examples/python/fmnist_cnn.py [--steps N] [--out model.safetensors]
"""
import argparse
import time

import ember
import ember.nn as nn
import ember.nn.functional as F
from ember.utils.data import DataLoader
from ember.vision import datasets, transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3)
        self.c2 = nn.Conv2d(32, 64, 3)
        self.f1 = nn.Linear(64 * 5 * 5, 128)
        self.f2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.f2(F.relu(self.f1(x.flatten(1))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=0, help="stop after this many batches (0: one epoch)")
    parser.add_argument("--out", default="", help="save the trained weights here (safetensors)")
    args = parser.parse_args()

    ember.manual_seed(0)
    train = datasets.FashionMNIST(train=True, transform=transforms.ToTensor())
    test = datasets.FashionMNIST(train=False, transform=transforms.ToTensor())
    loader = DataLoader(train, batch_size=64, shuffle=True, generator=ember.Generator().manual_seed(0))
    model = Net()
    opt = ember.optim.Adam(model.parameters(), lr=1e-3)

    model.train()
    start, first_loss, steps = time.perf_counter(), None, 0
    for images, labels in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        opt.step()
        first_loss = loss.item() if first_loss is None else first_loss
        steps += 1
        if steps == args.steps:
            break
    seconds = time.perf_counter() - start
    print(f"{steps} batches in {seconds:.1f} s ({steps * 64 / seconds:.0f} images/s), "
          f"loss {first_loss:.3f} -> {loss.item():.3f}")

    model.eval()
    correct = 0
    with ember.no_grad():
        for images, labels in DataLoader(test, batch_size=1000):
            correct += (model(images).argmax(1) == labels).sum().item()
    print(f"test accuracy {correct / len(test):.4f}")
    if args.out:
        ember.save_file(model.state_dict(), args.out)
        print(f"saved {args.out}")
    return 0 if loss.item() < first_loss else 1


if __name__ == "__main__":
    raise SystemExit(main())
