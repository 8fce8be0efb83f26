"""torch.autocast: a context manager (and decorator) that runs the ops of PyTorch's casting lists in
lower precision inside its scope. The casting itself happens in C++ (include/ember/autocast.h); this
class only sets the per-thread state, with torch's checks and warnings."""
import functools
import warnings

import ember
from ember import _C

__all__ = ["autocast", "is_autocast_available"]

_SUPPORTED = ("cuda", "cpu")


def is_autocast_available(device_type: str) -> bool:
    return device_type in _SUPPORTED


class autocast:
    r"""Instances of autocast serve as context managers or decorators that allow regions of a script to run
    in mixed precision, as torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)."""

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        if device_type not in _SUPPORTED:
            raise RuntimeError(f"User specified an unsupported autocast device_type '{device_type}'")
        self.device = device_type
        self.fast_dtype = _C._get_autocast_dtype(device_type) if dtype is None else dtype
        self._cache_enabled = _C.is_autocast_cache_enabled() if cache_enabled is None else cache_enabled
        if not isinstance(self.fast_dtype, ember.dtype):
            raise ValueError(f"Expected `dtype` to be a torch.dtype, got: {self.fast_dtype}")
        if device_type == "cuda":
            if enabled and not ember.cuda.is_available():
                warnings.warn("User provided device_type of 'cuda', but CUDA is not available. Disabling")
                enabled = False
            elif self.fast_dtype not in (ember.float16, ember.bfloat16):
                warnings.warn("In CUDA autocast, but the target dtype is not supported. Disabling autocast.\n"
                              "CUDA Autocast only supports dtype of torch.float16 or torch.bfloat16 currently.")
                enabled = False
        elif self.fast_dtype not in (ember.float16, ember.bfloat16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                          "CPU Autocast only supports dtype of torch.bfloat16, torch.float16 currently.")
            enabled = False
        self._enabled = enabled

    def __enter__(self):
        self.prev_cache_enabled = _C.is_autocast_cache_enabled()
        self.prev = _C._is_autocast_enabled(self.device)
        self.prev_fastdtype = _C._get_autocast_dtype(self.device)
        _C._set_autocast_enabled(self.device, self._enabled)
        if self.fast_dtype in (ember.float16, ember.bfloat16):
            _C._set_autocast_dtype(self.device, self.fast_dtype)
        _C.autocast_increment_nesting()
        _C.set_autocast_cache_enabled(self._cache_enabled)

    def __exit__(self, exc_type, exc_val, exc_tb):
        # The outermost region's exit drops the cached casts of the parameters.
        if _C.autocast_decrement_nesting() == 0:
            _C.clear_autocast_cache()
        _C._set_autocast_enabled(self.device, self.prev)
        _C._set_autocast_dtype(self.device, self.prev_fastdtype)
        _C.set_autocast_cache_enabled(self.prev_cache_enabled)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        return decorate_autocast


# torch's module-level autocast state functions (torch.is_autocast_enabled and friends).
def is_autocast_enabled(device_type=None):
    return _C._is_autocast_enabled("cuda" if device_type is None else device_type)


def set_autocast_enabled(device_type, enabled=None):
    if enabled is None:  # set_autocast_enabled(enabled): CUDA's, as in PyTorch
        device_type, enabled = "cuda", device_type
    _C._set_autocast_enabled(device_type, enabled)


def get_autocast_dtype(device_type):
    return _C._get_autocast_dtype(device_type)


def set_autocast_dtype(device_type, dtype):
    _C._set_autocast_dtype(device_type, dtype)


def is_autocast_cpu_enabled():
    return _C._is_autocast_enabled("cpu")


def set_autocast_cpu_enabled(enabled):
    _C._set_autocast_enabled("cpu", enabled)


def get_autocast_gpu_dtype():
    return _C._get_autocast_dtype("cuda")


def set_autocast_gpu_dtype(dtype):
    _C._set_autocast_dtype("cuda", dtype)


def get_autocast_cpu_dtype():
    return _C._get_autocast_dtype("cpu")


def set_autocast_cpu_dtype(dtype):
    _C._set_autocast_dtype("cpu", dtype)
