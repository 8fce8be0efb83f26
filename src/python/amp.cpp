// Autocast's per-thread state and the two ops GradScaler is built on, as torch._C exposes them; the
// context manager and GradScaler themselves are Python (python/ember/amp/), as in PyTorch, so they work
// with any optimizer that has param_groups and step().
#include <ember/amp/grad_scaler.h>
#include <ember/autocast.h>

#include "python/bind.h"

namespace ember::python {

namespace {
DeviceType autocast_device(std::string_view name) {
  if (name == "cuda") return kCUDA;
  EMBER_CHECK(name == "cpu", "unsupported autocast device_type '", name, "'");
  return kCPU;
}
}  // namespace

void bind_amp(nb::module_& m) {
  m.def("_is_autocast_enabled", [](std::string_view d) { return autocast::is_autocast_enabled(autocast_device(d)); });
  m.def("_set_autocast_enabled",
        [](std::string_view d, bool on) { autocast::set_autocast_enabled(autocast_device(d), on); });
  m.def("_get_autocast_dtype",
        [](std::string_view d) { return autocast::get_autocast_dtype(autocast_device(d)); });
  m.def("_set_autocast_dtype",
        [](std::string_view d, DType t) { autocast::set_autocast_dtype(autocast_device(d), t); });
  m.def("is_autocast_cache_enabled", &autocast::is_autocast_cache_enabled);
  m.def("set_autocast_cache_enabled", &autocast::set_autocast_cache_enabled, "enabled"_a);
  m.def("clear_autocast_cache", &autocast::clear_cache);
  m.def("autocast_increment_nesting", &autocast::increment_nesting);
  m.def("autocast_decrement_nesting", &autocast::decrement_nesting);
  m.def(
      "_amp_foreach_non_finite_check_and_unscale_",
      [](const std::vector<Tensor>& grads, Tensor& found_inf, const Tensor& inv_scale) {
        _amp_foreach_non_finite_check_and_unscale_(grads, found_inf, inv_scale);
      },
      "self"_a, "found_inf"_a, "inv_scale"_a);
  m.def(
      "_amp_update_scale_",
      [](Tensor& self, Tensor& growth_tracker, const Tensor& found_inf, double growth_factor, double backoff_factor,
         int64_t growth_interval) {
        return _amp_update_scale_(self, growth_tracker, found_inf, growth_factor, backoff_factor, growth_interval);
      },
      "self"_a, "growth_tracker"_a, "found_inf"_a, "scale_growth_factor"_a, "scale_backoff_factor"_a,
      "growth_interval"_a);
}

}  // namespace ember::python
