#include <atomic>

#include <ember/autograd/grad_mode.h>

namespace ember {

namespace {
thread_local bool t_grad_enabled = true;
thread_local bool t_inference = false;
// Process-wide, as torch.autograd.set_detect_anomaly.
std::atomic<bool> g_anomaly{false};
}  // namespace

bool GradMode::is_enabled() { return t_grad_enabled; }
void GradMode::set_enabled(bool enabled) { t_grad_enabled = enabled; }
bool InferenceMode::is_enabled() { return t_inference; }
void InferenceMode::set(bool enabled) { t_inference = enabled; }
bool autograd::AnomalyMode::is_enabled() { return g_anomaly; }
void autograd::AnomalyMode::set_enabled(bool enabled) { g_anomaly = enabled; }

}  // namespace ember
