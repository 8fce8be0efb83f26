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

from ember import amp as amp
from ember import cpu as cpu
from ember.amp.autocast_mode import (
    autocast as autocast,
    get_autocast_cpu_dtype as get_autocast_cpu_dtype,
    get_autocast_dtype as get_autocast_dtype,
    get_autocast_gpu_dtype as get_autocast_gpu_dtype,
    is_autocast_cpu_enabled as is_autocast_cpu_enabled,
    is_autocast_enabled as is_autocast_enabled,
    set_autocast_cpu_dtype as set_autocast_cpu_dtype,
    set_autocast_cpu_enabled as set_autocast_cpu_enabled,
    set_autocast_dtype as set_autocast_dtype,
    set_autocast_enabled as set_autocast_enabled,
    set_autocast_gpu_dtype as set_autocast_gpu_dtype,
)
from ember._C import (  # underscored, so `import *` above leaves them out
    _addmm_activation as _addmm_activation,
    _amp_foreach_non_finite_check_and_unscale_ as _amp_foreach_non_finite_check_and_unscale_,
    _amp_update_scale_ as _amp_update_scale_,
)

__version__ = "0.1.0"
