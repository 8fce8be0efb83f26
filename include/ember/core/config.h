#pragma once
// What this build of ember is and runs with: torch.__version__, torch.__config__.show() and
// torch.backends.cpu.get_cpu_capability() under ember's names.
#include <string>

namespace ember {

// The library's version, "major.minor.patch".
const char* version();

// A multi-line description of the build: version, compiler, build type, BLAS, OpenMP, the CPU kernel
// variant in use, intra-op threads, devices.
std::string show_config();

namespace backends::cpu {
// The instruction set of the CPU kernels this process dispatches to: "AVX512" or "AVX2".
std::string get_cpu_capability();
}  // namespace backends::cpu

}  // namespace ember
