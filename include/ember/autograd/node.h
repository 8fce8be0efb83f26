#pragma once
// The autograd graph: a Node per recorded op, whose next_edges point at the nodes that produced its
// inputs (or at the AccumulateGrad node of a leaf).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ember/tensor.h>

namespace ember::autograd {

struct Node;
struct Edge {
  std::shared_ptr<Node> function;
  uint32_t input_nr = 0;
  bool is_valid() const { return function != nullptr; }
};
using edge_list = std::vector<Edge>;
using GradHook = std::function<Tensor(const Tensor&)>;

struct Node : std::enable_shared_from_this<Node> {
  Node();
  virtual ~Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Gradients w.r.t. this node's forward outputs in, gradients w.r.t. its forward inputs out (one per
  // next edge; undefined where no gradient flows).
  virtual tensor_list apply(tensor_list&& grads) = 0;
  virtual std::string name() const = 0;
  // Drops saved tensors after a backward that did not retain the graph.
  virtual void release_variables() {}

  uint32_t num_outputs() const { return num_outputs_; }
  bool should_compute_output(size_t i) const { return i < next_edges.size() && next_edges[i].is_valid(); }
  uint64_t sequence_nr() const { return sequence_nr_; }

  edge_list next_edges;
  // Hooks on the gradient flowing into this node for forward output `slot` (Tensor::register_hook on a
  // non-leaf), run in registration order; one may return a replacement gradient.
  struct PreHook {
    uint32_t slot;
    int id;
    GradHook fn;
  };
  std::vector<PreHook> pre_hooks;
  // Non-leaf outputs that retain their gradient (Tensor::retain_grad): filled after the hooks ran. Weak,
  // so a dropped tensor is not kept alive by the graph.
  std::vector<std::pair<uint32_t, std::weak_ptr<TensorImpl>>> retained_grads;
  // In anomaly mode: the call stack of the forward op that created this node, for error messages.
  std::string forward_trace;
  // Shapes of the forward outputs, so the engine can give zeros for an output that got no gradient.
  struct OutputMeta {
    DimVector sizes;
    DType dtype;
    Device device;
  };
  std::vector<OutputMeta> output_meta;
  uint32_t num_outputs_ = 1;
  bool is_accumulate_grad_ = false;

 private:
  uint64_t sequence_nr_;
};

// Accumulates into a leaf's .grad. Holds the leaf strongly, as PyTorch does; the leaf holds it weakly, so
// the leaf's hooks live in its AutogradMeta and the engine runs them from there.
struct AccumulateGrad final : Node {
  explicit AccumulateGrad(Tensor v);
  tensor_list apply(tensor_list&& grads) override;
  std::string name() const override { return "AccumulateGrad"; }
  // Adds `g` into `variable.grad()` (an undefined g adds nothing). Under grad mode (create_graph) the sum
  // is recorded; otherwise it is accumulated in place and detached.
  static void accumulate(const Tensor& variable, Tensor&& g);
  Tensor variable;
};

}  // namespace ember::autograd
