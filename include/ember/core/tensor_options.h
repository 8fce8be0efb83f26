#pragma once
// TensorOptions: dtype, device and requires_grad for factories, as torch::TensorOptions.
#include <optional>

#include <ember/core/device.h>
#include <ember/core/dtype.h>

namespace ember {

DType get_default_dtype();
void set_default_dtype(DType t);

struct TensorOptions {
  TensorOptions() = default;
  TensorOptions(DType t) : dtype_(t) {}              // NOLINT: implicit like libtorch
  TensorOptions(Device d) : device_(d) {}            // NOLINT
  TensorOptions(DeviceType d) : device_(Device(d)) {}  // NOLINT

  TensorOptions dtype(DType t) const {
    auto o = *this;
    o.dtype_ = t;
    return o;
  }
  TensorOptions device(Device d) const {
    auto o = *this;
    o.device_ = d;
    return o;
  }
  TensorOptions requires_grad(bool r) const {
    auto o = *this;
    o.requires_grad_ = r;
    return o;
  }
  DType dtype() const { return dtype_ ? *dtype_ : get_default_dtype(); }
  bool has_dtype() const { return dtype_.has_value(); }
  // Unset, a factory makes a CPU tensor and a *_like factory one on its input's device (libtorch's rule).
  Device device() const { return device_ ? *device_ : Device(kCPU); }
  bool has_device() const { return device_.has_value(); }
  bool requires_grad() const { return requires_grad_; }

 private:
  std::optional<DType> dtype_;
  std::optional<Device> device_;
  bool requires_grad_ = false;
};

inline TensorOptions dtype(DType t) { return TensorOptions(t); }
inline TensorOptions device(Device d) { return TensorOptions(d); }
inline TensorOptions requires_grad(bool r = true) { return TensorOptions().requires_grad(r); }

}  // namespace ember
