"""Batch assembly, as torch.utils.data._utils.collate: default_collate stacks tensors, turns numbers and
NumPy arrays into tensors and recurses into mappings, named tuples and sequences; default_convert only
turns NumPy arrays into tensors (the loader's collate_fn when batching is off); `collate` takes a
collate_fn_map from element type to function, as torch's."""
import collections.abc
import contextlib
import re
from typing import Callable, Dict, Optional, Tuple, Type, Union

import ember

__all__ = ["collate", "default_collate", "default_collate_fn_map", "default_convert"]

np_str_obj_array_pattern = re.compile(r"[SaUO]")

default_collate_err_msg_format = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, "
    "dicts or lists; found {}")

CollateFnMap = Dict[Union[Type, Tuple[Type, ...]], Callable]


def default_convert(data):
    """NumPy arrays (also inside mappings, named tuples and sequences) as tensors; the rest unchanged."""
    elem_type = type(data)
    if isinstance(data, ember.Tensor):
        return data
    elif elem_type.__module__ == "numpy" and elem_type.__name__ != "str_" and elem_type.__name__ != "string_":
        if elem_type.__name__ == "ndarray" and np_str_obj_array_pattern.search(data.dtype.str) is not None:
            return data
        return ember.as_tensor(data)
    elif isinstance(data, collections.abc.Mapping):
        try:
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:  # a mapping type that cannot be built from a dict
            return {key: default_convert(data[key]) for key in data}
    elif isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return elem_type(*(default_convert(d) for d in data))
    elif isinstance(data, tuple):
        return [default_convert(d) for d in data]  # a list, as torch returns
    elif isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    else:
        return data


def collate(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    """Collates `batch` by the type of its first element: the function collate_fn_map names for that type
    (or for a base class, in the map's order), else recursion into mappings, named tuples and sequences."""
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for collate_type in collate_fn_map:
            if isinstance(elem, collate_type):
                return collate_fn_map[collate_type](batch, collate_fn_map=collate_fn_map)

    if isinstance(elem, collections.abc.Mapping):
        try:
            return elem_type({key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem})
        except TypeError:
            return {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem}
    elif isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    elif isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(elem) == elem_size for elem in it):
            raise RuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch))
        if isinstance(elem, tuple):
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
        try:
            return elem_type([collate(samples, collate_fn_map=collate_fn_map) for samples in transposed])
        except TypeError:
            return [collate(samples, collate_fn_map=collate_fn_map) for samples in transposed]
    raise TypeError(default_collate_err_msg_format.format(elem_type))


def collate_tensor_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    return ember.stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    elem = batch[0]
    if np_str_obj_array_pattern.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([ember.as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    return ember.as_tensor(batch)


def collate_float_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    return ember.tensor(batch, dtype=ember.float64)


def collate_int_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    return ember.tensor(batch)


def collate_str_fn(batch, *, collate_fn_map: Optional[CollateFnMap] = None):
    return batch


default_collate_fn_map: CollateFnMap = {ember.Tensor: collate_tensor_fn}
with contextlib.suppress(ImportError):
    import numpy as np
    default_collate_fn_map[np.ndarray] = collate_numpy_array_fn
    default_collate_fn_map[(np.bool_, np.number, np.object_)] = collate_numpy_scalar_fn
default_collate_fn_map[float] = collate_float_fn
default_collate_fn_map[int] = collate_int_fn
default_collate_fn_map[(str, bytes)] = collate_str_fn


def default_collate(batch):
    """A list of examples as one batch: tensors stacked on a new dim 0, ints as int64 and floats as
    float64 tensors, NumPy arrays and scalars as tensors, strings as a list, and mappings, named tuples
    and sequences collated per field, as torch.utils.data.default_collate."""
    return collate(batch, collate_fn_map=default_collate_fn_map)
