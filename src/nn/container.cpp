// Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict.
#include <algorithm>
#include <sstream>

#include <ember/nn/modules/container.h>

namespace ember::nn {

namespace {
// PyTorch's _get_abs_string_index: -size <= index < size, negative from the end.
size_t checked_index(int64_t index, size_t size) {
  const int64_t n = int64_t(size);
  EMBER_CHECK_INDEX(index >= -n && index < n, "index ", index, " is out of range");
  return size_t(index < 0 ? index + n : index);
}

// Inserts before `index` (-n <= index <= n) and renames the children "0".."n", as PyTorch's insert
// shifts the integer keys.
void insert_renumbered(std::vector<std::pair<std::string, std::shared_ptr<Module>>>& slots, int64_t index,
                       std::shared_ptr<Module> module) {
  const int64_t n = int64_t(slots.size());
  EMBER_CHECK_INDEX(index >= -n && index <= n, "Index out of range: ", index);
  if (index < 0) index += n;
  slots.insert(slots.begin() + index, {std::string(), std::move(module)});
  for (size_t i = 0; i < slots.size(); ++i) slots[i].first = std::to_string(i);
}
}  // namespace

// ---- Sequential ----

Sequential::Sequential(std::initializer_list<std::shared_ptr<Module>> modules) {
  for (const auto& m : modules) append(m);
}
Sequential::Sequential(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) {
  for (const auto& [name, m] : modules) register_module(name, m);
}

Tensor Sequential::forward(const Tensor& input) {
  Tensor x = input;
  for (const auto& [name, m] : children_slots()) x = (*m)(x);
  return x;
}

Sequential& Sequential::append(std::shared_ptr<Module> module) {
  EMBER_CHECK_TYPE(module, "Sequential.append: a module is required, got None");
  register_module(std::to_string(size()), std::move(module));
  return *this;
}
Sequential& Sequential::extend(const std::vector<std::shared_ptr<Module>>& modules) {
  for (const auto& m : modules) append(m);
  return *this;
}
Sequential& Sequential::insert(int64_t index, std::shared_ptr<Module> module) {
  EMBER_CHECK_TYPE(module, "Sequential.insert: a module is required, got None");
  insert_renumbered(children_slots(), index, std::move(module));
  return *this;
}
std::shared_ptr<Module> Sequential::operator[](int64_t index) const {
  return children_slots()[checked_index(index, size())].second;
}

// ---- ModuleList ----

ModuleList::ModuleList(std::initializer_list<std::shared_ptr<Module>> modules) {
  for (const auto& m : modules) append(m);
}
void ModuleList::sync() {
  auto& slots = children_slots();
  slots.clear();
  for (size_t i = 0; i < items_.size(); ++i) slots.emplace_back(std::to_string(i), items_[i]);
}
ModuleList& ModuleList::append(std::shared_ptr<Module> module) {
  register_module(std::to_string(items_.size()), module);
  items_.push_back(std::move(module));
  return *this;
}
ModuleList& ModuleList::extend(const std::vector<std::shared_ptr<Module>>& modules) {
  for (const auto& m : modules) append(m);
  return *this;
}
ModuleList& ModuleList::insert(int64_t index, std::shared_ptr<Module> module) {
  const int64_t n = int64_t(items_.size());
  // Python's list.insert clamps the index, and so does ModuleList.insert.
  if (index < 0) index = std::max<int64_t>(index + n, 0);
  index = std::min(index, n);
  items_.insert(items_.begin() + index, std::move(module));
  sync();
  return *this;
}
std::shared_ptr<Module> ModuleList::operator[](int64_t index) const { return items_[checked_index(index, items_.size())]; }

// ---- ModuleDict ----

ModuleDict::ModuleDict(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) { update(modules); }
ModuleDict::ModuleDict(std::initializer_list<std::pair<std::string, std::shared_ptr<Module>>> modules) {
  for (const auto& [k, m] : modules) insert(k, m);
}
ModuleDict& ModuleDict::insert(const std::string& key, std::shared_ptr<Module> module) {
  register_module(key, std::move(module));
  return *this;
}
ModuleDict& ModuleDict::update(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) {
  for (const auto& [k, m] : modules) insert(k, m);
  return *this;
}
std::shared_ptr<Module> ModuleDict::operator[](const std::string& key) const {
  for (const auto& [k, m] : children_slots())
    if (k == key) return m;
  throw IndexError("'" + key + "'");
}
std::shared_ptr<Module> ModuleDict::pop(const std::string& key) {
  auto& slots = children_slots();
  for (auto it = slots.begin(); it != slots.end(); ++it)
    if (it->first == key) {
      auto m = it->second;
      slots.erase(it);
      return m;
    }
  throw IndexError("'" + key + "'");
}
void ModuleDict::clear() { children_slots().clear(); }
std::vector<std::string> ModuleDict::keys() const {
  std::vector<std::string> r;
  for (const auto& [k, m] : children_slots()) r.push_back(k);
  return r;
}
std::vector<std::shared_ptr<Module>> ModuleDict::values() const {
  std::vector<std::shared_ptr<Module>> r;
  for (const auto& [k, m] : children_slots()) r.push_back(m);
  return r;
}
size_t ModuleDict::size() const { return children_slots().size(); }

// ---- ParameterList / ParameterDict ----

namespace {
// "Parameter containing: [ember.float32 of size 2x3]", as ParameterList's extra_repr.
std::string size_str(const Tensor& p) {
  std::string s;
  for (int64_t i = 0; i < p.dim(); ++i) {
    if (i) s += 'x';
    s += std::to_string(p.size(i));
  }
  return s;
}
// torch.typename of a CPU tensor: "torch.FloatTensor", in ember's module name.
std::string type_name(DType t) {
  switch (t) {
    case kFloat32: return "ember.FloatTensor";
    case kFloat64: return "ember.DoubleTensor";
    case kFloat16: return "ember.HalfTensor";
    case kBFloat16: return "ember.BFloat16Tensor";
    case kUInt8: return "ember.ByteTensor";
    case kInt8: return "ember.CharTensor";
    case kInt16: return "ember.ShortTensor";
    case kInt32: return "ember.IntTensor";
    case kInt64: return "ember.LongTensor";
    case kBool: return "ember.BoolTensor";
    default: return "ember.Tensor";
  }
}
std::string dtype_str(DType t) {
  std::ostringstream os;
  os << t;
  return os.str();
}
}  // namespace

ParameterList::ParameterList(std::initializer_list<Tensor> parameters) {
  for (const Tensor& p : parameters) append(p);
}
ParameterList& ParameterList::append(Tensor parameter) {
  register_parameter(std::to_string(size_), std::move(parameter));
  ++size_;
  return *this;
}
ParameterList& ParameterList::extend(const std::vector<Tensor>& parameters) {
  for (const Tensor& p : parameters) append(p);
  return *this;
}
Tensor& ParameterList::operator[](int64_t index) {
  return *find_parameter(std::to_string(checked_index(index, size_)));
}
std::string ParameterList::extra_repr() const {
  std::string s;
  for (size_t i = 0; i < size_; ++i) {
    const Tensor& p = *find_parameter(std::to_string(i));
    if (i) s += "\n";
    s += "  (" + std::to_string(i) + "): Parameter containing: [" + dtype_str(p.dtype()) + " of size " + size_str(p) + "]";
  }
  return s;
}

ParameterDict::ParameterDict(std::initializer_list<std::pair<std::string, Tensor>> parameters) {
  for (const auto& [k, p] : parameters) insert(k, p);
}
ParameterDict& ParameterDict::insert(const std::string& key, Tensor parameter) {
  if (!contains(key)) keys_.push_back(key);
  register_parameter(key, std::move(parameter));
  return *this;
}
Tensor& ParameterDict::operator[](const std::string& key) {
  Tensor* p = find_parameter(key);
  if (!p) throw IndexError("'" + key + "'");
  return *p;
}
bool ParameterDict::contains(const std::string& key) const {
  return std::find(keys_.begin(), keys_.end(), key) != keys_.end();
}
std::vector<std::string> ParameterDict::keys() const { return keys_; }
std::vector<Tensor> ParameterDict::values() const {
  std::vector<Tensor> r;
  for (const std::string& k : keys_) r.push_back(*find_parameter(k));
  return r;
}
std::string ParameterDict::extra_repr() const {
  std::string s;
  for (size_t i = 0; i < keys_.size(); ++i) {
    const Tensor& p = *find_parameter(keys_[i]);
    if (i) s += "\n";
    s += "  (" + keys_[i] + "): Parameter containing: [" + type_name(p.dtype()) + " of size " + size_str(p) + "]";
  }
  return s;
}

}  // namespace ember::nn
