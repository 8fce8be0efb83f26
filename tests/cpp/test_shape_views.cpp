// Views of the shape family against PyTorch: values, strides, storage offset and contiguity from
// tests/golden/gen_shape.py, shared storage and writes through the view, errors, and gradcheck.
#include "shape_test_util.h"

using namespace ember;
using shape_test::Inputs;
using shape_test::expect_error;
using shape_test::int_list;

namespace {

int64_t count_equal(const Tensor& t, double value) {
  Tensor c = t.to(kFloat64).contiguous();
  int64_t n = 0;
  for (int64_t i = 0; i < c.numel(); ++i) n += c.data_ptr<double>()[i] == value;
  return n;
}

// Runs `fn` on fresh inputs, compares with the golden view `name` (values and geometry), checks it
// shares the storage of the root input and that a write through it lands in the root.
template <class F>
void check_view(const golden::File& g, const std::string& name, char root, F fn, int64_t distinct = -1) {
  SCOPED_TRACE(name);
  Inputs x = shape_test::load(g);
  Tensor base = root == 'a' ? x.a : root == 'm' ? x.m : root == 'v' ? x.v : x.s;
  Tensor out = fn(x);
  EXPECT_TRUE(golden::close(out, g[name], 0, 0));
  EXPECT_EQ(out.storage(), base.storage());
  EXPECT_EQ(std::vector<int64_t>(out.strides().begin(), out.strides().end()), int_list(g[name + "_stride"]));
  EXPECT_EQ(out.storage_offset(), g[name + "_offset"].item<int64_t>());
  EXPECT_EQ(out.is_contiguous(), g[name + "_contig"].item<bool>());
  if (out.numel() == 0) return;
  out.fill_(123.0);
  EXPECT_EQ(count_equal(base, 123.0), distinct < 0 ? out.numel() : distinct);
  EXPECT_EQ(count_equal(fn(x), 123.0), out.numel());
}

template <class F>
void check_views(const golden::File& g, const std::string& name, char root, F fn) {
  Inputs x = shape_test::load(g);
  size_t n = fn(x).size();
  for (size_t i = 0; i < n; ++i)
    check_view(g, name + "_" + std::to_string(i), root, [&](const Inputs& y) { return fn(y)[i]; });
}

}  // namespace

TEST(ShapeViews, MatchTorch) {
  golden::File g("shape");
  check_view(g, "flatten_a", 'a', [](const Inputs& x) { return x.a.flatten(); });
  check_view(g, "flatten_a_1_2", 'a', [](const Inputs& x) { return flatten(x.a, 1, 2); });
  check_view(g, "flatten_s", 's', [](const Inputs& x) { return x.s.flatten(); });
  check_view(g, "unflatten_a", 'a', [](const Inputs& x) { return x.a.unflatten(2, {5, 1}); });
  check_view(g, "unflatten_m_infer", 'm', [](const Inputs& x) { return unflatten(x.m, 1, {-1, 3}); });
  check_view(g, "narrow_a", 'a', [](const Inputs& x) { return x.a.narrow(1, 1, 2); });
  check_view(g, "narrow_a_neg", 'a', [](const Inputs& x) { return x.a.narrow(-1, -3, 2); });
  check_view(g, "narrow_at", 'a', [](const Inputs& x) { return narrow(x.at, 0, scalar_tensor(2, kInt64), 3); });
  check_view(g, "narrow_end_empty", 'a', [](const Inputs& x) { return x.a.narrow(1, 4, 0); });
  check_view(g, "slice_a_step", 'a', [](const Inputs& x) { return x.a.slice(1, 1, 4, 2); });
  check_view(g, "slice_at", 'a', [](const Inputs& x) { return slice(x.at, 0, 1, 100, 3); });
  check_view(g, "slice_neg", 'a', [](const Inputs& x) { return x.a.slice(1, -3, -1); });
  check_view(g, "slice_clamp", 'a', [](const Inputs& x) { return x.a.slice(1, -100, 100); });
  check_view(g, "slice_empty", 'a', [](const Inputs& x) { return x.a.slice(1, 3, 1); });
  check_view(g, "select_a", 'a', [](const Inputs& x) { return x.a.select(1, 2); });
  check_view(g, "select_neg", 'a', [](const Inputs& x) { return select(x.a, -1, -1); });
  check_view(g, "select_at", 'a', [](const Inputs& x) { return x.at.select(0, 4); });
  check_view(g, "select_ms", 'm', [](const Inputs& x) { return x.ms.select(1, 1); });
  check_view(g, "unfold_m", 'm', [](const Inputs& x) { return x.m.unfold(1, 2, 2); });
  check_view(g, "unfold_m_overlap", 'm', [](const Inputs& x) { return x.m.unfold(1, 3, 1); }, 24);
  check_view(g, "unfold_at", 'a', [](const Inputs& x) { return x.at.unfold(0, 2, 3); });
  check_view(g, "unfold_s", 's', [](const Inputs& x) { return x.s.unfold(0, 1, 1); });
  check_view(g, "diagonal_m", 'm', [](const Inputs& x) { return x.m.diagonal(); });
  check_view(g, "diagonal_m_off", 'm', [](const Inputs& x) { return diagonal(x.m, 2); });
  check_view(g, "diagonal_m_negoff", 'm', [](const Inputs& x) { return x.m.diagonal(-1); });
  check_view(g, "diagonal_m_far", 'm', [](const Inputs& x) { return x.m.diagonal(10); });
  check_view(g, "diagonal_a", 'a', [](const Inputs& x) { return x.a.diagonal(1, 0, 2); });
  check_view(g, "diagonal_at", 'a', [](const Inputs& x) { return x.at.diagonal(0, -1, 0); });
  check_view(g, "movedim_a", 'a', [](const Inputs& x) { return x.a.movedim(0, 2); });
  check_view(g, "movedim_a_list", 'a', [](const Inputs& x) { return movedim(x.a, {0, 1}, {2, 0}); });
  check_view(g, "moveaxis_at", 'a', [](const Inputs& x) { return moveaxis(x.at, -1, 0); });
  check_view(g, "swapaxes_a", 'a', [](const Inputs& x) { return swapaxes(x.a, 0, 1); });
  check_view(g, "mT_a", 'a', [](const Inputs& x) { return x.a.mT(); });
  check_view(g, "transpose_s", 's', [](const Inputs& x) { return x.s.transpose(0, -1); });
  check_view(g, "permute_s", 's', [](const Inputs& x) { return x.s.permute({}); });
  check_view(g, "permute_at", 'a', [](const Inputs& x) { return x.at.permute({2, 0, 1}); });
  check_view(g, "squeeze_u", 'a', [](const Inputs& x) { return x.a.unsqueeze(1).unsqueeze(-1).squeeze(); });
  check_view(g, "squeeze_u1", 'a', [](const Inputs& x) { return x.a.unsqueeze(1).squeeze(1); });
  check_view(g, "squeeze_keep", 'a', [](const Inputs& x) { return x.a.squeeze(0); });
  check_view(g, "unsqueeze_at", 'a', [](const Inputs& x) { return x.at.unsqueeze(1); });
  check_view(g, "expand_v", 'v', [](const Inputs& x) { return x.v.unsqueeze(0).expand({3, 7}); }, 7);
  check_view(g, "view_a", 'a', [](const Inputs& x) { return x.a.view({12, 5}); });
  check_view(g, "view_at_ok", 'a', [](const Inputs& x) { return x.at.view({5, 4, 3, 1}); });
  check_view(g, "view_s", 's', [](const Inputs& x) { return x.s.view({1, 1}); });
  check_view(g, "view_ms_flat", 'm', [](const Inputs& x) { return x.ms.view({12}); });
  check_view(g, "reshape_ms", 'm', [](const Inputs& x) { return x.ms.reshape({2, 2, 3}); });
  check_view(g, "reshape_at_view", 'a', [](const Inputs& x) { return x.at.reshape({5, 2, 2, 3}); });
  check_view(g, "as_strided_m", 'm', [](const Inputs& x) { return x.m.as_strided({3, 2}, {1, 6}, 2); });
  check_view(g, "view_as_a", 'a', [](const Inputs& x) { return x.a.view_as(empty({4, 15}, kFloat64)); });
  check_view(g, "reshape_as_m", 'm', [](const Inputs& x) { return x.m.reshape_as(empty({24})); });
  check_view(g, "atleast_2d_v", 'v', [](const Inputs& x) { return atleast_2d(x.v); });
  check_view(g, "atleast_3d_m", 'm', [](const Inputs& x) { return atleast_3d(x.m); });
  check_view(g, "atleast_3d_v", 'v', [](const Inputs& x) { return atleast_3d(x.v); });
  check_view(g, "atleast_1d_s", 's', [](const Inputs& x) { return atleast_1d(x.s); });
  check_views(g, "split_a", 'a', [](const Inputs& x) { return x.a.split(2, 1); });
  check_views(g, "split_sizes_a", 'a', [](const Inputs& x) { return split(x.a, {1, 3, 1}, 2); });
  check_views(g, "chunk_at", 'a', [](const Inputs& x) { return x.at.chunk(2, 0); });
  check_views(g, "chunk_v", 'v', [](const Inputs& x) { return chunk(x.v, 3); });
  check_views(g, "unbind_m", 'm', [](const Inputs& x) { return x.m.unbind(1); });
  check_views(g, "tsplit_v", 'v', [](const Inputs& x) { return x.v.tensor_split(3); });
  check_views(g, "tsplit_idx", 'm', [](const Inputs& x) { return tensor_split(x.m, tensor({1, 5, 2}), 1); });
  check_view(g, "meshgrid_ij_0", 'v', [](const Inputs& x) { return meshgrid({x.v.slice(0, 0, 3), x.v.slice(0, 3, 5)})[0]; }, 3);
  check_view(g, "meshgrid_ij_1", 'v', [](const Inputs& x) { return meshgrid({x.v.slice(0, 0, 3), x.v.slice(0, 3, 5)})[1]; }, 2);
  check_view(g, "meshgrid_xy_0", 'v', [](const Inputs& x) { return meshgrid({x.v.slice(0, 0, 3), x.v.slice(0, 3, 5)}, "xy")[0]; }, 3);
  check_view(g, "meshgrid_xy_1", 'v', [](const Inputs& x) { return meshgrid({x.v.slice(0, 0, 3), x.v.slice(0, 3, 5)}, "xy")[1]; }, 2);
  check_view(g, "T_a", 'a', [](const Inputs& x) { return x.a.numpy_T(); });
  check_view(g, "T_m", 'm', [](const Inputs& x) { return x.m.numpy_T(); });
  check_view(g, "T_v", 'v', [](const Inputs& x) { return x.v.numpy_T(); });
  check_view(g, "H_ms", 'm', [](const Inputs& x) { return x.ms.matrix_H(); });
  check_view(g, "mH_a", 'a', [](const Inputs& x) { return x.a.mH(); });
  check_view(g, "adjoint_at", 'a', [](const Inputs& x) { return adjoint(x.at); });
  check_view(g, "mT_s", 's', [](const Inputs& x) { return x.s.mT(); });
  check_view(g, "ravel_a", 'a', [](const Inputs& x) { return ravel(x.a); });
  check_views(g, "hsplit_a", 'a', [](const Inputs& x) { return x.a.hsplit(2); });
  check_views(g, "hsplit_v", 'v', [](const Inputs& x) { return hsplit(x.v, {2, 5}); });
  check_views(g, "vsplit_m", 'm', [](const Inputs& x) { return vsplit(x.m, 2); });
  check_views(g, "dsplit_at", 'a', [](const Inputs& x) { return x.at.dsplit(IntArrayRef{1}); });
}

TEST(ShapeViews, ReshapeCopiesOnlyWhenItMust) {
  golden::File g("shape");
  Inputs x = shape_test::load(g);
  EXPECT_TRUE(golden::close(x.at.ravel(), g["ravel_at_copy"], 0, 0));
  EXPECT_NE(x.at.ravel().storage(), x.a.storage());
  Tensor copy = x.at.reshape({60});
  EXPECT_NE(copy.storage(), x.a.storage());
  EXPECT_TRUE(copy.is_contiguous());
  EXPECT_TRUE(golden::close(copy, g["reshape_at_copy"], 0, 0));
  EXPECT_EQ(x.at.reshape({5, 2, 2, 3}).storage(), x.a.storage());
  EXPECT_EQ(x.a.reshape({-1}).storage(), x.a.storage());
  EXPECT_EQ(x.ms.reshape({2, 2, 3}).storage(), x.m.storage());
  expect_error<Error>([&] { x.at.view({60}); }, "view size is not compatible with input tensor's size and stride");
  expect_error<Error>([&] { x.at.view({4, 15}); }, "Use .reshape(...) instead.");
}

TEST(ShapeViews, SqueezeListOfDims) {  // torch >= 2.0 semantics; hand-checked shapes
  Tensor t = zeros({1, 3, 1, 1});
  EXPECT_EQ(t.squeeze({0, 2}).sizes().vec(), (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(t.squeeze({-1, 1}).sizes().vec(), (std::vector<int64_t>{1, 3, 1}));
  EXPECT_EQ(squeeze(t, {}).sizes().vec(), (std::vector<int64_t>{1, 3, 1, 1}));
  EXPECT_EQ(t.squeeze({0, 2}).storage(), t.storage());
  expect_error<Error>([&] { t.squeeze({0, -4}); }, "dim 0 appears multiple times in the list of dims");
  expect_error<IndexError>([&] { t.squeeze({4}); }, "Dimension out of range (expected to be in range of [-4, 3], but got 4)");
}

TEST(ShapeViews, Errors) {
  Tensor x = zeros({2, 3}), s = scalar_tensor(1.0), v = zeros({3});
  expect_error<IndexError>([&] { x.narrow(0, 5, 1); }, "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  expect_error<Error>([&] { x.narrow(0, 1, 5); }, "start (1) + length (5) exceeds dimension size (2).");
  expect_error<Error>([&] { x.narrow(0, 0, -1); }, "start (0) + length (-1) exceeds dimension size (2).");
  expect_error<Error>([&] { s.narrow(0, 0, 1); }, "narrow() cannot be applied to a 0-dim tensor.");
  expect_error<Error>([&] { x.narrow(0, scalar_tensor(1.0), 1); }, "start must be an 0-dim integral Tensor.");
  expect_error<Error>([&] { x.narrow(0, scalar_tensor(true), 1); }, "start must be an 0-dim integral Tensor.");
  expect_error<Error>([&] { x.slice(0, 0, 2, 0); }, "slice step must be positive");
  expect_error<IndexError>([&] { s.slice(0); }, "slice() cannot be applied to a 0-dim tensor.");
  expect_error<IndexError>([&] { v.select(0, 5); }, "select(): index 5 out of range for tensor of size [3] at dimension 0");
  expect_error<IndexError>([&] { x.select(0, -3); }, "select(): index -3 out of range for tensor of size [2, 3] at dimension 0");
  expect_error<IndexError>([&] { s.select(0, 0); }, "select() cannot be applied to a 0-dim tensor.");
  expect_error<IndexError>([&] { x.select(2, 0); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<Error>([&] { x.unfold(1, 4, 1); }, "maximum size for tensor at dimension 1 is 3 but size is 4");
  expect_error<Error>([&] { x.unfold(1, 2, 0); }, "step is 0 but must be > 0");
  expect_error<Error>([&] { x.diagonal(0, 1, 1); }, "diagonal dimensions cannot be identical 1, 1");
  expect_error<Error>([&] { x.diagonal(0, 0, -2); }, "diagonal dimensions cannot be identical 0, -2");
  expect_error<Error>([&] { x.movedim({0, 1}, {0}); }, "movedim: Invalid source or destination dims: source ([0, 1] dims) should contain the same number of dims as destination ([0] dims)");
  expect_error<Error>([&] { x.movedim({0, 0}, {0, 1}); }, "movedim: repeated dim in `source` ([0, 0])");
  expect_error<Error>([&] { x.movedim({0, 1}, {1, 1}); }, "movedim: repeated dim in `destination` ([1, 1])");
  expect_error<IndexError>([&] { x.movedim(0, 5); }, "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  expect_error<Error>([&] { x.flatten(1, 0); }, "flatten() has invalid args: start_dim cannot come after end_dim");
  expect_error<Error>([&] { x.unflatten(1, {2, 2}); }, "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor");
  expect_error<Error>([&] { x.unflatten(1, {}); }, "unflatten: sizes must be non-empty");
  expect_error<Error>([&] { s.split(1); }, "split expects at least a 1-dimensional tensor");
  expect_error<Error>([&] { x.split(-1); }, "split expects split_size be non-negative, but got split_size=-1");
  expect_error<Error>([&] { x.split(0); }, "split_size can only be 0 if dimension size is 0, but got dimension size of 2");
  expect_error<Error>([&] { x.split({1, 3}, 1); }, "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 1), but got split_sizes=[1, 3]");
  expect_error<Error>([&] { x.split({-1, 4}, 1); }, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=[-1, 4]");
  expect_error<Error>([&] { s.chunk(1); }, "chunk expects at least a 1-dimensional tensor");
  expect_error<Error>([&] { x.chunk(0); }, "chunk expects `chunks` to be greater than 0, got: 0");
  expect_error<IndexError>([&] { s.unbind(); }, "Dimension specified as 0 but tensor has no dimensions");
  expect_error<Error>([&] { s.tensor_split(1); }, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
  expect_error<Error>([&] { x.tensor_split(0); }, "number of sections must be larger than 0, got 0");
  expect_error<Error>([&] { x.tensor_split(tensor({1.0})); }, "tensor_split expected tensor_indices_or_sections to have dtype of long, but got Float");
  expect_error<Error>([&] { x.tensor_split(ones({1, 1}, kInt64)); }, "but got a tensor with 2 dims");
  expect_error<Error>([&] { v.mT(); }, "tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.");
  expect_error<Error>([&] { v.mH(); }, "tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor.");
  expect_error<Error>([&] { v.adjoint(); }, "tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.");
  expect_error<Error>([&] { v.matrix_H(); }, "tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor.");
  expect_error<Error>([&] { zeros({2, 2, 2}).matrix_H(); }, "Got 3-D tensor. For batches of matrices, consider using tensor.mH");
  expect_error<Error>([&] { s.hsplit(1); }, "torch.hsplit requires a tensor with at least 1 dimension, but got a tensor with 0 dimensions!");
  expect_error<Error>([&] { v.vsplit({1}); }, "torch.vsplit requires a tensor with at least 2 dimension, but got a tensor with 1 dimensions!");
  expect_error<Error>([&] { x.dsplit(1); }, "torch.dsplit requires a tensor with at least 3 dimension, but got a tensor with 2 dimensions!");
  expect_error<Error>([&] { x.hsplit(2); }, "torch.hsplit attempted to split along dimension 1, but the size of the dimension 3 is not divisible by the split_size 2!");
  expect_error<Error>([&] { x.vsplit(0); }, "torch.vsplit attempted to split along dimension 0, but the size of the dimension 2 is not divisible by the split_size 0!");
  expect_error<Error>([&] { x.view({-1, -1}); }, "only one dimension can be inferred");
  expect_error<Error>([&] { x.view({-2, 3}); }, "invalid shape dimension -2");
  expect_error<Error>([&] { x.view({4, 2}); }, "shape '[4, 2]' is invalid for input of size 6");
  expect_error<IndexError>([&] { x.transpose(0, 2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<IndexError>([&] { s.transpose(0, 1); }, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  expect_error<Error>([&] { x.permute({0}); }, "is not equal to len(dims) = 1");
  expect_error<Error>([&] { x.permute({0, 0}); }, "permute(): duplicate dims are not allowed.");
  expect_error<Error>([&] { x.expand({3}); }, "expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)");
  expect_error<Error>([&] { x.expand({3, 3}); }, "The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]");
  expect_error<Error>([&] { x.expand({-1, 2, 3}); }, "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
  expect_error<Error>([&] { ones({1, 3}).expand({-2, 3}); }, "must be non-negative");
  expect_error<Error>([&] { x.as_strided({3, 3}, {3, 1}); }, "setStorage: sizes [3, 3], strides [3, 1], storage offset 0, and itemsize 4 requiring a storage size of 36 are out of bounds for storage of size 24");
  expect_error<Error>([&] { x.as_strided({2, 2}, {-1, 1}); }, "as_strided: Negative strides are not supported at the moment, got strides: [-1, 1]");
  expect_error<Error>([&] { meshgrid({x}); }, "torch.meshgrid: Expected 0D or 1D tensor in the tensor list");
  expect_error<Error>([&] { meshgrid({v, v.to(kInt32)}); }, "meshgrid expects all tensors to have the same dtype");
  expect_error<Error>([&] { meshgrid({v}, "foo"); }, "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: foo");
  expect_error<Error>([&] { meshgrid(std::vector<Tensor>{}); }, "meshgrid expects a non-empty TensorList");
}

TEST(ShapeViews, ZeroSizeAndZeroDim) {
  Tensor z = zeros({0, 3});
  EXPECT_EQ(z.narrow(1, 1, 2).sizes().vec(), (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(z.split(0).size(), 1u);
  EXPECT_EQ(z.chunk(3).size(), 3u);
  EXPECT_EQ(z.unbind(0).size(), 0u);
  EXPECT_EQ(z.diagonal().sizes().vec(), (std::vector<int64_t>{0}));
  EXPECT_EQ(z.unfold(1, 2, 1).sizes().vec(), (std::vector<int64_t>{0, 2, 2}));
  EXPECT_TRUE(z.transpose(0, 1).is_contiguous());  // PyTorch: every zero-size tensor is contiguous
  Tensor s = scalar_tensor(3.0);
  EXPECT_EQ(s.movedim(0, 0).dim(), 0);
  EXPECT_EQ(s.t().dim(), 0);
  EXPECT_EQ(s.flatten().sizes().vec(), (std::vector<int64_t>{1}));
  EXPECT_EQ(s.squeeze(0).dim(), 0);
  EXPECT_EQ(s.unsqueeze(0).sizes().vec(), (std::vector<int64_t>{1}));
}

TEST(ShapeViews, ViewsAreDifferentiable) {
  Tensor x = zeros({3, 4}, kFloat64).requires_grad_();
  for (const Tensor& y : {x.narrow(0, 1, 2), x.select(1, 0), x.diagonal(), x.unfold(1, 2, 1), x.slice(1, 0, 4, 2),
                          x.flatten(), x.movedim(0, 1), x.mT(), x.as_strided({2}, {5})})
    EXPECT_TRUE(y.requires_grad() && y.grad_fn() != nullptr);
  for (const Tensor& y : x.split(2, 1)) EXPECT_TRUE(y.grad_fn() != nullptr);
  EXPECT_EQ(x.as_strided({2, 2}, {1, 1}).storage(), x.storage());
  // An in-place write through a narrowed view reaches the base's gradient (CopySlices), checked by
  // finite differences.
  EXPECT_TRUE(autograd::gradcheck(
      [](const tensor_list& in) {
        Tensor y = in[0] * 2;
        y.narrow(0, 0, 1).mul_(in[0].narrow(0, 1, 1));
        return tensor_list{y};
      },
      {x}));
}

namespace {
using autograd::gradcheck;
using autograd::gradgradcheck;
// Views of a transposed (non-contiguous) float64 input.
Tensor base(const tensor_list& in) { return in[0].transpose(0, 1); }  // (5, 4)
}  // namespace

TEST(ShapeViews, Gradcheck) {
  golden::File g("shape");
  Tensor a = g["a"].select(0, 0).clone().requires_grad_();  // (4, 5) float64
  std::vector<std::pair<const char*, autograd::GradcheckFn>> fns = {
      {"narrow", [](const tensor_list& in) { return tensor_list{base(in).narrow(0, -3, 2)}; }},
      {"slice", [](const tensor_list& in) { return tensor_list{base(in).slice(0, -100, 100, 2)}; }},
      {"select", [](const tensor_list& in) { return tensor_list{base(in).select(1, -1)}; }},
      {"unfold", [](const tensor_list& in) { return tensor_list{base(in).unfold(0, 2, 2)}; }},
      {"unfold_overlap", [](const tensor_list& in) { return tensor_list{base(in).unfold(0, 3, 1)}; }},
      {"diagonal", [](const tensor_list& in) { return tensor_list{base(in).diagonal(-1)}; }},
      {"diagonal_batched", [](const tensor_list& in) { return tensor_list{base(in).unflatten(1, {2, 2}).diagonal(0, 1, 2)}; }},
      {"flatten", [](const tensor_list& in) { return tensor_list{base(in).unsqueeze(0).flatten(1)}; }},
      {"unflatten", [](const tensor_list& in) { return tensor_list{base(in).unflatten(1, {2, -1})}; }},
      {"movedim", [](const tensor_list& in) { return tensor_list{base(in).unsqueeze(2).movedim({0, 2}, {2, 1})}; }},
      {"swapaxes_mT", [](const tensor_list& in) { return tensor_list{swapaxes(base(in), 0, 1).mT()}; }},
      {"squeeze_dims", [](const tensor_list& in) { return tensor_list{base(in).unsqueeze(0).unsqueeze(2).squeeze({0, 2})}; }},
      {"split", [](const tensor_list& in) { auto p = base(in).split(2, 0); return tensor_list{p[0], p[2] * 3}; }},
      {"split_sizes_partial", [](const tensor_list& in) { return tensor_list{base(in).split({1, 3}, 1)[1]}; }},
      {"chunk", [](const tensor_list& in) { return tensor_list{base(in).chunk(3, 0)[2]}; }},
      {"unbind", [](const tensor_list& in) { auto p = base(in).unbind(1); return tensor_list{p[0] * p[3]}; }},
      {"tensor_split", [](const tensor_list& in) { auto p = base(in).tensor_split({1, 9, 3}, 0); return tensor_list{p[0], p[3]}; }},
      {"as_strided", [](const tensor_list& in) { return tensor_list{base(in).as_strided({2, 3}, {1, 6}, 1)}; }},
      {"as_strided_of_slice", [](const tensor_list& in) { return tensor_list{in[0].slice(1, 1, 4).as_strided({2, 2}, {10, 1}, 2)}; }},
      {"as_strided_overlapping_output", [](const tensor_list& in) { return tensor_list{base(in).as_strided({3, 4}, {1, 2}, 1), base(in).as_strided({2}, {0}, 5)}; }},
      // An input whose elements share memory (expanded), read within its own elements, as as_strided's
      // gradient requires.
      {"as_strided_of_expanded", [](const tensor_list& in) { return tensor_list{base(in).select(0, 1).expand({3, 4}).as_strided({2, 2}, {5, 5}, 1)}; }},
      {"expand_reshape", [](const tensor_list& in) { return tensor_list{base(in).select(0, 1).expand({3, 4}).reshape({2, 6})}; }},
      {"meshgrid", [](const tensor_list& in) { auto gr = meshgrid({base(in).select(1, 0), base(in).select(0, 2)}, "xy"); return tensor_list{gr[0] * gr[1]}; }},
      {"atleast_3d", [](const tensor_list& in) { return tensor_list{atleast_3d(base(in).select(0, 1))}; }},
      {"T_H_mH", [](const tensor_list& in) { return tensor_list{base(in).numpy_T(), base(in).matrix_H() * 2, base(in).unsqueeze(0).mH()}; }},
      {"ravel", [](const tensor_list& in) { return tensor_list{base(in).ravel()}; }},
      {"hsplit_vsplit", [](const tensor_list& in) { return tensor_list{base(in).hsplit(IntArrayRef{1})[1], base(in).vsplit(5)[3]}; }},
  };
  for (auto& [name, fn] : fns) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(gradcheck(fn, {a}));
    EXPECT_TRUE(gradgradcheck(fn, {a}));
  }
}
