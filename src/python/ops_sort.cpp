// Sorting and searching (sort, argsort, topk, kthvalue, unique, searchsorted, bucketize, bincount, histc).
#include "python/bind.h"

namespace ember::python {

namespace {

// ember.return_types.<name>: the named tuple PyTorch returns (values, indices). Borrowed: the module stays
// in sys.modules for the interpreter's life.
nb::handle g_sort_type, g_topk_type, g_kthvalue_type;


// torch.unique returns the output alone, or a tuple with the inverse and/or the counts asked for.
nb::object unique_result(std::tuple<Tensor, Tensor, Tensor> r, bool return_inverse, bool return_counts) {
  auto& [output, inverse, counts] = r;
  if (!return_inverse && !return_counts) return nb::cast(std::move(output));
  if (return_inverse && return_counts) return nb::make_tuple(output, inverse, counts);
  return nb::make_tuple(output, return_inverse ? inverse : counts);
}

nb::object sort_py(const Tensor& t, int64_t dim, bool descending, bool stable) {
  return values_indices(g_sort_type, sort(t, dim, descending, stable));
}
nb::object topk_py(const Tensor& t, int64_t k, int64_t dim, bool largest, bool sorted) {
  return values_indices(g_topk_type, topk(t, k, dim, largest, sorted));
}
nb::object kthvalue_py(const Tensor& t, int64_t k, int64_t dim, bool keepdim) {
  return values_indices(g_kthvalue_type, kthvalue(t, k, dim, keepdim));
}
nb::object unique_py(const Tensor& t, bool sorted, bool return_inverse, bool return_counts,
                     std::optional<int64_t> dim) {
  return unique_result(unique(t, sorted, return_inverse, return_counts, dim), return_inverse, return_counts);
}
nb::object unique_consecutive_py(const Tensor& t, bool return_inverse, bool return_counts, std::optional<int64_t> dim) {
  return unique_result(unique_consecutive(t, return_inverse, return_counts, dim), return_inverse, return_counts);
}
Tensor searchsorted_py(const Tensor& sorted_sequence, const Tensor& input, bool out_int32, bool right,
                       std::optional<std::string_view> side, std::optional<Tensor> sorter) {
  return searchsorted(sorted_sequence, input, out_int32, right, side, sorter.value_or(Tensor()));
}
Tensor searchsorted_scalar_py(const Tensor& sorted_sequence, const Scalar& input, bool out_int32, bool right,
                              std::optional<std::string_view> side, std::optional<Tensor> sorter) {
  return searchsorted(sorted_sequence, input, out_int32, right, side, sorter.value_or(Tensor()));
}
Tensor bincount_py(const Tensor& t, std::optional<Tensor> weights, int64_t minlength) {
  return bincount(t, weights.value_or(Tensor()), minlength);
}

}  // namespace

void bind_sort(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::module_ types = nb::module_::import_("ember.return_types");
  g_sort_type = types.attr("sort");
  g_topk_type = types.attr("topk");
  g_kthvalue_type = types.attr("kthvalue");

  cls.def("sort", &sort_py, "dim"_a = -1, "descending"_a = false, nb::kw_only(), "stable"_a = false)
      .def(
          "argsort",
          [](const Tensor& t, int64_t dim, bool descending, bool stable) {
            return argsort(t, dim, descending, stable);
          },
          "dim"_a = -1, "descending"_a = false, nb::kw_only(), "stable"_a = false)
      .def("msort", &Tensor::msort)
      .def("topk", &topk_py, "k"_a, "dim"_a = -1, "largest"_a = true, "sorted"_a = true)
      .def("kthvalue", &kthvalue_py, "k"_a, "dim"_a = -1, "keepdim"_a = false)
      .def("unique", &unique_py, "sorted"_a = true, "return_inverse"_a = false, "return_counts"_a = false,
           "dim"_a = nb::none())
      .def("unique_consecutive", &unique_consecutive_py, "return_inverse"_a = false, "return_counts"_a = false,
           "dim"_a = nb::none())
      .def("bincount", &bincount_py, "weights"_a = nb::none(), "minlength"_a = 0)
      .def("histc", &Tensor::histc, "bins"_a = 100, "min"_a = 0, "max"_a = 0);

  m.def("sort", &sort_py, "input"_a, "dim"_a = -1, "descending"_a = false, nb::kw_only(), "stable"_a = false);
  m.def("argsort", nb::overload_cast<const Tensor&, int64_t, bool, bool>(&argsort), "input"_a, "dim"_a = -1,
        "descending"_a = false, nb::kw_only(), "stable"_a = false);
  m.def("msort", &msort, "input"_a);
  m.def("topk", &topk_py, "input"_a, "k"_a, "dim"_a = -1, "largest"_a = true, "sorted"_a = true);
  m.def("kthvalue", &kthvalue_py, "input"_a, "k"_a, "dim"_a = -1, "keepdim"_a = false);
  m.def("unique", &unique_py, "input"_a, "sorted"_a = true, "return_inverse"_a = false, "return_counts"_a = false,
        "dim"_a = nb::none());
  m.def("unique_consecutive", &unique_consecutive_py, "input"_a, "return_inverse"_a = false, "return_counts"_a = false,
        "dim"_a = nb::none());
  m.def("searchsorted", &searchsorted_py, "sorted_sequence"_a, "input"_a, nb::kw_only(), "out_int32"_a = false,
        "right"_a = false, "side"_a = nb::none(), "sorter"_a = nb::none());
  m.def("searchsorted", &searchsorted_scalar_py, "sorted_sequence"_a, "input"_a, nb::kw_only(), "out_int32"_a = false,
        "right"_a = false, "side"_a = nb::none(), "sorter"_a = nb::none());
  m.def("bucketize", nb::overload_cast<const Tensor&, const Tensor&, bool, bool>(&bucketize), "input"_a, "boundaries"_a,
        nb::kw_only(), "out_int32"_a = false, "right"_a = false);
  m.def("bucketize", nb::overload_cast<const Scalar&, const Tensor&, bool, bool>(&bucketize), "input"_a, "boundaries"_a,
        nb::kw_only(), "out_int32"_a = false, "right"_a = false);
  m.def("bincount", &bincount_py, "input"_a, "weights"_a = nb::none(), "minlength"_a = 0);
  m.def("histc", &histc, "input"_a, "bins"_a = 100, "min"_a = 0, "max"_a = 0);
}

}  // namespace ember::python
