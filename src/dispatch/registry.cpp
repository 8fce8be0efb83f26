#include <map>
#include <mutex>
#include <string>

#include "dispatch/registry.h"

namespace ember::dispatch {

namespace {
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, KernelSlot, std::less<>>& registry() {
  static std::map<std::string, KernelSlot, std::less<>> r;
  return r;
}
}  // namespace

KernelSlot& slot(const char* name) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto& r = registry();
  auto it = r.find(std::string_view(name));
  if (it == r.end()) {
    it = r.emplace(name, KernelSlot{}).first;
    it->second.name = it->first.c_str();
  }
  return it->second;
}

void missing_kernel(const KernelSlot& s, DeviceType t) {
  throw NotImplementedError(detail::str("Could not run '", s.name, "' with arguments from the '",
                                        t == kCPU ? "CPU" : "CUDA", "' backend: no kernel is registered"));
}

Registrar::Registrar(const char* name, DeviceType t, void* fn, int priority, bool supported) {
  if (!supported) return;
  KernelSlot& s = slot(name);
  if (s.fn[int(t)] == nullptr || priority > s.priority[int(t)]) {
    s.fn[int(t)] = fn;
    s.priority[int(t)] = priority;
  }
}

}  // namespace ember::dispatch
