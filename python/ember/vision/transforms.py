"""torchvision.transforms' names over ember's C++ transforms. Images are ember tensors (or NumPy arrays,
taken as tensors) in a PIL image's layout, uint8 [H, W] or [H, W, C], until ToTensor makes them float
[C, H, W] in [0, 1]. Each transform holds its C++ callable, so a dataset given only these runs them
without Python; a Compose of them is one C++ transform."""
from typing import List, Sequence, Union

import ember
from ember import _C

__all__ = ["Compose", "Normalize", "RandomCrop", "RandomHorizontalFlip", "ToTensor"]


class _CTransform:
    _fn: "_C._Transform"

    def __call__(self, img):
        if not isinstance(img, ember.Tensor):
            img = ember.as_tensor(img)
        return self._fn(img)


class Compose:
    """Applies the transforms in order."""

    def __init__(self, transforms):
        self.transforms = transforms
        if all(isinstance(t, _CTransform) for t in transforms):
            self._fn = _C._transform_compose([t._fn for t in transforms])

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self) -> str:
        format_string = self.__class__.__name__ + "("
        for t in self.transforms:
            format_string += "\n"
            format_string += f"    {t}"
        format_string += "\n)"
        return format_string


class ToTensor(_CTransform):
    """uint8 [H, W] or [H, W, C] -> float32 [C, H, W] divided by 255; other dtypes only moved to [C, H, W]."""

    def __init__(self) -> None:
        self._fn = _C._transform_to_tensor()

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}()"


class Normalize(_CTransform):
    """(x - mean[c]) / std[c] per channel of a float [..., C, H, W] image."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False):
        self.mean = mean
        self.std = std
        self.inplace = inplace
        self._fn = _C._transform_normalize([float(m) for m in _seq(mean)], [float(s) for s in _seq(std)], inplace)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(mean={self.mean}, std={self.std})"


class RandomCrop(_CTransform):
    """A window of `size` at a random position, after padding by `padding` (one value, (left/right,
    top/bottom) or (left, top, right, bottom)) with `fill`; only padding_mode "constant"."""

    def __init__(self, size: Union[int, Sequence[int]], padding=None, pad_if_needed: bool = False, fill=0,
                 padding_mode: str = "constant"):
        self.size = (int(size), int(size)) if isinstance(size, int) else tuple(size)
        self.padding = padding
        self.pad_if_needed = pad_if_needed
        self.fill = fill
        self.padding_mode = padding_mode
        pad: List[int] = [] if padding is None else [int(p) for p in _seq(padding)]
        self._fn = _C._transform_random_crop(list(self.size), pad, pad_if_needed, float(fill), padding_mode)

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip(_CTransform):
    """Flips the last dimension with probability p."""

    def __init__(self, p: float = 0.5):
        self.p = p
        self._fn = _C._transform_random_horizontal_flip(float(p))

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}(p={self.p})"


def _seq(x):
    return [x] if isinstance(x, (int, float)) else list(x)
