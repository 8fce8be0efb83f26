"""torchvision.datasets' names over ember's C++ file readers: MNIST, FashionMNIST, CIFAR10 and
ImageFolder. Examples are (image, int target) as torchvision's; images are ember tensors (uint8 in a PIL
image's layout, or what the transform makes of them). ember reads files that are there and downloads
nothing: `download` is accepted and a missing file is an error naming it."""
from typing import Any, Callable, Optional, Tuple

from ember import _C
from ember.utils.data import Dataset

__all__ = ["CIFAR10", "FashionMNIST", "ImageFolder", "MNIST"]


class _FileDataset(Dataset):
    """The C++ dataset does the reading and, when the transform is ember's, the transform too; a Python
    transform or target_transform runs here, on what the C++ dataset returns."""

    _impl: Any

    def _init_transforms(self, transform, target_transform):
        self.transform = transform
        self.target_transform = target_transform
        native = getattr(transform, "_fn", None) if transform is not None else None
        self._py_transform = transform if native is None else None
        return native

    def __getitem__(self, index: int) -> Tuple[Any, Any]:
        img, target = self._impl[index]
        if self._py_transform is not None:
            img = self._py_transform(img)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return img, target

    def __len__(self) -> int:
        return len(self._impl)

    def _set_impl(self, impl):
        self._impl = impl
        # The DataLoader collates a whole batch in C++ when every transform runs there.
        if self._py_transform is None and self.target_transform is None:
            self._get_batch = impl._get_batch

    @property
    def classes(self):
        return self._impl.classes

    @property
    def class_to_idx(self):
        return {c: i for i, c in enumerate(self.classes)}


class MNIST(_FileDataset):
    """MNIST's IDX files (plain or .gz) in root or root/MNIST/raw."""

    def __init__(self, root: str, train: bool = True, transform: Optional[Callable] = None,
                 target_transform: Optional[Callable] = None, download: bool = False) -> None:
        self.root = root
        self.train = train
        self._set_impl(self._make(root, train, self._init_transforms(transform, target_transform)))

    _make = staticmethod(_C._mnist)

    @property
    def data(self):
        return self._impl.data

    @property
    def targets(self):
        return self._impl.targets


class FashionMNIST(MNIST):
    """Fashion-MNIST; root defaults to where Debian's dataset-fashion-mnist package puts it."""

    def __init__(self, root: str = _C._FASHION_MNIST_ROOT, train: bool = True,
                 transform: Optional[Callable] = None, target_transform: Optional[Callable] = None,
                 download: bool = False) -> None:
        super().__init__(root, train, transform, target_transform, download)

    _make = staticmethod(_C._fashion_mnist)


class CIFAR10(_FileDataset):
    """CIFAR-10's binary batches in root or root/cifar-10-batches-bin."""

    def __init__(self, root: str, train: bool = True, transform: Optional[Callable] = None,
                 target_transform: Optional[Callable] = None, download: bool = False) -> None:
        self.root = root
        self.train = train
        self._set_impl(_C._cifar10(root, train, self._init_transforms(transform, target_transform)))

    @property
    def data(self):
        return self._impl.data

    @property
    def targets(self):
        return self._impl.targets.tolist()


class ImageFolder(_FileDataset):
    """PNG images in one folder per class; classes are the sorted folder names."""

    def __init__(self, root: str, transform: Optional[Callable] = None,
                 target_transform: Optional[Callable] = None) -> None:
        self.root = root
        self._set_impl(_C._image_folder(root, self._init_transforms(transform, target_transform)))
        self.samples = list(self._impl.samples)
        self.imgs = self.samples
        self.targets = [s[1] for s in self.samples]

    @property
    def class_to_idx(self):
        return dict(self._impl.class_to_idx)
