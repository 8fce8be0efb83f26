"""Golden values for tests/cpp/test_nn_layers.cpp (the nn layer modules), from PyTorch.

Writes nn_layers.json. For each case: the module's state_dict keys and printout (under "strings"), its
state_dict, inputs, output, a random upstream gradient and the gradients of the parameters and the
first input (under "tensors", named "<case>/..."). The C++ test builds the same module, loads the state
dict saved here (so PyTorch's names and shapes are exercised), and compares. float64 throughout, so
the comparison is tight.
"""
import json

import torch
from torch import nn

from golden import HERE, encode

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
tensors = {}
strings = {}


def case(name, module, *inputs, grad_input=True, train=True):
    """Runs module on inputs (tensors, or other arguments passed through) and records the case."""
    module.train(train)
    strings[name + "/keys"] = list(module.state_dict())
    strings[name + "/repr"] = repr(module)
    for k, v in module.state_dict().items():
        tensors[f"{name}/sd/{k}"] = v.clone()
    args = []
    for i, x in enumerate(inputs):
        if isinstance(x, torch.Tensor):
            tensors[f"{name}/in{i}"] = x
            if i == 0 and grad_input and x.is_floating_point():
                x = x.clone().requires_grad_()
        args.append(x)
    out = module(*args)
    if isinstance(out, tuple):
        tensors[name + "/indices"] = out[1]
        out = out[0]
    tensors[name + "/out"] = out.detach()
    if out.requires_grad:
        gout = torch.randn_like(out)
        tensors[name + "/gout"] = gout
        out.backward(gout)
        for k, p in module.named_parameters():
            tensors[f"{name}/grad/{k}"] = p.grad
        if args and isinstance(args[0], torch.Tensor) and args[0].grad is not None:
            tensors[name + "/grad_in0"] = args[0].grad
    for k, v in module.state_dict().items():  # buffers updated by the forward (running stats)
        if k in dict(module.named_buffers()):
            tensors[f"{name}/sd_after/{k}"] = v.clone()


# ---- convolutions ----
case("conv2d", nn.Conv2d(3, 4, 3), torch.randn(2, 3, 6, 5))
case("conv2d_args", nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2, bias=False),
     torch.randn(2, 4, 7, 6))
case("conv2d_same", nn.Conv2d(2, 3, (4, 3), padding="same", dilation=(1, 2)), torch.randn(1, 2, 6, 7))
case("conv2d_valid", nn.Conv2d(2, 3, 3, padding="valid"), torch.randn(2, 5, 5))
for mode in ("reflect", "replicate", "circular"):
    case("conv2d_" + mode, nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode), torch.randn(2, 2, 5, 6))
case("conv2d_same_reflect", nn.Conv2d(2, 2, (2, 4), padding="same", padding_mode="reflect"), torch.randn(1, 2, 5, 6))

# ---- pooling ----
case("maxpool2d", nn.MaxPool2d(2), torch.randn(2, 3, 6, 5))
case("maxpool2d_args", nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, dilation=(1, 2), ceil_mode=True),
     torch.randn(2, 2, 7, 8))
case("maxpool2d_indices", nn.MaxPool2d(2, stride=1, return_indices=True), torch.randn(1, 2, 4, 4))

case("conv1d", nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), torch.randn(2, 4, 9))
case("conv1d_circular", nn.Conv1d(2, 3, 3, padding=2, dilation=2, padding_mode="circular"), torch.randn(2, 2, 7))
case("conv3d", nn.Conv3d(2, 3, (2, 3, 2), stride=(1, 2, 1), padding=(1, 0, 1)), torch.randn(1, 2, 4, 5, 3))
case("convt1d", nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2), torch.randn(2, 4, 5))
case("convt2d", nn.ConvTranspose2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0), dilation=(1, 2),
                                   bias=False), torch.randn(2, 3, 4, 3))
case("convt3d", nn.ConvTranspose3d(2, 2, 2, stride=2), torch.randn(1, 2, 2, 3, 2))

# ---- more pooling ----
case("maxpool1d", nn.MaxPool1d(3, stride=2, padding=1), torch.randn(2, 3, 9))
case("maxpool3d", nn.MaxPool3d((2, 2, 1), ceil_mode=True), torch.randn(1, 2, 5, 4, 3))
x = torch.randn(1, 2, 4, 6)
v, idx = nn.MaxPool2d(2, return_indices=True)(x)
case("maxunpool2d", nn.MaxUnpool2d(2), v, idx)
case("avgpool1d", nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), torch.randn(2, 3, 8))
case("avgpool2d", nn.AvgPool2d((3, 2), stride=(2, 1), padding=1, ceil_mode=True), torch.randn(2, 2, 7, 5))
case("avgpool2d_div", nn.AvgPool2d(2, divisor_override=3), torch.randn(1, 2, 4, 4))
case("avgpool3d", nn.AvgPool3d(2, stride=1), torch.randn(1, 2, 3, 4, 3))
case("adaptiveavgpool1d", nn.AdaptiveAvgPool1d(4), torch.randn(2, 3, 7))
case("adaptiveavgpool2d", nn.AdaptiveAvgPool2d((2, 3)), torch.randn(2, 3, 5, 7))
case("adaptivemaxpool2d", nn.AdaptiveMaxPool2d(3, return_indices=True), torch.randn(1, 2, 5, 7))

# ---- normalization ----
case("batchnorm1d", nn.BatchNorm1d(3), torch.randn(5, 3))
case("batchnorm1d_3d", nn.BatchNorm1d(3, affine=False, momentum=0.3), torch.randn(4, 3, 5))
case("batchnorm2d", nn.BatchNorm2d(3), torch.randn(4, 3, 3, 2))
case("batchnorm3d", nn.BatchNorm3d(2, eps=1e-3), torch.randn(2, 2, 3, 2, 2))
case("batchnorm2d_notrack", nn.BatchNorm2d(3, track_running_stats=False), torch.randn(4, 3, 2, 2))


def bn_steps(name, module):
    """Three training steps, then an eval-mode forward: running statistics and outputs."""
    strings[name + "/repr"] = repr(module)
    for i in range(3):
        x = torch.randn(6, 3, 2, 2) * (i + 1) + i
        tensors[f"{name}/x{i}"] = x
        tensors[f"{name}/y{i}"] = module(x).detach()
    for k, v in module.state_dict().items():
        tensors[f"{name}/sd_after/{k}"] = v.clone()
    module.eval()
    x = torch.randn(2, 3, 2, 2)
    tensors[name + "/x_eval"] = x
    tensors[name + "/y_eval"] = module(x).detach()


bn_steps("bn_steps", nn.BatchNorm2d(3, momentum=0.2))
bn_steps("bn_steps_cma", nn.BatchNorm2d(3, momentum=None))
bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.running_mean.copy_(torch.randn(3))
    bn.running_var.copy_(torch.rand(3) + 0.5)
    bn.weight.copy_(torch.randn(3))
    bn.bias.copy_(torch.randn(3))
case("batchnorm2d_eval", bn, torch.randn(2, 3, 2, 2), train=False)
ln = nn.LayerNorm((3, 4), eps=1e-6)
with torch.no_grad():
    ln.weight.copy_(torch.randn(3, 4))
    ln.bias.copy_(torch.randn(3, 4))
case("layernorm", ln, torch.randn(2, 3, 4))
gn = nn.GroupNorm(2, 4)
with torch.no_grad():
    gn.weight.copy_(torch.randn(4))
    gn.bias.copy_(torch.randn(4))
case("groupnorm", gn, torch.randn(2, 4, 3))
inn = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
with torch.no_grad():
    inn.weight.copy_(torch.randn(3))
case("instancenorm2d", inn, torch.randn(2, 3, 3, 4))
case("instancenorm2d_plain", nn.InstanceNorm2d(2), torch.randn(2, 4, 3))
case("localresponsenorm", nn.LocalResponseNorm(3, alpha=0.1, beta=0.6, k=2.0), torch.randn(2, 5, 3))

# ---- activations ----
act_x = torch.randn(3, 4) * 3
for name, m in [("relu6", nn.ReLU6()), ("leakyrelu", nn.LeakyReLU(0.2)), ("elu", nn.ELU(0.5)), ("selu", nn.SELU()),
                ("celu", nn.CELU(1.5)), ("gelu", nn.GELU()), ("gelu_tanh", nn.GELU(approximate="tanh")),
                ("silu", nn.SiLU()), ("mish", nn.Mish()), ("hardtanh", nn.Hardtanh(-2.0, 1.5)),
                ("hardsigmoid", nn.Hardsigmoid()), ("hardswish", nn.Hardswish()), ("softplus", nn.Softplus()),
                ("softplus_args", nn.Softplus(beta=2, threshold=3)), ("softsign", nn.Softsign()),
                ("softmax", nn.Softmax(dim=1)), ("logsoftmax", nn.LogSoftmax(dim=0)), ("softmin", nn.Softmin(dim=-1)),
                ("glu", nn.GLU()), ("threshold", nn.Threshold(0.5, -1.0)), ("logsigmoid", nn.LogSigmoid()),
                ("tanhshrink", nn.Tanhshrink()), ("softshrink", nn.Softshrink(0.7)), ("hardshrink", nn.Hardshrink(1.2))]:
    case("act_" + name, m, act_x)
strings["relu6_inplace/repr"] = repr(nn.ReLU6(inplace=True))
strings["elu_inplace/repr"] = repr(nn.ELU(inplace=True))
pr = nn.PReLU(3)
case("prelu", pr, torch.randn(2, 3, 4))
case("prelu1", nn.PReLU(init=0.1), torch.randn(5))
case("softmax_none", nn.Softmax(), torch.randn(2, 3, 4))

# ---- dropout (random: only printouts and eval mode here) ----
for name, m in [("dropout2d", nn.Dropout2d(0.3)), ("alphadropout", nn.AlphaDropout(0.2)),
                ("dropout1d", nn.Dropout1d(0.5, inplace=True)), ("featurealphadropout", nn.FeatureAlphaDropout())]:
    strings[name + "/repr"] = repr(m)

# ---- embeddings ----
case("embedding", nn.Embedding(6, 3, padding_idx=-2), torch.tensor([[0, 4, 1], [4, 5, 0]]))
case("embedding_maxnorm", nn.Embedding(5, 4, max_norm=1.0, scale_grad_by_freq=True), torch.tensor([1, 3, 1, 0]))
case("embeddingbag", nn.EmbeddingBag(6, 3, mode="sum"), torch.tensor([1, 2, 4, 5, 4, 3]), torch.tensor([0, 2, 2, 5]),
     torch.randn(6))
case("embeddingbag_max", nn.EmbeddingBag(5, 2, mode="max", padding_idx=0), torch.tensor([[1, 0, 3], [2, 4, 4]]))
pre = torch.randn(4, 3)
fp = nn.Embedding.from_pretrained(pre, padding_idx=1)
strings["from_pretrained/repr"] = repr(fp)
tensors["from_pretrained/weight"] = pre
tensors["from_pretrained/out"] = fp(torch.tensor([3, 1]))

# ---- resampling, padding, fold ----
case("upsample_nearest", nn.Upsample(scale_factor=2), torch.randn(1, 2, 3, 2))
case("upsample_bilinear", nn.Upsample(size=(4, 5), mode="bilinear", align_corners=True), torch.randn(1, 2, 3, 2))
case("pixelshuffle", nn.PixelShuffle(2), torch.randn(1, 8, 2, 3))
case("pixelunshuffle", nn.PixelUnshuffle(2), torch.randn(1, 2, 4, 6))
case("zeropad2d", nn.ZeroPad2d((1, 2, 0, 3)), torch.randn(1, 2, 3, 3))
case("reflectionpad2d", nn.ReflectionPad2d(2), torch.randn(1, 2, 3, 4))
case("replicationpad2d", nn.ReplicationPad2d((1, 0, 2, 1)), torch.randn(2, 3, 3))
case("constantpad2d", nn.ConstantPad2d(1, 3.5), torch.randn(1, 2, 2))
case("fold", nn.Fold((4, 5), 2), torch.randn(2, 12, 12))
case("unfold", nn.Unfold(2, padding=1, stride=(1, 2)), torch.randn(2, 3, 3, 4))

# ---- losses ----
logits = torch.randn(4, 5)
labels = torch.tensor([1, 0, 4, 2])
probs = torch.rand(4, 5)
binary = torch.randint(0, 2, (4, 5)).double()
case("crossentropy", nn.CrossEntropyLoss(), logits, labels)
case("crossentropy_args", nn.CrossEntropyLoss(weight=torch.rand(5), ignore_index=2, label_smoothing=0.1), logits, labels)
case("crossentropy_probs", nn.CrossEntropyLoss(reduction="sum"), logits, probs.softmax(1))
case("nllloss", nn.NLLLoss(weight=torch.rand(5), reduction="none"), logits.log_softmax(1), labels)
case("bceloss", nn.BCELoss(weight=torch.rand(5)), torch.rand(4, 5) * 0.9 + 0.05, binary)
case("bcewithlogits", nn.BCEWithLogitsLoss(pos_weight=torch.rand(5) + 0.5), logits, binary)
case("mseloss", nn.MSELoss(), logits, probs)
case("l1loss", nn.L1Loss(reduction="sum"), logits, probs)
case("smoothl1loss", nn.SmoothL1Loss(beta=0.5), logits, probs)
case("huberloss", nn.HuberLoss(delta=0.7, reduction="none"), logits, probs)
case("kldivloss", nn.KLDivLoss(reduction="batchmean"), logits.log_softmax(1), probs.softmax(1))
case("kldivloss_logt", nn.KLDivLoss(reduction="sum", log_target=True), logits.log_softmax(1), probs.log_softmax(1))
case("poissonnllloss", nn.PoissonNLLLoss(full=True), logits, probs * 3)
case("gaussiannllloss", nn.GaussianNLLLoss(), logits, probs, torch.rand(4, 5) + 0.1)
case("cosineembeddingloss", nn.CosineEmbeddingLoss(margin=0.2), torch.randn(4, 3), torch.randn(4, 3),
     torch.tensor([1.0, -1.0, -1.0, 1.0]))
case("marginrankingloss", nn.MarginRankingLoss(margin=0.1), torch.randn(6), torch.randn(6),
     torch.tensor([1.0, -1.0, 1.0, 1.0, -1.0, -1.0]))
case("tripletmarginloss", nn.TripletMarginLoss(margin=0.5, p=1.5, swap=True), torch.randn(4, 3), torch.randn(4, 3),
     torch.randn(4, 3))
case("hingeembeddingloss", nn.HingeEmbeddingLoss(margin=0.5), logits, binary * 2 - 1)
case("multilabelsoftmarginloss", nn.MultiLabelSoftMarginLoss(weight=torch.rand(5)), logits, binary)
case("multimarginloss", nn.MultiMarginLoss(p=2, margin=0.5), logits, labels)
T, N, C, S = 6, 2, 4, 3
case("ctcloss", nn.CTCLoss(blank=0, zero_infinity=True), torch.randn(T, N, C).log_softmax(2),
     torch.tensor([[1, 2, 2], [3, 1, 0]]), torch.tensor([6, 5]), torch.tensor([3, 2]))

# Initialisation statistics: the largest |value| of a large layer is close to the bound 1/sqrt(fan_in).
big = nn.Conv2d(64, 128, 3)
tensors["init/conv2d_weight_absmax"] = big.weight.abs().max()
tensors["init/conv2d_bias_absmax"] = big.bias.abs().max()
tensors["init/conv2d_weight_std"] = big.weight.std()

out = {name: encode(t) for name, t in tensors.items()}
path = HERE / "nn_layers.json"
tmp = path.with_suffix(".json.tmp")
tmp.write_text(json.dumps({"generator": "gen_nn_layers.py", "torch": torch.__version__, "tensors": out,
                           "strings": strings}, separators=(",", ":")))
tmp.replace(path)
print(f"wrote {path.name}: {len(out)} tensors, {len(strings)} strings, {path.stat().st_size} bytes")
