// IDX files and the MNIST-format datasets.
#include <cstring>
#include <filesystem>
#include <future>

#include <ember/data/datasets.h>
#include <ember/ops/factory.h>

#include "data/file_util.h"

namespace ember::data {

namespace {
uint32_t be32(const uint8_t* p) { return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3]; }

std::string dims_str(const std::vector<int64_t>& dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

Tensor parse_idx(detail::Bytes bytes, const std::string& path) {
  if (bytes.size() < 4) detail::file_error(path, "not an IDX file: ", bytes.size(), " bytes, shorter than the 4-byte magic number");
  const uint32_t magic = be32(bytes.data());
  if (bytes[0] != 0 || bytes[1] != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", magic);
    detail::file_error(path, "bad magic number ", hex, " (an IDX file starts with two zero bytes)");
  }
  DType dtype;
  switch (bytes[2]) {
    case 0x08: dtype = kUInt8; break;
    case 0x09: dtype = kInt8; break;
    case 0x0B: dtype = kInt16; break;
    case 0x0C: dtype = kInt32; break;
    case 0x0D: dtype = kFloat32; break;
    case 0x0E: dtype = kFloat64; break;
    default: {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", bytes[2]);
      detail::file_error(path, "bad magic number: unknown IDX element type ", hex);
    }
  }
  const size_t ndim = bytes[3], header = 4 + 4 * ndim;
  if (bytes.size() < header)
    detail::file_error(path, "truncated header: ", ndim, " dimensions need ", header, " bytes, the file has ", bytes.size());
  std::vector<int64_t> dims;
  uint64_t count = 1;
  for (size_t d = 0; d < ndim; ++d) {
    dims.push_back(int64_t(be32(bytes.data() + 4 + 4 * d)));
    // Saturate past the file's size, so a header of huge dimensions cannot wrap around to a match.
    if (__builtin_mul_overflow(count, uint64_t(dims.back()), &count) || count > bytes.size())
      count = uint64_t(bytes.size()) + 1;
  }
  const size_t esize = element_size(dtype), data_bytes = bytes.size() - header;
  if (count * esize != data_bytes)
    detail::file_error(path, "size mismatch: the header's dimensions ", dims_str(dims), " of ", esize,
                       "-byte elements do not match the ", data_bytes, " bytes of data after the header");
  if (dtype == kUInt8 || dtype == kInt8) {
    // No copy: the tensor keeps the decoded buffer alive.
    auto* owner = new detail::Bytes(std::move(bytes));
    return from_blob(owner->data() + header, dims, [owner](void*) { delete owner; }, dtype);
  }
  Tensor out = empty(dims, dtype);
  uint8_t* dst = static_cast<uint8_t*>(out.data_ptr());
  const uint8_t* src = bytes.data() + header;
  for (size_t i = 0; i < count; ++i)  // big-endian to the machine's order
    for (size_t b = 0; b < esize; ++b) dst[i * esize + b] = src[i * esize + esize - 1 - b];
  return out;
}

// root/<file>, root/<file>.gz, then the same under root/<name>/raw.
std::string find_file(const std::string& root, const std::string& name, const std::string& file) {
  namespace fs = std::filesystem;
  for (const fs::path& dir : {fs::path(root), fs::path(root) / name / "raw"})
    for (const char* ext : {"", ".gz"}) {
      fs::path p = dir / (file + ext);
      std::error_code ec;
      if (fs::is_regular_file(p, ec)) return p.string();
    }
  throw Error(::ember::detail::str(name, ": cannot find ", file, " or ", file, ".gz in ", root, " or ",
                                   (fs::path(root) / name / "raw").string()));
}
}  // namespace

Tensor read_idx(const std::string& path) { return parse_idx(detail::read_maybe_gzip(path), path); }

MNIST::MNIST(const std::string& root, bool train, Transform transform, Transform target_transform)
    : MNIST("MNIST", {"0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven",
                      "8 - eight", "9 - nine"},
            root, train, std::move(transform), std::move(target_transform)) {}

MNIST::MNIST(const std::string& name, std::vector<std::string> classes, const std::string& root, bool train,
             Transform transform, Transform target_transform)
    : classes_(std::move(classes)), train_(train), transform_(std::move(transform)),
      target_transform_(std::move(target_transform)) {
  const std::string prefix = train ? "train" : "t10k";
  const std::string images_path = find_file(root, name, prefix + "-images-idx3-ubyte");
  const std::string labels_path = find_file(root, name, prefix + "-labels-idx1-ubyte");
  // The images dominate (inflating 47 MB); the labels load meanwhile.
  auto images = std::async(std::launch::async, [&] { return read_idx(images_path); });
  Tensor labels;
  try {
    labels = read_idx(labels_path);
  } catch (...) {
    images.wait();
    throw;
  }
  data_ = images.get();
  if (data_.dtype() != kUInt8 || data_.dim() != 3)
    detail::file_error(images_path, "wrong dims: expected a 3-dimensional ubyte array of images, got ", data_.dim(),
                       " dimensions of ", data_.dtype());
  if (labels.dtype() != kUInt8 || labels.dim() != 1)
    detail::file_error(labels_path, "wrong dims: expected a 1-dimensional ubyte array of labels, got ", labels.dim(),
                       " dimensions of ", labels.dtype());
  if (labels.size(0) != data_.size(0))
    detail::file_error(labels_path, "size mismatch: ", labels.size(0), " labels for the ", data_.size(0), " images of ",
                       images_path);
  const uint8_t* l = labels.data_ptr<uint8_t>();
  for (int64_t i = 0; i < labels.size(0); ++i)
    if (l[i] >= classes_.size())
      detail::file_error(labels_path, "label ", int(l[i]), " at index ", i, " is out of range for ", classes_.size(),
                         " classes");
  targets_ = labels.to(kInt64);
}

Example<> MNIST::get(int64_t index) const {
  const int64_t i = detail::wrap_index(index, size(), classes_.size() == 10 ? "MNIST" : "dataset");
  Tensor img = data_.select(0, i), target = targets_.select(0, i);
  return {transform_ ? transform_(img) : img, target_transform_ ? target_transform_(target) : target};
}

FashionMNIST::FashionMNIST(const std::string& root, bool train, Transform transform, Transform target_transform)
    : MNIST("FashionMNIST", {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                             "Ankle boot"},
            root, train, std::move(transform), std::move(target_transform)) {}

}  // namespace ember::data
