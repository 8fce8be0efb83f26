// The CUDA backend against the CPU backend: every result computed on the GPU is brought back and compared
// with the same op on the CPU (exactly for integers, bools and copies; to float tolerance otherwise).
// Without a GPU (or without the backend) the GPU tests skip with a message, and the tests of what a
// CPU-only machine must do (report no devices, refuse CUDA tensors with PyTorch's message) run instead.
#include <algorithm>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ember/ember.h>

#include "cuda_test_util.h"
#include "error_test_util.h"

using namespace ember;
using namespace cuda_test;

TEST(CudaWithoutGpu, ReportsNoDevicesAndRefusesCudaTensors) {
  if (cuda::is_available()) GTEST_SKIP() << "a CUDA device is present (test for machines without one)";
  EXPECT_EQ(cuda::device_count(), 0);
  EXPECT_EQ(cuda::memory_allocated(), 0);
  EXPECT_EQ(cuda::memory_reserved(), 0);
  std::string err = error_of([] { (void)ember::zeros({2}, TensorOptions().device(kGpu)); });
  EXPECT_TRUE(err.find("Torch not compiled with CUDA enabled") != std::string::npos ||
              err.find("no CUDA GPUs are available") != std::string::npos)
      << err;
  err = error_of([] { (void)ember::ones({3}).cuda(); });
  EXPECT_FALSE(err.empty());
  EXPECT_FALSE(error_of([] { cuda::synchronize(); }).empty());
  for (auto f : {+[] { (void)cuda::current_device(); }, +[] { cuda::set_device(0); },
                 +[] { (void)cuda::get_device_properties(); }, +[] { (void)cuda::mem_get_info(); }}) {
    err = error_of(f);
    EXPECT_TRUE(err.find("Torch not compiled with CUDA enabled") != std::string::npos ||
                err.find("no CUDA GPUs are available") != std::string::npos)
        << err;
  }
  EXPECT_FALSE(error_of([] { (void)cuda::getCurrentCUDAStream(); }).empty());
  EXPECT_FALSE(error_of([] { (void)cuda::getStreamFromPool(); }).empty());
  // An event is made on its first record: before that it has passed and waiting on it does nothing.
  cuda::CUDAEvent never;
  EXPECT_FALSE(never.isCreated());
  EXPECT_TRUE(never.query());
  never.synchronize();
  EXPECT_FALSE(error_of([&] { never.record(); }).empty());
  cuda::CUDAEvent timed(cuda::kEventDefault), other(cuda::kEventDefault);
  EXPECT_EQ(error_of([&] { (void)timed.elapsed_time(other); }),
            "Both events must be recorded before calculating elapsed time.");
  EXPECT_EQ(error_of([&] { (void)never.elapsed_time(other); }),
            "Both events must be created with argument 'enable_timing=True'.");
  // A device named in the options of a *_like factory is the one asked for, not the input's.
  for (auto make : {+[](const Tensor& t) { return empty_like(t, TensorOptions().device(kGpu)); },
                    +[](const Tensor& t) { return zeros_like(t, kGpu); },
                    +[](const Tensor& t) { return full_like(t, 2, kGpu); },
                    +[](const Tensor& t) { return randn_like(t, kGpu); }})
    EXPECT_FALSE(error_of([&] { (void)make(ones({2})); }).empty());
}

TEST(Cuda, RoundTripKeepsEveryDtypeBitForBit) {
  REQUIRE_GPU();
  for (DType dt : kAllDtypes) {
    Tensor c = sample({3, 5, 7}, dt);
    Tensor g = c.to(kGpu);
    EXPECT_TRUE(g.is_cuda());
    EXPECT_EQ(g.device().str(), "cuda:0");
    EXPECT_EQ(g.dtype(), dt);
    EXPECT_TRUE(equal(g.cpu(), c)) << std::string(dtype_title(dt));
    // Strided sources on either side, a cast on the way.
    expect_matches(c.transpose(0, 2).cuda(), c.transpose(0, 2).contiguous(), "transposed upload");
    expect_matches(g.slice(1, 1, 5, 2), c.slice(1, 1, 5, 2), "sliced view");
    EXPECT_TRUE(equal(g.transpose(0, 2).cpu(), c.transpose(0, 2)));
    expect_matches(g.to(kFloat64), c.to(kFloat64), "cast on the GPU");
  }
}

TEST(Cuda, CopyIntoStridedAndBroadcastDestinations) {
  REQUIRE_GPU();
  Tensor c = sample({4, 6}, kFloat32);
  Tensor g = zeros({6, 4}, TensorOptions().device(kGpu));
  g.t().copy_(c);  // host to a transposed device view
  EXPECT_TRUE(equal(g.cpu(), c.t().contiguous()));
  Tensor host = zeros({6, 4});
  host.t().copy_(c.cuda());  // device to a transposed host view
  EXPECT_TRUE(equal(host, c.t().contiguous()));
  Tensor row = sample({6}, kFloat64);
  Tensor gb = empty({3, 6}, TensorOptions().device(kGpu));
  gb.copy_(row);  // broadcast and cast across the bus
  EXPECT_TRUE(equal(gb.cpu(), row.to(kFloat32).expand({3, 6})));
  Tensor e = empty({0, 3}).cuda();
  EXPECT_EQ(e.numel(), 0);
  EXPECT_TRUE(e.is_cuda());
}

TEST(Cuda, UnaryOpsMatchCpuOnEveryDtype) {
  REQUIRE_GPU();
  std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> ops = {
#define EMBER_UNARY_OP(name, F, R) {#name, [](const Tensor& t) { return ember::name(t); }},
#include <ember/ops/pointwise.def>
      {"round(decimals=2)", [](const Tensor& t) { return ember::round(t, 2); }},
      {"logit(eps)", [](const Tensor& t) { return ember::logit(t, 0.1); }},
      {"nan_to_num", [](const Tensor& t) { return ember::nan_to_num(ember::log(t), 0.5, 7.0, -7.0); }},
  };
  for (DType dt : kAllDtypes) {
    Tensor c = sample({5, 4, 3}, dt);
    const std::vector<std::function<Tensor(const Tensor&)>> views = {
        [](const Tensor& t) { return t; }, [](const Tensor& t) { return t.transpose(0, 2); },
        [](const Tensor& t) { return t.slice(1, 0, 4, 3); }};
    for (const auto& view : views)
      for (auto& [name, f] : ops) {
        const auto& op = f;
        same_on_both(std::string(name) + " on " + std::string(dtype_title(dt)),
                     [&](const std::vector<Tensor>& v) { return op(view(v[0])); }, {c});
      }
  }
}

TEST(Cuda, BinaryOpsBroadcastAcrossStridesAndDtypes) {
  REQUIRE_GPU();
  std::vector<std::pair<const char*, std::function<Tensor(const Tensor&, const Tensor&)>>> ops = {
#define EMBER_BINARY_OP(name, F, R) {#name, [](const Tensor& a, const Tensor& b) { return ember::name(a, b); }},
#include <ember/ops/pointwise.def>
      {"add", [](const Tensor& a, const Tensor& b) { return ember::add(a, b); }},
      {"add(alpha=3)", [](const Tensor& a, const Tensor& b) { return ember::add(a, b, 3); }},
      {"sub", [](const Tensor& a, const Tensor& b) { return ember::sub(a, b); }},
      {"div(trunc)", [](const Tensor& a, const Tensor& b) { return ember::div(a, b, "trunc"); }},
      {"div(floor)", [](const Tensor& a, const Tensor& b) { return ember::div(a, b, "floor"); }},
      {"where", [](const Tensor& a, const Tensor& b) { return ember::where(a > b, a, b); }},
      {"lerp", [](const Tensor& a, const Tensor& b) { return ember::lerp(a, b, 0.25); }},
      {"addcmul", [](const Tensor& a, const Tensor& b) { return ember::addcmul(a, a, b, 0.5); }},
      {"clamp", [](const Tensor& a, const Tensor& b) { return ember::clamp(a, b, b + 1); }},
  };
  for (DType dt : kAllDtypes) {
    // Divisors and shift counts from 1 to 5: integer division by zero raises on the CPU only.
    // b is a strided view (a column of a 3-D tensor) on both devices. Divisors and shift counts run
    // from 1 to 5: integer division by zero raises on the CPU only.
    Tensor a = sample({4, 1, 6}, dt), b = sample({5, 6, 2}, dt, 1, 6);
    for (auto& [name, f] : ops) {
      const auto& op = f;
      std::string what = std::string(name) + " on " + std::string(dtype_title(dt));
      same_on_both(what, [&](const std::vector<Tensor>& v) { return op(v[0], v[1].select(2, 1)); }, {a, b});
      // Type promotion across dtypes, as on the CPU.
      same_on_both(what + " with float32",
                   [&](const std::vector<Tensor>& v) { return op(v[0], v[1].select(2, 1).to(kFloat32)); }, {a, b});
    }
  }
  Tensor x = sample({3, 4}, kFloat32);
  expect_matches(x.cuda() * 2.5, x * 2.5, "tensor * number");
  expect_matches(x.cuda().add_(x.cuda(), 2), x.clone().add_(x, 2), "add_ in place");
}

TEST(Cuda, ReductionsMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16, kInt32, kInt64, kBool, kUInt8}) {
    Tensor c = sample({6, 5, 7}, dt, -3, 4);
    std::string t = std::string(dtype_title(dt));
    using V = const std::vector<Tensor>&;
    const std::vector<std::pair<std::string, TensorFn>> checks = {
        {"sum", [](V v) { return sum(v[0]); }},
        {"sum(1)", [](V v) { return sum(v[0], {1}); }},
        {"sum(0,2,keepdim)", [](V v) { return sum(v[0], {0, 2}, true); }},
        {"sum over a strided view", [](V v) { return sum(v[0].transpose(0, 2), {1}); }},
        {"amax", [](V v) { return amax(v[0], {1}); }},
        {"amin", [](V v) { return amin(v[0], {0, 2}); }},
        {"argmax", [](V v) { return argmax(v[0], 2); }},
        {"argmin", [](V v) { return argmin(v[0]); }},
        {"max values", [](V v) { return std::get<0>(max(v[0], 1)); }},
        {"max indices", [](V v) { return std::get<1>(max(v[0], 1)); }},
        {"min indices of a transposed view", [](V v) { return std::get<1>(min(v[0].transpose(1, 2), 2)); }},
        {"prod", [](V v) { return prod(v[0], 1); }},
        {"mean", [](V v) { return mean(v[0], {0, 1}); }},
        {"var", [](V v) { return v[0].var(1); }},
        {"all", [](V v) { return v[0].all(); }},
        {"any(1)", [](V v) { return v[0].any(1); }},
    };
    for (const auto& [name, f] : checks) same_on_both(name + " " + t, f, {c});
  }
  // A NaN wins max and argmax; an empty sum is 0.
  Tensor n = tensor({1.0f, NAN, 3.0f});
  expect_matches(amax(n.cuda(), {0}), amax(n, {0}), "amax with NaN");
  expect_matches(argmax(n.cuda()), argmax(n), "argmax with NaN");
  expect_matches(sum(empty({0, 3}).cuda(), {0}), sum(empty({0, 3}), {0}), "empty sum");
  // Accurate summation: 1e7 float32 ones and a multi-pass full reduction.
  EXPECT_EQ(sum(ones({10000000}).cuda()).item<float>(), 1e7f);
  Tensor big = sample({1 << 22}, kFloat64);
  expect_matches(sum(big.to(kFloat32).cuda()).to(kFloat64), sum(big.to(kFloat32)).to(kFloat64), "sum of 4M");
}

TEST(Cuda, MatmulFamilyMatchesCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    Tensor a = sample({33, 17}, dt), b = sample({17, 45}, dt);
    std::string t = std::string(dtype_title(dt));
    // The CPU computes reduced floats in float32; the GPU in float32 accumulators too.
    const DType acc = dt == kFloat64 ? kFloat64 : kFloat32;
    auto ref = [&](const Tensor& x, const Tensor& y) { return matmul(x.to(acc), y.to(acc)).to(dt); };
    expect_matches(mm(a.cuda(), b.cuda()), ref(a, b), "mm " + t);
    Tensor a_cm = a.t().contiguous().cuda().t(), b_cm = b.t().contiguous().cuda().t();  // column-major
    expect_matches(mm(a_cm, b_cm), ref(a, b), "mm with column-major operands " + t);
    expect_matches(mm(a_cm, b.cuda()), ref(a, b), "mm with a column-major A " + t);
    Tensor ba = sample({3, 2, 8, 5}, dt), bb = sample({2, 5, 4}, dt);
    expect_matches(matmul(ba.cuda(), bb.cuda()), ref(ba, bb), "batched matmul with broadcast " + t);
    Tensor v = sample({17}, dt);
    expect_matches(matmul(a.cuda(), v.cuda()), ref(a, v), "matrix-vector " + t);
    expect_matches(matmul(v.cuda(), b.cuda()), ref(v, b), "vector-matrix " + t);
    Tensor sf = sample({5, 3, 7}, dt), rf = sample({5, 8, 4}, dt);
    Tensor gs = sf.cuda().slice(2, 0, 7, 2), gr = rf.cuda().slice(1, 0, 8, 2);  // strided on the GPU
    expect_matches(matmul(gs, gr), ref(sf.slice(2, 0, 7, 2), rf.slice(1, 0, 8, 2)), "strided batched operands " + t);
    expect_matches(bmm(gs, gr), ref(sf.slice(2, 0, 7, 2), rf.slice(1, 0, 8, 2)), "bmm " + t);
    Tensor c = sample({33, 45}, dt);
    expect_matches(addmm(c.cuda(), a.cuda(), b.cuda(), 0.5, 2.0),
                   (c.to(acc) * 0.5 + matmul(a.to(acc), b.to(acc)) * 2.0).to(dt), "addmm " + t);
    // A bias vector goes through cuBLASLt's epilogue: single rows and columns, alpha, linear's 3-D input.
    Tensor bias = sample({45}, dt);
    auto with_bias = [&](const Tensor& x, const Tensor& y, double alpha) {
      return (bias.to(acc) + matmul(x.to(acc), y.to(acc)) * alpha).to(dt);
    };
    expect_matches(addmm(bias.cuda(), a.cuda(), b.cuda()), with_bias(a, b, 1), "addmm with a bias " + t);
    expect_matches(addmm(bias.cuda(), a.cuda(), b.cuda(), 1, 3.0), with_bias(a, b, 3), "addmm bias alpha " + t);
    expect_matches(addmm(bias.cuda(), a.slice(0, 0, 1).cuda(), b.cuda()), with_bias(a.slice(0, 0, 1), b, 1),
                   "addmm bias, one row " + t);
    expect_matches(addmm(bias.slice(0, 0, 1).cuda(), a.cuda(), b.slice(1, 0, 1).cuda()),
                   (bias.slice(0, 0, 1).to(acc) + matmul(a.to(acc), b.slice(1, 0, 1).to(acc))).to(dt),
                   "addmm bias, one column " + t);
    Tensor w = sample({45, 17}, dt), x3 = sample({2, 6, 17}, dt);
    expect_matches(nn::functional::linear(x3.cuda(), w.cuda(), bias.cuda()),
                   (matmul(x3.to(acc), w.t().to(acc)) + bias.to(acc)).to(dt), "linear with bias " + t);
    // _addmm_activation: relu, and on CUDA the tanh GELU of cuBLASLt's epilogue (as PyTorch's), with a
    // bias vector, with a 2-D input scaled by beta, and (no epilogue) with k == 0.
    for (bool gelu : {false, true}) {
      auto act = [&](const Tensor& y) { return (gelu ? ember::gelu(y, "tanh") : y.relu()).to(dt); };
      const std::string what = std::string(gelu ? " gelu " : " relu ") + t;
      expect_matches(_addmm_activation(bias.cuda(), a.cuda(), b.cuda(), 1, 1, gelu), act(with_bias(a, b, 1).to(acc)),
                     "_addmm_activation with a bias" + what);
      expect_matches(_addmm_activation(c.cuda(), a.cuda(), b.cuda(), 0.5, 2.0, gelu),
                     act(c.to(acc) * 0.5 + matmul(a.to(acc), b.to(acc)) * 2.0), "_addmm_activation of addmm" + what);
      expect_matches(_addmm_activation(bias.cuda(), empty({3, 0}, dt).cuda(), empty({0, 45}, dt).cuda(), 1, 1, gelu),
                     act(bias.to(acc).expand({3, 45})), "_addmm_activation with k == 0" + what);
    }
  }
  // k == 0: the product is zeros; beta scales the input.
  Tensor z = mm(empty({3, 0}).cuda(), empty({0, 4}).cuda());
  expect_matches(z, zeros({3, 4}), "mm with k == 0");
}

TEST(Cuda, CpuScalarTensorsJoinGpuOpsAsPyTorchAllows) {
  REQUIRE_GPU();
  Tensor x = sample({4, 5}, kFloat32), g = x.cuda();
  Tensor two = tensor(2.0);  // a CPU float64 0-dim tensor: a scalar to type promotion, so float32 results
  for (const auto& [name, got, want] : std::vector<std::tuple<std::string, Tensor, Tensor>>{
           {"cuda + cpu scalar", g + two, x + two},
           {"cpu scalar * cuda", two * g, two * x},
           {"comparison", g > two, x > two},
           {"where", where(g > 0, g, two), where(x > 0, x, two)},
           {"clamp", clamp(g, tensor(-1.0), tensor(3.0)), clamp(x, tensor(-1.0), tensor(3.0))},
           {"addcmul", addcmul(g, g, two, 0.5), addcmul(x, x, two, 0.5)},
           {"masked_fill", g.masked_fill(g > 0, two), x.masked_fill(x > 0, two)}}) {
    EXPECT_TRUE(got.is_cuda()) << name;
    EXPECT_EQ(got.dtype(), want.dtype()) << name;
    expect_matches(got, want, name);
  }
  Tensor inplace = g.clone();
  inplace.mul_(two).add_(tensor(1.0));
  expect_matches(inplace, x * 2 + 1, "in-place ops with cpu scalars");
  // The result lives where self does, so a CPU scalar cannot take a CUDA operand in place; a CPU
  // tensor with dims is no scalar.
  EXPECT_FALSE(error_of([&] { tensor(2.0).add_(g.sum()); }).empty());
  EXPECT_NE(error_of([&] { (void)(g + x); }).find("Expected all tensors to be on the same device"), std::string::npos);
  // The gradient of the CPU scalar comes back to the CPU.
  Tensor s = tensor(3.0).requires_grad_(true);
  Tensor w = g.requires_grad_(true);
  (w * s).sum().backward();
  ASSERT_TRUE(s.grad().defined());
  EXPECT_TRUE(s.grad().is_cpu());
  EXPECT_NEAR(s.grad().item<double>(), x.sum().item<double>(), 1e-3);
  expect_matches(w.grad(), full({4, 5}, 3.0f), "gradient of the CUDA operand");
}

TEST(Cuda, LogsumexpAndReductionGradientsMatchCpu) {
  REQUIRE_GPU();
  // Ties share max/min's gradient; an infinite max is not subtracted in logsumexp; a NaN result makes the
  // gradient NaN.
  Tensor x = tensor({{1.0, 3.0, 3.0, -2.0}, {INFINITY, 0.5, -1.0, 2.0}, {-INFINITY, -INFINITY, 0.0, 1.0}});
  Tensor n = tensor({1.0, NAN, 3.0});
  using G = std::function<Tensor(const Tensor&)>;
  const std::vector<std::pair<std::string, G>> fs = {
      {"max()", [](const Tensor& t) { return t.max(); }},
      {"min()", [](const Tensor& t) { return t.min(); }},
      {"amax(1)", [](const Tensor& t) { return amax(t, {1}); }},
      {"logsumexp(1)", [](const Tensor& t) { return logsumexp(t, {1}); }},
      {"logsumexp(0, keepdim)", [](const Tensor& t) { return logsumexp(t, {0}, true); }},
  };
  for (DType dt : {kFloat32, kFloat64})
    for (const Tensor& in : {x, n, sample({5, 6}, kFloat64)})
      for (const auto& [name, f] : fs) {
        if (in.dim() == 1 && name.find("(1)") != std::string::npos) continue;
        const std::string what = name + " " + std::string(dtype_title(dt)) + " of " + std::to_string(in.dim()) + "-d";
        Tensor c = in.to(dt).detach().requires_grad_(), g = in.to(dt).cuda().detach().requires_grad_();
        Tensor yc = f(c), yg = f(g);
        expect_matches(yg, yc, what);
        Tensor up = ones_like(yc) * 0.5;
        yc.backward(up);
        yg.backward(up.cuda());
        expect_matches(g.grad(), c.grad(), what + " gradient");
      }
}

TEST(Cuda, AutogradRunsOnTheGpuAndAcrossDevices) {
  REQUIRE_GPU();
  Tensor x = sample({4, 3}, kFloat64).cuda().requires_grad_(true);
  Tensor w = sample({3, 2}, kFloat64).cuda().requires_grad_(true);
  Tensor loss = (matmul(x, w).sin() * x.sum(1, true)).sum();
  loss.backward();
  ASSERT_TRUE(x.grad().is_cuda());
  // The same graph on the CPU gives the same gradients.
  Tensor xc = x.detach().cpu().requires_grad_(true), wc = w.detach().cpu().requires_grad_(true);
  (matmul(xc, wc).sin() * xc.sum(1, true)).sum().backward();
  expect_matches(x.grad(), xc.grad(), "grad x");
  expect_matches(w.grad(), wc.grad(), "grad w");
  // Through a device copy: the gradient comes back to the CPU leaf.
  Tensor h = sample({5}, kFloat32).requires_grad_(true);
  (h.cuda() * 3).sum().backward();
  ASSERT_TRUE(h.grad().is_cpu());
  EXPECT_TRUE(equal(h.grad(), full({5}, 3.0f)));
}

TEST(Cuda, CrossEntropyAndItsFusedBackwardMatchCpu) {
  REQUIRE_GPU();
  Generator gen(5);
  for (DType dt : {kFloat32, kFloat64})
    for (const char* r : {"none", "mean", "sum"})
      for (bool weighted : {false, true}) {
        const std::string what = std::string(dtype_title(dt)) + " " + r + (weighted ? " weighted" : "");
        Tensor x = (randn({300, 10}, gen) * 4).to(dt), t = randint(0, 10, {300}, gen);
        t.narrow(0, 0, 7).fill_(-100);  // ignored targets
        Tensor w = (rand({10}, gen) + 0.5).to(dt), up = randn({300}, gen).to(dt);
        auto run = [&](Device d, Tensor* grad) {
          Tensor xi = x.to(d).detach().requires_grad_();
          std::optional<Tensor> wd;
          if (weighted) wd = w.to(d);
          Tensor loss = nn::functional::cross_entropy(xi, t.to(d), wd, -100, r);
          loss.backward(std::string(r) == "none" ? up.to(d) : Tensor());
          *grad = xi.grad();
          return loss;
        };
        Tensor gc, gg;
        Tensor lc = run(Device(kCPU), &gc), lg = run(kGpu, &gg);
        expect_matches(lg, lc, "cross_entropy " + what);
        expect_matches(gg, gc, "cross_entropy gradient " + what);
      }
}

TEST(Cuda, CtcLossAndItsGradientMatchCpu) {
  REQUIRE_GPU();
  namespace F = nn::functional;
  // Padded and concatenated targets (on the GPU or left on the CPU), a repeated label, an empty target,
  // a sample too short for its labels (infinite loss; zeroed under zero_infinity), a sample of no frames,
  // more states than a block has threads, and an unbatched input.
  Tensor padded = tensor({{1L, 2L, 2L, 3L}, {4L, 0L, 0L, 0L}, {3L, 3L, 3L, 3L}, {2L, 1L, 0L, 0L}, {1L, 0L, 0L, 0L}});
  Tensor cat = tensor({1L, 2L, 2L, 3L, 4L, 3L, 3L, 3L, 3L, 2L, 1L, 1L});
  const std::vector<int64_t> il = {12, 7, 5, 9, 0}, tl = {4, 1, 4, 2, 1};
  Tensor long_targets = randint(1, 6, {2, 200});
  for (DType dt : {kFloat32, kFloat64}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor logits = sample({12, 5, 6}, dt);
    for (bool zero_inf : {false, true})
      for (const char* r : {"none", "mean", "sum"})
        for (const Tensor& tg : {padded, cat}) {
          const std::string what = std::string("ctc ") + r + (zero_inf ? " zero_infinity" : "") +
                                   (tg.dim() == 1 ? " concatenated" : " padded") + t;
          Tensor c = logits.detach().requires_grad_(), g = logits.cuda().requires_grad_();
          Tensor lc = F::ctc_loss(F::log_softmax(c, 2), tg, il, tl, 0, r, zero_inf);
          for (const Tensor& gpu_tg : {tg.cuda(), tg}) {
            g.mutable_grad() = Tensor();
            Tensor lg = F::ctc_loss(F::log_softmax(g, 2), gpu_tg, il, tl, 0, r, zero_inf);
            expect_matches(lg, lc, what);
            Tensor up = ones_like(lc) * 0.75;
            lg.backward(up.cuda());
            if (!c.grad().defined()) lc.backward(up);
            expect_matches(g.grad(), c.grad(), what + " gradient");
          }
        }
    Tensor lp = F::log_softmax(sample({300, 2, 6}, dt), 2);
    expect_matches(F::ctc_loss(lp.cuda(), long_targets, {300, 290}, {200, 150}, 0, "none"),
                   F::ctc_loss(lp, long_targets, {300, 290}, {200, 150}, 0, "none"), "ctc of 401 states" + t);
    Tensor u = F::log_softmax(sample({7, 6}, dt), 1);
    expect_matches(F::ctc_loss(u.cuda(), tensor({1L, 2L}).cuda(), {7}, {2}), F::ctc_loss(u, tensor({1L, 2L}), {7}, {2}),
                   "unbatched ctc" + t);
  }
}

TEST(Cuda, DevicePropertiesAndTheOneDevice) {
  REQUIRE_GPU();
  EXPECT_EQ(cuda::current_device(), 0);
  cuda::set_device(0);
  const cuda::DeviceProperties p = cuda::get_device_properties();
  EXPECT_FALSE(p.name.empty());
  EXPECT_GE(p.major, 8);  // the build targets sm_80 and later
  EXPECT_GT(p.multi_processor_count, 0);
  const auto [free, total] = cuda::mem_get_info();
  EXPECT_EQ(total, p.total_memory);
  EXPECT_GT(free, 0);
  EXPECT_LE(free, total);
  // A second GPU is refused, whether the machine has one or not.
  const std::string second = error_of([] { cuda::set_device(1); });
  EXPECT_TRUE(second.find("ember drives one GPU per process") != std::string::npos ||
              second.find("Invalid device id") != std::string::npos)
      << second;
  EXPECT_NE(error_of([] { (void)cuda::get_device_properties(cuda::device_count()); }).find("Invalid device id"),
            std::string::npos);
}

TEST(Cuda, CachingAllocatorReusesAndReports) {
  REQUIRE_GPU();
  cuda::synchronize();
  cuda::empty_cache();
  const int64_t base = cuda::memory_allocated();
  {
    Tensor t = empty({1000}, TensorOptions().device(kGpu));  // 4000 bytes, rounded to 4096
    EXPECT_EQ(cuda::memory_allocated() - base, 4096);
    EXPECT_GE(cuda::memory_reserved(), cuda::memory_allocated());
  }
  EXPECT_EQ(cuda::memory_allocated(), base);
  const int64_t reserved = cuda::memory_reserved();
  {
    Tensor t = empty({1000}, TensorOptions().device(kGpu));  // served from the cache
    EXPECT_EQ(cuda::memory_reserved(), reserved);
  }
  cuda::reset_peak_memory_stats();
  {
    Tensor big = empty({64 << 20}, TensorOptions().device(kGpu));  // 256 MiB: a segment of its own
    EXPECT_EQ(cuda::max_memory_allocated() - base, int64_t(256) << 20);
  }
  EXPECT_EQ(cuda::max_memory_allocated() - base, int64_t(256) << 20);
  EXPECT_GE(cuda::memory_reserved() - reserved, int64_t(256) << 20);
  cuda::empty_cache();
  EXPECT_LT(cuda::memory_reserved() - reserved, int64_t(256) << 20);
  std::string err = error_of([] { (void)empty({int64_t(1) << 48}, TensorOptions().device(kGpu)); });
  EXPECT_NE(err.find("CUDA out of memory. Tried to allocate"), std::string::npos) << err;
  // The allocator works after a failed request.
  expect_matches(ones({8}).cuda() * 2, full({8}, 2.0f), "after out of memory");
}

TEST(Cuda, DeviceErrorsAndHostReads) {
  REQUIRE_GPU();
  std::string err = error_of([] { (void)(ones({2}).cuda() + ones({2})); });
  EXPECT_NE(err.find("Expected all tensors to be on the same device"), std::string::npos) << err;
  err = error_of([] { (void)ones({2}).to(Device("cuda:" + std::to_string(cuda::device_count()))); });
  EXPECT_NE(err.find("invalid device ordinal"), std::string::npos) << err;
  Tensor g = tensor({1.5f, -2.0f}).cuda();
  EXPECT_EQ(g.sum().item<float>(), -0.5f);
  std::ostringstream os;
  os << g;
  EXPECT_EQ(os.str(), "tensor([ 1.5000, -2.0000], device='cuda:0')");
  EXPECT_EQ(zeros({2, 3}, TensorOptions().device(kGpu).dtype(kInt64)).cpu().sum().item<int64_t>(), 0);
  EXPECT_TRUE(equal(full({3}, 7, TensorOptions().device(kGpu).dtype(kInt32)).cpu(), full({3}, 7, kInt32)));
  // *_like: the options' device when they name one, else the input's.
  Tensor host = ones({2, 3}, kFloat64);
  EXPECT_TRUE(zeros_like(host, kGpu).is_cuda());
  EXPECT_TRUE(empty_like(g, TensorOptions().dtype(kInt32)).is_cuda());
  EXPECT_FALSE(ones_like(g, TensorOptions().device(kCPU)).is_cuda());
  Tensor r = rand_like(host, TensorOptions().device(kGpu).dtype(kFloat32));
  EXPECT_TRUE(r.is_cuda());
  EXPECT_EQ(r.dtype(), kFloat32);
  // to(options) keeps the device the options leave unnamed.
  EXPECT_TRUE(g.to(TensorOptions(kFloat64)).is_cuda());
  EXPECT_FALSE(g.to(TensorOptions(kCPU)).is_cuda());
}

TEST(Cuda, StreamsFromThePoolAndStreamGuards) {
  REQUIRE_GPU();
  const cuda::CUDAStream main = cuda::getDefaultCUDAStream();
  EXPECT_EQ(cuda::getCurrentCUDAStream(), main);
  const cuda::CUDAStream s = cuda::getStreamFromPool();
  EXPECT_NE(s, main);
  EXPECT_NE(cuda::getStreamFromPool(/*isHighPriority=*/true), s);
  Tensor x = sample({100000}, kFloat32);
  Tensor g = x.cuda();
  main.synchronize();  // g is written before another stream reads it
  Tensor y;
  {
    cuda::CUDAStreamGuard guard(s);
    EXPECT_EQ(cuda::getCurrentCUDAStream(), s);
    y = (g * 2).sum();
    s.synchronize();
    EXPECT_TRUE(s.query());
  }
  EXPECT_EQ(cuda::getCurrentCUDAStream(), main);
  expect_matches(y, (x * 2).sum(), "a sum run on a pool stream");
}

namespace {
// Work long enough (tens of milliseconds on an H100) that the host is far ahead of the stream.
void queue_long_work(const Tensor& a) {
  Tensor acc = a;
  for (int i = 0; i < 20; ++i) acc = mm(acc, a);
}
}  // namespace

TEST(Cuda, EventsOrderStreamsAndTimeWork) {
  REQUIRE_GPU();
  const cuda::CUDAStream side = cuda::getStreamFromPool();
  Tensor a = randn({2048, 2048}, TensorOptions().device(kGpu)) / 64;
  cuda::CUDAEvent start(cuda::kEventDefault), end(cuda::kEventDefault);
  start.record();
  queue_long_work(a);
  Tensor produced = full({1 << 20}, 3.0f, TensorOptions().device(kGpu));
  end.record();
  EXPECT_TRUE(end.isCreated());
  // The side stream reads `produced` only after the default stream has written it.
  Tensor consumed;
  {
    cuda::CUDAStreamGuard guard(side);
    end.block(side);
    consumed = produced * 2;
    produced.record_stream(side);
  }
  end.synchronize();
  EXPECT_TRUE(end.query());
  EXPECT_GT(start.elapsed_time(end), 0.0f);
  side.synchronize();
  expect_matches(consumed, full({1 << 20}, 6.0f), "a product read on a stream that waited for an event");
  cuda::CUDAEvent moved = std::move(end);
  EXPECT_TRUE(moved.isCreated());
  EXPECT_FALSE(end.isCreated());
}

TEST(Cuda, RecordStreamKeepsMemoryUntilTheStreamsWorkHasRun) {
  REQUIRE_GPU();
  cuda::empty_cache();  // no cached block of x's size but x's own
  const cuda::CUDAStream side = cuda::getStreamFromPool();
  Tensor a = randn({2048, 2048}, TensorOptions().device(kGpu)) / 64;
  const int64_t n = 8 << 20;  // 32 MiB: a segment of its own
  Tensor x = ones({n}, TensorOptions().device(kGpu));
  const void* old = x.data_ptr();
  cuda::synchronize();
  Tensor y;
  {
    cuda::CUDAStreamGuard guard(side);
    queue_long_work(a);
    y = x * 2;  // queued behind the long work, so still to run when x dies
    x.record_stream(side);
  }
  const int64_t before = cuda::memory_allocated();
  x = Tensor();
  EXPECT_EQ(cuda::memory_allocated(), before - n * 4) << "freed bytes stop counting at once";
  Tensor reuse = empty({n}, TensorOptions().device(kGpu));
  EXPECT_NE(reuse.data_ptr(), old) << "the block was reused while the side stream still reads it";
  side.synchronize();
  Tensor after = empty({n}, TensorOptions().device(kGpu));
  EXPECT_EQ(after.data_ptr(), old) << "once the side stream's work has run the block is free again";
  expect_matches(y, full({n}, 2.0f), "the side stream's product of the recorded tensor");
  // A CPU tensor has no stream to record.
  EXPECT_FALSE(error_of([&] { ones({2}).record_stream(side); }).empty());
}
