"""Finite-difference gradient checks, as torch.autograd.gradcheck: the C++ core's checks, run over a
Python function. Non-tensor inputs are passed through unchanged; tensor inputs that require grad must be
float64."""
from ember import _C
from ember._C import Tensor

__all__ = ["gradcheck", "gradgradcheck"]


def _over_tensors(func, inputs):
    """func as a function of the tensor inputs alone, and those tensors."""
    tupled = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    positions = [i for i, x in enumerate(tupled) if isinstance(x, Tensor)]

    def tensor_func(*tensors):
        args = list(tupled)
        for p, t in zip(positions, tensors):
            args[p] = t
        return func(*args)

    return tensor_func, [tupled[p] for p in positions]


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Checks the gradients of func at inputs against central differences: True if they agree; otherwise
    raises RuntimeError naming the first mismatching Jacobian entry (or returns False with
    raise_exception=False)."""
    tensor_func, tensors = _over_tensors(func, inputs)
    return _C._gradcheck(tensor_func, tensors, [], eps, atol, rtol, raise_exception, False)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Checks second derivatives: gradcheck of the vector-Jacobian product of func with grad_outputs
    (random when None) with respect to the inputs and grad_outputs."""
    tensor_func, tensors = _over_tensors(func, inputs)
    if grad_outputs is None:
        grad_outputs = []
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs]
    return _C._gradcheck(tensor_func, tensors, list(grad_outputs), eps, atol, rtol, raise_exception, True)
