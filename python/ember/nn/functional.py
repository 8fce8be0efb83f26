"""ember.nn.functional: torch.nn.functional's names, computed by the C++ library."""
from ember import _C

one_hot = _C._nn.one_hot
