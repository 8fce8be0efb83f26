#include <atomic>

#include <ember/autograd/grad_mode.h>

namespace ember {

namespace {
thread_local bool t_grad_enabled = true;
thread_local bool t_inference = false;
// Process-wide, as torch.autograd.set_detect_anomaly.
std::atomic<bool> g_anomaly{false};
std::atomic<bool> g_anomaly_check_nan{true};
std::atomic<autograd::AnomalyMode::ForwardTraceFn> g_forward_trace_fn{nullptr};
}  // namespace

bool GradMode::is_enabled() { return t_grad_enabled; }
void GradMode::set_enabled(bool enabled) { t_grad_enabled = enabled; }
bool InferenceMode::is_enabled() { return t_inference; }
void InferenceMode::set(bool enabled) { t_inference = enabled; }
bool autograd::AnomalyMode::is_enabled() { return g_anomaly; }
void autograd::AnomalyMode::set_enabled(bool enabled, bool check_nan) {
  g_anomaly = enabled;
  g_anomaly_check_nan = check_nan;
}
bool autograd::AnomalyMode::should_check_nan() { return g_anomaly_check_nan; }
void autograd::AnomalyMode::set_forward_trace_fn(ForwardTraceFn fn) { g_forward_trace_fn = fn; }
autograd::AnomalyMode::ForwardTraceFn autograd::AnomalyMode::forward_trace_fn() { return g_forward_trace_fn; }

}  // namespace ember
