// ember._C._SGD, _Adam, ..., _StepLR, ...: the C++ optimizers and learning-rate schedulers, for
// python/ember/optim. The Python classes there give torch.optim's API (param_groups as dicts, state,
// state_dict layout); these bindings only translate values: a group option or scheduler attribute
// (OptionValue) to None/bool/int/float/str, a tuple of floats (optimizer options such as betas) or a list
// (scheduler attributes, "params"), and a parameter's state (StateValue) to tensors, numbers and lists of
// tensors. The updates and schedules run in C++; the parameter groups live in the C++ optimizer, so
// schedulers and Python read one copy.
#include <nanobind/stl/pair.h>

#include "python/bind.h"

namespace ember::python {

namespace {

using namespace ember::optim;

// `floats_as_tuple`: optimizer options hold tuples (betas=(0.9, 0.999)); scheduler attributes hold lists.
nb::object option_to_py(const OptionValue& v, bool floats_as_tuple) {
  struct V {
    bool tuple;
    nb::object operator()(std::monostate) const { return nb::none(); }
    nb::object operator()(bool b) const { return nb::bool_(b); }
    nb::object operator()(int64_t i) const { return nb::int_(i); }
    nb::object operator()(double d) const { return nb::float_(d); }
    nb::object operator()(const std::string& s) const { return nb::str(s.c_str()); }
    nb::object operator()(const std::vector<double>& t) const {
      nb::list l;
      for (double d : t) l.append(nb::float_(d));
      return tuple ? nb::object(nb::tuple(l)) : nb::object(l);
    }
    nb::object operator()(const std::vector<int64_t>& t) const {
      nb::list l;
      for (int64_t i : t) l.append(nb::int_(i));
      return l;
    }
  };
  return std::visit(V{floats_as_tuple}, v);
}

bool is_int(nb::handle h) { return PyLong_Check(h.ptr()) && !PyBool_Check(h.ptr()); }
bool is_number(nb::handle h) { return PyFloat_Check(h.ptr()) || is_int(h); }

// A Python value as an option; nullopt for values no option can hold (functions, dicts).
std::optional<OptionValue> option_from_py(nb::handle h) {
  if (h.is_none()) return OptionValue(std::monostate{});
  if (PyBool_Check(h.ptr())) return OptionValue(h.ptr() == Py_True);
  if (is_int(h)) return OptionValue(int64_t(nb::cast<int64_t>(h)));
  if (PyFloat_Check(h.ptr())) return OptionValue(nb::cast<double>(h));
  if (nb::isinstance<nb::str>(h)) return OptionValue(nb::cast<std::string>(h));
  if (nb::isinstance<nb::tuple>(h) || nb::isinstance<nb::list>(h)) {
    bool all_int = true;
    for (nb::handle x : h) {
      if (!is_number(x)) return std::nullopt;
      all_int = all_int && is_int(x);
    }
    // A tuple is a tuple of floats even when written with ints (betas=(0, 0.9)); a list of ints is a list of
    // ints ("params", milestones).
    if (all_int && nb::isinstance<nb::list>(h) && nb::len(h) > 0) return OptionValue(nb::cast<std::vector<int64_t>>(h));
    std::vector<double> out;
    for (nb::handle x : h) out.push_back(nb::cast<double>(x));
    return OptionValue(out);
  }
  return std::nullopt;
}

OptionValue option_or_throw(const std::string& key, nb::handle h) {
  auto v = option_from_py(h);
  if (!v)
    throw TypeError(detail::str("ember optimizers hold options that are None, bool, int, float, str or tuples of "
                                "numbers; '", key, "' is ", nb::type_name(h.type()).c_str()));
  return *v;
}

Options options_from_py(nb::dict d) {
  Options out;
  for (auto [k, v] : d) {
    std::string key = nb::cast<std::string>(k);
    out[key] = option_or_throw(key, v);
  }
  return out;
}

nb::dict options_to_py(const Options& o) {
  nb::dict d;
  for (const auto& [k, v] : o) d[k.c_str()] = option_to_py(v, true);
  return d;
}

nb::object state_to_py(const StateValue& v) {
  struct V {
    nb::object operator()(std::monostate) const { return nb::none(); }
    nb::object operator()(const Tensor& t) const { return wrap(t); }
    nb::object operator()(double d) const { return nb::float_(d); }
    nb::object operator()(int64_t i) const { return nb::int_(i); }
    nb::object operator()(const std::vector<Tensor>& l) const {
      nb::list out;
      for (const Tensor& t : l) out.append(wrap(t));
      return out;
    }
  };
  return std::visit(V{}, v);
}

StateValue state_from_py(const std::string& key, nb::handle h) {
  if (h.is_none()) return std::monostate{};
  Tensor t;
  if (nb::try_cast<Tensor>(h, t)) return t;
  if (is_int(h)) return nb::cast<int64_t>(h);
  if (PyFloat_Check(h.ptr())) return nb::cast<double>(h);
  if (nb::isinstance<nb::list>(h) || nb::isinstance<nb::tuple>(h)) {
    std::vector<Tensor> out;
    for (nb::handle x : h) {
      Tensor e;
      if (!x.is_none() && !nb::try_cast<Tensor>(x, e))
        throw TypeError(detail::str("optimizer state '", key, "' must be a list of tensors"));
      out.push_back(e);
    }
    return out;
  }
  throw TypeError(detail::str("optimizer state '", key, "' is ", nb::type_name(h.type()).c_str(),
                              "; ember holds tensors, numbers and lists of tensors"));
}

nb::dict param_state_to_py(const ParamState& st) {
  nb::dict d;
  for (const auto& [k, v] : st) d[k.c_str()] = state_to_py(v);
  return d;
}

// [(params, options), ...] as built by ember.optim.Optimizer from torch's params argument.
ParamGroups groups_from_py(nb::list groups) {
  std::vector<ParamGroup> out;
  for (nb::handle g : groups) {
    auto pair = nb::cast<nb::tuple>(g);
    out.emplace_back(nb::cast<std::vector<Tensor>>(pair[0]), options_from_py(nb::cast<nb::dict>(pair[1])));
  }
  return ParamGroups(std::move(out));
}

ParamGroup& group_at(Optimizer& o, int64_t i) {
  auto& g = o.param_groups();
  if (i < 0 || size_t(i) >= g.size()) throw IndexError("list index out of range");
  return g[size_t(i)];
}

nb::dict scheduler_state_to_py(const SchedulerStateDict& sd) {
  nb::dict d;
  for (const auto& [k, v] : sd.values) d[k.c_str()] = option_to_py(v, false);
  if (!sd.schedulers.empty()) {
    nb::list children;
    for (const auto& c : sd.schedulers) children.append(scheduler_state_to_py(c));
    d["_schedulers"] = children;
  }
  return d;
}

// Entries no scheduler attribute can hold (PyTorch's lr_lambdas, anneal_func, _schedule_phases) are
// skipped: ember rebuilds them from its constructor arguments.
SchedulerStateDict scheduler_state_from_py(nb::dict d) {
  SchedulerStateDict sd;
  for (auto [k, v] : d) {
    std::string key = nb::cast<std::string>(k);
    if (key == "_schedulers") {
      for (nb::handle c : v) sd.schedulers.push_back(scheduler_state_from_py(nb::cast<nb::dict>(c)));
      continue;
    }
    if (auto o = option_from_py(v)) sd.values[key] = *o;
  }
  return sd;
}

// A Python closure for LBFGS: its result as a tensor (a Python float becomes a 0-dim float64 tensor).
Optimizer::Closure closure_from_py(nb::object fn) {
  if (fn.is_none()) return nullptr;
  return [fn]() -> Tensor {
    nb::object r = fn();
    Tensor t;
    if (nb::try_cast<Tensor>(r, t)) return t;
    return scalar_tensor(nb::cast<double>(r), kFloat64);
  };
}

// The schedulers' Python callables are held by their Python objects (ember.optim.lr_scheduler keeps
// lr_lambdas and scale_fn), which own the C++ scheduler; the C++ side borrows them. Owning them here would
// make cycles the garbage collector cannot see (a lambda's globals hold the scheduler that holds it).
std::vector<LambdaLR::Lambda> lambdas_from_py(nb::list fns) {
  std::vector<LambdaLR::Lambda> out;
  for (nb::handle fn : fns) out.push_back([fn](int64_t epoch) { return nb::cast<double>(fn(epoch)); });
  return out;
}

std::optional<CyclicLR::ScaleFn> scale_fn_from_py(nb::handle fn) {
  if (fn.is_none()) return std::nullopt;
  return CyclicLR::ScaleFn([fn](double x) { return nb::cast<double>(fn(x)); });
}

// The C++ side of an optimizer written in Python (a subclass of ember.optim.Optimizer with its own step, as
// torch.optim users write them): it holds the groups, defaults and state; the Python step does the update.
class PythonOptimizer : public Optimizer {
 public:
  PythonOptimizer(ParamGroups params, Options defaults, std::string name)
      : Optimizer(std::move(params), std::move(defaults)), name_(std::move(name)) {}
  Tensor step(const Closure&) override { throw NotImplementedError(name_ + ".step() is not implemented"); }
  std::string name() const override { return name_; }

 private:
  std::string name_;
};

}  // namespace

void bind_optim(nb::module_& m) {
  // Private names in ember._C (a submodule would need a stub of its own): _Optimizer, _SGD, _StepLR ...
  nb::module_& o = m;

  nb::class_<Optimizer>(o, "_Optimizer")
      .def("step", [](Optimizer& self, nb::object closure) { return wrap(self.step(closure_from_py(closure))); },
           "closure"_a = nb::none())
      .def("zero_grad", &Optimizer::zero_grad, "set_to_none"_a)
      .def("add_param_group",
           [](Optimizer& self, std::vector<Tensor> params, nb::dict options) {
             self.add_param_group(ParamGroup(std::move(params), options_from_py(options)));
           })
      .def_prop_ro("defaults", [](const Optimizer& self) { return options_to_py(self.defaults()); })
      .def("num_groups", [](const Optimizer& self) { return self.param_groups().size(); })
      .def("group_keys",
           [](Optimizer& self, int64_t i) {
             std::vector<std::string> keys;
             for (const auto& [k, v] : group_at(self, i).options) keys.push_back(k);
             return keys;
           })
      .def("group_has", [](Optimizer& self, int64_t i, const std::string& key) { return group_at(self, i).has(key); })
      .def("group_get",
           [](Optimizer& self, int64_t i, const std::string& key) {
             return option_to_py(group_at(self, i)[key], true);
           })
      .def("group_set",
           [](Optimizer& self, int64_t i, const std::string& key, nb::handle value) {
             group_at(self, i)[key] = option_or_throw(key, value);
           })
      .def("group_del",
           [](Optimizer& self, int64_t i, const std::string& key) { group_at(self, i).options.erase(key); })
      .def("group_set_params",
           [](Optimizer& self, int64_t i, std::vector<Tensor> params) { group_at(self, i).params = std::move(params); })
      .def("param_state",
           [](Optimizer& self, const Tensor& p) -> nb::object {
             if (!self.has_state(p)) return nb::none();
             return param_state_to_py(self.state(p));
           })
      .def("set_param_state",
           [](Optimizer& self, const Tensor& p, const std::string& key, nb::handle value) {
             self.state(p)[key] = state_from_py(key, value);
           })
      .def("del_param_state",
           [](Optimizer& self, const Tensor& p, const std::string& key) { self.state(p).erase(key); })
      .def("state_dict",
           [](const Optimizer& self) {
             OptimizerStateDict sd = self.state_dict();
             nb::dict state;
             for (const auto& [i, st] : sd.state) state[nb::int_(i)] = param_state_to_py(st);
             nb::list groups;
             for (const Options& g : sd.param_groups) groups.append(options_to_py(g));
             return nb::make_tuple(state, groups);
           })
      .def("load_state_dict",
           [](Optimizer& self, nb::dict state, nb::list groups) {
             OptimizerStateDict sd;
             for (auto [k, v] : state) {
               ParamState st;
               for (auto [sk, sv] : nb::cast<nb::dict>(v)) {
                 std::string key = nb::cast<std::string>(sk);
                 st[key] = state_from_py(key, sv);
               }
               sd.state[nb::cast<int64_t>(k)] = std::move(st);
             }
             for (nb::handle g : groups) sd.param_groups.push_back(options_from_py(nb::cast<nb::dict>(g)));
             self.load_state_dict(sd);
           })
      .def("__repr__", &Optimizer::repr);

  nb::class_<PythonOptimizer, Optimizer>(o, "_PythonOptimizer")
      .def("__init__", [](PythonOptimizer* self, nb::list groups, nb::dict defaults, std::string name) {
        new (self) PythonOptimizer(groups_from_py(groups), options_from_py(defaults), std::move(name));
      });
  nb::class_<SGD, Optimizer>(o, "_SGD").def(
      "__init__", [](SGD* self, nb::list groups, double lr, double momentum, double dampening, double weight_decay,
                     bool nesterov, bool maximize) {
        new (self) SGD(groups_from_py(groups), lr, momentum, dampening, weight_decay, nesterov, maximize);
      });
  nb::class_<Adam, Optimizer>(o, "_Adam").def(
      "__init__", [](Adam* self, nb::list groups, double lr, Betas betas, double eps, double weight_decay, bool amsgrad,
                     bool maximize) {
        new (self) Adam(groups_from_py(groups), lr, betas, eps, weight_decay, amsgrad, maximize);
      });
  nb::class_<AdamW, Adam>(o, "_AdamW").def(
      "__init__", [](AdamW* self, nb::list groups, double lr, Betas betas, double eps, double weight_decay,
                     bool amsgrad, bool maximize) {
        new (self) AdamW(groups_from_py(groups), lr, betas, eps, weight_decay, amsgrad, maximize);
      });
  nb::class_<Adamax, Optimizer>(o, "_Adamax").def(
      "__init__", [](Adamax* self, nb::list groups, double lr, Betas betas, double eps, double weight_decay,
                     bool maximize) {
        new (self) Adamax(groups_from_py(groups), lr, betas, eps, weight_decay, maximize);
      });
  nb::class_<NAdam, Optimizer>(o, "_NAdam").def(
      "__init__", [](NAdam* self, nb::list groups, double lr, Betas betas, double eps, double weight_decay,
                     double momentum_decay) {
        new (self) NAdam(groups_from_py(groups), lr, betas, eps, weight_decay, momentum_decay);
      });
  nb::class_<RAdam, Optimizer>(o, "_RAdam").def(
      "__init__", [](RAdam* self, nb::list groups, double lr, Betas betas, double eps, double weight_decay) {
        new (self) RAdam(groups_from_py(groups), lr, betas, eps, weight_decay);
      });
  nb::class_<RMSprop, Optimizer>(o, "_RMSprop").def(
      "__init__", [](RMSprop* self, nb::list groups, double lr, double alpha, double eps, double weight_decay,
                     double momentum, bool centered, bool maximize) {
        new (self) RMSprop(groups_from_py(groups), lr, alpha, eps, weight_decay, momentum, centered, maximize);
      });
  nb::class_<Adagrad, Optimizer>(o, "_Adagrad").def(
      "__init__", [](Adagrad* self, nb::list groups, double lr, double lr_decay, double weight_decay,
                     double initial_accumulator_value, double eps, bool maximize) {
        new (self)
            Adagrad(groups_from_py(groups), lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize);
      });
  nb::class_<Adadelta, Optimizer>(o, "_Adadelta").def(
      "__init__", [](Adadelta* self, nb::list groups, double lr, double rho, double eps, double weight_decay,
                     bool maximize) {
        new (self) Adadelta(groups_from_py(groups), lr, rho, eps, weight_decay, maximize);
      });
  nb::class_<LBFGS, Optimizer>(o, "_LBFGS").def(
      "__init__", [](LBFGS* self, nb::list groups, double lr, int64_t max_iter, std::optional<int64_t> max_eval,
                     double tolerance_grad, double tolerance_change, int64_t history_size,
                     std::optional<std::string> line_search_fn) {
        new (self) LBFGS(groups_from_py(groups), lr, max_iter, max_eval, tolerance_grad, tolerance_change,
                         history_size, line_search_fn);
      });

  // Schedulers keep their optimizer (and SequentialLR/ChainedScheduler their children) alive.
  nb::class_<LRScheduler>(o, "_LRScheduler")
      .def("step", nb::overload_cast<>(&LRScheduler::step))
      .def("step_epoch", nb::overload_cast<int64_t>(&LRScheduler::step), "epoch"_a)
      .def("get_last_lr", &LRScheduler::get_last_lr)
      .def_prop_ro("last_epoch", &LRScheduler::last_epoch)
      .def_prop_ro("base_lrs", &LRScheduler::base_lrs)
      .def("state_dict", [](const LRScheduler& s) { return scheduler_state_to_py(s.state_dict()); })
      .def("load_state_dict",
           [](LRScheduler& s, nb::dict d) { s.load_state_dict(scheduler_state_from_py(d)); });

  nb::class_<LambdaLR, LRScheduler>(o, "_LambdaLR")
      .def(
          "__init__",
          [](LambdaLR* self, Optimizer& opt, nb::list fns, int64_t last_epoch) {
            new (self) LambdaLR(opt, lambdas_from_py(fns), last_epoch);
          },
          nb::keep_alive<1, 2>());
  nb::class_<MultiplicativeLR, LambdaLR>(o, "_MultiplicativeLR")
      .def(
          "__init__",
          [](MultiplicativeLR* self, Optimizer& opt, nb::list fns, int64_t last_epoch) {
            new (self) MultiplicativeLR(opt, lambdas_from_py(fns), last_epoch);
          },
          nb::keep_alive<1, 2>());
  nb::class_<StepLR, LRScheduler>(o, "_StepLR")
      .def(nb::init<Optimizer&, int64_t, double, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<MultiStepLR, LRScheduler>(o, "_MultiStepLR")
      .def(nb::init<Optimizer&, std::vector<int64_t>, double, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<ConstantLR, LRScheduler>(o, "_ConstantLR")
      .def(nb::init<Optimizer&, double, int64_t, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<LinearLR, LRScheduler>(o, "_LinearLR")
      .def(nb::init<Optimizer&, double, double, int64_t, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<ExponentialLR, LRScheduler>(o, "_ExponentialLR")
      .def(nb::init<Optimizer&, double, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<PolynomialLR, LRScheduler>(o, "_PolynomialLR")
      .def(nb::init<Optimizer&, int64_t, double, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<CosineAnnealingLR, LRScheduler>(o, "_CosineAnnealingLR")
      .def(nb::init<Optimizer&, int64_t, double, int64_t>(), nb::keep_alive<1, 2>());
  nb::class_<CosineAnnealingWarmRestarts, LRScheduler>(o, "_CosineAnnealingWarmRestarts")
      .def(nb::init<Optimizer&, int64_t, int64_t, double, int64_t>(), nb::keep_alive<1, 2>())
      .def("step_epoch", nb::overload_cast<double>(&CosineAnnealingWarmRestarts::step), "epoch"_a);
  nb::class_<CyclicLR, LRScheduler>(o, "_CyclicLR")
      .def(
          "__init__",
          [](CyclicLR* self, Optimizer& opt, std::vector<double> base_lr, std::vector<double> max_lr,
             double step_size_up, std::optional<double> step_size_down, std::string mode, double gamma,
             nb::handle scale_fn, std::string scale_mode, bool cycle_momentum, std::vector<double> base_momentum,
             std::vector<double> max_momentum, int64_t last_epoch) {
            auto fn = scale_fn_from_py(scale_fn);
            new (self) CyclicLR(opt, std::move(base_lr), std::move(max_lr), step_size_up, step_size_down,
                                std::move(mode), gamma, fn ? *fn : nullptr, std::move(scale_mode), cycle_momentum,
                                std::move(base_momentum), std::move(max_momentum), last_epoch);
          },
          "optimizer"_a, "base_lr"_a, "max_lr"_a, "step_size_up"_a, "step_size_down"_a.none(), "mode"_a, "gamma"_a,
          "scale_fn"_a.none(), "scale_mode"_a, "cycle_momentum"_a, "base_momentum"_a, "max_momentum"_a,
          "last_epoch"_a, nb::keep_alive<1, 2>());
  nb::class_<OneCycleLR, LRScheduler>(o, "_OneCycleLR")
      .def(nb::init<Optimizer&, std::vector<double>, std::optional<int64_t>, std::optional<int64_t>,
                    std::optional<int64_t>, double, std::string, bool, std::vector<double>, std::vector<double>,
                    double, double, bool, int64_t>(),
           nb::keep_alive<1, 2>());
  nb::class_<SequentialLR, LRScheduler>(o, "_SequentialLR")
      .def(nb::init<Optimizer&, std::vector<LRScheduler*>, std::vector<int64_t>, int64_t>(), nb::keep_alive<1, 2>(),
           nb::keep_alive<1, 3>());
  nb::class_<ChainedScheduler, LRScheduler>(o, "_ChainedScheduler")
      .def(nb::init<std::vector<LRScheduler*>>(), nb::keep_alive<1, 2>());

  nb::class_<ReduceLROnPlateau>(o, "_ReduceLROnPlateau")
      .def(nb::init<Optimizer&, std::string, double, int64_t, double, std::string, int64_t, std::vector<double>,
                    double>(),
           nb::keep_alive<1, 2>())
      .def("step", &ReduceLROnPlateau::step, "metrics"_a)
      .def("get_last_lr", &ReduceLROnPlateau::get_last_lr)
      .def_prop_ro("last_epoch", &ReduceLROnPlateau::last_epoch)
      .def_prop_ro("best", &ReduceLROnPlateau::best)
      .def_prop_ro("num_bad_epochs", &ReduceLROnPlateau::num_bad_epochs)
      .def_prop_ro("in_cooldown", &ReduceLROnPlateau::in_cooldown)
      .def("state_dict", [](const ReduceLROnPlateau& s) { return scheduler_state_to_py(s.state_dict()); })
      .def("load_state_dict",
           [](ReduceLROnPlateau& s, nb::dict d) { s.load_state_dict(scheduler_state_from_py(d)); });
}

}  // namespace ember::python
