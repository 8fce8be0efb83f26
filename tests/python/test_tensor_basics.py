"""ember.Tensor's metadata, dtypes and devices, checked against PyTorch."""
import pytest
import torch

import ember


def test_dtypes_are_singletons_with_pytorch_names():
    for name in ["float32", "float64", "float16", "bfloat16", "int8", "uint8", "int16", "int32", "int64", "bool"]:
        d = getattr(ember, name)
        assert d is getattr(ember, name)
        assert repr(d) == repr(getattr(torch, name)).replace("torch", "ember")
        assert d.itemsize == torch.empty(0, dtype=getattr(torch, name)).element_size()
        assert d.is_floating_point == getattr(torch, name).is_floating_point
    assert ember.float is ember.float32 and ember.long is ember.int64 and ember.double is ember.float64


def test_shape_stride_and_size():
    x = ember.zeros(2, 3, 4)
    t = torch.zeros(2, 3, 4)
    assert x.shape == t.shape and isinstance(x.shape, ember.Size) and isinstance(x.shape, tuple)
    assert repr(x.shape) == repr(t.shape).replace("torch", "ember")
    assert x.size() == t.size() and x.size(1) == 3 and x.size(-1) == 4
    assert x.stride() == t.stride() and x.stride(0) == 12
    assert x.dim() == 3 and x.ndim == 3 and x.numel() == 24 and len(x) == 2
    assert x.shape.numel() == 24
    assert ember.zeros((2, 3)).shape == (2, 3) and ember.zeros([2, 3]).shape == (2, 3)
    assert ember.zeros(ember.Size([4])).shape == (4,)


def test_factory_keywords():
    x = ember.ones(2, dtype=ember.float64, requires_grad=True)
    assert x.dtype is ember.float64 and x.requires_grad and x.is_leaf
    assert ember.zeros(2, dtype=float).dtype is ember.float64
    assert ember.zeros(2, dtype=int).dtype is ember.int64
    assert ember.zeros(2, dtype=bool).dtype is ember.bool
    assert ember.zeros(2, device="cpu").device == ember.device("cpu")
    assert str(ember.device("cpu")) == "cpu" and repr(ember.device("cpu")) == "device(type='cpu')"


def test_size_argument_errors_are_type_errors():
    with pytest.raises(TypeError):
        ember.zeros(2, "a")
    with pytest.raises(TypeError):
        ember.zeros("a")


def test_repr_matches_pytorch():
    vals = [[1.5, -2.25, 3.0], [0.0, 1e-3, 100.0]]
    e = ember.zeros(2, 3, dtype=ember.float64)
    t = torch.tensor(vals, dtype=torch.float64)
    assert e.tolist() == torch.zeros(2, 3, dtype=torch.float64).tolist()
    assert repr(e) == repr(torch.zeros(2, 3, dtype=torch.float64)).replace("torch", "ember")
    del t


def test_item_and_conversions():
    z = ember.ones(1, dtype=ember.int64)
    assert z.item() == 1 and isinstance(z.item(), int)
    assert isinstance(ember.ones(1).item(), float)
    assert isinstance(ember.ones(1, dtype=ember.bool).item(), bool)
    assert int(z) == 1 and float(z) == 1.0 and bool(z)
    with pytest.raises(RuntimeError):
        bool(ember.ones(2))
    assert ember.ones(2).double().dtype is ember.float64
    assert ember.ones(2).to(ember.int32).dtype is ember.int32


def test_default_dtype():
    ember.set_default_dtype(ember.float64)
    assert ember.get_default_dtype() is ember.float64
    assert ember.zeros(1).dtype is ember.float64
