// The Adam family (Adam, AdamW, Adamax, NAdam, RAdam), each one fused pass per parameter that follows
// PyTorch 1.13's single-tensor update term by term.
#include <cmath>

#include <ember/optim/adam.h>

#include "optim/fused.h"

namespace ember::optim {

namespace {
std::string num(double x) { return to_string(OptionValue(x)); }

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

// c: lr, beta1, beta2, eps, weight_decay, step_size, bias_correction2_sqrt; flags: amsgrad, maximize, decoupled
struct AdamKernel {
  bool amsgrad, maximize, decoupled;
  template <class T>
  void operator()(detail::Slot& s, int64_t b, int64_t e) const {
    T* p = s.p.data_ptr<T>();
    const T* g = s.g.data_ptr<T>();
    T* m = s.s[0].data_ptr<T>();
    T* v = s.s[1].data_ptr<T>();
    T* vmax = detail::ptr<T>(s.s[2]);
    const T b1 = T(s.c[1]), one_b1 = T(1 - s.c[1]), b2 = T(s.c[2]), one_b2 = T(1 - s.c[2]), eps = T(s.c[3]);
    const T wd = T(s.c[4]), neg_step = T(-s.c[5]), bc2 = T(s.c[6]), shrink = T(1 - s.c[0] * s.c[4]);
    const bool decay = s.c[4] != 0;
    for (int64_t i = b; i < e; ++i) {
      T gi = maximize ? -g[i] : g[i];
      T pi = p[i];
      if (decoupled)
        pi = pi * shrink;
      else if (decay)
        gi = gi + wd * pi;
      T mi = m[i] * b1 + one_b1 * gi;
      T vi = v[i] * b2 + one_b2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      T denom_src = vi;
      if (amsgrad) {
        denom_src = vmax[i] < vi ? vi : vmax[i];
        vmax[i] = denom_src;
      }
      T denom = std::sqrt(denom_src) / bc2 + eps;
      p[i] = pi + neg_step * (mi / denom);
    }
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
    const std::vector<double> betas = group.numbers("betas");
    const double lr = group.lr();
    const bool amsgrad = group.flag("amsgrad");
    for (const Tensor& p : group.params) {
      if (!p.grad().defined()) continue;
      detail::Slot s = detail::make_slot(*this, p);
      ParamState& st = state(p);
      if (st.empty()) st["step"] = zeros({}, kFloat32);
      s.s[0] = detail::state_buffer(st, "exp_avg", p);
      s.s[1] = detail::state_buffer(st, "exp_avg_sq", p);
      if (amsgrad) s.s[2] = detail::state_buffer(st, "max_exp_avg_sq", p);
      const double step = detail::increment_step_tensor(st);
      const double bc1 = 1 - std::pow(betas[0], step), bc2 = 1 - std::pow(betas[1], step);
      s.c = {lr, betas[0], betas[1], group.number("eps"), group.number("weight_decay"), lr / bc1, std::sqrt(bc2)};
      slots.push_back(std::move(s));
    }
    detail::run(slots, AdamKernel{amsgrad, group.flag("maximize"), decoupled_weight_decay()});
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
    const bool decay = s.c[3] != 0, maximize = s.c[5] != 0;
    for (int64_t i = b; i < e; ++i) {
      T gi = maximize ? -g[i] : g[i];
      if (decay) gi = gi + wd * p[i];
      T mi = m[i] * b1 + one_b1 * gi;
      T a = u[i] * b2, c = std::abs(gi) + eps;
      // torch.amax propagates NaN
      T ui = (a != a || a > c) ? a : c;
      m[i] = mi;
      u[i] = ui;
      p[i] = p[i] + neg_clr * (mi / ui);
    }
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
    for (int64_t i = b; i < e; ++i) {
      T gi = g[i];
      if (decay) gi = gi + wd * p[i];
      T mi = m[i] * b1 + one_b1 * gi;
      T vi = v[i] * b2 + one_b2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      T denom = std::sqrt(vi / bc2) + eps;
      T pi = p[i] + cg * (gi / denom);
      p[i] = pi + cm * (mi / denom);
    }
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
      float* mpp = mp.data_ptr<float>();
      mpp[0] = mpp[0] * float(mu);
      const float mu_product_next = (mpp[0] * float(mu)) * float(mu_next);
      s.c = {betas[0],
             betas[1],
             group.number("eps"),
             group.number("weight_decay"),
             1 - std::pow(betas[1], step),
             -lr * (1. - mu) / (1. - double(mpp[0])),
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
    for (int64_t i = b; i < e; ++i) {
      T gi = g[i];
      if (decay) gi = gi + wd * p[i];
      T mi = m[i] * b1 + one_b1 * gi;
      T vi = v[i] * b2 + one_b2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      T upd = (mi / bc1) * lr;
      if (rectified) upd = upd * (bc2_sqrt / (std::sqrt(vi) + eps)) * rect;
      p[i] = p[i] - upd;
    }
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
