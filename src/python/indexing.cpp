// __getitem__ / __setitem__ with PyTorch's basic and advanced indexing, __iter__.
#include "python/bind.h"

namespace ember::python {

void bind_indexing(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
