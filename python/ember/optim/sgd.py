"""torch.optim.SGD, computed by ember's fused C++ loop."""
from typing import Optional

from ember import _C
from ember.optim.optimizer import Optimizer, required

__all__ = ["SGD"]


def _unsupported(name, **flags):
    for flag, value in flags.items():
        if value:
            raise NotImplementedError(f"{name}: {flag}=True is not supported by ember (CPU optimizers only)")


class SGD(Optimizer):
    r"""Implements stochastic gradient descent (optionally with momentum), as torch.optim.SGD."""

    def __init__(self, params, lr=required, momentum=0, dampening=0,
                 weight_decay=0, nesterov=False, *, maximize=False, foreach: Optional[bool] = None,
                 differentiable=False):
        _unsupported("SGD", differentiable=differentiable)
        if lr is required:
            self._required = frozenset({"lr"})
        # The C++ constructor checks the options with PyTorch's messages; without a default lr each group
        # brings its own (checked by _check_group), so the placeholder 0.0 never reaches an update.
        self._init(params, lambda groups: _C._SGD(groups, 0.0 if lr is required else lr, momentum, dampening,
                                                  weight_decay, nesterov, maximize))
