"""torch.cpu: the CPU's autocast (torch.cpu.amp)."""
from ember.cpu import amp as amp

__all__ = ["amp"]
