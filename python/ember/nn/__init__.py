"""ember.nn: torch.nn's names."""
from ember.nn.parameter import Parameter as Parameter
from ember.nn.modules import Module as Module
from ember.nn.modules import ModuleDict as ModuleDict, ModuleList as ModuleList, Sequential as Sequential
from ember.nn.modules import ParameterDict as ParameterDict, ParameterList as ParameterList
from ember.nn.modules import Linear as Linear
from ember.nn import functional as functional
from ember.nn.modules.linear import *  # noqa: F401,F403
from ember.nn.modules.conv import *  # noqa: F401,F403
from ember.nn.modules.pooling import *  # noqa: F401,F403
from ember.nn.modules.batchnorm import *  # noqa: F401,F403
from ember.nn.modules.instancenorm import *  # noqa: F401,F403
from ember.nn.modules.normalization import *  # noqa: F401,F403
from ember.nn.modules.dropout import *  # noqa: F401,F403
from ember.nn.modules.sparse import *  # noqa: F401,F403
from ember.nn.modules.upsampling import *  # noqa: F401,F403
from ember.nn.modules.pixelshuffle import *  # noqa: F401,F403
from ember.nn.modules.padding import *  # noqa: F401,F403
from ember.nn.modules.fold import *  # noqa: F401,F403
from ember.nn.modules.flatten import *  # noqa: F401,F403
from ember.nn.modules.activation import *  # noqa: F401,F403
from ember.nn.modules.distance import *  # noqa: F401,F403
from ember.nn.modules.loss import *  # noqa: F401,F403
from ember.nn import init as init
from ember.nn import utils as utils
