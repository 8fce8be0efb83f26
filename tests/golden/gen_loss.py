"""Golden values for tests/cpp/test_loss.cpp: every loss over its reductions and options, forward and
the gradients of a random upstream gradient, in float64 and float32.

Case `name|dtype` saves `in0`, `in1`, ... (inputs; integer ones are class indices or lengths), `y`, `g`
and `d<i>` for each floating input that takes a gradient. The C++ test makes the same call by name.
"""
import torch
import torch.nn.functional as F

from golden import save

torch.manual_seed(0)
out = {}
REDS = ("none", "mean", "sum")


def case(name, fn, inputs, grad=None, dtypes=(torch.float64, torch.float32)):
    """inputs: tensors (float64 ones are cast to each dtype); grad: indices of inputs that take a gradient
    (default: every floating input)."""
    for dt in dtypes:
        key = f"{name}|{str(dt).split('.')[-1]}"
        xs = []
        for i, t in enumerate(inputs):
            t = t.to(dt) if t.is_floating_point() else t
            wants = t.is_floating_point() and (grad is None or i in grad)
            xs.append(t.detach().clone().requires_grad_(wants))
        y = fn(*xs)
        g = torch.randn(y.shape, dtype=torch.float64).to(y.dtype)
        diff = [t for t in xs if t.requires_grad]
        grads = torch.autograd.grad(y, diff, g, allow_unused=True)
        gi = iter(grads)
        for i, t in enumerate(xs):
            out[f"{key}|in{i}"] = t
            if t.requires_grad:
                d = next(gi)
                out[f"{key}|d{i}"] = d if d is not None else torch.zeros_like(t)
        out[f"{key}|y"] = y
        out[f"{key}|g"] = g


def rn(*s, scale=1.0):
    return torch.randn(*s, dtype=torch.float64) * scale


# ---- cross_entropy / nll_loss ----
X = rn(6, 5, scale=2)
T = torch.tensor([0, 1, 2, 3, 4, 2])
TI = torch.tensor([0, 1, 2, -100, 4, 2])
W = torch.rand(5, dtype=torch.float64) + 0.5
XN = rn(2, 5, 3, 4, scale=2)
TN = torch.randint(0, 5, (2, 3, 4))
TN[0, 0, :2] = 1  # ignore_index 1 in the N-d cases
X3 = rn(2, 5, 3, scale=2)
T3 = torch.randint(0, 5, (2, 3))
P = torch.softmax(rn(6, 5), 1)
EXT = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, 0.0, -1e4]], dtype=torch.float64)
TE = torch.tensor([1, 0, 2])
for r in REDS:
    case(f"ce|{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), [X, T])
    case(f"ce_w|{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, w, reduction=r), [X, T, W], grad=[0])
    case(f"ce_ign|{r}", lambda x, t, r=r: F.cross_entropy(x, t, ignore_index=2, reduction=r), [X, T])
    case(f"ce_ign100_w|{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, w, reduction=r), [X, TI, W], grad=[0])
    case(f"ce_ls|{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1), [X, T])
    case(f"ce_ls_w_ign|{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, w, ignore_index=2, reduction=r,
                                                                  label_smoothing=0.2), [X, T, W], grad=[0])
    case(f"ce_ls_ign|{r}", lambda x, t, r=r: F.cross_entropy(x, t, ignore_index=2, reduction=r, label_smoothing=0.3),
         [X, T])
    case(f"ce_nd|{r}", lambda x, t, w, r=r: F.cross_entropy(x, t, w, ignore_index=1, reduction=r), [XN, TN, W],
         grad=[0])
    case(f"ce_nd_ls|{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r, label_smoothing=0.15), [XN, TN])
    case(f"ce_3d|{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), [X3, T3])
    case(f"ce_prob|{r}", lambda x, p, r=r: F.cross_entropy(x, p, reduction=r), [X, P])
    case(f"ce_prob_w_ls|{r}", lambda x, p, w, r=r: F.cross_entropy(x, p, w, reduction=r, label_smoothing=0.1),
         [X, P, W], grad=[0, 1])
    case(f"ce_ext|{r}", lambda x, t, r=r: F.cross_entropy(x, t, reduction=r), [EXT, TE])
    case(f"nll|{r}", lambda x, t, r=r: F.nll_loss(x, t, reduction=r), [X, T])
    case(f"nll_w_ign|{r}", lambda x, t, w, r=r: F.nll_loss(x, t, w, ignore_index=2, reduction=r), [X, T, W], grad=[0])
    case(f"nll_nd|{r}", lambda x, t, w, r=r: F.nll_loss(x, t, w, reduction=r), [XN, TN, W], grad=[0])
case("ce_1d", lambda x, t: F.cross_entropy(x, t), [rn(5), torch.tensor(3)])
case("ce_1d_prob", lambda x, p: F.cross_entropy(x, p), [rn(5), torch.softmax(rn(5), 0)])
case("nll_all_ignored", lambda x, t: F.nll_loss(x, t, ignore_index=2), [X, torch.full((6,), 2)])

# ---- binary cross entropy ----
PB = torch.rand(4, 3, dtype=torch.float64) * 0.98 + 0.01
PB[0, 0], PB[0, 1] = 0.0, 1.0  # log clamped to -100
TB = torch.rand(4, 3, dtype=torch.float64)
WB = torch.rand(3, dtype=torch.float64) + 0.5
LB = rn(4, 3, scale=3)
LB[0, :] = torch.tensor([1e4, -1e4, 0.0])
PW = torch.tensor([0.5, 2.0, 3.0], dtype=torch.float64)
for r in REDS:
    case(f"bce|{r}", lambda x, t, r=r: F.binary_cross_entropy(x, t, reduction=r), [PB, TB], grad=[1])
    case(f"bce_int|{r}", lambda x, t, w, r=r: F.binary_cross_entropy(x, t, w, reduction=r), [PB[1:], TB[1:], WB], grad=[0, 1])
    case(f"bcel|{r}", lambda x, t, r=r: F.binary_cross_entropy_with_logits(x, t, reduction=r), [LB, TB])
    case(f"bcel_w_pw|{r}", lambda x, t, w, pw, r=r: F.binary_cross_entropy_with_logits(x, t, w, reduction=r,
                                                                                        pos_weight=pw),
         [LB, TB, WB, PW], grad=[0, 1])

# ---- regression and margin losses ----
A, B = rn(4, 5), rn(4, 5)
B[0, :3] = A[0, :3] + torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64)  # on smooth_l1 / huber's kinks
S = torch.tensor([1.0, -1.0, -1.0, 1.0], dtype=torch.float64)
S20 = torch.where(torch.rand(4, 5) < 0.5, -1.0, 1.0).double()
for r in REDS:
    case(f"mse|{r}", lambda a, b, r=r: F.mse_loss(a, b, reduction=r), [A, B])
    case(f"l1|{r}", lambda a, b, r=r: F.l1_loss(a, b, reduction=r), [A, B])
    case(f"smooth_l1|{r}", lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r), [A, B])
    case(f"smooth_l1_b05|{r}", lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r, beta=0.5), [A, B])
    case(f"smooth_l1_b0|{r}", lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r, beta=0.0), [A, B])
    case(f"huber|{r}", lambda a, b, r=r: F.huber_loss(a, b, reduction=r), [A, B])
    case(f"huber_d2|{r}", lambda a, b, r=r: F.huber_loss(a, b, reduction=r, delta=2.0), [A, B])
    case(f"soft_margin|{r}", lambda a, y, r=r: F.soft_margin_loss(a, y, reduction=r), [A, S20], grad=[0])
    case(f"kl|{r}", lambda a, p, r=r: F.kl_div(a, p, reduction=r), [torch.log_softmax(A, 1), torch.softmax(B, 1)])
    case(f"kl_log|{r}", lambda a, p, r=r: F.kl_div(a, p, reduction=r, log_target=True),
         [torch.log_softmax(A, 1), torch.log_softmax(B, 1)])
    case(f"poisson|{r}", lambda a, t, r=r: F.poisson_nll_loss(a, t, reduction=r), [A, torch.rand(4, 5, dtype=torch.float64) * 4])
    case(f"poisson_full|{r}", lambda a, t, r=r: F.poisson_nll_loss(a, t, log_input=False, full=True, reduction=r),
         [A.abs() + 0.1, torch.randint(0, 5, (4, 5)).double()], grad=[0])
    case(f"gauss|{r}", lambda a, t, v, r=r: F.gaussian_nll_loss(a, t, v, reduction=r),
         [A, B, torch.rand(4, 5, dtype=torch.float64) + 0.1])
    case(f"gauss_full_drop|{r}", lambda a, t, v, r=r: F.gaussian_nll_loss(a, t, v, full=True, reduction=r),
         [A, B, torch.rand(4, dtype=torch.float64) + 0.1])
    case(f"gauss_last1_eps|{r}", lambda a, t, v, r=r: F.gaussian_nll_loss(a, t, v, eps=0.3, reduction=r),
         [A, B, torch.rand(4, 1, dtype=torch.float64)])
    case(f"cosine|{r}", lambda a, b, y, r=r: F.cosine_embedding_loss(a, b, y, margin=0.2, reduction=r), [A, B, S],
         grad=[0, 1])
    case(f"ranking|{r}", lambda a, b, y, r=r: F.margin_ranking_loss(a, b, y, margin=0.3, reduction=r),
         [A[:, 0], B[:, 0], S], grad=[0, 1])
    case(f"hinge|{r}", lambda a, y, r=r: F.hinge_embedding_loss(a, y, margin=0.7, reduction=r), [A, S20], grad=[0])
    case(f"triplet|{r}", lambda a, p, n, r=r: F.triplet_margin_loss(a, p, n, reduction=r), [A, B, rn(4, 5)])
    case(f"triplet_p1_swap|{r}", lambda a, p, n, r=r: F.triplet_margin_loss(a, p, n, margin=2.0, p=1, swap=True,
                                                                             reduction=r), [A, B, rn(4, 5)])
    case(f"mlsm|{r}", lambda a, y, w, r=r: F.multilabel_soft_margin_loss(a, y, w, reduction=r),
         [A, (S20 > 0).double(), torch.rand(5, dtype=torch.float64)], grad=[0])
    case(f"mm|{r}", lambda a, t, r=r: F.multi_margin_loss(a, t, reduction=r), [A, torch.tensor([0, 4, 2, 2])])
    case(f"mm_p2_w|{r}", lambda a, t, w, r=r: F.multi_margin_loss(a, t, p=2, margin=0.5, weight=w, reduction=r),
         [A, torch.tensor([1, 3, 0, 4]), torch.rand(5, dtype=torch.float64)], grad=[0])
case("cosine_1d", lambda a, b, y: F.cosine_embedding_loss(a, b, y), [A[0], B[0], torch.tensor(-1.0, dtype=torch.float64)],
     grad=[0, 1])
case("kl_batchmean", lambda a, p: F.kl_div(a, p, reduction="batchmean"), [torch.log_softmax(A, 1), torch.softmax(B, 1)])

# ---- ctc ----
TT, NN, CC = 12, 3, 5
LP = torch.log_softmax(rn(TT, NN, CC, scale=2), 2)
TGT = torch.tensor([[1, 1, 2, 3], [4, 2, 2, 0], [3, 0, 0, 0]])
IL = torch.tensor([12, 10, 7])
TL = torch.tensor([4, 3, 1])
TCAT = torch.tensor([1, 1, 2, 3, 4, 2, 2, 3])
for r in REDS:
    case(f"ctc|{r}", lambda lp, t, il, tl, r=r: F.ctc_loss(lp, t, il, tl, reduction=r), [LP, TGT, IL, TL])
    case(f"ctc_cat|{r}", lambda lp, t, il, tl, r=r: F.ctc_loss(lp, t, il, tl, reduction=r), [LP, TCAT, IL, TL])
    case(f"ctc_blank4|{r}", lambda lp, t, il, tl, r=r: F.ctc_loss(lp, t, il, tl, blank=4, reduction=r),
         [LP, torch.tensor([[1, 1, 2, 3], [0, 2, 2, 0], [3, 0, 0, 0]]), IL, TL])
# infeasible: 3 frames cannot emit 1,1,1 (needs 5); zero_infinity turns inf into 0 with a zero gradient
INF_TL = torch.tensor([3, 1, 0])
INF_T = torch.tensor([[1, 1, 1], [2, 0, 0], [0, 0, 0]])
INF_IL = torch.tensor([3, 12, 5])
case("ctc_zero_inf", lambda lp, t, il, tl: F.ctc_loss(lp, t, il, tl, reduction="none", zero_infinity=True),
     [LP, INF_T, INF_IL, INF_TL])
case("ctc_unbatched", lambda lp, t, il, tl: F.ctc_loss(lp, t, il, tl), [LP[:, 0], TGT[0], IL[:1], TL[:1]])

# multilabel_margin_loss: each row's labels end at its first -1; a repeated label counts twice; a row that
# names every class has no hinge terms
MLX = rn(3, 5)
MLT = torch.tensor([[3, 0, -1, 1, 4], [1, 1, 2, -1, 0], [4, 3, 2, 1, 0]])
for r in REDS:
    case(f"mlm|{r}", lambda x, t, r=r: F.multilabel_margin_loss(x, t, reduction=r), [MLX, MLT])
case("mlm_1d", lambda x, t: F.multilabel_margin_loss(x, t), [MLX[0], MLT[0]])

save("loss", out)
