// Autocast state, the weight-cast cache and PyTorch 2.11's casting lists (aten/src/ATen/autocast_mode.*).
// The ops themselves opt in with EMBER_AUTOCAST on their first line; a name listed here that no op passes
// does nothing, so each table lists only names the ops use.
#include <ember/autocast.h>

#include <memory>
#include <string_view>
#include <unordered_map>

#include <ember/core/error.h>

namespace ember::autocast {

namespace detail {
thread_local uint8_t active_devices = 0;
}  // namespace detail

namespace {

struct State {
  bool enabled[kNumDeviceTypes] = {false, false};
  bool suspended[kNumDeviceTypes] = {false, false};
  DType dtype[kNumDeviceTypes] = {kBFloat16, kFloat16};
  bool cache_enabled = true;
  int nesting = 0;
  // Key: the float32 parameter's impl; the weak pointer tells a live key from a reused address.
  std::unordered_map<const TensorImpl*, std::pair<std::weak_ptr<TensorImpl>, Tensor>> cache;
};
thread_local State state;

void refresh_active() {
  uint8_t bits = 0;
  for (int d = 0; d < kNumDeviceTypes; ++d)
    if (state.enabled[d] && !state.suspended[d]) bits |= uint8_t(1u << d);
  detail::active_devices = bits;
}

using Table = std::unordered_map<std::string_view, CastPolicy>;

void add(Table& t, CastPolicy p, std::initializer_list<std::string_view> names) {
  for (auto n : names) t.emplace(n, p);
}

// The names are the ones the ops pass to EMBER_AUTOCAST. Every convolution and transposed convolution
// (conv1d ... conv_transpose3d, padding="same") reaches `convolution`, vdot reaches dot, and interpolate
// is "upsample" in every mode but "area" (PyTorch lists the upsample_* kernels, not adaptive pooling).
//
// CUDA: AT_FORALL_LOWER_PRECISION_FP / FP32 / FP32_SET_OPT_DTYPE / PROMOTE, and the banned
// binary_cross_entropy. The fp32_set_opt_dtype ops (sum, softmax, ...) call EMBER_AUTOCAST only when no
// dtype was passed, which is that policy; norm's fp32_append_dtype is kFp32 the same way.
const Table& cuda_table() {
  static const Table t = [] {
    Table t;
    add(t, CastPolicy::kLowerPrecision,
        {"convolution", "prelu", "addmm", "addmv", "addr", "matmul", "einsum", "mm", "mv", "linear", "addbmm",
         "baddbmm", "bmm"});
    add(t, CastPolicy::kFp32,
        {"acos", "asin", "cosh", "erfinv", "exp", "expm1", "log", "log10", "log2", "log1p", "reciprocal", "rsqrt",
         "sinh", "tan", "pow", "softplus", "layer_norm", "group_norm", "cosine_similarity", "poisson_nll_loss",
         "cosine_embedding_loss", "nll_loss", "hinge_embedding_loss", "kl_div", "l1_loss", "smooth_l1_loss",
         "huber_loss", "mse_loss", "margin_ranking_loss", "multilabel_margin_loss", "soft_margin_loss",
         "triplet_margin_loss", "multi_margin_loss", "binary_cross_entropy_with_logits", "pdist", "logsumexp",
         "upsample", "prod", "softmax", "log_softmax", "cumprod", "cumsum", "sum", "norm"});
    add(t, CastPolicy::kPromote,
        {"addcdiv", "addcmul", "atan2", "bilinear", "cross", "dot", "grid_sampler", "index_put", "tensordot",
         "scatter_add"});
    add(t, CastPolicy::kBanned, {"binary_cross_entropy"});
    return t;
  }();
  return t;
}

// CPU: the AutocastCPU registrations of the same file (a different, shorter set).
const Table& cpu_table() {
  static const Table t = [] {
    Table t;
    add(t, CastPolicy::kLowerPrecision,
        {"bmm", "mm", "baddbmm", "addmm", "addbmm", "linear", "convolution", "matmul", "prelu"});
    add(t, CastPolicy::kFp32,
        {"avg_pool3d", "binary_cross_entropy", "grid_sampler", "prod", "trace", "max_pool3d", "max_unpool2d",
         "max_unpool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d", "reflection_pad", "replication_pad",
         "mse_loss", "cosine_embedding_loss", "nll_loss", "hinge_embedding_loss", "poisson_nll_loss",
         "smooth_l1_loss", "cross_entropy_loss", "l1_loss", "huber_loss", "margin_ranking_loss", "soft_margin_loss",
         "triplet_margin_loss", "multi_margin_loss", "kl_div", "multilabel_margin_loss",
         "binary_cross_entropy_with_logits"});
    add(t, CastPolicy::kPromote, {"stack", "cat", "index_copy"});
    return t;
  }();
  return t;
}

std::string_view device_name(DeviceType d) { return d == kCUDA ? "CUDA" : "CPU"; }

}  // namespace

bool is_autocast_enabled(DeviceType device_type) { return state.enabled[int(device_type)]; }

void set_autocast_enabled(DeviceType device_type, bool enabled) {
  state.enabled[int(device_type)] = enabled;
  refresh_active();
}

DType get_autocast_dtype(DeviceType device_type) { return state.dtype[int(device_type)]; }

void set_autocast_dtype(DeviceType device_type, DType dtype) {
  EMBER_CHECK_VALUE(dtype == kFloat16 || dtype == kBFloat16, "autocast: ", device_name(device_type),
                    " autocast only supports dtype of torch.float16 or torch.bfloat16, got ", dtype);
  state.dtype[int(device_type)] = dtype;
}

bool is_autocast_cache_enabled() { return state.cache_enabled; }
void set_autocast_cache_enabled(bool enabled) { state.cache_enabled = enabled; }
void clear_cache() { state.cache.clear(); }
int increment_nesting() { return ++state.nesting; }
int decrement_nesting() { return --state.nesting; }

AutocastGuard::AutocastGuard(DeviceType device_type, std::optional<DType> dtype, bool enabled,
                             std::optional<bool> cache_enabled)
    : device_type_(device_type),
      prev_enabled_(is_autocast_enabled(device_type)),
      prev_dtype_(get_autocast_dtype(device_type)),
      prev_cache_enabled_(is_autocast_cache_enabled()) {
  if (dtype) set_autocast_dtype(device_type, *dtype);
  if (cache_enabled) set_autocast_cache_enabled(*cache_enabled);
  set_autocast_enabled(device_type, enabled);
  increment_nesting();
}

AutocastGuard::~AutocastGuard() {
  if (decrement_nesting() == 0) clear_cache();
  set_autocast_enabled(device_type_, prev_enabled_);
  state.dtype[int(device_type_)] = prev_dtype_;
  set_autocast_cache_enabled(prev_cache_enabled_);
}

std::optional<CastPolicy> policy_of(DeviceType device_type, std::string_view op) {
  const Table& t = device_type == kCUDA ? cuda_table() : cpu_table();
  auto it = t.find(op);
  if (it == t.end()) return std::nullopt;
  return it->second;
}

namespace detail {

Tensor cached_cast(DType to, const Tensor& t, DeviceType device_type) {
  if (!eligible(t, device_type) || t.dtype() == to) return t;
  // Apex's heuristic, kept by PyTorch: float32 leaf parameters cast to the lower precision are cached, so
  // a weight shared by several ops in one forward pass is cast (and its cast differentiated) once.
  bool cacheable = to == state.dtype[int(device_type)] && t.dtype() == kFloat32 && t.requires_grad() &&
                   t.is_leaf() && state.cache_enabled;
  if (!cacheable) return t.to(to);
  auto it = state.cache.find(t.unsafeGetTensorImpl());
  if (it != state.cache.end() && !it->second.first.expired()) return it->second.second;
  Tensor cast = t.to(to);
  state.cache.insert_or_assign(t.unsafeGetTensorImpl(), std::make_pair(std::weak_ptr<TensorImpl>(t.impl()), cast));
  return cast;
}

std::optional<Context> resolve(std::string_view op, DeviceType device_type, bool has_float32) {
  auto p = policy_of(device_type, op);
  if (!p) return std::nullopt;
  DType lower = state.dtype[int(device_type)];
  switch (*p) {
    case CastPolicy::kLowerPrecision:
      return Context{device_type, lower};
    case CastPolicy::kFp32:
      return Context{device_type, kFloat32};
    case CastPolicy::kPromote:
      return Context{device_type, has_float32 ? kFloat32 : lower};
    case CastPolicy::kBanned:
      break;
  }
  throw Error(
      "torch.nn.functional.binary_cross_entropy and torch.nn.BCELoss are unsafe to autocast.\n"
      "Many models use a sigmoid layer right before the binary cross entropy layer.\n"
      "In this case, combine the two layers using torch.nn.functional.binary_cross_entropy_with_logits\n"
      "or torch.nn.BCEWithLogitsLoss.  binary_cross_entropy_with_logits and BCEWithLogits are\n"
      "safe to autocast.");
}

Suspend::Suspend(DeviceType device_type)
    : device_type_(device_type), was_suspended_(state.suspended[int(device_type)]) {
  state.suspended[int(device_type)] = true;
  refresh_active();
}

Suspend::~Suspend() {
  state.suspended[int(device_type_)] = was_suspended_;
  refresh_active();
}

}  // namespace detail
}  // namespace ember::autocast
