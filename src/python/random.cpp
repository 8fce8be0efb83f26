// Random numbers: ember.Generator, the seeding functions, the random factories (rand, randn, randint,
// randperm, normal, ...) with PyTorch's `generator=` keyword, and the in-place random Tensor methods.
#include "python/bind.h"

namespace ember::python {

namespace {

using OptGen = std::optional<Generator>;

// The Python object of the default generator, so that ember.manual_seed(s) returns ember.default_generator
// itself, as torch.manual_seed does. Owned by the module's attribute.
nb::handle g_default_generator;

// A seed as PyTorch reads it: any int in [-2^63, 2^64), negative ones taken modulo 2^64.
uint64_t unpack_seed(nb::handle seed) {
  if (!PyLong_Check(seed.ptr()) || PyBool_Check(seed.ptr()))
    throw Error(detail::str("manual_seed expected a long, but got ", nb::type_name(seed.type()).c_str()));
  uint64_t u = PyLong_AsUnsignedLongLong(seed.ptr());
  if (!PyErr_Occurred()) return u;
  PyErr_Clear();
  long long s = PyLong_AsLongLong(seed.ptr());
  if (s == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    throw Error("Overflow when unpacking long");
  }
  return uint64_t(s);
}

// Factories over sizes given as varargs, one sequence or the `size=` keyword, with generator= and the
// usual options.
template <class F>
void def_sized_random(nb::module_& m, const char* name, F make) {
  m.def(
      name,
      [make, name](nb::args size, OptGen generator, std::optional<DType> dtype, std::optional<Device> device,
                   bool requires_grad) {
        EMBER_CHECK_TYPE(size.size() > 0, name, "() missing required argument 'size'");
        return make(sizes_from_args(size, name), generator, make_options(dtype, device, requires_grad));
      },
      "size"_a, "generator"_a = nb::none(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      name,
      [make](IntArrayRef size, OptGen generator, std::optional<DType> dtype, std::optional<Device> device,
             bool requires_grad) { return make(size, generator, make_options(dtype, device, requires_grad)); },
      nb::kw_only(), "size"_a, "generator"_a = nb::none(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
}

template <class F>
void def_like_random(nb::module_& m, const char* name, F make) {
  m.def(
      name,
      [make](const Tensor& input, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return make(input, make_options(dtype, device, requires_grad));
      },
      "input"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(), "requires_grad"_a = false);
}

void bind_generator(nb::module_& m) {
  nb::class_<Generator>(m, "Generator")
      .def(
          "__init__",
          [](Generator* g, std::optional<Device> device) {
            EMBER_CHECK(!device || device->is_cpu(), "ember.Generator: device ", device->str(),
                        " is not available; ember has only CPU generators");
            new (g) Generator();
          },
          "device"_a = nb::none())
      .def_prop_ro("device", [](const Generator&) { return Device(kCPU); })
      .def(
          "manual_seed",
          [](nb::handle_t<Generator> self, nb::handle seed) {
            nb::inst_ptr<Generator>(self)->manual_seed(unpack_seed(seed));
            return self;
          },
          "seed"_a)
      .def("seed", [](Generator& g) { return g.seed(); })
      .def("initial_seed", &Generator::initial_seed)
      .def("get_state", &Generator::get_state)
      .def(
          "set_state",
          [](nb::handle_t<Generator> self, const Tensor& new_state) {
            nb::inst_ptr<Generator>(self)->set_state(new_state);
            return self;
          },
          "new_state"_a);

  m.attr("default_generator") = nb::cast(&default_generator(), nb::rv_policy::reference);
  g_default_generator = m.attr("default_generator");

  // torch.manual_seed(seed) takes anything int() accepts and returns the default generator.
  m.def(
      "manual_seed",
      [](nb::handle seed) {
        nb::object as_int = nb::steal(PyNumber_Long(seed.ptr()));
        if (!as_int.is_valid()) throw nb::python_error();
        default_generator().manual_seed(unpack_seed(as_int));
        return nb::borrow(g_default_generator);
      },
      "seed"_a);
  m.def("seed", [] { return default_generator().seed(); });
  m.def("initial_seed", [] { return default_generator().initial_seed(); });
  m.def("get_rng_state", [] { return default_generator().get_state(); });
  m.def("set_rng_state", [](const Tensor& new_state) { default_generator().set_state(new_state); }, "new_state"_a);
  // The intra-op thread count; bound here because random results must not depend on it.
  m.def("set_num_threads", &set_num_threads, "int"_a);
  m.def("get_num_threads", &get_num_threads);
}

void bind_random_functions(nb::module_& m) {
  def_sized_random(m, "rand", [](IntArrayRef s, OptGen g, const TensorOptions& o) { return rand(s, g, o); });
  def_sized_random(m, "randn", [](IntArrayRef s, OptGen g, const TensorOptions& o) { return randn(s, g, o); });
  // randint(high, size) and randint(low, high, size); the size is a sequence, never varargs.
  m.def(
      "randint",
      [](int64_t high, std::vector<int64_t> size, OptGen generator, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return randint(high, size, generator, make_options(dtype, device, requires_grad));
      },
      "high"_a, "size"_a, nb::kw_only(), "generator"_a = nb::none(), "dtype"_a = nb::none(),
      "device"_a = nb::none(), "requires_grad"_a = false);
  m.def(
      "randint",
      [](int64_t low, int64_t high, std::vector<int64_t> size, OptGen generator, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return randint(low, high, size, generator, make_options(dtype, device, requires_grad));
      },
      "low"_a, "high"_a, "size"_a, nb::kw_only(), "generator"_a = nb::none(), "dtype"_a = nb::none(),
      "device"_a = nb::none(), "requires_grad"_a = false);
  m.def(
      "randperm",
      [](int64_t n, OptGen generator, std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
        return randperm(n, generator, make_options(dtype, device, requires_grad));
      },
      "n"_a, nb::kw_only(), "generator"_a = nb::none(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  def_like_random(m, "rand_like", [](const Tensor& t, const TensorOptions& o) { return rand_like(t, o); });
  def_like_random(m, "randn_like", [](const Tensor& t, const TensorOptions& o) { return randn_like(t, o); });
  m.def(
      "randint_like",
      [](const Tensor& input, int64_t high, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) { return randint_like(input, high, make_options(dtype, device, requires_grad)); },
      "input"_a, "high"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);
  m.def(
      "randint_like",
      [](const Tensor& input, int64_t low, int64_t high, std::optional<DType> dtype, std::optional<Device> device,
         bool requires_grad) { return randint_like(input, low, high, make_options(dtype, device, requires_grad)); },
      "input"_a, "low"_a, "high"_a, nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
      "requires_grad"_a = false);

  // normal's four overloads, tensors first so a 0-dim tensor is never read as a number.
  m.def(
      "normal", [](const Tensor& mean, const Tensor& std, OptGen generator) { return normal(mean, std, generator); },
      "mean"_a, "std"_a, nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "normal", [](const Tensor& mean, double std, OptGen generator) { return normal(mean, std, generator); },
      "mean"_a, "std"_a = 1.0, nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "normal", [](double mean, const Tensor& std, OptGen generator) { return normal(mean, std, generator); },
      "mean"_a, "std"_a, nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "normal",
      [](double mean, double std, std::vector<int64_t> size, OptGen generator, std::optional<DType> dtype,
         std::optional<Device> device, bool requires_grad) {
        return normal(mean, std, size, generator, make_options(dtype, device, requires_grad));
      },
      "mean"_a, "std"_a, "size"_a, nb::kw_only(), "generator"_a = nb::none(), "dtype"_a = nb::none(),
      "device"_a = nb::none(), "requires_grad"_a = false);

  m.def(
      "bernoulli", [](const Tensor& input, OptGen generator) { return bernoulli(input, generator); }, "input"_a,
      nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "bernoulli", [](const Tensor& input, double p, OptGen generator) { return bernoulli(input, p, generator); },
      "input"_a, "p"_a, nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "multinomial",
      [](const Tensor& input, int64_t num_samples, bool replacement, OptGen generator) {
        return multinomial(input, num_samples, replacement, generator);
      },
      "input"_a, "num_samples"_a, "replacement"_a = false, nb::kw_only(), "generator"_a = nb::none());
  m.def(
      "dropout", [](const Tensor& input, double p, bool train) { return dropout(input, p, train); }, "input"_a,
      "p"_a, "train"_a);
}

void bind_random_methods(nb::class_<Tensor>& cls) {
  // In-place methods return the very object they were called on, as nb::handle_t<Tensor> so that the
  // stub types them `-> Tensor`.
  cls.def(
         "normal_",
         [](nb::handle_t<Tensor> self, double mean, double std, OptGen generator) {
           nb::inst_ptr<Tensor>(self)->normal_(mean, std, generator);
           return self;
         },
         "mean"_a = 0.0, "std"_a = 1.0, nb::kw_only(), "generator"_a = nb::none())
      .def(
          "uniform_",
          [](nb::handle_t<Tensor> self, double from, double to, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->uniform_(from, to, generator);
            return self;
          },
          "from"_a = 0.0, "to"_a = 1.0, nb::kw_only(), "generator"_a = nb::none())
      .def(
          "exponential_",
          [](nb::handle_t<Tensor> self, double lambd, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->exponential_(lambd, generator);
            return self;
          },
          "lambd"_a = 1.0, nb::kw_only(), "generator"_a = nb::none())
      // random_(from, to), random_(to), random_(): torch's three Python signatures.
      .def(
          "random_",
          [](nb::handle_t<Tensor> self, int64_t from, std::optional<int64_t> to, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->random_(from, to, generator);
            return self;
          },
          "from"_a, "to"_a.none(), nb::kw_only(), "generator"_a = nb::none())
      .def(
          "random_",
          [](nb::handle_t<Tensor> self, int64_t to, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->random_(to, generator);
            return self;
          },
          "to"_a, nb::kw_only(), "generator"_a = nb::none())
      .def(
          "random_",
          [](nb::handle_t<Tensor> self, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->random_(generator);
            return self;
          },
          nb::kw_only(), "generator"_a = nb::none())
      .def(
          "bernoulli_",
          [](nb::handle_t<Tensor> self, const Tensor& p, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->bernoulli_(p, generator);
            return self;
          },
          "p"_a, nb::kw_only(), "generator"_a = nb::none())
      .def(
          "bernoulli_",
          [](nb::handle_t<Tensor> self, double p, OptGen generator) {
            nb::inst_ptr<Tensor>(self)->bernoulli_(p, generator);
            return self;
          },
          "p"_a = 0.5, nb::kw_only(), "generator"_a = nb::none())
      .def(
          "bernoulli", [](const Tensor& t, OptGen generator) { return t.bernoulli(generator); }, nb::kw_only(),
          "generator"_a = nb::none())
      .def(
          "bernoulli", [](const Tensor& t, double p, OptGen generator) { return t.bernoulli(p, generator); }, "p"_a,
          nb::kw_only(), "generator"_a = nb::none())
      .def(
          "multinomial",
          [](const Tensor& t, int64_t num_samples, bool replacement, OptGen generator) {
            return t.multinomial(num_samples, replacement, generator);
          },
          "num_samples"_a, "replacement"_a = false, nb::kw_only(), "generator"_a = nb::none());
}

}  // namespace

void bind_random(nb::module_& m, nb::class_<Tensor>& cls) {
  bind_generator(m);
  bind_random_functions(m);
  bind_random_methods(cls);
}

}  // namespace ember::python
