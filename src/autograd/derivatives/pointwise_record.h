#pragma once
// Helpers the pointwise derivative files share: recording unary and binary ops, and in-place forms
// that compute out of place.
#include "autograd/record.h"
#include "ops/pointwise_ops.h"

namespace ember::autograd {

// Records a unary op whose derivative d(grad, self, result) uses the input, the output, or neither.
template <class F>
void record_unary(const char* name, const Tensor& self, const Tensor& result, bool save_self, bool save_result, F d) {
  record(name, {&result}, {&self},
         [self_ = save_self ? SavedVariable(self, false) : SavedVariable(),
          result_ = save_result ? SavedVariable(result, true) : SavedVariable(), d](Node& node,
                                                                                    const tensor_list& g) -> tensor_list {
           auto me = node.shared_from_this();
           return {d(g[0], self_.unpack(), result_.unpack(me))};
         });
}

// Records a binary op: da / db map (grad, a, b, result) to each side's gradient, summed back to the
// operand's shape (undoing broadcasting).
template <class DA, class DB>
void record_binary(const char* name, const Tensor& a, const Tensor& b, const Tensor& out, bool save_inputs,
                   bool save_result, DA da, DB db) {
  record(name, {&out}, {&a, &b},
         [sa = save_inputs ? SavedVariable(a, false) : SavedVariable(),
          sb = save_inputs ? SavedVariable(b, false) : SavedVariable(),
          sr = save_result ? SavedVariable(out, true) : SavedVariable(), as = DimVector(a.sizes()),
          bs = DimVector(b.sizes()), da, db](Node& node, const tensor_list& g) -> tensor_list {
           Tensor A = sa.unpack(), B = sb.unpack(), R = sr.unpack(node.shared_from_this());
           tensor_list r(2);
           if (node.should_compute_output(0)) r[0] = sum_to(da(g[0], A, B, R), as);
           if (node.should_compute_output(1)) r[1] = sum_to(db(g[0], A, B, R), bs);
           return r;
         });
}

// An in-place op computed out of place by `compute(self)`: checks the result fits self (PyTorch's
// cast and broadcast errors) before writing.
template <class Compute>
Tensor& inplace_via(Tensor& self, bool others_require_grad, const Compute& compute) {
  auto checked = [&](const Tensor& s) {
    Tensor r = compute(s);
    ops::check_inplace_result(s, r.dtype(), r.sizes());
    return r;
  };
  return inplace(self, GradMode::is_enabled() && others_require_grad, checked, [&](Tensor& s) {
    Tensor r = checked(s);
    ops::copy_(s, r);
  });
}

}  // namespace ember::autograd
