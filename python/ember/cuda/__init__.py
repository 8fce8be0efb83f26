"""torch.cuda's runtime functions: devices and their properties, synchronisation, the caching
allocator's counters, seeding, streams and events.

Without a GPU (or in a build without the CUDA backend) is_available() is False, device_count() is 0, the
memory counters read 0 and seeding works, as in PyTorch; what needs a device raises RuntimeError. ember
drives one GPU per process for now (cuda:0; CUDA_VISIBLE_DEVICES picks it), and one default generator
serves every device, so the seeding functions here act on ember.default_generator (docs/DIFFERENCES.md).
"""
from typing import Any, NamedTuple, Optional, Tuple, Union

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


def current_device() -> int:
    return _C._cuda_current_device()


def set_device(device: _Device) -> None:
    index = _index(device)
    if index >= 0:
        _C._cuda_set_device(index)


class device:
    """Context manager that makes `device` current (torch.cuda.device); only cuda:0 with one GPU per
    process. None or a negative index does nothing."""

    def __init__(self, device: _Device):
        self.idx = _index(device)
        self.prev_idx = -1

    def __enter__(self) -> None:
        if self.idx >= 0:
            self.prev_idx = current_device()
            set_device(self.idx)

    def __exit__(self, *exc: Any) -> None:
        if self.prev_idx >= 0:
            set_device(self.prev_idx)


class _CudaDeviceProperties(NamedTuple):
    name: str
    major: int
    minor: int
    total_memory: int
    multi_processor_count: int

    def __repr__(self) -> str:
        return (f"_CudaDeviceProperties(name='{self.name}', major={self.major}, minor={self.minor}, "
                f"total_memory={self.total_memory // (1024 * 1024)}MB, "
                f"multi_processor_count={self.multi_processor_count})")


def get_device_properties(device: _Device = None) -> _CudaDeviceProperties:
    return _CudaDeviceProperties(*_C._cuda_device_properties(_index(device)))


def get_device_name(device: _Device = None) -> str:
    return get_device_properties(device).name


def get_device_capability(device: _Device = None) -> Tuple[int, int]:
    p = get_device_properties(device)
    return p.major, p.minor


def is_bf16_supported() -> bool:
    """bfloat16 runs natively from compute capability 8.0 (A100) on; False without a GPU."""
    return is_available() and get_device_capability()[0] >= 8


def mem_get_info(device: _Device = None) -> Tuple[int, int]:
    """(free, total) bytes of the device, as the driver reports them."""
    return _C._cuda_mem_get_info(_index(device))


def is_initialized() -> bool:
    return is_available()


def init() -> None:
    if not is_available():
        raise RuntimeError("No CUDA GPUs are available")


def manual_seed(seed: int) -> None:
    _C.manual_seed(int(seed))


def manual_seed_all(seed: int) -> None:
    _C.manual_seed(int(seed))


def seed() -> None:
    _C.seed()


def seed_all() -> None:
    _C.seed()


def initial_seed() -> int:
    return _C.initial_seed()


def get_rng_state(device: _Device = "cuda") -> Any:
    return _C.get_rng_state()


def set_rng_state(new_state: Any, device: _Device = "cuda") -> None:
    _C.set_rng_state(new_state)


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


def _one_device(device: _Device, what: str) -> None:
    index = _index(device)
    if index not in (-1, 0):
        raise RuntimeError(f"{what}: cuda:{index} is not the current device (ember drives one GPU per process for now)")


class Stream:
    r"""torch.cuda.Stream: a CUDA stream from ember's pool (priority < 0: the high-priority pool).
    Ops run on the current stream; make this one current with ``ember.cuda.stream(s)``."""

    cuda_stream: int

    def __init__(self, device: _Device = None, priority: int = 0, **kwargs: Any) -> None:
        _one_device(device, "Stream")
        handle = kwargs.pop("_handle", None)
        if kwargs:
            raise TypeError(f"Stream() got an unexpected keyword argument '{next(iter(kwargs))}'")
        self.cuda_stream = handle if handle is not None else _C._cuda_stream_from_pool(priority < 0)

    @property
    def device(self) -> _device:
        return _device("cuda", 0)

    def wait_event(self, event: "Event") -> None:
        event.wait(self)

    def wait_stream(self, stream: "Stream") -> None:
        self.wait_event(stream.record_event())

    def record_event(self, event: Optional["Event"] = None) -> "Event":
        if event is None:
            event = Event()
        event.record(self)
        return event

    def query(self) -> bool:
        return _C._cuda_stream_query(self.cuda_stream)

    def synchronize(self) -> None:
        _C._cuda_stream_synchronize(self.cuda_stream)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stream) and self.cuda_stream == other.cuda_stream

    def __hash__(self) -> int:
        return hash((self.cuda_stream, "cuda:0"))

    def __repr__(self) -> str:
        return f"<ember.cuda.Stream device=cuda:0 cuda_stream={self.cuda_stream:#x}>"


class Event:
    r"""torch.cuda.Event: a point in a stream's queue that other streams can wait for and the host can
    query, wait for or time. It is made on its first record(); before that query() is True."""

    def __init__(self, enable_timing: bool = False, blocking: bool = False, interprocess: bool = False) -> None:
        if interprocess:
            raise RuntimeError("ember.cuda.Event: interprocess events are not supported (see docs/DIFFERENCES.md)")
        self._event = _C._CudaEvent((0 if enable_timing else 2) | (1 if blocking else 0))

    @property
    def cuda_event(self) -> int:
        return self._event.cuda_event

    def record(self, stream: Optional[Stream] = None) -> None:
        self._event.record((stream or current_stream()).cuda_stream)

    def wait(self, stream: Optional[Stream] = None) -> None:
        self._event.block((stream or current_stream()).cuda_stream)

    def query(self) -> bool:
        return self._event.query()

    def elapsed_time(self, end_event: "Event") -> float:
        return self._event.elapsed_time(end_event._event)

    def synchronize(self) -> None:
        self._event.synchronize()

    def __repr__(self) -> str:
        return f"<ember.cuda.Event {self.cuda_event:#x}>" if self.cuda_event else "<ember.cuda.Event uninitialized>"


def current_stream(device: _Device = None) -> Stream:
    _one_device(device, "current_stream")
    return Stream(_handle=_C._cuda_current_stream())


def default_stream(device: _Device = None) -> Stream:
    _one_device(device, "default_stream")
    return Stream(_handle=_C._cuda_default_stream())


def set_stream(stream: Optional[Stream]) -> None:
    if stream is not None:
        _C._cuda_set_stream(stream.cuda_stream)


class StreamContext:
    r"""torch.cuda.StreamContext: makes ``stream`` the current stream inside a ``with`` block and
    restores the previous one after it; ``None`` does nothing."""

    def __init__(self, stream: Optional[Stream]) -> None:
        self.stream = stream
        self._previous: Optional[Stream] = None

    def __enter__(self) -> None:
        if self.stream is not None:
            self._previous = current_stream()
            set_stream(self.stream)

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            set_stream(self._previous)
            self._previous = None


def stream(stream: Optional[Stream]) -> StreamContext:
    return StreamContext(stream)


from ember.cuda import amp as amp  # noqa: E402  (torch.cuda.amp, reachable as an attribute as in PyTorch)
