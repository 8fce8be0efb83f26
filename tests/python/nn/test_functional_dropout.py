"""ember.nn.functional's dropout family (dropout, dropout1d/2d/3d, alpha_dropout, feature_alpha_dropout) and
torch's top-level forms (torch.dropout, feature_dropout, alpha_dropout, ... and their in-place forms). The
random masks differ from torch's, so these check the semantics instead: the kept values' scale, the dropped
fraction, whole channels for the feature forms, training=False as the identity, gradients through the same
mask, inplace returning the input itself; and torch's errors and warnings exactly."""
import math
import warnings

import pytest
import torch
import torch.nn.functional as TF

import ember
import ember.nn.functional as F
from nn_compare import raises_like, to_torch

ALPHA = 1.7580993408473766  # SELU's negative saturation, -scale * alpha


@pytest.fixture(autouse=True)
def _seed():
    ember.manual_seed(0)
    torch.manual_seed(0)


def values(e):
    return to_torch(e.detach()).double()


def kept_fraction_close(kept, p):
    n = kept.numel()
    assert abs(kept.double().mean().item() - (1 - p)) < 4 * math.sqrt(p * (1 - p) / n) + 1e-12


@pytest.mark.parametrize("dtype", [ember.float32, ember.float64])
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_dropout_scales_kept_values_and_drops_p(dtype, p):
    x = ember.rand(40, 500, dtype=dtype) + 0.5
    x.requires_grad_(True)
    y = F.dropout(x, p)
    assert y.dtype == dtype and tuple(y.shape) == (40, 500)
    out, inp = values(y), values(x)
    kept = out != 0
    kept_fraction_close(kept, p)
    tol = 1e-6 if dtype == ember.float32 else 1e-12
    torch.testing.assert_close(out[kept], inp[kept] / (1 - p), rtol=tol, atol=tol)
    up = ember.randn(40, 500, dtype=dtype)
    y.backward(up)
    torch.testing.assert_close(values(x.grad), values(up) * kept / (1 - p), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
                                  "feature_alpha_dropout"])
def test_not_training_is_identity(name):
    shape = {"dropout1d": (3, 4, 5), "dropout3d": (2, 3, 4, 2, 3)}.get(name, (2, 3, 4, 5))
    x = ember.randn(*shape, requires_grad=True)
    y = getattr(F, name)(x, 0.5, training=False)
    assert torch.equal(values(y), values(x))
    y.sum().backward()
    assert torch.equal(values(x.grad), torch.ones(shape, dtype=torch.float64))


def test_training_defaults_as_torch():
    # F.dropout* train by default; the alpha forms do not (training=False), as in torch 1.13.
    x = ember.ones(2, 4, 50, 50)
    assert (values(F.dropout(x)) == 0).any() and (values(F.dropout2d(x)) == 0).any()
    assert torch.equal(values(F.alpha_dropout(x)), values(x))
    assert torch.equal(values(F.feature_alpha_dropout(x)), values(x))


def test_p_zero_and_one():
    x = ember.randn(3, 4, 5)
    assert torch.equal(values(F.dropout(x, 0.0)), values(x))
    assert torch.equal(values(F.dropout(x, 1.0)), torch.zeros(3, 4, 5, dtype=torch.float64))
    assert torch.equal(values(F.dropout1d(x, 1.0)), torch.zeros(3, 4, 5, dtype=torch.float64))


@pytest.mark.parametrize("name, shape, channel_dims", [
    ("dropout1d", (40, 50, 7), 2),
    ("dropout1d", (2000, 7), 1),  # unbatched (C, L)
    ("dropout2d", (40, 50, 3, 4), 2),
    ("dropout3d", (40, 50, 2, 3, 2), 2),
    ("dropout3d", (2000, 2, 3, 2), 1),  # unbatched (C, D, H, W)
])
@pytest.mark.parametrize("p", [0.3, 0.6])
def test_feature_dropout_drops_whole_channels(name, shape, channel_dims, p):
    x = ember.ones(*shape, requires_grad=True)
    y = getattr(F, name)(x, p)
    out = values(y).reshape(*shape[:channel_dims], -1)
    kept = out[..., 0] != 0
    torch.testing.assert_close(out, kept[..., None].double().expand_as(out) / (1 - p), rtol=1e-6, atol=1e-6)
    kept_fraction_close(kept, p)
    y.backward(ember.ones(*shape))
    torch.testing.assert_close(values(x.grad), values(y))


@pytest.mark.parametrize("name, shape, channel_dims", [
    ("alpha_dropout", (40, 500), 2),
    ("feature_alpha_dropout", (40, 50, 3, 4), 2),
])
@pytest.mark.parametrize("p", [0.2, 0.5])
def test_alpha_dropout_values(name, shape, channel_dims, p):
    # Kept: a * x + alpha * a * p; dropped: a * (alpha * p - alpha), with a = 1 / sqrt((alpha^2 p + 1)(1 - p))
    # (ATen's _dropout_impl), so that a standard normal input keeps zero mean and unit variance.
    x = ember.randn(*shape, dtype=ember.float64, requires_grad=True)
    y = getattr(F, name)(x, p, training=True)
    a = 1 / math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p))
    inp, out = values(x), values(y)
    kept_value, dropped_value = a * inp + ALPHA * a * p, torch.full_like(inp, a * (ALPHA * p - ALPHA))
    kept = (out - kept_value).abs() < 1e-12
    assert torch.equal(kept | ((out - dropped_value).abs() < 1e-12), torch.ones_like(kept))
    per_channel = kept.reshape(*shape[:channel_dims], -1)
    assert torch.equal(per_channel, per_channel[..., :1].expand_as(per_channel))
    kept_fraction_close(per_channel[..., 0], p)
    y.backward(ember.ones(*shape, dtype=ember.float64))
    torch.testing.assert_close(values(x.grad), kept.double() * a, rtol=1e-12, atol=1e-12)
    if name == "alpha_dropout":
        assert abs(out.mean().item()) < 0.05 and abs(out.std().item() - 1) < 0.05


@pytest.mark.parametrize("name", ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
                                  "feature_alpha_dropout"])
def test_inplace_returns_and_changes_the_input(name):
    shape = {"dropout1d": (30, 40), "dropout2d": (30, 40, 3, 2), "dropout3d": (30, 40, 2, 2, 2)}.get(name, (30, 40, 3))
    x = ember.ones(*shape)
    y = getattr(F, name)(x, 0.5, training=True, inplace=True)
    assert y is x
    assert tuple(x.shape) == shape
    got = values(x)
    assert (got != 1).any() and not torch.equal(got, torch.ones(shape, dtype=torch.float64))


def test_inplace_on_a_leaf_view_chain_keeps_gradients():
    x = ember.randn(20, 30, requires_grad=True)
    h = x * 1
    F.dropout(h, 0.5, inplace=True)
    h.backward(ember.ones(20, 30))
    kept = values(h) != 0
    torch.testing.assert_close(values(x.grad), kept.double() * 2)


@pytest.mark.parametrize("name", ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
                                  "feature_alpha_dropout"])
@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_p_out_of_range(name, p):
    raises_like(lambda x: getattr(F, name)(x, p, True), lambda x: getattr(TF, name)(x, p, True),
                torch.ones(2, 3, 4, 5))


@pytest.mark.parametrize("shape", [(4,), (2, 3, 4, 5)])
def test_dropout1d_rank_error(shape):
    raises_like(F.dropout1d, TF.dropout1d, torch.ones(shape))


@pytest.mark.parametrize("name, shape", [("dropout2d", (2, 3)), ("dropout2d", (2, 3, 4)),
                                         ("dropout2d", (2, 3, 4, 5, 6)), ("dropout3d", (2, 3, 4)),
                                         ("dropout3d", (2, 3, 4, 5)), ("dropout2d", (2, 3, 4, 5))])
def test_rank_warnings_as_torch(name, shape):
    with warnings.catch_warnings(record=True) as wt:
        warnings.simplefilter("always")
        getattr(TF, name)(torch.ones(shape), 0.5)
    with warnings.catch_warnings(record=True) as we:
        warnings.simplefilter("always")
        y = getattr(F, name)(ember.ones(*shape), 0.5)
    assert [str(w.message) for w in we] == [str(w.message) for w in wt]
    assert tuple(y.shape) == shape


@pytest.mark.parametrize("name", ["dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout"])
def test_top_level_forms(name):
    x = ember.ones(40, 50, 3)
    assert torch.equal(values(getattr(ember, name)(x, 0.5, False)), values(x))
    y = getattr(ember, name)(x, 0.5, True)
    assert (values(y) != 1).any() and torch.equal(values(x), torch.ones(40, 50, 3, dtype=torch.float64))
    z = ember.ones(40, 50, 3)
    assert getattr(ember, name + "_")(z, 0.5, True) is z
    assert (values(z) != 1).any()
    if name == "feature_dropout":
        per_channel = values(y).reshape(40, 50, 3)
        assert torch.equal(per_channel, per_channel[..., :1].expand_as(per_channel))


@pytest.mark.parametrize("name, shape", [("dropout", (2, 3, 4)), ("dropout1d", (3, 4)), ("dropout1d", (2, 3, 4)),
                                         ("dropout2d", (2, 3, 4, 5)), ("dropout3d", (2, 3, 4, 5)),
                                         ("alpha_dropout", (2, 3)), ("feature_alpha_dropout", (2, 3, 4))])
@pytest.mark.parametrize("training", [True, False])
def test_inplace_on_a_leaf_that_requires_grad(name, shape, training):
    # torch refuses an in-place write into such a leaf; its unbatched forms refuse even when not training
    # (input.unsqueeze_(0) is in place), the others pass when nothing is written.
    outcome = []
    for lib, f in [(torch, TF), (ember, F)]:
        x = lib.ones(*shape, requires_grad=True)
        try:
            outcome.append(getattr(f, name)(x, 0.5, training, True) is x)
        except RuntimeError as e:
            outcome.append(str(e))
    assert outcome[1] == outcome[0]
