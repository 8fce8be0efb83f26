// Copies of the shape family against PyTorch (tests/golden/gen_shape.py): cat with type promotion and
// legacy empty inputs, stack, h/v/dstack, flip, roll, rot90, repeat, tile, repeat_interleave,
// cartesian_prod, diff; every dtype; zero-size inputs; errors; gradcheck on non-contiguous inputs.
#include "shape_test_util.h"

using namespace ember;
using shape_test::expect_error;
using shape_test::Inputs;

namespace {
// The result must be a new tensor: no storage shared with any input.
void expect_fresh(const Tensor& out, std::initializer_list<Tensor> inputs) {
  for (const Tensor& t : inputs) EXPECT_NE(out.storage(), t.storage());
}
}  // namespace

TEST(ShapeJoin, MatchTorch) {
  golden::File g("shape");
  Inputs x = shape_test::load(g);
  auto check = [&](const std::string& name, const Tensor& out) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(golden::close(out, g[name], 0, 0));
    expect_fresh(out, {x.a, x.m, x.v, x.s, x.ints});
  };
  check("cat_a", cat({x.a, x.at.permute({2, 1, 0})}, 1));
  check("cat_legacy", cat({zeros({0}, kFloat64), x.m, x.ms.t().reshape({3, 4}).t()}, 1));
  check("cat_promote", cat({x.ints.to(kInt32), x.ms.to(kFloat32), x.ints.to(kBool)}, 1));
  check("cat_promote_int", concat({x.ints.to(kInt8), x.ints.to(kUInt8)}, 0));
  check("cat_zero_size", concatenate({zeros({0, 4}, kFloat64), x.m.slice(1, 0, 4), zeros({0, 4}, kFloat64)}));
  check("stack_0", stack({x.ms, x.me, x.ms}, 0));
  check("stack_last", stack({x.ms, x.me}, -1));
  check("stack_s", stack({x.s, x.s * 2}));
  check("hstack", hstack({x.m, x.ms, x.me}));
  check("hstack_1d", hstack({x.v, x.s, x.v}));
  check("vstack", vstack({x.v.slice(0, 0, 3), x.ms, x.me}));
  check("dstack", dstack({x.ms, x.me, x.ms.t().t()}));
  check("dstack_1d", dstack({x.v.slice(0, 0, 3), x.v.slice(0, 3, 6)}));
  check("column_stack", column_stack({x.v.slice(0, 0, 4), x.s.expand({4}), x.ms, x.me}));
  check("column_stack_s", column_stack({x.s, x.v.slice(0, 0, 1)}));
  check("row_stack", row_stack({x.v.slice(0, 0, 3), x.ms, x.me}));
  check("flip_a", x.a.flip({0, 2}));
  check("flip_at", flip(x.at, {1}));
  check("flip_ms", x.ms.flip(-1));
  check("flip_s", x.s.flip(0));
  check("fliplr", fliplr(x.ms));
  check("flipud", x.me.flipud());
  check("roll_flat", x.m.roll(5));
  check("roll_dims", roll(x.a, {1, -7}, {0, 2}));
  check("roll_ms", x.ms.roll(-1, 1));
  check("rot90_1", x.m.rot90());
  check("rot90_2", x.ms.rot90(2));
  check("rot90_3", rot90(x.a, 3, {2, 0}));
  check("rot90_neg", x.a.rot90(-1, {1, 2}));
  check("rot90_0", x.m.rot90(4));
  check("repeat_m", x.ms.repeat({2, 1, 3}));
  check("repeat_s", x.s.repeat({2, 2}));
  check("repeat_me", x.me.repeat({1, 2}));
  check("tile_a", x.a.tile({2}));
  check("tile_v", tile(x.v, {2, 2}));
  check("ri_int", x.m.repeat_interleave(2));
  check("ri_int_dim", x.ms.repeat_interleave(3, 1));
  check("ri_tensor", x.ms.repeat_interleave(tensor({1, 0, 2, 3}), 0));
  check("ri_tensor_1", repeat_interleave(x.at, tensor({2}), -1));
  check("ri_index", repeat_interleave(tensor({2, 0, 1, 3})));
  check("ri_index_int", repeat_interleave(tensor({1, 2}, kInt32)));
  check("cart_2", cartesian_prod({x.v.slice(0, 0, 3), x.v.slice(0, 3, 5)}));
  check("cart_3", cartesian_prod({x.v.slice(0, 0, 2), x.v.slice(0, 2, 4), x.v.slice(0, 4, 7)}));
  check("diff_m", x.m.diff());
  check("diff_a_2", x.a.diff(2, 1));
  check("diff_at", diff(x.at, 1, 0));
  check("diff_big_n", x.m.diff(10));
  check("diff_pre_app", x.m.diff(1, 0, x.ms.slice(0, 0, 2).reshape({1, 6}), x.m.slice(0, 0, 2)));
  check("diff_bool", (x.ints > 0).diff());
  check("diff_int", x.ints.to(kInt32).diff(1, 0));
  check("diff_0_pre", x.m.diff(0, -1, x.m));
  check("ri_s", x.s.repeat_interleave(3));
  Tensor z = zeros({0, 3}, kFloat64);
  check("z_flip", z.flip(0));
  check("z_roll", z.roll(1, 0));
  check("z_repeat", z.repeat({2, 2}));
  check("z_cat", cat({z, z}, 1));
  check("repeat_zero", x.ms.repeat({0, 2}));
  check("tile_zero", x.v.tile({2, 0}));
  check("ri_zero", x.ms.repeat_interleave(0, 1));
}

TEST(ShapeJoin, EveryDtype) {
  golden::File g("shape");
  Inputs in = shape_test::load(g);
  for (DType dt : {kBool, kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64}) {
    std::string n(dtype_name(dt));
    SCOPED_TRACE(n);
    Tensor x = (dt == kUInt8 ? in.ints.relu() : in.ints).to(dt);
    EXPECT_TRUE(golden::close(cat({x, x.t().slice(0, 0, 4)}, 1), g["dt_" + n + "_cat"], 0, 0));
    EXPECT_TRUE(golden::close(x.t().flip(0), g["dt_" + n + "_flip"], 0, 0));
    EXPECT_TRUE(golden::close(x.roll(2, 1), g["dt_" + n + "_roll"], 0, 0));
    EXPECT_TRUE(golden::close(x.slice(1, std::nullopt, std::nullopt, 3).repeat({2, 1}), g["dt_" + n + "_repeat"], 0, 0));
    EXPECT_TRUE(golden::close(x.t().diagonal(1), g["dt_" + n + "_diag"], 0, 0));
    EXPECT_TRUE(golden::close(stack({x.select(0, 0), x.select(0, 1)}, 1), g["dt_" + n + "_stack"], 0, 0));
    EXPECT_TRUE(golden::close(x.slice(0, 0, 2).repeat_interleave(tensor({1, 2}), 0), g["dt_" + n + "_ri"], 0, 0));
    EXPECT_TRUE(golden::close(x.diff(), g["dt_" + n + "_diff"], 0, 0));
  }
}

TEST(ShapeJoin, Errors) {
  Tensor x = zeros({2, 3}), s = scalar_tensor(1.0), v = zeros({3});
  std::vector<Tensor> none;
  expect_error<Error>([&] { cat(none); }, "torch.cat(): expected a non-empty list of Tensors");
  expect_error<Error>([&] { cat({x, zeros({3, 3})}, 1); },
                      "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.");
  expect_error<Error>([&] { cat({x, zeros({2, 3, 1})}); }, "Tensors must have same number of dimensions: got 2 and 3");
  expect_error<Error>([&] { cat({s, x}); }, "zero-dimensional tensor (at position 0) cannot be concatenated");
  expect_error<IndexError>([&] { cat({x, x}, 2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<IndexError>([&] { cat({zeros({0}), x}, 2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<Error>([&] { stack(none); }, "stack expects a non-empty TensorList");
  expect_error<Error>([&] { stack({x, x.t()}); }, "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1");
  expect_error<IndexError>([&] { stack({x, x}, 3); }, "Dimension out of range (expected to be in range of [-3, 2], but got 3)");
  expect_error<Error>([&] { hstack(none); }, "hstack expects a non-empty TensorList");
  expect_error<Error>([&] { vstack(none); }, "vstack expects a non-empty TensorList");
  expect_error<Error>([&] { dstack(none); }, "dstack expects a non-empty TensorList");
  expect_error<Error>([&] { column_stack(none); }, "column_stack expects a non-empty TensorList");
  expect_error<Error>([&] { column_stack({v, x}); }, "Sizes of tensors must match except in dimension 1");
  expect_error<Error>([&] { x.flip({0, 0}); }, "dim 0 appears multiple times in the list of dims");
  expect_error<IndexError>([&] { x.flip(2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<Error>([&] { v.fliplr(); }, "Input must be >= 2-d.");
  expect_error<Error>([&] { s.flipud(); }, "Input must be >= 1-d.");
  expect_error<Error>([&] { x.roll({1, 2}, {0}); }, "shifts and dimensions must align. shifts: 2, dims:1");
  expect_error<Error>([&] { x.roll({}, {}); }, "`shifts` required");
  expect_error<IndexError>([&] { x.roll(1, 2); }, "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  expect_error<Error>([&] { x.rot90(1, {0}); }, "expected total rotation dims == 2, but got dims = 1");
  expect_error<Error>([&] { v.rot90(); }, "expected total dims >= 2, but got total dims = 1");
  expect_error<Error>([&] { x.rot90(1, {0, 0}); }, "expected rotation dims to be different, but got dim0 = 0 and dim1 = 0");
  expect_error<Error>([&] { x.rot90(1, {0, -2}); }, "expected rotation dims to be different, but got dim0 = 0 and dim1 = -2");
  expect_error<Error>([&] { x.repeat({2}); }, "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  expect_error<Error>([&] { x.repeat({2, -1}); }, "Trying to create tensor with negative dimension -3: [4, -3]");
  expect_error<Error>([&] { x.repeat_interleave(tensor({1, 2, 3}), 0); }, "repeats must have the same size as input along dim");
  expect_error<Error>([&] { x.repeat_interleave(ones({2, 2}, kInt64), 0); }, "repeats must be 0-dim or 1-dim tensor");
  expect_error<Error>([&] { repeat_interleave(tensor({-1})); }, "repeats can not be negative");
  expect_error<Error>([&] { repeat_interleave(tensor({{1}})); }, "repeat_interleave only accept 1D vector as repeat");
  expect_error<Error>([&] { x.repeat_interleave(-1); }, "repeats can not be negative");
  expect_error<Error>([&] { x.repeat_interleave(tensor({1, -1}), 0); }, "repeats can not be negative");
  expect_error<Error>([&] { repeat_interleave(tensor({1.0})); }, "\"repeat_interleave_cpu\" not implemented for 'Float'");
  expect_error<Error>([&] { ones({2}).repeat_interleave(tensor({true, false}), 0); },
                      "\"repeat_interleave_cpu\" not implemented for 'Bool'");
  expect_error<Error>([&] { cartesian_prod({x}); }, "Expect a 1D vector, but got shape [2, 3]");
  expect_error<Error>([&] { s.diff(); }, "diff expects input to be at least one-dimensional");
  expect_error<IndexError>([&] { s.repeat_interleave(2, 0); }, "Dimension specified as 0 but tensor has no dimensions");
  expect_error<Error>([&] { x.diff(-1); }, "order must be non-negative but got -1");
  expect_error<Error>([&] { x.diff(1, -1, ones({3})); }, "diff expects prepend or append to be the same dimension as input");
  expect_error<Error>([&] { x.diff(1, 0, ones({1, 2})); },
                      "diff expects the shape of tensor to prepend or append to match that of input except along the "
                      "differencing dimension; input.size(1) = 3, but got tensor.size(1) = 2");
}

TEST(ShapeJoin, FailedOpLeavesInputsUnchanged) {
  Tensor x = ones({2, 3});
  Tensor before = x.clone();
  EXPECT_THROW(cat({x, zeros({3, 3})}, 1), Error);
  EXPECT_TRUE(golden::close(x, before, 0, 0));
}

namespace {
using autograd::gradcheck;
using autograd::gradgradcheck;
Tensor tr(const Tensor& t) { return t.transpose(0, 1); }                     // (5, 4), transposed
Tensor stepped(const Tensor& t) { return t.slice(1, std::nullopt, std::nullopt, 2); }  // (4, 3), stepped
}  // namespace

TEST(ShapeJoin, Gradcheck) {
  golden::File g("shape");
  Tensor a = g["a"].select(0, 0).clone().requires_grad_();  // (4, 5)
  Tensor b = g["m"].clone().requires_grad_();               // (4, 6)
  Tensor c = g["v"].slice(0, 0, 4).clone().requires_grad_();  // (4)
  std::vector<std::pair<const char*, autograd::GradcheckFn>> fns = {
      {"cat", [](const tensor_list& in) { return tensor_list{cat({tr(in[0]), stepped(in[1]).t().repeat({1, 1}).reshape({3, 4}).slice(0, 0, 2), in[2].unsqueeze(0).expand({2, 4})}, 0)}; }},
      {"cat_legacy", [](const tensor_list& in) { return tensor_list{cat({in[2].slice(0, 0, 0), stepped(in[1]), in[0]}, 1)}; }},
      {"stack", [](const tensor_list& in) { return tensor_list{stack({stepped(in[1]), in[2].unsqueeze(1).expand({4, 3})}, 1)}; }},
      {"hvdstack", [](const tensor_list& in) { return tensor_list{hstack({in[0], stepped(in[1])}), vstack({in[2], in[0].select(1, 2)}), dstack({in[2], in[2]})}; }},
      {"column_row_stack", [](const tensor_list& in) { return tensor_list{column_stack({in[2], stepped(in[1])}), row_stack({in[2], in[0].select(1, 2)})}; }},
      {"flip", [](const tensor_list& in) { return tensor_list{tr(in[0]).flip({0, 1}), stepped(in[1]).fliplr().flipud()}; }},
      {"roll", [](const tensor_list& in) { return tensor_list{tr(in[0]).roll({2, -1}, {0, 1}), stepped(in[1]).roll(4)}; }},
      {"rot90", [](const tensor_list& in) { return tensor_list{tr(in[0]).rot90(1), stepped(in[1]).rot90(2), tr(in[0]).rot90(-1)}; }},
      {"repeat_tile", [](const tensor_list& in) { return tensor_list{stepped(in[1]).repeat({2, 1, 2}), in[2].unsqueeze(1).expand({4, 2}).tile({2})}; }},
      {"repeat_interleave", [](const tensor_list& in) { return tensor_list{tr(in[0]).repeat_interleave(2, 1), stepped(in[1]).repeat_interleave(tensor({2, 0, 1, 3}), 0), in[2].repeat_interleave(3)}; }},
      {"cartesian_prod", [](const tensor_list& in) { return tensor_list{cartesian_prod({in[2], tr(in[0]).select(1, 1)})}; }},
      {"diff", [](const tensor_list& in) { return tensor_list{tr(in[0]).diff(2, 0), stepped(in[1]).diff(1, 1, in[2].unsqueeze(1), stepped(in[1]))}; }},
  };
  for (auto& [name, fn] : fns) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(gradcheck(fn, {a, b, c}));
    EXPECT_TRUE(gradgradcheck(fn, {a, b, c}));
  }
}

TEST(ShapeJoin, CatGradientKeepsInputDtype) {
  Tensor f = ones({2}, kFloat32).requires_grad_(), d = ones({3}, kFloat64).requires_grad_();
  Tensor out = cat({f, d});
  EXPECT_EQ(out.dtype(), kFloat64);
  out.sum().backward();
  EXPECT_EQ(f.grad().dtype(), kFloat32);
  EXPECT_EQ(d.grad().dtype(), kFloat64);
}
