// Reductions and scans as functions and methods.
#include "python/bind.h"

namespace ember::python {

void bind_reduce(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
