#pragma once
// What the GPU test files share: tests that need a device skip with a message where there is none.
#include <gtest/gtest.h>

#include <ember/cuda.h>
#include <ember/tensor.h>

#define REQUIRE_GPU()                                                                             \
  do {                                                                                            \
    if (!::ember::cuda::is_available()) GTEST_SKIP() << "no CUDA device on this machine (GPU test)"; \
  } while (0)

inline const ember::Device kGpu(ember::kCUDA);
