// Autograd of the linalg family: finite-difference gradcheck in float64 for every op, on broadcast,
// transposed, expanded and strided (diagonal) operands; gradgradcheck where double backward is used.
#include <gtest/gtest.h>

#include <random>

#include <ember/ember.h>

using namespace ember;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

Tensor leaf(IntArrayRef shape, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> dist;
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = dist(gen);
  return tensor(v, TensorOptions(kFloat64)).reshape(shape).detach().requires_grad_(true);
}

using Fn = std::function<Tensor(const tensor_list&)>;
autograd::GradcheckFn wrap(Fn f) {
  return [f](const tensor_list& x) { return tensor_list{f(x)}; };
}

}  // namespace

TEST(LinalgGrad, Mm) {
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return mm(x[0], x[1]); }), {leaf({2, 3}, 1), leaf({3, 4}, 2)}));
  // Transposed operands reach BLAS as transposed layouts; an expanded one is copied first.
  auto transposed = wrap([](const tensor_list& x) { return x[0].t().mm(x[1].t()); });
  EXPECT_TRUE(gradcheck(transposed, {leaf({3, 2}, 3), leaf({4, 3}, 4)}));
  EXPECT_TRUE(gradgradcheck(transposed, {leaf({3, 2}, 3), leaf({4, 3}, 4)}));
  auto expanded = wrap([](const tensor_list& x) { return x[0].expand({3, 4}).mm(x[1]); });
  EXPECT_TRUE(gradcheck(expanded, {leaf({1, 4}, 5), leaf({4, 2}, 6)}));
  EXPECT_TRUE(gradgradcheck(wrap([](const tensor_list& x) { return mm(x[0], x[1]); }), {leaf({2, 3}, 1), leaf({3, 4}, 2)}));
}

TEST(LinalgGrad, MatmulCases) {
  struct Case {
    std::vector<int64_t> a, b;
  };
  std::vector<Case> cases = {{{3}, {3}},          {{2, 3}, {3}},       {{3}, {3, 4}},       {{2, 3}, {3, 4}},
                             {{2, 2, 3}, {2, 3, 4}}, {{2, 3, 4}, {4}},    {{3}, {2, 3, 4}},    {{2, 3, 4}, {4, 2}},
                             {{2, 3}, {2, 3, 2}},    {{2, 1, 2, 3}, {3, 3, 2}}, {{1, 2, 3}, {2, 1, 3, 2}}};
  unsigned seed = 10;
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::Message() << IntArrayRef(c.a) << " @ " << IntArrayRef(c.b));
    tensor_list in = {leaf(c.a, seed++), leaf(c.b, seed++)};
    auto f = wrap([](const tensor_list& x) { return matmul(x[0], x[1]); });
    EXPECT_TRUE(gradcheck(f, in));
    EXPECT_TRUE(gradgradcheck(f, in));
  }
  // Batched with transposed matrix dims and broadcast batch dims.
  auto f = wrap([](const tensor_list& x) { return x[0].transpose(-1, -2).matmul(x[1].permute({0, 2, 1})); });
  EXPECT_TRUE(gradcheck(f, {leaf({2, 1, 3, 2}, 40), leaf({3, 4, 3}, 41)}));
  EXPECT_TRUE(gradgradcheck(f, {leaf({2, 1, 3, 2}, 40), leaf({3, 4, 3}, 41)}));
}

TEST(LinalgGrad, Bmm) {
  auto f = wrap([](const tensor_list& x) { return bmm(x[0], x[1]); });
  EXPECT_TRUE(gradcheck(f, {leaf({2, 2, 3}, 1), leaf({2, 3, 4}, 2)}));
  EXPECT_TRUE(gradgradcheck(f, {leaf({2, 2, 3}, 1), leaf({2, 3, 4}, 2)}));
  auto t = wrap([](const tensor_list& x) { return x[0].transpose(1, 2).bmm(x[1].permute({1, 0, 2})); });
  EXPECT_TRUE(gradcheck(t, {leaf({2, 3, 2}, 3), leaf({3, 2, 4}, 4)}));
  EXPECT_TRUE(gradgradcheck(t, {leaf({2, 3, 2}, 3), leaf({3, 2, 4}, 4)}));
}

TEST(LinalgGrad, AddProducts) {
  auto addmm_f = wrap([](const tensor_list& x) { return addmm(x[0], x[1], x[2].t(), 0.5, -2.0); });
  EXPECT_TRUE(gradcheck(addmm_f, {leaf({4}, 1), leaf({2, 3}, 2), leaf({4, 3}, 3)}));
  EXPECT_TRUE(gradgradcheck(addmm_f, {leaf({4}, 1), leaf({2, 3}, 2), leaf({4, 3}, 3)}));
  auto addmv_f = wrap([](const tensor_list& x) { return addmv(x[0], x[1].t(), x[2], 2.0, 0.5); });
  EXPECT_TRUE(gradcheck(addmv_f, {leaf({}, 4), leaf({3, 2}, 5), leaf({3}, 6)}));
  EXPECT_TRUE(gradgradcheck(addmv_f, {leaf({}, 4), leaf({3, 2}, 5), leaf({3}, 6)}));
  auto baddbmm_f = wrap([](const tensor_list& x) { return baddbmm(x[0], x[1], x[2].transpose(1, 2), -1.0, 3.0); });
  EXPECT_TRUE(gradcheck(baddbmm_f, {leaf({1, 4}, 7), leaf({2, 3, 2}, 8), leaf({2, 4, 2}, 9)}));
  EXPECT_TRUE(gradgradcheck(baddbmm_f, {leaf({1, 4}, 7), leaf({2, 3, 2}, 8), leaf({2, 4, 2}, 9)}));
  // A float64 self added to a float32 product: its gradient comes back in float64.
  Tensor self = leaf({2, 3, 4}, 10);
  Tensor b1 = leaf({2, 3, 2}, 11).detach().to(kFloat32), b2 = leaf({2, 2, 4}, 12).detach().to(kFloat32);
  baddbmm(self, b1, b2).sum().backward();
  EXPECT_EQ(self.grad().dtype(), kFloat64);
}

TEST(LinalgGrad, VectorProducts) {
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return dot(x[0], x[1]); }), {leaf({4}, 1), leaf({4}, 2)}));
  // A diagonal is a strided view (stride n + 1): dot takes it without a copy.
  auto strided = wrap([](const tensor_list& x) { return einsum("ii->i", {x[0]}).dot(x[1]); });
  EXPECT_TRUE(gradcheck(strided, {leaf({3, 3}, 3), leaf({3}, 4)}));
  EXPECT_TRUE(gradgradcheck(strided, {leaf({3, 3}, 3), leaf({3}, 4)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return vdot(x[0], x[1]); }), {leaf({3}, 5), leaf({3}, 6)}));
  auto mv_f = wrap([](const tensor_list& x) { return mv(x[0].t(), x[1]); });
  EXPECT_TRUE(gradcheck(mv_f, {leaf({3, 2}, 7), leaf({3}, 8)}));
  EXPECT_TRUE(gradgradcheck(mv_f, {leaf({3, 2}, 7), leaf({3}, 8)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return outer(x[0], x[1]); }), {leaf({3}, 9), leaf({2}, 10)}));
  EXPECT_TRUE(gradgradcheck(wrap([](const tensor_list& x) { return dot(x[0], x[1]); }), {leaf({4}, 1), leaf({4}, 2)}));
}

TEST(LinalgGrad, Einsum) {
  struct Case {
    const char* eq;
    std::vector<std::vector<int64_t>> shapes;
  };
  std::vector<Case> cases = {
      {"ij,jk->ik", {{2, 3}, {3, 4}}},
      {"bij,bjk", {{2, 2, 3}, {2, 3, 2}}},
      {"ii->i", {{3, 3}}},
      {"iij,jk->ik", {{2, 2, 3}, {3, 2}}},
      {"ij->", {{2, 3}}},
      {"i,j->ij", {{3}, {2}}},
      {"ij,ij->ij", {{2, 1}, {2, 3}}},
      {"...ij,...jk->...ik", {{2, 1, 2, 3}, {2, 3, 2}}},
      {"...ii->...i", {{2, 3, 3}}},
      {"bn,anm,bm->ba", {{2, 3}, {2, 3, 2}, {2, 2}}},
      {"i,->i", {{3}, {}}},
  };
  unsigned seed = 100;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.eq);
    tensor_list in;
    for (const auto& s : c.shapes) in.push_back(leaf(s, seed++));
    std::string eq = c.eq;
    auto f = wrap([eq](const tensor_list& x) { return einsum(eq, x); });
    EXPECT_TRUE(gradcheck(f, in));
    EXPECT_TRUE(gradgradcheck(f, in));
  }
  auto t = wrap([](const tensor_list& x) { return einsum("ij,jk->ik", {x[0].t(), x[1]}); });
  EXPECT_TRUE(gradcheck(t, {leaf({3, 2}, 200), leaf({3, 2}, 201)}));
}

TEST(LinalgGrad, TensordotKronTriangles) {
  auto td = wrap([](const tensor_list& x) { return tensordot(x[0], x[1], {0, 2}, {1, 0}); });
  EXPECT_TRUE(gradcheck(td, {leaf({3, 2, 2}, 1), leaf({2, 3, 2}, 2)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return tensordot(x[0].t(), x[1], 1); }),
                        {leaf({3, 2}, 3), leaf({3, 2}, 4)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return tensordot(x[0], x[1], {1}, {0}); }),
                        {leaf({2, 3}, 5), leaf({1, 2}, 6)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return kron(x[0], x[1].t()); }),
                        {leaf({2, 2}, 7), leaf({3, 2}, 8)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return kron(x[0], x[1]); }), {leaf({2, 1, 2}, 9), leaf({3}, 10)}));
  auto tri = wrap([](const tensor_list& x) { return x[0].transpose(1, 2).tril(-1) + x[0].triu(1) * 2; });
  EXPECT_TRUE(gradcheck(tri, {leaf({2, 3, 3}, 11)}));
  EXPECT_TRUE(gradgradcheck(tri, {leaf({2, 3, 3}, 11)}));
  auto in_place = wrap([](const tensor_list& x) {
    Tensor y = x[0] * 2;
    y.tril_(1);
    return y.triu_(-1);
  });
  EXPECT_TRUE(gradcheck(in_place, {leaf({4, 3}, 12)}));
  EXPECT_TRUE(gradgradcheck(in_place, {leaf({4, 3}, 12)}));
}

TEST(LinalgGrad, Compositions) {
  auto addbmm_fn = wrap([](const tensor_list& x) { return addbmm(x[0], x[1].transpose(1, 2), x[2], 0.5, -2); });
  EXPECT_TRUE(gradcheck(addbmm_fn, {leaf({3}, 1), leaf({2, 4, 3}, 2), leaf({2, 4, 3}, 3)}));
  EXPECT_TRUE(gradgradcheck(addbmm_fn, {leaf({3}, 1), leaf({2, 4, 3}, 2), leaf({2, 4, 3}, 3)}));
  auto addr_fn = wrap([](const tensor_list& x) { return x[0].addr(x[1], x[2].diagonal(), 2, 3); });
  EXPECT_TRUE(gradcheck(addr_fn, {leaf({2, 3}, 4), leaf({2}, 5), leaf({3, 3}, 6)}));
  EXPECT_TRUE(gradgradcheck(addr_fn, {leaf({2, 3}, 4), leaf({2}, 5), leaf({3, 3}, 6)}));
  auto inner_fn = wrap([](const tensor_list& x) { return inner(x[0].t(), x[1]); });
  EXPECT_TRUE(gradcheck(inner_fn, {leaf({3, 2}, 7), leaf({4, 3}, 8)}));
  auto cross_fn = wrap([](const tensor_list& x) { return cross(x[0], x[1].expand({4, 3}), 1); });
  EXPECT_TRUE(gradcheck(cross_fn, {leaf({4, 3}, 9), leaf({1, 3}, 10)}));
  EXPECT_TRUE(gradgradcheck(cross_fn, {leaf({4, 3}, 9), leaf({1, 3}, 10)}));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& x) { return x[0].t().trace(); }), {leaf({3, 4}, 11)}));
}

TEST(LinalgGrad, ZeroSize) {
  auto f = wrap([](const tensor_list& x) { return matmul(x[0], x[1]); });
  EXPECT_TRUE(gradcheck(f, {leaf({2, 0}, 1), leaf({0, 3}, 2)}));
  EXPECT_TRUE(gradcheck(f, {leaf({0, 3}, 1), leaf({3, 2}, 2)}));
}
