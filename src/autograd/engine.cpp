// The backward engine: finds the nodes reachable from the roots, counts dependencies, then runs nodes in
// an order where every node runs after all nodes that feed it gradients (highest sequence number first
// among the ready ones, as PyTorch's CPU engine), accumulating gradients per input slot.
//
// The bookkeeping of one backward call lives in flat vectors indexed through a small open-addressing
// table: tiny graphs (the common case in a training step) cost a handful of allocations, not one per node.
#include <algorithm>

#include <ember/autograd/engine.h>
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/meta.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

namespace {

// Node* -> index of its state in the current backward call. Open addressing over inline storage.
class NodeIndex {
 public:
  static constexpr uint32_t kAbsent = ~0u;
  uint32_t find(const Node* n) const {
    for (size_t i = hash(n) & mask();; i = (i + 1) & mask()) {
      if (slots_[i].node == n) return slots_[i].index;
      if (!slots_[i].node) return kAbsent;
    }
  }
  void insert(const Node* n, uint32_t index) {
    if (2 * (size_ + 1) > slots_.size()) grow();
    place(n, index);
    ++size_;
  }

 private:
  struct Slot {
    const Node* node;
    uint32_t index;
  };
  static size_t hash(const Node* n) { return (reinterpret_cast<uintptr_t>(n) >> 4) * 0x9E3779B97F4A7C15ull >> 32; }
  size_t mask() const { return slots_.size() - 1; }
  void place(const Node* n, uint32_t index) {
    size_t i = hash(n) & mask();
    while (slots_[i].node) i = (i + 1) & mask();
    slots_[i] = {n, index};
  }
  void grow() {
    SmallVector<Slot, 32> old(slots_.size() * 2, Slot{nullptr, 0});
    std::swap(old, slots_);
    for (const Slot& s : old)
      if (s.node) place(s.node, s.index);
  }
  SmallVector<Slot, 32> slots_ = SmallVector<Slot, 32>(32, Slot{nullptr, 0});
  size_t size_ = 0;
};

struct NodeState {
  Node* node;
  int deps;
  bool capture;  // a gradient arriving here is returned (autograd::grad, backward(inputs=))
  bool execute;  // the node must run for a capture further down (or everything runs)
};

struct Capture {
  uint32_t state;
  uint32_t slot;
};

struct ReadyNode {
  uint64_t sequence_nr;
  uint32_t state;
  bool operator<(const ReadyNode& o) const { return sequence_nr < o.sequence_nr; }
};

// Adds `g` into `slot`. Outside create_graph, a slot that only the engine holds is updated in place,
// saving an allocation per extra use of a tensor.
void add_grad(Tensor& slot, Tensor&& g) {
  if (!g.defined()) return;
  if (!slot.defined()) {
    slot = std::move(g);
  } else if (!GradMode::is_enabled() && slot.use_count() == 1 && slot.impl()->storage.use_count() == 1 &&
             slot.is_contiguous() && slot.dtype() == g.dtype() && slot.sizes().equals(g.sizes())) {
    ops::add_(slot, g, 1);
  } else {
    slot = slot + g;
  }
}

void check_nan(const Node& node, const tensor_list& grads) {
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor& g = grads[i];
    // NaN is the only value unequal to itself.
    if (g.defined() && g.is_floating_point() && ops::sum(ops::ne(g, g), {}, false, std::nullopt).item<int64_t>() > 0)
      throw Error(detail::str("Function '", node.name(), "' returned nan values in its ", i, "th output.",
                              node.forward_trace.empty() ? std::string()
                                                         : "\nThe forward call that created " + node.name() +
                                                               " (anomaly mode):\n" + node.forward_trace));
  }
}

void run_hooks(std::vector<Node::PreHook>& hooks, tensor_list& grads) {
  for (auto& h : hooks) {
    if (h.slot >= grads.size() || !grads[h.slot].defined()) continue;
    Tensor r = h.fn(grads[h.slot]);
    if (!r.defined()) continue;
    const Tensor& g = grads[h.slot];
    // PyTorch's checks on a replacement gradient (C++ hooks are named 'hook').
    EMBER_CHECK(r.dtype() == g.dtype() && r.device() == g.device(),
                "hook 'hook' has changed the type of value (was ", type_string(g), " got ", type_string(r), ")");
    EMBER_CHECK(r.sizes().equals(g.sizes()), "hook 'hook' has changed the size of value");
    grads[h.slot] = std::move(r);
  }
}

void retain_grads(const Node& n, const tensor_list& grads) {
  for (const auto& [slot, weak] : n.retained_grads) {
    auto impl = weak.lock();
    if (!impl || slot >= grads.size() || !grads[slot].defined()) continue;
    Tensor& g = impl->autograd->grad;
    g = g.defined() ? g + grads[slot].detach() : grads[slot].detach().clone();
  }
}

class GraphTask {
 public:
  GraphTask(bool keep_graph, bool accumulate) : keep_graph_(keep_graph), accumulate_(accumulate) {}

  // Runs the graph. `roots[i]` receives `root_grads[i]`; the gradients arriving at `captures` are returned.
  tensor_list run(const std::vector<Edge>& roots, tensor_list& root_grads, const std::vector<Edge>& captures) {
    SmallVector<uint32_t, 8> root_ids;
    for (const Edge& e : roots) root_ids.push_back(e.is_valid() ? state_of(e.function.get()) : NodeIndex::kAbsent);
    discover(root_ids);
    grads_.resize(states_.size());
    SmallVector<Capture, 4> caps;
    for (const Edge& e : captures) {
      uint32_t s = e.is_valid() ? index_.find(e.function.get()) : NodeIndex::kAbsent;
      caps.push_back({s, e.input_nr});
      if (s != NodeIndex::kAbsent) states_[s].capture = true;
    }
    if (!captures.empty()) prune();
    count_dependencies();

    for (size_t i = 0; i < roots.size(); ++i)
      if (root_ids[i] != NodeIndex::kAbsent) deliver(root_ids[i], roots[i].input_nr, std::move(root_grads[i]));
    for (uint32_t id : root_ids)
      if (id != NodeIndex::kAbsent && active(states_[id]) && states_[id].deps == 0) {
        states_[id].deps = -1;
        push_ready(id);
      }

    tensor_list captured(caps.size());
    while (!ready_.empty()) {
      std::pop_heap(ready_.begin(), ready_.end());
      uint32_t id = ready_.back().state;
      ready_.pop_back();
      evaluate(id, caps, captured);
    }
    return captured;
  }

 private:
  uint32_t state_of(Node* n) {
    uint32_t id = index_.find(n);
    if (id == NodeIndex::kAbsent) {
      id = uint32_t(states_.size());
      states_.push_back({n, 0, false, true});
      index_.insert(n, id);
    }
    return id;
  }

  void push_ready(uint32_t id) {
    ready_.push_back({states_[id].node->sequence_nr(), id});
    std::push_heap(ready_.begin(), ready_.end());
  }

  void discover(const SmallVector<uint32_t, 8>& root_ids) {
    SmallVector<uint32_t, 16> stack;
    for (uint32_t id : root_ids)
      if (id != NodeIndex::kAbsent) stack.push_back(id);
    while (!stack.empty()) {
      Node* n = states_[stack.back()].node;
      stack.pop_back();
      for (const Edge& e : n->next_edges) {
        if (!e.is_valid()) continue;
        uint32_t before = uint32_t(states_.size());
        uint32_t c = state_of(e.function.get());
        if (c == before) stack.push_back(c);
      }
    }
  }

  // With captures, only nodes on a path to a capture run. A node's inputs were created before it, so in
  // increasing sequence order every node comes after the nodes it feeds gradients to. AccumulateGrad nodes
  // are the exception (made lazily, after the node that first uses the leaf) but have no next edges.
  void prune() {
    std::vector<uint32_t> order(states_.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return states_[a].node->sequence_nr() < states_[b].node->sequence_nr(); });
    for (NodeState& s : states_) s.execute = false;
    for (uint32_t id : order) {
      NodeState& s = states_[id];
      for (const Edge& e : s.node->next_edges)
        if (e.is_valid()) {
          const NodeState& c = states_[index_.find(e.function.get())];
          s.execute |= c.capture || c.execute;
        }
    }
  }

  static bool active(const NodeState& s) { return s.capture || s.execute; }

  void count_dependencies() {
    for (NodeState& s : states_) {
      if (!s.execute) continue;
      for (const Edge& e : s.node->next_edges)
        if (e.is_valid()) {
          NodeState& c = states_[index_.find(e.function.get())];
          if (active(c)) ++c.deps;
        }
    }
  }

  void deliver(uint32_t id, uint32_t slot, Tensor&& g) {
    // As PyTorch's engine does, a gradient takes the dtype of the tensor it is the gradient of (the float32
    // input of an op whose float64 result came from type promotion), and a 0-dim one its device (a CPU
    // scalar that joined a CUDA op gets its gradient computed on the GPU).
    Node* n = states_[id].node;
    if (n->is_accumulate_grad_) {
      const Tensor& v = static_cast<AccumulateGrad*>(n)->variable;
      if (g.dtype() != v.dtype()) g = g.to(v.dtype());
      if (g.dim() == 0 && g.device() != v.device()) g = g.to(v.device());
    } else if (slot < n->output_meta.size()) {
      const auto& m = n->output_meta[slot];
      if (g.dtype() != m.dtype) g = g.to(m.dtype);
      if (g.dim() == 0 && g.device() != m.device) g = g.to(m.device);
    }
    tensor_list& buf = grads_[id];
    if (buf.size() < states_[id].node->num_outputs()) buf.resize(states_[id].node->num_outputs());
    add_grad(buf[slot], std::move(g));
  }

  void evaluate(uint32_t id, const SmallVector<Capture, 4>& caps, tensor_list& captured) {
    Node* n = states_[id].node;
    tensor_list grads = std::move(grads_[id]);
    grads.resize(n->num_outputs());
    if (n->is_accumulate_grad_) {
      if (AutogradMeta* m = static_cast<AccumulateGrad*>(n)->variable.unsafeGetTensorImpl()->autograd.get())
        run_hooks(m->hooks, grads);
    } else {
      run_hooks(n->pre_hooks, grads);
      retain_grads(*n, grads);
    }
    if (states_[id].capture)
      for (size_t c = 0; c < caps.size(); ++c)
        if (caps[c].state == id) add_grad(captured[c], Tensor(grads[caps[c].slot]));
    if (!states_[id].execute) return;

    if (n->is_accumulate_grad_) {
      if (accumulate_) n->apply(std::move(grads));
      return;
    }
    for (uint32_t i = 0; i < grads.size(); ++i)
      if (!grads[i].defined() && i < n->output_meta.size()) {
        const auto& m = n->output_meta[i];
        grads[i] = ops::empty(m.sizes, m.dtype, m.device);
        ops::fill_(grads[i], 0);
      }
    tensor_list out = n->apply(std::move(grads));
    if (AnomalyMode::is_enabled() && AnomalyMode::should_check_nan()) check_nan(*n, out);
    if (!keep_graph_) n->release_variables();
    for (size_t i = 0; i < n->next_edges.size(); ++i) {
      const Edge& e = n->next_edges[i];
      if (!e.is_valid()) continue;
      uint32_t c = index_.find(e.function.get());
      if (!active(states_[c])) continue;
      if (i < out.size() && out[i].defined()) deliver(c, e.input_nr, std::move(out[i]));
      if (--states_[c].deps == 0) push_ready(c);
    }
  }

  NodeIndex index_;
  SmallVector<NodeState, 16> states_;
  std::vector<tensor_list> grads_;  // per state: gradients arrived so far, one slot per forward output
  SmallVector<ReadyNode, 16> ready_;
  bool keep_graph_;
  bool accumulate_;
};

std::vector<Edge> root_edges(const tensor_list& outputs, const tensor_list& grads, tensor_list& root_grads,
                             const char* api) {
  EMBER_CHECK(grads.empty() || grads.size() == outputs.size(), api, ": got ", grads.size(), " gradients for ",
              outputs.size(), " outputs");
  std::vector<Edge> roots;
  roots.reserve(outputs.size());
  root_grads.reserve(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    const Tensor& o = outputs[i];
    EMBER_CHECK(o.requires_grad(), "element ", i, " of tensors does not require grad and does not have a grad_fn");
    Tensor g = grads.empty() ? Tensor() : grads[i];
    if (!g.defined()) {
      EMBER_CHECK(o.numel() == 1, "grad can be implicitly created only for scalar outputs");
      g = ops::empty(o.sizes(), o.dtype(), o.device());
      ops::fill_(g, 1);
    } else {
      EMBER_CHECK(g.sizes().equals(o.sizes()), "Mismatch in shape: grad_output[", i, "] has a shape of ", g.sizes(),
                  " and output[", i, "] has a shape of ", o.sizes(), ".");
    }
    roots.push_back(gradient_edge(o));
    root_grads.push_back(std::move(g));
  }
  return roots;
}

std::vector<Edge> input_edges(const tensor_list& inputs) {
  std::vector<Edge> edges;
  edges.reserve(inputs.size());
  for (const Tensor& in : inputs) {
    EMBER_CHECK(in.requires_grad(), "One of the differentiated Tensors does not require grad");
    edges.push_back(gradient_edge(in));
  }
  return edges;
}

}  // namespace

void backward(const tensor_list& tensors, const tensor_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph, const tensor_list& inputs) {
  tensor_list root_grads;
  auto roots = root_edges(tensors, grad_tensors, root_grads, "backward");
  auto captures = input_edges(inputs);
  AutoGradMode mode(create_graph);
  GraphTask task(retain_graph.value_or(create_graph), inputs.empty());
  tensor_list got = task.run(roots, root_grads, captures);
  // backward(inputs=...) accumulates only into the given tensors (leaves or not), like AccumulateGrad.
  for (size_t i = 0; i < inputs.size(); ++i) AccumulateGrad::accumulate(inputs[i], std::move(got[i]));
}

tensor_list grad(const tensor_list& outputs, const tensor_list& inputs, const tensor_list& grad_outputs,
                 std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  tensor_list root_grads;
  auto roots = root_edges(outputs, grad_outputs, root_grads, "grad");
  auto captures = input_edges(inputs);
  tensor_list result;
  {
    AutoGradMode mode(create_graph);
    GraphTask task(retain_graph.value_or(create_graph), false);
    result = task.run(roots, root_grads, captures);
  }
  for (const Tensor& r : result)
    EMBER_CHECK(r.defined() || allow_unused,
                "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True "
                "if this is the desired behavior.");
  return result;
}

}  // namespace ember::autograd
