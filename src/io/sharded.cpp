// Sharded safetensors checkpoints in Hugging Face's layout (transformers' save_pretrained).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include <ember/io/safetensors.h>

#include "io/atomic_file.h"

namespace ember {

namespace {

std::filesystem::path save_sharded_impl(const TensorMap& tensors, const std::filesystem::path& directory,
                                        int64_t max_shard_size, const MetadataMap& metadata, const std::string& prefix) {
  EMBER_CHECK_VALUE(max_shard_size > 0, "save_sharded: max_shard_size must be positive, got ", max_shard_size);
  std::filesystem::create_directories(directory);
  std::vector<TensorMap> shards(1);
  int64_t current = 0, total = 0;
  for (const auto& [name, t] : tensors) {
    EMBER_CHECK_VALUE(t.defined(), "save_sharded: the tensor '", name, "' is undefined");
    int64_t n = int64_t(t.nbytes());
    if (!shards.back().empty() && current + n > max_shard_size) {
      shards.emplace_back();
      current = 0;
    }
    shards.back().emplace(name, t);
    current += n;
    total += n;
  }
  if (shards.size() == 1) {
    std::filesystem::path single = directory / (prefix + ".safetensors");
    save(shards[0], single, metadata);
    return single;
  }
  nlohmann::json index;
  index["metadata"]["total_size"] = total;
  index["weight_map"] = nlohmann::json::object();
  const size_t count = shards.size();
  for (size_t i = 0; i < count; ++i) {
    char file[64];
    std::snprintf(file, sizeof file, "-%05zu-of-%05zu.safetensors", i + 1, count);
    std::string name = prefix + file;
    // Shards first, the index last: until the new index is in place, readers see the old one.
    save(shards[i], directory / name, metadata);
    for (const auto& kv : shards[i]) index["weight_map"][kv.first] = name;
  }
  std::filesystem::path index_path = directory / (prefix + ".safetensors.index.json");
  io::detail::write_file_atomic(index_path, index.dump(2) + "\n");
  return index_path;
}

TensorMap load_sharded_impl(const std::filesystem::path& path) {
  std::filesystem::path index_path = path;
  if (std::filesystem::is_directory(path)) {
    index_path = path / "model.safetensors.index.json";
    if (!std::filesystem::exists(index_path)) {
      std::filesystem::path single = path / "model.safetensors";
      EMBER_CHECK(std::filesystem::exists(single), "load_sharded: '", path.string(),
                  "' holds neither model.safetensors.index.json nor model.safetensors");
      return load(single);
    }
  } else if (path.extension() == ".safetensors") {
    return load(path);
  }
  auto fail = [&](const std::string& problem) {
    throw Error(detail::str("safetensors: cannot load the index '", index_path.string(), "': ", problem));
  };
  nlohmann::json index;
  try {
    index = nlohmann::json::parse(io::detail::read_small_file(index_path, 100'000'000));
  } catch (const nlohmann::json::exception& e) {
    fail(detail::str("not valid JSON (", e.what(), ")"));
  }
  if (!index.is_object() || !index.contains("weight_map") || !index["weight_map"].is_object())
    fail("it has no \"weight_map\" object");
  std::map<std::string, std::vector<std::string>> by_file;
  for (auto it = index["weight_map"].begin(); it != index["weight_map"].end(); ++it) {
    if (!it.value().is_string()) fail(detail::str("the file of '", it.key(), "' is not a string"));
    std::string file = it.value().get<std::string>();
    // The index may only name files next to it.
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..")
      fail(detail::str("the file name '", file, "' of '", it.key(), "' is not a plain name in the index's directory"));
    by_file[file].push_back(it.key());
  }
  TensorMap out;
  for (const auto& [file, names] : by_file) {
    SafeOpen f(index_path.parent_path() / file);
    for (const auto& name : names) {
      if (!f.contains(name)) fail(detail::str("'", file, "' holds no tensor '", name, "'"));
      out.emplace(name, f.get_tensor(name));
    }
  }
  return out;
}

// std::filesystem reports failures as filesystem_error; ember's callers expect ember::Error.
template <class F>
auto with_errors(const char* what, F&& f) {
  try {
    return f();
  } catch (const std::filesystem::filesystem_error& e) {
    throw Error(detail::str(what, ": ", e.what()));
  }
}

}  // namespace

std::filesystem::path save_sharded(const TensorMap& tensors, const std::filesystem::path& directory,
                                   int64_t max_shard_size, const MetadataMap& metadata, const std::string& prefix) {
  return with_errors("save_sharded", [&] { return save_sharded_impl(tensors, directory, max_shard_size, metadata, prefix); });
}

TensorMap load_sharded(const std::filesystem::path& path) {
  return with_errors("load_sharded", [&] { return load_sharded_impl(path); });
}

}  // namespace ember
