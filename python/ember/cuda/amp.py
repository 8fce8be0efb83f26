"""torch.cuda.amp: autocast and GradScaler with CUDA's defaults (float16)."""
import ember
from ember.amp.autocast_mode import autocast as _autocast
from ember.amp.grad_scaler import GradScaler as _GradScaler

__all__ = ["autocast", "GradScaler"]


class autocast(_autocast):
    r"""torch.cuda.amp.autocast(args...) is equivalent to torch.autocast("cuda", args...)."""

    def __init__(self, enabled=True, dtype=ember.float16, cache_enabled=True):
        super().__init__("cuda", enabled=enabled, dtype=dtype, cache_enabled=cache_enabled)


class GradScaler(_GradScaler):
    r"""torch.cuda.amp.GradScaler(args...) is equivalent to torch.amp.GradScaler("cuda", args...)."""

    def __init__(self, init_scale=2.0 ** 16, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000,
                 enabled=True):
        super().__init__("cuda", init_scale=init_scale, growth_factor=growth_factor,
                         backoff_factor=backoff_factor, growth_interval=growth_interval, enabled=enabled)
