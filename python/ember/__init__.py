"""ember: a deep-learning framework with PyTorch's programming model and a C++ core.

`import ember` gives PyTorch's API under ember's name (torch.add -> ember.add, torch.Tensor ->
ember.Tensor). Everything computes in the C++ library; this package only re-exports the extension
module ember._C and adds the few pieces that are Python by nature (context managers, ember.Size).
"""
from ember._size import Size as Size  # imported first: _C looks it up at import
from ember._C import *  # noqa: F401,F403
from ember._C import Tensor, dtype, device  # noqa: F401
from ember import return_types  # noqa: F401
from ember import nn as nn
from ember import utils as utils
from ember import optim as optim
from ember import vision as vision
from ember import cuda as cuda
from ember import backends as backends
from ember.autograd import enable_grad as enable_grad, inference_mode as inference_mode, no_grad as no_grad, set_grad_enabled as set_grad_enabled

__version__ = "0.1.0"
