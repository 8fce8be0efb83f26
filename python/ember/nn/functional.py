"""ember.nn.functional: torch.nn.functional's names, computed by the C++ library."""
import warnings
from typing import Optional

from ember import _C
from ember._C import Tensor
from ember._C import dtype as _dtype

one_hot = _C._nn.one_hot

# Linear and convolution layers: the bindings are torch's own signatures (torch.conv2d is F.conv2d).
linear = _C._nn.linear
bilinear = _C.bilinear
conv1d = _C.conv1d
conv2d = _C.conv2d
conv3d = _C.conv3d
conv_transpose1d = _C.conv_transpose1d
conv_transpose2d = _C.conv_transpose2d
conv_transpose3d = _C.conv_transpose3d
pad = _C._nn.pad
unfold = _C._nn.unfold
fold = _C._nn.fold


# Pooling. As torch's, max_pool* and adaptive_max_pool* return (output, indices) when return_indices is
# true and the *_with_indices forms always do; stride=None means stride = kernel_size.
def _list_with_default(out_size, defaults):
    # adaptive pools: None in output_size keeps that dim's input size (torch.nn.modules.utils).
    if isinstance(out_size, int):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError("Input dimension should be at least {}".format(len(out_size) + 1))
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size):])]


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    return _C.max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    return _C._nn.max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
                            return_indices=False):
    return _C._nn.max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    if return_indices:
        return max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _C.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    if return_indices:
        return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _C.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    if return_indices:
        return max_pool3d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return _C.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode)


avg_pool1d = _C.avg_pool1d
avg_pool2d = _C._nn.avg_pool2d
avg_pool3d = _C._nn.avg_pool3d
adaptive_avg_pool1d = _C.adaptive_avg_pool1d


def adaptive_avg_pool2d(input, output_size):
    return _C._nn.adaptive_avg_pool2d(input, _list_with_default(output_size, input.size()))


def adaptive_avg_pool3d(input, output_size):
    return _C._nn.adaptive_avg_pool3d(input, _list_with_default(output_size, input.size()))


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    return _C.adaptive_max_pool1d(input, output_size)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return _C._nn.adaptive_max_pool2d(input, _list_with_default(output_size, input.size()))


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    return _C._nn.adaptive_max_pool3d(input, _list_with_default(output_size, input.size()))


def adaptive_max_pool1d(input, output_size, return_indices=False):
    result = adaptive_max_pool1d_with_indices(input, output_size)
    return result if return_indices else result[0]


def adaptive_max_pool2d(input, output_size, return_indices=False):
    result = adaptive_max_pool2d_with_indices(input, output_size)
    return result if return_indices else result[0]


def adaptive_max_pool3d(input, output_size, return_indices=False):
    result = adaptive_max_pool3d_with_indices(input, output_size)
    return result if return_indices else result[0]


lp_pool1d = _C._nn.lp_pool1d
lp_pool2d = _C._nn.lp_pool2d
max_unpool1d = _C._nn.max_unpool1d
max_unpool2d = _C._nn.max_unpool2d
max_unpool3d = _C._nn.max_unpool3d


# Resampling. interpolate's checks and dispatch are in C++; here only what depends on the Python form of
# size / scale_factor (a tuple must name every spatial dim, a number stands for all), preceded by the two
# checks torch makes before it so that errors come in torch's order, and the warnings.
_ALIGN_CORNERS_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify "
    "align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.")


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    if mode in ("nearest", "area", "nearest-exact") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if isinstance(size, (list, tuple)) and len(size) != input.dim() - 2:
        raise ValueError(
            "Input and output must have the same number of spatial dimensions, but got "
            f"input with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
            "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            "output size in (o1, o2, ...,oK) format.")
    if isinstance(scale_factor, (list, tuple)) and len(scale_factor) != input.dim() - 2:
        raise ValueError(
            "Input and scale_factor must have the same number of spatial dimensions, but "
            f"got input with spatial dimensions of {list(input.shape[2:])} and "
            f"scale_factor of shape {scale_factor}. "
            "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
            "scale_factor in (s1, s2, ...,sK) format.")
    if size is not None and not isinstance(size, (list, tuple)):
        size = [size]
    if scale_factor is not None and not isinstance(scale_factor, (list, tuple)):
        scale_factor = [scale_factor]
    return _C._nn.interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    warnings.warn("nn.functional.upsample is deprecated. Use nn.functional.interpolate instead.")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    warnings.warn("nn.functional.upsample_nearest is deprecated. Use nn.functional.interpolate instead.")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    warnings.warn("nn.functional.upsample_bilinear is deprecated. Use nn.functional.interpolate instead.")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


pixel_shuffle = _C.pixel_shuffle
pixel_unshuffle = _C.pixel_unshuffle


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    if mode in ("bilinear", "nearest", "bicubic") and padding_mode in ("zeros", "border", "reflection") \
            and align_corners is None:
        warnings.warn(_ALIGN_CORNERS_WARNING)
    return _C._nn.grid_sample(input, grid, mode, padding_mode, align_corners)


def affine_grid(theta, size, align_corners=None):
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_WARNING)
        align_corners = False
    if align_corners and len(size) in (4, 5) and min(size[2:]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                      "of affine_grid for details.")
    return _C._nn.affine_grid(theta, size, align_corners)


# Dropout. The in-place forms return input itself, as torch's. dropout2d/dropout3d warn about inputs of
# other ranks as torch 1.13 does, then drop channels along dim 1 (dropout3d adds a batch dim to 4-D).
def dropout(input, p=0.5, training=True, inplace=False):
    result = _C._nn.dropout(input, p, training, inplace)
    return input if inplace else result


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    result = _C._nn.alpha_dropout(input, p, training, inplace)
    return input if inplace else result


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    result = _C._nn.feature_alpha_dropout(input, p, training, inplace)
    return input if inplace else result


def dropout1d(input, p=0.5, training=True, inplace=False):
    result = _C._nn.dropout1d(input, p, training, inplace)
    return input if inplace else result


def _warn_feature_dropout_rank(name, input, p, ranks, spatial):
    if p < 0.0 or p > 1.0:
        return  # C++ raises the ValueError before any warning, as torch checks p first
    if input.dim() not in ranks:
        warnings.warn(
            f"{name}: Received a {input.dim()}-D input to {name}, which is deprecated and will result in an error "
            "in a future release. To retain the behavior and silence this warning, please use dropout instead. "
            f"Note that {name} exists to provide channel-wise dropout on inputs with {spatial} spatial dimensions, "
            f"a channel dimension, and an optional batch dimension (i.e. {ranks[0]}D or {ranks[1]}D inputs).")


def dropout2d(input, p=0.5, training=True, inplace=False):
    _warn_feature_dropout_rank("dropout2d", input, p, (3, 4), 2)
    if input.dim() == 3 and 0.0 <= p <= 1.0:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d "
            "instead.")
    result = _C._nn.dropout2d(input, p, training, inplace)
    return input if inplace else result


def dropout3d(input, p=0.5, training=True, inplace=False):
    _warn_feature_dropout_rank("dropout3d", input, p, (4, 5), 3)
    result = _C._nn.dropout3d(input, p, training, inplace)
    return input if inplace else result
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
