// Random factories and in-place random methods with generators; ember.Generator.
#include "python/bind.h"

namespace ember::python {

void bind_random(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
