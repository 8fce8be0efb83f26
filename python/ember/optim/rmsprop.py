"""The running-average optimizers of torch.optim (RMSprop, Adagrad, Adadelta), computed by ember's fused C++
loops."""
from typing import Optional

from ember import _C
from ember.optim.optimizer import Optimizer
from ember.optim.sgd import _unsupported

__all__ = ["RMSprop", "Adagrad", "Adadelta"]


class RMSprop(Optimizer):
    r"""Implements the RMSprop algorithm (optionally centered, with momentum), as torch.optim.RMSprop."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, foreach: Optional[bool] = None, maximize: bool = False,
                 differentiable: bool = False):
        _unsupported("RMSprop", differentiable=differentiable)
        self._init(params, lambda groups: _C._RMSprop(groups, lr, alpha, eps, weight_decay, momentum, centered,
                                                      maximize))


class Adagrad(Optimizer):
    r"""Implements the Adagrad algorithm, as torch.optim.Adagrad (its state exists from construction on)."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach: Optional[bool] = None, *, maximize: bool = False):
        self._init(params, lambda groups: _C._Adagrad(groups, lr, lr_decay, weight_decay,
                                                      initial_accumulator_value, eps, maximize))


class Adadelta(Optimizer):
    r"""Implements the Adadelta algorithm, as torch.optim.Adadelta."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0,
                 foreach: Optional[bool] = None, *, maximize: bool = False):
        self._init(params, lambda groups: _C._Adadelta(groups, lr, rho, eps, weight_decay, maximize))
