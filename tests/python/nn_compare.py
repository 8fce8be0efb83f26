"""Side-by-side runs of an ember.nn.functional call and its torch counterpart on the same inputs: values,
dtypes and shapes of the results, then the gradients of every floating input under one random upstream
gradient. Also the expected-error check (same exception class and message).

With EMBER_TEST_DEVICE=cuda, `compare` runs both calls on the GPU (docs/GPU.md)."""
import os

import pytest
import torch
import torch.nn.functional as TF

import ember
import ember.nn.functional as F
from _spot_check import check, to_ember, to_torch


DEVICE = os.environ.get("EMBER_TEST_DEVICE", "cpu")


def rand(*shape, dtype=torch.float64, lo=-1.0, hi=1.0):
    return torch.rand(*shape, dtype=dtype) * (hi - lo) + lo


def _outputs(r):
    return list(r) if isinstance(r, (tuple, list)) else [r]


def compare(fe, ft, *inputs, grad=True):
    """fe(*ember copies) and ft(*torch copies) agree; None inputs stay None. With grad, every floating
    input requires grad and the backward of the floating outputs under one random upstream gradient
    gives the same input gradients."""
    tt, te = [], []
    for t in inputs:
        if t is None:
            tt.append(None)
            te.append(None)
            continue
        g = grad and t.is_floating_point()
        tt.append(t.detach().clone().to(DEVICE).requires_grad_(g))
        te.append(to_ember(t).to(DEVICE).requires_grad_(g))
    rt, re = ft(*tt), fe(*te)
    assert isinstance(re, tuple) == isinstance(rt, tuple), (type(re), type(rt))
    check(_outputs(re), _outputs(rt))
    if not grad:
        return re
    outs = [(e, t) for e, t in zip(_outputs(re), _outputs(rt)) if t.is_floating_point() and t.requires_grad]
    assert outs, "nothing to differentiate"
    ups = [torch.randn_like(t) for _, t in outs]
    torch.autograd.backward([t for _, t in outs], ups)
    ember.autograd.backward([e for e, _ in outs], [to_ember(u).to(DEVICE) for u in ups])
    for e, t in zip(te, tt):
        if t is not None and t.requires_grad:
            assert (e.grad is None) == (t.grad is None)
            if t.grad is not None:
                check(e.grad, t.grad)
    return re


def raises_like(fe, ft, *inputs, ember_names=False):
    """fe and ft raise the same exception class and message on the same inputs. ember_names: where torch's
    message names torch.int64 or torch.Size, ember's names ember.int64, ember.Size (docs/DIFFERENCES.md).
    The messages are PyTorch 1.13's on the CPU, so a GPU run (another PyTorch) leaves them out."""
    if DEVICE != "cpu":
        pytest.skip("error messages are checked on the CPU against PyTorch 1.13")
    with pytest.raises(Exception) as te:
        ft(*[t for t in inputs])
    with pytest.raises(Exception) as ee:
        fe(*[None if t is None else to_ember(t) if isinstance(t, torch.Tensor) else t for t in inputs])
    assert type(ee.value).__name__ == type(te.value).__name__, (ee.value, te.value)
    expected = str(te.value).replace("torch.", "ember.") if ember_names else str(te.value)
    assert str(ee.value) == expected


__all__ = ["rand", "compare", "raises_like", "check", "to_ember", "to_torch"]


def both(name, **kw):
    """ember's and torch's F.<name> with the keyword arguments bound."""
    return (lambda *a: getattr(F, name)(*a, **kw)), (lambda *a: getattr(TF, name)(*a, **kw))
