"""Loss layers against torch.nn: values, input gradients and state_dict (weight/pos_weight buffers) through
_layer_check, every reduction, the legacy size_average/reduce arguments and printout."""
import numpy as np
import pytest
import torch

import ember
from _layer_check import Const, check_layer, rand, randint, randn

DTYPES = ["float32", "float64"]


def log_softmax(a, axis):
    a = a - a.max(axis=axis, keepdims=True)
    return a - np.log(np.exp(a).sum(axis=axis, keepdims=True))


def sign(*shape, seed=0):
    return Const(np.where(randn(*shape, seed=seed) > 0, 1.0, -1.0))


W = rand(5, low=0.5, high=2.0, seed=7)
LOGITS = randn(6, 5)
PROBS = Const(np.exp(log_softmax(randn(6, 5, seed=1), 1)))
LOGP = log_softmax(randn(6, 5, 2), 1)

CASES = [
    ("nn.L1Loss()", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.L1Loss(reduction='sum')", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.MSELoss()", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.MSELoss(reduction='none')", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.SmoothL1Loss()", [randn(4, 5), randn(4, 5, seed=1)]),
    ("nn.SmoothL1Loss(reduction='sum', beta=0.5)", [randn(4, 5), Const(randn(4, 5, seed=1))]),
    ("nn.HuberLoss()", [randn(4, 5) * 2, randn(4, 5, seed=1)]),
    ("nn.HuberLoss(reduction='none', delta=0.7)", [randn(4, 5), Const(randn(4, 5, seed=1))]),
    ("nn.CrossEntropyLoss()", [LOGITS, randint(5, 6)]),
    ("nn.CrossEntropyLoss(weight=T(W), ignore_index=2)", [LOGITS, np.array([0, 2, 4, 1, 2, 3])]),
    ("nn.CrossEntropyLoss(reduction='sum', label_smoothing=0.1)", [LOGITS, randint(5, 6)]),
    ("nn.CrossEntropyLoss(weight=T(W), reduction='none', label_smoothing=0.2)", [LOGITS, randint(5, 6)]),
    ("nn.CrossEntropyLoss()", [LOGITS, PROBS]),
    ("nn.CrossEntropyLoss(weight=T(W), label_smoothing=0.3)", [LOGITS, PROBS]),
    ("nn.CrossEntropyLoss(weight=T(W))", [randn(2, 5, 3, 4), randint(5, 2, 3, 4)]),
    ("nn.CrossEntropyLoss(reduction='none')", [randn(5), np.array(3)]),
    ("nn.NLLLoss()", [log_softmax(LOGITS, 1), randint(5, 6)]),
    ("nn.NLLLoss(weight=T(W), ignore_index=1, reduction='sum')", [LOGITS, np.array([0, 1, 4, 1, 2, 3])]),
    ("nn.NLLLoss(weight=T(W))", [LOGP, randint(5, 6, 2)]),
    ("nn.BCELoss()", [rand(4, 5, low=0.05, high=0.95), Const(rand(4, 5, seed=1))]),
    ("nn.BCELoss(weight=T(W), reduction='sum')", [rand(4, 5, low=0.05, high=0.95), Const(rand(4, 5, seed=1))]),
    ("nn.BCEWithLogitsLoss()", [randn(4, 5) * 3, Const(rand(4, 5, seed=1))]),
    ("nn.BCEWithLogitsLoss(weight=T(W), pos_weight=T(W[::-1]), reduction='none')",
     [randn(4, 5) * 3, Const(rand(4, 5, seed=1))]),
    ("nn.KLDivLoss()", [log_softmax(LOGITS, 1), PROBS]),
    ("nn.KLDivLoss(reduction='batchmean')", [log_softmax(LOGITS, 1), PROBS]),
    ("nn.KLDivLoss(reduction='sum', log_target=True)", [log_softmax(LOGITS, 1), Const(log_softmax(LOGITS[::-1], 1))]),
    ("nn.PoissonNLLLoss()", [randn(4, 5), Const(randint(6, 4, 5).astype(float))]),
    ("nn.PoissonNLLLoss(log_input=False, full=True, eps=1e-4)", [rand(4, 5, low=0.1, high=3.0),
                                                                Const(randint(6, 4, 5).astype(float))]),
    ("nn.GaussianNLLLoss()", [randn(4, 5), Const(randn(4, 5, seed=1)), rand(4, 5, low=0.2, high=2.0, seed=2)]),
    ("nn.GaussianNLLLoss(full=True, eps=1e-3, reduction='sum')",
     [randn(4, 5), Const(randn(4, 5, seed=1)), rand(4, 1, low=0.2, high=2.0, seed=2)]),
    ("nn.CosineEmbeddingLoss()", [randn(6, 5), randn(6, 5, seed=1), sign(6, seed=2)]),
    ("nn.CosineEmbeddingLoss(margin=0.2, reduction='none')", [randn(6, 5), randn(6, 5, seed=1), sign(6, seed=2)]),
    ("nn.MarginRankingLoss()", [randn(6), randn(6, seed=1), sign(6, seed=2)]),
    ("nn.MarginRankingLoss(margin=0.3, reduction='sum')", [randn(6), randn(6, seed=1), sign(6, seed=2)]),
    ("nn.TripletMarginLoss()", [randn(6, 5), randn(6, 5, seed=1), randn(6, 5, seed=2)]),
    ("nn.TripletMarginLoss(margin=2.0, p=1.0, swap=True, reduction='none')",
     [randn(6, 5), randn(6, 5, seed=1), randn(6, 5, seed=2)]),
    ("nn.HingeEmbeddingLoss()", [randn(4, 5), sign(4, 5, seed=1)]),
    ("nn.HingeEmbeddingLoss(margin=0.5, reduction='sum')", [randn(4, 5), sign(4, 5, seed=1)]),
    ("nn.MultiLabelSoftMarginLoss()", [randn(4, 5), Const(randint(2, 4, 5).astype(float))]),
    ("nn.MultiLabelSoftMarginLoss(weight=T(W), reduction='none')",
     [randn(4, 5), Const(randint(2, 4, 5).astype(float))]),
    ("nn.SoftMarginLoss()", [randn(4, 5), sign(4, 5, seed=1)]),
    ("nn.MultiMarginLoss()", [LOGITS, randint(5, 6)]),
    ("nn.MultiMarginLoss(p=2, margin=0.5, weight=T(W), reduction='sum')", [LOGITS, randint(5, 6)]),
    ("nn.CTCLoss()", [log_softmax(randn(12, 3, 6), 2), randint(6, 3, 4, low=1), np.array([12, 10, 11]),
                      np.array([4, 2, 3])]),
    ("nn.CTCLoss(blank=5, reduction='sum', zero_infinity=True)",
     [log_softmax(randn(6, 2, 6), 2), randint(5, 2, 5), np.array([6, 3]), np.array([5, 4])]),
]


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss")  # KLDivLoss(), in both
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("expr,inputs", CASES, ids=[c[0] + " %d" % i for i, c in enumerate(CASES)])
def test_matches_torch(expr, inputs, dtype):
    tm, em = check_layer(expr, inputs, dtype, env={"W": W})
    assert repr(em) == repr(tm)
    assert em.reduction == tm.reduction


@pytest.mark.parametrize("kwargs,reduction", [({"size_average": False}, "sum"), ({"reduce": False}, "none"),
                                              ({"size_average": True, "reduce": True}, "mean")])
def test_legacy_reduction_arguments(kwargs, reduction):
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated"):
        m = ember.nn.MSELoss(**kwargs)
    with pytest.warns(UserWarning):
        assert m.reduction == reduction == torch.nn.MSELoss(**kwargs).reduction
    with pytest.warns(UserWarning):
        assert ember.nn.NLLLoss(**kwargs).reduction == reduction


def test_weight_is_a_buffer():
    m = ember.nn.CrossEntropyLoss(weight=ember.from_numpy(W))
    assert [k for k, _ in m.named_buffers()] == ["weight"] and list(m.parameters()) == []
    assert list(ember.nn.CrossEntropyLoss().state_dict().keys()) == []
    m = ember.nn.BCEWithLogitsLoss(pos_weight=ember.from_numpy(W))
    assert list(m.state_dict().keys()) == ["pos_weight"] and m.weight is None
