"""ember.nn: torch.nn's names."""
from ember.nn.parameter import Parameter as Parameter
from ember.nn.modules import Module as Module
from ember.nn.modules import ModuleDict as ModuleDict, ModuleList as ModuleList, Sequential as Sequential
from ember.nn.modules import ParameterDict as ParameterDict, ParameterList as ParameterList
from ember.nn.modules import Linear as Linear
from ember.nn import functional as functional
from ember.nn import init as init
from ember.nn import utils as utils
