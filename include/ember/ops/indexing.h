#pragma once
// libtorch's C++ indexing syntax: t.index({Slice(1, None, 2), 0, mask, None, Ellipsis, idx}) and
// t.index_put_({...}, value), with PyTorch's basic (views) and advanced (copies) indexing rules.
#include <optional>
#include <ostream>

#include <ember/tensor.h>

namespace ember::indexing {

// As in libtorch, None is std::nullopt: it is both an unset Slice bound and the None index.
inline constexpr std::nullopt_t None = std::nullopt;
struct EllipsisIndex {};
inline constexpr EllipsisIndex Ellipsis{};

// A slice start:stop:step; an unset bound (None) means the start or end of the dimension.
class Slice {
 public:
  Slice(std::optional<int64_t> start = std::nullopt, std::optional<int64_t> stop = std::nullopt,
        std::optional<int64_t> step = std::nullopt);
  int64_t start() const { return start_; }
  int64_t stop() const { return stop_; }
  int64_t step() const { return step_; }

 private:
  int64_t start_, stop_, step_;
};

// One entry of an index list: None, Ellipsis, an integer, a bool, a Slice or a Tensor.
class TensorIndex {
 public:
  enum class Kind { None, Ellipsis, Integer, Boolean, Slice, Tensor };
  TensorIndex(std::nullopt_t) : kind_(Kind::None) {}                 // NOLINT: implicit like libtorch
  TensorIndex(EllipsisIndex) : kind_(Kind::Ellipsis) {}              // NOLINT
  TensorIndex(const char* s);                                        // NOLINT: "..." is Ellipsis
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  TensorIndex(T i) : kind_(Kind::Integer), integer_(int64_t(i)) {}   // NOLINT
  TensorIndex(bool b) : kind_(Kind::Boolean), boolean_(b) {}         // NOLINT
  TensorIndex(Slice s) : kind_(Kind::Slice), slice_(s) {}            // NOLINT
  TensorIndex(Tensor t) : kind_(Kind::Tensor), tensor_(std::move(t)) {}  // NOLINT

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::None; }
  bool is_ellipsis() const { return kind_ == Kind::Ellipsis; }
  bool is_integer() const { return kind_ == Kind::Integer; }
  bool is_boolean() const { return kind_ == Kind::Boolean; }
  bool is_slice() const { return kind_ == Kind::Slice; }
  bool is_tensor() const { return kind_ == Kind::Tensor; }
  int64_t integer() const { return integer_; }
  bool boolean() const { return boolean_; }
  const Slice& slice() const { return slice_; }
  const Tensor& tensor() const { return tensor_; }

 private:
  Kind kind_;
  int64_t integer_ = 0;
  bool boolean_ = false;
  Slice slice_;
  Tensor tensor_;
};

std::ostream& operator<<(std::ostream& os, const Slice& s);
std::ostream& operator<<(std::ostream& os, const TensorIndex& i);

}  // namespace ember::indexing
