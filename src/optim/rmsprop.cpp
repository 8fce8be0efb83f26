// RMSprop, Adagrad and Adadelta, each one fused pass per parameter in PyTorch 1.13's order of operations.
// RMSprop also steps GPU parameters, with one fused multi-tensor launch per group and dtype
// (ember/ops/fused_optim.h).
#include <cmath>

#include <ember/ops/fused_optim.h>
#include <ember/optim/rmsprop.h>

#include "optim/fused.h"
#include "optim/number_format.h"

namespace ember::optim {

RMSprop::RMSprop(ParamGroups params, double lr, double alpha, double eps, double weight_decay, double momentum,
                 bool centered, bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"momentum", momentum},
                                    {"alpha", alpha},
                                    {"eps", eps},
                                    {"centered", centered},
                                    {"weight_decay", weight_decay},
                                    {"foreach", std::monostate{}},
                                    {"maximize", maximize},
                                    {"differentiable", false}}) {
  if (!(0.0 <= lr)) throw ValueError("Invalid learning rate: " + num(lr));
  if (!(0.0 <= eps)) throw ValueError("Invalid epsilon value: " + num(eps));
  if (!(0.0 <= momentum)) throw ValueError("Invalid momentum value: " + num(momentum));
  if (!(0.0 <= weight_decay)) throw ValueError("Invalid weight_decay value: " + num(weight_decay));
  if (!(0.0 <= alpha)) throw ValueError("Invalid alpha value: " + num(alpha));
}

namespace {
// c: lr, alpha, eps, weight_decay, momentum, maximize; s: square_avg, grad_avg (centered), momentum_buffer
struct RMSpropKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* sq = s.s[0].data_ptr<T>();
    T* ga = detail::ptr<T>(s.s[1]);
    T* buf = detail::ptr<T>(s.s[2]);
    const T lr = T(s.c[0]), alpha = T(s.c[1]), one_alpha = T(1 - s.c[1]), eps = T(s.c[2]), wd = T(s.c[3]);
    const T mom = T(s.c[4]);
    const bool decay = s.c[3] != 0, maximize = s.c[5] != 0;
    const T sign = maximize ? T(-1) : T(1);
    auto grad = [&](int64_t i) { return decay ? sign * g[i] + wd * p[i] : sign * g[i]; };
    detail::sqrt_blocked<T, 1>(
        b, e,
        [&](int64_t i, T* r) {
          const T gi = grad(i);
          const T sqi = sq[i] * alpha + one_alpha * gi * gi;
          sq[i] = sqi;
          if (ga) {
            const T gai = ga[i] * alpha + one_alpha * gi;
            ga[i] = gai;
            r[0] = sqi - gai * gai;
          } else {
            r[0] = sqi;
          }
        },
        [&](int64_t i, const T* r) {
          const T avg = r[0] + eps;
          if (buf) {
            const T bi = buf[i] * mom + grad(i) / avg;
            buf[i] = bi;
            p[i] = p[i] - lr * bi;
          } else {
            p[i] = p[i] - lr * (grad(i) / avg);
          }
        });
  }
};
}  // namespace

Tensor RMSprop::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    const double momentum = group.number("momentum");
    const bool centered = group.flag("centered");
    const bool cuda = detail::group_device(*this, group).is_cuda();
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p, true);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = int64_t(0);
      s.s[0] = detail::state_buffer(st, "square_avg", p);
      if (momentum > 0) s.s[2] = detail::state_buffer(st, "momentum_buffer", p);
      if (centered) s.s[1] = detail::state_buffer(st, "grad_avg", p);
      detail::increment_step_int(st);
      s.c = {group.lr(),         group.number("alpha"), group.number("eps"), group.number("weight_decay"),
             momentum,           double(group.flag("maximize"))};
      slots.push_back(std::move(s));
    }
    if (!cuda) {
      detail::run(slots, RMSpropKernel{});
      continue;
    }
    for (const detail::SlotLists& l : detail::lists_by_dtype(slots))
      _fused_rmsprop_(l.p, l.g, l.s[0], l.s[1], l.s[2], group.lr(), group.number("alpha"), group.number("eps"),
                      group.number("weight_decay"), momentum, centered, group.flag("maximize"));
    detail::finish(slots);
  }
  return loss;
}

Adagrad::Adagrad(ParamGroups params, double lr, double lr_decay, double weight_decay,
                 double initial_accumulator_value, double eps, bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"lr_decay", lr_decay},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"initial_accumulator_value", initial_accumulator_value},
                                    {"foreach", std::monostate{}},
                                    {"maximize", maximize}}) {
  if (!(0.0 <= lr)) throw ValueError("Invalid learning rate: " + num(lr));
  if (!(0.0 <= lr_decay)) throw ValueError("Invalid lr_decay value: " + num(lr_decay));
  if (!(0.0 <= weight_decay)) throw ValueError("Invalid weight_decay value: " + num(weight_decay));
  if (!(0.0 <= initial_accumulator_value))
    throw ValueError("Invalid initial_accumulator_value value: " + num(initial_accumulator_value));
  if (!(0.0 <= eps)) throw ValueError("Invalid epsilon value: " + num(eps));
  // The base constructor added the groups before this object's defaults existed; create their state now.
  for (ParamGroup& g : groups_) on_group_added(g);
}

void Adagrad::on_group_added(ParamGroup& group) {
  const double init = group.number("initial_accumulator_value");
  NoGradGuard no_grad;
  for (const Tensor& p : group.params) {
    detail::check_param(*this, p);
    ParamState& st = state(p);
    st["step"] = zeros({}, kFloat32);
    st["sum"] = full_like(p.contiguous(), init);
  }
}

namespace {
// c: clr, weight_decay, eps, maximize
struct AdagradKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* sum = s.s[0].data_ptr<T>();
    const T neg_clr = T(-s.c[0]), wd = T(s.c[1]), eps = T(s.c[2]);
    const bool decay = s.c[1] != 0, maximize = s.c[3] != 0;
    const T sign = maximize ? T(-1) : T(1);
    auto grad = [&](int64_t i) { return decay ? sign * g[i] + wd * p[i] : sign * g[i]; };
    detail::sqrt_blocked<T, 1>(
        b, e,
        [&](int64_t i, T* r) {
          const T gi = grad(i);
          r[0] = sum[i] = sum[i] + gi * gi;
        },
        [&](int64_t i, const T* r) { p[i] = p[i] + neg_clr * (grad(i) / (r[0] + eps)); });
  }
};
}  // namespace

Tensor Adagrad::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      s.s[0] = detail::state_buffer(st, "sum", p, group.number("initial_accumulator_value"));
      const double step = detail::increment_step_tensor(st);
      s.c = {group.lr() / (1 + (step - 1) * group.number("lr_decay")), group.number("weight_decay"),
             group.number("eps"), double(group.flag("maximize"))};
      slots.push_back(std::move(s));
    }
    detail::run(slots, AdagradKernel{});
  }
  return loss;
}

Adadelta::Adadelta(ParamGroups params, double lr, double rho, double eps, double weight_decay, bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"rho", rho},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"maximize", maximize},
                                    {"foreach", std::monostate{}}}) {
  if (!(0.0 <= lr)) throw ValueError("Invalid learning rate: " + num(lr));
  if (!(0.0 <= rho && rho <= 1.0)) throw ValueError("Invalid rho value: " + num(rho));
  if (!(0.0 <= eps)) throw ValueError("Invalid epsilon value: " + num(eps));
  if (!(0.0 <= weight_decay)) throw ValueError("Invalid weight_decay value: " + num(weight_decay));
}

namespace {
// c: lr, rho, eps, weight_decay, maximize
struct AdadeltaKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* sq = s.s[0].data_ptr<T>();
    T* acc = s.s[1].data_ptr<T>();
    const T lr = T(s.c[0]), rho = T(s.c[1]), one_rho = T(1 - s.c[1]), eps = T(s.c[2]), wd = T(s.c[3]);
    const bool decay = s.c[3] != 0, maximize = s.c[4] != 0;
    const T sign = maximize ? T(-1) : T(1);
    auto grad = [&](int64_t i) { return decay ? sign * g[i] + wd * p[i] : sign * g[i]; };
    detail::sqrt_blocked<T, 2>(
        b, e,
        [&](int64_t i, T* r) {
          const T gi = grad(i);
          const T sqi = sq[i] * rho + one_rho * gi * gi;
          sq[i] = sqi;
          r[0] = acc[i] + eps;
          r[1] = sqi + eps;
        },
        [&](int64_t i, const T* r) {
          const T delta = r[0] / r[1] * grad(i);
          acc[i] = acc[i] * rho + one_rho * delta * delta;
          p[i] = p[i] - lr * delta;
        });
  }
};
}  // namespace

Tensor Adadelta::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = int64_t(0);
      s.s[0] = detail::state_buffer(st, "square_avg", p);
      s.s[1] = detail::state_buffer(st, "acc_delta", p);
      detail::increment_step_int(st);
      s.c = {group.lr(), group.number("rho"), group.number("eps"), group.number("weight_decay"),
             double(group.flag("maximize"))};
      slots.push_back(std::move(s));
    }
    detail::run(slots, AdadeltaKernel{});
  }
  return loss;
}

}  // namespace ember::optim
