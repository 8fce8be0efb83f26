// Training checkpoints: write everything under a temporary name, make it durable, rename it into place,
// then move the `latest` pointer; see ember/io/checkpoint.h.
#include <algorithm>
#include <ember/io/checkpoint.h>
#include <vector>

#include "io/atomic_file.h"

namespace ember::io {

namespace {

namespace fs = std::filesystem;
constexpr const char* kTempPrefix = ".tmp-";
constexpr const char* kStateFile = "state.json";
constexpr const char* kLatest = "latest";

bool is_plain_name(const std::string& s) {
  return !s.empty() && s[0] != '.' && s.find('/') == std::string::npos && s.find('\0') == std::string::npos &&
         s != kLatest;
}

// The checkpoints under root, oldest first (by the time their state.json was written).
std::vector<fs::path> checkpoints_in(const fs::path& root) {
  std::vector<std::pair<fs::file_time_type, fs::path>> found;
  for (const auto& e : fs::directory_iterator(root)) {
    std::string n = e.path().filename().string();
    std::error_code ec;
    if (!e.is_directory() || n.starts_with(".")) continue;
    auto t = fs::last_write_time(e.path() / kStateFile, ec);
    if (!ec) found.emplace_back(t, e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string default_name(const fs::path& root) {
  long next = 1;
  for (const auto& e : fs::directory_iterator(root)) {
    std::string n = e.path().filename().string();
    if (n.starts_with("checkpoint-")) {
      char* end = nullptr;
      long v = std::strtol(n.c_str() + 11, &end, 10);
      if (end && *end == '\0' && v >= next) next = v + 1;
    }
  }
  return "checkpoint-" + std::to_string(next);
}

// Removes a temporary directory unless the save that made it got to the rename.
struct TempDir {
  fs::path path;
  bool keep = false;
  ~TempDir() {
    std::error_code ec;
    if (!keep) fs::remove_all(path, ec);
  }
};

fs::path save_impl(const fs::path& root, const Checkpoint& checkpoint, const std::string& name, int keep_last) {
  EMBER_CHECK_VALUE(name.empty() || is_plain_name(name), "save_checkpoint: '", name,
                    "' is not a plain directory name");
  for (const auto& [group, tensors] : checkpoint.tensors)
    EMBER_CHECK_VALUE(is_plain_name(group) && group != "state", "save_checkpoint: the tensor group name '", group,
                      "' is not a plain file name");
  fs::create_directories(root);
  for (const auto& e : fs::directory_iterator(root))
    if (e.path().filename().string().starts_with(kTempPrefix)) {
      std::error_code ec;
      fs::remove_all(e.path(), ec);
    }

  std::string state_text;
  try {
    state_text = checkpoint.state.dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    throw ValueError(ember::detail::str("save_checkpoint: the state cannot be written as JSON: ", e.what()));
  }
  TempDir tmp{root / (kTempPrefix + detail::unique_suffix())};
  fs::create_directory(tmp.path);
  for (const auto& [group, tensors] : checkpoint.tensors) save(tensors, tmp.path / (group + ".safetensors"));
  detail::write_file_atomic(tmp.path / kStateFile, state_text);
  detail::fsync_directory(tmp.path);

  std::string base = name.empty() ? default_name(root) : name, final_name = base;
  for (int k = 2; fs::exists(root / final_name); ++k) final_name = base + "-" + std::to_string(k);
  fs::rename(tmp.path, root / final_name);
  tmp.keep = true;
  detail::fsync_directory(root);
  detail::write_file_atomic(root / kLatest, final_name + "\n");

  if (keep_last > 0) {
    auto all = checkpoints_in(root);
    for (size_t i = 0; i + size_t(keep_last) < all.size(); ++i)
      if (all[i].filename() != final_name) fs::remove_all(all[i]);
  }
  return root / final_name;
}

std::optional<fs::path> latest_impl(const fs::path& root) {
  fs::path pointer = root / kLatest;
  if (!fs::exists(pointer)) return std::nullopt;
  std::string n = detail::read_small_file(pointer, 4096);
  while (!n.empty() && (n.back() == '\n' || n.back() == '\r' || n.back() == ' ')) n.pop_back();
  EMBER_CHECK(is_plain_name(n), "load_checkpoint: '", pointer.string(), "' does not name a checkpoint directory");
  return root / n;
}

Checkpoint load_impl(const fs::path& path) {
  fs::path dir = path;
  if (auto latest = latest_impl(path)) dir = *latest;
  EMBER_CHECK(fs::exists(dir / kStateFile), "load_checkpoint: '", dir.string(), "' is not a checkpoint (no ",
              kStateFile, fs::exists(path / kLatest) ? ", though 'latest' names it" : "", ")");
  Checkpoint c;
  try {
    c.state = nlohmann::json::parse(detail::read_small_file(dir / kStateFile, size_t(1) << 30));
  } catch (const nlohmann::json::exception& e) {
    throw Error(ember::detail::str("load_checkpoint: '", (dir / kStateFile).string(), "' is not valid JSON: ", e.what()));
  }
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".safetensors" && !e.path().filename().string().starts_with("."))
      c.tensors.emplace(e.path().stem().string(), load(e.path()));
  return c;
}

// std::filesystem reports failures as filesystem_error; ember's callers expect ember::Error.
template <class F>
auto with_errors(const char* what, F&& f) {
  try {
    return f();
  } catch (const fs::filesystem_error& e) {
    throw Error(ember::detail::str(what, ": ", e.what()));
  }
}

}  // namespace

std::filesystem::path save_checkpoint(const fs::path& root, const Checkpoint& checkpoint, const std::string& name,
                                      int keep_last) {
  return with_errors("save_checkpoint", [&] { return save_impl(root, checkpoint, name, keep_last); });
}

std::optional<std::filesystem::path> latest_checkpoint(const fs::path& root) {
  return with_errors("latest_checkpoint", [&] { return latest_impl(root); });
}

Checkpoint load_checkpoint(const fs::path& path) {
  return with_errors("load_checkpoint", [&] { return load_impl(path); });
}

}  // namespace ember::io
