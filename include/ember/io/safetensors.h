#pragma once
// safetensors files (https://github.com/huggingface/safetensors), the format PyTorch users exchange
// weights in: an 8-byte little-endian header length, a JSON header (padded with spaces to 8 bytes) that
// names each tensor's dtype, shape and byte range, then the raw little-endian data. ember writes exactly
// what the reference writer writes (same tensor order, same header bytes) and validates like its reader.
//
//   ember::save(model_state, "model.safetensors");          // safetensors.torch.save_file
//   auto tensors = ember::load("model.safetensors");         // safetensors.torch.load_file
//
// Loading maps the file into memory: each tensor is a view of the mapping (copy-on-write, so writing to
// a loaded tensor never touches the file) that keeps it alive, so the data is read once, when touched.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ember/tensor.h>

namespace ember {

using TensorMap = std::map<std::string, Tensor>;
using MetadataMap = std::map<std::string, std::string>;

// Writes `tensors` to `path` atomically (a temporary file in the same directory, fsync, rename). The
// header's __metadata__ holds `metadata` plus "format": "pt" unless `metadata` names a format, as
// transformers writes it. Non-contiguous tensors are written in their logical (row-major) order.
void save(const TensorMap& tensors, const std::filesystem::path& path, const MetadataMap& metadata = {});
// The same for tensors in a given order (a module's state_dict); a name given twice is an error.
void save(const std::vector<std::pair<std::string, Tensor>>& tensors, const std::filesystem::path& path,
          const MetadataMap& metadata = {});
TensorMap load(const std::filesystem::path& path);

// The names of the reference library. save_file writes exactly what safetensors.torch.save_file writes:
// the metadata as given (no "format" added), and no __metadata__ at all when it is empty.
void save_file(const TensorMap& tensors, const std::filesystem::path& path, const MetadataMap& metadata = {});
inline TensorMap load_file(const std::filesystem::path& path) { return load(path); }

// The file as bytes, and bytes back (safetensors.torch.save / load).
std::string save_bytes(const TensorMap& tensors, const MetadataMap& metadata = {});
TensorMap load_bytes(const std::string& data);

// A validated, memory-mapped file whose tensors are made on request (safetensors.safe_open).
class SafeOpen {
 public:
  explicit SafeOpen(const std::filesystem::path& path);
  // Names in file order (by data offset), as the reference's keys().
  std::vector<std::string> keys() const;
  bool contains(const std::string& name) const;
  Tensor get_tensor(const std::string& name) const;
  const MetadataMap& metadata() const;
  const std::filesystem::path& path() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};
inline SafeOpen safe_open(const std::filesystem::path& path) { return SafeOpen(path); }

// Sharded checkpoints as Hugging Face writes them: tensors are cut, in name order, into files of at most
// `max_shard_size` bytes (a larger tensor gets a file of its own), named
// `<prefix>-00001-of-0000N.safetensors`, next to `<prefix>.safetensors.index.json` =
// {"metadata": {"total_size": bytes}, "weight_map": {name: file}}. A state that fits one shard is written
// as `<prefix>.safetensors` without an index, as transformers does. Returns the index (or single) file.
std::filesystem::path save_sharded(const TensorMap& tensors, const std::filesystem::path& directory,
                                   int64_t max_shard_size = 5'000'000'000, const MetadataMap& metadata = {},
                                   const std::string& prefix = "model");
// Loads from an index file, a single .safetensors file, or a directory holding either
// (`model.safetensors.index.json` first, then `model.safetensors`).
TensorMap load_sharded(const std::filesystem::path& path);

}  // namespace ember
