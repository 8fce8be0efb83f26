"""The module classes of ember.nn (torch.nn.modules)."""
from ember.nn.modules.module import Module as Module
from ember.nn.modules.container import ModuleDict as ModuleDict, ModuleList as ModuleList
from ember.nn.modules.container import ParameterDict as ParameterDict, ParameterList as ParameterList
from ember.nn.modules.container import Sequential as Sequential
from ember.nn.modules.linear import Linear as Linear
