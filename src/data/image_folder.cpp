// PNG images: read_png through libpng's simplified API, and ImageFolder.
#include <png.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <ember/data/datasets.h>
#include <ember/ops/factory.h>

#include "data/file_util.h"

namespace ember::data {

Tensor read_png(const std::string& path) {
  detail::Bytes bytes = detail::read_file(path);
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    detail::file_error(path, "bad PNG: ", image.message);
  const bool color = image.format & PNG_FORMAT_FLAG_COLOR, alpha = image.format & PNG_FORMAT_FLAG_ALPHA;
  image.format = color ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB) : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
  const int64_t channels = int64_t(PNG_IMAGE_PIXEL_CHANNELS(image.format));
  Tensor out = empty({int64_t(image.height), int64_t(image.width), channels}, kUInt8);
  // finish_read checks every chunk's CRC and the data's length, and frees the image either way.
  if (!png_image_finish_read(&image, nullptr, out.data_ptr(), 0, nullptr))
    detail::file_error(path, "bad PNG: ", image.message);
  return out;
}

ImageFolder::ImageFolder(const std::string& root, Transform transform, Transform target_transform)
    : transform_(std::move(transform)), target_transform_(std::move(target_transform)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) throw Error(::ember::detail::str("ImageFolder: ", root, " is not a directory"));
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (entry.is_directory(ec)) classes_.push_back(entry.path().filename().string());
  if (ec) throw Error(::ember::detail::str("ImageFolder: cannot list ", root, ": ", ec.message()));
  std::sort(classes_.begin(), classes_.end());  // bytewise, which is Python's order for UTF-8 names
  if (classes_.empty()) throw Error(::ember::detail::str("Couldn't find any class folder in ", root, "."));
  std::vector<std::string> empty_classes;
  for (size_t c = 0; c < classes_.size(); ++c) {
    class_to_idx_[classes_[c]] = int64_t(c);
    // torchvision walks sorted(os.walk(folder)): every directory in path order, its files sorted by name.
    const fs::path folder = fs::path(root) / classes_[c];
    std::vector<std::string> dirs{folder.string()};
    for (auto it = fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_directory(ec)) dirs.push_back(it->path().string());
    std::sort(dirs.begin(), dirs.end());
    size_t before = samples_.size();
    for (const std::string& dir : dirs) {
      std::vector<std::string> files;
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        std::string name = entry.path().filename().string(), lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (lower.size() >= 4 && lower.compare(lower.size() - 4, 4, ".png") == 0) files.push_back(name);
      }
      std::sort(files.begin(), files.end());
      for (const std::string& f : files) samples_.emplace_back((fs::path(dir) / f).string(), int64_t(c));
    }
    if (samples_.size() == before) empty_classes.push_back(classes_[c]);
  }
  if (!empty_classes.empty()) {
    std::string names;
    for (const auto& n : empty_classes) names += (names.empty() ? "" : ", ") + n;
    throw Error(::ember::detail::str("Found no valid file for the classes ", names,
                                     ". Supported extensions are: .png"));
  }
}

Example<> ImageFolder::get(int64_t index) const {
  const auto& [path, cls] = samples_[size_t(detail::wrap_index(index, size(), "ImageFolder"))];
  Tensor img = read_png(path), target = scalar_tensor(cls, kInt64);
  return {transform_ ? transform_(img) : img, target_transform_ ? target_transform_(target) : target};
}

}  // namespace ember::data
