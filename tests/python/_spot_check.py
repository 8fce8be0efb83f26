"""Moving values between ember and torch for the spot checks, and comparing results with PyTorch's:
same dtype, same shape, same values (NaN where PyTorch has NaN)."""
import torch

import ember

DTYPE_NAMES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"]


def ember_dtype(t):
    return getattr(ember, str(t).split(".")[1])


def torch_dtype(e):
    return getattr(torch, repr(e).split(".")[1])


def to_ember(t, requires_grad=False):
    """The torch tensor's values as a new ember tensor of the same dtype."""
    return ember.tensor(t.tolist(), dtype=ember_dtype(t.dtype), requires_grad=requires_grad)


def to_torch(e):
    return torch.tensor(e.cpu().tolist(), dtype=torch_dtype(e.dtype)).reshape(tuple(e.shape))


# Relative / absolute tolerances by result dtype: a few ulp of the dtype.
TOL = {
    torch.float32: (1.3e-6, 1e-5),
    torch.float64: (1e-12, 1e-12),
    torch.float16: (1e-3, 1e-3),
    torch.bfloat16: (8e-3, 1e-2),
}


def check(e, t):
    """ember result `e` equals torch result `t` in dtype, shape and values."""
    if isinstance(t, (tuple, list)):
        assert len(e) == len(t)
        for a, b in zip(e, t):
            check(a, b)
        return
    assert isinstance(e, ember.Tensor), type(e)
    assert repr(e.dtype) == repr(t.dtype).replace("torch", "ember"), (e.dtype, t.dtype)
    assert tuple(e.shape) == tuple(t.shape), (e.shape, t.shape)
    rtol, atol = TOL.get(t.dtype, (0, 0))
    torch.testing.assert_close(to_torch(e), t.detach().cpu(), rtol=rtol, atol=atol, equal_nan=True)
