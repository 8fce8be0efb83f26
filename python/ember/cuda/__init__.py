"""torch.cuda's runtime functions: devices, synchronisation and the caching allocator's counters.

Without a GPU (or in a build without the CUDA backend) is_available() is False, device_count() is 0 and
the memory counters read 0, as in PyTorch.
"""
from typing import Union

from ember import _C
from ember._C import device as _device

_Device = Union[_device, str, int, None]


def _index(device: _Device) -> int:
    if device is None:
        return -1
    if isinstance(device, int):
        return device
    d = _device(device) if isinstance(device, str) else device
    return -1 if d.index is None else d.index


def is_available() -> bool:
    return _C._cuda_is_available()


def device_count() -> int:
    return _C._cuda_device_count()


def synchronize(device: _Device = None) -> None:
    _C._cuda_synchronize(_index(device))


def memory_allocated(device: _Device = None) -> int:
    return _C._cuda_memory_allocated(_index(device))


def max_memory_allocated(device: _Device = None) -> int:
    return _C._cuda_max_memory_allocated(_index(device))


def memory_reserved(device: _Device = None) -> int:
    return _C._cuda_memory_reserved(_index(device))


def max_memory_reserved(device: _Device = None) -> int:
    return _C._cuda_max_memory_reserved(_index(device))


def reset_peak_memory_stats(device: _Device = None) -> None:
    _C._cuda_reset_peak_memory_stats(_index(device))


def empty_cache() -> None:
    _C._cuda_empty_cache()


from ember.cuda import amp as amp  # noqa: E402  (torch.cuda.amp, reachable as an attribute as in PyTorch)
