// ember::version, show_config and get_cpu_capability: what `ember info` and ember.__config__ print.
#include <ember/core/config.h>
#include <ember/core/parallel.h>

#include <cblas.h>
#include <omp.h>

#include <cstdlib>
#include <sstream>
#include <string_view>

#include "backend/cpu/capability.h"
#include "dispatch/registry.h"

namespace ember {

namespace kernels {
bool avx512_allowed() {
  static const bool allowed = [] {
    const char* cap = std::getenv("EMBER_CPU_CAPABILITY");
    return !(cap && std::string_view(cap) == "avx2");
  }();
  return allowed;
}
}  // namespace kernels

const char* version() { return EMBER_VERSION_STRING; }

namespace backends::cpu {
std::string get_cpu_capability() {
  static const dispatch::KernelSlot& k = dispatch::slot("cpu_capability");
  return dispatch::kernel<const char*()>(k, kCPU)();
}
}  // namespace backends::cpu

std::string show_config() {
  std::ostringstream s;
  s << "ember " << version() << "\n"
    << "  compiler: GCC " << __VERSION__ << ", C++" << (__cplusplus / 100 % 100) << "\n"
#ifdef NDEBUG
    << "  build: optimised (NDEBUG)\n"
#else
    << "  build: debug assertions on\n"
#endif
    << "  BLAS: " << openblas_get_config() << "\n"
    << "  OpenMP: " << _OPENMP << "\n"
    << "  CPU capability: " << backends::cpu::get_cpu_capability() << "\n"
    << "  intra-op threads: " << get_num_threads() << "\n"
    << "  devices: cpu (CUDA not built)\n";
  return s.str();
}

}  // namespace ember
