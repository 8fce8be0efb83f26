// torch.cuda's runtime functions as _C._cuda_* (python/ember/cuda/__init__.py re-exports them under
// torch's names), Tensor.cuda() and Tensor.record_stream(). Streams cross as their cudaStream_t handle, an
// int (torch.cuda.Stream.cuda_stream); events as _C._CudaEvent, which ember.cuda.Event wraps.
#include <cstdint>

#include <ember/cuda.h>

#include "python/bind.h"

namespace ember::python {

namespace {
uintptr_t handle_of(const cuda::CUDAStream& s) { return reinterpret_cast<uintptr_t>(s.stream()); }
cuda::CUDAStream external(uintptr_t s) { return cuda::getStreamFromExternal(reinterpret_cast<void*>(s)); }
}  // namespace

void bind_cuda(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def(
      "cuda",
      [](const Tensor& t, std::optional<Device> device, bool non_blocking) {
        Device d = device ? *device : Device(kCUDA);
        EMBER_CHECK(d.is_cuda(), "Invalid device, must be cuda device");
        return t.to(d, non_blocking);
      },
      "device"_a = nb::none(), "non_blocking"_a = false);
  cls.def(
      "record_stream",
      [](const Tensor& t, nb::handle stream) {
        t.record_stream(external(nb::cast<uintptr_t>(stream.attr("cuda_stream"))));
      },
      "stream"_a);
  m.def("_cuda_is_available", &cuda::is_available);
  m.def("_cuda_device_count", &cuda::device_count);
  m.def("_cuda_synchronize", &cuda::synchronize, "device"_a = -1);
  m.def("_cuda_current_device", &cuda::current_device);
  m.def("_cuda_set_device", &cuda::set_device, "device"_a);
  m.def(
      "_cuda_device_properties",
      [](int device) {
        const cuda::DeviceProperties p = cuda::get_device_properties(device);
        return nb::make_tuple(p.name, p.major, p.minor, p.total_memory, p.multi_processor_count);
      },
      "device"_a = -1);
  m.def("_cuda_mem_get_info", &cuda::mem_get_info, "device"_a = -1);
  m.def("_cuda_memory_allocated", &cuda::memory_allocated, "device"_a = -1);
  m.def("_cuda_max_memory_allocated", &cuda::max_memory_allocated, "device"_a = -1);
  m.def("_cuda_memory_reserved", &cuda::memory_reserved, "device"_a = -1);
  m.def("_cuda_max_memory_reserved", &cuda::max_memory_reserved, "device"_a = -1);
  m.def("_cuda_reset_peak_memory_stats", &cuda::reset_peak_memory_stats, "device"_a = -1);
  m.def("_cuda_empty_cache", &cuda::empty_cache);
  m.def("_cuda_get_allow_tf32", &cuda::allow_tf32);
  m.def("_cuda_set_allow_tf32", &cuda::set_allow_tf32, "allow"_a);

  m.def("_cuda_stream_from_pool", [](bool high_priority) { return handle_of(cuda::getStreamFromPool(high_priority)); },
        "high_priority"_a);
  m.def("_cuda_current_stream", [] { return handle_of(cuda::getCurrentCUDAStream()); });
  m.def("_cuda_default_stream", [] { return handle_of(cuda::getDefaultCUDAStream()); });
  m.def("_cuda_set_stream", [](uintptr_t s) { cuda::setCurrentCUDAStream(external(s)); }, "stream"_a);
  m.def("_cuda_stream_synchronize", [](uintptr_t s) { external(s).synchronize(); }, "stream"_a);
  m.def("_cuda_stream_query", [](uintptr_t s) { return external(s).query(); }, "stream"_a);

  nb::class_<cuda::CUDAEvent>(m, "_CudaEvent")
      .def(nb::init<unsigned>(), "flags"_a)
      .def_prop_ro("cuda_event", [](const cuda::CUDAEvent& e) { return uintptr_t(e.event()); })
      .def("record", [](cuda::CUDAEvent& e, uintptr_t s) { e.record(external(s)); }, "stream"_a)
      .def("block", [](cuda::CUDAEvent& e, uintptr_t s) { e.block(external(s)); }, "stream"_a)
      .def("query", &cuda::CUDAEvent::query)
      .def("synchronize", &cuda::CUDAEvent::synchronize)
      .def("elapsed_time", &cuda::CUDAEvent::elapsed_time, "end"_a);
}

}  // namespace ember::python
