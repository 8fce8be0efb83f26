// The Optimizer base class: parameter groups, state, zero_grad, state_dict in PyTorch's layout, and the
// slot helpers of the fused updates (fused.h).
#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "optim/fused.h"

namespace ember::optim {

double to_double(const OptionValue& v, const std::string& key) {
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto i = std::get_if<int64_t>(&v)) return double(*i);
  if (auto b = std::get_if<bool>(&v)) return *b ? 1.0 : 0.0;
  throw TypeError(ember::detail::str("optimizer option '", key, "' is ", to_string(v), ", not a number"));
}

bool to_bool(const OptionValue& v, const std::string& key) {
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<int64_t>(&v)) return *i != 0;
  if (auto d = std::get_if<double>(&v)) return *d != 0;
  if (std::holds_alternative<std::monostate>(v)) return false;
  throw TypeError(ember::detail::str("optimizer option '", key, "' is ", to_string(v), ", not a bool"));
}

const OptionValue& ParamGroup::operator[](const std::string& key) const {
  auto it = options.find(key);
  if (it == options.end()) throw Error(ember::detail::str("KeyError: '", key, "'"));
  return it->second;
}

std::vector<double> ParamGroup::numbers(const std::string& key) const {
  const OptionValue& v = (*this)[key];
  if (auto t = std::get_if<std::vector<double>>(&v)) return *t;
  throw TypeError(ember::detail::str("optimizer option '", key, "' is ", to_string(v), ", not a tuple of floats"));
}

namespace {
// Python's repr of a float: the shortest round-trip digits, fixed notation for exponents in [-4, 16).
std::string py_float(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
  std::string s(buf, r.ptr);
  size_t e = s.find('e');
  int exp = std::stoi(s.substr(e + 1));
  std::string mant = s.substr(0, e);
  bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  std::string out;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + std::string(size_t(-exp - 1), '0') + digits;
    } else if (size_t(exp + 1) >= digits.size()) {
      out = digits + std::string(size_t(exp + 1) - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, size_t(exp + 1)) + "." + digits.substr(size_t(exp + 1));
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out.append(".").append(digits, 1, std::string::npos);
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  }
  return neg ? "-" + out : out;
}
}  // namespace

std::string to_string(const OptionValue& v) {
  struct V {
    std::string operator()(std::monostate) const { return "None"; }
    std::string operator()(bool b) const { return b ? "True" : "False"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return py_float(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<double>& t) const {
      std::string out = "(";
      for (size_t i = 0; i < t.size(); ++i) out += (i ? ", " : "") + py_float(t[i]);
      return out + (t.size() == 1 ? ",)" : ")");
    }
    std::string operator()(const std::vector<int64_t>& t) const {
      std::string out = "[";
      for (size_t i = 0; i < t.size(); ++i) out += (i ? ", " : "") + std::to_string(t[i]);
      return out + "]";
    }
  };
  return std::visit(V{}, v);
}

Optimizer::Optimizer(ParamGroups params, Options defaults) : defaults_(std::move(defaults)) {
  if (params.groups.empty() || (params.groups.size() == 1 && params.groups[0].params.empty() &&
                                params.groups[0].options.empty()))
    throw ValueError("optimizer got an empty parameter list");
  for (ParamGroup& g : params.groups) add_param_group(std::move(g));
}

void Optimizer::add_param_group(ParamGroup group) {
  for (const Tensor& p : group.params) {
    if (!p.defined()) throw TypeError("optimizer can only optimize Tensors, but one of the params is None");
    if (!(p.is_leaf() || p.retains_grad())) throw ValueError("can't optimize a non-leaf Tensor");
  }
  for (const auto& [name, value] : defaults_) group.options.emplace(name, value);
  std::unordered_set<const TensorImpl*> seen;
  for (const ParamGroup& g : groups_)
    for (const Tensor& p : g.params) seen.insert(p.unsafeGetTensorImpl());
  for (const Tensor& p : group.params)
    if (seen.count(p.unsafeGetTensorImpl())) throw ValueError("some parameters appear in more than one parameter group");
  groups_.push_back(std::move(group));
  on_group_added(groups_.back());
}

void Optimizer::zero_grad(bool set_to_none) {
  for (ParamGroup& g : groups_)
    for (Tensor& p : g.params) {
      Tensor& grad = p.mutable_grad();
      if (!grad.defined()) continue;
      if (set_to_none) {
        grad = Tensor();
      } else {
        if (grad.grad_fn())
          grad.detach_();
        else
          grad.requires_grad_(false);
        grad.zero_();
      }
    }
}

Tensor Optimizer::run_closure(const Closure& closure) {
  if (!closure) return Tensor();
  EnableGradGuard enable;
  return closure();
}

OptimizerStateDict Optimizer::state_dict() const {
  OptimizerStateDict sd;
  std::unordered_map<const TensorImpl*, int64_t> index;
  int64_t next = 0;
  for (const ParamGroup& g : groups_) {
    Options packed = g.options;
    std::vector<int64_t> ids;
    for (const Tensor& p : g.params) {
      auto [it, fresh] = index.emplace(p.unsafeGetTensorImpl(), next);
      if (fresh) ++next;
      ids.push_back(it->second);
    }
    packed["params"] = ids;
    sd.param_groups.push_back(std::move(packed));
  }
  for (const auto& [impl, st] : state_) {
    auto it = index.find(impl);
    if (it != index.end()) sd.state[it->second] = st;
  }
  return sd;
}

namespace {
// PyTorch's cast in load_state_dict: a deep copy, tensors other than "step" on the parameter's device
// and (for floating parameters) in its dtype; "step" stays where it was saved (the CPU).
StateValue cast_state(const Tensor& param, const StateValue& v, const std::string& key) {
  auto cast = [&](const Tensor& t) -> Tensor {
    if (!t.defined()) return t;
    if (key == "step") return t.clone();
    if (t.device() != param.device()) return param.is_floating_point() ? t.to(param.device(), param.dtype()) : t.to(param.device());
    return param.is_floating_point() ? t.to(param.dtype(), false, true).contiguous() : t.clone();
  };
  if (auto t = std::get_if<Tensor>(&v)) return cast(*t);
  if (auto l = std::get_if<std::vector<Tensor>>(&v)) {
    std::vector<Tensor> out;
    for (const Tensor& t : *l) out.push_back(cast(t));
    return out;
  }
  return v;
}
}  // namespace

void Optimizer::load_state_dict(const OptimizerStateDict& sd) {
  if (sd.param_groups.size() != groups_.size())
    throw ValueError("loaded state dict has a different number of parameter groups");
  std::vector<std::vector<int64_t>> saved_ids;
  for (size_t i = 0; i < groups_.size(); ++i) {
    auto it = sd.param_groups[i].find("params");
    if (it == sd.param_groups[i].end() || !std::holds_alternative<std::vector<int64_t>>(it->second))
      throw ValueError("loaded state dict has a parameter group without a list of 'params'");
    saved_ids.push_back(std::get<std::vector<int64_t>>(it->second));
    if (saved_ids.back().size() != groups_[i].params.size())
      throw ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
  }
  std::map<int64_t, Tensor> id_map;
  for (size_t i = 0; i < groups_.size(); ++i)
    for (size_t j = 0; j < groups_[i].params.size(); ++j) id_map[saved_ids[i][j]] = groups_[i].params[j];
  std::unordered_map<const TensorImpl*, ParamState> state;
  NoGradGuard no_grad;
  for (const auto& [id, st] : sd.state) {
    auto it = id_map.find(id);
    if (it == id_map.end()) continue;
    ParamState copy;
    for (const auto& [key, value] : st) copy[key] = cast_state(it->second, value, key);
    state[it->second.unsafeGetTensorImpl()] = std::move(copy);
  }
  for (size_t i = 0; i < groups_.size(); ++i) {
    Options opts = sd.param_groups[i];
    opts.erase("params");
    groups_[i].options = std::move(opts);
  }
  state_ = std::move(state);
}

std::string Optimizer::repr() const {
  std::ostringstream os;
  os << name() << " (";
  for (size_t i = 0; i < groups_.size(); ++i) {
    os << "\nParameter Group " << i << "\n";
    for (const auto& [key, value] : groups_[i].options)
      if (key != "params") os << "    " << key << ": " << to_string(value) << "\n";
  }
  os << ")";
  return os.str();
}

namespace detail {

void check_param(const Optimizer& opt, const Tensor& p, bool cuda) {
  if (p.dtype() != kFloat32 && p.dtype() != kFloat64)
    throw TypeError(ember::detail::str(opt.name(), ": parameters must be float32 or float64, got ", p.dtype()));
  if (!p.is_cpu() && !(cuda && p.is_cuda()))
    throw NotImplementedError(ember::detail::str(opt.name(), ": only CPU parameters are supported"));
}

Slot make_slot(const Optimizer& opt, const Tensor& param, bool cuda) {
  check_param(opt, param, cuda);
  Slot s;
  s.param = param;
  s.p = param.is_contiguous() ? param : param.contiguous();
  Tensor g = param.grad();
  if (!g.sizes().equals(param.sizes()))
    throw Error(ember::detail::str(opt.name(), ": gradient of shape ", g.sizes(), " does not match parameter of shape ",
                            param.sizes()));
  if (g.device() != param.device())
    throw Error(ember::detail::str(opt.name(), ": gradient on ", g.device(), " does not match parameter on ",
                                   param.device()));
  if (g.dtype() != param.dtype()) g = g.to(param.dtype());
  s.g = g.is_contiguous() ? g : g.contiguous();
  return s;
}

Device group_device(const Optimizer& opt, const ParamGroup& group) {
  const Tensor* first = nullptr;
  for (const Tensor& p : group.params) {
    if (!p.grad().defined()) continue;
    if (!first) first = &p;
    else if (p.device() != first->device())
      throw Error(ember::detail::str(opt.name(), ": the parameters of a group must be on one device, but the group has "
                                     "parameters on ", first->device(), " and on ", p.device()));
  }
  return first ? first->device() : Device(kCPU);
}

std::vector<SlotLists> lists_by_dtype(const std::vector<Slot>& slots) {
  std::vector<SlotLists> out;
  for (DType dt : {kFloat32, kFloat64}) {
    SlotLists l;
    for (size_t i = 0; i < slots.size(); ++i) {
      const Slot& s = slots[i];
      if (s.p.dtype() != dt) continue;
      l.index.push_back(i);
      l.p.push_back(s.p);
      l.g.push_back(s.g);
      for (size_t k = 0; k < l.s.size(); ++k) l.s[k].push_back(s.s[k]);
    }
    if (!l.index.empty()) out.push_back(std::move(l));
  }
  return out;
}

Tensor& state_buffer(ParamState& st, const std::string& key, const Tensor& p, double init) {
  StateValue& v = st[key];
  Tensor* t = std::get_if<Tensor>(&v);
  if (!t || !t->defined()) {
    v = init == 0.0 ? zeros(p.sizes(), p.options()) : full_like(p.contiguous(), init);
    return std::get<Tensor>(v);
  }
  if (!t->sizes().equals(p.sizes()))
    throw Error(ember::detail::str("optimizer state '", key, "' has shape ", t->sizes(), " but its parameter has shape ",
                            p.sizes()));
  if (t->device() != p.device()) *t = t->to(p.device(), p.dtype()).contiguous();
  if (t->dtype() != p.dtype() || !t->is_contiguous()) *t = t->to(p.dtype()).contiguous();
  return *t;
}

double increment_step_tensor(ParamState& st) {
  StateValue& v = st["step"];
  Tensor* t = std::get_if<Tensor>(&v);
  if (!t || !t->defined()) {
    v = zeros({}, kFloat32);
    t = std::get_if<Tensor>(&v);
  } else if (t->dtype() != kFloat32 || !t->is_contiguous()) {
    *t = t->to(kFloat32).contiguous();
  }
  if (!t->is_cpu()) {
    // A user may move the whole state to the GPU, step included: it is counted there.
    t->add_(1.0);
    return t->item<double>();
  }
  float* s = t->data_ptr<float>();
  s[0] += 1.0f;
  return double(s[0]);
}

int64_t increment_step_int(ParamState& st) {
  StateValue& v = st["step"];
  int64_t step = 0;
  if (auto i = std::get_if<int64_t>(&v)) step = *i;
  else if (auto d = std::get_if<double>(&v)) step = int64_t(*d);
  else if (auto t = std::get_if<Tensor>(&v); t && t->defined()) step = int64_t(t->item<double>());
  v = step + 1;
  return step + 1;
}

void finish(std::vector<Slot>& slots) {
  for (Slot& s : slots) {
    if (!s.p.is_same(s.param))
      s.param.copy_(s.p);
    else
      s.param.bump_version();
  }
}

}  // namespace detail
}  // namespace ember::optim
