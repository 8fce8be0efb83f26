// The backward engine: counts dependencies from the roots, then runs nodes in an order where every node
// runs after all nodes that feed it gradients (highest sequence number first among the ready ones, as
// PyTorch's CPU engine), accumulating gradients per input slot.
#include <queue>
#include <unordered_map>

#include <ember/autograd/engine.h>
#include <ember/autograd/grad_mode.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

namespace {

struct NodeTask {
  Node* node;
  bool operator<(const NodeTask& o) const { return node->sequence_nr() < o.node->sequence_nr(); }
};

struct Capture {
  Node* node;
  uint32_t slot;
  size_t index;
};

void add_grad(Tensor& slot, const Tensor& g) {
  if (!g.defined()) return;
  slot = slot.defined() ? slot + g : g;
}

void check_nan(const Node& node, const tensor_list& grads) {
  for (size_t i = 0; i < grads.size(); ++i) {
    const Tensor& g = grads[i];
    // NaN is the only value unequal to itself.
    if (g.defined() && g.is_floating_point() && ops::sum(ops::ne(g, g), {}, false, std::nullopt).item<int64_t>() > 0)
      throw Error(detail::str("Function '", node.name(), "' returned nan values in its ", i, "th output."));
  }
}

// Runs the graph from `roots` (edges with their gradients). With `captures`, gradients arriving at those
// (node, slot) pairs are returned instead of being accumulated into leaves.
tensor_list run(const std::vector<Edge>& roots, tensor_list root_grads, bool keep_graph, bool create_graph,
                const std::vector<Edge>& capture_edges, bool accumulate, const std::vector<Edge>& only_inputs) {
  AutoGradMode mode(create_graph);
  // Dependency counts over the reachable graph.
  std::unordered_map<Node*, int> deps;
  std::unordered_map<Node*, std::shared_ptr<Node>> keep_alive;
  std::vector<Node*> stack;
  for (const Edge& e : roots)
    if (e.is_valid() && !keep_alive.count(e.function.get())) {
      keep_alive[e.function.get()] = e.function;
      stack.push_back(e.function.get());
    }
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Edge& e : n->next_edges) {
      if (!e.is_valid()) continue;
      Node* c = e.function.get();
      ++deps[c];
      if (!keep_alive.count(c)) {
        keep_alive[c] = e.function;
        stack.push_back(c);
      }
    }
  }

  std::unordered_map<Node*, tensor_list> buffers;
  std::priority_queue<NodeTask> ready;
  auto deliver = [&](const Edge& e, const Tensor& g) {
    Node* n = e.function.get();
    auto& buf = buffers[n];
    if (buf.size() < n->num_outputs()) buf.resize(n->num_outputs());
    add_grad(buf[e.input_nr], g);
  };
  for (size_t i = 0; i < roots.size(); ++i)
    if (roots[i].is_valid()) deliver(roots[i], root_grads[i]);
  for (auto& [n, fn] : keep_alive)
    if (deps[n] == 0) ready.push({n});

  tensor_list captured(capture_edges.size());
  while (!ready.empty()) {
    Node* n = ready.top().node;
    ready.pop();
    tensor_list grads = std::move(buffers[n]);
    buffers.erase(n);
    grads.resize(n->num_outputs());
    // Tensor hooks registered on this node's outputs, then captures for autograd::grad.
    for (auto& [slot, hook] : n->pre_hooks) {
      if (slot < grads.size() && grads[slot].defined()) {
        Tensor r = hook.second(grads[slot]);
        if (r.defined()) grads[slot] = r;
      }
    }
    for (size_t c = 0; c < capture_edges.size(); ++c)
      if (capture_edges[c].function.get() == n) add_grad(captured[c], grads[capture_edges[c].input_nr]);

    bool is_acc = dynamic_cast<AccumulateGrad*>(n) != nullptr;
    tensor_list out;
    if (is_acc) {
      bool wanted = accumulate;
      if (wanted && !only_inputs.empty()) {
        wanted = false;
        for (const Edge& e : only_inputs) wanted |= e.function.get() == n;
      }
      if (wanted) n->apply(std::move(grads));
    } else {
      for (uint32_t i = 0; i < grads.size(); ++i)
        if (!grads[i].defined() && i < n->output_meta.size()) {
          const auto& m = n->output_meta[i];
          grads[i] = ops::empty(m.sizes, m.dtype, m.device);
          ops::fill_(grads[i], 0);
        }
      out = n->apply(std::move(grads));
      if (AnomalyMode::is_enabled()) check_nan(*n, out);
      if (!keep_graph) n->release_variables();
    }
    for (size_t i = 0; i < n->next_edges.size(); ++i) {
      const Edge& e = n->next_edges[i];
      if (!e.is_valid()) continue;
      if (i < out.size() && out[i].defined()) deliver(e, out[i]);
      if (--deps[e.function.get()] == 0) ready.push({e.function.get()});
    }
  }
  return captured;
}

std::vector<Edge> root_edges(const tensor_list& outputs, const tensor_list& grads, tensor_list& root_grads,
                             const char* api) {
  EMBER_CHECK(grads.empty() || grads.size() == outputs.size(), api, ": got ", grads.size(),
              " gradients for ", outputs.size(), " outputs");
  std::vector<Edge> roots;
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
    root_grads.push_back(g);
  }
  return roots;
}

}  // namespace

void backward(const tensor_list& tensors, const tensor_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph, const tensor_list& inputs) {
  tensor_list root_grads;
  auto roots = root_edges(tensors, grad_tensors, root_grads, "backward");
  std::vector<Edge> only;
  for (const Tensor& in : inputs) {
    EMBER_CHECK(in.requires_grad(), "One of the differentiated Tensors does not require grad");
    only.push_back(gradient_edge(in));
  }
  run(roots, root_grads, retain_graph.value_or(create_graph), create_graph, {}, true, only);
}

tensor_list grad(const tensor_list& outputs, const tensor_list& inputs, const tensor_list& grad_outputs,
                 std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  tensor_list root_grads;
  auto roots = root_edges(outputs, grad_outputs, root_grads, "grad");
  std::vector<Edge> captures;
  for (const Tensor& in : inputs) {
    EMBER_CHECK(in.requires_grad(), "One of the differentiated Tensors does not require grad");
    captures.push_back(gradient_edge(in));
  }
  tensor_list result = run(roots, root_grads, retain_graph.value_or(create_graph), create_graph, captures, false, {});
  for (size_t i = 0; i < result.size(); ++i)
    EMBER_CHECK(result[i].defined() || allow_unused,
                "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True "
                "if this is the desired behavior.");
  return result;
}

}  // namespace ember::autograd
