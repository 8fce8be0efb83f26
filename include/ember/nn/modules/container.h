#pragma once
// Containers, as torch.nn's: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict. Children
// and parameters of the list-like ones are registered under "0", "1", ..., so their state_dict keys are
// PyTorch's ("layers.0.weight").
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include <ember/nn/module.h>

namespace ember::nn {

// Calls its children in order, each on the previous one's output.
class Sequential : public Module {
 public:
  Sequential() = default;
  Sequential(std::initializer_list<std::shared_ptr<Module>> modules);
  // Children named by the keys (PyTorch's Sequential(OrderedDict(...))).
  explicit Sequential(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);
  template <class... Ms, std::enable_if_t<(sizeof...(Ms) > 0 && (std::is_base_of_v<Module, Ms> && ...)), int> = 0>
  explicit Sequential(std::shared_ptr<Ms>... modules) : Sequential({std::shared_ptr<Module>(std::move(modules))...}) {}

  Tensor forward(const Tensor& input) override;
  Sequential& append(std::shared_ptr<Module> module);
  Sequential& push_back(std::shared_ptr<Module> module) { return append(std::move(module)); }
  Sequential& extend(const std::vector<std::shared_ptr<Module>>& modules);
  Sequential& insert(int64_t index, std::shared_ptr<Module> module);
  // Negative indices count from the end; out of range is an IndexError.
  std::shared_ptr<Module> operator[](int64_t index) const;
  // The child at index as its type; a wrong type is a TypeError.
  template <class M>
  std::shared_ptr<M> at(int64_t index) const {
    auto m = std::dynamic_pointer_cast<M>((*this)[index]);
    EMBER_CHECK_TYPE(m, "Sequential.at: child ", index, " is a ", (*this)[index]->name());
    return m;
  }
  size_t size() const { return children_slots().size(); }
  bool empty() const { return size() == 0; }
};

// Holds children in a list; has no forward of its own.
class ModuleList : public Module {
 public:
  ModuleList() = default;
  ModuleList(std::initializer_list<std::shared_ptr<Module>> modules);
  template <class... Ms, std::enable_if_t<(sizeof...(Ms) > 0 && (std::is_base_of_v<Module, Ms> && ...)), int> = 0>
  explicit ModuleList(std::shared_ptr<Ms>... modules) : ModuleList({std::shared_ptr<Module>(std::move(modules))...}) {}

  ModuleList& append(std::shared_ptr<Module> module);
  ModuleList& push_back(std::shared_ptr<Module> module) { return append(std::move(module)); }
  ModuleList& extend(const std::vector<std::shared_ptr<Module>>& modules);
  ModuleList& insert(int64_t index, std::shared_ptr<Module> module);
  std::shared_ptr<Module> operator[](int64_t index) const;
  template <class M>
  std::shared_ptr<M> at(int64_t index) const {
    auto m = std::dynamic_pointer_cast<M>((*this)[index]);
    EMBER_CHECK_TYPE(m, "ModuleList.at: child ", index, " is a ", (*this)[index]->name());
    return m;
  }
  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::vector<std::shared_ptr<Module>>::const_iterator begin() const { return items_.begin(); }
  std::vector<std::shared_ptr<Module>>::const_iterator end() const { return items_.end(); }

 private:
  void sync();
  std::vector<std::shared_ptr<Module>> items_;
};

// Holds children by name, in insertion order; has no forward of its own.
class ModuleDict : public Module {
 public:
  ModuleDict() = default;
  explicit ModuleDict(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);
  ModuleDict(std::initializer_list<std::pair<std::string, std::shared_ptr<Module>>> modules);

  // Adds or replaces (PyTorch's d[key] = module).
  ModuleDict& insert(const std::string& key, std::shared_ptr<Module> module);
  ModuleDict& update(const OrderedDict<std::string, std::shared_ptr<Module>>& modules);
  // A missing key is an IndexError (Python's KeyError).
  std::shared_ptr<Module> operator[](const std::string& key) const;
  template <class M>
  std::shared_ptr<M> at(const std::string& key) const {
    auto m = std::dynamic_pointer_cast<M>((*this)[key]);
    EMBER_CHECK_TYPE(m, "ModuleDict.at: child '", key, "' is a ", (*this)[key]->name());
    return m;
  }
  bool contains(const std::string& key) const { return find_child(key) != nullptr; }
  std::shared_ptr<Module> pop(const std::string& key);
  void clear();
  std::vector<std::string> keys() const;
  std::vector<std::shared_ptr<Module>> values() const;
  size_t size() const;
  bool empty() const { return size() == 0; }
};

// Holds parameters in a list, registered as "0", "1", ...
class ParameterList : public Module {
 public:
  ParameterList() = default;
  ParameterList(std::initializer_list<Tensor> parameters);

  ParameterList& append(Tensor parameter);
  ParameterList& extend(const std::vector<Tensor>& parameters);
  Tensor& operator[](int64_t index);
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string extra_repr() const override;

 private:
  size_t size_ = 0;
};

// Holds parameters by name, in insertion order.
class ParameterDict : public Module {
 public:
  ParameterDict() = default;
  ParameterDict(std::initializer_list<std::pair<std::string, Tensor>> parameters);

  ParameterDict& insert(const std::string& key, Tensor parameter);
  Tensor& operator[](const std::string& key);
  bool contains(const std::string& key) const;
  std::vector<std::string> keys() const;
  std::vector<Tensor> values() const;
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  std::string extra_repr() const override;

 private:
  std::vector<std::string> keys_;
};

}  // namespace ember::nn
