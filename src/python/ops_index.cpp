// gather/scatter/index_select/index_add/... as functions and methods.
#include "python/bind.h"

namespace ember::python {

void bind_index_ops(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
