// ember.nn.utils: gradient clipping and parameters <-> vector (include/ember/nn/utils.h) as private
// functions of ember._C._nn; python/ember/nn/utils takes torch's iterables of parameters.
#include <ember/nn/utils.h>

#include "python/bind.h"

namespace ember::python {

void bind_nn_utils(nb::module_& m) {
  namespace utils = ember::nn::utils;
  auto nn = nb::borrow<nb::module_>(m.attr("_nn"));
  nn.def("_clip_grad_norm_",
         nb::overload_cast<const std::vector<Tensor>&, double, double, bool>(&utils::clip_grad_norm_),
         "parameters"_a, "max_norm"_a, "norm_type"_a, "error_if_nonfinite"_a);
  nn.def("_clip_grad_value_", nb::overload_cast<const std::vector<Tensor>&, double>(&utils::clip_grad_value_),
         "parameters"_a, "clip_value"_a);
  nn.def("_parameters_to_vector", &utils::parameters_to_vector, "parameters"_a);
  nn.def("_vector_to_parameters", &utils::vector_to_parameters, "vec"_a, "parameters"_a);
}

}  // namespace ember::python
