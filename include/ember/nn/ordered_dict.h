#pragma once
// ember::OrderedDict: a dict that keeps insertion order, as Python's dict and torch::OrderedDict. Items are
// std::pair<Key, Value>, so `for (auto& [name, t] : module.state_dict())` works; lookup is hashed.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ember/core/error.h>

namespace ember {

template <class Key, class Value>
class OrderedDict {
 public:
  using Item = std::pair<Key, Value>;

  OrderedDict() = default;
  OrderedDict(std::initializer_list<Item> items) {
    for (const Item& it : items) insert_or_assign(it.first, it.second);
  }

  // Adds a new key; an existing one is an error (as torch::OrderedDict::insert).
  Value& insert(Key key, Value value) {
    EMBER_CHECK(!contains(key), "Key '", key, "' already defined");
    index_.emplace(key, items_.size());
    items_.emplace_back(std::move(key), std::move(value));
    return items_.back().second;
  }
  // Python's d[key] = value: replaces in place, keeping the key's position, or appends.
  Value& insert_or_assign(const Key& key, Value value) {
    if (Value* v = find(key)) return *v = std::move(value);
    return insert(key, std::move(value));
  }
  Value* find(const Key& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  const Value* find(const Key& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  bool contains(const Key& key) const { return index_.count(key) > 0; }
  Value& operator[](const Key& key) { return at(key); }
  const Value& operator[](const Key& key) const { return at(key); }
  Value& at(const Key& key) {
    Value* v = find(key);
    EMBER_CHECK_INDEX(v, "Key '", key, "' is not defined");
    return *v;
  }
  const Value& at(const Key& key) const { return const_cast<OrderedDict*>(this)->at(key); }
  // Removes the key and returns its value (Python's dict.pop); a missing key is an IndexError.
  Value pop(const Key& key) {
    auto it = index_.find(key);
    EMBER_CHECK_INDEX(it != index_.end(), "Key '", key, "' is not defined");
    size_t i = it->second;
    Value v = std::move(items_[i].second);
    items_.erase(items_.begin() + std::ptrdiff_t(i));
    index_.erase(it);
    for (auto& [k, pos] : index_)
      if (pos > i) --pos;
    return v;
  }
  void clear() {
    items_.clear();
    index_.clear();
  }

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  Item& operator[](size_t i) { return items_.at(i); }
  const Item& operator[](size_t i) const { return items_.at(i); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  const std::vector<Item>& items() const { return items_; }
  std::vector<Key> keys() const {
    std::vector<Key> r;
    r.reserve(items_.size());
    for (const Item& it : items_) r.push_back(it.first);
    return r;
  }
  std::vector<Value> values() const {
    std::vector<Value> r;
    r.reserve(items_.size());
    for (const Item& it : items_) r.push_back(it.second);
    return r;
  }

 private:
  std::vector<Item> items_;
  std::unordered_map<Key, size_t> index_;
};

}  // namespace ember
