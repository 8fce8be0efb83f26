"""Normalization, embedding and dropout layers against torch.nn: values, gradients, state_dict and running
statistics (through _layer_check), several training steps of BatchNorm/InstanceNorm then eval, default
initialisation, dropout's statistics and printout."""
import numpy as np
import pytest
import torch

import ember
from _layer_check import DTYPES as _DT, assert_close, check_layer, make_pair, rand, randint, randn

DTYPES = ["float32", "float64"]

CASES = [
    ("nn.BatchNorm1d(3)", [randn(5, 3)]),
    ("nn.BatchNorm1d(3, momentum=None, affine=False)", [randn(4, 3, 6)]),
    ("nn.BatchNorm1d(3, track_running_stats=False)", [randn(4, 3, 6)]),
    ("nn.BatchNorm2d(4, eps=1e-3, momentum=0.3)", [randn(3, 4, 5, 6)]),
    ("nn.BatchNorm3d(2)", [randn(2, 2, 3, 4, 3)]),
    ("nn.InstanceNorm1d(3)", [randn(4, 3, 6)]),
    ("nn.InstanceNorm1d(3, affine=True)", [randn(3, 7)]),
    ("nn.InstanceNorm2d(4, affine=True, track_running_stats=True)", [randn(3, 4, 5, 6)]),
    ("nn.InstanceNorm2d(2, momentum=0.4, track_running_stats=True)", [randn(3, 2, 5, 6)]),
    ("nn.InstanceNorm3d(2, eps=1e-3)", [randn(2, 2, 3, 4, 3)]),
    ("nn.LayerNorm(6)", [randn(4, 3, 6)]),
    ("nn.LayerNorm([3, 6], eps=1e-3, elementwise_affine=False)", [randn(4, 3, 6)]),
    ("nn.GroupNorm(2, 4)", [randn(3, 4, 5)]),
    ("nn.GroupNorm(3, 6, eps=1e-3, affine=False)", [randn(2, 6, 4, 3)]),
    ("nn.LocalResponseNorm(3)", [randn(2, 5, 4, 3)]),
    ("nn.LocalResponseNorm(2, alpha=1e-2, beta=0.5, k=2.0)", [randn(2, 4, 6)]),
    ("nn.Embedding(10, 3)", [randint(10, 4, 5)]),
    ("nn.Embedding(10, 3, padding_idx=2)", [np.array([[2, 1, 2], [0, 9, 2]])]),
    ("nn.Embedding(10, 3, padding_idx=-1, scale_grad_by_freq=True)", [np.array([[9, 1, 1], [0, 9, 1]])]),
    ("nn.Embedding(10, 4, max_norm=1.0)", [np.array([[3, 1, 3], [7, 1, 0]])]),
    ("nn.Embedding(10, 4, max_norm=1.5, norm_type=1.0)", [np.array([3, 1, 5, 7])]),
    ("nn.EmbeddingBag(10, 3)", [randint(10, 4, 5)]),
    ("nn.EmbeddingBag(10, 3, mode='sum')", [randint(10, 8), np.array([0, 3, 3, 5])]),
    ("nn.EmbeddingBag(10, 3, mode='max')", [randint(10, 8), np.array([0, 3, 6])]),
    ("nn.EmbeddingBag(10, 3, mode='mean', include_last_offset=True)", [randint(10, 8), np.array([0, 3, 5, 8])]),
    ("nn.EmbeddingBag(10, 3, mode='sum', padding_idx=1)", [np.array([1, 2, 1, 4, 5, 1]), np.array([0, 2, 4])]),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("expr,inputs", CASES, ids=[c[0] for c in CASES])
def test_matches_torch(expr, inputs, dtype):
    tm, em = check_layer(expr, inputs, dtype)
    assert repr(em) == repr(tm)


@pytest.mark.parametrize("dtype", DTYPES)
def test_embedding_bag_per_sample_weights(dtype):
    tm, em = make_pair("nn.EmbeddingBag(10, 3, mode='sum')", dtype)
    idx, off, w = randint(10, 6), np.array([0, 2, 5]), rand(6).astype(_DT[dtype][2])
    tw = torch.from_numpy(w).requires_grad_()
    ew = ember.from_numpy(w).requires_grad_()
    ty = tm(torch.from_numpy(idx), torch.from_numpy(off), per_sample_weights=tw)
    ey = em(ember.from_numpy(idx), ember.from_numpy(off), per_sample_weights=ew)
    assert_close(ey, ty, dtype)
    ty.sum().backward()
    ey.sum().backward()
    assert_close(ew.grad, tw.grad, dtype)
    assert_close(em.weight.grad, tm.weight.grad, dtype)


@pytest.mark.parametrize("expr,shapes", [
    ("nn.BatchNorm1d(3)", [(5, 3), (4, 3), (6, 3)]),
    ("nn.BatchNorm1d(3, momentum=None)", [(4, 3, 2), (3, 3, 5), (2, 3, 4)]),
    ("nn.BatchNorm2d(2, momentum=0.5, affine=False)", [(3, 2, 4, 4), (2, 2, 3, 5), (4, 2, 2, 2)]),
    ("nn.BatchNorm3d(2, momentum=None)", [(2, 2, 3, 2, 2), (3, 2, 2, 2, 2)]),
    ("nn.InstanceNorm1d(3, track_running_stats=True)", [(4, 3, 5), (2, 3, 6)]),
    ("nn.InstanceNorm2d(2, affine=True, track_running_stats=True, momentum=0.2)", [(3, 2, 3, 3), (2, 2, 4, 3)]),
])
def test_running_stats_over_steps_then_eval(expr, shapes):
    """Several training steps update running_mean/var (unbiased variance), num_batches_tracked and, with
    momentum=None, the cumulative average as torch does; eval then normalises with the running statistics."""
    tm, em = make_pair(expr)
    for i, shape in enumerate(shapes):
        x = randn(*shape, seed=i) * (i + 1) + i
        assert_close(em(ember.from_numpy(x)), tm(torch.from_numpy(x)), "float64", "step %d" % i)
        for k, v in tm.state_dict().items():
            assert_close(em.state_dict()[k], v, "float64", "%s after step %d" % (k, i))
    tm.eval()
    em.eval()
    x = randn(*shapes[0], seed=9)
    assert_close(em(ember.from_numpy(x)), tm(torch.from_numpy(x)), "float64", "eval")
    assert int(em.num_batches_tracked) == (len(shapes) if "Batch" in expr else 0)
    em.reset_running_stats()
    np.testing.assert_array_equal(em.running_mean.numpy(), np.zeros(em.num_features))
    np.testing.assert_array_equal(em.running_var.numpy(), np.ones(em.num_features))
    assert int(em.num_batches_tracked) == 0


def test_batchnorm_eval_without_running_stats_uses_batch_statistics():
    check_layer("nn.BatchNorm2d(3, track_running_stats=False)", [randn(2, 3, 4, 4)], train=False)


@pytest.mark.parametrize("expr,params", [
    ("nn.BatchNorm2d(5)", {"weight": 1.0, "bias": 0.0}),
    ("nn.InstanceNorm1d(5, affine=True)", {"weight": 1.0, "bias": 0.0}),
    ("nn.LayerNorm((2, 5))", {"weight": 1.0, "bias": 0.0}),
    ("nn.GroupNorm(1, 5)", {"weight": 1.0, "bias": 0.0}),
    ("nn.RMSNorm(5)", {"weight": 1.0}),
])
def test_norm_default_init(expr, params):
    em = eval(expr, {"nn": ember.nn})
    assert [k for k, _ in em.named_parameters()] == list(params)
    for k, v in params.items():
        np.testing.assert_array_equal(getattr(em, k).detach().numpy(), np.full(getattr(em, k).shape, v))
    if "BatchNorm" in expr:
        assert [k for k, _ in em.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
        assert em.num_batches_tracked.dtype == ember.int64 and em.num_batches_tracked.dim() == 0


def test_norm_without_affine_or_stats_has_no_state():
    for expr in ["nn.BatchNorm1d(3, affine=False, track_running_stats=False)", "nn.InstanceNorm2d(3)",
                 "nn.LayerNorm(3, elementwise_affine=False)", "nn.GroupNorm(1, 3, affine=False)",
                 "nn.RMSNorm(3, elementwise_affine=False)"]:
        em = eval(expr, {"nn": ember.nn})
        assert list(em.state_dict().keys()) == [] and em.weight is None


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,normalized,eps,affine", [((4, 6), 6, None, True), ((2, 3, 4), (3, 4), 1e-3, True),
                                                         ((3, 5), [5], 0.1, False)])
def test_rms_norm(shape, normalized, eps, affine, dtype):
    """RMSNorm is torch 2.x's (absent from torch 1.13): x / sqrt(mean(x^2 over the normalized dims) + eps) * weight,
    eps=None meaning the dtype's machine epsilon; compared with that formula computed by torch."""
    tdt, edt, ndt = _DT[dtype]
    m = ember.nn.RMSNorm(normalized, eps=eps, elementwise_affine=affine, dtype=edt)
    n = len(m.normalized_shape)
    assert repr(m) == "RMSNorm(%s, eps=%s, elementwise_affine=%s)" % (m.normalized_shape, eps, affine)
    x = randn(*shape).astype(ndt)
    w = rand(*shape[-n:], low=0.5, high=1.5).astype(ndt)
    if affine:
        m.load_state_dict({"weight": ember.from_numpy(w)})
    tx = torch.from_numpy(x).requires_grad_()
    tw = torch.from_numpy(w).requires_grad_()
    e = torch.finfo(tdt).eps if eps is None else eps
    dims = tuple(range(-n, 0))
    ty = tx * torch.rsqrt(tx.pow(2).mean(dims, keepdim=True) + e)
    if affine:
        ty = ty * tw
    ex = ember.from_numpy(x).requires_grad_()
    ey = m(ex)
    assert_close(ey, ty, dtype)
    g = randn(*shape, seed=2).astype(ndt)
    ty.backward(torch.from_numpy(g))
    ey.backward(ember.from_numpy(g))
    assert_close(ex.grad, tx.grad, dtype)
    if affine:
        assert_close(m.weight.grad, tw.grad, dtype)


def test_embedding_init_and_padding():
    ember.manual_seed(0)
    m = ember.nn.Embedding(400, 50, padding_idx=-3)
    assert m.padding_idx == 397
    w = m.weight.detach().numpy()
    np.testing.assert_array_equal(w[397], np.zeros(50))
    rest = np.delete(w, 397, axis=0)
    assert abs(rest.mean()) < 0.02 and abs(rest.std() - 1) < 0.02  # init.normal_: N(0, 1)
    idx = ember.tensor([[397, 1], [397, 397]])
    m(idx).sum().backward()
    np.testing.assert_array_equal(m.weight.grad.numpy()[397], np.zeros(50))
    np.testing.assert_array_equal(m.weight.grad.numpy()[1], np.ones(50))


def test_embedding_from_pretrained():
    w = randn(5, 3)
    for freeze in (True, False):
        tm = torch.nn.Embedding.from_pretrained(torch.from_numpy(w), freeze=freeze, padding_idx=1, max_norm=2.0)
        em = ember.nn.Embedding.from_pretrained(ember.from_numpy(w), freeze=freeze, padding_idx=1, max_norm=2.0)
        assert em.weight.requires_grad == (not freeze)
        assert repr(em) == repr(tm)
        idx = np.array([0, 1, 4, 4])
        assert_close(em(ember.from_numpy(idx)), tm(torch.from_numpy(idx)), "float64")
        assert_close(em.weight, tm.weight, "float64")  # max_norm renormalised the looked-up rows in place
    tb = torch.nn.EmbeddingBag.from_pretrained(torch.from_numpy(w), mode="max")
    eb = ember.nn.EmbeddingBag.from_pretrained(ember.from_numpy(w), mode="max")
    assert repr(eb) == repr(tb) and not eb.weight.requires_grad
    idx = np.array([[0, 1, 4], [2, 2, 3]])
    assert_close(eb(ember.from_numpy(idx)), tb(torch.from_numpy(idx)), "float64")


@pytest.mark.parametrize("expr,shape", [("nn.Dropout()", (2, 3, 4)), ("nn.Dropout(0.2, inplace=True)", (5,)),
                                        ("nn.Dropout1d(0.3)", (2, 3, 4)), ("nn.Dropout2d(p=0.1)", (2, 3, 4, 5)),
                                        ("nn.Dropout3d()", (2, 3, 4, 5, 2)), ("nn.AlphaDropout(0.2)", (3, 4)),
                                        ("nn.FeatureAlphaDropout(0.4)", (2, 3, 4, 5))])
def test_dropout_eval_is_identity(expr, shape):
    tm = eval(expr, {"nn": torch.nn})
    em = eval(expr, {"nn": ember.nn})
    assert repr(em) == repr(tm)
    em.eval()
    x = randn(*shape)
    np.testing.assert_array_equal(em(ember.from_numpy(x.copy())).numpy(), x)


@pytest.mark.parametrize("cls,shape,channelwise", [("Dropout", (200, 100), False), ("Dropout1d", (40, 50, 10), True),
                                                   ("Dropout2d", (40, 50, 3, 4), True),
                                                   ("Dropout3d", (20, 50, 2, 3, 2), True)])
def test_dropout_training_statistics(cls, shape, channelwise):
    """Each kept element (or whole channel) is scaled by 1/(1-p), about p of them are zeroed, and the gradient
    goes through the same mask."""
    p = 0.3
    ember.manual_seed(0)
    m = getattr(ember.nn, cls)(p)
    x = rand(*shape, low=1.0, high=2.0)
    ex = ember.from_numpy(x).requires_grad_()
    y = m(ex)
    y.sum().backward()
    yn = y.detach().numpy()
    kept = yn != 0
    np.testing.assert_allclose(yn[kept], x[kept] / (1 - p), rtol=1e-12)
    np.testing.assert_allclose(ex.grad.numpy(), kept / (1 - p), rtol=1e-12)
    if channelwise:
        per_channel = kept.reshape(shape[0], shape[1], -1)
        assert (per_channel.all(-1) | ~per_channel.any(-1)).all()
        frac = 1 - per_channel[..., 0].mean()
    else:
        frac = 1 - kept.mean()
    assert abs(frac - p) < 0.05
    for q, expected in ((0.0, x), (1.0, np.zeros(shape))):
        np.testing.assert_array_equal(getattr(ember.nn, cls)(q)(ember.from_numpy(x)).numpy(), expected)


@pytest.mark.parametrize("cls,shape", [("AlphaDropout", (400, 500)), ("FeatureAlphaDropout", (100, 200, 10))])
def test_alpha_dropout_keeps_mean_and_variance(cls, shape):
    """SELU's fixed point: for a standard-normal input the output keeps mean 0 and variance 1."""
    ember.manual_seed(1)
    y = getattr(ember.nn, cls)(0.2)(ember.from_numpy(randn(*shape))).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.var() - 1) < 0.03
    if cls == "FeatureAlphaDropout":
        flat = y.reshape(shape[0] * shape[1], -1)
        dropped = np.all(np.isclose(flat, flat[:, :1]), axis=1)
        assert abs(dropped.mean() - 0.2) < 0.03


@pytest.mark.parametrize("expr", [
    "nn.Dropout(1.5)", "nn.Dropout2d(-0.1)", "nn.AlphaDropout(2)", "nn.GroupNorm(3, 4)",
    "nn.BatchNorm2d(3)(T(np.zeros((2, 3))))", "nn.BatchNorm1d(3)(T(np.zeros((2, 3, 4, 5))))",
    "nn.InstanceNorm2d(3)(T(np.zeros((2, 3))))", "nn.Embedding(5, 2, padding_idx=5)",
    "nn.Embedding(5, 2, padding_idx=-6)", "nn.EmbeddingBag(5, 2, padding_idx=7)",
    "nn.Embedding.from_pretrained(T(np.zeros(3)))", "nn.Embedding(3, 2, _weight=T(np.zeros((2, 2))))",
])
def test_errors(expr):
    env = {"np": np}
    with pytest.raises(Exception) as te:
        eval(expr, {"nn": torch.nn, "T": torch.from_numpy, **env})
    with pytest.raises(type(te.value)) as ee:
        eval(expr, {"nn": ember.nn, "T": ember.from_numpy, **env})
    assert str(ee.value) == str(te.value)


def test_norm_state_dict_versions():
    """_NormBase's version 2 (num_batches_tracked) and InstanceNorm's rejection of running statistics it does
    not track behave as torch's when a state dict without metadata is loaded."""
    results = []
    for nn, T in ((torch.nn, torch.from_numpy), (ember.nn, ember.from_numpy)):
        m = nn.BatchNorm1d(3)
        assert m.state_dict()._metadata[""] == {"version": 2}
        m.load_state_dict({k: T(v.detach().numpy() + 1) for k, v in m.state_dict().items()
                           if k != "num_batches_tracked"})
        np.testing.assert_array_equal(m.running_var.numpy(), np.full(3, 2.0))
        assert int(m.num_batches_tracked) == 0
        with pytest.raises(RuntimeError) as e:
            nn.InstanceNorm1d(3).load_state_dict({"running_mean": T(np.zeros(3)), "running_var": T(np.ones(3))})
        results.append(str(e.value))
    assert results[1] == results[0]
