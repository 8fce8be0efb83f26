"""ember.nn.functional's normalisations, embeddings and distances against torch.nn.functional: values and
gradients (input, weight, bias) in float32 and float64, running statistics after a training step,
embedding's in-place max_norm renormalisation, the top-level ATen spellings (torch.batch_norm with
weight first, torch.embedding with weight first), and PyTorch's errors. rms_norm is not in torch 1.13;
it is compared against torch 2.4's definition written with torch ops."""
import numpy as np
import pytest
import torch

import ember
import ember.nn.functional as EF
from _functional_check import Const, assert_same, check_error, compare, make_inputs, rand

DTYPES = ["float32", "float64"]

BATCH_NORM = [
    ("train_affine", (4, 3), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, training=True)),
    ("train_3d", (4, 3, 5), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b, True, 0.3, 1e-3)),
    ("train_4d_no_affine", (2, 3, 4, 5), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, rm, rv, training=True)),
    ("train_no_running", (2, 3, 4), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, None, None, w, b, True)),
    ("eval", (2, 3, 4, 5), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, rm, rv, w, b)),
    ("eval_weight_only", (4, 3), lambda F, M, x, rm, rv, w, b: F.batch_norm(x, rm, rv, weight=w, eps=0.1)),
    ("torch.batch_norm", (4, 3, 2), lambda F, M, x, rm, rv, w, b: M.batch_norm(x, w, b, rm, rv, True, 0.1, 1e-5, False)),
    ("torch.batch_norm_eval", (4, 3), lambda F, M, x, rm, rv, w, b: M.batch_norm(x, w, None, rm, rv, False, 0.1, 1e-5, True)),
    ("instance_norm", (2, 3, 5), lambda F, M, x, rm, rv, w, b: F.instance_norm(x)),
    ("instance_norm_affine_running", (2, 3, 4, 5),
     lambda F, M, x, rm, rv, w, b: F.instance_norm(x, rm, rv, w, b, momentum=0.2)),
    ("instance_norm_running_stats_eval", (2, 3, 5),
     lambda F, M, x, rm, rv, w, b: F.instance_norm(x, rm, rv, w, b, use_input_stats=False)),
    ("torch.instance_norm", (2, 3, 5),
     lambda F, M, x, rm, rv, w, b: M.instance_norm(x, w, b, rm, rv, True, 0.1, 1e-5, False)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", BATCH_NORM, ids=[c[0] for c in BATCH_NORM])
def test_batch_and_instance_norm(case, dtype):
    _, shape, call = case
    arrays = [rand(*shape), Const(rand(3, seed=2)), Const(rand(3, seed=3, low=0.5, high=2.0)),
              rand(3, seed=4), rand(3, seed=5)]
    ts, es = make_inputs(arrays, dtype)
    t_out = call(torch.nn.functional, torch, *ts)
    e_out = call(EF, ember, *es)
    assert_same(e_out, t_out)
    # The running statistics, updated in place by a training step.
    assert_same(es[1], ts[1])
    assert_same(es[2], ts[2])
    compare(call, *arrays, dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", [
    ("layer_norm", lambda F, M, x, w, b: F.layer_norm(x, (5,), w[0], b[0])),
    ("layer_norm_2d", lambda F, M, x, w, b: F.layer_norm(x, [4, 5], w, b, eps=1e-3)),
    ("layer_norm_no_affine", lambda F, M, x, w, b: F.layer_norm(x, x.shape[1:])),
    ("torch.layer_norm", lambda F, M, x, w, b: M.layer_norm(x, (4, 5), w, b, 1e-5, True)),
    ("group_norm", lambda F, M, x, w, b: F.group_norm(x, 1, w[:, 0], b[:, 0])),
    ("group_norm_3", lambda F, M, x, w, b: F.group_norm(x.reshape(2, 6, 5), 3, w[0, :3].repeat(2), None, 1e-3)),
    ("torch.group_norm", lambda F, M, x, w, b: M.group_norm(x, 2, w[:, 0], b[:, 0])),
    ("local_response_norm", lambda F, M, x, w, b: F.local_response_norm(x, 2)),
    ("local_response_norm_4d", lambda F, M, x, w, b: F.local_response_norm(x.reshape(3, 4, 1, 5), 3, 0.1, 0.5, 2.0)),
    ("normalize", lambda F, M, x, w, b: F.normalize(x)),
    ("normalize_p1_dim0", lambda F, M, x, w, b: F.normalize(x, p=1, dim=0)),
    ("normalize_p3_last", lambda F, M, x, w, b: F.normalize(x, 3.0, -1, 1e-6)),
    ("cosine_similarity", lambda F, M, x, w, b: F.cosine_similarity(x, x.flip(0))),
    ("cosine_similarity_broadcast", lambda F, M, x, w, b: F.cosine_similarity(x, w, dim=-1, eps=1e-6)),
    ("torch.cosine_similarity", lambda F, M, x, w, b: M.cosine_similarity(x, x * w, 2)),
    ("pairwise_distance", lambda F, M, x, w, b: F.pairwise_distance(x, x.flip(1))),
    ("pairwise_distance_p1_keepdim", lambda F, M, x, w, b: F.pairwise_distance(x, w, p=1.0, keepdim=True)),
    ("pairwise_distance_p3", lambda F, M, x, w, b: M.pairwise_distance(x[0], b, 3.0, 1e-3)),
    ("pdist", lambda F, M, x, w, b: F.pdist(x[0])),
    ("pdist_p1", lambda F, M, x, w, b: F.pdist(x[1], 1.0)),
    ("pdist_p_half", lambda F, M, x, w, b: M.pdist(x[2], p=0.5)),
])
def test_layer_group_and_distances(case, dtype):
    compare(case[1], rand(3, 4, 5), rand(4, 5, seed=2), rand(4, 5, seed=3), dtype=dtype)


def rms_norm_reference(x, shape, weight=None, eps=None):
    """torch 2.4's F.rms_norm written with torch 1.13 ops."""
    dims = tuple(range(-len(shape), 0))
    eps = torch.finfo(x.dtype).eps if eps is None else eps
    y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
    return y * weight if weight is not None else y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("form", ["F", "torch"])
@pytest.mark.parametrize("case", [
    ("last", lambda x, w, RMS: RMS(x, (5,))),
    ("weight", lambda x, w, RMS: RMS(x, [5], w[0])),
    ("two_dims_eps", lambda x, w, RMS: RMS(x, (4, 5), w, 1e-3)),
])
def test_rms_norm(case, form, dtype):
    def call(F, M, x, w):
        if F is torch.nn.functional:
            return case[1](x, w, lambda x, s, w=None, eps=None: rms_norm_reference(x, s, w, eps))
        return case[1](x, w, F.rms_norm if form == "F" else M.rms_norm)
    compare(call, rand(3, 4, 5), rand(4, 5, seed=2), dtype=dtype)


IDX = np.array([[0, 2, 4, 5], [4, 3, 2, 9], [1, 1, 1, 0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", [
    ("plain", lambda F, M, i, w: F.embedding(i, w)),
    ("padding_idx", lambda F, M, i, w: F.embedding(i, w, padding_idx=1)),
    ("padding_idx_negative", lambda F, M, i, w: F.embedding(i, w, -6)),
    ("scale_grad_by_freq", lambda F, M, i, w: F.embedding(i, w, scale_grad_by_freq=True)),
    ("1d_indices", lambda F, M, i, w: F.embedding(i[1], w, 2, None, 2.0, True, False)),
    ("int32_indices", lambda F, M, i, w: F.embedding(i.int(), w)),
    ("torch.embedding", lambda F, M, i, w: M.embedding(w, i, 4, True)),
])
def test_embedding(case, dtype):
    compare(case[1], IDX, rand(10, 3), dtype=dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("max_norm, norm_type", [(1.0, 2.0), (0.5, 1.0), (1.5, 3.0)])
def test_embedding_max_norm_renormalises_weight(max_norm, norm_type, dtype):
    ts, es = make_inputs([IDX, rand(10, 3)], dtype)
    t_out = torch.nn.functional.embedding(ts[0], ts[1], max_norm=max_norm, norm_type=norm_type)
    e_out = EF.embedding(es[0], es[1], max_norm=max_norm, norm_type=norm_type)
    assert_same(e_out, t_out)
    assert_same(es[1], ts[1])  # the named rows renormalised in place, the others untouched
    g = rand(*IDX.shape, 3, seed=7).astype(np.float32 if dtype == "float32" else np.float64)
    t_out.backward(torch.from_numpy(g))
    e_out.backward(ember.from_numpy(g))
    assert_same(es[1].grad, ts[1].grad)
    _, [w] = make_inputs([Const(rand(10, 3))], dtype)
    tw = torch.from_numpy(w.numpy().copy())
    assert ember.embedding_renorm_(w, ember.from_numpy(IDX[0]), max_norm, norm_type) is w
    torch.embedding_renorm_(tw, torch.from_numpy(IDX[0]), max_norm, norm_type)
    assert_same(w, tw)


BAG_IDX = np.array([1, 2, 4, 5, 4, 3, 2, 9])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", [
    ("mean_offsets", lambda F, M, i, o, w, p: F.embedding_bag(i, w, o)),
    ("sum_offsets", lambda F, M, i, o, w, p: F.embedding_bag(i, w, o, mode="sum")),
    ("max_offsets", lambda F, M, i, o, w, p: F.embedding_bag(i, w, o, mode="max")),
    ("2d_input", lambda F, M, i, o, w, p: F.embedding_bag(i.reshape(2, 4), w, mode="sum")),
    ("per_sample_weights", lambda F, M, i, o, w, p: F.embedding_bag(i, w, o, mode="sum", per_sample_weights=p)),
    ("include_last_offset", lambda F, M, i, o, w, p: F.embedding_bag(i, w, M.cat([o, o[-1:] + 3]),
                                                                      include_last_offset=True)),
    ("padding_idx", lambda F, M, i, o, w, p: F.embedding_bag(i, w, o, mode="sum", padding_idx=4)),
    ("max_norm", lambda F, M, i, o, w, p: F.embedding_bag(i, w.detach() * 1, o, max_norm=1.0)),
])
def test_embedding_bag(case, dtype):
    compare(case[1], BAG_IDX, np.array([0, 3, 3, 5]), rand(10, 3), rand(8, seed=3), dtype=dtype)


# (call on x (2, 3, 4) float64, exception type, message fragment PyTorch gives).
ERRORS = [
    (lambda F, M, x: F.batch_norm(x[:1, :, 0], None, None, training=True), ValueError,
     "Expected more than 1 value per channel when training"),
    (lambda F, M, x: F.batch_norm(x, M.zeros(4, dtype=x.dtype), M.ones(4, dtype=x.dtype)), RuntimeError,
     "running_mean should contain 3 elements not 4"),
    (lambda F, M, x: F.layer_norm(x, (3,)), RuntimeError, "Given normalized_shape=[3]"),
    (lambda F, M, x: F.group_norm(x, 2), RuntimeError, "Expected number of channels in input to be divisible by num_groups"),
    (lambda F, M, x: F.embedding(M.tensor([0, 7]), x[0]), IndexError, "index out of range in self"),
    (lambda F, M, x: F.embedding_bag(M.tensor([0, 1]), x[0], M.tensor([0]), mode="min"), ValueError,
     "mode has to be one of sum, mean or max"),
    (lambda F, M, x: F.embedding_bag(M.tensor([0, 1]), x[0], M.tensor([0]), per_sample_weights=x[0, 0, :2]),
     NotImplementedError, "embedding_bag: per_sample_weights was not None"),
    (lambda F, M, x: F.embedding_bag(M.tensor([[0, 1]]), x[0], M.tensor([0])), ValueError,
     "if input is 2D, then offsets has to be None"),
    (lambda F, M, x: F.pdist(x), RuntimeError, "pdist only supports 2D tensors, got: 3D"),
    (lambda F, M, x: F.local_response_norm(x[0, 0], 2), ValueError, "Expected 3D or higher dimensionality"),
]


@pytest.mark.parametrize("case", ERRORS, ids=range(len(ERRORS)))
def test_errors(case):
    call, exc, fragment = case
    check_error(call, exc, fragment, Const(rand(2, 3, 4)))


def test_embedding_padding_idx_out_of_range():
    # PyTorch checks with a Python assert; ember's check is in C++ and raises RuntimeError with the same
    # message (docs/DIFFERENCES.md).
    w = rand(2, 3)
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        torch.nn.functional.embedding(torch.tensor([0, 1]), torch.from_numpy(w), padding_idx=5)
    with pytest.raises(RuntimeError, match="Padding_idx must be within num_embeddings"):
        EF.embedding(ember.tensor([0, 1]), ember.from_numpy(w), padding_idx=5)
