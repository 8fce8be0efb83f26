#pragma once
// torch.optim.lr_scheduler: the schedulers set each parameter group's "lr" (and, for the cyclic ones,
// "momentum" or "betas") on step(). Each follows PyTorch 1.13's recursive ("chainable") formula on step()
// and its closed form on step(epoch) where PyTorch has one, so sequences match PyTorch's to rounding.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <ember/optim/optimizer.h>

namespace ember::optim {

// scheduler.state_dict(): PyTorch's keys ("last_epoch", "_step_count", "base_lrs", "_last_lr", and each
// scheduler's own attributes) as JSON-able values; SequentialLR and ChainedScheduler put their children's
// dicts in `schedulers` (PyTorch's "_schedulers" list).
struct SchedulerStateDict {
  Options values;
  std::vector<SchedulerStateDict> schedulers;
};

// Reads or writes a scheduler's attributes by name, so one function lists them for both directions.
class StateBinder {
 public:
  StateBinder(SchedulerStateDict* out, const SchedulerStateDict* in) : out_(out), in_(in) {}
  void operator()(const std::string& key, double& v);
  void operator()(const std::string& key, int64_t& v);
  void operator()(const std::string& key, bool& v);
  void operator()(const std::string& key, std::string& v);
  void operator()(const std::string& key, std::vector<double>& v);
  void operator()(const std::string& key, std::vector<int64_t>& v);

 private:
  const OptionValue& get(const std::string& key) const;
  SchedulerStateDict* out_;
  const SchedulerStateDict* in_;
};

class LRScheduler {
 public:
  virtual ~LRScheduler() = default;
  LRScheduler(const LRScheduler&) = delete;
  LRScheduler& operator=(const LRScheduler&) = delete;

  // One step of the recursive schedule.
  virtual void step();
  // Jumps to `epoch` with the closed form where there is one (PyTorch's deprecated step(epoch)).
  virtual void step(int64_t epoch);
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  const std::vector<double>& base_lrs() const { return base_lrs_; }
  Optimizer& optimizer() const { return *optimizer_; }

  SchedulerStateDict state_dict() const;
  void load_state_dict(const SchedulerStateDict& sd);

 protected:
  LRScheduler(Optimizer& optimizer, int64_t last_epoch);
  // The schedulers' part of PyTorch's constructor that runs last: the first step.
  void initial_step();
  virtual std::vector<double> get_lr() = 0;
  virtual std::optional<std::vector<double>> closed_form_lr() { return std::nullopt; }
  virtual void bind(StateBinder& b);
  virtual void load_children(const SchedulerStateDict&) {}
  virtual void save_children(SchedulerStateDict&) const {}
  std::vector<double> group_lrs() const;
  void apply(const std::vector<double>& lrs);

  Optimizer* optimizer_;
  std::vector<double> base_lrs_;
  int64_t last_epoch_;
  int64_t step_count_ = 0;
  std::vector<double> last_lr_;
  friend class SequentialLR;
};

// Factor of the initial lr from lr_lambda(epoch); one function, or one per group.
class LambdaLR : public LRScheduler {
 public:
  using Lambda = std::function<double(int64_t)>;
  LambdaLR(Optimizer& optimizer, Lambda lr_lambda, int64_t last_epoch = -1);
  LambdaLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch = -1);

 protected:
  // Without the initial step, for MultiplicativeLR (whose get_lr is not yet live in this constructor).
  LambdaLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch, bool initial_step);
  std::vector<double> get_lr() override;
  std::vector<Lambda> lr_lambdas_;
};

// Multiplies the current lr by lr_lambda(epoch) on each step.
class MultiplicativeLR : public LambdaLR {
 public:
  MultiplicativeLR(Optimizer& optimizer, Lambda lr_lambda, int64_t last_epoch = -1);
  MultiplicativeLR(Optimizer& optimizer, std::vector<Lambda> lr_lambdas, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
};

class StepLR : public LRScheduler {
 public:
  StepLR(Optimizer& optimizer, int64_t step_size, double gamma = 0.1, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  int64_t step_size_;
  double gamma_;
};

class MultiStepLR : public LRScheduler {
 public:
  MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  std::vector<int64_t> milestones_;  // sorted, with repeats (PyTorch's Counter as its elements())
  double gamma_;
};

class ConstantLR : public LRScheduler {
 public:
  ConstantLR(Optimizer& optimizer, double factor = 1.0 / 3, int64_t total_iters = 5, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  double factor_;
  int64_t total_iters_;
};

class LinearLR : public LRScheduler {
 public:
  LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int64_t total_iters = 5,
           int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  double start_factor_, end_factor_;
  int64_t total_iters_;
};

class ExponentialLR : public LRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  double gamma_;
};

class PolynomialLR : public LRScheduler {
 public:
  PolynomialLR(Optimizer& optimizer, int64_t total_iters = 5, double power = 1.0, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  int64_t total_iters_;
  double power_;
};

// PyTorch's recursive form, so it composes with other changes to the lr.
class CosineAnnealingLR : public LRScheduler {
 public:
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0, int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  std::optional<std::vector<double>> closed_form_lr() override;
  void bind(StateBinder& b) override;
  int64_t T_max_;
  double eta_min_;
};

class CosineAnnealingWarmRestarts : public LRScheduler {
 public:
  CosineAnnealingWarmRestarts(Optimizer& optimizer, int64_t T_0, int64_t T_mult = 1, double eta_min = 0,
                              int64_t last_epoch = -1);
  void step() override;
  // A fractional epoch, as PyTorch allows (step(epoch + i / iters)).
  void step(double epoch);
  void step(int64_t epoch) override { step(double(epoch)); }
  void step(int epoch) { step(double(epoch)); }

 protected:
  std::vector<double> get_lr() override;
  void bind(StateBinder& b) override;
  void set_lrs();
  int64_t T_0_, T_i_, T_mult_;
  double eta_min_, T_cur_;
};

class CyclicLR : public LRScheduler {
 public:
  using ScaleFn = std::function<double(double)>;
  // base_lr/max_lr/base_momentum/max_momentum: one value, or one per group.
  CyclicLR(Optimizer& optimizer, std::vector<double> base_lr, std::vector<double> max_lr, double step_size_up = 2000,
           std::optional<double> step_size_down = std::nullopt, std::string mode = "triangular", double gamma = 1.0,
           ScaleFn scale_fn = nullptr, std::string scale_mode = "cycle", bool cycle_momentum = true,
           std::vector<double> base_momentum = {0.8}, std::vector<double> max_momentum = {0.9},
           int64_t last_epoch = -1);

 protected:
  std::vector<double> get_lr() override;
  void bind(StateBinder& b) override;
  double scale(double x) const;
  std::vector<double> max_lrs_, base_momentums_, max_momentums_;
  double total_size_, step_ratio_, gamma_;
  std::string mode_, scale_mode_;
  ScaleFn scale_fn_;
  bool cycle_momentum_;
};

class OneCycleLR : public LRScheduler {
 public:
  // max_lr/base_momentum/max_momentum: one value, or one per group. Give total_steps, or epochs and
  // steps_per_epoch. Cycles "betas"[0] for optimizers with betas, else "momentum".
  OneCycleLR(Optimizer& optimizer, std::vector<double> max_lr, std::optional<int64_t> total_steps = std::nullopt,
             std::optional<int64_t> epochs = std::nullopt, std::optional<int64_t> steps_per_epoch = std::nullopt,
             double pct_start = 0.3, std::string anneal_strategy = "cos", bool cycle_momentum = true,
             std::vector<double> base_momentum = {0.85}, std::vector<double> max_momentum = {0.95},
             double div_factor = 25.0, double final_div_factor = 1e4, bool three_phase = false,
             int64_t last_epoch = -1);

 protected:
  struct Phase {
    double end_step;
    std::string start_lr, end_lr, start_momentum, end_momentum;
  };
  std::vector<double> get_lr() override;
  void bind(StateBinder& b) override;
  double anneal(double start, double end, double pct) const;
  int64_t total_steps_;
  std::vector<Phase> phases_;
  std::string anneal_strategy_;
  bool cycle_momentum_, use_beta1_ = false;
};

// Runs schedulers[i] between milestones[i-1] and milestones[i].
class SequentialLR : public LRScheduler {
 public:
  SequentialLR(Optimizer& optimizer, std::vector<LRScheduler*> schedulers, std::vector<int64_t> milestones,
               int64_t last_epoch = -1);
  void step() override;

 protected:
  std::vector<double> get_lr() override { return group_lrs(); }
  void bind(StateBinder& b) override;
  void load_children(const SchedulerStateDict& sd) override;
  void save_children(SchedulerStateDict& sd) const override;
  std::vector<LRScheduler*> schedulers_;
  std::vector<int64_t> milestones_;
};

// Steps every scheduler of the list on each step.
class ChainedScheduler : public LRScheduler {
 public:
  explicit ChainedScheduler(std::vector<LRScheduler*> schedulers);
  void step() override;

 protected:
  std::vector<double> get_lr() override { return group_lrs(); }
  void bind(StateBinder& b) override;
  void load_children(const SchedulerStateDict& sd) override;
  void save_children(SchedulerStateDict& sd) const override;
  std::vector<LRScheduler*> schedulers_;
};

class ReduceLROnPlateau {
 public:
  // min_lr: one value, or one per group.
  ReduceLROnPlateau(Optimizer& optimizer, std::string mode = "min", double factor = 0.1, int64_t patience = 10,
                    double threshold = 1e-4, std::string threshold_mode = "rel", int64_t cooldown = 0,
                    std::vector<double> min_lr = {0}, double eps = 1e-8);
  void step(double metrics);
  const std::vector<double>& get_last_lr() const { return last_lr_; }
  int64_t last_epoch() const { return last_epoch_; }
  double best() const { return best_; }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  bool in_cooldown() const { return cooldown_counter_ > 0; }
  SchedulerStateDict state_dict() const;
  void load_state_dict(const SchedulerStateDict& sd);

 private:
  void bind(StateBinder& b);
  bool is_better(double a, double best) const;
  Optimizer* optimizer_;
  std::string mode_, threshold_mode_;
  double factor_, threshold_, eps_, best_, mode_worse_;
  int64_t patience_, cooldown_, cooldown_counter_ = 0, num_bad_epochs_ = 0, last_epoch_ = 0;
  std::vector<double> min_lrs_, last_lr_;
};

}  // namespace ember::optim
