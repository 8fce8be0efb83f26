// The Adam family (Adam, AdamW, Adamax, NAdam, RAdam), each one fused pass per parameter that follows
// PyTorch 1.13's single-tensor update term by term. Adam and AdamW also step GPU parameters, with one
// fused multi-tensor launch per group and dtype (ember/ops/fused_optim.h).
#include <cmath>

#include <ember/ops/fused_optim.h>
#include <ember/optim/adam.h>

#include "optim/fused.h"
#include "optim/number_format.h"

namespace ember::optim {

namespace {

void check_adam_args(double lr, Betas betas, double eps, double weight_decay) {
  if (!(0.0 <= lr)) throw ValueError("Invalid learning rate: " + num(lr));
  if (!(0.0 <= eps)) throw ValueError("Invalid epsilon value: " + num(eps));
  if (!(0.0 <= betas.first && betas.first < 1.0))
    throw ValueError("Invalid beta parameter at index 0: " + num(betas.first));
  if (!(0.0 <= betas.second && betas.second < 1.0))
    throw ValueError("Invalid beta parameter at index 1: " + num(betas.second));
  if (!(0.0 <= weight_decay)) throw ValueError("Invalid weight_decay value: " + num(weight_decay));
}

std::vector<double> tuple(Betas b) { return {b.first, b.second}; }

// c: lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt. The options become template
// arguments so that each variant is one branch-free loop the compiler vectorises.
template <class T, bool kAmsgrad, bool kDecay, bool kDecoupled>
void adam_loop(detail::Slot& s, int64_t b, int64_t e, bool maximize) {
  T* __restrict p = s.p.data_ptr<T>();
  const T* __restrict g = s.g.data_ptr<T>();
  T* __restrict m = s.s[0].data_ptr<T>();
  T* __restrict v = s.s[1].data_ptr<T>();
  T* __restrict vmax = kAmsgrad ? s.s[2].data_ptr<T>() : nullptr;
  const T sign = maximize ? T(-1) : T(1);
  const T b1 = T(s.c[1]), one_b1 = T(1 - s.c[1]), b2 = T(s.c[2]), one_b2 = T(1 - s.c[2]), eps = T(s.c[3]);
  const T wd = T(s.c[4]), neg_step = T(-s.c[5]), bc2 = T(s.c[6]), shrink = T(1 - s.c[0] * s.c[4]);
  detail::sqrt_blocked<T, 1>(
      b, e,
      [&](int64_t i, T* r) {
        T gi = sign * g[i];
        T pi = p[i];
        if constexpr (kDecoupled) p[i] = pi = pi * shrink;
        if constexpr (kDecay) gi = gi + wd * pi;
        const T mi = m[i] * b1 + one_b1 * gi;
        const T vi = v[i] * b2 + one_b2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        if constexpr (kAmsgrad) {
          const T vm = vmax[i] < vi ? vi : vmax[i];
          vmax[i] = vm;
          r[0] = vm;
        } else {
          r[0] = vi;
        }
      },
      [&](int64_t i, const T* r) { p[i] = p[i] + neg_step * (m[i] / (r[0] / bc2 + eps)); });
}

struct AdamKernel {
  bool amsgrad, maximize, decoupled;
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    const bool decay = !decoupled && s.c[4] != 0;
    detail::with_flags(amsgrad, decay, decoupled, [&](auto a, auto d, auto w) {
      adam_loop<T, decltype(a)::value, decltype(d)::value, decltype(w)::value>(s, b, e, maximize);
    });
  }
};
}  // namespace

Adam::Adam(ParamGroups params, double lr, Betas betas, double eps, double weight_decay, bool amsgrad, bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"betas", tuple(betas)},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"amsgrad", amsgrad},
                                    {"maximize", maximize},
                                    {"foreach", std::monostate{}},
                                    {"capturable", false},
                                    {"differentiable", false},
                                    {"fused", false}}) {
  check_adam_args(lr, betas, eps, weight_decay);
}

Adam::Adam(ParamGroups params, Options defaults) : Optimizer(std::move(params), std::move(defaults)) {}

AdamW::AdamW(ParamGroups params, double lr, Betas betas, double eps, double weight_decay, bool amsgrad, bool maximize)
    : Adam(std::move(params), Options{{"lr", lr},
                                      {"betas", tuple(betas)},
                                      {"eps", eps},
                                      {"weight_decay", weight_decay},
                                      {"amsgrad", amsgrad},
                                      {"maximize", maximize},
                                      {"foreach", std::monostate{}},
                                      {"capturable", false}}) {
  check_adam_args(lr, betas, eps, weight_decay);
}

Tensor Adam::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    std::vector<double> steps;
    const std::vector<double> betas = group.numbers("betas");
    const double lr = group.lr();
    const bool amsgrad = group.flag("amsgrad");
    const bool cuda = detail::group_device(*this, group).is_cuda();
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p, true);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = zeros({}, kFloat32);
      s.s[0] = detail::state_buffer(st, "exp_avg", p);
      s.s[1] = detail::state_buffer(st, "exp_avg_sq", p);
      if (amsgrad) s.s[2] = detail::state_buffer(st, "max_exp_avg_sq", p);
      const double step = detail::increment_step_tensor(st);
      const double bc1 = 1 - std::pow(betas[0], step), bc2 = 1 - std::pow(betas[1], step);
      s.c = {lr, betas[0], betas[1], group.number("eps"), group.number("weight_decay"), lr / bc1, std::sqrt(bc2)};
      slots.push_back(std::move(s));
      steps.push_back(step);
    }
    if (!cuda) {
      detail::run(slots, AdamKernel{amsgrad, group.flag("maximize"), decoupled_weight_decay()});
      continue;
    }
    // "step" stays a CPU float32 tensor, as PyTorch keeps it without capturable; the fused op turns the
    // counts into the same per-tensor bias corrections as above.
    auto* fused = decoupled_weight_decay() ? &_fused_adamw_ : &_fused_adam_;
    for (const detail::SlotLists& l : detail::lists_by_dtype(slots)) {
      std::vector<double> l_steps;
      for (size_t i : l.index) l_steps.push_back(steps[i]);
      fused(l.p, l.g, l.s[0], l.s[1], l.s[2], l_steps, lr, betas[0], betas[1], group.number("weight_decay"),
            group.number("eps"), amsgrad, group.flag("maximize"));
    }
    detail::finish(slots);
  }
  return loss;
}

Adamax::Adamax(ParamGroups params, double lr, Betas betas, double eps, double weight_decay, bool maximize)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"betas", tuple(betas)},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"foreach", std::monostate{}},
                                    {"maximize", maximize}}) {
  check_adam_args(lr, betas, eps, weight_decay);
}

namespace {
// c: beta1, beta2, eps, weight_decay, clr, maximize
struct AdamaxKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* m = s.s[0].data_ptr<T>();
    T* u = s.s[1].data_ptr<T>();
    const T b1 = T(s.c[0]), one_b1 = T(1 - s.c[0]), b2 = T(s.c[1]), eps = T(s.c[2]), wd = T(s.c[3]);
    const T neg_clr = T(-s.c[4]);
    const bool decay = s.c[3] != 0;
    const T sign = s.c[5] != 0 ? T(-1) : T(1);
    detail::with_flags(decay, [&](auto d) {
      for (int64_t i = b; i < e; ++i) {
        T gi = sign * g[i];
        if constexpr (decltype(d)::value) gi = gi + wd * p[i];
        const T mi = m[i] * b1 + one_b1 * gi;
        const T a = u[i] * b2, c = std::abs(gi) + eps;
        // torch.amax propagates NaN
        const T ui = ((a > c) | (a != a)) ? a : c;
        m[i] = mi;
        u[i] = ui;
        p[i] = p[i] + neg_clr * (mi / ui);
      }
    });
  }
};
}  // namespace

Tensor Adamax::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    const std::vector<double> betas = group.numbers("betas");
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = zeros({}, kFloat32);
      s.s[0] = detail::state_buffer(st, "exp_avg", p);
      s.s[1] = detail::state_buffer(st, "exp_inf", p);
      const double step = detail::increment_step_tensor(st);
      s.c = {betas[0], betas[1], group.number("eps"), group.number("weight_decay"),
             group.lr() / (1 - std::pow(betas[0], step)), double(group.flag("maximize"))};
      slots.push_back(std::move(s));
    }
    detail::run(slots, AdamaxKernel{});
  }
  return loss;
}

NAdam::NAdam(ParamGroups params, double lr, Betas betas, double eps, double weight_decay, double momentum_decay)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"betas", tuple(betas)},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"momentum_decay", momentum_decay},
                                    {"foreach", std::monostate{}}}) {
  check_adam_args(lr, betas, eps, weight_decay);
  if (!(0.0 <= momentum_decay)) throw ValueError("Invalid momentum_decay value: " + num(momentum_decay));
}

namespace {
// c: beta1, beta2, eps, weight_decay, bias_correction2, grad coefficient, exp_avg coefficient
struct NAdamKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* m = s.s[0].data_ptr<T>();
    T* v = s.s[1].data_ptr<T>();
    const T b1 = T(s.c[0]), one_b1 = T(1 - s.c[0]), b2 = T(s.c[1]), one_b2 = T(1 - s.c[1]), eps = T(s.c[2]);
    const T wd = T(s.c[3]), bc2 = T(s.c[4]), cg = T(s.c[5]), cm = T(s.c[6]);
    const bool decay = s.c[3] != 0;
    auto grad = [&](int64_t i) { return decay ? g[i] + wd * p[i] : g[i]; };
    detail::sqrt_blocked<T, 1>(
        b, e,
        [&](int64_t i, T* r) {
          const T gi = grad(i);
          const T vi = v[i] * b2 + one_b2 * gi * gi;
          m[i] = m[i] * b1 + one_b1 * gi;
          v[i] = vi;
          r[0] = vi / bc2;
        },
        [&](int64_t i, const T* r) {
          const T denom = r[0] + eps;
          const T pi = p[i] + cg * (grad(i) / denom);
          p[i] = pi + cm * (m[i] / denom);
        });
  }
};
}  // namespace

Tensor NAdam::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    const std::vector<double> betas = group.numbers("betas");
    const double lr = group.lr(), momentum_decay = group.number("momentum_decay");
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      if (st.empty()) {
        st["step"] = zeros({}, kFloat32);
        st["mu_product"] = ones({}, kFloat32);
      }
      s.s[0] = detail::state_buffer(st, "exp_avg", p);
      s.s[1] = detail::state_buffer(st, "exp_avg_sq", p);
      const double step = detail::increment_step_tensor(st);
      const double mu = betas[0] * (1. - 0.5 * std::pow(0.96, step * momentum_decay));
      const double mu_next = betas[0] * (1. - 0.5 * std::pow(0.96, (step + 1) * momentum_decay));
      // mu_product is a float32 tensor in PyTorch whatever the parameter's dtype, so its products round
      // to float32.
      Tensor& mp = std::get<Tensor>(st["mu_product"]);
      if (mp.dtype() != kFloat32 || !mp.is_contiguous()) mp = mp.to(kFloat32).contiguous();
      float mu_product;
      if (mp.is_cpu()) {
        float* mpp = mp.data_ptr<float>();
        mu_product = mpp[0] = mpp[0] * float(mu);
      } else {  // state a user moved to the GPU
        mp.mul_(float(mu));
        mu_product = mp.item<float>();
      }
      const float mu_product_next = (mu_product * float(mu)) * float(mu_next);
      s.c = {betas[0],
             betas[1],
             group.number("eps"),
             group.number("weight_decay"),
             1 - std::pow(betas[1], step),
             -lr * (1. - mu) / (1. - double(mu_product)),
             -lr * mu_next / (1. - double(mu_product_next))};
      slots.push_back(std::move(s));
    }
    detail::run(slots, NAdamKernel{});
  }
  return loss;
}

RAdam::RAdam(ParamGroups params, double lr, Betas betas, double eps, double weight_decay)
    : Optimizer(std::move(params), {{"lr", lr},
                                    {"betas", tuple(betas)},
                                    {"eps", eps},
                                    {"weight_decay", weight_decay},
                                    {"foreach", std::monostate{}}}) {
  check_adam_args(lr, betas, eps, weight_decay);
}

namespace {
// c: beta1, beta2, eps, weight_decay, bias_correction1, lr, sqrt(bias_correction2), rect (0: unrectified)
struct RAdamKernel {
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* m = s.s[0].data_ptr<T>();
    T* v = s.s[1].data_ptr<T>();
    const T b1 = T(s.c[0]), one_b1 = T(1 - s.c[0]), b2 = T(s.c[1]), one_b2 = T(1 - s.c[1]), eps = T(s.c[2]);
    const T wd = T(s.c[3]), bc1 = T(s.c[4]), lr = T(s.c[5]), bc2_sqrt = T(s.c[6]), rect = T(s.c[7]);
    const bool decay = s.c[3] != 0, rectified = s.c[7] != 0;
    detail::sqrt_blocked<T, 1>(
        b, e,
        [&](int64_t i, T* r) {
          const T gi = decay ? g[i] + wd * p[i] : g[i];
          const T vi = v[i] * b2 + one_b2 * gi * gi;
          m[i] = m[i] * b1 + one_b1 * gi;
          v[i] = vi;
          r[0] = vi;
        },
        [&](int64_t i, const T* r) {
          T upd = (m[i] / bc1) * lr;
          if (rectified) upd = upd * (bc2_sqrt / (r[0] + eps)) * rect;
          p[i] = p[i] - upd;
        });
  }
};
}  // namespace

Tensor RAdam::step(const Closure& closure) {
  Tensor loss = run_closure(closure);
  NoGradGuard no_grad;
  for (ParamGroup& group : groups_) {
    std::vector<detail::Slot> slots;
    const std::vector<double> betas = group.numbers("betas");
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = zeros({}, kFloat32);
      s.s[0] = detail::state_buffer(st, "exp_avg", p);
      s.s[1] = detail::state_buffer(st, "exp_avg_sq", p);
      const double step = detail::increment_step_tensor(st);
      const double bc1 = 1 - std::pow(betas[0], step), bc2 = 1 - std::pow(betas[1], step);
      const double rho_inf = 2 / (1 - betas[1]) - 1;
      const double rho_t = rho_inf - 2 * step * std::pow(betas[1], step) / bc2;
      double rect = 0;
      if (rho_t > 5.)
        rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t));
      s.c = {betas[0], betas[1], group.number("eps"), group.number("weight_decay"), bc1, group.lr(),
             std::sqrt(bc2), rect};
      slots.push_back(std::move(s));
    }
    detail::run(slots, RAdamKernel{});
  }
  return loss;
}

}  // namespace ember::optim
