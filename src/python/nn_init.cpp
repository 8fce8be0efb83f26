// ember.nn.init: the C++ initialisers (include/ember/nn/init.h) as private functions of ember._C._nn;
// python/ember/nn/init.py gives them torch.nn.init's names and returns the tensor passed in.
#include <nanobind/stl/pair.h>

#include <ember/nn/init.h>

#include "python/bind.h"

namespace ember::python {

void bind_nn_init(nb::module_& m) {
  namespace init = ember::nn::init;
  auto nn = nb::borrow<nb::module_>(m.attr("_nn"));
  nn.def("_init_calculate_gain", &init::calculate_gain, "nonlinearity"_a, "param"_a = nb::none());
  nn.def("_init_calculate_fan_in_and_fan_out", &init::_calculate_fan_in_and_fan_out, "tensor"_a);
  nn.def("_init_calculate_correct_fan", &init::_calculate_correct_fan, "tensor"_a, "mode"_a);
  nn.def("_init_uniform_", &init::uniform_, "tensor"_a, "a"_a, "b"_a, "generator"_a.none());
  nn.def("_init_normal_", &init::normal_, "tensor"_a, "mean"_a, "std"_a, "generator"_a.none());
  nn.def("_init_trunc_normal_", &init::trunc_normal_, "tensor"_a, "mean"_a, "std"_a, "a"_a, "b"_a, "generator"_a.none());
  nn.def("_init_constant_", &init::constant_, "tensor"_a, "val"_a);
  nn.def("_init_ones_", &init::ones_, "tensor"_a);
  nn.def("_init_zeros_", &init::zeros_, "tensor"_a);
  nn.def("_init_eye_", &init::eye_, "tensor"_a);
  nn.def("_init_dirac_", &init::dirac_, "tensor"_a, "groups"_a);
  nn.def("_init_xavier_uniform_", &init::xavier_uniform_, "tensor"_a, "gain"_a, "generator"_a.none());
  nn.def("_init_xavier_normal_", &init::xavier_normal_, "tensor"_a, "gain"_a, "generator"_a.none());
  nn.def("_init_kaiming_uniform_", &init::kaiming_uniform_, "tensor"_a, "a"_a, "mode"_a, "nonlinearity"_a,
         "generator"_a.none());
  nn.def("_init_kaiming_normal_", &init::kaiming_normal_, "tensor"_a, "a"_a, "mode"_a, "nonlinearity"_a,
         "generator"_a.none());
  nn.def("_init_orthogonal_", &init::orthogonal_, "tensor"_a, "gain"_a, "generator"_a.none());
}

}  // namespace ember::python
