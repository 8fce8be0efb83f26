#include "optim_state.h"

#include <ember/core/error.h>

#include <string>
#include <variant>

namespace ember::app {
namespace {

nlohmann::json option_to_json(const optim::OptionValue& v) {
  return std::visit(
      [](const auto& x) -> nlohmann::json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return nullptr;
        else return x;
      },
      v);
}

// JSON keeps the difference between 1 and 1.0 (nlohmann stores integers and floats apart), so the
// option comes back as the kind it was.
optim::OptionValue option_from_json(const nlohmann::json& j) {
  if (j.is_null()) return std::monostate{};
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_number_integer()) return j.get<int64_t>();
  if (j.is_number()) return j.get<double>();
  if (j.is_string()) return j.get<std::string>();
  if (j.is_array() && !j.empty() && j[0].is_number_integer()) return j.get<std::vector<int64_t>>();
  if (j.is_array()) return j.get<std::vector<double>>();
  throw ValueError(detail::str("checkpoint: an optimizer option has an unexpected JSON value ", j.dump()));
}

}  // namespace

void optimizer_state_to_checkpoint(const optim::OptimizerStateDict& sd, TensorMap& tensors, nlohmann::json& doc) {
  nlohmann::json state = nlohmann::json::object();
  for (const auto& [index, entries] : sd.state) {
    nlohmann::json& js = state[std::to_string(index)];
    js = nlohmann::json::object();
    for (const auto& [key, value] : entries) {
      const std::string name = std::to_string(index) + "." + key;
      if (const Tensor* t = std::get_if<Tensor>(&value)) {
        if (t->defined()) tensors[name] = *t;
        js[key] = {{"tensor", t->defined()}};
      } else if (const auto* list = std::get_if<std::vector<Tensor>>(&value)) {
        nlohmann::json defined = nlohmann::json::array();
        for (size_t i = 0; i < list->size(); ++i) {
          if ((*list)[i].defined()) tensors[name + "." + std::to_string(i)] = (*list)[i];
          defined.push_back((*list)[i].defined());
        }
        js[key] = {{"tensors", defined}};
      } else if (const double* d = std::get_if<double>(&value)) {
        js[key] = {{"float", *d}};
      } else if (const int64_t* n = std::get_if<int64_t>(&value)) {
        js[key] = {{"int", *n}};
      } else {
        js[key] = {{"none", true}};
      }
    }
  }
  nlohmann::json groups = nlohmann::json::array();
  for (const optim::Options& g : sd.param_groups) {
    nlohmann::json jg = nlohmann::json::object();
    for (const auto& [key, value] : g) jg[key] = option_to_json(value);
    groups.push_back(std::move(jg));
  }
  doc = {{"state", std::move(state)}, {"param_groups", std::move(groups)}};
}

optim::OptimizerStateDict optimizer_state_from_checkpoint(const TensorMap& tensors, const nlohmann::json& doc) {
  auto tensor = [&](const std::string& name) {
    auto it = tensors.find(name);
    EMBER_CHECK_VALUE(it != tensors.end(), "checkpoint: the optimizer state lacks tensor '", name, "'");
    return it->second;
  };
  optim::OptimizerStateDict sd;
  for (const auto& [index_str, entries] : doc.at("state").items()) {
    const int64_t index = std::stoll(index_str);
    optim::ParamState& ps = sd.state[index];
    for (const auto& [key, v] : entries.items()) {
      const std::string name = index_str + "." + key;
      if (v.contains("tensor")) {
        ps[key] = v["tensor"].get<bool>() ? optim::StateValue(tensor(name)) : optim::StateValue(Tensor());
      } else if (v.contains("tensors")) {
        std::vector<Tensor> list;
        for (size_t i = 0; i < v["tensors"].size(); ++i)
          list.push_back(v["tensors"][i].get<bool>() ? tensor(name + "." + std::to_string(i)) : Tensor());
        ps[key] = std::move(list);
      } else if (v.contains("float")) {
        ps[key] = v["float"].get<double>();
      } else if (v.contains("int")) {
        ps[key] = v["int"].get<int64_t>();
      } else {
        ps[key] = std::monostate{};
      }
    }
  }
  for (const auto& jg : doc.at("param_groups")) {
    optim::Options g;
    for (const auto& [key, value] : jg.items()) g[key] = option_from_json(value);
    sd.param_groups.push_back(std::move(g));
  }
  return sd;
}

nlohmann::json scheduler_state_to_json(const optim::SchedulerStateDict& sd) {
  nlohmann::json doc = {{"values", nlohmann::json::object()}, {"schedulers", nlohmann::json::array()}};
  for (const auto& [key, value] : sd.values) doc["values"][key] = option_to_json(value);
  for (const auto& child : sd.schedulers) doc["schedulers"].push_back(scheduler_state_to_json(child));
  return doc;
}

optim::SchedulerStateDict scheduler_state_from_json(const nlohmann::json& doc) {
  optim::SchedulerStateDict sd;
  for (const auto& [key, value] : doc.at("values").items()) sd.values[key] = option_from_json(value);
  for (const auto& child : doc.at("schedulers")) sd.schedulers.push_back(scheduler_state_from_json(child));
  return sd;
}

}  // namespace ember::app
