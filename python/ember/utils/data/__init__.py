"""ember.utils.data: torch.utils.data's datasets, samplers, collation and DataLoader."""
from .collate import default_collate as default_collate, default_convert as default_convert
from .dataloader import DataLoader as DataLoader
from .dataset import (ChainDataset as ChainDataset, ConcatDataset as ConcatDataset, Dataset as Dataset,
                      IterableDataset as IterableDataset, Subset as Subset, TensorDataset as TensorDataset,
                      random_split as random_split)
from .sampler import (BatchSampler as BatchSampler, RandomSampler as RandomSampler, Sampler as Sampler,
                      SequentialSampler as SequentialSampler, SubsetRandomSampler as SubsetRandomSampler,
                      WeightedRandomSampler as WeightedRandomSampler)
from .token_dataset import TokenDataset as TokenDataset
from .worker import WorkerInfo as WorkerInfo, get_worker_info as get_worker_info
