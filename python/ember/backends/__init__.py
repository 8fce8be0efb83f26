"""torch.backends: switches that change how the backends compute."""
from ember.backends import cuda as cuda
