#pragma once
// What the GPU test files share: tests that need a device skip with a message where there is none, and
// the comparison of an op on the GPU with the same op on the CPU.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ember/cuda.h>
#include <ember/ember.h>

#include "error_test_util.h"

#define REQUIRE_GPU()                                                                             \
  do {                                                                                            \
    if (!::ember::cuda::is_available()) GTEST_SKIP() << "no CUDA device on this machine (GPU test)"; \
  } while (0)

inline const ember::Device kGpu(ember::kCUDA);

namespace cuda_test {

using namespace ember;

// Values of every dtype that no op finds degenerate: floats in [-2, 2) with a few exact zeros, integers in
// [lo, hi), bools from integers.
inline Tensor sample(IntArrayRef shape, DType dt, int64_t lo = -9, int64_t hi = 10) {
  if (dt == kBool) return randint(0, 2, shape) != 0;
  if (is_floating_point(dt)) return (rand(shape, TensorOptions().dtype(kFloat64)) * 4 - 2).to(dt);
  if (dt == kUInt8) lo = std::max<int64_t>(lo, 0);
  return randint(lo, hi, shape, TensorOptions().dtype(dt));
}

inline void expect_matches(const Tensor& gpu, const Tensor& cpu, const std::string& what) {
  ASSERT_TRUE(gpu.is_cuda()) << what;
  Tensor g = gpu.cpu();
  ASSERT_EQ(g.dtype(), cpu.dtype()) << what;
  ASSERT_EQ(g.sizes(), cpu.sizes()) << what;
  double rtol = 0, atol = 0;
  switch (cpu.dtype()) {
    case kFloat64: rtol = 1e-10, atol = 1e-12; break;
    case kFloat32: rtol = 2e-5, atol = 1e-6; break;
    case kFloat16:
    case kBFloat16: rtol = 1e-2, atol = 1e-2; break;
    default: break;  // integers and bools: exact
  }
  if (rtol == 0) {
    EXPECT_TRUE(equal(g, cpu)) << what << "\ncuda: " << g << "\ncpu: " << cpu;
  } else {
    Tensor gd = g.to(kFloat64), cd = cpu.to(kFloat64);
    EXPECT_TRUE(allclose(gd, cd, rtol, atol, /*equal_nan=*/true))
        << what << ": max abs diff " << (gd - cd).abs().nan_to_num(0.0).max().item<double>();
  }
}

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

// f over CPU inputs and over their GPU copies: the same values, or an error on both sides.
inline void same_on_both(const std::string& what, const TensorFn& f, const std::vector<Tensor>& cpu_inputs) {
  std::vector<Tensor> gpu_inputs;
  for (const Tensor& t : cpu_inputs) gpu_inputs.push_back(t.cuda());
  Tensor want, got;
  const std::string cpu_err = error_of([&] { want = f(cpu_inputs); });
  const std::string gpu_err = error_of([&] { got = f(gpu_inputs); });
  if (!cpu_err.empty()) {
    EXPECT_FALSE(gpu_err.empty()) << what << " raises on the CPU (" << cpu_err << ") but not on the GPU";
    return;
  }
  ASSERT_TRUE(gpu_err.empty()) << what << ": " << gpu_err;
  expect_matches(got, want, what);
}

// The message of the error `f` raises on each device: both must raise, with the same words.
inline void same_error(const std::string& what, const std::function<void(Device)>& f) {
  const std::string cpu = error_of([&] { f(Device(kCPU)); });
  const std::string gpu = error_of([&] { f(kGpu); });
  EXPECT_FALSE(cpu.empty()) << what;
  EXPECT_EQ(gpu, cpu) << what;
}

inline const std::vector<DType> kAllDtypes = {kFloat32, kFloat64, kFloat16, kBFloat16, kInt8, kUInt8,
                                              kInt16,   kInt32,   kInt64,   kBool};

}  // namespace cuda_test
