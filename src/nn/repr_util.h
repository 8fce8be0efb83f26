#pragma once
// extra_repr() helpers shared by the module families.
#include <string>

#include <ember/nn/module.h>

namespace ember::nn {

// A size as the user gave it: one number as a number (2), several as a tuple ((2, 3)).
inline std::string py_repr_as_given(IntArrayRef v) { return v.size() == 1 ? std::to_string(v[0]) : py_repr(v); }

}  // namespace ember::nn
