"""ember.utils.tensorboard: torch.utils.tensorboard's SummaryWriter over ember's C++ event writer."""
from .writer import SummaryWriter as SummaryWriter
