#pragma once
// Argument forms of the torch.nn.functional bindings beyond bind.h's: a size list that may be None, and
// an optional tensor (None is an undefined Tensor in ember's C++).
#include "python/bind.h"

namespace ember::python {

using OptTensor = std::optional<Tensor>;
inline Tensor or_undefined(const OptTensor& t) { return t ? *t : Tensor(); }

// An int, a sequence of ints, or None (stored as an empty list, which ember's C++ reads as "not
// given": stride = kernel_size for pooling), as torch.avg_pool1d's stride=None.
struct SizesOrNone {
  std::vector<int64_t> values;
  operator IntArrayRef() const { return values; }
};

}  // namespace ember::python

namespace nanobind::detail {

template <>
struct type_caster<ember::python::SizesOrNone> {
  NB_TYPE_CASTER(ember::python::SizesOrNone, const_name("int | Sequence[int] | None"))
  bool from_python(handle src, uint8_t flags, cleanup_list* cleanup) noexcept {
    value.values.clear();
    if (src.is_none()) return true;
    make_caster<ember::IntArrayRef> sizes;
    if (!sizes.from_python(src, flags, cleanup)) return false;
    value.values.assign(sizes.value.begin(), sizes.value.end());
    return true;
  }
  static handle from_cpp(const ember::python::SizesOrNone& s, rv_policy policy, cleanup_list* cleanup) noexcept {
    return make_caster<ember::IntArrayRef>::from_cpp(ember::IntArrayRef(s.values), policy, cleanup);
  }
};

}  // namespace nanobind::detail
