// matmul family, @, einsum, tril/triu and the rest of linalg.
#include "python/bind.h"

namespace ember::python {

void bind_linalg(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
