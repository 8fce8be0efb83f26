// sort/argsort/topk/kthvalue/unique/searchsorted/bincount/histc.
#include "python/bind.h"

namespace ember::python {

void bind_sort(nb::module_& m, nb::class_<Tensor>& cls) {}

}  // namespace ember::python
