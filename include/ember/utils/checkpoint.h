#pragma once
// Activation checkpointing, as torch.utils.checkpoint.checkpoint (the reentrant variant): forward runs fn
// without recording a graph, so its intermediate activations are not kept; backward runs fn again with
// grad enabled on the saved inputs and backpropagates through that. The default generator's state is
// restored for the recomputation, so dropout draws the same mask. Parameters used inside fn get their
// gradients from the recomputation. As with PyTorch's reentrant checkpoint, at least one input must
// require grad for backward to reach fn at all.
//
//   Tensor y = ember::utils::checkpoint([&](const Tensor& x) { return (*block)(x); }, x);
#include <functional>
#include <type_traits>
#include <utility>

#include <ember/tensor.h>

namespace ember::utils {

tensor_list checkpoint(const std::function<tensor_list(const tensor_list&)>& fn, const tensor_list& inputs,
                       bool preserve_rng_state = true);

namespace detail {
template <class F, size_t... I>
auto call_unpacked(F& fn, const tensor_list& in, std::index_sequence<I...>) {
  return fn(in.at(I)...);
}
}  // namespace detail

// fn takes the tensors as separate arguments and returns a Tensor (or a tensor_list); so does checkpoint.
// fn is kept (copied) until backward, which calls it again.
template <class F, class... Ts,
          std::enable_if_t<(sizeof...(Ts) > 0 && (std::is_same_v<std::decay_t<Ts>, Tensor> && ...)), int> = 0>
auto checkpoint(F fn, const Ts&... inputs) {
  using Out = std::invoke_result_t<F&, const Ts&...>;
  static_assert(std::is_same_v<Out, Tensor> || std::is_same_v<Out, tensor_list>,
                "checkpoint: fn must return a Tensor or a tensor_list");
  auto call = [fn = std::move(fn)](const tensor_list& in) mutable {
    if constexpr (std::is_same_v<Out, Tensor>)
      return tensor_list{detail::call_unpacked(fn, in, std::index_sequence_for<Ts...>{})};
    else
      return detail::call_unpacked(fn, in, std::index_sequence_for<Ts...>{});
  };
  tensor_list out = checkpoint(std::function<tensor_list(const tensor_list&)>(std::move(call)), tensor_list{inputs...});
  if constexpr (std::is_same_v<Out, Tensor>)
    return out.at(0);
  else
    return out;
}

}  // namespace ember::utils
