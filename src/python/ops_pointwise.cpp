// Pointwise ops as ember.<op>, Tensor methods, in-place methods and Python operators.
#include "python/bind.h"

namespace ember::python {

void bind_pointwise(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
