// Views and shape ops (view, reshape, permute, cat, stack, ...).
#include "python/bind.h"

namespace ember::python {

namespace {

// PyTorch returns the pieces of split/chunk/unbind/... as a tuple.
nb::tuple tensor_tuple(const std::vector<Tensor>& ts) { return nb::tuple(nb::cast(ts)); }

// torch.atleast_nd: one tensor in, one tensor out; several (as varargs or one sequence), a tuple.
template <Tensor (*One)(const Tensor&), std::vector<Tensor> (*Many)(ArrayRef<Tensor>)>
void def_atleast(nb::module_& m, const char* name) {
  // One binding (not two overloads) so the stub has no overlapping signatures with different results.
  m.def(
      name,
      [name](nb::args tensors) -> nb::object {
        if (tensors.size() == 1 && nb::isinstance<Tensor>(tensors[0])) return nb::cast(One(nb::cast<Tensor>(tensors[0])));
        return tensor_tuple(Many(tensors_from_args(tensors, name)));
      },
      "tensors"_a);
}

}  // namespace

std::vector<Tensor> tensors_from_args(const nb::args& args, const char* op) {
  std::vector<Tensor> out;
  nb::handle seq = args.size() == 1 && !nb::isinstance<Tensor>(args[0]) ? args[0] : nb::handle(args);
  if (!nb::try_cast(seq, out))
    throw ember::TypeError(detail::str(op, "(): expected Tensors as varargs or one tuple or list of Tensors, got ",
                                       nb::type_name(seq.type()).c_str()));
  return out;
}

void bind_shape(nb::module_& m, nb::class_<Tensor>& cls) {
  // ---- views ----
  cls.def(
         "view", [](const Tensor& t, nb::args size) { return t.view(sizes_from_args(size, "view")); }, "size"_a)
      .def("view_as", &Tensor::view_as, "other"_a)
      .def(
          "reshape", [](const Tensor& t, nb::args shape) { return t.reshape(sizes_from_args(shape, "reshape")); },
          "shape"_a)
      .def("reshape_as", &Tensor::reshape_as, "other"_a)
      .def("as_strided", &Tensor::as_strided, "size"_a, "stride"_a, "storage_offset"_a = nb::none())
      .def(
          "expand", [](const Tensor& t, nb::args size) { return t.expand(sizes_from_args(size, "expand")); }, "size"_a)
      .def("expand_as", &Tensor::expand_as, "other"_a)
      .def("transpose", &Tensor::transpose, "dim0"_a, "dim1"_a)
      .def("swapaxes", &Tensor::swapaxes, "axis0"_a, "axis1"_a)
      .def("swapdims", &Tensor::swapdims, "dim0"_a, "dim1"_a)
      .def("t", &Tensor::t)
      .def_prop_ro("T", &Tensor::numpy_T)
      .def_prop_ro("mT", &Tensor::mT)
      .def_prop_ro("H", &Tensor::matrix_H)
      .def_prop_ro("mH", &Tensor::mH)
      .def("adjoint", &Tensor::adjoint)
      .def(
          "permute", [](const Tensor& t, nb::args dims) { return t.permute(sizes_from_args(dims, "permute")); },
          "dims"_a)
      .def("squeeze", nb::overload_cast<>(&Tensor::squeeze, nb::const_))
      .def("squeeze", nb::overload_cast<int64_t>(&Tensor::squeeze, nb::const_), "dim"_a)
      .def("squeeze", nb::overload_cast<IntArrayRef>(&Tensor::squeeze, nb::const_), "dim"_a)
      .def("unsqueeze", &Tensor::unsqueeze, "dim"_a)
      .def("flatten", &Tensor::flatten, "start_dim"_a = 0, "end_dim"_a = -1)
      .def("unflatten", &Tensor::unflatten, "dim"_a, "sizes"_a)
      .def("narrow", nb::overload_cast<int64_t, int64_t, int64_t>(&Tensor::narrow, nb::const_), "dim"_a, "start"_a,
           "length"_a)
      .def("narrow", nb::overload_cast<int64_t, const Tensor&, int64_t>(&Tensor::narrow, nb::const_), "dim"_a,
           "start"_a, "length"_a)
      .def("select", &Tensor::select, "dim"_a, "index"_a)
      .def("unfold", &Tensor::unfold, "dimension"_a, "size"_a, "step"_a)
      .def("diagonal", &Tensor::diagonal, "offset"_a = 0, "dim1"_a = 0, "dim2"_a = 1)
      .def("movedim", nb::overload_cast<IntArrayRef, IntArrayRef>(&Tensor::movedim, nb::const_), "source"_a,
           "destination"_a)
      .def("moveaxis", nb::overload_cast<IntArrayRef, IntArrayRef>(&Tensor::moveaxis, nb::const_), "source"_a,
           "destination"_a)
      .def(
          "split", [](const Tensor& t, int64_t s, int64_t dim) { return tensor_tuple(t.split(s, dim)); },
          "split_size"_a, "dim"_a = 0)
      .def(
          "split", [](const Tensor& t, IntArrayRef s, int64_t dim) { return tensor_tuple(t.split(s, dim)); },
          "split_size"_a, "dim"_a = 0)
      .def(
          "split_with_sizes",
          [](const Tensor& t, IntArrayRef s, int64_t dim) { return tensor_tuple(t.split_with_sizes(s, dim)); },
          "split_sizes"_a, "dim"_a = 0)
      .def(
          "chunk", [](const Tensor& t, int64_t c, int64_t dim) { return tensor_tuple(t.chunk(c, dim)); }, "chunks"_a,
          "dim"_a = 0)
      .def(
          "unbind", [](const Tensor& t, int64_t dim) { return tensor_tuple(t.unbind(dim)); }, "dim"_a = 0)
      .def(
          "tensor_split", [](const Tensor& t, int64_t s, int64_t dim) { return tensor_tuple(t.tensor_split(s, dim)); },
          "sections"_a, "dim"_a = 0)
      .def(
          "tensor_split",
          [](const Tensor& t, IntArrayRef i, int64_t dim) { return tensor_tuple(t.tensor_split(i, dim)); }, "indices"_a,
          "dim"_a = 0)
      .def(
          "tensor_split",
          [](const Tensor& t, const Tensor& i, int64_t dim) { return tensor_tuple(t.tensor_split(i, dim)); },
          "tensor_indices_or_sections"_a, "dim"_a = 0)
      .def(
          "hsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(t.hsplit(s)); }, "sections"_a)
      .def(
          "hsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(t.hsplit(i)); }, "indices"_a)
      .def(
          "vsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(t.vsplit(s)); }, "sections"_a)
      .def(
          "vsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(t.vsplit(i)); }, "indices"_a)
      .def(
          "dsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(t.dsplit(s)); }, "sections"_a)
      .def(
          "dsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(t.dsplit(i)); }, "indices"_a)
      .def("ravel", &Tensor::ravel);

  m.def(
      "reshape", [](const Tensor& t, IntArrayRef shape) { return t.reshape(shape); }, "input"_a, "shape"_a);
  m.def(
      "as_strided",
      [](const Tensor& t, IntArrayRef size, IntArrayRef stride, std::optional<int64_t> storage_offset) {
        return t.as_strided(size, stride, storage_offset);
      },
      "input"_a, "size"_a, "stride"_a, "storage_offset"_a = nb::none());
  m.def(
      "transpose", [](const Tensor& t, int64_t d0, int64_t d1) { return t.transpose(d0, d1); }, "input"_a, "dim0"_a,
      "dim1"_a);
  m.def("swapaxes", nb::overload_cast<const Tensor&, int64_t, int64_t>(&swapaxes), "input"_a, "axis0"_a, "axis1"_a);
  m.def("swapdims", nb::overload_cast<const Tensor&, int64_t, int64_t>(&swapdims), "input"_a, "dim0"_a, "dim1"_a);
  m.def(
      "t", [](const Tensor& t) { return t.t(); }, "input"_a);
  m.def(
      "permute", [](const Tensor& t, IntArrayRef dims) { return t.permute(dims); }, "input"_a, "dims"_a);
  m.def(
      "squeeze", [](const Tensor& t) { return t.squeeze(); }, "input"_a);
  m.def(
      "squeeze", [](const Tensor& t, int64_t dim) { return t.squeeze(dim); }, "input"_a, "dim"_a);
  m.def(
      "squeeze", [](const Tensor& t, IntArrayRef dim) { return t.squeeze(dim); }, "input"_a, "dim"_a);
  m.def(
      "unsqueeze", [](const Tensor& t, int64_t dim) { return t.unsqueeze(dim); }, "input"_a, "dim"_a);
  m.def("flatten", nb::overload_cast<const Tensor&, int64_t, int64_t>(&flatten), "input"_a, "start_dim"_a = 0,
        "end_dim"_a = -1);
  m.def("unflatten", &unflatten, "input"_a, "dim"_a, "sizes"_a);
  m.def("narrow", nb::overload_cast<const Tensor&, int64_t, int64_t, int64_t>(&narrow), "input"_a, "dim"_a, "start"_a,
        "length"_a);
  m.def("narrow", nb::overload_cast<const Tensor&, int64_t, const Tensor&, int64_t>(&narrow), "input"_a, "dim"_a,
        "start"_a, "length"_a);
  m.def("select", nb::overload_cast<const Tensor&, int64_t, int64_t>(&select), "input"_a, "dim"_a, "index"_a);
  m.def("diagonal", nb::overload_cast<const Tensor&, int64_t, int64_t, int64_t>(&diagonal), "input"_a, "offset"_a = 0,
        "dim1"_a = 0, "dim2"_a = 1);
  m.def("movedim", nb::overload_cast<const Tensor&, IntArrayRef, IntArrayRef>(&movedim), "input"_a, "source"_a,
        "destination"_a);
  m.def("moveaxis", nb::overload_cast<const Tensor&, IntArrayRef, IntArrayRef>(&moveaxis), "input"_a, "source"_a,
        "destination"_a);
  m.def(
      "split", [](const Tensor& t, int64_t s, int64_t dim) { return tensor_tuple(split(t, s, dim)); }, "tensor"_a,
      "split_size_or_sections"_a, "dim"_a = 0);
  m.def(
      "split", [](const Tensor& t, IntArrayRef s, int64_t dim) { return tensor_tuple(split(t, s, dim)); }, "tensor"_a,
      "split_size_or_sections"_a, "dim"_a = 0);
  m.def(
      "split_with_sizes",
      [](const Tensor& t, IntArrayRef s, int64_t dim) { return tensor_tuple(split_with_sizes(t, s, dim)); }, "input"_a,
      "split_sizes"_a, "dim"_a = 0);
  m.def(
      "chunk", [](const Tensor& t, int64_t c, int64_t dim) { return tensor_tuple(chunk(t, c, dim)); }, "input"_a,
      "chunks"_a, "dim"_a = 0);
  m.def(
      "unbind", [](const Tensor& t, int64_t dim) { return tensor_tuple(unbind(t, dim)); }, "input"_a, "dim"_a = 0);
  m.def(
      "tensor_split", [](const Tensor& t, int64_t s, int64_t dim) { return tensor_tuple(tensor_split(t, s, dim)); },
      "input"_a, "indices_or_sections"_a, "dim"_a = 0);
  m.def(
      "tensor_split", [](const Tensor& t, IntArrayRef i, int64_t dim) { return tensor_tuple(tensor_split(t, i, dim)); },
      "input"_a, "indices_or_sections"_a, "dim"_a = 0);
  m.def(
      "tensor_split",
      [](const Tensor& t, const Tensor& i, int64_t dim) { return tensor_tuple(tensor_split(t, i, dim)); }, "input"_a,
      "indices_or_sections"_a, "dim"_a = 0);
  m.def(
      "hsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(hsplit(t, s)); }, "input"_a,
      "indices_or_sections"_a);
  m.def(
      "hsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(hsplit(t, i)); }, "input"_a,
      "indices_or_sections"_a);
  m.def(
      "vsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(vsplit(t, s)); }, "input"_a,
      "indices_or_sections"_a);
  m.def(
      "vsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(vsplit(t, i)); }, "input"_a,
      "indices_or_sections"_a);
  m.def(
      "dsplit", [](const Tensor& t, int64_t s) { return tensor_tuple(dsplit(t, s)); }, "input"_a,
      "indices_or_sections"_a);
  m.def(
      "dsplit", [](const Tensor& t, IntArrayRef i) { return tensor_tuple(dsplit(t, i)); }, "input"_a,
      "indices_or_sections"_a);
  m.def("adjoint", &adjoint, "input"_a);
  m.def("ravel", &ravel, "input"_a);
  m.def(
      "meshgrid",
      [](nb::args tensors, std::optional<std::string_view> indexing) {
        return tensor_tuple(meshgrid(tensors_from_args(tensors, "meshgrid"), indexing.value_or("ij")));
      },
      "tensors"_a, nb::kw_only(), "indexing"_a = nb::none());
  def_atleast<&atleast_1d, &atleast_1d>(m, "atleast_1d");
  def_atleast<&atleast_2d, &atleast_2d>(m, "atleast_2d");
  def_atleast<&atleast_3d, &atleast_3d>(m, "atleast_3d");

  // ---- copies ----
  cls.def(
         "flip", [](const Tensor& t, nb::args dims) { return t.flip(sizes_from_args(dims, "flip")); }, "dims"_a)
      .def("fliplr", &Tensor::fliplr)
      .def("flipud", &Tensor::flipud)
      .def("roll", &Tensor::roll, "shifts"_a, "dims"_a = IntArrayRef())
      .def(
          "roll", [](const Tensor& t, IntArrayRef shifts, nb::none) { return t.roll(shifts); }, "shifts"_a,
          "dims"_a.none())
      .def("rot90", &Tensor::rot90, "k"_a = 1, "dims"_a = std::vector<int64_t>{0, 1})
      .def(
          "repeat", [](const Tensor& t, nb::args sizes) { return t.repeat(sizes_from_args(sizes, "repeat")); },
          "sizes"_a)
      .def(
          "tile", [](const Tensor& t, nb::args dims) { return t.tile(sizes_from_args(dims, "tile")); }, "dims"_a)
      .def("repeat_interleave",
           nb::overload_cast<const Tensor&, std::optional<int64_t>, std::optional<int64_t>>(&Tensor::repeat_interleave,
                                                                                            nb::const_),
           "repeats"_a, "dim"_a = nb::none(), nb::kw_only(), "output_size"_a = nb::none())
      .def("repeat_interleave",
           nb::overload_cast<int64_t, std::optional<int64_t>, std::optional<int64_t>>(&Tensor::repeat_interleave,
                                                                                      nb::const_),
           "repeats"_a, "dim"_a = nb::none(), nb::kw_only(), "output_size"_a = nb::none())
      .def("diff", &Tensor::diff, "n"_a = 1, "dim"_a = -1, "prepend"_a = nb::none(), "append"_a = nb::none());

  m.def(
      "cat", [](const std::vector<Tensor>& ts, int64_t dim) { return cat(ts, dim); }, "tensors"_a, "dim"_a = 0);
  m.def(
      "concat", [](const std::vector<Tensor>& ts, int64_t dim) { return concat(ts, dim); }, "tensors"_a, "dim"_a = 0);
  m.def(
      "concatenate", [](const std::vector<Tensor>& ts, int64_t dim) { return concatenate(ts, dim); }, "tensors"_a,
      "dim"_a = 0);
  m.def(
      "stack", [](const std::vector<Tensor>& ts, int64_t dim) { return stack(ts, dim); }, "tensors"_a, "dim"_a = 0);
  m.def(
      "hstack", [](const std::vector<Tensor>& ts) { return hstack(ts); }, "tensors"_a);
  m.def(
      "vstack", [](const std::vector<Tensor>& ts) { return vstack(ts); }, "tensors"_a);
  m.def(
      "dstack", [](const std::vector<Tensor>& ts) { return dstack(ts); }, "tensors"_a);
  m.def(
      "column_stack", [](const std::vector<Tensor>& ts) { return column_stack(ts); }, "tensors"_a);
  m.def(
      "row_stack", [](const std::vector<Tensor>& ts) { return row_stack(ts); }, "tensors"_a);
  m.def("flip", nb::overload_cast<const Tensor&, IntArrayRef>(&flip), "input"_a, "dims"_a);
  m.def("fliplr", &fliplr, "input"_a);
  m.def("flipud", &flipud, "input"_a);
  m.def("roll", &roll, "input"_a, "shifts"_a, "dims"_a = IntArrayRef());
  m.def(
      "roll", [](const Tensor& t, IntArrayRef shifts, nb::none) { return t.roll(shifts); }, "input"_a, "shifts"_a,
      "dims"_a.none());
  m.def("rot90", &rot90, "input"_a, "k"_a = 1, "dims"_a = std::vector<int64_t>{0, 1});
  m.def("tile", &tile, "input"_a, "dims"_a);
  m.def("repeat_interleave",
        nb::overload_cast<const Tensor&, const Tensor&, std::optional<int64_t>, std::optional<int64_t>>(
            &repeat_interleave),
        "input"_a, "repeats"_a, "dim"_a = nb::none(), nb::kw_only(), "output_size"_a = nb::none());
  m.def("repeat_interleave",
        nb::overload_cast<const Tensor&, int64_t, std::optional<int64_t>, std::optional<int64_t>>(&repeat_interleave),
        "input"_a, "repeats"_a, "dim"_a = nb::none(), nb::kw_only(), "output_size"_a = nb::none());
  m.def("repeat_interleave", nb::overload_cast<const Tensor&, std::optional<int64_t>>(&repeat_interleave), "repeats"_a,
        nb::kw_only(), "output_size"_a = nb::none());
  m.def(
      "cartesian_prod", [](nb::args tensors) { return cartesian_prod(tensors_from_args(tensors, "cartesian_prod")); },
      "tensors"_a);
  m.def("diff", &diff, "input"_a, "n"_a = 1, "dim"_a = -1, "prepend"_a = nb::none(), "append"_a = nb::none());
}

}  // namespace ember::python
