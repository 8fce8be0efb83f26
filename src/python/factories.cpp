// Tensor factories: ember.zeros(2, 3, dtype=..., device=..., requires_grad=...) and friends, with
// PyTorch's Python signatures. ember.tensor / as_tensor / from_numpy live in interop.cpp; the random
// factories (rand, randint, ...) in random.cpp.
#include "python/bind.h"

namespace ember::python {

namespace {

// A factory over sizes given as varargs, one sequence or the `size=` keyword, with the usual options.
template <class F>
void def_sized(nb::module_& m, const char* name, F make) {
  m.def(
      name,
      [make, name](nb::args size, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        EMBER_CHECK_TYPE(size.size() > 0, name, "() missing required argument 'size'");
        return make(sizes_from_args(size, name), make_options(dtype, device, requires_grad));
      },
      "size"_a, "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
  m.def(
      name,
      [make](IntArrayRef size, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return make(size, make_options(dtype, device, requires_grad));
      },
      nb::kw_only(), "size"_a, "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
}

// input, *, dtype=None, device=None, requires_grad=False: the *_like factories. Without a dtype they
// keep the input's, which the core does when the options name none.
template <class F>
void def_like(nb::module_& m, const char* name, F make) {
  m.def(
      name,
      [make](const Tensor& input, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return make(input, make_options(dtype, device, requires_grad));
      },
      "input"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
}

}  // namespace

void bind_factories(nb::module_& m) {
  def_sized(m, "empty", [](IntArrayRef s, const TensorOptions& o) { return empty(s, o); });
  def_sized(m, "zeros", [](IntArrayRef s, const TensorOptions& o) { return zeros(s, o); });
  def_sized(m, "ones", [](IntArrayRef s, const TensorOptions& o) { return ones(s, o); });
  m.def(
      "empty_strided",
      [](IntArrayRef size, IntArrayRef stride, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) { return empty_strided(size, stride, make_options(dtype, device, requires_grad)); },
      "size"_a, "stride"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "full",
      [](IntArrayRef size, const Scalar& fill_value, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) { return full(size, fill_value, make_options(dtype, device, requires_grad)); },
      "size"_a, "fill_value"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "scalar_tensor",
      [](const Scalar& s, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return scalar_tensor(s, make_options(dtype, device, requires_grad));
      },
      "s"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);

  // arange(end) and arange(start, end, step=1), as torch's two Python signatures.
  m.def(
      "arange",
      [](const Scalar& end, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return arange(end, make_options(dtype, device, requires_grad));
      },
      "end"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
  m.def(
      "arange",
      [](const Scalar& start, const Scalar& end, const Scalar& step, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return arange(start, end, step, make_options(dtype, device, requires_grad));
      },
      "start"_a, "end"_a, "step"_a = 1, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "range",
      [](const Scalar& start, const Scalar& end, const Scalar& step, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return range(start, end, step, make_options(dtype, device, requires_grad));
      },
      "start"_a, "end"_a, "step"_a = 1, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "linspace",
      [](const Scalar& start, const Scalar& end, int64_t steps, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return linspace(start, end, steps, make_options(dtype, device, requires_grad));
      },
      "start"_a, "end"_a, "steps"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "logspace",
      [](const Scalar& start, const Scalar& end, int64_t steps, double base, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return logspace(start, end, steps, base, make_options(dtype, device, requires_grad));
      },
      "start"_a, "end"_a, "steps"_a, "base"_a = 10.0, nb::kw_only(), "dtype"_a = nb::none(),
      "device"_a = nb::none(), "requires_grad"_a = false);
  m.def(
      "eye",
      [](int64_t n, std::optional<int64_t> cols, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) {
        TensorOptions o = make_options(dtype, device, requires_grad);
        return cols ? eye(n, *cols, o) : eye(n, o);
      },
      "n"_a, "m"_a = nb::none(), nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);

  def_like(m, "empty_like", [](const Tensor& t, const TensorOptions& o) { return empty_like(t, o); });
  def_like(m, "zeros_like", [](const Tensor& t, const TensorOptions& o) { return zeros_like(t, o); });
  def_like(m, "ones_like", [](const Tensor& t, const TensorOptions& o) { return ones_like(t, o); });
  m.def(
      "full_like",
      [](const Tensor& input, const Scalar& fill_value, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) { return full_like(input, fill_value, make_options(dtype, device, requires_grad)); },
      "input"_a, "fill_value"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);

  m.def("get_default_dtype", &get_default_dtype);
  m.def("set_default_dtype", &set_default_dtype, "d"_a);
}

}  // namespace ember::python
