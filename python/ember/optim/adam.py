"""The Adam family of torch.optim (Adam, AdamW, Adamax, NAdam, RAdam), computed by ember's fused C++ loops."""
from typing import Optional

from ember import _C
from ember.optim.optimizer import Optimizer
from ember.optim.sgd import _unsupported

__all__ = ["Adam", "AdamW", "Adamax", "NAdam", "RAdam"]


def _betas(betas):
    b = tuple(betas)
    if len(b) != 2:
        raise ValueError(f"betas must be a pair of floats, got {betas!r}")
    return b


class Adam(Optimizer):
    r"""Implements the Adam algorithm, as torch.optim.Adam."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, amsgrad=False, *, foreach: Optional[bool] = None,
                 maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool = False):
        _unsupported("Adam", capturable=capturable, differentiable=differentiable, fused=fused)
        self._init(params, lambda groups: _C._Adam(groups, lr, _betas(betas), eps, weight_decay, amsgrad,
                                                   maximize))


class AdamW(Optimizer):
    r"""Implements the AdamW algorithm (decoupled weight decay), as torch.optim.AdamW."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=1e-2, amsgrad=False, *, maximize: bool = False,
                 foreach: Optional[bool] = None,
                 capturable: bool = False):
        _unsupported("AdamW", capturable=capturable)
        self._init(params, lambda groups: _C._AdamW(groups, lr, _betas(betas), eps, weight_decay, amsgrad,
                                                    maximize))


class Adamax(Optimizer):
    r"""Implements the Adamax algorithm (Adam with the infinity norm), as torch.optim.Adamax."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, foreach: Optional[bool] = None, *, maximize: bool = False):
        self._init(params, lambda groups: _C._Adamax(groups, lr, _betas(betas), eps, weight_decay, maximize))


class NAdam(Optimizer):
    r"""Implements the NAdam algorithm (Adam with Nesterov momentum), as torch.optim.NAdam."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, momentum_decay=4e-3, foreach: Optional[bool] = None):
        self._init(params, lambda groups: _C._NAdam(groups, lr, _betas(betas), eps, weight_decay,
                                                    momentum_decay))


class RAdam(Optimizer):
    r"""Implements the RAdam algorithm (rectified Adam), as torch.optim.RAdam."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                 weight_decay=0, foreach: Optional[bool] = None):
        self._init(params, lambda groups: _C._RAdam(groups, lr, _betas(betas), eps, weight_decay))
