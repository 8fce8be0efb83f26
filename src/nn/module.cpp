// nn::Module: registration, traversal in PyTorch's order, modes, conversion, state dicts and printing.
// The hooks are in module_hooks.cpp.
#include <cmath>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <typeinfo>
#include <unordered_set>

#include <ember/autograd/function.h>
#include <ember/autograd/grad_mode.h>
#include <ember/nn/module.h>

namespace ember::nn {

Module::~Module() = default;

Tensor Module::forward(const Tensor&) {
  throw NotImplementedError("Module [" + name() + "] is missing the required \"forward\" function");
}

// ---- registration ----

// PyTorch's checks in register_parameter / register_buffer / add_module; `which` is the registry the
// name may already be in (0 parameters, 1 buffers, 2 modules).
void Module::check_name(const std::string& name, const char* kind, int which) const {
  EMBER_CHECK_INDEX(name.find('.') == std::string::npos, kind, " name can't contain \".\"",
                    which == 2 ? ", got: " + name : std::string());
  EMBER_CHECK_INDEX(!name.empty(), kind, " name can't be empty string \"\"");
  auto in = [&](const std::vector<Slot>& v) {
    for (const Slot& s : v)
      if (s.name == name) return true;
    return false;
  };
  const bool elsewhere = (which != 0 && in(params_)) || (which != 1 && in(buffers_)) || (which != 2 && find_child(name));
  EMBER_CHECK_INDEX(!elsewhere, "attribute '", name, "' already exists");
}

Tensor& Module::register_parameter(const std::string& name, Tensor tensor, bool requires_grad) {
  check_name(name, "parameter", 0);
  if (tensor.defined()) {
    EMBER_CHECK_TYPE(tensor.is_leaf(), "Cannot assign non-leaf Tensor to parameter '", name,
                     "'. Model parameters must be created explicitly. To express '", name,
                     "' as a function of another Tensor, compute the value in the forward() method.");
    if (tensor.requires_grad() != requires_grad) tensor.requires_grad_(requires_grad);
  }
  for (Slot& s : params_)
    if (s.name == name) return *s.value = std::move(tensor);
  params_.push_back(Slot{name, std::make_unique<Tensor>(std::move(tensor)), true});
  return *params_.back().value;
}

Tensor& Module::register_buffer(const std::string& name, Tensor tensor, bool persistent) {
  check_name(name, "buffer", 1);
  for (Slot& s : buffers_)
    if (s.name == name) {
      s.persistent = persistent;
      return *s.value = std::move(tensor);
    }
  buffers_.push_back(Slot{name, std::make_unique<Tensor>(std::move(tensor)), persistent});
  return *buffers_.back().value;
}

void Module::register_module_impl(const std::string& name, std::shared_ptr<Module> module) {
  check_name(name, "module", 2);
  EMBER_CHECK(module.get() != this, "cannot register a module as its own child: ", name);
  for (auto& [n, m] : children_)
    if (n == name) {
      m = std::move(module);
      return;
    }
  children_.emplace_back(name, std::move(module));
}

Tensor* Module::find_parameter(const std::string& name) {
  for (Slot& s : params_)
    if (s.name == name) return s.value.get();
  return nullptr;
}
const Tensor* Module::find_parameter(const std::string& name) const {
  return const_cast<Module*>(this)->find_parameter(name);
}
Tensor* Module::find_buffer(const std::string& name) {
  for (Slot& s : buffers_)
    if (s.name == name) return s.value.get();
  return nullptr;
}
std::shared_ptr<Module> Module::find_child(const std::string& name) const {
  for (const auto& [n, m] : children_)
    if (n == name) return m;
  return nullptr;
}

// ---- traversal ----

namespace {
std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}
// A shared_ptr to a module, owning when the module is owned by one, else non-owning (a module on the stack).
std::shared_ptr<Module> handle(const Module* m) {
  if (auto p = const_cast<Module*>(m)->weak_from_this().lock()) return p;
  return std::shared_ptr<Module>(std::shared_ptr<Module>(), const_cast<Module*>(m));
}
}  // namespace

void Module::walk(const std::string& prefix, bool remove_duplicate, std::unordered_set<const Module*>& memo,
                  std::vector<std::pair<std::string, const Module*>>& out) const {
  if (remove_duplicate && !memo.insert(this).second) return;
  out.emplace_back(prefix, this);
  for (const auto& [n, m] : children_)
    if (m) m->walk(join(prefix, n), remove_duplicate, memo, out);
}

void Module::collect_named(bool params, const std::string& prefix, bool recurse, bool remove_duplicate,
                           StateDict& out) const {
  std::vector<std::pair<std::string, const Module*>> mods;
  if (recurse) {
    std::unordered_set<const Module*> memo;
    walk(prefix, remove_duplicate, memo, mods);
  } else {
    mods.emplace_back(prefix, this);
  }
  std::unordered_set<const TensorImpl*> seen;
  for (const auto& [p, m] : mods)
    for (const Slot& s : params ? m->params_ : m->buffers_) {
      const Tensor& t = *s.value;
      if (!t.defined() || seen.count(t.unsafeGetTensorImpl())) continue;
      if (remove_duplicate) seen.insert(t.unsafeGetTensorImpl());
      out.insert_or_assign(join(p, s.name), t);
    }
}

StateDict Module::named_parameters(const std::string& prefix, bool recurse, bool remove_duplicate) const {
  StateDict r;
  collect_named(true, prefix, recurse, remove_duplicate, r);
  return r;
}
StateDict Module::named_buffers(const std::string& prefix, bool recurse, bool remove_duplicate) const {
  StateDict r;
  collect_named(false, prefix, recurse, remove_duplicate, r);
  return r;
}
std::vector<Tensor> Module::parameters(bool recurse) const { return named_parameters("", recurse).values(); }
std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers("", recurse).values(); }

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_children() const {
  OrderedDict<std::string, std::shared_ptr<Module>> r;
  std::unordered_set<const Module*> memo;
  for (const auto& [n, m] : children_)
    if (m && memo.insert(m.get()).second) r.insert(n, m);
  return r;
}
std::vector<std::shared_ptr<Module>> Module::children() const { return named_children().values(); }

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(const std::string& prefix,
                                                                        bool remove_duplicate) {
  std::vector<std::pair<std::string, const Module*>> mods;
  std::unordered_set<const Module*> memo;
  walk(prefix, remove_duplicate, memo, mods);
  OrderedDict<std::string, std::shared_ptr<Module>> r;
  for (const auto& [p, m] : mods) r.insert_or_assign(p, handle(m));
  return r;
}
std::vector<std::shared_ptr<Module>> Module::modules() { return named_modules().values(); }

// ---- modes, gradients, conversion ----

Module& Module::train(bool on) {
  training_ = on;
  for (const auto& m : children()) m->train(on);
  return *this;
}

void Module::zero_grad(bool set_to_none) {
  for (const Tensor& p : parameters()) {
    Tensor& g = p.mutable_grad();
    if (!g.defined()) continue;
    if (set_to_none) {
      g = Tensor();
    } else {
      if (g.grad_fn()) g.detach_();
      else g.requires_grad_(false);
      g.zero_();
    }
  }
}

namespace {
// PyTorch's `param.data = new`: the tensor keeps its identity (and autograd state) and takes new_'s data.
void set_data(const Tensor& t, const Tensor& new_) {
  TensorImpl* a = t.unsafeGetTensorImpl();
  const TensorImpl* b = new_.unsafeGetTensorImpl();
  a->storage = b->storage;
  a->sizes = b->sizes;
  a->strides = b->strides;
  a->storage_offset = b->storage_offset;
  a->dtype = b->dtype;
  a->refresh();
}
}  // namespace

void Module::apply_to_tensors(const std::function<Tensor(const Tensor&)>& fn) {
  for (const auto& m : children()) m->apply_to_tensors(fn);
  NoGradGuard no_grad;
  for (Slot& s : params_) {
    const Tensor& p = *s.value;
    if (!p.defined()) continue;
    Tensor applied = fn(p);
    if (!applied.is_same(p)) set_data(p, applied);
    const Tensor& g = p.grad();
    if (g.defined()) {
      Tensor ga = fn(g);
      if (!ga.is_same(g)) set_data(g, ga);
    }
  }
  for (Slot& s : buffers_)
    if (s.value->defined()) *s.value = fn(*s.value);
}

Module& Module::to(DType dtype) {
  EMBER_CHECK_TYPE(is_floating_point(dtype), "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=",
                   dtype);
  apply_to_tensors([dtype](const Tensor& t) { return t.is_floating_point() ? t.to(dtype) : t; });
  return *this;
}
Module& Module::to(Device device) {
  apply_to_tensors([device](const Tensor& t) { return t.to(device); });
  return *this;
}
Module& Module::to(Device device, DType dtype) {
  EMBER_CHECK_TYPE(is_floating_point(dtype), "nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=",
                   dtype);
  apply_to_tensors([device, dtype](const Tensor& t) { return t.is_floating_point() ? t.to(device, dtype) : t.to(device); });
  return *this;
}

Module& Module::apply(const std::function<void(Module&)>& fn) {
  for (const auto& m : children()) m->apply(fn);
  fn(*this);
  return *this;
}

// ---- state ----

StateDict Module::state_dict(const std::string& prefix, bool keep_vars) const {
  StateDict out;
  std::function<void(const Module&, const std::string&)> save = [&](const Module& m, const std::string& pre) {
    for (const Slot& s : m.params_)
      if (s.value->defined()) out.insert_or_assign(pre + s.name, keep_vars ? *s.value : s.value->detach());
    for (const Slot& s : m.buffers_)
      if (s.value->defined() && s.persistent)
        out.insert_or_assign(pre + s.name, keep_vars ? *s.value : s.value->detach());
    for (const auto& [n, c] : m.children_)
      if (c) save(*c, pre + n + ".");
  };
  save(*this, prefix);
  return out;
}

namespace {
std::string size_repr(IntArrayRef s) {
  std::ostringstream os;
  os << "ember.Size([";
  for (size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  os << "])";
  return os.str();
}
}  // namespace

void Module::load_recursive(const StateDict& sd, const std::string& prefix, IncompatibleKeys& keys,
                            std::vector<std::string>& errors) {
  std::vector<std::pair<std::string, Tensor*>> local;
  for (Slot& s : params_)
    if (s.value->defined()) local.emplace_back(s.name, s.value.get());
  for (Slot& s : buffers_)
    if (s.value->defined() && s.persistent) local.emplace_back(s.name, s.value.get());
  for (auto& [name, t] : local) {
    const std::string key = prefix + name;
    const Tensor* in = sd.find(key);
    if (!in) {
      keys.missing_keys.push_back(key);
      continue;
    }
    if (!in->sizes().equals(t->sizes())) {
      errors.push_back("size mismatch for " + key + ": copying a param with shape " + size_repr(in->sizes()) +
                       " from checkpoint, the shape in current model is " + size_repr(t->sizes()) + ".");
      continue;
    }
    try {
      NoGradGuard no_grad;
      t->copy_(*in);
    } catch (const std::exception& e) {
      errors.push_back("While copying the parameter named \"" + key + "\", whose dimensions in the model are " +
                       size_repr(t->sizes()) + " and whose dimensions in the checkpoint are " +
                       size_repr(in->sizes()) + ", an exception occurred : ('" + e.what() + "',).");
    }
  }
  for (const auto& [key, v] : sd) {
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    std::string first = key.substr(prefix.size());
    first = first.substr(0, first.find('.'));
    bool known = find_child(first) != nullptr;
    for (const auto& [n, t] : local) known |= n == first;
    if (!known) keys.unexpected_keys.push_back(key);
  }
  for (const auto& [n, c] : children_)
    if (c) c->load_recursive(sd, prefix + n + ".", keys, errors);
}

IncompatibleKeys Module::load_state_dict(const StateDict& state_dict, bool strict) {
  IncompatibleKeys keys;
  std::vector<std::string> errors;
  load_recursive(state_dict, "", keys, errors);
  auto quoted = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", \"" : "\"") + v[i] + "\"";
    return s;
  };
  if (strict) {
    if (!keys.unexpected_keys.empty())
      errors.insert(errors.begin(), "Unexpected key(s) in state_dict: " + quoted(keys.unexpected_keys) + ". ");
    if (!keys.missing_keys.empty())
      errors.insert(errors.begin(), "Missing key(s) in state_dict: " + quoted(keys.missing_keys) + ". ");
  }
  if (!errors.empty()) {
    std::string msg = "Error(s) in loading state_dict for " + name() + ":";
    for (const std::string& e : errors) msg += "\n\t" + e;
    throw Error(msg);
  }
  return keys;
}

// ---- printing ----

std::string Module::name() const {
  std::string n = autograd::demangle(typeid(*this).name());
  // Drop namespaces (and template arguments' namespaces are not expected in layer names).
  size_t colon = n.rfind("::", n.find('<'));
  return colon == std::string::npos ? n : n.substr(colon + 2);
}

namespace {
std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> r;
  size_t start = 0;
  while (true) {
    size_t nl = s.find('\n', start);
    r.push_back(s.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return r;
}
// torch.nn.modules.module._addindent: indents every line but the first.
std::string add_indent(const std::string& s, int n) {
  std::vector<std::string> lines = split_lines(s);
  if (lines.size() == 1) return s;
  std::string r = lines[0];
  for (size_t i = 1; i < lines.size(); ++i) {
    r += '\n';
    r.append(size_t(n), ' ');
    r += lines[i];
  }
  return r;
}
}  // namespace

void Module::pretty_print(std::ostream& os) const {
  std::vector<std::string> extra;
  std::string e = extra_repr();
  if (!e.empty()) extra = split_lines(e);
  std::vector<std::string> child_lines;
  for (const auto& [n, m] : children_)
    child_lines.push_back("(" + n + "): " + add_indent(m ? m->repr() : std::string("None"), 2));
  os << name() << "(";
  if (extra.size() == 1 && child_lines.empty()) {
    os << extra[0];
  } else if (!extra.empty() || !child_lines.empty()) {
    os << "\n";
    for (const std::string& l : extra) os << "  " << l << "\n";
    for (const std::string& l : child_lines) os << "  " << l << "\n";
  }
  os << ")";
}

std::string Module::repr() const {
  std::ostringstream os;
  pretty_print(os);
  return os.str();
}

std::ostream& operator<<(std::ostream& os, const Module& m) {
  m.pretty_print(os);
  return os;
}

std::string py_repr(bool v) { return v ? "True" : "False"; }

// Python's float repr: the shortest digits that read back as the same double, fixed notation for
// decimal exponents in [-4, 16), else 1e-05 / 1.5e+20.
std::string py_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  int prec = 1;
  for (; prec < 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
  const int exp = std::atoi(std::strchr(buf, 'e') + 1);
  if (exp < -4 || exp >= 16) return buf;
  std::snprintf(buf, sizeof buf, "%.*f", std::max(0, prec - 1 - exp), v);
  std::string s = buf;
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

std::string py_repr(IntArrayRef v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  if (v.size() == 1) s += ",";
  return s + ")";
}

}  // namespace ember::nn
