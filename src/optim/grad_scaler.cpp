// GradScaler and the two ops it is built on. The ops are compositions of public tensor ops, so they run
// on any device without reading the scale or the inf flag back to the host; only step() reads the flag
// (it must decide whether to call the optimizer), as in PyTorch.
#include <ember/amp/grad_scaler.h>

#include <cmath>
#include <vector>

#include <ember/autograd/grad_mode.h>
#include <ember/core/error.h>
#include <ember/cuda.h>
#include <ember/ops/factory.h>
#include <ember/ops/fused_optim.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/utils/log.h>

namespace ember {

namespace {
void check_one_float(const Tensor& t, const char* what) {
  EMBER_CHECK(t.defined() && t.numel() == 1, what, " must be a one-element tensor.");
  EMBER_CHECK(t.dtype() == kFloat32, what, " must be a float tensor.");
}
}  // namespace

void _amp_foreach_non_finite_check_and_unscale_(ArrayRef<Tensor> grads, Tensor& found_inf, const Tensor& inv_scale) {
  check_one_float(found_inf, "found_inf");
  check_one_float(inv_scale, "inv_scale");
  for (const Tensor& g : grads) {
    EMBER_CHECK(g.device() == found_inf.device() && g.device() == inv_scale.device(),
                "_amp_foreach_non_finite_check_and_unscale_: expected all tensors to be on the same device, but "
                "found a gradient on ", g.device(), " and found_inf on ", found_inf.device());
    EMBER_CHECK(is_floating_point(g.dtype()),
                "_amp_foreach_non_finite_check_and_unscale_: gradients must be floating point, got ", g.dtype());
  }
  NoGradGuard no_grad;
  // On the GPU, contiguous float32 and float64 gradients go in one launch per dtype (PyTorch's
  // multi-tensor path); the others, and every CPU gradient, op by op.
  std::vector<Tensor> fused[2];
  for (const Tensor& g : grads) {
    if (g.numel() == 0) continue;
    if (g.is_cuda() && g.is_contiguous() && (g.dtype() == kFloat32 || g.dtype() == kFloat64)) {
      fused[g.dtype() == kFloat64].push_back(g);
      continue;
    }
    found_inf.masked_fill_(g.isfinite().logical_not().any(), 1.0);
    Tensor(g).mul_(inv_scale);
  }
  for (const auto& list : fused)
    if (!list.empty()) _fused_amp_unscale_(list, found_inf, inv_scale);
}

Tensor& _amp_update_scale_(Tensor& self, Tensor& growth_tracker, const Tensor& found_inf, double growth_factor,
                           double backoff_factor, int64_t growth_interval) {
  check_one_float(self, "current_scale");
  check_one_float(found_inf, "found_inf");
  EMBER_CHECK(growth_tracker.defined() && growth_tracker.numel() == 1, "growth_tracker must be a one-element tensor.");
  EMBER_CHECK(growth_tracker.dtype() == kInt32, "growth_tracker must be an int tensor.");
  NoGradGuard no_grad;
  // PyTorch multiplies the float scale by the double factor in double and rounds once.
  const Tensor scale64 = self.to(kFloat64);
  const Tensor backed_off = (scale64 * backoff_factor).to(kFloat32);
  const Tensor grown = (scale64 * growth_factor).to(kFloat32);
  // The three one-element tensors may be shaped [] or [1] independently.
  const Tensor found = found_inf.gt(0).reshape(self.sizes());
  const Tensor successful = (growth_tracker + 1).reshape(self.sizes());
  const Tensor at_interval = successful.eq(growth_interval);
  const Tensor grow = at_interval.logical_and(grown.isfinite());
  self.copy_(where(found, backed_off, where(grow, grown, self)));
  growth_tracker.copy_(
      where(found.logical_or(at_interval), zeros_like(successful), successful).reshape(growth_tracker.sizes()));
  return self;
}

namespace amp {

GradScaler::GradScaler(DeviceType device, GradScalerOptions options) : options_(options) {
  if (options_.enabled && device == kCUDA && !cuda::is_available()) {
    utils::log::warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.");
    options_.enabled = false;
  }
  if (!options_.enabled) return;
  EMBER_CHECK_VALUE(options_.growth_factor > 1.0, "The growth factor must be > 1.0.");
  EMBER_CHECK_VALUE(options_.backoff_factor < 1.0, "The backoff factor must be < 1.0.");
  EMBER_CHECK_VALUE(options_.growth_interval > 0, "growth_interval must be a positive integer, got ",
                    options_.growth_interval);
}

void GradScaler::require_scale(const char* funcname) const {
  EMBER_CHECK(scale_.defined(), "Attempted ", funcname, " but _scale is None.  This may indicate your script did not "
                                "use scaler.scale(loss or outputs) earlier in the iteration.");
}

void GradScaler::lazy_init(const Device& device) {
  if (scale_.defined()) return;
  scale_ = full({}, options_.init_scale, TensorOptions().dtype(kFloat32).device(device));
  growth_tracker_ = full({}, init_growth_tracker_, TensorOptions().dtype(kInt32).device(device));
}

Tensor GradScaler::scale(const Tensor& outputs) {
  if (!options_.enabled) return outputs;
  lazy_init(outputs.device());
  return outputs * scale_.to(outputs.device());
}

std::vector<Tensor> GradScaler::scale(const std::vector<Tensor>& outputs) {
  std::vector<Tensor> out;
  out.reserve(outputs.size());
  for (const Tensor& t : outputs) out.push_back(scale(t));
  return out;
}

void GradScaler::unscale_(optim::Optimizer& optimizer) {
  if (!options_.enabled) return;
  require_scale("unscale_");
  PerOptimizer& state = per_optimizer(optimizer);
  EMBER_CHECK(state.stage != Stage::kUnscaled,
              "unscale_() has already been called on this optimizer since the last update().");
  EMBER_CHECK(state.stage != Stage::kStepped, "unscale_() is being called after step().");
  std::vector<Tensor> grads;
  for (const auto& group : optimizer.param_groups())
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      EMBER_CHECK_VALUE(p.grad().dtype() != kFloat16, "Attempting to unscale FP16 gradients.");
      grads.push_back(p.grad());
    }
  NoGradGuard no_grad;
  // The reciprocal in double, rounded once, as PyTorch's `self._scale.double().reciprocal().float()`.
  const Tensor inv_scale = scale_.to(kFloat64).reciprocal().to(kFloat32);
  state.found_inf = zeros({1}, TensorOptions().dtype(kFloat32).device(scale_.device()));
  _amp_foreach_non_finite_check_and_unscale_(grads, state.found_inf, inv_scale);
  state.stage = Stage::kUnscaled;
}

Tensor GradScaler::step(optim::Optimizer& optimizer) {
  if (!options_.enabled) return optimizer.step();
  PerOptimizer& state = per_optimizer(optimizer);
  EMBER_CHECK(state.stage != Stage::kStepped, "step() has already been called since the last update().");
  if (state.stage == Stage::kReady) unscale_(optimizer);
  EMBER_CHECK(state.found_inf.defined(), "No inf checks were recorded for this optimizer.");
  Tensor result;
  if (state.found_inf.item<float>() == 0.0f) result = optimizer.step();
  state.stage = Stage::kStepped;
  return result;
}

void GradScaler::update() {
  if (!options_.enabled) return;
  require_scale("update");
  Tensor found_inf;
  for (auto& [opt, state] : per_optimizer_) {
    if (!state.found_inf.defined()) continue;
    found_inf = found_inf.defined() ? found_inf + state.found_inf : state.found_inf.clone();
  }
  EMBER_CHECK(found_inf.defined(), "No inf checks were recorded prior to update.");
  _amp_update_scale_(scale_, growth_tracker_, found_inf, options_.growth_factor, options_.backoff_factor,
                     options_.growth_interval);
  per_optimizer_.clear();
}

void GradScaler::update(double new_scale) {
  if (!options_.enabled) return;
  require_scale("update");
  scale_.fill_(new_scale);
  per_optimizer_.clear();
}

void GradScaler::update(const Tensor& new_scale) {
  if (!options_.enabled) return;
  EMBER_CHECK(new_scale.numel() == 1 && new_scale.dtype() == kFloat32 && !new_scale.requires_grad(),
              "new_scale should be a float or a 1-element torch.cuda.FloatTensor or torch.FloatTensor with "
              "requires_grad=False.");
  require_scale("update");
  NoGradGuard no_grad;
  scale_.copy_(new_scale.reshape({}));
  per_optimizer_.clear();
}

double GradScaler::get_scale() const {
  if (!options_.enabled) return 1.0;
  return scale_.defined() ? double(scale_.item<float>()) : options_.init_scale;
}

GradScalerState GradScaler::state_dict() const {
  EMBER_CHECK(options_.enabled, "GradScaler::state_dict: the scaler is disabled, so it has no state.");
  return {get_scale(), options_.growth_factor, options_.backoff_factor, options_.growth_interval,
          growth_tracker_.defined() ? int64_t(growth_tracker_.item<int32_t>()) : init_growth_tracker_};
}

void GradScaler::load_state_dict(const GradScalerState& state) {
  if (!options_.enabled) return;
  options_.init_scale = state.scale;
  options_.growth_factor = state.growth_factor;
  options_.backoff_factor = state.backoff_factor;
  options_.growth_interval = state.growth_interval;
  init_growth_tracker_ = state.growth_tracker;
  if (scale_.defined()) scale_.fill_(state.scale);
  if (growth_tracker_.defined()) growth_tracker_.fill_(state.growth_tracker);
}

}  // namespace amp
}  // namespace ember
