// Tensor factories: ember.zeros(2, 3, dtype=..., device=..., requires_grad=...) and friends.
#include "python/bind.h"

namespace ember::python {

namespace {

// A factory over sizes given as varargs or one sequence, with the usual keyword options.
template <class F>
void def_sized(nb::module_& m, const char* name, F make) {
  m.def(
      name,
      [make, name](nb::args size, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return make(sizes_from_args(size, name), make_options(dtype, device, requires_grad));
      },
      "size"_a, "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
}

}  // namespace

void bind_factories(nb::module_& m) {
  def_sized(m, "empty", [](IntArrayRef s, const TensorOptions& o) { return empty(s, o); });
  def_sized(m, "zeros", [](IntArrayRef s, const TensorOptions& o) { return zeros(s, o); });
  def_sized(m, "ones", [](IntArrayRef s, const TensorOptions& o) { return ones(s, o); });
  def_sized(m, "rand", [](IntArrayRef s, const TensorOptions& o) { return rand(s, o); });
  def_sized(m, "randn", [](IntArrayRef s, const TensorOptions& o) { return randn(s, o); });
  m.def("manual_seed", [](uint64_t seed) { manual_seed(seed); }, "seed"_a);
  m.def("get_default_dtype", &get_default_dtype);
  m.def("set_default_dtype", &set_default_dtype, "d"_a);
}

}  // namespace ember::python
