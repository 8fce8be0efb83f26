// Grad modes, autograd.grad/backward, hooks, grad_fn nodes, custom Functions, gradcheck.
#include "python/bind.h"

namespace ember::python {

void bind_autograd(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
