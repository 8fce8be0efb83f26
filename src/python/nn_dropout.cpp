// torch's dropout family: torch.dropout's siblings at top level (feature_dropout, alpha_dropout,
// feature_alpha_dropout and the in-place forms, which return their input), and F's forms with
// `training` and `inplace` in ember._C._nn (the checks of F.dropout1d ... are in C++).
#include "python/bind.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;

using Dropout = Tensor (*)(const Tensor&, double, bool, std::optional<Generator>);
using DropoutInPlace = Tensor& (*)(Tensor&, double, bool, std::optional<Generator>);
using FDropout = Tensor (*)(const Tensor&, double, bool, bool, std::optional<Generator>);

template <Dropout Op, DropoutInPlace OpInPlace>
void def_dropout(nb::module_& m, const char* name, const char* name_) {
  m.def(name, [](const Tensor& input, double p, bool train) { return Op(input, p, train, std::nullopt); }, "input"_a,
        "p"_a, "train"_a);
  m.def(
      name_,
      [](nb::handle_t<Tensor> input, double p, bool train) {
        OpInPlace(*nb::inst_ptr<Tensor>(input), p, train, std::nullopt);
        return input;
      },
      "input"_a, "p"_a, "train"_a);
}

template <FDropout Op>
void def_f_dropout(nb::module_& nn, const char* name, bool training) {
  nn.def(name, [](const Tensor& input, double p, bool training, bool inplace) {
    return Op(input, p, training, inplace, std::nullopt);
  }, "input"_a, "p"_a = 0.5, "training"_a = training, "inplace"_a = false);
}

}  // namespace

void bind_nn_dropout(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  m.def(
      "dropout_",
      [](nb::handle_t<Tensor> input, double p, bool train) {
        F::dropout(*nb::inst_ptr<Tensor>(input), p, train, true);
        return input;
      },
      "input"_a, "p"_a, "train"_a);
  def_dropout<&ember::feature_dropout, &ember::feature_dropout_>(m, "feature_dropout", "feature_dropout_");
  def_dropout<&ember::alpha_dropout, &ember::alpha_dropout_>(m, "alpha_dropout", "alpha_dropout_");
  def_dropout<&ember::feature_alpha_dropout, &ember::feature_alpha_dropout_>(m, "feature_alpha_dropout",
                                                                               "feature_alpha_dropout_");

  nn.def("dropout", &F::dropout, "input"_a, "p"_a = 0.5, "training"_a = true, "inplace"_a = false);
  def_f_dropout<&F::dropout1d>(nn, "dropout1d", true);
  def_f_dropout<&F::dropout2d>(nn, "dropout2d", true);
  def_f_dropout<&F::dropout3d>(nn, "dropout3d", true);
  def_f_dropout<&F::alpha_dropout>(nn, "alpha_dropout", false);
  def_f_dropout<&F::feature_alpha_dropout>(nn, "feature_alpha_dropout", false);
}

}  // namespace ember::python
