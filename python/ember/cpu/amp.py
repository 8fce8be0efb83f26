"""torch.cpu.amp: autocast with the CPU's defaults (bfloat16)."""
import ember
from ember.amp.autocast_mode import autocast as _autocast

__all__ = ["autocast"]


class autocast(_autocast):
    r"""torch.cpu.amp.autocast(args...) is equivalent to torch.autocast("cpu", args...)."""

    def __init__(self, enabled=True, dtype=ember.bfloat16, cache_enabled=True):
        super().__init__("cpu", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)
