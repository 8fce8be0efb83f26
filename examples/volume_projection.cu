// A user-written CUDA kernel as an ember op with a gradient: a 3-D volume (D, H, W) projected along one
// axis onto a 2-D image (a sum along that axis, as an X-ray image of the volume), and its transpose, the
// back-projection (each voxel takes its pixel's value), as the backward. On the GPU each thread takes one
// voxel and atomicAdds it into its pixel; on the CPU a loop does the same, so the program runs anywhere.
// It checks the projection against volume.sum(axis) and the gradient with gradcheck (finite differences),
// on the GPU when there is one, and exits non-zero when a check fails.
//   example_volume_projection
#include <cstdio>
#include <string>

#include <cuda_runtime.h>

// Headers one by one: nvcc's front end does not take all of <ember/ember.h> (the data loader's collate).
#include <ember/autograd/function.h>
#include <ember/autograd/gradcheck.h>
#include <ember/cuda.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/random.h>
#include <ember/tensor.h>

using ember::Tensor;
using ember::tensor_list;
using ember::autograd::AutogradContext;

namespace {

// Voxel (d, h, w) of a contiguous (D, H, W) volume lands on pixel (h, w), (d, w) or (d, h) for axis 0, 1, 2.
__host__ __device__ inline int64_t pixel_of(int64_t voxel, int64_t H, int64_t W, int axis) {
  const int64_t w = voxel % W, h = (voxel / W) % H, d = voxel / (W * H);
  return axis == 0 ? h * W + w : axis == 1 ? d * W + w : d * H + h;
}

template <class T>
__global__ void project_kernel(const T* volume, T* image, int64_t voxels, int64_t H, int64_t W, int axis) {
  const int64_t v = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (v < voxels) atomicAdd(image + pixel_of(v, H, W, axis), volume[v]);
}

template <class T>
__global__ void back_project_kernel(const T* image, T* volume, int64_t voxels, int64_t H, int64_t W, int axis) {
  const int64_t v = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (v < voxels) volume[v] = image[pixel_of(v, H, W, axis)];
}

// image (contiguous, zeroed) += projection of volume (contiguous), or volume = back-projection of image.
template <class T>
void run(const Tensor& volume, const Tensor& image, int axis, bool project) {
  const int64_t voxels = volume.numel(), H = volume.size(1), W = volume.size(2);
  if (!volume.is_cuda()) {
    T* vol = volume.data_ptr<T>();
    T* img = image.data_ptr<T>();
    for (int64_t v = 0; v < voxels; ++v) {
      if (project) img[pixel_of(v, H, W, axis)] += vol[v];
      else vol[v] = img[pixel_of(v, H, W, axis)];
    }
    return;
  }
  constexpr int kThreads = 256;
  const unsigned blocks = unsigned((voxels + kThreads - 1) / kThreads);
  // ember's current stream, so the kernel runs in order with ember's own work on it.
  auto stream = static_cast<cudaStream_t>(ember::cuda::getCurrentCUDAStream().stream());
  if (project) project_kernel<T><<<blocks, kThreads, 0, stream>>>(volume.data_ptr<T>(), image.data_ptr<T>(), voxels, H, W, axis);
  else back_project_kernel<T><<<blocks, kThreads, 0, stream>>>(image.data_ptr<T>(), volume.data_ptr<T>(), voxels, H, W, axis);
  const cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) throw ember::Error(std::string("volume projection: ") + cudaGetErrorString(err));
}

void dispatch(const Tensor& volume, const Tensor& image, int axis, bool project) {
  if (volume.dtype() == ember::kFloat64) run<double>(volume, image, axis, project);
  else if (volume.dtype() == ember::kFloat32) run<float>(volume, image, axis, project);
  else throw ember::Error("volume projection: float32 or float64 volumes only");
}

ember::DimVector image_shape(const Tensor& volume, int axis) {
  ember::DimVector shape(volume.sizes());
  shape.erase(size_t(axis));
  return shape;
}

struct ProjectFunction : ember::autograd::Function<ProjectFunction> {
  static Tensor forward(AutogradContext* ctx, const Tensor& volume, int64_t axis) {
    if (volume.dim() != 3 || axis < 0 || axis > 2)
      throw ember::Error("volume projection: expected a (D, H, W) volume and an axis in [0, 2]");
    ctx->saved_data["axis"] = axis;
    ctx->saved_data["D"] = volume.size(0);
    ctx->saved_data["H"] = volume.size(1);
    ctx->saved_data["W"] = volume.size(2);
    Tensor vol = volume.contiguous();
    Tensor image = ember::zeros(image_shape(vol, int(axis)), vol.options());
    dispatch(vol, image, int(axis), /*project=*/true);
    return image;
  }
  // The projection is linear; its adjoint spreads each pixel's gradient over the voxels behind it.
  static tensor_list backward(AutogradContext* ctx, tensor_list grad) {
    const int64_t axis = ctx->saved_data["axis"].toInt();
    Tensor g = grad[0].contiguous();
    Tensor volume = ember::empty({ctx->saved_data["D"].toInt(), ctx->saved_data["H"].toInt(),
                                  ctx->saved_data["W"].toInt()}, g.options());
    dispatch(volume, g, int(axis), /*project=*/false);
    return {volume, Tensor()};
  }
};

Tensor project(const Tensor& volume, int64_t axis) { return ProjectFunction::apply(volume, axis); }

// Forward against volume.sum(axis) and gradcheck, for each axis, on `device`.
bool check_on(ember::Device device) {
  bool ok = true;
  ember::manual_seed(0);
  for (int64_t axis = 0; axis < 3; ++axis) {
    Tensor volume = ember::randn({4, 5, 6}, ember::TensorOptions(ember::kFloat64)).to(device).requires_grad_(true);
    Tensor image = project(volume, axis);
    const double err = (image - volume.detach().sum({axis})).abs().max().item<double>();
    const bool grad_ok = ember::autograd::gradcheck(
        [axis](const tensor_list& in) { return tensor_list{project(in[0], axis)}; }, {volume});
    std::printf("%s axis %lld: image %s, max |image - volume.sum(axis)| = %.2e, gradcheck %s\n",
                device.str().c_str(), static_cast<long long>(axis), ember::detail::str(image.sizes()).c_str(), err,
                grad_ok ? "passed" : "FAILED");
    ok = ok && err < 1e-12 && grad_ok;
  }
  return ok;
}

}  // namespace

int main() {
  bool ok = check_on(ember::Device(ember::kCPU));
  if (ember::cuda::is_available()) ok = check_on(ember::Device(ember::kCUDA)) && ok;
  else std::printf("no CUDA device: the GPU kernels were not run\n");
  std::printf("%s\n", ok ? "all checks passed" : "a check FAILED");
  return ok ? 0 : 1;
}
