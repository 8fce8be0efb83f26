#pragma once
// SmallVector: inline storage for the common case (sizes and strides of tensors with at most N dims), so
// that creating a tensor does not touch the heap for its shape.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <type_traits>

#include <ember/core/array_ref.h>

namespace ember {

template <class T, size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T>, "SmallVector holds trivially copyable values only");

 public:
  SmallVector() = default;
  explicit SmallVector(size_t n, T v = T()) { assign(n, v); }
  SmallVector(ArrayRef<T> a) { assign(a.begin(), a.end()); }  // NOLINT: implicit
  SmallVector(std::initializer_list<T> l) { assign(l.begin(), l.end()); }
  SmallVector(const SmallVector& o) { assign(o.begin(), o.end()); }
  SmallVector(SmallVector&& o) noexcept { move_from(std::move(o)); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) assign(o.begin(), o.end());
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) move_from(std::move(o));
    return *this;
  }

  void assign(const T* b, const T* e) {
    size_t n = size_t(e - b);
    reserve(n);
    if (n) std::memmove(data(), b, n * sizeof(T));
    size_ = n;
  }
  void assign(size_t n, T v) {
    reserve(n);
    std::fill_n(data(), n, v);
    size_ = n;
  }
  void reserve(size_t n) {
    if (n <= capacity()) return;
    auto h = std::make_unique<T[]>(n);
    if (size_) std::memcpy(h.get(), data(), size_ * sizeof(T));
    heap_ = std::move(h);
    cap_ = n;
  }
  void resize(size_t n, T v = T()) {
    reserve(n);
    for (size_t i = size_; i < n; ++i) data()[i] = v;
    size_ = n;
  }
  void push_back(T v) {
    if (size_ == capacity()) reserve(std::max<size_t>(2 * capacity(), 1));
    data()[size_++] = v;
  }
  void insert(size_t pos, T v) {
    push_back(v);
    for (size_t i = size_ - 1; i > pos; --i) data()[i] = data()[i - 1];
    data()[pos] = v;
  }
  void erase(size_t pos) {
    for (size_t i = pos; i + 1 < size_; ++i) data()[i] = data()[i + 1];
    --size_;
  }
  void pop_back() { --size_; }
  void clear() { size_ = 0; }

  T* data() { return heap_ ? heap_.get() : inline_; }
  const T* data() const { return heap_ ? heap_.get() : inline_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return heap_ ? cap_ : N; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& back() { return data()[size_ - 1]; }
  const T& back() const { return data()[size_ - 1]; }
  operator ArrayRef<T>() const { return ArrayRef<T>(data(), size_); }  // NOLINT
  std::vector<T> vec() const { return std::vector<T>(begin(), end()); }

 private:
  void move_from(SmallVector&& o) {
    if (o.heap_) {
      heap_ = std::move(o.heap_);
      cap_ = o.cap_;
      size_ = o.size_;
    } else {
      heap_.reset();
      assign(o.begin(), o.end());
    }
    o.size_ = 0;
  }
  T inline_[N];
  std::unique_ptr<T[]> heap_;
  size_t cap_ = 0;
  size_t size_ = 0;
};

using DimVector = SmallVector<int64_t, 6>;

}  // namespace ember
