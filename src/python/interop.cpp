// NumPy (__array__, .numpy(), from_numpy), DLPack and ember.tensor / as_tensor.
#include "python/bind.h"

namespace ember::python {

void bind_interop(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
