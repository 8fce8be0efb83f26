#pragma once
// Automatic mixed precision, as torch.autocast: inside an autocast region the ops of PyTorch's casting
// lists run in a lower precision (matrix products and convolutions in float16/bfloat16), in float32
// (ops that need the range: exp, log, softmax, sums, losses, norms) or in the widest floating type of
// their inputs (addcmul, cat, ...). The lists are PyTorch 2.11's, one per device type (src/autograd/
// autocast.cpp). Every other op runs on its inputs as they are.
//
//   {
//     ember::autocast::AutocastGuard guard(ember::kCUDA, ember::kBFloat16);
//     auto loss = ember::nn::functional::cross_entropy(model.forward(x), y);  // matmuls in bfloat16
//   }
//   loss.backward();  // outside the region, as PyTorch advises; gradients reach float32 parameters
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

#include <ember/core/array_ref.h>
#include <ember/core/device.h>
#include <ember/core/dtype.h>
#include <ember/tensor.h>

namespace ember::autocast {

// at::autocast's state, per device type and per thread.
bool is_autocast_enabled(DeviceType device_type);
void set_autocast_enabled(DeviceType device_type, bool enabled);
DType get_autocast_dtype(DeviceType device_type);  // float16 on CUDA, bfloat16 on the CPU by default
void set_autocast_dtype(DeviceType device_type, DType dtype);
bool is_autocast_cache_enabled();
void set_autocast_cache_enabled(bool enabled);
// Float32 parameters cast to the lower precision are cached inside a region, so a weight used by
// several ops is cast once; the outermost region's exit clears the cache.
void clear_cache();
int increment_nesting();
int decrement_nesting();

// `with torch.autocast(device_type, dtype, enabled, cache_enabled):` as a scope. A dtype the device
// cannot autocast to raises, as PyTorch does; on the CPU only bfloat16 and float16 are accepted.
class AutocastGuard {
 public:
  explicit AutocastGuard(DeviceType device_type, std::optional<DType> dtype = std::nullopt, bool enabled = true,
                         std::optional<bool> cache_enabled = std::nullopt);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  DeviceType device_type_;
  bool prev_enabled_;
  DType prev_dtype_;
  bool prev_cache_enabled_;
};

enum class CastPolicy : uint8_t {
  kLowerPrecision,  // eligible inputs to the device's autocast dtype
  kFp32,            // eligible inputs to float32
  kPromote,         // eligible inputs to the widest of their floating types
  kBanned,          // raises: binary_cross_entropy on CUDA, as in PyTorch
};

// The policy the op named `op` has on `device_type`, or none when autocast leaves it alone.
std::optional<CastPolicy> policy_of(DeviceType device_type, std::string_view op);

namespace detail {

// Bit d set: autocast is on for device type d in this thread and not suspended by an op it wrapped.
// The only cost autocast adds to an op outside a region is reading this.
extern thread_local uint8_t active_devices;

// Where the op runs and the dtype its eligible inputs are cast to.
struct Context {
  DeviceType device;
  DType to;
};

// PyTorch's rule: floating, not float64, on the autocast device.
inline bool eligible(const Tensor& t, DeviceType device_type) {
  return t.defined() && t.device().type() == device_type && is_floating_point(t.dtype()) && t.dtype() != kFloat64;
}
Tensor cached_cast(DType to, const Tensor& t, DeviceType device_type);
// `has_float32`: some eligible input is float32 (the promote policy then casts to float32).
std::optional<Context> resolve(std::string_view op, DeviceType device_type, bool has_float32);

// While an autocast op runs on its cast inputs, the ops it is made of are left alone (PyTorch excludes
// the autocast dispatch key for the same reason: an fp32 op built on mm must not have its mm halved).
class Suspend {
 public:
  explicit Suspend(DeviceType device_type);
  ~Suspend();
  Suspend(const Suspend&) = delete;
  Suspend& operator=(const Suspend&) = delete;

 private:
  DeviceType device_type_;
  bool was_suspended_;
};

struct Scan {
  std::optional<DeviceType> device;
  bool has_float32 = false;
};
inline void scan(Scan& s, const Tensor& t) {
  if (!t.defined()) return;
  const DeviceType d = t.device().type();
  if (!(active_devices & (1u << int(d))) || !eligible(t, d)) return;
  if (!s.device) s.device = d;
  if (d == *s.device && t.dtype() == kFloat32) s.has_float32 = true;
}
inline void scan(Scan& s, const std::optional<Tensor>& t) {
  if (t) scan(s, *t);
}
inline void scan(Scan& s, ArrayRef<Tensor> ts) {
  for (const auto& t : ts) scan(s, t);
}
inline void scan(Scan& s, const std::vector<Tensor>& ts) { scan(s, ArrayRef<Tensor>(ts.data(), ts.size())); }
inline void scan(Scan& s, const std::vector<std::optional<Tensor>>& ts) {
  for (const auto& t : ts) scan(s, t);
}
template <class T>
  requires(!std::is_convertible_v<const T&, const Tensor&>)
inline void scan(Scan&, const T&) {}

template <class... A>
std::optional<Context> context(std::string_view op, const A&... args) {
  Scan s;
  (scan(s, args), ...);
  if (!s.device) return std::nullopt;
  return resolve(op, *s.device, s.has_float32);
}

inline Tensor cast(const Context& c, const Tensor& t) { return cached_cast(c.to, t, c.device); }
inline std::optional<Tensor> cast(const Context& c, const std::optional<Tensor>& t) {
  if (!t) return t;
  return cast(c, *t);
}
inline std::vector<Tensor> cast(const Context& c, ArrayRef<Tensor> ts) {
  std::vector<Tensor> out;
  out.reserve(ts.size());
  for (const auto& t : ts) out.push_back(cast(c, t));
  return out;
}
inline std::vector<Tensor> cast(const Context& c, const std::vector<Tensor>& ts) {
  return cast(c, ArrayRef<Tensor>(ts.data(), ts.size()));
}
inline std::vector<std::optional<Tensor>> cast(const Context& c, const std::vector<std::optional<Tensor>>& ts) {
  std::vector<std::optional<Tensor>> out;
  out.reserve(ts.size());
  for (const auto& t : ts) out.push_back(cast(c, t));
  return out;
}
template <class T>
  requires(!std::is_convertible_v<const T&, const Tensor&>)
inline const T& cast(const Context&, const T& v) {
  return v;
}

template <class F, class... A>
decltype(auto) call(const Context& c, F&& f, const A&... args) {
  Suspend suspend(c.device);
  return f(cast(c, args)...);
}

}  // namespace detail
}  // namespace ember::autocast

// The first line of an op that has a place in the casting lists: inside an autocast region whose
// device holds one of the op's floating inputs, it calls `fn` again on the cast arguments and returns.
// `fn` names the op (an overload set is fine); the arguments are the op's own, in order.
#define EMBER_AUTOCAST(op, fn, ...)                                                                 \
  if (::ember::autocast::detail::active_devices != 0)                                              \
    if (auto ember_autocast_ctx = ::ember::autocast::detail::context(op, __VA_ARGS__))             \
      return ::ember::autocast::detail::call(                                                       \
          *ember_autocast_ctx, [&](const auto&... ember_autocast_args) { return fn(ember_autocast_args...); }, \
          __VA_ARGS__)
