"""ember.nn.functional: torch.nn.functional's names, computed by the C++ library."""
import warnings
from typing import Optional

from ember import _C
from ember._C import Tensor
from ember._C import dtype as _dtype

one_hot = _C._nn.one_hot

# Activations. F.relu_ and friends are the top-level in-place ops, as in PyTorch.
from ember._C import hardshrink as hardshrink  # noqa: E402
from ember._C import prelu as prelu  # noqa: E402
from ember._C import relu_ as relu_  # noqa: E402
from ember._C import rrelu_ as rrelu_  # noqa: E402
from ember._C import selu_ as selu_  # noqa: E402
from ember._C import celu_ as celu_  # noqa: E402
from ember._C import threshold_ as threshold_  # noqa: E402

relu = _C._nn.relu
relu6 = _C._nn.relu6
leaky_relu = _C._nn.leaky_relu
leaky_relu_ = _C._nn.leaky_relu_
rrelu = _C._nn.rrelu
elu = _C._nn.elu
elu_ = _C._nn.elu_
selu = _C._nn.selu
celu = _C._nn.celu
gelu = _C._nn.gelu
silu = _C._nn.silu
mish = _C._nn.mish
hardtanh = _C._nn.hardtanh
hardtanh_ = _C._nn.hardtanh_
hardsigmoid = _C._nn.hardsigmoid
hardswish = _C._nn.hardswish
threshold = _C._nn.threshold
softplus = _C._nn.softplus
softsign = _C._nn.softsign
softshrink = _C._nn.softshrink
tanhshrink = _C._nn.tanhshrink
logsigmoid = _C._nn.logsigmoid
glu = _C._nn.glu


def sigmoid(input: Tensor) -> Tensor:
    warnings.warn("nn.functional.sigmoid is deprecated. Use torch.sigmoid instead.")
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    warnings.warn("nn.functional.tanh is deprecated. Use torch.tanh instead.")
    return input.tanh()


# The softmax family: dim=None picks a dim as PyTorch's deprecated implicit choice does, with its warning
# pointing at the caller (hence Python, for the stack level).
def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    warnings.warn(
        "Implicit dimension choice for {} has been deprecated. "
        "Change the call to include dim=X as an argument.".format(name),
        stacklevel=stacklevel,
    )
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[_dtype] = None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return _C.softmax(input, dim, dtype)


def softmin(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3, dtype: Optional[_dtype] = None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return _C._nn.softmin(input, dim, dtype)


def log_softmax(input: Tensor, dim: Optional[int] = None, _stacklevel: int = 3,
                dtype: Optional[_dtype] = None) -> Tensor:
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return _C.log_softmax(input, dim, dtype)


# Normalisation, embeddings, distances.
from ember._C import cosine_similarity as cosine_similarity  # noqa: E402
from ember._C import pairwise_distance as pairwise_distance  # noqa: E402
from ember._C import pdist as pdist  # noqa: E402

batch_norm = _C._nn.batch_norm
instance_norm = _C._nn.instance_norm
layer_norm = _C._nn.layer_norm
group_norm = _C._nn.group_norm
rms_norm = _C._nn.rms_norm
local_response_norm = _C._nn.local_response_norm
normalize = _C._nn.normalize
embedding = _C._nn.embedding
embedding_bag = _C._nn.embedding_bag

# Losses.
cross_entropy = _C._nn.cross_entropy
nll_loss = _C._nn.nll_loss
binary_cross_entropy = _C._nn.binary_cross_entropy
binary_cross_entropy_with_logits = _C._nn.binary_cross_entropy_with_logits
mse_loss = _C._nn.mse_loss
l1_loss = _C._nn.l1_loss
smooth_l1_loss = _C._nn.smooth_l1_loss
huber_loss = _C._nn.huber_loss
soft_margin_loss = _C._nn.soft_margin_loss
kl_div = _C._nn.kl_div
poisson_nll_loss = _C._nn.poisson_nll_loss
gaussian_nll_loss = _C._nn.gaussian_nll_loss
cosine_embedding_loss = _C._nn.cosine_embedding_loss
margin_ranking_loss = _C._nn.margin_ranking_loss
hinge_embedding_loss = _C._nn.hinge_embedding_loss
triplet_margin_loss = _C._nn.triplet_margin_loss
multilabel_soft_margin_loss = _C._nn.multilabel_soft_margin_loss
multi_margin_loss = _C._nn.multi_margin_loss
multilabel_margin_loss = _C._nn.multilabel_margin_loss
ctc_loss = _C._nn.ctc_loss
