// Which CPU kernel build runs: AVX-512 where the CPU has it, unless EMBER_CPU_CAPABILITY=avx2 asks for the
// AVX2 build (CTest runs this test, and the kernel families, a second time that way on AVX-512 machines).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

#include <ember/ember.h>

TEST(CpuCapability, FollowsTheCpuAndTheEnvironment) {
  const char* forced = std::getenv("EMBER_CPU_CAPABILITY");
  bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  if (forced && std::string_view(forced) == "avx2") avx512 = false;
  EXPECT_EQ(ember::backends::cpu::get_cpu_capability(), avx512 ? "AVX512" : "AVX2");
  EXPECT_NE(ember::show_config().find(avx512 ? "CPU capability: AVX512" : "CPU capability: AVX2"), std::string::npos);
}
