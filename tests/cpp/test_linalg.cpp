// Forward values of the linalg family against PyTorch (tests/golden/gen_linalg.py), and its errors.
#include <functional>

#include "error_test_util.h"
#include "golden.h"

using namespace ember;

namespace {

const golden::File& G() {
  static golden::File g("linalg");
  return g;
}
Tensor in(const std::string& c, int i) { return G()[c + "/in" + std::to_string(i)]; }
Tensor out(const std::string& c) { return G()[c + "/out"]; }

// Checks fn(inputs) against the golden output, in float64 and (for float64 goldens) again in float32.
void check_case(const std::string& c, int n_inputs, const std::function<Tensor(const tensor_list&)>& fn) {
  SCOPED_TRACE(c);
  tensor_list xs;
  for (int i = 0; i < n_inputs; ++i) xs.push_back(in(c, i));
  Tensor expected = out(c);
  EXPECT_TRUE(golden::close(fn(xs), expected, 1e-10, 1e-12));
  if (expected.dtype() != kFloat64) return;
  tensor_list fs;
  for (const Tensor& x : xs) fs.push_back(x.dtype() == kFloat64 ? x.to(kFloat32) : x);
  EXPECT_TRUE(golden::close(fn(fs), expected.to(kFloat32), 1e-4, 1e-5));
}

template <class E, class F>
void expect_error(F&& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << text;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}


}  // namespace

TEST(Linalg, MatmulAllDimensionalities) {
  for (const char* name : {"1d_1d", "2d_1d", "1d_2d", "2d_2d", "3d_3d", "3d_1d", "1d_3d", "3d_2d", "2d_3d",
                           "4d_3d_bcast", "3d_4d_bcast", "5d_1d", "zero_m", "zero_k", "zero_batch", "zero_k_batched"})
    check_case(std::string("matmul_") + name, 2, [](const tensor_list& x) { return matmul(x[0], x[1]); });
}

TEST(Linalg, MatmulDtypes) {
  for (DType dt : {kFloat32, kInt64, kBFloat16}) {
    std::string tag(dtype_name(dt));
    SCOPED_TRACE(tag);
    Tensor a = in("matmul_" + tag, 0).to(dt), b = in("matmul_" + tag, 1).to(dt);
    double tol = dt == kBFloat16 ? 2e-2 : 1e-5;
    EXPECT_TRUE(golden::close(a.matmul(b), out("matmul_" + tag), tol, tol));
    EXPECT_TRUE(golden::close(a.as_strided({3, 4}, {4, 1}, 0).matmul(b), out("matmul_" + tag + "_2d"), tol, tol));
  }
  Tensor a = in("matmul_float16", 0).to(kFloat16), b = in("matmul_float16", 1).to(kFloat16);
  EXPECT_TRUE(golden::close(matmul(a, b), out("matmul_float16"), 1e-3, 1e-3));
  check_case("mm_int32", 2, [](const tensor_list& x) { return mm(x[0], x[1]); });
  check_case("mm_int64_big", 2, [](const tensor_list& x) { return x[0].t().t().mm(x[1]); });
  check_case("mm_f64_big", 2, [](const tensor_list& x) { return mm(x[0], x[1]); });
  for (const char* tag : {"float32", "bfloat16"}) {
    DType dt = std::string(tag) == "float32" ? kFloat32 : kBFloat16;
    double tol = dt == kBFloat16 ? 2e-2 : 1e-5;
    std::string t(tag);
    EXPECT_TRUE(golden::close(mm(in("mm_" + t, 0).to(dt), in("mm_" + t, 1).to(dt)), out("mm_" + t), tol, tol));
    EXPECT_TRUE(golden::close(dot(in("dot_" + t, 0).to(dt), in("dot_" + t, 1).to(dt)), out("dot_" + t), tol, tol));
  }
}

TEST(Linalg, EveryProductInEveryDtype) {
  using Op = std::function<Tensor(const Tensor&, const Tensor&, const Tensor&)>;
  const std::vector<std::pair<std::string, Op>> ops = {
      {"mm", [](const Tensor& a, const Tensor& b, const Tensor&) { return mm(a, b); }},
      {"bmm", [](const Tensor& a, const Tensor& b, const Tensor&) { return bmm(a, b); }},
      {"mv", [](const Tensor& a, const Tensor& b, const Tensor&) { return mv(a, b); }},
      {"addmm", [](const Tensor& a, const Tensor& b, const Tensor& c) { return addmm(c, a, b, 2, 3); }},
      {"baddbmm", [](const Tensor& a, const Tensor& b, const Tensor& c) { return baddbmm(c, a, b, 2, 3); }},
      {"matmul", [](const Tensor& a, const Tensor& b, const Tensor&) { return matmul(a, b); }},
      {"einsum", [](const Tensor& a, const Tensor& b, const Tensor&) { return einsum("bij,bjk->bik", {a, b}); }},
  };
  for (DType dt : {kUInt8, kInt8, kInt16, kBFloat16}) {
    for (const auto& [name, op] : ops) {
      std::string c = "dtype_" + name + "_" + std::string(dtype_name(dt));
      SCOPED_TRACE(c);
      double tol = dt == kBFloat16 ? 2e-2 : 0;
      EXPECT_TRUE(golden::close(op(in(c, 0).to(dt), in(c, 1).to(dt), in(c, 2).to(dt)), out(c), tol, tol));
    }
  }
}

TEST(Linalg, NonContiguousOperands) {
  check_case("mm_transposed", 2, [](const tensor_list& x) { return x[0].t().mm(x[1].t()); });
  check_case("mm_stepped", 2, [](const tensor_list& x) {
    Tensor a = x[0].as_strided({3, 4}, {8, 2}, 0), b = x[1].as_strided({4, 5}, {10, 2}, 0);
    return a.mm(b);
  });
  check_case("mm_expanded", 2, [](const tensor_list& x) { return x[0].expand({5, 4}).mm(x[1]); });
  check_case("bmm_transposed", 2,
             [](const tensor_list& x) { return x[0].transpose(1, 2).bmm(x[1].transpose(1, 2)); });
  check_case("bmm_permuted", 2, [](const tensor_list& x) { return x[0].permute({1, 0, 2}).bmm(x[1]); });
  check_case("matmul_4d_transposed", 2, [](const tensor_list& x) { return x[0].transpose(1, 2).matmul(x[1]); });
  check_case("dot_stepped", 2, [](const tensor_list& x) {
    return x[0].as_strided({4}, {2}, 0).dot(x[1].as_strided({4}, {3}, 0));
  });
  check_case("mv_transposed", 2, [](const tensor_list& x) { return x[0].t().mv(x[1]); });
  check_case("vecmat_transposed", 2, [](const tensor_list& x) { return x[0].matmul(x[1].t()); });
  check_case("mv_expanded", 2, [](const tensor_list& x) { return x[0].matmul(x[1].expand({4})); });
  check_case("mm_big_transposed", 2, [](const tensor_list& x) { return x[0].t().mm(x[1].t()); });
}

TEST(Linalg, Products) {
  check_case("mm", 2, [](const tensor_list& x) { return mm(x[0], x[1]); });
  check_case("bmm", 2, [](const tensor_list& x) { return bmm(x[0], x[1]); });
  check_case("addmm", 3, [](const tensor_list& x) { return addmm(x[0], x[1], x[2], 0.5, 2.0); });
  check_case("addmm_bcast", 3, [](const tensor_list& x) { return x[0].addmm(x[1], x[2]); });
  check_case("addmm_beta0", 3, [](const tensor_list& x) { return addmm(x[0], x[1], x[2], 0); });
  check_case("addmm_zero_k", 3, [](const tensor_list& x) { return addmm(x[0], x[1], x[2], 3, 2); });
  check_case("addmm_int64", 3, [](const tensor_list& x) { return addmm(x[0], x[1], x[2], 2, 3); });
  check_case("addmv", 3, [](const tensor_list& x) { return addmv(x[0], x[1], x[2], 0.5, -1.5); });
  check_case("addmv_scalar_self", 3, [](const tensor_list& x) { return x[0].addmv(x[1], x[2]); });
  check_case("baddbmm", 3, [](const tensor_list& x) { return baddbmm(x[0], x[1], x[2], -1.0, 0.25); });
  check_case("baddbmm_bcast", 3, [](const tensor_list& x) { return x[0].baddbmm(x[1], x[2]); });
  check_case("dot", 2, [](const tensor_list& x) { return dot(x[0], x[1]); });
  check_case("dot_int64", 2, [](const tensor_list& x) { return x[0].dot(x[1]); });
  check_case("dot_empty", 2, [](const tensor_list& x) { return dot(x[0], x[1]); });
  check_case("vdot", 2, [](const tensor_list& x) { return vdot(x[0], x[1]); });
  check_case("mv", 2, [](const tensor_list& x) { return mv(x[0], x[1]); });
  check_case("outer", 2, [](const tensor_list& x) { return outer(x[0], x[1]); });
  check_case("outer_int_float", 2, [](const tensor_list& x) { return x[0].ger(x[1]); });
}

TEST(Linalg, AddmmActivationIsAddmmThenReluOrGelu) {
  // On the CPU, PyTorch's _addmm_activation is addmm followed by relu_ or the erf gelu_ (checked against
  // torch by the Python conformance suite); here, against those two ops, bit for bit.
  Tensor bias = randn({5}), self = randn({3, 5}), a = randn({3, 4}), b = randn({4, 5});
  for (bool gelu : {false, true}) {
    auto act = [&](const Tensor& t) { return gelu ? ember::gelu(t) : t.relu(); };
    EXPECT_TRUE(equal(_addmm_activation(bias, a, b, 1, 1, gelu), act(addmm(bias, a, b))));
    EXPECT_TRUE(equal(_addmm_activation(self, a, b, 0.5, -2, gelu), act(addmm(self, a, b, 0.5, -2))));
    Tensor a_cols = a.t().contiguous().t();  // column-major: a layout the kernel takes as a transpose
    EXPECT_TRUE(equal(_addmm_activation(bias, a_cols, b, 1, 1, gelu), act(addmm(bias, a, b))));
    Tensor empty_k = _addmm_activation(tensor(-1.5f), empty({3, 0}), empty({0, 5}), 1, 1, gelu);
    EXPECT_TRUE(equal(empty_k, act(full({3, 5}, -1.5f))));
  }
  Tensor ia = randint(-5, 5, {3, 4}), ib = randint(-5, 5, {4, 2}), is = randint(-5, 5, {2});
  EXPECT_TRUE(equal(_addmm_activation(is, ia, ib), addmm(is, ia, ib).relu()));
  EXPECT_EQ(error_of([&] { (void)_addmm_activation(is, ia, ib, 1, 1, true); }),
            "\"GeluKernelImpl\" not implemented for 'Long'");
  // No derivative, as in PyTorch: the graph is recorded and its backward raises.
  Tensor x = a.detach().requires_grad_();
  Tensor y = _addmm_activation(bias, x, b);
  ASSERT_TRUE(y.requires_grad());
  EXPECT_EQ(y.grad_fn()->name(), "NotImplemented");
  EXPECT_EQ(error_of([&] { y.sum().backward(); }), "derivative for aten::_addmm_activation is not implemented");
}

TEST(Linalg, Einsum) {
  const char* equations[] = {"ij,jk->ik", "ij,jk", "bij,bjk->bik", "ii->i", "ii", "iji->j", "ij->", "ij->ji",
                             "i,j->ij", "i,i->", "ij,ij->ij", "ij,ij->ij", "...ij,...jk->...ik", "...ij,...jk",
                             "i...->...", "...ii->...i", "bn,anm,bm->ba", "ij,jk,kl->il", "i,i,i->i", "ab,cd->",
                             "ba,ca->cb", "Aa,aB->AB", "i,->i", "", "ij,jk->ik", "iij,jk->ik", "i j , j k -> i k"};
  for (size_t n = 0; n < std::size(equations); ++n) {
    std::string c = "einsum_" + std::to_string(n);
    int count = 0;
    while (G().has(c + "/in" + std::to_string(count))) ++count;
    std::string eq = equations[n];
    check_case(c + "", count, [&](const tensor_list& x) { return einsum(eq, x); });
  }
  check_case("einsum_int32", 2, [](const tensor_list& x) { return einsum("ij,jk->ik", x); });
  check_case("einsum_int32_sum", 1, [](const tensor_list& x) { return einsum("ij->i", x); });
}

TEST(Linalg, TensordotKron) {
  check_case("tensordot_2", 2, [](const tensor_list& x) { return tensordot(x[0], x[1], 2); });
  check_case("tensordot_0", 2, [](const tensor_list& x) { return tensordot(x[0], x[1], 0); });
  check_case("tensordot_lists", 2, [](const tensor_list& x) { return tensordot(x[0], x[1], {0, 2}, {1, 0}); });
  check_case("tensordot_size1", 2, [](const tensor_list& x) { return tensordot(x[0], x[1], {1}, {0}); });
  check_case("kron_2d", 2, [](const tensor_list& x) { return kron(x[0], x[1]); });
  check_case("kron_mixed_dims", 2, [](const tensor_list& x) { return kron(x[0], x[1]); });
  check_case("kron_3d", 2, [](const tensor_list& x) { return x[0].kron(x[1]); });
  check_case("kron_int_float", 2, [](const tensor_list& x) { return kron(x[0], x[1]); });
}

TEST(Linalg, Compositions) {
  check_case("addbmm", 3, [](const tensor_list& x) { return addbmm(x[0], x[1], x[2], 0.5, 2); });
  check_case("addbmm_bcast", 3, [](const tensor_list& x) { return x[0].addbmm(x[1], x[2]); });
  check_case("addbmm_empty_batch", 3, [](const tensor_list& x) { return addbmm(x[0], x[1], x[2]); });
  check_case("addbmm_int64", 3, [](const tensor_list& x) { return addbmm(x[0], x[1], x[2], 2, 3); });
  check_case("addr", 3, [](const tensor_list& x) { return addr(x[0], x[1], x[2], 2, -1.5); });
  check_case("addr_bcast", 3, [](const tensor_list& x) { return x[0].addr(x[1], x[2]); });
  check_case("addr_beta0_nan", 3, [](const tensor_list& x) { return addr(x[0], x[1], x[2], 0); });
  check_case("addr_promote", 3, [](const tensor_list& x) { return addr(x[0], x[1], x[2]); });
  check_case("addr_bool", 3, [](const tensor_list& x) { return addr(x[0], x[1], x[2]); });
  check_case("inner", 2, [](const tensor_list& x) { return inner(x[0], x[1]); });
  check_case("inner_1d", 2, [](const tensor_list& x) { return x[0].inner(x[1]); });
  check_case("inner_scalar", 2, [](const tensor_list& x) { return inner(x[0], x[1]); });
  check_case("inner_int32", 2, [](const tensor_list& x) { return inner(x[0], x[1]); });
  check_case("cross_dim", 2, [](const tensor_list& x) { return cross(x[0], x[1], 1); });
  check_case("cross_default", 2, [](const tensor_list& x) { return x[0].cross(x[1]); });
  check_case("cross_bcast", 2, [](const tensor_list& x) { return cross(x[0], x[1]); });
  check_case("cross_neg_dim", 2, [](const tensor_list& x) { return cross(x[0], x[1], -1); });
  check_case("cross_int64", 2, [](const tensor_list& x) { return cross(x[0], x[1]); });
  check_case("trace", 1, [](const tensor_list& x) { return trace(x[0]); });
  check_case("trace_int32", 1, [](const tensor_list& x) { return x[0].trace(); });
  check_case("trace_empty", 1, [](const tensor_list& x) { return trace(x[0]); });
}

TEST(Linalg, TrilTriu) {
  Tensor x = in("tri", 0);
  for (int64_t k : {-2, -1, 0, 1, 3, 7, -7}) {
    SCOPED_TRACE(k);
    EXPECT_TRUE(golden::close(x.tril(k), out("tril_" + std::to_string(k)), 0, 0));
    EXPECT_TRUE(golden::close(triu(x, k), out("triu_" + std::to_string(k)), 0, 0));
    EXPECT_TRUE(golden::close(x.to(kFloat32).tril(k), out("tril_" + std::to_string(k)).to(kFloat32), 0, 0));
  }
  EXPECT_TRUE(golden::close(x.transpose(1, 2).tril(1), out("tril_t"), 0, 0));
  Tensor y = x.clone();
  EXPECT_TRUE(golden::close(y.tril_(-1), out("tril_-1"), 0, 0));
  EXPECT_TRUE(golden::close(y, out("tril_-1"), 0, 0));
  Tensor z = x.clone();
  EXPECT_TRUE(golden::close(z.transpose(1, 2).triu_(1).transpose(1, 2), out("tril_-1"), 0, 0));
  Tensor b = in("tri_bool", 0);
  EXPECT_TRUE(golden::close(b.tril(), out("tril_bool"), 0, 0));
  EXPECT_TRUE(golden::close(b.triu(1), out("triu_bool"), 0, 0));
  EXPECT_TRUE(golden::close(zeros({0, 3}, TensorOptions(kFloat64)).tril(), out("tril_zero"), 0, 0));
}

TEST(Linalg, InputsUnchanged) {
  Tensor s = in("addmm", 0), keep = s.clone();
  addmm(s, in("addmm", 1), in("addmm", 2), 0.5, 2.0);
  EXPECT_TRUE(golden::close(s, keep, 0, 0));
  Tensor t = in("tri", 0), tkeep = t.clone();
  t.triu(1);
  EXPECT_TRUE(golden::close(t, tkeep, 0, 0));
}

TEST(Linalg, ProductErrors) {
  Tensor a23 = ones({2, 3}), a45 = ones({4, 5}), v3 = ones({3}), v4 = ones({4});
  expect_error<Error>([&] { mm(a23, a45); }, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  expect_error<Error>([&] { matmul(a23, a45); }, "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
  expect_error<Error>([&] { matmul(v3, a45); }, "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)");
  expect_error<Error>([&] { matmul(scalar_tensor(1.0), ones({2, 2})); },
                      "both arguments to matmul need to be at least 1D, but they are 0D and 2D");
  expect_error<Error>([&] { mm(a23, ones({3, 4}, kFloat64)); },
                      "expected m1 and m2 to have the same dtype, but got: float != double");
  expect_error<Error>([&] { matmul(a23, ones({3, 4}, kFloat64)); }, "same dtype, but got: float != double");
  expect_error<Error>([&] { mm(v3, a45); }, "self must be a matrix");
  expect_error<Error>([&] { mm(a23, v3); }, "mat2 must be a matrix");
  expect_error<NotImplementedError>([&] { mm(ones({2, 2}, kBool), ones({2, 2}, kBool)); }, "not implemented for 'Bool'");
  expect_error<Error>([&] { matmul(v3, v4); }, "inconsistent tensor size, expected tensor [3] and src [4]");
  expect_error<Error>([&] { matmul(a23, v4); }, "size mismatch, got 2, 2x3,4");
  expect_error<Error>([&] { matmul(ones({2, 2, 3}), ones({3, 3, 4})); },
                      "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
  expect_error<Error>([&] { matmul(ones({2, 2, 3}), ones({2, 4, 4})); },
                      "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].");
  expect_error<Error>([&] { bmm(a23, ones({2, 3, 4})); }, "batch1 must be a 3D tensor");
  expect_error<Error>([&] { bmm(ones({2, 2, 3}), a45); }, "batch2 must be a 3D tensor");
  expect_error<Error>([&] { bmm(ones({2, 2, 3}), ones({2, 3, 5}, kFloat64)); },
                      "expected scalar type Float but found Double");
  expect_error<Error>([&] { addmm(ones({3, 5}), a23, ones({3, 5})); },
                      "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0");
  expect_error<Error>([&] { addmm(ones({2, 5}, kFloat64), a23, ones({3, 5})); },
                      "self and mat2 must have the same dtype");
  expect_error<Error>([&] { addmm(ones({2, 5}), v3, ones({3, 5})); }, "mat1 must be a matrix, got 1-D tensor");
  expect_error<Error>([&] { addmv(ones({2}), a23, v4); }, "size mismatch, got 2, 2x3,4");
  expect_error<Error>([&] { addmv(ones({2}), ones({2, 3, 1}), v3); },
                      "vector + matrix @ vector expected, got 1, 3, 1");
  expect_error<Error>([&] { mv(v3, v3); }, "vector + matrix @ vector expected, got 1, 1, 1");
  expect_error<Error>([&] { mv(a23, ones({3}, kFloat64)); }, "expected scalar type Float but found Double");
  expect_error<Error>([&] { baddbmm(ones({2, 3, 5}), ones({2, 2, 3}), ones({2, 3, 5})); },
                      "The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 1");
  expect_error<Error>([&] { dot(a23, a23); }, "1D tensors expected, but got 2D and 2D tensors");
  expect_error<Error>([&] { vdot(v3, v4); },
                      "inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
                      "but got 3 and 4 elements respectively");
  expect_error<Error>([&] { dot(v3, ones({3}, kFloat64)); },
                      "dot : expected both vectors to have same dtype, but found Float and Double");
  expect_error<Error>([&] { outer(a23, v3); }, "outer: Expected 1-D argument self, but got 2-D");
  expect_error<Error>([&] { outer(v3, a23); }, "outer: Expected 1-D argument vec2, but got 2-D");
}

TEST(Linalg, OtherErrors) {
  Tensor a23 = ones({2, 3});
  expect_error<Error>([&] { tensordot(a23, ones({4, 5}), {1}, {0}); },
                      "contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 0");
  expect_error<Error>([&] { tensordot(a23, ones({3, 5}), {1}, {0, 1}); }, "both dimension lists should have same length");
  expect_error<Error>([&] { tensordot(a23, ones({3, 5}), -1); }, "tensordot expects dims >= 0, but got dims=-1");
  expect_error<IndexError>([&] { tensordot(a23, ones({3, 5}), 3); },
                           "Dimension out of range (expected to be in range of [-2, 1], but got -3)");
  expect_error<Error>([&] { tensordot(ones({3, 3}), ones({3, 3}), {0, 0}, {0, 1}); },
                      "dim 0 appears multiple times in the list of dims");
  expect_error<IndexError>([&] { tril(ones({3})); },
                           "Dimension out of range (expected to be in range of [-1, 0], but got -2)");
  expect_error<IndexError>([&] { triu(ones({3})); }, "Dimension out of range");
  expect_error<Error>([&] { addbmm(ones({2, 2}), a23, ones({2, 3, 2})); }, "batch1 must be a 3D tensor");
  expect_error<Error>([&] { addbmm(ones({2, 2}), ones({3, 2, 4}), ones({2, 4, 2})); },
                      "batch1 and batch2 must have same number of batches, got 3 and 2");
  expect_error<Error>([&] { addbmm(ones({2, 2}), ones({3, 2, 4}), ones({3, 5, 2})); },
                      "Incompatible matrix sizes for bmm (2x4 and 5x2)");
  expect_error<Error>([&] { addbmm(ones({3}), ones({3, 2, 4}), ones({3, 4, 2})); },
                      "The expanded size of the tensor (2) must match the existing size (3)");
  expect_error<Error>([&] { addr(ones({2, 2}), ones({2, 1}), ones({2})); }, "addr: Expected 1-D argument vec1, but got 2-D");
  expect_error<Error>([&] { addr(ones({2, 2}), ones({2}), a23); }, "addr: Expected 1-D argument vec2, but got 2-D");
  expect_error<Error>([&] { inner(a23, ones({2, 4})); },
                      "inner() the last dimension must match on both input tensors but got shapes [2, 3] and [2, 4]");
  expect_error<Error>([&] { cross(ones({2, 2}), ones({2, 2})); }, "no dimension of size 3 in input");
  expect_error<Error>([&] { cross(ones({3, 2}), ones({1, 3, 2})); },
                      "linalg.cross: inputs must have the same number of dimensions.");
  expect_error<Error>([&] { cross(ones({4, 3}), ones({4, 3}), 0); },
                      "linalg.cross: inputs dimension 0 must have length 3. Got 4 and 4");
  expect_error<Error>([&] { cross(ones({3}), ones({3}, kFloat64)); }, "expected scalar type Float but found Double");
  expect_error<Error>([&] { trace(ones({3})); }, "trace: expected a matrix, but got tensor with dim 1");
  expect_error<Error>([&] { trace(ones({2, 2}, kBool)); }, "\"trace\" not implemented for 'Bool'");
  expect_error<Error>([&] { trace(ones({2, 2}, kFloat16)); }, "\"trace\" not implemented for 'Half'");
}

TEST(Linalg, EinsumErrors) {
  Tensor a23 = ones({2, 3});
  expect_error<Error>([&] { einsum("ij->i", {a23, ones({3})}); },
                      "einsum(): more operands were provided than specified in the equation");
  expect_error<Error>([&] { einsum("ij,jk->ik", {a23}); },
                      "einsum(): fewer operands were provided than specified in the equation");
  expect_error<Error>([&] { einsum("ij->i", {ones({2, 3, 4})}); },
                      "einsum(): the number of subscripts in the equation (2) does not match the number of dimensions "
                      "(3) for operand 0 and no ellipsis was given");
  expect_error<Error>([&] { einsum("ij...->i", {ones({2})}); },
                      "einsum(): the number of subscripts in the equation (2) is more than the number of dimensions (1) "
                      "for operand 0");
  expect_error<Error>([&] { einsum("i1->i", {a23}); },
                      "einsum(): invalid subscript given at index 1 in the equation string, subscripts must be in [a-zA-Z]");
  expect_error<Error>([&] { einsum("ij->ii", {a23}); }, "einsum(): output subscript i appears more than once in the output");
  expect_error<Error>([&] { einsum("ij->k", {a23}); },
                      "einsum(): output subscript k does not appear in the equation for any input operand");
  expect_error<Error>([&] { einsum("ii->i", {a23}); },
                      "einsum(): subscript i is repeated for operand 0 but the sizes don't match, 3 != 2");
  expect_error<Error>([&] { einsum("ij,ij->ij", {a23, ones({2, 4})}); },
                      "einsum(): subscript j has size 4 for operand 1 which does not broadcast with previously seen size 3");
  expect_error<Error>([&] { einsum("...i,...i->...", {a23, ones({4, 3})}); },
                      "einsum(): dimension 0 covered by ellipsis in operand 1has size 4 which does not broadcast with "
                      "previously seen ellipsis with size 2 for the respective dimension");
  expect_error<Error>([&] { einsum("...i...->i", {a23}); },
                      "einsum(): found '.' for operand 0 for which an ellipsis was already found");
  expect_error<Error>([&] { einsum("i,i->", {ones({2}), ones({2}, kFloat64)}); },
                      "expected scalar type Float but found Double");
}
