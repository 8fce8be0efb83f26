"""Custom differentiable functions written in Python, as torch.autograd.function.

    class Exp(ember.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            y, = ctx.saved_tensors
            return grad * y

    y = Exp.apply(x)

The ctx is the function's backward node (a C++ custom-function node of the core): `y.grad_fn is ctx`
while y lives, and its methods (save_for_backward, mark_dirty, ...) act on the core's AutogradContext.
"""
import functools
import warnings

from ember import _C
from ember._C import Tensor
from ember.autograd.grad_mode import no_grad

__all__ = ["FunctionCtx", "BackwardCFunction", "FunctionMeta", "Function", "once_differentiable"]

# save_for_backward, saved_tensors, mark_dirty, mark_non_differentiable, set_materialize_grads and
# needs_input_grad, on the node itself.
FunctionCtx = _C._FunctionBase


class BackwardCFunction(_C._FunctionBase):
    """Base of the ctx classes: the engine calls `apply` with the output gradients."""

    def apply(self, *args):
        backward_fn = self._forward_cls.backward
        vjp_fn = self._forward_cls.vjp
        if backward_fn is not Function.backward and vjp_fn is not Function.vjp:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You "
                               "should only implement one of them.")
        user_fn = vjp_fn if vjp_fn is not Function.vjp else backward_fn
        return user_fn(self, *args)


class FunctionMeta(type):
    """Gives each Function subclass its ctx class, `<Name>Backward`, whose `_forward_cls` is the subclass."""

    def __init__(cls, name, bases, attrs):
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        super().__init__(name, bases, attrs)


class Function(metaclass=FunctionMeta):
    """Base class of custom autograd functions: subclass it with static `forward(ctx, *args)` and
    `backward(ctx, *grad_outputs)`, and call `MyFunction.apply(*args)`."""

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd functions are all "
                      "static, so you should invoke them on the class itself.", DeprecationWarning)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is deprecated. Please use "
                           "new-style autograd function with static forward method.")

    is_traceable = False

    @classmethod
    def apply(cls, *args):
        return _C._function_apply(cls, *args)

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError("You must implement the jvp function for custom autograd.Function to use it "
                                  "with forward mode AD.")


class DelayedError(Function):
    """Passes its inputs through; differentiating it raises (the outputs of a once_differentiable backward)."""

    @staticmethod
    def forward(ctx, *tensors):
        ctx.set_materialize_grads(False)
        return tensors if len(tensors) > 1 else tensors[0]

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise RuntimeError("trying to differentiate twice a function that was marked with @once_differentiable")


def once_differentiable(fn):
    """Decorates a backward that is not itself differentiable: it runs under no_grad, and a double
    backward through its results raises instead of silently giving wrong gradients."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            outputs = fn(ctx, *args)
        if not _C.is_grad_enabled():
            return outputs
        if not any(isinstance(arg, Tensor) and arg.requires_grad for arg in args):
            return outputs
        if not isinstance(outputs, tuple):
            outputs = (outputs,)

        def fake_requires_grad(var):
            if var is not None:
                var = var.detach()
                var.requires_grad = True
            return var

        return DelayedError.apply(*[fake_requires_grad(v) for v in outputs])

    return wrapper
