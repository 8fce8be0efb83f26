// torch.optim.SGD as one fused pass per parameter; on a GPU, one fused multi-tensor launch per group
// and dtype (ember/ops/fused_optim.h).
#include <ember/ops/fused_optim.h>
#include <ember/optim/sgd.h>

#include "optim/fused.h"
#include "optim/number_format.h"

namespace ember::optim {

SGD::SGD(ParamGroups params, double lr, double momentum, double dampening, double weight_decay, bool nesterov,
         bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"momentum", momentum},
                                    {"dampening", dampening},
                                    {"weight_decay", weight_decay},
                                    {"nesterov", nesterov},
                                    {"maximize", maximize},
                                    {"foreach", std::monostate{}},
                                    {"differentiable", false}}) {
  if (lr < 0.0) throw ValueError("Invalid learning rate: " + num(lr));
  if (momentum < 0.0) throw ValueError("Invalid momentum value: " + num(momentum));
  if (weight_decay < 0.0) throw ValueError("Invalid weight_decay value: " + num(weight_decay));
  if (nesterov && (momentum <= 0 || dampening != 0))
    throw ValueError("Nesterov momentum requires a momentum and zero dampening");
}

namespace {
// c: lr, momentum, dampening, weight_decay, nesterov, maximize. Whether there is a momentum buffer (and
// whether this step creates it), Nesterov and weight decay are template arguments, so each variant is one
// branch-free loop.
template <class T, bool kMomentum, bool kFirst, bool kNesterov, bool kDecay>
void sgd_loop(detail::Slot& s, int64_t b, int64_t e) {
  T* __restrict p = s.p.data_ptr<T>();
  const T* __restrict g = s.g.data_ptr<T>();
  T* __restrict buf = kMomentum ? s.s[0].data_ptr<T>() : nullptr;
  const T lr = T(s.c[0]), mom = T(s.c[1]), damp = T(1 - s.c[2]), wd = T(s.c[3]);
  const T sign = s.c[5] != 0 ? T(-1) : T(1);
  for (int64_t i = b; i < e; ++i) {
    T d = sign * g[i];
    if constexpr (kDecay) d = d + wd * p[i];
    if constexpr (kMomentum) {
      const T m = kFirst ? d : buf[i] * mom + damp * d;
      buf[i] = m;
      d = kNesterov ? d + mom * m : m;
    }
    p[i] = p[i] - lr * d;
  }
}

struct SGDKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    const bool momentum = s.s[0].defined(), decay = s.c[3] != 0, nesterov = s.c[4] != 0;
    detail::with_flags(momentum, s.first, decay, [&](auto m, auto f, auto d) {
      detail::with_flags(nesterov, [&](auto n) {
        sgd_loop<T, decltype(m)::value, decltype(f)::value, decltype(n)::value, decltype(d)::value>(s, b, e);
      });
    });
  }
};
}  // namespace

Tensor SGD::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    const double momentum = group.number("momentum");
    const bool cuda = detail::group_device(*this, group).is_cuda();
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p, true);
      ParamState& st = state(p);
      auto it = st.find("momentum_buffer");
      const Tensor* buf = it == st.end() ? nullptr : std::get_if<Tensor>(&it->second);
      if (momentum != 0) {
        s.first = !buf || !buf->defined();
        // On a GPU the fused op creates a missing buffer itself (it is written, never read, on this step).
        if (s.first && !cuda) st["momentum_buffer"] = zeros(p.sizes(), p.options());
        if (!s.first || !cuda) s.s[0] = detail::state_buffer(st, "momentum_buffer", p);
      } else if (!buf) {
        st["momentum_buffer"] = Tensor();
      }
      s.c = {group.lr(), momentum, group.number("dampening"), group.number("weight_decay"),
             double(group.flag("nesterov")), double(group.flag("maximize"))};
      slots.push_back(std::move(s));
    }
    if (!cuda) {
      detail::run(slots, SGDKernel{});
      continue;
    }
    for (detail::SlotLists& l : detail::lists_by_dtype(slots)) {
      _fused_sgd_(l.p, l.g, l.s[0], group.number("weight_decay"), momentum, group.lr(), group.number("dampening"),
                  group.flag("nesterov"), group.flag("maximize"));
      if (momentum != 0)
        for (size_t j = 0; j < l.index.size(); ++j) state(slots[l.index[j]].param)["momentum_buffer"] = l.s[0][j];
    }
    detail::finish(slots);
  }
  return loss;
}

}  // namespace ember::optim
