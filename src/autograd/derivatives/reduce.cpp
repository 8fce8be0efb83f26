// Public reductions with their derivative rules.
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember {

Tensor Tensor::sum(std::optional<DType> dtype) const { return sum(IntArrayRef{}, false, dtype); }

Tensor Tensor::sum(IntArrayRef dims, bool keepdim, std::optional<DType> dtype) const {
  Tensor out = ops::sum(*this, dims, keepdim, dtype);
  if (autograd::any_requires_grad({this})) {
    DimVector in(sizes()), kd;
    if (!keepdim) {
      std::vector<bool> reduced(size_t(dim()), dims.empty());
      for (int64_t d : dims) reduced[size_t(ops::maybe_wrap_dim(d, dim()))] = true;
      for (int64_t d = 0; d < dim(); ++d) kd.push_back(reduced[size_t(d)] ? 1 : in[size_t(d)]);
    } else {
      kd = DimVector(out.sizes());
    }
    DType in_dt = this->dtype();
    autograd::record("SumBackward1", {&out}, {this}, [in, kd, in_dt](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {g[0].reshape(kd).expand(in).to(in_dt)};
    });
  }
  return out;
}

}  // namespace ember
