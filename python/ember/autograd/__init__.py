"""ember.autograd: gradients from Python, as torch.autograd.

`grad` and `backward` run the C++ core's engine; `Function` subclasses define new differentiable ops in
Python; the grad-mode and anomaly-mode context managers switch the core's flags.
"""
import warnings

from ember import _C
from ember._C import Tensor
from ember.autograd import function  # noqa: F401
from ember.autograd.anomaly_mode import detect_anomaly, set_detect_anomaly  # noqa: F401
from ember.autograd.function import Function  # noqa: F401
from ember.autograd.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled  # noqa: F401
from ember.autograd.gradcheck import gradcheck, gradgradcheck  # noqa: F401

__all__ = ["Function", "backward", "grad", "gradcheck", "gradgradcheck", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "detect_anomaly", "set_detect_anomaly"]


def _tensors(tensors, what):
    if isinstance(tensors, Tensor):
        return [tensors]
    try:
        return list(tensors)
    except TypeError:
        raise TypeError(f"{what} must be a Tensor or a sequence of Tensors, got {type(tensors).__name__}") from None


def _grad_list(grads, n):
    """Upstream gradients as a list of Tensor-or-None of length n (None: implicit, for scalar outputs)."""
    if grads is None:
        return [None] * n
    grads = [grads] if isinstance(grads, Tensor) else list(grads)
    for g in grads:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError("gradients can be either Tensors or None, but got " + type(g).__name__)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None, inputs=None):
    """Accumulates into .grad of the leaves (or of `inputs`) the gradients of `tensors`, weighted by
    `grad_tensors` (may be omitted for scalar tensors)."""
    if grad_variables is not None:
        if grad_tensors is not None:
            raise RuntimeError("'grad_tensors' and 'grad_variables' (deprecated) arguments both passed to "
                               "backward(). Please only use 'grad_tensors'.")
        grad_tensors = grad_variables
    if inputs is not None and not isinstance(inputs, Tensor) and len(inputs) == 0:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    tensors = _tensors(tensors, "tensors")
    inputs = [] if inputs is None else _tensors(inputs, "inputs")
    _C._run_backward(tensors, _grad_list(grad_tensors, len(tensors)), retain_graph, create_graph, inputs)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=False, is_grads_batched=False):
    """The gradients of `outputs` with respect to `inputs` (a tuple, one per input; None for an unused
    input when allow_unused), weighted by `grad_outputs`; nothing is accumulated into .grad."""
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use ember.autograd.backward.")
    if is_grads_batched:
        raise NotImplementedError("ember.autograd.grad: is_grads_batched=True is not supported")
    outputs = _tensors(outputs, "outputs")
    inputs = _tensors(inputs, "inputs")
    return _C._run_grad(outputs, inputs, _grad_list(grad_outputs, len(outputs)), retain_graph, create_graph,
                        allow_unused)
