"""TokenDataset: a language model's training blocks from a flat file of token ids (ember's C++
ember::data::TokenDataset; torch has no such class). The file is memory-mapped, not read."""
from typing import Tuple

from ember import _C, Tensor
from .dataset import Dataset

__all__ = ["TokenDataset"]


class TokenDataset(Dataset[Tuple[Tensor, Tensor]]):
    """Blocks of `block_size` int64 tokens from `path`, a little-endian array of unsigned `token_bytes`-byte
    ids (1, 2 or 4; 2 is the uint16 layout nanoGPT-style tokenizers write). Example i is the input
    tokens[i*B : i*B+B] and the next-token target tokens[i*B+1 : i*B+B+1]; there are (n - 1) // B
    examples, so the last target exists."""

    def __init__(self, path: str, block_size: int, token_bytes: int = 2) -> None:
        self.path = path
        self._impl = _C._token_dataset(str(path), block_size, token_bytes)
        # The DataLoader collates whole batches in C++ through this (see _MapDatasetFetcher).
        self._get_batch = self._impl._get_batch

    def __getitem__(self, index: int) -> Tuple[Tensor, Tensor]:
        return self._impl[index]

    def __len__(self) -> int:
        return len(self._impl)

    @property
    def block_size(self) -> int:
        return self._impl.block_size

    @property
    def num_tokens(self) -> int:
        return self._impl.num_tokens
