"""Grad-mode context managers, as torch.autograd.grad_mode: each is a context manager and, instantiated
with parentheses, a function decorator (generator functions included). The modes themselves are the C++
core's thread-local flags, so they never affect other threads."""
import functools
import inspect
import sys

from ember import _C

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode"]


class _DecoratorContextManager:
    """Lets a context manager decorate a function: each call runs inside a fresh copy of it."""

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            return self._wrap_generator(func)

        @functools.wraps(func)
        def decorate_context(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)

        return decorate_context

    def _wrap_generator(self, func):
        # A generator runs in pieces between yields: the mode is set for each piece and restored while the
        # caller runs.
        @functools.wraps(func)
        def generator_context(*args, **kwargs):
            gen = func(*args, **kwargs)
            try:
                with self.clone():
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        with self.clone():
                            gen.close()
                        raise
                    except BaseException:
                        with self.clone():
                            response = gen.throw(*sys.exc_info())
                    else:
                        with self.clone():
                            response = gen.send(request)
            except StopIteration as e:
                return e.value

        return generator_context

    def __enter__(self):
        raise NotImplementedError

    def __exit__(self, exc_type, exc_value, traceback):
        raise NotImplementedError

    def clone(self):
        return self.__class__()


class no_grad(_DecoratorContextManager):
    """Disables gradient recording in its scope: results of ops do not require grad."""

    def __init__(self):
        self.prev = False

    def __enter__(self):
        self.prev = _C.is_grad_enabled()
        _C._set_grad_enabled(False)

    def __exit__(self, exc_type, exc_value, traceback):
        _C._set_grad_enabled(self.prev)


class enable_grad(_DecoratorContextManager):
    """Enables gradient recording in its scope (inside no_grad, for instance)."""

    def __init__(self):
        self.prev = False

    def __enter__(self):
        self.prev = _C.is_grad_enabled()
        _C._set_grad_enabled(True)

    def __exit__(self, exc_type, exc_value, traceback):
        _C._set_grad_enabled(self.prev)


class set_grad_enabled(_DecoratorContextManager):
    """Sets grad mode to `mode` at once (so it also works as a plain call); as a context manager it restores
    the previous mode on exit."""

    def __init__(self, mode):
        self.prev = _C.is_grad_enabled()
        _C._set_grad_enabled(mode)
        self.mode = mode

    def __call__(self, func):
        # Decorating must not change the mode of the code around the definition (PyTorch 2 behaviour;
        # 1.13 left it changed).
        _C._set_grad_enabled(self.prev)
        return super().__call__(func)

    def __enter__(self):
        pass

    def __exit__(self, exc_type, exc_value, traceback):
        _C._set_grad_enabled(self.prev)

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Inference mode (`mode=True`) or its absence in its scope; implies no gradient recording."""

    def __init__(self, mode=True):
        self._inference_mode_raii_guard = None
        self.mode = mode

    def __enter__(self):
        self._inference_mode_raii_guard = _C._InferenceMode(self.mode)

    def __exit__(self, exc_type, exc_value, traceback):
        del self._inference_mode_raii_guard

    def clone(self):
        return self.__class__(self.mode)
