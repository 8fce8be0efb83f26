"""ember.nn.init: torch.nn.init's in-place initialisers, computed by the C++ library
(include/ember/nn/init.h). Each runs under no_grad and returns the tensor it was given; the random ones
also take an optional `generator` (as torch 2.x)."""
from typing import Optional, Tuple

from ember import _C
from ember._C import Tensor

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_", "eye_",
           "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_", "orthogonal_"]

_nn = _C._nn


def calculate_gain(nonlinearity: str, param: Optional[float] = None) -> float:
    """The recommended gain for a nonlinearity: 1 (linear, conv, sigmoid), 5/3 (tanh), sqrt(2) (relu),
    sqrt(2 / (1 + negative_slope^2)) (leaky_relu, slope `param`, default 0.01), 3/4 (selu)."""
    if param is not None and (isinstance(param, bool) or not isinstance(param, (int, float))):
        raise ValueError("negative_slope {} not a valid number".format(param))
    return _nn._init_calculate_gain(nonlinearity, param)


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> Tuple[int, int]:
    return _nn._init_calculate_fan_in_and_fan_out(tensor)


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    return _nn._init_calculate_correct_fan(tensor, mode)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from U(a, b)."""
    _nn._init_uniform_(tensor, a, b, generator)
    return tensor


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from N(mean, std^2)."""
    _nn._init_normal_(tensor, mean, std, generator)
    return tensor


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from N(mean, std^2) truncated to [a, b]."""
    _nn._init_trunc_normal_(tensor, mean, std, a, b, generator)
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fills tensor with val."""
    _nn._init_constant_(tensor, val)
    return tensor


def ones_(tensor: Tensor) -> Tensor:
    """Fills tensor with 1."""
    _nn._init_ones_(tensor)
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    """Fills tensor with 0."""
    _nn._init_zeros_(tensor)
    return tensor


def eye_(tensor: Tensor) -> Tensor:
    """Fills a 2-D tensor with the identity matrix."""
    _nn._init_eye_(tensor)
    return tensor


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fills a 3-, 4- or 5-D convolution weight with the Dirac delta (identity convolution per group)."""
    _nn._init_dirac_(tensor, groups)
    return tensor


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from U(-a, a), a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio)."""
    _nn._init_xavier_uniform_(tensor, gain, generator)
    return tensor


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    _nn._init_xavier_normal_(tensor, gain, generator)
    return tensor


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from U(-bound, bound), bound = gain * sqrt(3 / fan) (He et al.); `a` is
    leaky_relu's negative slope, mode picks fan_in or fan_out."""
    _nn._init_kaiming_uniform_(tensor, a, mode, nonlinearity, generator)
    return tensor


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor from N(0, std^2), std = gain / sqrt(fan)."""
    _nn._init_kaiming_normal_(tensor, a, mode, nonlinearity, generator)
    return tensor


def orthogonal_(tensor: Tensor, gain: float = 1, generator: Optional[_C.Generator] = None) -> Tensor:
    """Fills tensor (seen as size(0) x rest) with a (semi-)orthogonal matrix times gain."""
    _nn._init_orthogonal_(tensor, gain, generator)
    return tensor
