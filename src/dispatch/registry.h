#pragma once
// The kernel registry: (kernel name, device type) -> function. Backends register their kernels from
// static initialisers; ops look a slot up once (a function-local static) and then index it by device,
// so the per-call cost is one array load. A kernel a backend lacks is a clear runtime error.
#include <ember/core/device.h>
#include <ember/core/error.h>

namespace ember::dispatch {

struct KernelSlot {
  const char* name = nullptr;
  void* fn[kNumDeviceTypes] = {};
  int priority[kNumDeviceTypes] = {};
};

// The slot for a kernel name; created on first use, stable for the life of the program.
KernelSlot& slot(const char* name);

[[noreturn]] void missing_kernel(const KernelSlot& s, DeviceType t);

template <class Fn>
Fn* kernel(const KernelSlot& s, DeviceType t) {
  void* f = s.fn[int(t)];
  if (__builtin_expect(f == nullptr, 0)) missing_kernel(s, t);
  return reinterpret_cast<Fn*>(f);
}

struct Registrar {
  // The registration with the highest priority wins (an AVX-512 build of a kernel over its AVX2 build);
  // a registration whose `supported` is false (the CPU lacks the instructions) is ignored.
  Registrar(const char* name, DeviceType t, void* fn, int priority = 0, bool supported = true);
};

}  // namespace ember::dispatch

#define EMBER_CONCAT_IMPL(a, b) a##b
#define EMBER_CONCAT(a, b) EMBER_CONCAT_IMPL(a, b)
#define EMBER_REGISTER_KERNEL(name, device, fn, ...)                                  \
  static const ::ember::dispatch::Registrar EMBER_CONCAT(ember_kernel_reg_, __COUNTER__)( \
      name, device, reinterpret_cast<void*>(fn), ##__VA_ARGS__)
