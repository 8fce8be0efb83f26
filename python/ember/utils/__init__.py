"""ember.utils: torch.utils's names."""
from ember.utils import checkpoint as checkpoint
from ember.utils import hooks as hooks
