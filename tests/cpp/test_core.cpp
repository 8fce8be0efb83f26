// Core types against PyTorch: dtype conversions, type promotion, output layouts, devices, memory stats.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <thread>

#include "golden.h"

using namespace ember;

namespace {
const DType kOrder[] = {kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kFloat32, kFloat64, kBool, kBFloat16};
int64_t at(const Tensor& t, int64_t i, int64_t j) { return t.data_ptr<int64_t>()[i * t.size(1) + j]; }
}  // namespace

TEST(Core, ReducedFloatConversionsRoundLikeTorch) {
  golden::File g("core");
  Tensor in = g["conv_in"];
  EXPECT_TRUE(golden::close(in.to(kFloat16), g["conv_f16"], 0, 0));
  EXPECT_TRUE(golden::close(in.to(kBFloat16), g["conv_bf16"], 0, 0));
  // And back: float16 -> float32 is exact.
  EXPECT_TRUE(golden::close(g["conv_f16"].to(kFloat32), g["conv_f16"].to(kFloat64).to(kFloat32), 0, 0));
}

TEST(Core, PromoteTypesTable) {
  golden::File g("core");
  Tensor p = g["promote"];
  for (int a = 0; a < 10; ++a)
    for (int b = 0; b < 10; ++b)
      EXPECT_EQ(promote_types(kOrder[a], kOrder[b]), kOrder[at(p, a, b)]) << kOrder[a] << " " << kOrder[b];
}

TEST(Core, ResultTypeWithNumbersAndZeroDim) {
  golden::File g("core");
  Tensor dn = g["result_type_dim_number"], zn = g["result_type_zero_number"], dz = g["result_type_dim_zero"];
  const Scalar numbers[] = {true, 3, 2.5};
  for (int a = 0; a < 10; ++a) {
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(result_type(ones({2}, kOrder[a]), numbers[k]), kOrder[at(dn, a, k)]) << kOrder[a] << " k=" << k;
      EXPECT_EQ(result_type(ones({}, kOrder[a]), numbers[k]), kOrder[at(zn, a, k)]) << kOrder[a] << " k=" << k;
    }
    for (int b = 0; b < 10; ++b)
      EXPECT_EQ(result_type(ones({2}, kOrder[a]), ones({}, kOrder[b])), kOrder[at(dz, a, b)]) << kOrder[a] << kOrder[b];
  }
}

TEST(Core, PointwiseOutputKeepsInputLayout) {
  golden::File g("core");
  Tensor x = zeros({2, 3, 4});
  auto strides = [](const Tensor& t) { return Tensor(tensor(t.strides().vec())); };
  EXPECT_TRUE(golden::close(strides(x.permute({2, 0, 1}).exp()), g["layout_exp_permuted"], 0, 0));
  Tensor x0 = zeros({3, 4});
  EXPECT_TRUE(golden::close(strides(x0.t() + zeros({3})), g["layout_add_t_plus_row"], 0, 0));
  EXPECT_TRUE(golden::close(strides(x0.t() + x0.t()), g["layout_add_t_plus_t"], 0, 0));
  EXPECT_TRUE(golden::close(strides(x.permute({2, 0, 1}) * zeros({4, 2, 3})), g["layout_mul_permuted_contig"], 0, 0));
  EXPECT_TRUE(golden::close(strides(x0.t().clone()), g["layout_clone_t"], 0, 0));
  EXPECT_TRUE(golden::close(strides(x.permute({2, 0, 1}).to(kFloat64)), g["layout_to_double_permuted"], 0, 0));
  EXPECT_TRUE(golden::close(strides(zeros({3, 1}).expand({3, 4}).clone()), g["layout_clone_expanded"], 0, 0));
  EXPECT_TRUE(x0.t().contiguous().is_contiguous());
}

TEST(Core, IsContiguousIgnoresSizeOneDims) {
  // A (3, 1) tensor with an arbitrary stride on its size-1 dim is contiguous (PyTorch's rule).
  Tensor base = zeros({3});
  Tensor v = base.as_strided({3, 1}, {1, 7});
  EXPECT_TRUE(v.is_contiguous());
  EXPECT_FALSE(zeros({3, 4}).t().is_contiguous());
  EXPECT_TRUE(zeros({0, 4}).t().is_contiguous());  // empty tensors are contiguous
}

TEST(Core, DeviceParsingAndMismatch) {
  EXPECT_EQ(Device("cpu"), Device(kCPU));
  EXPECT_EQ(Device("cuda:1").index(), 1);
  EXPECT_EQ(Device("cuda:1").str(), "cuda:1");
  EXPECT_THROW(Device("tpu"), Error);
  EXPECT_THROW(Device("cuda:x"), Error);
  // Without a GPU (or without the CUDA backend), allocating on CUDA is a clear error rather than a crash.
  if (cuda::is_available()) return;
  try {
    zeros({2}, Device(kCUDA, 0));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("CUDA"), std::string::npos) << e.what();
  }
}

TEST(Core, MemoryStatsTrackAllocations) {
  MemoryStats before = memory_stats();
  {
    Tensor t = empty({1024}, kFloat32);
    MemoryStats during = memory_stats();
    EXPECT_EQ(during.allocated_bytes - before.allocated_bytes, 4096);
    EXPECT_GE(during.peak_allocated_bytes, during.allocated_bytes);
  }
  EXPECT_EQ(memory_stats().allocated_bytes, before.allocated_bytes);
}

// Buffers of 2 MiB and more come back from the allocator's cache instead of fresh (page-faulting)
// memory. Sizes here are ones no other test in this program allocates, so the cache's other contents
// do not interfere.
TEST(Core, LargeFreedBuffersAreReusedWithinALimit) {
  constexpr int64_t MiB = int64_t(1) << 20;
  const int64_t cached0 = memory_stats().cached_bytes;
  void* first = nullptr;
  {
    Tensor t = empty({37 * MiB + 1}, kUInt8);  // a 38 MiB block
    first = t.data_ptr();
    EXPECT_EQ(memory_stats().cached_bytes, cached0);
  }
  MemoryStats freed = memory_stats();
  EXPECT_EQ(freed.cached_bytes - cached0, 38 * MiB);
  {
    Tensor other = empty({39 * MiB}, kUInt8);  // another size: not served by the 38 MiB block
    EXPECT_NE(other.data_ptr(), first);
    Tensor same = empty({(38 * MiB - 4) / 4}, kFloat32);  // a different request rounding to 38 MiB
    EXPECT_EQ(same.data_ptr(), first);
    EXPECT_EQ(memory_stats().cached_bytes, freed.cached_bytes - 38 * MiB);
    same.fill_(1.0);
    EXPECT_EQ(same.sum().item<double>(), double((38 * MiB - 4) / 4));
  }
  // A block over a quarter of the 1 GiB limit is freed, not kept.
  const int64_t before_big = memory_stats().cached_bytes;
  { Tensor big = empty({300 * MiB}, kUInt8); }
  EXPECT_EQ(memory_stats().cached_bytes, before_big);
  // The total stays within the limit: older blocks go first, so the four just freed (1012 MiB) stay.
  {
    std::vector<Tensor> blocks;
    for (int i = 0; i < 4; ++i) blocks.push_back(empty({(250 + 2 * i) * MiB}, kUInt8));
  }
  EXPECT_LE(memory_stats().cached_bytes, 1024 * MiB);
  EXPECT_GE(memory_stats().cached_bytes, 1012 * MiB);
}

// A fork while another thread holds the large-buffer cache's lock must not leave the child's copy locked:
// each child allocates and frees one cached-size buffer; a deadlocked child is killed by its alarm.
TEST(Core, ForkWhileAnotherThreadUsesTheBufferCache) {
  std::atomic<bool> stop{false};
  std::thread churn([&] {
    while (!stop.load()) Tensor t = empty({3 << 20}, kUInt8);
  });
  int failed = 0;
  for (int i = 0; i < 40 && failed == 0; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      alarm(5);
      {
        Tensor t = empty({3 << 20}, kUInt8);
        std::memset(t.data_ptr(), 1, size_t(t.nbytes()));
      }
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  stop = true;
  churn.join();
  EXPECT_EQ(failed, 0) << "a child could not allocate after fork()";
}

TEST(Core, FromBlobDeleterAndSharing) {
  float buf[6] = {1, 2, 3, 4, 5, 6};
  int calls = 0;
  {
    Tensor t = from_blob(buf, {2, 3}, [&](void*) { ++calls; });
    Tensor v = t.t();
    t = Tensor();
    EXPECT_EQ(calls, 0);  // the view keeps the storage alive
    EXPECT_FLOAT_EQ(v.sum().item<float>(), 21.0f);
    v.mul_(2);
    EXPECT_FLOAT_EQ(buf[5], 12.0f);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Core, SetDefaultDtype) {
  set_default_dtype(kFloat64);
  EXPECT_EQ(ones({2}).dtype(), kFloat64);
  EXPECT_EQ((tensor({1, 2}) * 2.5).dtype(), kFloat64);
  set_default_dtype(kFloat32);
  EXPECT_THROW(set_default_dtype(kInt64), TypeError);
}
