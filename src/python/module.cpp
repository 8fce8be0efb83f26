// The extension module ember._C; python/ember/__init__.py re-exports it as `ember`.
#include "python/bind.h"

NB_MODULE(_C, m) {
  using namespace ember::python;
  bind_errors(m);
  bind_dtype_device(m);
  nb::class_<ember::Tensor> cls(m, "Tensor", nb::type_slots(tensor_gc_slots()));
  bind_tensor(m, cls);
  bind_factories(m);
  bind_interop(m, cls);
  bind_random(m, cls);
  bind_pointwise(m, cls);
  bind_reduce(m, cls);
  bind_shape(m, cls);
  bind_linalg(m, cls);
  bind_index_ops(m, cls);
  bind_sort(m, cls);
  bind_indexing(m, cls);
  bind_autograd(m, cls);
  bind_nn_init(m);
  bind_nn_utils(m);
  bind_nn_conv(m);
  bind_nn_pool(m);
  bind_nn_resample(m);
  bind_nn_dropout(m);
  bind_nn_activation(m, cls);
  bind_nn_norm(m, cls);
  bind_nn_loss(m);
  bind_optim(m);
  bind_amp(m);
  bind_data(m);
  bind_io(m);
  bind_tensorboard(m);
  bind_progress(m);
  bind_cuda(m, cls);
}
