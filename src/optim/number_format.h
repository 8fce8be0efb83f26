#pragma once
// Numbers in the optimizers' error messages as Python prints them (0.001, 1e-08, 0.9), as PyTorch's
// messages show them.
#include <string>

#include <ember/optim/optimizer.h>

namespace ember::optim {

inline std::string num(double x) { return to_string(OptionValue(x)); }

}  // namespace ember::optim
