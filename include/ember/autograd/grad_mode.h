#pragma once
// Grad-mode guards, as in libtorch.
#include <string>

namespace ember {

struct GradMode {
  static bool is_enabled();
  static void set_enabled(bool enabled);
};

// Disables gradient recording in its scope (torch::NoGradGuard).
struct NoGradGuard {
  NoGradGuard() : prev_(GradMode::is_enabled()) { GradMode::set_enabled(false); }
  ~NoGradGuard() { GradMode::set_enabled(prev_); }
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool prev_;
};

// Sets grad mode to the given value in its scope (torch::AutoGradMode).
struct AutoGradMode {
  explicit AutoGradMode(bool enabled) : prev_(GradMode::is_enabled()) { GradMode::set_enabled(enabled); }
  ~AutoGradMode() { GradMode::set_enabled(prev_); }
  AutoGradMode(const AutoGradMode&) = delete;
  AutoGradMode& operator=(const AutoGradMode&) = delete;

 private:
  bool prev_;
};
struct EnableGradGuard : AutoGradMode {
  EnableGradGuard() : AutoGradMode(true) {}
};

// Inference mode: no recording, like NoGradGuard (torch::InferenceMode).
struct InferenceMode {
  explicit InferenceMode(bool enabled = true) : prev_(GradMode::is_enabled()), prev_inf_(is_enabled()) {
    set(enabled);
    if (enabled) GradMode::set_enabled(false);
  }
  ~InferenceMode() {
    set(prev_inf_);
    GradMode::set_enabled(prev_);
  }
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;
  static bool is_enabled();

 private:
  static void set(bool);
  bool prev_, prev_inf_;
};

namespace autograd {
// Anomaly mode: nodes record the forward call that made them, and (unless check_nan is off, as
// torch.autograd.detect_anomaly(check_nan=False)) the engine checks every backward output for NaN and
// names the op that produced it.
struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled, bool check_nan = true);
  static bool should_check_nan();
  // What a node records as its forward call: the C++ call stack unless a front end installs its own
  // (the Python module records the Python stack, the code its users wrote). nullptr restores the default.
  using ForwardTraceFn = std::string (*)();
  static void set_forward_trace_fn(ForwardTraceFn fn);
  static ForwardTraceFn forward_trace_fn();
};
struct DetectAnomalyGuard {
  explicit DetectAnomalyGuard(bool check_nan = true)
      : prev_(AnomalyMode::is_enabled()), prev_check_nan_(AnomalyMode::should_check_nan()) {
    AnomalyMode::set_enabled(true, check_nan);
  }
  ~DetectAnomalyGuard() { AnomalyMode::set_enabled(prev_, prev_check_nan_); }
  DetectAnomalyGuard(const DetectAnomalyGuard&) = delete;
  DetectAnomalyGuard& operator=(const DetectAnomalyGuard&) = delete;

 private:
  bool prev_, prev_check_nan_;
};
}  // namespace autograd

}  // namespace ember
