#pragma once
// Dynamic loss scaling for mixed-precision training, as torch.amp.GradScaler: the loss is multiplied by
// a large factor before backward so float16 gradients do not underflow; before the optimizer step the
// gradients are divided by it again and, if any of them is inf or NaN, the step is skipped and the factor
// shrinks (backoff_factor); after growth_interval clean steps in a row it grows (growth_factor).
//
//   ember::amp::GradScaler scaler(ember::kCUDA);
//   scaler.scale(loss).backward();
//   scaler.step(optimizer);   // unscales, skips the step on inf/NaN gradients
//   scaler.update();
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include <ember/core/array_ref.h>
#include <ember/core/device.h>
#include <ember/optim/optimizer.h>
#include <ember/tensor.h>

namespace ember {

// torch._amp_foreach_non_finite_check_and_unscale_: multiplies every gradient by inv_scale and sets
// found_inf to 1 if any of them holds an inf or NaN. found_inf and inv_scale are one-element float32
// tensors on the gradients' device; nothing is read back to the host.
void _amp_foreach_non_finite_check_and_unscale_(ArrayRef<Tensor> grads, Tensor& found_inf, const Tensor& inv_scale);

// torch._amp_update_scale_: after an inf/NaN (found_inf > 0) multiplies the scale by backoff_factor and
// resets growth_tracker; otherwise counts the step and, at growth_interval clean steps, multiplies the
// scale by growth_factor (if that stays finite) and resets the count. Runs on the scale's device.
Tensor& _amp_update_scale_(Tensor& self, Tensor& growth_tracker, const Tensor& found_inf, double growth_factor,
                           double backoff_factor, int64_t growth_interval);

namespace amp {

struct GradScalerOptions {
  double init_scale = 65536.0;
  double growth_factor = 2.0;
  double backoff_factor = 0.5;
  int64_t growth_interval = 2000;
  bool enabled = true;
};

// What state_dict() returns: PyTorch's keys "scale", "growth_factor", "backoff_factor",
// "growth_interval" and "_growth_tracker".
struct GradScalerState {
  double scale = 65536.0;
  double growth_factor = 2.0;
  double backoff_factor = 0.5;
  int64_t growth_interval = 2000;
  int64_t growth_tracker = 0;
};

class GradScaler {
 public:
  // A scaler for CUDA on a machine without a GPU disables itself, as PyTorch's does (it warns).
  explicit GradScaler(DeviceType device = kCUDA, GradScalerOptions options = {});

  // outputs * scale (outputs unchanged when disabled).
  Tensor scale(const Tensor& outputs);
  std::vector<Tensor> scale(const std::vector<Tensor>& outputs);
  // Divides the optimizer's gradients by the scale in place and records whether any was inf/NaN.
  // Once per optimizer between two update() calls.
  void unscale_(optim::Optimizer& optimizer);
  // Unscales (if unscale_ was not called) and runs optimizer.step() unless a gradient was inf/NaN;
  // returns step()'s result, or an undefined tensor when the step was skipped.
  Tensor step(optim::Optimizer& optimizer);
  // Adjusts the scale from the steps since the last update: backoff if any optimizer saw inf/NaN, growth
  // after growth_interval clean steps. With new_scale, sets the scale to it instead.
  void update();
  void update(double new_scale);
  void update(const Tensor& new_scale);

  double get_scale() const;  // 1.0 when disabled
  double get_growth_factor() const { return options_.growth_factor; }
  void set_growth_factor(double v) { options_.growth_factor = v; }
  double get_backoff_factor() const { return options_.backoff_factor; }
  void set_backoff_factor(double v) { options_.backoff_factor = v; }
  int64_t get_growth_interval() const { return options_.growth_interval; }
  void set_growth_interval(int64_t v) { options_.growth_interval = v; }
  bool is_enabled() const { return options_.enabled; }

  // Raises when disabled (PyTorch returns an empty dict there, which load_state_dict refuses).
  GradScalerState state_dict() const;
  void load_state_dict(const GradScalerState& state);

 private:
  enum class Stage { kReady, kUnscaled, kStepped };
  struct PerOptimizer {
    Stage stage = Stage::kReady;
    Tensor found_inf;  // float32 [1] on the scale's device
  };
  void lazy_init(const Device& device);
  void require_scale(const char* funcname) const;  // scale() must have run
  PerOptimizer& per_optimizer(optim::Optimizer& optimizer) { return per_optimizer_[&optimizer]; }

  GradScalerOptions options_;
  Tensor scale_;           // float32, 0-dim, created by the first scale()
  Tensor growth_tracker_;  // int32, 0-dim
  int64_t init_growth_tracker_ = 0;
  std::unordered_map<const optim::Optimizer*, PerOptimizer> per_optimizer_;
};

}  // namespace amp
}  // namespace ember
