"""Gradient clipping (torch.nn.utils.clip_grad), computed by the C++ library (include/ember/nn/utils.h)."""
from typing import Iterable, Union

from ember import _C
from ember._C import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]

_tensor_or_tensors = Union[Tensor, Iterable[Tensor]]


def _as_list(parameters):
    # torch takes one tensor or any iterable (model.parameters() is a generator).
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(parameters: _tensor_or_tensors, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> Tensor:
    """Scales the gradients together so that their joint norm (as if concatenated into one vector) is
    at most max_norm; returns that norm before clipping. norm_type may be inf."""
    return _C._nn._clip_grad_norm_(_as_list(parameters), float(max_norm), float(norm_type), error_if_nonfinite)


def clip_grad_value_(parameters: _tensor_or_tensors, clip_value: float) -> None:
    """Clamps every gradient into [-clip_value, clip_value] in place."""
    _C._nn._clip_grad_value_(_as_list(parameters), float(clip_value))
