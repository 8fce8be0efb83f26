"""ember.nn: torch.nn's names."""
from ember.nn import functional as functional
