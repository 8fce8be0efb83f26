#pragma once
// An optimizer's (and a scheduler's) state_dict as a checkpoint stores it: its tensors (under
// "<param index>.<key>", list entries as "<param index>.<key>.<i>") and a JSON document for the rest
// (numbers, options, param groups). Both directions, so a resumed run's optimizer is the saved one exactly.
#include <ember/io/safetensors.h>
#include <ember/optim/lr_scheduler.h>
#include <ember/optim/optimizer.h>

#include <nlohmann/json.hpp>

namespace ember::app {

void optimizer_state_to_checkpoint(const optim::OptimizerStateDict& sd, TensorMap& tensors, nlohmann::json& doc);
optim::OptimizerStateDict optimizer_state_from_checkpoint(const TensorMap& tensors, const nlohmann::json& doc);

// A scheduler's state_dict (numbers and lists only) as JSON and back.
nlohmann::json scheduler_state_to_json(const optim::SchedulerStateDict& sd);
optim::SchedulerStateDict scheduler_state_from_json(const nlohmann::json& doc);

}  // namespace ember::app
