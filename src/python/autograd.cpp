// Grad modes, autograd.grad/backward, hooks, grad_fn nodes, custom Functions, gradcheck.
//
// Tensor.backward and ember.autograd.grad/backward release the GIL while the engine runs, so everything
// the engine calls back into Python (tensor hooks, a Python Function's backward) takes the GIL itself, and
// Python objects that the graph owns are released through nanobind's cleanup guard, which takes it too.
#include <nanobind/stl/shared_ptr.h>

#include <cstdio>

#include "python/bind.h"

namespace ember::python {

namespace {

using autograd::Node;

// A Python object owned by the C++ graph. The graph may drop its last reference anywhere, also inside
// a backward that released the GIL or during interpreter shutdown.
class PyRef {
 public:
  explicit PyRef(nb::handle h) : obj_(h.inc_ref().ptr()) {}
  PyRef(const PyRef&) = delete;
  PyRef& operator=(const PyRef&) = delete;
  ~PyRef() {
    if (nb::detail::cleanup_guard guard{}) Py_DECREF(obj_);
  }
  nb::handle get() const { return obj_; }

 private:
  PyObject* obj_;
};

const char* py_type_name(nb::handle h) { return Py_TYPE(h.ptr())->tp_name; }

// The node of a Function subclassed in Python. Its C++ object lives inside the Python ctx object (an
// instance of MyFn._backward_cls), so `ctx.k = 3` and `y.grad_fn.k` are the same attribute, as in
// PyTorch; the graph's shared_ptrs keep that Python object alive.
struct PyNode final : autograd::CustomNodeBase {
  tensor_list apply(tensor_list&& grads) override;
  std::string name() const override { return name_; }
  std::string name_ = "BackwardCFunction";
};

Tensor tensor_or_none(nb::handle h) {
  if (h.is_none()) return {};
  if (!nb::isinstance<Tensor>(h))
    throw Error(detail::str("expected Variable or None (got ", py_type_name(h), ")"));
  return *nb::inst_ptr<Tensor>(h);
}

tensor_list PyNode::apply(tensor_list&& grads) {
  tensor_list in = prepare_grads(std::move(grads));
  tensor_list from_user;
  {
    nb::gil_scoped_acquire gil;
    nb::object self = nb::find(static_cast<const PyNode&>(*this));
    nb::list args;
    for (Tensor& g : in) args.append(wrap(std::move(g)));
    nb::object r = self.attr("apply")(*args);
    if (nb::isinstance<nb::tuple>(r)) {
      for (nb::handle h : r) from_user.push_back(tensor_or_none(h));
    } else {
      from_user.push_back(tensor_or_none(r));
    }
  }
  return collect_input_grads(std::move(from_user));
}

// A Python callable registered with Tensor.register_hook. A named type, so the garbage collector's
// traversal can find the callable inside the std::function the graph stores (std::function::target).
struct PyHook {
  std::shared_ptr<PyRef> ref;
  Tensor operator()(const Tensor& g) const {
    nb::gil_scoped_acquire gil;
    nb::object r = ref->get()(wrap(g));
    if (r.is_none()) return {};
    if (!nb::isinstance<Tensor>(r))
      throw nb::type_error(detail::str("expected Variable, but hook returned '", py_type_name(r), "'").c_str());
    return *nb::inst_ptr<Tensor>(r);
  }
};
using autograd::GradHook;

int visit_hooks(const std::vector<Node::PreHook>& hooks, visitproc visit, void* arg) {
  for (const Node::PreHook& h : hooks)
    if (const PyHook* py = h.fn.target<PyHook>(); py && py->ref.use_count() == 1) Py_VISIT(py->ref->get().ptr());
  return 0;
}

// Cyclic GC support for Tensor, as PyTorch's THPVariable_subclass_traverse: a Python object reachable
// from the tensor's C++ state (its hooks; the ctx of a Python Function that made it) can refer back to
// the tensor — `y.register_hook(lambda g: y ...)`, `ctx.out = out` — and such a cycle is only
// collectable if the collector sees those edges. An edge is reported only where this Python object is
// the sole owner of the C++ state on the path (one reference to the TensorImpl, to the node), so no
// reference is counted twice when several Python objects share one tensor.
int tensor_traverse(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));
  if (!nb::inst_ready(self)) return 0;
  const Tensor& t = *nb::inst_ptr<Tensor>(self);
  if (!t.defined() || t.use_count() != 1 || !t.unsafeGetTensorImpl()->autograd) return 0;
  const AutogradMeta& meta = *t.unsafeGetTensorImpl()->autograd;
  if (int r = visit_hooks(meta.hooks, visit, arg)) return r;
  const std::shared_ptr<Node>& fn = meta.grad_fn;
  if (!fn || fn.use_count() != 1) return 0;
  if (int r = visit_hooks(fn->pre_hooks, visit, arg)) return r;
  if (dynamic_cast<const PyNode*>(fn.get())) Py_VISIT(nb::find(static_cast<const PyNode&>(*fn)).ptr());
  return 0;
}

// Breaks a cycle the collector found: dropping the C++ tensor releases what it held.
int tensor_clear(PyObject* self) {
  if (nb::inst_ready(self)) *nb::inst_ptr<Tensor>(self) = Tensor();
  return 0;
}

PyType_Slot g_tensor_slots[] = {{Py_tp_traverse, reinterpret_cast<void*>(&tensor_traverse)},
                                {Py_tp_clear, reinterpret_cast<void*>(&tensor_clear)},
                                {0, nullptr}};

// A grad_fn as Python sees it: None for a leaf, the ctx object for a Python Function, otherwise a
// wrapper sharing ownership of the node.
nb::object node_object(const std::shared_ptr<Node>& n) {
  if (!n) return nb::none();
  return nb::cast(n);
}

// The tensors (None: undefined) given to a ctx method; `what` opens the error for anything else.
tensor_list tensors_of(const nb::args& args, const char* what) {
  tensor_list r;
  r.reserve(args.size());
  for (nb::handle a : args) {
    if (a.is_none()) {
      r.emplace_back();
      continue;
    }
    if (!nb::isinstance<Tensor>(a))
      throw nb::type_error(
          detail::str(what, ", but argument ", r.size(), " is of type ", py_type_name(a)).c_str());
    r.push_back(*nb::inst_ptr<Tensor>(a));
  }
  return r;
}

tensor_list optional_list(const std::vector<std::optional<Tensor>>& v) {
  tensor_list r;
  r.reserve(v.size());
  for (const auto& t : v) r.push_back(t ? *t : Tensor());
  return r;
}

// MyFn.apply(*args): forward under no_grad with a fresh ctx, then the outputs wired to ctx's node.
nb::object function_apply(nb::handle cls, nb::args args) {
  nb::object ctx = cls.attr("_backward_cls")();
  auto node = nb::cast<std::shared_ptr<PyNode>>(ctx);
  node->name_ = nb::cast<std::string>(cls.attr("__name__")) + "Backward";
  autograd::CustomFunctionBuilder builder(node);
  nb::list needs;
  for (nb::handle a : args) {
    if (nb::isinstance<Tensor>(a)) {
      const Tensor& t = *nb::inst_ptr<Tensor>(a);
      builder.add_arg(t);
      needs.append(t.requires_grad());
    } else {
      builder.add_non_tensor_arg();
      needs.append(false);
    }
  }
  builder.connect_inputs();
  ctx.attr("needs_input_grad") = nb::tuple(needs);
  nb::object result;
  {
    AutoGradMode no_grad(false);
    result = cls.attr("forward")(ctx, *args);
  }
  const bool is_tuple = nb::isinstance<nb::tuple>(result);
  nb::list items;
  if (is_tuple)
    for (nb::handle h : result) items.append(h);
  else
    items.append(result);
  // Non-tensor outputs are undefined outputs of the node: backward gets None for them.
  tensor_list outputs;
  for (nb::handle h : items) outputs.push_back(nb::isinstance<Tensor>(h) ? *nb::inst_ptr<Tensor>(h) : Tensor());
  tensor_list before = outputs;
  builder.wrap_outputs(outputs);
  // An input returned unchanged comes back as a new alias (a new Python object); every other output keeps
  // its Python object, so a tensor marked dirty is returned as the very object passed in.
  for (size_t i = 0; i < outputs.size(); ++i)
    if (outputs[i].defined() && !outputs[i].is_same(before[i])) items[i] = nb::cast(std::move(outputs[i]));
  return is_tuple ? nb::object(nb::tuple(items)) : nb::object(items[0]);
}

// In anomaly mode, the Python stack of the forward call: the C++ frames say nothing to a Python user.
// Nodes are also made inside a backward that released the GIL (create_graph) and, in principle, after
// the interpreter is gone: the guard takes the GIL where it can.
std::string python_forward_trace() {
  nb::detail::cleanup_guard gil;
  if (!gil) return {};
  try {
    std::string out;
    for (nb::handle line : nb::module_::import_("traceback").attr("format_stack")()) out += nb::cast<std::string>(line);
    return out;
  } catch (const nb::python_error&) {
    return {};
  }
}

tensor_list call_for_gradcheck(const nb::callable& fn, const tensor_list& in) {
  nb::list args;
  for (const Tensor& t : in) args.append(wrap(t));
  nb::object r = fn(*args);
  tensor_list out;
  if (nb::isinstance<Tensor>(r)) {
    out.push_back(*nb::inst_ptr<Tensor>(r));
    return out;
  }
  for (nb::handle h : r) {
    if (!nb::isinstance<Tensor>(h))
      throw nb::type_error(detail::str("gradcheck: the function must return a Tensor or a sequence of Tensors, got ",
                                       py_type_name(h))
                               .c_str());
    out.push_back(*nb::inst_ptr<Tensor>(h));
  }
  return out;
}

}  // namespace

PyType_Slot* tensor_gc_slots() { return g_tensor_slots; }

void bind_autograd(nb::module_& m, nb::class_<Tensor>& cls) {
  // Grad modes: thread-local in the core, as in PyTorch. The context managers are in ember/autograd.
  m.def("is_grad_enabled", &GradMode::is_enabled);
  m.def("_set_grad_enabled", &GradMode::set_enabled, "mode"_a);
  m.def("is_inference_mode_enabled", &InferenceMode::is_enabled);
  nb::class_<InferenceMode>(m, "_InferenceMode").def(nb::init<bool>(), "mode"_a = true);
  m.def("is_anomaly_enabled", &autograd::AnomalyMode::is_enabled);
  m.def("is_anomaly_check_nan_enabled", &autograd::AnomalyMode::should_check_nan);
  m.def("set_anomaly_enabled", &autograd::AnomalyMode::set_enabled, "enabled"_a, "check_nan"_a = true);
  autograd::AnomalyMode::set_forward_trace_fn(&python_forward_trace);

  nb::class_<Tensor::HookHandle>(m, "_HookHandle")
      .def_ro("id", &Tensor::HookHandle::id)
      .def("remove", &Tensor::HookHandle::remove)
      .def("__enter__", [](nb::handle self) { return nb::borrow(self); })
      .def("__exit__", [](Tensor::HookHandle& h, nb::args) { h.remove(); });

  nb::class_<Node>(m, "_Node")
      .def("name", &Node::name)
      .def_prop_ro("next_functions",
                   [](const Node& n) {
                     nb::list r;
                     for (const autograd::Edge& e : n.next_edges)
                       r.append(nb::make_tuple(node_object(e.function), e.input_nr));
                     return nb::tuple(r);
                   })
      .def("__repr__", [](nb::handle self) {
        char addr[32];
        std::snprintf(addr, sizeof addr, "%p", static_cast<void*>(self.ptr()));
        return detail::str("<", nb::cast<const Node&>(self).name(), " object at ", addr, ">");
      });
  nb::class_<autograd::AccumulateGrad, Node>(m, "_AccumulateGrad")
      .def_prop_ro("variable", [](const autograd::AccumulateGrad& a) { return a.variable; });

  // ctx of a Python Function (FunctionCtx's methods in PyTorch) and its backward node at once.
  nb::class_<PyNode, Node>(m, "_FunctionBase", nb::dynamic_attr())
      .def(nb::init<>())
      .def("save_for_backward",
           [](PyNode& n, nb::args tensors) { n.ctx.save_for_backward(tensors_of(tensors, "save_for_backward can only save variables")); })
      .def("mark_dirty", [](PyNode& n, nb::args tensors) { n.ctx.mark_dirty(tensors_of(tensors, "mark_dirty can only accept variables")); })
      .def("mark_non_differentiable",
           [](PyNode& n, nb::args tensors) {
             n.ctx.mark_non_differentiable(tensors_of(tensors, "mark_non_differentiable can only accept variables"));
           })
      .def("set_materialize_grads", [](PyNode& n, bool value) { n.ctx.set_materialize_grads(value); }, "value"_a)
      .def_prop_ro("saved_tensors", [](const PyNode& n) {
        nb::list r;
        for (Tensor& t : n.ctx.get_saved_variables()) r.append(wrap(std::move(t)));
        return nb::tuple(r);
      });
  m.def("_function_apply", &function_apply);

  cls.def_prop_ro("grad_fn", [](const Tensor& t) { return node_object(t.grad_fn()); },
                  nb::for_getter(nb::sig("def grad_fn(self, /) -> _Node | None")))
      .def_prop_ro("output_nr", &Tensor::output_nr)
      .def(
          "register_hook", [](const Tensor& t, nb::callable fn) { return t.register_hook(GradHook(PyHook{std::make_shared<PyRef>(fn)})); },
          "hook"_a);

  m.def(
      "_run_backward",
      [](const std::vector<Tensor>& tensors, const std::vector<std::optional<Tensor>>& grad_tensors,
         std::optional<bool> retain_graph, bool create_graph, const std::vector<Tensor>& inputs) {
        tensor_list grads = optional_list(grad_tensors);
        nb::gil_scoped_release release;
        autograd::backward(tensors, grads, retain_graph, create_graph, inputs);
      },
      "tensors"_a, "grad_tensors"_a, "retain_graph"_a.none(), "create_graph"_a, "inputs"_a);
  m.def(
      "_run_grad",
      [](const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
         const std::vector<std::optional<Tensor>>& grad_outputs, std::optional<bool> retain_graph, bool create_graph,
         bool allow_unused) {
        tensor_list grads = optional_list(grad_outputs);
        tensor_list result;
        {
          nb::gil_scoped_release release;
          result = autograd::grad(outputs, inputs, grads, retain_graph, create_graph, allow_unused);
        }
        nb::list r;
        for (Tensor& g : result) r.append(wrap(std::move(g)));
        return nb::tuple(r);
      },
      "outputs"_a, "inputs"_a, "grad_outputs"_a, "retain_graph"_a.none(), "create_graph"_a, "allow_unused"_a);

  // The core's finite-difference checks over a Python callable. The GIL stays held: the check calls the
  // function hundreds of times.
  m.def(
      "_gradcheck",
      [](nb::callable fn, const std::vector<Tensor>& inputs, const std::vector<Tensor>& grad_outputs, double eps,
         double atol, double rtol, bool raise_exception, bool second_order) {
        autograd::GradcheckFn f = [&fn](const tensor_list& in) { return call_for_gradcheck(fn, in); };
        autograd::GradcheckOptions opts{eps, atol, rtol, raise_exception};
        if (!second_order) return autograd::gradcheck(f, inputs, opts);
        return grad_outputs.empty() ? autograd::gradgradcheck(f, inputs, opts)
                                    : autograd::gradgradcheck(f, inputs, grad_outputs, opts);
      },
      "fn"_a, "inputs"_a, "grad_outputs"_a, "eps"_a, "atol"_a, "rtol"_a, "raise_exception"_a, "second_order"_a);
}

}  // namespace ember::python
