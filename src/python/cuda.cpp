// torch.cuda's runtime functions as _C._cuda_* (python/ember/cuda.py re-exports them under torch's names)
// and Tensor.cuda().
#include <ember/cuda.h>

#include "python/bind.h"

namespace ember::python {

void bind_cuda(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def(
      "cuda",
      [](const Tensor& t, std::optional<Device> device, bool non_blocking) {
        Device d = device ? *device : Device(kCUDA);
        EMBER_CHECK(d.is_cuda(), "Invalid device, must be cuda device");
        return t.to(d, non_blocking);
      },
      "device"_a = nb::none(), "non_blocking"_a = false);
  m.def("_cuda_is_available", &cuda::is_available);
  m.def("_cuda_device_count", &cuda::device_count);
  m.def("_cuda_synchronize", &cuda::synchronize, "device"_a = -1);
  m.def("_cuda_memory_allocated", &cuda::memory_allocated, "device"_a = -1);
  m.def("_cuda_max_memory_allocated", &cuda::max_memory_allocated, "device"_a = -1);
  m.def("_cuda_memory_reserved", &cuda::memory_reserved, "device"_a = -1);
  m.def("_cuda_max_memory_reserved", &cuda::max_memory_reserved, "device"_a = -1);
  m.def("_cuda_reset_peak_memory_stats", &cuda::reset_peak_memory_stats, "device"_a = -1);
  m.def("_cuda_empty_cache", &cuda::empty_cache);
  m.def("_cuda_get_allow_tf32", &cuda::allow_tf32);
  m.def("_cuda_set_allow_tf32", &cuda::set_allow_tf32, "allow"_a);
}

}  // namespace ember::python
