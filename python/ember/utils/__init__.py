"""ember.utils: torch.utils's data loading (ember.utils.data) and TensorBoard logging
(ember.utils.tensorboard)."""
from ember.utils import data as data, tensorboard as tensorboard
