// Copies between host and GPU memory. Bytes cross the bus only between dense buffers of the
// destination's dtype: the cast, the broadcast and any strided gather happen on the side that holds the
// source (before the transfer), and a strided destination is filled from a dense staging buffer on its
// own side (after it). Pageable host memory is staged by the driver, so a host-to-device copy may return
// before it lands; a device-to-host copy waits for its bytes unless non_blocking is set.
#include <ember/autograd/grad_mode.h>
#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "dispatch/kernel_types.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

// `src` as a dense, contiguous buffer of `dtype` with `shape`, on its own device.
Tensor dense_source(const Tensor& src, IntArrayRef shape, DType dtype) {
  Tensor s = src.sizes().equals(shape) ? src : src.expand(shape);
  return s.to(dtype).contiguous();
}

void copy_across_devices(Tensor& dst, const Tensor& src, bool non_blocking) {
  NoGradGuard no_grad;
  Tensor s = dense_source(src, dst.sizes(), dst.dtype());
  const bool dst_dense = dst.is_contiguous();
  Tensor d = dst_dense ? dst : ember::empty(dst.sizes(), TensorOptions().dtype(dst.dtype()).device(dst.device()));
  const size_t nbytes = size_t(d.numel()) * size_t(d.element_size());
  const bool to_gpu = dst.is_cuda();
  cudaStream_t stream = current_stream();
  EMBER_CUDA_CHECK(cudaMemcpyAsync(d.data_ptr(), s.data_ptr(), nbytes,
                                   to_gpu ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost, stream),
                   "copy_");
  // A CPU destination must hold its values before the host reads them (or copies them on below).
  if (!to_gpu && (!non_blocking || !dst_dense)) EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), "copy_");
  if (!dst_dense) dst.copy_(d);
}

EMBER_REGISTER_KERNEL("copy_across_devices", ::ember::kCUDA, &copy_across_devices);

}  // namespace
}  // namespace ember::cuda
