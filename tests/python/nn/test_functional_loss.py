"""ember.nn.functional's losses against torch.nn.functional: values and gradients (inputs, and var /
the second input where they require grad) in float32 and float64, every case under reduction 'none',
'mean' and 'sum'; the deprecated size_average / reduce arguments (mapped onto reduction, with PyTorch's
warning); kl_div's 'batchmean' and its warning for 'mean'; and PyTorch's errors."""
import warnings

import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as EF
from _functional_check import Const, assert_same, check_error, compare, rand

DTYPES = ["float32", "float64"]
REDUCTIONS = ["none", "mean", "sum"]


def probs(*shape, seed=0, axis=1):
    e = np.exp(rand(*shape, seed=seed))
    return e / e.sum(axis=axis, keepdims=True)


def signs(*shape, seed=0):
    return np.where(np.random.default_rng(seed).uniform(size=shape) < 0.5, -1.0, 1.0)


CLS = np.array([0, 4, 2, -100, 1, 3])  # six samples of five classes, one ignored (the default ignore_index)
CLS_ND = np.random.default_rng(3).integers(0, 5, (2, 3, 4))

# (id, arrays, call(F, M, reduction, *tensors)).
CASES = [
    ("cross_entropy", [rand(6, 5), CLS], lambda F, M, r, x, t: F.cross_entropy(x, t, reduction=r)),
    ("cross_entropy_weight", [rand(6, 5), CLS, Const(rand(5, seed=2, low=0.2, high=2))],
     lambda F, M, r, x, t, w: F.cross_entropy(x, t, w, reduction=r)),
    ("cross_entropy_ignore_index", [rand(6, 5), np.array([0, 4, 2, 2, 1, 3])],
     lambda F, M, r, x, t: F.cross_entropy(x, t, ignore_index=2, reduction=r)),
    ("cross_entropy_label_smoothing", [rand(6, 5), CLS, Const(rand(5, seed=2, low=0.2, high=2))],
     lambda F, M, r, x, t, w: F.cross_entropy(x, t, w, reduction=r, label_smoothing=0.2)),
    ("cross_entropy_nd", [rand(2, 5, 3, 4), CLS_ND], lambda F, M, r, x, t: F.cross_entropy(x, t, reduction=r)),
    ("cross_entropy_unbatched", [rand(5), np.array(3)], lambda F, M, r, x, t: F.cross_entropy(x, t, reduction=r)),
    ("cross_entropy_probs", [rand(6, 5), Const(probs(6, 5, seed=4))],
     lambda F, M, r, x, t: F.cross_entropy(x, t, reduction=r)),
    ("cross_entropy_probs_weight_smoothing", [rand(2, 5, 3), Const(probs(2, 5, 3, seed=4)),
                                             Const(rand(5, seed=2, low=0.2, high=2))],
     lambda F, M, r, x, t, w: F.cross_entropy(x, t, w, reduction=r, label_smoothing=0.1)),
    ("cross_entropy_large_logits", [rand(6, 5, low=-300, high=300), CLS],
     lambda F, M, r, x, t: F.cross_entropy(x, t, reduction=r)),
    ("nll_loss", [rand(6, 5), CLS], lambda F, M, r, x, t: F.nll_loss(F.log_softmax(x, 1), t, reduction=r)),
    ("nll_loss_weight_ignore", [rand(6, 5), np.array([0, 4, 2, 2, 1, 3]), Const(rand(5, seed=2, low=0.2, high=2))],
     lambda F, M, r, x, t, w: F.nll_loss(x, t, w, ignore_index=4, reduction=r)),
    ("nll_loss_nd", [rand(2, 5, 3, 4), CLS_ND], lambda F, M, r, x, t: F.nll_loss(x, t, reduction=r)),
    ("binary_cross_entropy", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=1))],
     lambda F, M, r, x, t: F.binary_cross_entropy(M.sigmoid(x), t, reduction=r)),
    ("binary_cross_entropy_weight", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=1)), Const(rand(3, seed=3))],
     lambda F, M, r, x, t, w: F.binary_cross_entropy(M.sigmoid(x), t, w, reduction=r)),
    ("binary_cross_entropy_saturated", [Const(np.array([0.0, 1.0, 0.5])), Const(np.array([1.0, 0.0, 0.5]))],
     lambda F, M, r, x, t: F.binary_cross_entropy(x, t, reduction=r)),
    ("bce_with_logits", [rand(4, 3, low=-30, high=30), Const(rand(4, 3, seed=2, low=0, high=1))],
     lambda F, M, r, x, t: F.binary_cross_entropy_with_logits(x, t, reduction=r)),
    ("bce_with_logits_weight_pos_weight", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=1)),
                                           Const(rand(4, 1, seed=3)), Const(rand(3, seed=4, low=0.5, high=3))],
     lambda F, M, r, x, t, w, pw: F.binary_cross_entropy_with_logits(x, t, w, reduction=r, pos_weight=pw)),
    ("mse_loss", [rand(4, 3), rand(4, 3, seed=2)], lambda F, M, r, x, y: F.mse_loss(x, y, reduction=r)),
    ("l1_loss", [rand(4, 3), rand(4, 3, seed=2)], lambda F, M, r, x, y: F.l1_loss(x, y, reduction=r)),
    ("smooth_l1_loss", [rand(4, 3), rand(4, 3, seed=2)], lambda F, M, r, x, y: F.smooth_l1_loss(x, y, reduction=r)),
    ("smooth_l1_loss_beta", [rand(4, 3), rand(4, 3, seed=2)],
     lambda F, M, r, x, y: F.smooth_l1_loss(x, y, reduction=r, beta=0.5)),
    ("smooth_l1_loss_beta0", [rand(4, 3), Const(rand(4, 3, seed=2))],
     lambda F, M, r, x, y: F.smooth_l1_loss(x, y, reduction=r, beta=0.0)),
    ("huber_loss", [rand(4, 3), rand(4, 3, seed=2)], lambda F, M, r, x, y: F.huber_loss(x, y, reduction=r)),
    ("huber_loss_delta", [rand(4, 3), rand(4, 3, seed=2)],
     lambda F, M, r, x, y: F.huber_loss(x, y, r, delta=0.7)),
    ("soft_margin_loss", [rand(4, 3), Const(signs(4, 3))], lambda F, M, r, x, t: F.soft_margin_loss(x, t, reduction=r)),
    ("kl_div", [rand(4, 5), Const(probs(4, 5, seed=2))],
     lambda F, M, r, x, t: F.kl_div(F.log_softmax(x, 1), t, reduction=r if r != "mean" else "batchmean")),
    ("kl_div_log_target", [rand(4, 5), rand(4, 5, seed=2)],
     lambda F, M, r, x, t: F.kl_div(F.log_softmax(x, 1), F.log_softmax(t, 1), reduction=r, log_target=True)
     if r != "mean" else F.kl_div(x, t, reduction="batchmean", log_target=True)),
    ("poisson_nll_loss", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=4))],
     lambda F, M, r, x, t: F.poisson_nll_loss(x, t, reduction=r)),
    ("poisson_nll_loss_full_rate", [rand(4, 3, low=0.1, high=3), Const(rand(4, 3, seed=2, low=0, high=4))],
     lambda F, M, r, x, t: F.poisson_nll_loss(x, t, log_input=False, full=True, eps=1e-3, reduction=r)),
    ("gaussian_nll_loss", [rand(4, 3), rand(4, 3, seed=2), rand(4, 3, seed=3, low=0.1, high=2)],
     lambda F, M, r, x, t, v: F.gaussian_nll_loss(x, t, v, reduction=r)),
    ("gaussian_nll_loss_full_broadcast_var", [rand(4, 3), rand(4, 3, seed=2), rand(4, 1, seed=3, low=0.1, high=2)],
     lambda F, M, r, x, t, v: F.gaussian_nll_loss(x, t, v, full=True, eps=1e-3, reduction=r)),
    ("cosine_embedding_loss", [rand(4, 5), rand(4, 5, seed=2), Const(signs(4))],
     lambda F, M, r, a, b, t: F.cosine_embedding_loss(a, b, t, reduction=r)),
    ("cosine_embedding_loss_margin", [rand(4, 5), rand(4, 5, seed=2), Const(signs(4))],
     lambda F, M, r, a, b, t: F.cosine_embedding_loss(a, b, t, 0.3, reduction=r)),
    ("margin_ranking_loss", [rand(6), rand(6, seed=2), Const(signs(6))],
     lambda F, M, r, a, b, t: F.margin_ranking_loss(a, b, t, margin=0.5, reduction=r)),
    ("hinge_embedding_loss", [rand(4, 3), Const(signs(4, 3))],
     lambda F, M, r, x, t: F.hinge_embedding_loss(x, t, reduction=r)),
    ("hinge_embedding_loss_margin", [rand(4, 3), Const(signs(4, 3))],
     lambda F, M, r, x, t: F.hinge_embedding_loss(x, t, 0.5, reduction=r)),
    ("triplet_margin_loss", [rand(4, 5), rand(4, 5, seed=2), rand(4, 5, seed=3)],
     lambda F, M, r, a, p, n: F.triplet_margin_loss(a, p, n, reduction=r)),
    ("triplet_margin_loss_p1_swap", [rand(4, 5), rand(4, 5, seed=2), rand(4, 5, seed=3)],
     lambda F, M, r, a, p, n: F.triplet_margin_loss(a, p, n, margin=2.0, p=1, swap=True, reduction=r)),
    ("multilabel_soft_margin_loss", [rand(4, 3), Const(np.random.default_rng(2).integers(0, 2, (4, 3)) * 1.0)],
     lambda F, M, r, x, t: F.multilabel_soft_margin_loss(x, t, reduction=r)),
    ("multilabel_soft_margin_loss_weight", [rand(4, 3), Const(np.random.default_rng(2).integers(0, 2, (4, 3)) * 1.0),
                                            Const(rand(3, seed=3))],
     lambda F, M, r, x, t, w: F.multilabel_soft_margin_loss(x, t, w, reduction=r)),
    ("multilabel_margin_loss", [rand(3, 5), np.array([[3, 0, -1, 1, 4], [1, 1, 2, -1, 0], [4, 3, 2, 1, 0]])],
     lambda F, M, r, x, t: F.multilabel_margin_loss(x, t, reduction=r)),
    ("multilabel_margin_loss_unbatched", [rand(5), np.array([2, 4, -1, 0, 0])],
     lambda F, M, r, x, t: F.multilabel_margin_loss(x, t, reduction=r)),
    ("multi_margin_loss", [rand(6, 5), np.array([0, 4, 2, 2, 1, 3])],
     lambda F, M, r, x, t: F.multi_margin_loss(x, t, reduction=r)),
    ("multi_margin_loss_p2_weight", [rand(6, 5), np.array([0, 4, 2, 2, 1, 3]), Const(rand(5, seed=2, low=0.2, high=2))],
     lambda F, M, r, x, t, w: F.multi_margin_loss(x, t, 2, 0.5, w, reduction=r)),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_loss(case, dtype, reduction):
    _, arrays, call = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kl_div's 'mean' warning: test_kl_div_mean_warns
        compare(lambda F, M, *ts: call(F, M, reduction, *ts), *arrays, dtype=dtype)


# torch.<loss>: ATen's signatures, reduction as an int.
TOP_LEVEL = [
    ("binary_cross_entropy_with_logits", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=1)), Const(rand(3, seed=3)),
                                          Const(rand(3, seed=4, low=0.5, high=3))],
     lambda M, r, x, t, w, pw: M.binary_cross_entropy_with_logits(x, t, w, pw, r)),
    ("kl_div", [rand(4, 5), rand(4, 5, seed=2)], lambda M, r, x, t: M.kl_div(x, t, r, log_target=True)),
    ("poisson_nll_loss", [rand(4, 3), Const(rand(4, 3, seed=2, low=0, high=4))],
     lambda M, r, x, t: M.poisson_nll_loss(x, t, True, True, 1e-8, r)),
    ("cosine_embedding_loss", [rand(4, 5), rand(4, 5, seed=2), Const(signs(4))],
     lambda M, r, a, b, t: M.cosine_embedding_loss(a, b, t, 0.1, r)),
    ("margin_ranking_loss", [rand(6), rand(6, seed=2), Const(signs(6))],
     lambda M, r, a, b, t: M.margin_ranking_loss(a, b, t, 0.2, reduction=r)),
    ("triplet_margin_loss", [rand(4, 5), rand(4, 5, seed=2), rand(4, 5, seed=3)],
     lambda M, r, a, p, n: M.triplet_margin_loss(a, p, n, 1.0, 2.0, 1e-6, True, r)),
    ("hinge_embedding_loss", [rand(4, 3), Const(signs(4, 3))], lambda M, r, x, t: M.hinge_embedding_loss(x, t, 0.5, r)),
    ("ctc_loss", [rand(7, 2, 4), np.array([[1, 2, 2], [3, 1, 0]])],
     lambda M, r, lp, t: M.ctc_loss(lp.log_softmax(2), t, [7, 5], [3, 2], 0, r, False)),
    ("ctc_loss_tensor_lengths", [rand(7, 2, 4), np.array([[1, 2, 2], [3, 1, 0]])],
     lambda M, r, lp, t: M.ctc_loss(lp.log_softmax(2), t - 1, M.tensor([7, 5]), M.tensor([3, 2]), 3, r, True)),
]


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", TOP_LEVEL, ids=[c[0] for c in TOP_LEVEL])
def test_top_level_loss(case, dtype, reduction):
    _, arrays, call = case
    compare(lambda F, M, *ts: call(M, reduction, *ts), *arrays, dtype=dtype)


CTC_LOG_PROBS = rand(7, 2, 4)
CTC_TARGETS = np.array([[1, 2, 2], [3, 1, 0]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", [
    ("padded_tuple_lengths", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp, 2), t, (7, 5), (3, 2), reduction=r)),
    ("padded_tensor_lengths", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp, 2), t, M.tensor([6, 7]),
                                                                 M.tensor([3, 2]), reduction=r)),
    ("concatenated_targets", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp, 2), M.cat([t[0], t[1, :2]]),
                                                                [7, 7], [3, 2], reduction=r)),
    ("blank_last", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp, 2), t - 1, (7, 7), (3, 2), blank=3,
                                                      reduction=r)),
    ("unbatched", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp[:, 0], 1), t[0], (7,), (3,), reduction=r)),
    ("impossible_zero_infinity", lambda F, M, r, lp, t: F.ctc_loss(F.log_softmax(lp, 2), t, (2, 7), (3, 2),
                                                                    reduction=r, zero_infinity=True)),
])
def test_ctc_loss(case, dtype, reduction):
    compare(lambda F, M, *ts: case[1](F, M, reduction, *ts), CTC_LOG_PROBS, CTC_TARGETS, dtype=dtype)


@pytest.mark.parametrize("size_average, reduce", [(None, False), (False, None), (True, True), (False, True), (True, False)])
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "soft_margin_loss"])
def test_deprecated_size_average_reduce(name, size_average, reduce):
    x, y = rand(4, 3), signs(4, 3, seed=2)
    with pytest.warns(UserWarning) as tw:
        expected = getattr(torch.nn.functional, name)(torch.from_numpy(x), torch.from_numpy(y), size_average, reduce)
    with pytest.warns(UserWarning) as ew:
        out = getattr(EF, name)(ember.from_numpy(x), ember.from_numpy(y), size_average, reduce)
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
    assert_same(out, expected)


def test_deprecated_arguments_keep_positions():
    # Positional calls bind as in PyTorch: cross_entropy(input, target, weight, size_average, ignore_index).
    x, t = rand(6, 5), np.array([0, 4, 2, 2, 1, 3])
    expected = torch.nn.functional.cross_entropy(torch.from_numpy(x), torch.from_numpy(t), None, None, 2)
    assert_same(EF.cross_entropy(ember.from_numpy(x), ember.from_numpy(t), None, None, 2), expected)
    expected = torch.nn.functional.poisson_nll_loss(torch.from_numpy(x), torch.from_numpy(x * x), True, True, None, 0.1)
    assert_same(EF.poisson_nll_loss(ember.from_numpy(x), ember.from_numpy(x * x), True, True, None, 0.1), expected)


def test_kl_div_mean_warns():
    x, t = rand(4, 5), probs(4, 5, seed=2)
    with pytest.warns(UserWarning) as tw:
        expected = torch.nn.functional.kl_div(torch.from_numpy(x), torch.from_numpy(t))
    with pytest.warns(UserWarning) as ew:
        out = EF.kl_div(ember.from_numpy(x), ember.from_numpy(t))
    assert [str(w.message) for w in ew] == [str(w.message) for w in tw]
    assert_same(out, expected)


# (call on x (4, 5) float64, exception type, message fragment PyTorch gives).
ERRORS = [
    (lambda F, M, x: F.mse_loss(x, x, reduction="avg"), ValueError, "avg is not a valid value for reduction"),
    (lambda F, M, x: F.cross_entropy(x, x[:, 0].long(), reduction="elementwise"), ValueError,
     "elementwise is not a valid value for reduction"),
    (lambda F, M, x: F.cross_entropy(x, M.tensor([0, 1, 7, 2])), IndexError, "Target 7 is out of bounds."),
    (lambda F, M, x: F.nll_loss(x, M.tensor([0, 1, 2])), ValueError,
     "Expected input batch_size (4) to match target batch_size (3)."),
    (lambda F, M, x: F.binary_cross_entropy(M.sigmoid(x), M.sigmoid(x[:, :2])), ValueError,
     "Using a target size (torch.Size([4, 2])) that is different to the input size (torch.Size([4, 5]))"),
    (lambda F, M, x: F.binary_cross_entropy_with_logits(x, x[:, :2]), ValueError,
     "Target size (torch.Size([4, 2])) must be the same as input size (torch.Size([4, 5]))"),
    (lambda F, M, x: F.gaussian_nll_loss(x, x, -M.ones(4, 5, dtype=x.dtype)), ValueError,
     "var has negative entry/entries"),
    (lambda F, M, x: F.gaussian_nll_loss(x, x, M.ones(4, 2, dtype=x.dtype)), ValueError, "var is of incorrect size"),
    (lambda F, M, x: F.kl_div(x, x, reduction="avg"), ValueError, "avg is not a valid value for reduction"),
    (lambda F, M, x: F.multi_margin_loss(x, M.tensor([0, 1, 2, 3]), p=3), ValueError, "only p == 1 and p == 2 supported"),
    (lambda F, M, x: F.multilabel_margin_loss(x, M.tensor([[0, 1, -1, 5, 0]] * 4)), RuntimeError,
     "argument #2 'target' is out of range"),
    (lambda F, M, x: F.multilabel_margin_loss(x, M.tensor([[0, 1]] * 4)), RuntimeError,
     "inconsistent size [4, 2] for argument #2 'target'"),
]


@pytest.mark.parametrize("case", ERRORS, ids=range(len(ERRORS)))
def test_errors(case):
    call, exc, fragment = case
    check_error(call, exc, fragment, Const(rand(4, 5)))
