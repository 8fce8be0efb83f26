#pragma once
// default_collate, as torch.utils.data.default_collate: a batch (a vector of examples) becomes one
// example of batched values. Tensors are stacked along a new first dimension; numbers become a 1-D
// tensor (bool -> bool, integers -> int64, floating -> float64, as torch.tensor makes them from Python
// numbers); strings stay a vector; pairs, tuples, arrays, Examples, vectors and maps are collated
// element by element (a vector's elements position by position, a map's by key), recursively.
// collate_t<E> is the batch type of examples E.
#include <array>
#include <map>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <ember/data/dataset.h>
#include <ember/ops/shape.h>
#include <ember/tensor.h>

namespace ember::data {

template <class T, class = void>
struct Collate;

template <class T>
using collate_t = typename Collate<T>::type;

template <class T>
collate_t<T> default_collate(std::vector<T> batch) {
  return Collate<T>::apply(std::move(batch));
}

namespace detail {
// The column of field `get` across the batch, moved out of it.
template <class T, class F>
auto column(std::vector<T>& batch, F&& get) {
  using V = std::decay_t<decltype(get(batch[0]))>;
  std::vector<V> out;
  out.reserve(batch.size());
  for (T& e : batch) out.push_back(std::move(get(e)));
  return out;
}
Tensor collate_numbers(const std::vector<double>& values, DType dtype);
Tensor collate_numbers(const std::vector<int64_t>& values);
// stack(batch), with one copy per example when the examples are alike (contiguous, same shape and
// dtype, no autograd): a batch of small examples would otherwise spend its time in per-copy dispatch.
Tensor collate_tensors(const std::vector<Tensor>& batch);
}  // namespace detail

template <>
struct Collate<Tensor> {
  using type = Tensor;
  static Tensor apply(std::vector<Tensor> batch) { return detail::collate_tensors(batch); }
};

template <class T>
struct Collate<T, std::enable_if_t<std::is_arithmetic_v<T>>> {
  using type = Tensor;
  static Tensor apply(std::vector<T> batch) {
    if constexpr (std::is_same_v<T, bool>) {
      return detail::collate_numbers(std::vector<double>(batch.begin(), batch.end()), kBool);
    } else if constexpr (std::is_integral_v<T>) {
      return detail::collate_numbers(std::vector<int64_t>(batch.begin(), batch.end()));
    } else {
      return detail::collate_numbers(std::vector<double>(batch.begin(), batch.end()), kFloat64);
    }
  }
};

template <>
struct Collate<std::string> {
  using type = std::vector<std::string>;
  static type apply(std::vector<std::string> batch) { return batch; }
};

template <class D, class T>
struct Collate<Example<D, T>> {
  using type = Example<collate_t<D>, collate_t<T>>;
  static type apply(std::vector<Example<D, T>> batch) {
    return {Collate<D>::apply(detail::column(batch, [](auto& e) -> D& { return e.data; })),
            Collate<T>::apply(detail::column(batch, [](auto& e) -> T& { return e.target; }))};
  }
};

template <class A, class B>
struct Collate<std::pair<A, B>> {
  using type = std::pair<collate_t<A>, collate_t<B>>;
  static type apply(std::vector<std::pair<A, B>> batch) {
    return {Collate<A>::apply(detail::column(batch, [](auto& e) -> A& { return e.first; })),
            Collate<B>::apply(detail::column(batch, [](auto& e) -> B& { return e.second; }))};
  }
};

template <class... Ts>
struct Collate<std::tuple<Ts...>> {
  using type = std::tuple<collate_t<Ts>...>;
  static type apply(std::vector<std::tuple<Ts...>> batch) {
    return apply_each(batch, std::index_sequence_for<Ts...>{});
  }

 private:
  template <size_t... I>
  static type apply_each(std::vector<std::tuple<Ts...>>& batch, std::index_sequence<I...>) {
    return type{Collate<Ts>::apply(detail::column(batch, [](auto& e) -> auto& { return std::get<I>(e); }))...};
  }
};

template <class T, size_t N>
struct Collate<std::array<T, N>> {
  using type = std::array<collate_t<T>, N>;
  static type apply(std::vector<std::array<T, N>> batch) {
    return apply_each(batch, std::make_index_sequence<N>{});
  }

 private:
  template <size_t... I>
  static type apply_each(std::vector<std::array<T, N>>& batch, std::index_sequence<I...>) {
    return type{Collate<T>::apply(detail::column(batch, [](auto& e) -> T& { return e[I]; }))...};
  }
};

template <class T>
struct Collate<std::vector<T>> {
  using type = std::vector<collate_t<T>>;
  static type apply(std::vector<std::vector<T>> batch) {
    type out;
    if (batch.empty()) return out;
    size_t n = batch[0].size();
    for (const auto& e : batch) EMBER_CHECK(e.size() == n, "each element in list of batch should be of equal size");
    out.reserve(n);
    for (size_t j = 0; j < n; ++j) out.push_back(Collate<T>::apply(detail::column(batch, [j](auto& e) -> T& { return e[j]; })));
    return out;
  }
};

template <class K, class T, class C, class A>
struct Collate<std::map<K, T, C, A>> {
  using type = std::map<K, collate_t<T>, C>;
  static type apply(std::vector<std::map<K, T, C, A>> batch) {
    type out;
    if (batch.empty()) return out;
    for (const auto& kv : batch[0]) {
      const K& key = kv.first;
      std::vector<T> col;
      col.reserve(batch.size());
      for (auto& e : batch) {
        auto it = e.find(key);
        EMBER_CHECK(it != e.end() && e.size() == batch[0].size(),
                    "default_collate: every map in the batch must have the same keys");
        col.push_back(std::move(it->second));
      }
      out.emplace(key, Collate<T>::apply(std::move(col)));
    }
    return out;
  }
};

}  // namespace ember::data
