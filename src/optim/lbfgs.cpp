// torch.optim.LBFGS. The two-loop recursion and the line search work on one flat vector of all
// parameters with ember's vector ops (dot, add_ with alpha); the scalar bookkeeping is in double.
#include <algorithm>
#include <cmath>

#include <ember/optim/lbfgs.h>

#include "optim/fused.h"

namespace ember::optim {

LBFGS::LBFGS(ParamGroups params, double lr, int64_t max_iter, std::optional<int64_t> max_eval, double tolerance_grad,
             double tolerance_change, int64_t history_size, std::optional<std::string> line_search_fn)
    : Optimizer(std::move(params),
                {{"lr", lr},
                 {"max_iter", max_iter},
                 {"max_eval", max_eval ? *max_eval : max_iter * 5 / 4},
                 {"tolerance_grad", tolerance_grad},
                 {"tolerance_change", tolerance_change},
                 {"history_size", history_size},
                 {"line_search_fn", line_search_fn ? OptionValue(*line_search_fn) : OptionValue(std::monostate{})}}) {
  if (groups_.size() != 1) throw ValueError("LBFGS doesn't support per-parameter options (parameter groups)");
  for (const Tensor& p : groups_[0].params) {
    detail::check_param(*this, p);
    numel_ += p.numel();
  }
}

Tensor LBFGS::gather_flat_grad() const {
  std::vector<Tensor> views;
  for (const Tensor& p : groups_[0].params) {
    const Tensor& g = p.grad();
    views.push_back(g.defined() ? g.reshape({-1}) : zeros({p.numel()}, p.options()));
  }
  return cat(views, 0);
}

void LBFGS::add_grad(double step_size, const Tensor& update) {
  int64_t offset = 0;
  for (Tensor& p : groups_[0].params) {
    int64_t n = p.numel();
    p.add_(update.narrow(0, offset, n).view(p.sizes()), step_size);
    offset += n;
  }
}

std::pair<double, Tensor> LBFGS::directional_evaluate(const Closure& closure, const std::vector<Tensor>& x, double t,
                                                      const Tensor& d) {
  add_grad(t, d);
  double loss = run_closure(closure).item<double>();
  Tensor flat_grad = gather_flat_grad();
  for (size_t i = 0; i < x.size(); ++i) groups_[0].params[i].copy_(x[i]);
  return {loss, flat_grad};
}

namespace {

double scalar(const Tensor& t) { return t.item<double>(); }

double cubic_interpolate(double x1, double f1, double g1, double x2, double f2, double g2,
                         std::optional<std::pair<double, double>> bounds = std::nullopt) {
  double lo, hi;
  if (bounds)
    std::tie(lo, hi) = *bounds;
  else
    std::tie(lo, hi) = x1 <= x2 ? std::pair(x1, x2) : std::pair(x2, x1);
  double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
  double d2_square = d1 * d1 - g1 * g2;
  if (d2_square >= 0) {
    double d2 = std::sqrt(d2_square);
    double min_pos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                              : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return std::min(std::max(min_pos, lo), hi);
  }
  return (lo + hi) / 2.;
}

struct LineSearchResult {
  double f;
  Tensor g;
  double t;
  int64_t evals;
};

template <class Obj>
LineSearchResult strong_wolfe(const Obj& obj_func, double t, const Tensor& d, double f, Tensor g, double gtd,
                              double c1 = 1e-4, double c2 = 0.9, double tolerance_change = 1e-9, int max_ls = 25) {
  double d_norm = scalar(d.abs().max());
  g = g.clone();
  auto [f_new, g_new] = obj_func(t);
  int64_t ls_func_evals = 1;
  double gtd_new = scalar(dot(g_new, d));
  double t_prev = 0, f_prev = f, gtd_prev = gtd;
  Tensor g_prev = g;
  bool done = false;
  int ls_iter = 0;
  std::vector<double> bracket, bracket_f, bracket_gtd;
  std::vector<Tensor> bracket_g;
  while (ls_iter < max_ls) {
    if (f_new > (f + c1 * t * gtd) || (ls_iter > 1 && f_new >= f_prev)) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new.clone()};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    if (std::abs(gtd_new) <= -c2 * gtd) {
      bracket = {t};
      bracket_f = {f_new};
      bracket_g = {g_new};
      done = true;
      break;
    }
    if (gtd_new >= 0) {
      bracket = {t_prev, t};
      bracket_f = {f_prev, f_new};
      bracket_g = {g_prev, g_new.clone()};
      bracket_gtd = {gtd_prev, gtd_new};
      break;
    }
    double min_step = t + 0.01 * (t - t_prev);
    double max_step = t * 10;
    double tmp = t;
    t = cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, std::pair(min_step, max_step));
    t_prev = tmp;
    f_prev = f_new;
    g_prev = g_new.clone();
    gtd_prev = gtd_new;
    std::tie(f_new, g_new) = obj_func(t);
    ls_func_evals += 1;
    gtd_new = scalar(dot(g_new, d));
    ls_iter += 1;
  }
  if (ls_iter == max_ls) {
    bracket = {0, t};
    bracket_f = {f, f_new};
    bracket_g = {g, g_new};
    // PyTorch leaves bracket_gtd as it was here; the zoom below only reads it while not done.
    if (bracket_gtd.size() < 2) bracket_gtd = {gtd, gtd_new};
  }
  bool insuf_progress = false;
  int low_pos = 0, high_pos = 0;
  if (bracket_f.size() == 2) std::tie(low_pos, high_pos) = bracket_f[0] <= bracket_f[1] ? std::pair(0, 1) : std::pair(1, 0);
  while (!done && ls_iter < max_ls) {
    if (std::abs(bracket[1] - bracket[0]) * d_norm < tolerance_change) break;
    t = cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]);
    double hi = std::max(bracket[0], bracket[1]), lo = std::min(bracket[0], bracket[1]);
    double eps = 0.1 * (hi - lo);
    if (std::min(hi - t, t - lo) < eps) {
      if (insuf_progress || t >= hi || t <= lo) {
        t = std::abs(t - hi) < std::abs(t - lo) ? hi - eps : lo + eps;
        insuf_progress = false;
      } else {
        insuf_progress = true;
      }
    } else {
      insuf_progress = false;
    }
    std::tie(f_new, g_new) = obj_func(t);
    ls_func_evals += 1;
    gtd_new = scalar(dot(g_new, d));
    ls_iter += 1;
    if (f_new > (f + c1 * t * gtd) || f_new >= bracket_f[size_t(low_pos)]) {
      bracket[size_t(high_pos)] = t;
      bracket_f[size_t(high_pos)] = f_new;
      bracket_g[size_t(high_pos)] = g_new.clone();
      bracket_gtd[size_t(high_pos)] = gtd_new;
      std::tie(low_pos, high_pos) = bracket_f[0] <= bracket_f[1] ? std::pair(0, 1) : std::pair(1, 0);
    } else {
      if (std::abs(gtd_new) <= -c2 * gtd) {
        done = true;
      } else if (gtd_new * (bracket[size_t(high_pos)] - bracket[size_t(low_pos)]) >= 0) {
        bracket[size_t(high_pos)] = bracket[size_t(low_pos)];
        bracket_f[size_t(high_pos)] = bracket_f[size_t(low_pos)];
        bracket_g[size_t(high_pos)] = bracket_g[size_t(low_pos)];
        bracket_gtd[size_t(high_pos)] = bracket_gtd[size_t(low_pos)];
      }
      bracket[size_t(low_pos)] = t;
      bracket_f[size_t(low_pos)] = f_new;
      bracket_g[size_t(low_pos)] = g_new.clone();
      bracket_gtd[size_t(low_pos)] = gtd_new;
    }
  }
  return {bracket_f[size_t(low_pos)], bracket_g[size_t(low_pos)], bracket[size_t(low_pos)], ls_func_evals};
}

template <class T>
T get_or(const ParamState& st, const std::string& key, T fallback) {
  auto it = st.find(key);
  if (it == st.end()) return fallback;
  if (auto v = std::get_if<T>(&it->second)) return *v;
  return fallback;
}

double number_or(const ParamState& st, const std::string& key, double fallback) {
  auto it = st.find(key);
  if (it == st.end()) return fallback;
  if (auto v = std::get_if<double>(&it->second)) return *v;
  if (auto v = std::get_if<int64_t>(&it->second)) return double(*v);
  if (auto v = std::get_if<Tensor>(&it->second); v && v->defined()) return v->item<double>();
  return fallback;
}

}  // namespace

Tensor LBFGS::step(const Closure& closure) {
  if (!closure) throw TypeError("step() missing 1 required positional argument: 'closure'");
  NoGradGuard no_grad;
  ParamGroup& group = groups_[0];
  const double lr = group.lr();
  const int64_t max_iter = int64_t(group.number("max_iter"));
  const int64_t max_eval = int64_t(group.number("max_eval"));
  const double tolerance_grad = group.number("tolerance_grad");
  const double tolerance_change = group.number("tolerance_change");
  const int64_t history_size = int64_t(group.number("history_size"));
  const OptionValue& ls = group["line_search_fn"];
  const std::string* line_search_fn = std::get_if<std::string>(&ls);
  if (line_search_fn && *line_search_fn != "strong_wolfe") throw Error("only 'strong_wolfe' is supported");
  const std::vector<Tensor>& params = group.params;
  const TensorOptions opts = params.at(0).options();
  // PyTorch keeps ys, ro, H_diag, al and the first step size as 0-dim tensors of the parameters' dtype;
  // rounding to it keeps float32 runs on PyTorch's path.
  const bool f32 = params[0].dtype() == kFloat32;
  auto rnd = [f32](double v) { return f32 ? double(float(v)) : v; };

  ParamState& state = this->state(params[0]);
  state.emplace("func_evals", int64_t(0));
  state.emplace("n_iter", int64_t(0));

  Tensor orig_loss = run_closure(closure);
  double loss = orig_loss.item<double>();
  int64_t current_evals = 1;
  std::get<int64_t>(state["func_evals"]) += 1;

  Tensor flat_grad = gather_flat_grad();
  bool opt_cond = scalar(flat_grad.abs().max()) <= tolerance_grad;
  if (opt_cond) return orig_loss;

  Tensor d = get_or<Tensor>(state, "d", Tensor());
  double t = number_or(state, "t", 0);
  std::vector<Tensor> old_dirs = get_or<std::vector<Tensor>>(state, "old_dirs", {});
  std::vector<Tensor> old_stps = get_or<std::vector<Tensor>>(state, "old_stps", {});
  std::vector<double> ro;
  for (const Tensor& r : get_or<std::vector<Tensor>>(state, "ro", {})) ro.push_back(scalar(r));
  double H_diag = number_or(state, "H_diag", 1);
  Tensor prev_flat_grad = get_or<Tensor>(state, "prev_flat_grad", Tensor());
  double prev_loss = number_or(state, "prev_loss", 0);

  int64_t n_iter = 0;
  while (n_iter < max_iter) {
    n_iter += 1;
    int64_t& state_n_iter = std::get<int64_t>(state["n_iter"]);
    state_n_iter += 1;
    if (state_n_iter == 1) {
      d = flat_grad.neg();
      old_dirs.clear();
      old_stps.clear();
      ro.clear();
      H_diag = 1;
    } else {
      Tensor y = flat_grad.sub(prev_flat_grad);
      Tensor s = d.mul(t);
      double ys = scalar(dot(y, s));
      if (ys > 1e-10) {
        if (int64_t(old_dirs.size()) == history_size) {
          old_dirs.erase(old_dirs.begin());
          old_stps.erase(old_stps.begin());
          ro.erase(ro.begin());
        }
        old_dirs.push_back(y);
        old_stps.push_back(s);
        ro.push_back(rnd(1. / ys));
        H_diag = rnd(ys / scalar(dot(y, y)));
      }
      const size_t num_old = old_dirs.size();
      if (!state.count("al")) state["al"] = std::vector<Tensor>(size_t(history_size));
      std::vector<Tensor>& al_t = std::get<std::vector<Tensor>>(state["al"]);
      std::vector<double> al(num_old);
      Tensor q = flat_grad.neg();
      for (size_t k = num_old; k-- > 0;) {
        al[k] = rnd(scalar(dot(old_stps[k], q)) * ro[k]);
        q.add_(old_dirs[k], -al[k]);
      }
      d = q.mul(H_diag);
      for (size_t k = 0; k < num_old; ++k) {
        double be_i = rnd(scalar(dot(old_dirs[k], d)) * ro[k]);
        d.add_(old_stps[k], rnd(al[k] - be_i));
      }
      for (size_t k = 0; k < num_old; ++k) al_t[k] = full({}, al[k], opts);
    }
    if (!prev_flat_grad.defined())
      prev_flat_grad = flat_grad.clone();
    else
      prev_flat_grad.copy_(flat_grad);
    prev_loss = loss;

    if (state_n_iter == 1) {
      const double inv = rnd(1. / scalar(flat_grad.abs().sum()));
      t = inv < 1. ? rnd(inv * lr) : lr;
    } else {
      t = lr;
    }

    double gtd = scalar(dot(flat_grad, d));
    if (gtd > -tolerance_change) break;

    int64_t ls_func_evals = 0;
    if (line_search_fn) {
      std::vector<Tensor> x_init;
      for (const Tensor& p : params) x_init.push_back(p.clone());
      auto obj_func = [&](double step) { return directional_evaluate(closure, x_init, step, d); };
      LineSearchResult r = strong_wolfe(obj_func, t, d, loss, flat_grad, gtd);
      loss = r.f;
      flat_grad = r.g;
      t = r.t;
      ls_func_evals = r.evals;
      add_grad(t, d);
      opt_cond = scalar(flat_grad.abs().max()) <= tolerance_grad;
    } else {
      add_grad(t, d);
      if (n_iter != max_iter) {
        loss = run_closure(closure).item<double>();
        flat_grad = gather_flat_grad();
        opt_cond = scalar(flat_grad.abs().max()) <= tolerance_grad;
        ls_func_evals = 1;
      }
    }
    current_evals += ls_func_evals;
    std::get<int64_t>(state["func_evals"]) += ls_func_evals;

    if (n_iter == max_iter) break;
    if (current_evals >= max_eval) break;
    if (opt_cond) break;
    if (scalar(d.mul(t).abs().max()) <= tolerance_change) break;
    if (std::abs(loss - prev_loss) < tolerance_change) break;
  }

  std::vector<Tensor> ro_t;
  for (double r : ro) ro_t.push_back(full({}, r, opts));
  state["d"] = d;
  state["t"] = t;
  state["old_dirs"] = old_dirs;
  state["old_stps"] = old_stps;
  state["ro"] = ro_t;
  state["H_diag"] = full({}, H_diag, opts);
  state["prev_flat_grad"] = prev_flat_grad;
  state["prev_loss"] = prev_loss;
  return orig_loss;
}

}  // namespace ember::optim
