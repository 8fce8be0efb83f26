"""ember.optim: torch.optim's optimizers over ember's fused C++ update loops, and lr_scheduler."""
from ember.optim.optimizer import Optimizer as Optimizer
from ember.optim.sgd import SGD as SGD
from ember.optim.adam import Adam as Adam, AdamW as AdamW, Adamax as Adamax, NAdam as NAdam, RAdam as RAdam
from ember.optim.rmsprop import RMSprop as RMSprop, Adagrad as Adagrad, Adadelta as Adadelta
from ember.optim.lbfgs import LBFGS as LBFGS
from ember.optim import lr_scheduler as lr_scheduler
