// Each instruction-set build registers its own name under one kernel slot; the registry keeps the
// variant it dispatches every other kernel to, so get_cpu_capability() reports what actually runs.
#include "backend/cpu/capability.h"

namespace ember::cpu {
inline namespace EMBER_KERNEL_NS {
namespace {
#if defined(EMBER_CPU_AVX512)
const char* capability_name() { return "AVX512"; }
#else
const char* capability_name() { return "AVX2"; }
#endif
}  // namespace
EMBER_REGISTER_CPU_KERNEL("cpu_capability", &capability_name);
}  // namespace EMBER_KERNEL_NS
}  // namespace ember::cpu
