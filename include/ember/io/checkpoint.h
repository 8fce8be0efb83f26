#pragma once
// Training checkpoints for resuming: named groups of tensors (the model's state_dict, the optimizer's
// state tensors, generator states as uint8 tensors, ...) and one JSON document for everything else
// (epoch, step, optimizer and scheduler options, DataLoader position), in one directory per checkpoint:
//
//   root/<name>/<group>.safetensors ...   one safetensors file per group
//   root/<name>/state.json                the document
//   root/latest                           the name of the newest complete checkpoint
//
// A checkpoint is built in a hidden temporary directory, every file fsynced, renamed into place, and only
// then does `latest` change (itself replaced atomically). A crash at any point leaves `latest` naming a
// complete checkpoint. One process writes to a root at a time. Numbers round-trip exactly through the
// JSON (doubles are written with 17 digits); keep bytes and NaN out of it (store them as tensors).
//
// Not in ember/ember.h, since nlohmann/json.hpp is heavy: include <ember/io/checkpoint.h> where needed.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include <ember/io/safetensors.h>

namespace ember::io {

struct Checkpoint {
  std::map<std::string, TensorMap> tensors;  // group name -> tensors; a group name is a plain file stem
  nlohmann::json state = nlohmann::json::object();
};

// Writes `checkpoint` under `root` as `name` (default: "checkpoint-<N>", one more than the highest N
// there; a name already taken gets "-2", "-3", ... appended) and points `latest` at it. With
// keep_last > 0, older checkpoints beyond the newest `keep_last` are deleted afterwards. Leftover
// temporary directories of crashed writers are removed. Returns the checkpoint's directory.
std::filesystem::path save_checkpoint(const std::filesystem::path& root, const Checkpoint& checkpoint,
                                      const std::string& name = "", int keep_last = 0);

// The directory `root/latest` names, if there is one.
std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& root);

// Loads a checkpoint directory, or the latest one when `path` is a root with a `latest` file.
Checkpoint load_checkpoint(const std::filesystem::path& path);

}  // namespace ember::io
