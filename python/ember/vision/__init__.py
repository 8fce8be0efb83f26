"""ember.vision: torchvision's datasets and transforms over ember's C++ readers (ember/data/datasets.h,
transforms.h). torchvision's names, under ember.vision rather than a separate package."""
from ember.vision import datasets as datasets, transforms as transforms
