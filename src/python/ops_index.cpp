// Index ops (index_select, gather, scatter, index_add/copy/fill/put, masked_select, nonzero, take, ...).
#include "python/bind.h"

namespace ember::python {

namespace {

// torch.index_put's `indices`: a tuple or list of index tensors, one per leading dim.
OptionalTensorList index_list(const std::vector<Tensor>& indices) { return {indices.begin(), indices.end()}; }

std::string_view reduce_or_replace(const std::optional<std::string_view>& reduce) { return reduce.value_or(""); }

}  // namespace

void bind_index_ops(nb::module_& m, nb::class_<Tensor>& cls) {
  // torch._C._nn: ops that PyTorch exposes only through torch.nn.functional.
  nb::module_ nn = m.def_submodule("_nn", "The ops behind ember.nn.functional that ember itself does not export");
  nn.def("one_hot", &ember::nn::functional::one_hot, "tensor"_a, "num_classes"_a = -1);
  cls.def("index_select", &Tensor::index_select, "dim"_a, "index"_a)
      .def(
          "gather", [](const Tensor& t, int64_t dim, const Tensor& index, bool) { return t.gather(dim, index); },
          "dim"_a, "index"_a, nb::kw_only(), "sparse_grad"_a = false)
      .def(
          "scatter",
          [](const Tensor& t, int64_t dim, const Tensor& index, const Tensor& src,
             std::optional<std::string_view> reduce) { return t.scatter(dim, index, src, reduce_or_replace(reduce)); },
          "dim"_a, "index"_a, "src"_a, nb::kw_only(), "reduce"_a = nb::none())
      .def(
          "scatter",
          [](const Tensor& t, int64_t dim, const Tensor& index, const Scalar& value,
             std::optional<std::string_view> reduce) {
            return t.scatter(dim, index, value, reduce_or_replace(reduce));
          },
          "dim"_a, "index"_a, "value"_a, nb::kw_only(), "reduce"_a = nb::none())
      .def(
          "scatter_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& src,
             std::optional<std::string_view> reduce) {
            nb::inst_ptr<Tensor>(self)->scatter_(dim, index, src, reduce_or_replace(reduce));
            return self;
          },
          "dim"_a, "index"_a, "src"_a, nb::kw_only(), "reduce"_a = nb::none())
      .def(
          "scatter_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Scalar& value,
             std::optional<std::string_view> reduce) {
            nb::inst_ptr<Tensor>(self)->scatter_(dim, index, value, reduce_or_replace(reduce));
            return self;
          },
          "dim"_a, "index"_a, "value"_a, nb::kw_only(), "reduce"_a = nb::none())
      .def("scatter_add", &Tensor::scatter_add, "dim"_a, "index"_a, "src"_a)
      .def(
          "scatter_add_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& src) {
            nb::inst_ptr<Tensor>(self)->scatter_add_(dim, index, src);
            return self;
          },
          "dim"_a, "index"_a, "src"_a)
      .def("scatter_reduce", &Tensor::scatter_reduce, "dim"_a, "index"_a, "src"_a, "reduce"_a, nb::kw_only(),
           "include_self"_a = true)
      .def(
          "scatter_reduce_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
             bool include_self) {
            nb::inst_ptr<Tensor>(self)->scatter_reduce_(dim, index, src, reduce, include_self);
            return self;
          },
          "dim"_a, "index"_a, "src"_a, "reduce"_a, nb::kw_only(), "include_self"_a = true)
      .def("index_add", &Tensor::index_add, "dim"_a, "index"_a, "source"_a, nb::kw_only(), "alpha"_a = 1)
      .def(
          "index_add_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
            nb::inst_ptr<Tensor>(self)->index_add_(dim, index, source, alpha);
            return self;
          },
          "dim"_a, "index"_a, "source"_a, nb::kw_only(), "alpha"_a = 1)
      .def("index_copy", &Tensor::index_copy, "dim"_a, "index"_a, "source"_a)
      .def(
          "index_copy_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& source) {
            nb::inst_ptr<Tensor>(self)->index_copy_(dim, index, source);
            return self;
          },
          "dim"_a, "index"_a, "source"_a)
      .def("index_fill", nb::overload_cast<int64_t, const Tensor&, const Tensor&>(&Tensor::index_fill, nb::const_),
           "dim"_a, "index"_a, "value"_a)
      .def("index_fill", nb::overload_cast<int64_t, const Tensor&, const Scalar&>(&Tensor::index_fill, nb::const_),
           "dim"_a, "index"_a, "value"_a)
      .def(
          "index_fill_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Tensor& value) {
            nb::inst_ptr<Tensor>(self)->index_fill_(dim, index, value);
            return self;
          },
          "dim"_a, "index"_a, "value"_a)
      .def(
          "index_fill_",
          [](nb::handle_t<Tensor> self, int64_t dim, const Tensor& index, const Scalar& value) {
            nb::inst_ptr<Tensor>(self)->index_fill_(dim, index, value);
            return self;
          },
          "dim"_a, "index"_a, "value"_a)
      .def(
          "index_put",
          [](const Tensor& t, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
            return index_put(t, index_list(indices), values, accumulate);
          },
          "indices"_a, "values"_a, "accumulate"_a = false)
      .def(
          "index_put_",
          [](nb::handle_t<Tensor> self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
            index_put_(*nb::inst_ptr<Tensor>(self), index_list(indices), values, accumulate);
            return self;
          },
          "indices"_a, "values"_a, "accumulate"_a = false)
      .def("masked_select", &Tensor::masked_select, "mask"_a)
      .def("masked_scatter", &Tensor::masked_scatter, "mask"_a, "source"_a)
      .def(
          "masked_scatter_",
          [](nb::handle_t<Tensor> self, const Tensor& mask, const Tensor& source) {
            nb::inst_ptr<Tensor>(self)->masked_scatter_(mask, source);
            return self;
          },
          "mask"_a, "source"_a)
      .def(
          "nonzero",
          [](const Tensor& t, bool as_tuple) -> nb::object {
            if (as_tuple) return nb::tuple(nb::cast(nonzero(t, true)));
            return nb::cast(t.nonzero());
          },
          nb::kw_only(), "as_tuple"_a = false)
      .def("argwhere", &Tensor::argwhere)
      .def("take", &Tensor::take, "index"_a)
      .def("put", &Tensor::put, "index"_a, "source"_a, "accumulate"_a = false)
      .def(
          "put_",
          [](nb::handle_t<Tensor> self, const Tensor& index, const Tensor& source, bool accumulate) {
            nb::inst_ptr<Tensor>(self)->put_(index, source, accumulate);
            return self;
          },
          "index"_a, "source"_a, "accumulate"_a = false)
      .def("take_along_dim", &Tensor::take_along_dim, "indices"_a, "dim"_a = nb::none());

  m.def("index_select", &index_select, "input"_a, "dim"_a, "index"_a);
  m.def(
      "gather", [](const Tensor& t, int64_t dim, const Tensor& index, bool) { return gather(t, dim, index); },
      "input"_a, "dim"_a, "index"_a, nb::kw_only(), "sparse_grad"_a = false);
  m.def(
      "scatter",
      [](const Tensor& t, int64_t dim, const Tensor& index, const Tensor& src, std::optional<std::string_view> reduce) {
        return scatter(t, dim, index, src, reduce_or_replace(reduce));
      },
      "input"_a, "dim"_a, "index"_a, "src"_a, nb::kw_only(), "reduce"_a = nb::none());
  m.def(
      "scatter",
      [](const Tensor& t, int64_t dim, const Tensor& index, const Scalar& value,
         std::optional<std::string_view> reduce) { return scatter(t, dim, index, value, reduce_or_replace(reduce)); },
      "input"_a, "dim"_a, "index"_a, "value"_a, nb::kw_only(), "reduce"_a = nb::none());
  m.def("scatter_add", &scatter_add, "input"_a, "dim"_a, "index"_a, "src"_a);
  m.def("scatter_reduce", &scatter_reduce, "input"_a, "dim"_a, "index"_a, "src"_a, "reduce"_a, nb::kw_only(),
        "include_self"_a = true);
  m.def("index_add", &index_add, "input"_a, "dim"_a, "index"_a, "source"_a, nb::kw_only(), "alpha"_a = 1);
  m.def("index_copy", &index_copy, "input"_a, "dim"_a, "index"_a, "source"_a);
  m.def("index_fill", nb::overload_cast<const Tensor&, int64_t, const Tensor&, const Tensor&>(&index_fill), "input"_a,
        "dim"_a, "index"_a, "value"_a);
  m.def("index_fill", nb::overload_cast<const Tensor&, int64_t, const Tensor&, const Scalar&>(&index_fill), "input"_a,
        "dim"_a, "index"_a, "value"_a);
  m.def(
      "index_put",
      [](const Tensor& t, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
        return index_put(t, index_list(indices), values, accumulate);
      },
      "input"_a, "indices"_a, "values"_a, "accumulate"_a = false);
  m.def(
      "index_put_",
      [](nb::handle_t<Tensor> self, const std::vector<Tensor>& indices, const Tensor& values, bool accumulate) {
        index_put_(*nb::inst_ptr<Tensor>(self), index_list(indices), values, accumulate);
        return self;
      },
      "input"_a, "indices"_a, "values"_a, "accumulate"_a = false);
  m.def("masked_select", &masked_select, "input"_a, "mask"_a);
  m.def("masked_scatter", &masked_scatter, "input"_a, "mask"_a, "source"_a);
  m.def(
      "nonzero",
      [](const Tensor& t, bool as_tuple) -> nb::object {
        if (as_tuple) return nb::tuple(nb::cast(nonzero(t, true)));
        return nb::cast(nonzero(t));
      },
      "input"_a, nb::kw_only(), "as_tuple"_a = false);
  m.def("argwhere", &argwhere, "input"_a);
  m.def("take", &take, "input"_a, "index"_a);
  m.def("put", &put, "input"_a, "index"_a, "source"_a, "accumulate"_a = false);
  m.def("take_along_dim", &take_along_dim, "input"_a, "indices"_a, "dim"_a = nb::none());
}

}  // namespace ember::python
