// CIFAR-10's binary batches.
#include <cstring>
#include <filesystem>

#include <ember/data/datasets.h>
#include <ember/ops/factory.h>

#include "data/file_util.h"

namespace ember::data {

namespace {
constexpr int64_t kSide = 32, kPixels = kSide * kSide, kRecord = 1 + 3 * kPixels;

std::string find_batch(const std::string& root, const std::string& file) {
  namespace fs = std::filesystem;
  for (const fs::path& dir : {fs::path(root), fs::path(root) / "cifar-10-batches-bin"}) {
    std::error_code ec;
    if (fs::is_regular_file(dir / file, ec)) return (dir / file).string();
  }
  throw Error(::ember::detail::str("CIFAR10: cannot find ", file, " in ", root, " or ",
                                   (fs::path(root) / "cifar-10-batches-bin").string()));
}
}  // namespace

CIFAR10::CIFAR10(const std::string& root, bool train, Transform transform, Transform target_transform)
    : classes_({"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}),
      transform_(std::move(transform)), target_transform_(std::move(target_transform)) {
  std::vector<std::string> files;
  if (train)
    for (int i = 1; i <= 5; ++i) files.push_back(find_batch(root, "data_batch_" + std::to_string(i) + ".bin"));
  else
    files.push_back(find_batch(root, "test_batch.bin"));
  std::vector<detail::Bytes> contents;
  int64_t n = 0;
  for (const std::string& f : files) {
    contents.push_back(detail::read_file(f));
    const size_t size = contents.back().size();
    if (size == 0 || size % size_t(kRecord) != 0)
      detail::file_error(f, "size mismatch: ", size, " bytes is not a whole number of ", kRecord,
                         "-byte records (a label byte and 3x32x32 pixels)");
    n += int64_t(size) / kRecord;
  }
  data_ = empty({n, kSide, kSide, 3}, kUInt8);
  targets_ = empty({n}, kInt64);
  uint8_t* img = data_.data_ptr<uint8_t>();
  int64_t* label = targets_.data_ptr<int64_t>();
  for (size_t f = 0; f < files.size(); ++f) {
    const detail::Bytes& b = contents[f];
    for (size_t r = 0; r < b.size() / size_t(kRecord); ++r) {
      const uint8_t* rec = b.data() + r * size_t(kRecord);
      if (rec[0] >= classes_.size())
        detail::file_error(files[f], "record ", r, " has label ", int(rec[0]), "; CIFAR-10 labels are 0 to 9");
      *label++ = rec[0];
      // The record's red, green and blue planes become interleaved HWC pixels.
      for (int64_t p = 0; p < kPixels; ++p)
        for (int64_t c = 0; c < 3; ++c) img[p * 3 + c] = rec[1 + c * kPixels + p];
      img += 3 * kPixels;
    }
  }
}

Example<> CIFAR10::get(int64_t index) const {
  const int64_t i = detail::wrap_index(index, size(), "CIFAR10");
  Tensor img = data_.select(0, i), target = targets_.select(0, i);
  return {transform_ ? transform_(img) : img, target_transform_ ? target_transform_(target) : target};
}

}  // namespace ember::data
