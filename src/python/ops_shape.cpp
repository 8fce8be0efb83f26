// Views and shape ops (view, reshape, permute, cat, stack, ...).
#include "python/bind.h"

namespace ember::python {

void bind_shape(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
