#pragma once
// Sums of doubles across a warp or a thread block, in a fixed tree order so a launch with the same
// geometry gives the same bits every run (no atomics). Used by the norm and loss kernels, whose sums
// the CPU backend also carries in double.
namespace ember::cuda {
namespace {

constexpr int kWarp = 32;

// Every lane gets the warp's sum of v[k].
template <int K>
__device__ __forceinline__ void warp_sum(double (&v)[K]) {
#pragma unroll
  for (int off = kWarp / 2; off > 0; off /= 2)
#pragma unroll
    for (int k = 0; k < K; ++k) v[k] += __shfl_xor_sync(0xffffffffu, v[k], off);
}

// Every thread gets the block's sum of v[k]. blockDim.x is a multiple of 32 (at most 1024) and
// blockDim.y == blockDim.z == 1; `scratch` holds K * 32 doubles of shared memory. All threads must call
// it; it may be called again right away.
template <int K>
__device__ __forceinline__ void block_sum(double (&v)[K], double* scratch) {
  const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp, warps = blockDim.x / kWarp;
  warp_sum(v);
  if (lane == 0)
#pragma unroll
    for (int k = 0; k < K; ++k) scratch[k * kWarp + warp] = v[k];
  __syncthreads();
#pragma unroll
  for (int k = 0; k < K; ++k) v[k] = lane < warps ? scratch[k * kWarp + lane] : 0.0;
  warp_sum(v);
  // The next call's writes to scratch must wait until every warp has read this call's partials.
  __syncthreads();
}

}  // namespace
}  // namespace ember::cuda
