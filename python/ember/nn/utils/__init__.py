"""ember.nn.utils: torch.nn.utils's gradient clipping and parameter/vector conversion."""
from ember.nn.utils.clip_grad import clip_grad_norm_ as clip_grad_norm_, clip_grad_value_ as clip_grad_value_
from ember.nn.utils.convert_parameters import parameters_to_vector as parameters_to_vector
from ember.nn.utils.convert_parameters import vector_to_parameters as vector_to_parameters
