"""Capturing activations by layer name with forward hooks, as one does to look at a CNN's feature maps:
one hook per named submodule stores its output; the handles remove the hooks afterwards."""
import ember
import ember.nn as nn


def main():
    ember.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 10))

    activations = {}

    def keep(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()
        return hook

    handles = [m.register_forward_hook(keep(name)) for name, m in model.named_modules() if name]
    images = ember.rand(4, 1, 28, 28)
    with ember.no_grad():
        model(images)
    for name, a in activations.items():
        print(f"{name:<3} {str(tuple(a.shape)):<18} {type(model[int(name)]).__name__:<10} mean {a.mean().item():.4f}")
    for h in handles:
        h.remove()
    activations.clear()
    model(images)
    print(f"after removing the hooks, captured: {len(activations)}")
    return 0 if not activations and len(handles) == 8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
