"""Parameters <-> one flat vector (torch.nn.utils.convert_parameters), computed by the C++ library."""
from typing import Iterable

from ember import _C
from ember._C import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """The parameters flattened and concatenated into one vector (differentiable)."""
    return _C._nn._parameters_to_vector(list(parameters))


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copies consecutive slices of vec into the parameters."""
    if not isinstance(vec, Tensor):
        raise TypeError("expected torch.Tensor, but got: {}".format(type(vec).__name__))
    _C._nn._vector_to_parameters(vec, list(parameters))
