// The learning-rate schedulers of torch.optim.lr_scheduler, formula for formula as PyTorch 1.13.
#include <ember/optim/lr_scheduler.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include <ember/core/error.h>

#include "optim/number_format.h"

namespace ember::optim {

namespace {
constexpr double kPi = 3.14159265358979323846;


// One value for every group, or one per group (PyTorch's _format_param).
std::vector<double> per_group(const Optimizer& opt, const std::string& name, const std::vector<double>& v) {
  const size_t n = opt.param_groups().size();
  if (v.size() == 1) return std::vector<double>(n, v[0]);
  if (v.size() != n)
    throw ValueError(ember::detail::str("expected ", n, " values for ", name, ", got ", v.size()));
  return v;
}
}  // namespace

// ---- StateBinder ----------------------------------------------------------------------------------

const OptionValue& StateBinder::get(const std::string& key) const {
  auto it = in_->values.find(key);
  if (it == in_->values.end()) throw Error(ember::detail::str("scheduler state_dict has no entry '", key, "'"));
  return it->second;
}
void StateBinder::operator()(const std::string& key, double& v) {
  if (out_)
    out_->values[key] = v;
  else
    v = to_double(get(key), key);
}
void StateBinder::operator()(const std::string& key, int64_t& v) {
  if (out_)
    out_->values[key] = v;
  else
    v = int64_t(to_double(get(key), key));
}
void StateBinder::operator()(const std::string& key, bool& v) {
  if (out_)
    out_->values[key] = v;
  else
    v = to_bool(get(key), key);
}
void StateBinder::operator()(const std::string& key, std::string& v) {
  if (out_) {
    out_->values[key] = v;
  } else {
    auto s = std::get_if<std::string>(&get(key));
    if (!s) throw TypeError(ember::detail::str("scheduler state_dict entry '", key, "' is not a string"));
    v = *s;
  }
}
void StateBinder::operator()(const std::string& key, std::vector<double>& v) {
  if (out_) {
    out_->values[key] = v;
  } else if (auto d = std::get_if<std::vector<double>>(&get(key))) {
    v = *d;
  } else if (auto i = std::get_if<std::vector<int64_t>>(&get(key))) {
    v.assign(i->begin(), i->end());
  } else {
    throw TypeError(ember::detail::str("scheduler state_dict entry '", key, "' is not a list of numbers"));
  }
}
void StateBinder::operator()(const std::string& key, std::vector<int64_t>& v) {
  if (out_) {
    out_->values[key] = v;
  } else {
    auto i = std::get_if<std::vector<int64_t>>(&get(key));
    if (!i) throw TypeError(ember::detail::str("scheduler state_dict entry '", key, "' is not a list of ints"));
    v = *i;
  }
}

// ---- LRScheduler ----------------------------------------------------------------------------------

LRScheduler::LRScheduler(Optimizer& optimizer, int64_t last_epoch) : optimizer_(&optimizer), last_epoch_(last_epoch) {
  auto& groups = optimizer.param_groups();
  for (size_t i = 0; i < groups.size(); ++i) {
    if (last_epoch == -1)
      groups[i].options.emplace("initial_lr", groups[i]["lr"]);
    else if (!groups[i].has("initial_lr"))
      throw Error(ember::detail::str("KeyError: \"param 'initial_lr' is not specified in param_groups[", i,
                              "] when resuming an optimizer\""));
    base_lrs_.push_back(groups[i].number("initial_lr"));
  }
}

void LRScheduler::initial_step() {
  step_count_ = 0;
  step();
}

std::vector<double> LRScheduler::group_lrs() const {
  std::vector<double> out;
  for (const ParamGroup& g : optimizer_->param_groups()) out.push_back(g.lr());
  return out;
}

void LRScheduler::apply(const std::vector<double>& lrs) {
  auto& groups = optimizer_->param_groups();
  for (size_t i = 0; i < groups.size() && i < lrs.size(); ++i) groups[i].set_lr(lrs[i]);
  last_lr_ = group_lrs();
}

void LRScheduler::step() {
  step_count_ += 1;
  last_epoch_ += 1;
  apply(get_lr());
}

void LRScheduler::step(int64_t epoch) {
  step_count_ += 1;
  last_epoch_ = epoch;
  auto closed = closed_form_lr();
  apply(closed ? *closed : get_lr());
}

void LRScheduler::bind(StateBinder& b) {
  bool verbose = false, within_step = false;
  b("base_lrs", base_lrs_);
  b("last_epoch", last_epoch_);
  b("verbose", verbose);
  b("_step_count", step_count_);
  b("_get_lr_called_within_step", within_step);
  b("_last_lr", last_lr_);
}

SchedulerStateDict LRScheduler::state_dict() const {
  SchedulerStateDict sd;
  StateBinder b(&sd, nullptr);
  const_cast<LRScheduler*>(this)->bind(b);
  save_children(sd);
  return sd;
}

void LRScheduler::load_state_dict(const SchedulerStateDict& sd) {
  StateBinder b(nullptr, &sd);
  bind(b);
  load_children(sd);
}

// ---- LambdaLR, MultiplicativeLR ----------------------------------------------------------------------

LambdaLR::LambdaLR(Optimizer& optimizer, Lambda lr_lambda, int64_t last_epoch)
    : LambdaLR(optimizer, std::vector<Lambda>(optimizer.param_groups().size(), lr_lambda), last_epoch) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch)
    : LambdaLR(optimizer, std::move(lr_lambdas), last_epoch, true) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch, bool step)
    : LRScheduler(optimizer, last_epoch), lr_lambdas_(std::move(lr_lambdas)) {
  if (lr_lambdas_.size() != optimizer.param_groups().size())
    throw ValueError(ember::detail::str("Expected ", optimizer.param_groups().size(), " lr_lambdas, but got ",
                                 lr_lambdas_.size()));
  if (step) initial_step();
}

std::vector<double> LambdaLR::get_lr() {
  std::vector<double> out;
  for (size_t i = 0; i < base_lrs_.size(); ++i) out.push_back(base_lrs_[i] * lr_lambdas_[i](last_epoch_));
  return out;
}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, Lambda lr_lambda, int64_t last_epoch)
    : MultiplicativeLR(optimizer, std::vector<Lambda>(optimizer.param_groups().size(), lr_lambda), last_epoch) {}

MultiplicativeLR::MultiplicativeLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch)
    : LambdaLR(optimizer, std::move(lr_lambdas), last_epoch, false) {
  initial_step();
}

std::vector<double> MultiplicativeLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ > 0)
    for (size_t i = 0; i < out.size(); ++i) out[i] *= lr_lambdas_[i](last_epoch_);
  return out;
}

// ---- StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR ---------------------------

StepLR::StepLR(Optimizer& optimizer, int64_t step_size, double gamma, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), step_size_(step_size), gamma_(gamma) {
  initial_step();
}
std::vector<double> StepLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ == 0 || last_epoch_ % step_size_ != 0) return out;
  for (double& lr : out) lr *= gamma_;
  return out;
}
std::optional<std::vector<double>> StepLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_) out.push_back(b * std::pow(gamma_, double(last_epoch_ / step_size_)));
  return out;
}
void StepLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("step_size", step_size_);
  b("gamma", gamma_);
}

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), milestones_(std::move(milestones)), gamma_(gamma) {
  std::sort(milestones_.begin(), milestones_.end());
  initial_step();
}
std::vector<double> MultiStepLR::get_lr() {
  std::vector<double> out = group_lrs();
  auto count = std::count(milestones_.begin(), milestones_.end(), last_epoch_);
  if (count == 0) return out;
  for (double& lr : out) lr *= std::pow(gamma_, double(count));
  return out;
}
std::optional<std::vector<double>> MultiStepLR::closed_form_lr() {
  auto k = std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin();
  std::vector<double> out;
  for (double b : base_lrs_) out.push_back(b * std::pow(gamma_, double(k)));
  return out;
}
void MultiStepLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("milestones", milestones_);
  b("gamma", gamma_);
}

ConstantLR::ConstantLR(Optimizer& optimizer, double factor, int64_t total_iters, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), factor_(factor), total_iters_(total_iters) {
  if (factor > 1.0 || factor < 0) throw ValueError("Constant multiplicative factor expected to be between 0 and 1.");
  initial_step();
}
std::vector<double> ConstantLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ == 0) {
    for (double& lr : out) lr *= factor_;
  } else if (last_epoch_ == total_iters_) {
    for (double& lr : out) lr *= 1.0 / factor_;
  }
  return out;
}
std::optional<std::vector<double>> ConstantLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_) out.push_back(b * (factor_ + double(last_epoch_ >= total_iters_) * (1 - factor_)));
  return out;
}
void ConstantLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("factor", factor_);
  b("total_iters", total_iters_);
}

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor, int64_t total_iters,
                   int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), start_factor_(start_factor), end_factor_(end_factor),
      total_iters_(total_iters) {
  if (start_factor > 1.0 || start_factor < 0)
    throw ValueError("Starting multiplicative factor expected to be between 0 and 1.");
  if (end_factor > 1.0 || end_factor < 0)
    throw ValueError("Ending multiplicative factor expected to be between 0 and 1.");
  initial_step();
}
std::vector<double> LinearLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ == 0) {
    for (double& lr : out) lr *= start_factor_;
  } else if (last_epoch_ <= total_iters_) {
    const double f = 1.0 + (end_factor_ - start_factor_) /
                               (double(total_iters_) * start_factor_ +
                                double(last_epoch_ - 1) * (end_factor_ - start_factor_));
    for (double& lr : out) lr *= f;
  }
  return out;
}
std::optional<std::vector<double>> LinearLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_)
    out.push_back(b * (start_factor_ + (end_factor_ - start_factor_) *
                                           double(std::min(total_iters_, last_epoch_)) / double(total_iters_)));
  return out;
}
void LinearLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("start_factor", start_factor_);
  b("end_factor", end_factor_);
  b("total_iters", total_iters_);
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), gamma_(gamma) {
  initial_step();
}
std::vector<double> ExponentialLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ != 0)
    for (double& lr : out) lr *= gamma_;
  return out;
}
std::optional<std::vector<double>> ExponentialLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_) out.push_back(b * std::pow(gamma_, double(last_epoch_)));
  return out;
}
void ExponentialLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("gamma", gamma_);
}

PolynomialLR::PolynomialLR(Optimizer& optimizer, int64_t total_iters, double power, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), total_iters_(total_iters), power_(power) {
  initial_step();
}
std::vector<double> PolynomialLR::get_lr() {
  std::vector<double> out = group_lrs();
  if (last_epoch_ == 0 || last_epoch_ > total_iters_) return out;
  const double T = double(total_iters_), e = double(last_epoch_);
  const double decay = std::pow((1.0 - e / T) / (1.0 - (e - 1) / T), power_);
  for (double& lr : out) lr *= decay;
  return out;
}
std::optional<std::vector<double>> PolynomialLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_)
    out.push_back(b * std::pow(1.0 - double(std::min(total_iters_, last_epoch_)) / double(total_iters_), power_));
  return out;
}
void PolynomialLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("total_iters", total_iters_);
  b("power", power_);
}

// ---- CosineAnnealingLR, CosineAnnealingWarmRestarts ------------------------------------------------------

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), T_max_(T_max), eta_min_(eta_min) {
  initial_step();
}
std::vector<double> CosineAnnealingLR::get_lr() {
  std::vector<double> out = group_lrs();
  const double T = double(T_max_), e = double(last_epoch_);
  if (last_epoch_ == 0) return out;
  if (step_count_ == 1 && last_epoch_ > 0) {
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = eta_min_ + (base_lrs_[i] - eta_min_) * (1 + std::cos(e * kPi / T)) / 2;
  } else if ((last_epoch_ - 1 - T_max_) % (2 * T_max_) == 0) {
    for (size_t i = 0; i < out.size(); ++i) out[i] += (base_lrs_[i] - eta_min_) * (1 - std::cos(kPi / T)) / 2;
  } else {
    for (double& lr : out)
      lr = (1 + std::cos(kPi * e / T)) / (1 + std::cos(kPi * (e - 1) / T)) * (lr - eta_min_) + eta_min_;
  }
  return out;
}
std::optional<std::vector<double>> CosineAnnealingLR::closed_form_lr() {
  std::vector<double> out;
  for (double b : base_lrs_)
    out.push_back(eta_min_ + (b - eta_min_) * (1 + std::cos(kPi * double(last_epoch_) / double(T_max_))) / 2);
  return out;
}
void CosineAnnealingLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("T_max", T_max_);
  b("eta_min", eta_min_);
}

CosineAnnealingWarmRestarts::CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0, int64_t T_mult,
                                                         double eta_min, int64_t last_epoch)
    : LRScheduler(optimizer, last_epoch), T_0_(T_0), T_i_(T_0), T_mult_(T_mult), eta_min_(eta_min),
      T_cur_(double(last_epoch)) {
  if (T_0 <= 0) throw ValueError(ember::detail::str("Expected positive integer T_0, but got ", T_0));
  if (T_mult < 1) throw ValueError(ember::detail::str("Expected integer T_mult >= 1, but got ", T_mult));
  step_count_ = 0;
  step();
}
std::vector<double> CosineAnnealingWarmRestarts::get_lr() {
  std::vector<double> out;
  for (double b : base_lrs_)
    out.push_back(eta_min_ + (b - eta_min_) * (1 + std::cos(kPi * T_cur_ / double(T_i_))) / 2);
  return out;
}
void CosineAnnealingWarmRestarts::set_lrs() { apply(get_lr()); }
void CosineAnnealingWarmRestarts::step() {
  if (last_epoch_ < 0) return step(0.0);
  T_cur_ += 1;
  if (T_cur_ >= double(T_i_)) {
    T_cur_ -= double(T_i_);
    T_i_ *= T_mult_;
  }
  last_epoch_ += 1;
  set_lrs();
}
void CosineAnnealingWarmRestarts::step(double epoch) {
  if (epoch < 0) throw ValueError("Expected non-negative epoch, but got " + num(epoch));
  if (epoch >= double(T_0_)) {
    if (T_mult_ == 1) {
      T_cur_ = std::fmod(epoch, double(T_0_));
    } else {
      const double n = std::floor(std::log(epoch / double(T_0_) * double(T_mult_ - 1) + 1) / std::log(double(T_mult_)));
      T_cur_ = epoch - double(T_0_) * (std::pow(double(T_mult_), n) - 1) / double(T_mult_ - 1);
      T_i_ = T_0_ * int64_t(std::pow(double(T_mult_), n));
    }
  } else {
    T_i_ = T_0_;
    T_cur_ = epoch;
  }
  last_epoch_ = int64_t(std::floor(epoch));
  set_lrs();
}
void CosineAnnealingWarmRestarts::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("T_0", T_0_);
  b("T_i", T_i_);
  b("T_mult", T_mult_);
  b("eta_min", eta_min_);
  b("T_cur", T_cur_);
}

// ---- CyclicLR, OneCycleLR -------------------------------------------------------------------------

CyclicLR::CyclicLR(Optimizer& optimizer, std::vector<double> base_lr, std::vector<double> max_lr, double step_size_up,
                   std::optional<double> step_size_down, std::string mode, double gamma, ScaleFn scale_fn,
                   std::string scale_mode, bool cycle_momentum, std::vector<double> base_momentum,
                   std::vector<double> max_momentum, int64_t last_epoch)
    : LRScheduler((
          [&]() -> Optimizer& {
            // PyTorch sets the groups' lr to base_lr before the base class records initial_lr.
            std::vector<double> lrs = per_group(optimizer, "base_lr", base_lr);
            if (last_epoch == -1)
              for (size_t i = 0; i < lrs.size(); ++i) optimizer.param_groups()[i].set_lr(lrs[i]);
            return optimizer;
          })(),
                  last_epoch),
      gamma_(gamma), mode_(std::move(mode)), scale_fn_(std::move(scale_fn)), cycle_momentum_(cycle_momentum) {
  const std::vector<double> base_lrs = per_group(optimizer, "base_lr", base_lr);
  max_lrs_ = per_group(optimizer, "max_lr", max_lr);
  const double down = step_size_down ? *step_size_down : step_size_up;
  total_size_ = step_size_up + down;
  step_ratio_ = step_size_up / total_size_;
  if (mode_ != "triangular" && mode_ != "triangular2" && mode_ != "exp_range" && !scale_fn_)
    throw ValueError("mode is invalid and scale_fn is None");
  scale_mode_ = scale_fn_ ? scale_mode : (mode_ == "exp_range" ? "iterations" : "cycle");
  if (cycle_momentum_) {
    if (!optimizer.defaults().count("momentum"))
      throw ValueError("optimizer must support momentum with `cycle_momentum` option enabled");
    std::vector<double> bm = per_group(optimizer, "base_momentum", base_momentum);
    auto& groups = optimizer.param_groups();
    if (last_epoch == -1)
      for (size_t i = 0; i < groups.size(); ++i) groups[i]["momentum"] = bm[i];
    for (const ParamGroup& g : groups) base_momentums_.push_back(g.number("momentum"));
    max_momentums_ = per_group(optimizer, "max_momentum", max_momentum);
  }
  initial_step();
  base_lrs_ = base_lrs;
}
double CyclicLR::scale(double x) const {
  if (scale_fn_) return scale_fn_(x);
  if (mode_ == "triangular") return 1.0;
  if (mode_ == "triangular2") return 1 / std::pow(2.0, x - 1);
  return std::pow(gamma_, x);
}
std::vector<double> CyclicLR::get_lr() {
  const double e = double(last_epoch_);
  const double cycle = std::floor(1 + e / total_size_);
  const double x = 1. + e / total_size_ - cycle;
  const double scale_factor = x <= step_ratio_ ? x / step_ratio_ : (x - 1) / (step_ratio_ - 1);
  const double s = scale(scale_mode_ == "cycle" ? cycle : e);
  std::vector<double> lrs;
  for (size_t i = 0; i < base_lrs_.size(); ++i) lrs.push_back(base_lrs_[i] + (max_lrs_[i] - base_lrs_[i]) * scale_factor * s);
  if (cycle_momentum_) {
    auto& groups = optimizer_->param_groups();
    for (size_t i = 0; i < groups.size(); ++i)
      groups[i]["momentum"] = max_momentums_[i] - (max_momentums_[i] - base_momentums_[i]) * scale_factor * s;
  }
  return lrs;
}
void CyclicLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("max_lrs", max_lrs_);
  b("total_size", total_size_);
  b("step_ratio", step_ratio_);
  b("mode", mode_);
  b("gamma", gamma_);
  b("scale_mode", scale_mode_);
  b("cycle_momentum", cycle_momentum_);
  if (cycle_momentum_) {
    b("base_momentums", base_momentums_);
    b("max_momentums", max_momentums_);
  }
}

namespace {
Optimizer& one_cycle_prepare(Optimizer& optimizer, const std::vector<double>& max_lr, double div_factor,
                             double final_div_factor, bool cycle_momentum, const std::vector<double>& base_momentum,
                             const std::vector<double>& max_momentum, int64_t last_epoch) {
  std::vector<double> max_lrs = per_group(optimizer, "max_lr", max_lr);
  auto& groups = optimizer.param_groups();
  if (last_epoch == -1)
    for (size_t i = 0; i < groups.size(); ++i) {
      groups[i]["initial_lr"] = max_lrs[i] / div_factor;
      groups[i]["max_lr"] = max_lrs[i];
      groups[i]["min_lr"] = max_lrs[i] / div_factor / final_div_factor;
    }
  if (cycle_momentum) {
    const bool has_betas = optimizer.defaults().count("betas") != 0;
    if (!optimizer.defaults().count("momentum") && !has_betas)
      throw ValueError("optimizer must support momentum with `cycle_momentum` option enabled");
    std::vector<double> mm = per_group(optimizer, "max_momentum", max_momentum);
    std::vector<double> bm = per_group(optimizer, "base_momentum", base_momentum);
    if (last_epoch == -1)
      for (size_t i = 0; i < groups.size(); ++i) {
        if (has_betas) {
          std::vector<double> betas = groups[i].numbers("betas");
          betas[0] = mm[i];
          groups[i]["betas"] = betas;
        } else {
          groups[i]["momentum"] = mm[i];
        }
        groups[i]["max_momentum"] = mm[i];
        groups[i]["base_momentum"] = bm[i];
      }
  }
  return optimizer;
}

int64_t one_cycle_total(std::optional<int64_t> total_steps, std::optional<int64_t> epochs,
                        std::optional<int64_t> steps_per_epoch) {
  if (!total_steps && !epochs && !steps_per_epoch)
    throw ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)");
  if (total_steps) {
    if (*total_steps <= 0)
      throw ValueError(ember::detail::str("Expected positive integer total_steps, but got ", *total_steps));
    return *total_steps;
  }
  if (!epochs || *epochs <= 0)
    throw ValueError(ember::detail::str("Expected positive integer epochs, but got ", epochs ? to_string(OptionValue(*epochs)) : "None"));
  if (!steps_per_epoch || *steps_per_epoch <= 0)
    throw ValueError(ember::detail::str("Expected positive integer steps_per_epoch, but got ",
                                 steps_per_epoch ? to_string(OptionValue(*steps_per_epoch)) : "None"));
  return *epochs * *steps_per_epoch;
}
}  // namespace

OneCycleLR::OneCycleLR(Optimizer& optimizer, std::vector<double> max_lr, std::optional<int64_t> total_steps,
                       std::optional<int64_t> epochs, std::optional<int64_t> steps_per_epoch, double pct_start,
                       std::string anneal_strategy, bool cycle_momentum, std::vector<double> base_momentum,
                       std::vector<double> max_momentum, double div_factor, double final_div_factor,
                       bool three_phase, int64_t last_epoch)
    : LRScheduler(((void)one_cycle_total(total_steps, epochs, steps_per_epoch),
                   one_cycle_prepare(optimizer, max_lr, div_factor, final_div_factor, cycle_momentum, base_momentum,
                                     max_momentum, last_epoch)),
                  last_epoch),
      total_steps_(one_cycle_total(total_steps, epochs, steps_per_epoch)),
      anneal_strategy_(std::move(anneal_strategy)), cycle_momentum_(cycle_momentum) {
  const double T = double(total_steps_);
  if (three_phase)
    phases_ = {{pct_start * T - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
               {2 * pct_start * T - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"},
               {T - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"}};
  else
    phases_ = {{pct_start * T - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"},
               {T - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"}};
  if (pct_start < 0 || pct_start > 1)
    throw ValueError("Expected float between 0 and 1 pct_start, but got " + num(pct_start));
  if (anneal_strategy_ != "cos" && anneal_strategy_ != "linear")
    throw ValueError("anneal_strategy must by one of 'cos' or 'linear', instead got " + anneal_strategy_);
  use_beta1_ = cycle_momentum_ && optimizer.defaults().count("betas") != 0;
  initial_step();
}
double OneCycleLR::anneal(double start, double end, double pct) const {
  if (anneal_strategy_ == "cos") return end + (start - end) / 2.0 * (std::cos(kPi * pct) + 1);
  return (end - start) * pct + start;
}
std::vector<double> OneCycleLR::get_lr() {
  const int64_t step_num = last_epoch_;
  if (step_num > total_steps_)
    throw ValueError(ember::detail::str("Tried to step ", step_num + 1, " times. The specified number of total steps is ",
                                 total_steps_));
  std::vector<double> lrs;
  for (ParamGroup& group : optimizer_->param_groups()) {
    double start_step = 0, lr = 0, momentum = 0;
    for (size_t i = 0; i < phases_.size(); ++i) {
      const Phase& ph = phases_[i];
      if (double(step_num) <= ph.end_step || i == phases_.size() - 1) {
        const double pct = (double(step_num) - start_step) / (ph.end_step - start_step);
        lr = anneal(group.number(ph.start_lr), group.number(ph.end_lr), pct);
        if (cycle_momentum_) momentum = anneal(group.number(ph.start_momentum), group.number(ph.end_momentum), pct);
        break;
      }
      start_step = ph.end_step;
    }
    lrs.push_back(lr);
    if (cycle_momentum_) {
      if (use_beta1_) {
        std::vector<double> betas = group.numbers("betas");
        betas[0] = momentum;
        group["betas"] = betas;
      } else {
        group["momentum"] = momentum;
      }
    }
  }
  return lrs;
}
void OneCycleLR::bind(StateBinder& b) {
  LRScheduler::bind(b);
  b("total_steps", total_steps_);
  b("cycle_momentum", cycle_momentum_);
  if (cycle_momentum_) b("use_beta1", use_beta1_);
}

// ---- SequentialLR, ChainedScheduler ---------------------------------------------------------------------

SequentialLR::SequentialLR(Optimizer& optimizer, std::vector<LRScheduler*> schedulers, std::vector<int64_t> milestones,
                           int64_t last_epoch)
    : LRScheduler(optimizer, -1), schedulers_(std::move(schedulers)), milestones_(std::move(milestones)) {
  for (size_t i = 0; i < schedulers_.size(); ++i) {
    if (&schedulers_[i]->optimizer() != &optimizer)
      throw ValueError(ember::detail::str("Sequential Schedulers expects all schedulers to belong to the same optimizer, but "
                                   "got schedulers at index ", i, " to be different than the optimizer passed in."));
  }
  if (milestones_.size() != schedulers_.size() - 1 || schedulers_.empty())
    throw ValueError(ember::detail::str("Sequential Schedulers expects number of schedulers provided to be one more than the "
                                 "number of milestone points, but got number of schedulers ",
                                 schedulers_.size(), " and the number of milestones to be equal to ",
                                 milestones_.size()));
  last_epoch_ = last_epoch + 1;
  for (ParamGroup& g : optimizer.param_groups()) g["lr"] = g["initial_lr"];
  for (LRScheduler* s : schedulers_) s->last_epoch_ -= 1;
  schedulers_[0]->initial_step();
  last_lr_ = schedulers_[0]->get_last_lr();
}
void SequentialLR::step() {
  last_epoch_ += 1;
  const size_t idx = size_t(std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin());
  LRScheduler* s = schedulers_[idx];
  if (idx > 0 && milestones_[idx - 1] == last_epoch_)
    s->step(int64_t(0));
  else
    s->step();
  last_lr_ = s->get_last_lr();
}
void SequentialLR::bind(StateBinder& b) {
  b("_milestones", milestones_);
  b("last_epoch", last_epoch_);
  b("_last_lr", last_lr_);
}
void SequentialLR::save_children(SchedulerStateDict& sd) const {
  for (LRScheduler* s : schedulers_) sd.schedulers.push_back(s->state_dict());
}
void SequentialLR::load_children(const SchedulerStateDict& sd) {
  if (sd.schedulers.size() != schedulers_.size())
    throw ValueError(ember::detail::str("SequentialLR state_dict has ", sd.schedulers.size(), " schedulers, expected ",
                                 schedulers_.size()));
  for (size_t i = 0; i < schedulers_.size(); ++i) schedulers_[i]->load_state_dict(sd.schedulers[i]);
}

ChainedScheduler::ChainedScheduler(std::vector<LRScheduler*> schedulers)
    : LRScheduler(schedulers.at(0)->optimizer(), -1), schedulers_(std::move(schedulers)) {
  for (size_t i = 1; i < schedulers_.size(); ++i)
    if (&schedulers_[i]->optimizer() != &schedulers_[0]->optimizer())
      throw ValueError(ember::detail::str("ChainedScheduler expects all schedulers to belong to the same optimizer, but got "
                                   "schedulers at index 0 and ", i, " to be different"));
  last_lr_ = group_lrs();
}
void ChainedScheduler::step() {
  for (LRScheduler* s : schedulers_) s->step();
  last_lr_ = group_lrs();
}
void ChainedScheduler::bind(StateBinder& b) { b("_last_lr", last_lr_); }
void ChainedScheduler::save_children(SchedulerStateDict& sd) const {
  for (LRScheduler* s : schedulers_) sd.schedulers.push_back(s->state_dict());
}
void ChainedScheduler::load_children(const SchedulerStateDict& sd) {
  if (sd.schedulers.size() != schedulers_.size())
    throw ValueError(ember::detail::str("ChainedScheduler state_dict has ", sd.schedulers.size(), " schedulers, expected ",
                                 schedulers_.size()));
  for (size_t i = 0; i < schedulers_.size(); ++i) schedulers_[i]->load_state_dict(sd.schedulers[i]);
}

// ---- ReduceLROnPlateau ----------------------------------------------------------------------------

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, std::string mode, double factor, int64_t patience,
                                     double threshold, std::string threshold_mode, int64_t cooldown,
                                     std::vector<double> min_lr, double eps)
    : optimizer_(&optimizer), mode_(std::move(mode)), threshold_mode_(std::move(threshold_mode)), factor_(factor),
      threshold_(threshold), eps_(eps), patience_(patience), cooldown_(cooldown) {
  if (factor >= 1.0) throw ValueError("Factor should be < 1.0.");
  const size_t n = optimizer.param_groups().size();
  if (min_lr.size() != 1 && min_lr.size() != n)
    throw ValueError(ember::detail::str("expected ", n, " min_lrs, got ", min_lr.size()));
  min_lrs_ = min_lr.size() == 1 ? std::vector<double>(n, min_lr[0]) : min_lr;
  if (mode_ != "min" && mode_ != "max") throw ValueError("mode " + mode_ + " is unknown!");
  if (threshold_mode_ != "rel" && threshold_mode_ != "abs")
    throw ValueError("threshold mode " + threshold_mode_ + " is unknown!");
  mode_worse_ = mode_ == "min" ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  best_ = mode_worse_;
  // PyTorch 1.13 has no _last_lr before the first step; 2.x sets it here, which get_last_lr() needs.
  for (const ParamGroup& g : optimizer.param_groups()) last_lr_.push_back(g.lr());
}

bool ReduceLROnPlateau::is_better(double a, double best) const {
  if (mode_ == "min" && threshold_mode_ == "rel") return a < best * (1.0 - threshold_);
  if (mode_ == "min") return a < best - threshold_;
  if (threshold_mode_ == "rel") return a > best * (threshold_ + 1.0);
  return a > best + threshold_;
}

void ReduceLROnPlateau::step(double current) {
  last_epoch_ += 1;
  if (is_better(current, best_)) {
    best_ = current;
    num_bad_epochs_ = 0;
  } else {
    num_bad_epochs_ += 1;
  }
  if (in_cooldown()) {
    cooldown_counter_ -= 1;
    num_bad_epochs_ = 0;
  }
  auto& groups = optimizer_->param_groups();
  if (num_bad_epochs_ > patience_) {
    for (size_t i = 0; i < groups.size(); ++i) {
      const double old_lr = groups[i].lr();
      const double new_lr = std::max(old_lr * factor_, min_lrs_[i]);
      if (old_lr - new_lr > eps_) groups[i].set_lr(new_lr);
    }
    cooldown_counter_ = cooldown_;
    num_bad_epochs_ = 0;
  }
  last_lr_.clear();
  for (const ParamGroup& g : groups) last_lr_.push_back(g.lr());
}

void ReduceLROnPlateau::bind(StateBinder& b) {
  bool verbose = false;
  b("factor", factor_);
  b("min_lrs", min_lrs_);
  b("patience", patience_);
  b("verbose", verbose);
  b("cooldown", cooldown_);
  b("cooldown_counter", cooldown_counter_);
  b("mode", mode_);
  b("threshold", threshold_);
  b("threshold_mode", threshold_mode_);
  b("best", best_);
  b("num_bad_epochs", num_bad_epochs_);
  b("mode_worse", mode_worse_);
  b("eps", eps_);
  b("last_epoch", last_epoch_);
  b("_last_lr", last_lr_);
}

SchedulerStateDict ReduceLROnPlateau::state_dict() const {
  SchedulerStateDict sd;
  StateBinder b(&sd, nullptr);
  const_cast<ReduceLROnPlateau*>(this)->bind(b);
  return sd;
}

void ReduceLROnPlateau::load_state_dict(const SchedulerStateDict& sd) {
  StateBinder b(nullptr, &sd);
  bind(b);
}

}  // namespace ember::optim
