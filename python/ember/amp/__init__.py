"""torch.amp: automatic mixed precision (autocast) and dynamic loss scaling (GradScaler)."""
from ember.amp.autocast_mode import autocast as autocast, is_autocast_available as is_autocast_available
from ember.amp.grad_scaler import GradScaler as GradScaler

__all__ = ["autocast", "is_autocast_available", "GradScaler"]
