// Reductions and scans as ember.<op> and Tensor methods. (values, indices) results are the named tuples
// of ember.return_types, like torch.return_types.max: tuples that also have .values and .indices.
#include "python/bind.h"

namespace ember::python {
namespace {
// `dim` where PyTorch also takes None: None (every dim, as an empty list means to the core), an int, or a
// sequence of ints.
struct Dims {
  std::vector<int64_t> v;
  operator IntArrayRef() const { return v; }
};
}  // namespace
}  // namespace ember::python

namespace nanobind::detail {
template <>
struct type_caster<ember::python::Dims> {
  NB_TYPE_CASTER(ember::python::Dims, const_name("int | Sequence[int] | None"))
  bool from_python(handle src, uint8_t flags, cleanup_list* cleanup) noexcept {
    value.v.clear();
    if (src.is_none()) return true;
    make_caster<ember::IntArrayRef> c;
    if (!c.from_python(src, flags, cleanup)) return false;
    value.v = std::move(c.storage);
    return true;
  }
};
}  // namespace nanobind::detail

namespace ember::python {

namespace {

// ember.return_types.<name>: the named tuples PyTorch returns (values, indices). Borrowed: the module
// stays in sys.modules for the interpreter's life.
nb::handle g_max_type, g_min_type, g_cummax_type, g_cummin_type;

}  // namespace

void bind_reduce(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::module_ types = nb::module_::import_("ember.return_types");
  g_max_type = types.attr("max");
  g_min_type = types.attr("min");
  g_cummax_type = types.attr("cummax");
  g_cummin_type = types.attr("cummin");

  // ---- sum / mean / prod and their NaN-skipping forms: the whole tensor first, then over dims ----
#define EMBER_PY_DIMS_REDUCTION(name)                                                                         \
  m.def(#name, [](const Tensor& input, std::optional<DType> dtype) { return ember::name(input, dtype); },     \
        "input"_a, nb::kw_only(), "dtype"_a = nb::none());                                                    \
  m.def(                                                                                                      \
      #name,                                                                                                  \
      [](const Tensor& input, const Dims& dim, bool keepdim, std::optional<DType> dtype) {                    \
        return ember::name(input, dim, keepdim, dtype);                                                       \
      },                                                                                                      \
      "input"_a, "dim"_a.none(), "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());                 \
  cls.def(#name, [](const Tensor& self, std::optional<DType> dtype) { return ember::name(self, dtype); },     \
          nb::kw_only(), "dtype"_a = nb::none());                                                             \
  cls.def(                                                                                                    \
      #name,                                                                                                  \
      [](const Tensor& self, const Dims& dim, bool keepdim, std::optional<DType> dtype) {                     \
        return ember::name(self, dim, keepdim, dtype);                                                        \
      },                                                                                                      \
      "dim"_a.none(), "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());
  EMBER_PY_DIMS_REDUCTION(sum)
  EMBER_PY_DIMS_REDUCTION(mean)
#undef EMBER_PY_DIMS_REDUCTION
#define EMBER_PY_NAN_REDUCTION(name)                                                                          \
  m.def(                                                                                                      \
      #name,                                                                                                  \
      [](const Tensor& input, const Dims& dim, bool keepdim, std::optional<DType> dtype) {                    \
        return ember::name(input, dim, keepdim, dtype);                                                       \
      },                                                                                                      \
      "input"_a, "dim"_a.none() = nb::none(), "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());    \
  cls.def(                                                                                                    \
      #name,                                                                                                  \
      [](const Tensor& self, const Dims& dim, bool keepdim, std::optional<DType> dtype) {                     \
        return ember::name(self, dim, keepdim, dtype);                                                        \
      },                                                                                                      \
      "dim"_a.none() = nb::none(), "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());
  EMBER_PY_NAN_REDUCTION(nansum)
  EMBER_PY_NAN_REDUCTION(nanmean)
#undef EMBER_PY_NAN_REDUCTION
  m.def("prod", [](const Tensor& input, std::optional<DType> dtype) { return ember::prod(input, dtype); }, "input"_a,
        nb::kw_only(), "dtype"_a = nb::none());
  m.def(
      "prod",
      [](const Tensor& input, int64_t dim, bool keepdim, std::optional<DType> dtype) {
        return ember::prod(input, dim, keepdim, dtype);
      },
      "input"_a, "dim"_a, "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());
  cls.def("prod", [](const Tensor& self, std::optional<DType> dtype) { return self.prod(dtype); }, nb::kw_only(),
          "dtype"_a = nb::none());
  cls.def(
      "prod",
      [](const Tensor& self, int64_t dim, bool keepdim, std::optional<DType> dtype) {
        return self.prod(dim, keepdim, dtype);
      },
      "dim"_a, "keepdim"_a = false, nb::kw_only(), "dtype"_a = nb::none());

  // ---- max / min: the whole tensor, elementwise against `other`, or (values, indices) over a dim ----
#define EMBER_PY_EXTREMUM(name, elementwise)                                                                  \
  m.def(#name, [](const Tensor& input) { return ember::name(input); }, "input"_a);                            \
  m.def(#name, [](const Tensor& input, const Tensor& other) { return ember::elementwise(input, other); },     \
        "input"_a, "other"_a);                                                                                \
  m.def(                                                                                                      \
      #name,                                                                                                  \
      [](const Tensor& input, int64_t dim, bool keepdim) {                                                    \
        return values_indices(g_##name##_type, ember::name(input, dim, keepdim));                             \
      },                                                                                                      \
      "input"_a, "dim"_a, "keepdim"_a = false);                                                               \
  cls.def(#name, [](const Tensor& self) { return self.name(); });                                             \
  cls.def(#name, [](const Tensor& self, const Tensor& other) { return self.elementwise(other); }, "other"_a);  \
  cls.def(                                                                                                    \
      #name,                                                                                                  \
      [](const Tensor& self, int64_t dim, bool keepdim) {                                                     \
        return values_indices(g_##name##_type, self.name(dim, keepdim));                                      \
      },                                                                                                      \
      "dim"_a, "keepdim"_a = false);
  EMBER_PY_EXTREMUM(max, maximum)
  EMBER_PY_EXTREMUM(min, minimum)
#undef EMBER_PY_EXTREMUM

#define EMBER_PY_AMAX(name)                                                                                       \
  m.def(#name, [](const Tensor& input, const Dims& dim, bool keepdim) { return ember::name(input, dim, keepdim); }, \
        "input"_a, "dim"_a.none() = nb::make_tuple(), "keepdim"_a = false);                                     \
  cls.def(#name, [](const Tensor& self, const Dims& dim, bool keepdim) { return self.name(dim, keepdim); },     \
          "dim"_a.none() = nb::make_tuple(), "keepdim"_a = false);
  EMBER_PY_AMAX(amax)
  EMBER_PY_AMAX(amin)
#undef EMBER_PY_AMAX
#define EMBER_PY_ARG(name)                                                                                        \
  m.def(                                                                                                          \
      #name,                                                                                                      \
      [](const Tensor& input, std::optional<int64_t> dim, bool keepdim) { return ember::name(input, dim, keepdim); }, \
      "input"_a, "dim"_a.none() = nb::none(), "keepdim"_a = false);                                               \
  cls.def(                                                                                                        \
      #name, [](const Tensor& self, std::optional<int64_t> dim, bool keepdim) { return self.name(dim, keepdim); }, \
      "dim"_a.none() = nb::none(), "keepdim"_a = false);
  EMBER_PY_ARG(argmax)
  EMBER_PY_ARG(argmin)
#undef EMBER_PY_ARG

  // ---- var / std (and with mean): `unbiased` or `correction`, as PyTorch 1.13's overloads ----
#define EMBER_PY_STAT(name, METHOD)                                                                           \
  m.def(#name, [](const Tensor& input, bool unbiased) { return ember::name(input, unbiased); }, "input"_a,    \
        "unbiased"_a = true);                                                                                 \
  m.def(                                                                                                      \
      #name,                                                                                                  \
      [](const Tensor& input, const Dims& dim, bool unbiased, bool keepdim) {                                 \
        return ember::name(input, IntArrayRef(dim), unbiased, keepdim);                                       \
      },                                                                                                      \
      "input"_a, "dim"_a.none(), "unbiased"_a = true, "keepdim"_a = false);                                   \
  m.def(                                                                                                      \
      #name,                                                                                                  \
      [](const Tensor& input, const Dims& dim, std::optional<int64_t> correction, bool keepdim) {             \
        return ember::name(input, IntArrayRef(dim), correction, keepdim);                                     \
      },                                                                                                      \
      "input"_a, "dim"_a.none() = nb::none(), nb::kw_only(), "correction"_a.none() = nb::none(),              \
      "keepdim"_a = false);                                                                                   \
  if (METHOD) {                                                                                               \
    cls.def(#name, [](const Tensor& self, bool unbiased) { return ember::name(self, unbiased); },             \
            "unbiased"_a = true);                                                                             \
    cls.def(                                                                                                  \
        #name,                                                                                                \
        [](const Tensor& self, const Dims& dim, bool unbiased, bool keepdim) {                                \
          return ember::name(self, IntArrayRef(dim), unbiased, keepdim);                                      \
        },                                                                                                    \
        "dim"_a.none(), "unbiased"_a = true, "keepdim"_a = false);                                            \
    cls.def(                                                                                                  \
        #name,                                                                                                \
        [](const Tensor& self, const Dims& dim, std::optional<int64_t> correction, bool keepdim) {            \
          return ember::name(self, IntArrayRef(dim), correction, keepdim);                                    \
        },                                                                                                    \
        "dim"_a.none() = nb::none(), nb::kw_only(), "correction"_a.none() = nb::none(), "keepdim"_a = false); \
  }
  EMBER_PY_STAT(var, true)
  EMBER_PY_STAT(std, true)
  EMBER_PY_STAT(var_mean, false)
  EMBER_PY_STAT(std_mean, false)
#undef EMBER_PY_STAT

  // ---- norm: p = 'fro' (the 2-norm of the flattened dims) by default, or a number (inf, -inf, 0 ...) ----
  m.def(
      "norm",
      [](const Tensor& input, std::string_view p, const Dims& dim, bool keepdim) {
        return ember::norm(input, p, dim, keepdim);
      },
      "input"_a, "p"_a = "fro", "dim"_a.none() = nb::none(), "keepdim"_a = false);
  m.def(
      "norm",
      [](const Tensor& input, std::optional<Scalar> p, const Dims& dim, bool keepdim, std::optional<DType> dtype) {
        return dtype ? ember::norm(input, p, dim, keepdim, *dtype) : ember::norm(input, p, dim, keepdim);
      },
      "input"_a, "p"_a.none(), "dim"_a.none() = nb::none(), "keepdim"_a = false, "dtype"_a = nb::none());
  cls.def(
      "norm",
      [](const Tensor& self, std::string_view p, const Dims& dim, bool keepdim) { return self.norm(p, dim, keepdim); },
      "p"_a = "fro", "dim"_a.none() = nb::none(), "keepdim"_a = false);
  cls.def(
      "norm",
      [](const Tensor& self, std::optional<Scalar> p, const Dims& dim, bool keepdim, std::optional<DType> dtype) {
        return dtype ? self.norm(p, dim, keepdim, *dtype) : self.norm(p, dim, keepdim);
      },
      "p"_a.none(), "dim"_a.none() = nb::none(), "keepdim"_a = false, "dtype"_a = nb::none());

  m.def("logsumexp", [](const Tensor& input, IntArrayRef dim, bool keepdim) { return ember::logsumexp(input, dim, keepdim); },
        "input"_a, "dim"_a, "keepdim"_a = false);
  cls.def("logsumexp", [](const Tensor& self, IntArrayRef dim, bool keepdim) { return self.logsumexp(dim, keepdim); },
          "dim"_a, "keepdim"_a = false);

  // ---- all / any / count_nonzero ----
#define EMBER_PY_BOOL_REDUCTION(name)                                                                         \
  m.def(#name, [](const Tensor& input) { return ember::name(input); }, "input"_a);                            \
  m.def(#name, [](const Tensor& input, int64_t dim, bool keepdim) { return ember::name(input, dim, keepdim); }, \
        "input"_a, "dim"_a, "keepdim"_a = false);                                                             \
  cls.def(#name, [](const Tensor& self) { return self.name(); });                                             \
  cls.def(#name, [](const Tensor& self, int64_t dim, bool keepdim) { return self.name(dim, keepdim); }, "dim"_a, \
          "keepdim"_a = false);
  EMBER_PY_BOOL_REDUCTION(all)
  EMBER_PY_BOOL_REDUCTION(any)
#undef EMBER_PY_BOOL_REDUCTION
  // ---- closeness ----
  m.def("equal", [](const Tensor& input, const Tensor& other) { return ember::equal(input, other); }, "input"_a, "other"_a);
  cls.def("equal", [](const Tensor& self, const Tensor& other) { return self.equal(other); }, "other"_a);
  m.def("isclose", [](const Tensor& input, const Tensor& other, double rtol, double atol, bool equal_nan) {
          return ember::isclose(input, other, rtol, atol, equal_nan);
        }, "input"_a, "other"_a, "rtol"_a = 1e-05, "atol"_a = 1e-08, "equal_nan"_a = false);
  cls.def("isclose", [](const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
            return self.isclose(other, rtol, atol, equal_nan);
          }, "other"_a, "rtol"_a = 1e-05, "atol"_a = 1e-08, "equal_nan"_a = false);
  m.def("allclose", [](const Tensor& input, const Tensor& other, double rtol, double atol, bool equal_nan) {
          return ember::allclose(input, other, rtol, atol, equal_nan);
        }, "input"_a, "other"_a, "rtol"_a = 1e-05, "atol"_a = 1e-08, "equal_nan"_a = false);
  cls.def("allclose", [](const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
            return self.allclose(other, rtol, atol, equal_nan);
          }, "other"_a, "rtol"_a = 1e-05, "atol"_a = 1e-08, "equal_nan"_a = false);
  m.def("count_nonzero", [](const Tensor& input, const Dims& dim) { return ember::count_nonzero(input, dim); },
        "input"_a, "dim"_a.none() = nb::none());
  cls.def("count_nonzero", [](const Tensor& self, const Dims& dim) { return self.count_nonzero(dim); },
          "dim"_a.none() = nb::none());

  // ---- scans ----
#define EMBER_PY_SCAN(name)                                                                                       \
  m.def(#name, [](const Tensor& input, int64_t dim, std::optional<DType> dtype) { return ember::name(input, dim, dtype); }, \
        "input"_a, "dim"_a, nb::kw_only(), "dtype"_a = nb::none());                                             \
  cls.def(#name, [](const Tensor& self, int64_t dim, std::optional<DType> dtype) { return self.name(dim, dtype); }, \
          "dim"_a, nb::kw_only(), "dtype"_a = nb::none());
  EMBER_PY_SCAN(cumsum)
  EMBER_PY_SCAN(cumprod)
#undef EMBER_PY_SCAN
#define EMBER_PY_CUM_EXTREMUM(name)                                                                               \
  m.def(#name, [](const Tensor& input, int64_t dim) { return values_indices(g_##name##_type, ember::name(input, dim)); }, \
        "input"_a, "dim"_a);                                                                                    \
  cls.def(#name, [](const Tensor& self, int64_t dim) { return values_indices(g_##name##_type, self.name(dim)); }, \
          "dim"_a);
  EMBER_PY_CUM_EXTREMUM(cummax)
  EMBER_PY_CUM_EXTREMUM(cummin)
#undef EMBER_PY_CUM_EXTREMUM
}

}  // namespace ember::python
