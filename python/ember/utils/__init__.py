"""ember.utils: torch.utils's names: activation checkpointing, hook handles, data loading
(ember.utils.data), TensorBoard logging (ember.utils.tensorboard), and a tqdm-like progress bar
(ember.utils.progress)."""
from ember.utils import checkpoint as checkpoint
from ember.utils import hooks as hooks
from ember.utils import data as data, progress as progress, tensorboard as tensorboard
