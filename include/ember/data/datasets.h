#pragma once
// Datasets read from files, as torchvision.datasets: MNIST, FashionMNIST, CIFAR10, ImageFolder, and
// TokenDataset for language models. A file that is missing, corrupt or truncated raises ember::Error
// naming the file and what is wrong; nothing is read past what a file holds.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ember/data/dataset.h>
#include <ember/data/transforms.h>
#include <ember/tensor.h>

namespace ember::data {

// The array in an IDX file (plain, or gzip-compressed whatever its name): ubyte -> uint8, byte -> int8,
// short -> int16, int -> int32, float -> float32, double -> float64, in the header's dimensions.
Tensor read_idx(const std::string& path);

// A PNG file as uint8 [H, W, C] (a PIL image's layout), C = 1 (gray), 2 (gray + alpha), 3 (RGB) or 4
// (RGBA); palette images become RGB or RGBA, 16-bit samples are reduced to 8 bits.
Tensor read_png(const std::string& path);

// MNIST's IDX files: train-{images-idx3,labels-idx1}-ubyte or t10k-… for the test split, each plain or
// with .gz, looked up in root and then in root/<name>/raw (torchvision's layout). data() is uint8
// [N, 28, 28], targets() int64 [N]. An example is (image, target): the uint8 [28, 28] image, or what
// transform makes of it (ToTensor: float [1, 28, 28] in [0, 1]), and the int64 0-dim target.
class MNIST : public Dataset<Example<>> {
 public:
  explicit MNIST(const std::string& root, bool train = true, Transform transform = nullptr,
                 Transform target_transform = nullptr);
  Example<> get(int64_t index) const override;
  int64_t size() const override { return targets_.size(0); }
  const Tensor& data() const { return data_; }
  const Tensor& targets() const { return targets_; }
  const std::vector<std::string>& classes() const { return classes_; }
  bool train() const { return train_; }

 protected:
  MNIST(const std::string& name, std::vector<std::string> classes, const std::string& root, bool train,
        Transform transform, Transform target_transform);

 private:
  Tensor data_, targets_;
  std::vector<std::string> classes_;
  bool train_;
  Transform transform_, target_transform_;
};

// Fashion-MNIST: MNIST's format, with clothing classes; root defaults to where Debian's
// dataset-fashion-mnist package puts the files.
class FashionMNIST : public MNIST {
 public:
  static constexpr const char* kDefaultRoot = "/usr/share/datasets/fashion-mnist";
  explicit FashionMNIST(const std::string& root = kDefaultRoot, bool train = true, Transform transform = nullptr,
                        Transform target_transform = nullptr);
};

// CIFAR-10's binary version: data_batch_1.bin … data_batch_5.bin (train) or test_batch.bin, in root or
// root/cifar-10-batches-bin, each a run of 3073-byte records (label byte, then 32x32 red, green, blue
// planes). data() is uint8 [N, 32, 32, 3] (torchvision's HWC layout), targets() int64 [N]; an example is
// (the uint8 [32, 32, 3] image or its transform, the int64 0-dim target).
class CIFAR10 : public Dataset<Example<>> {
 public:
  explicit CIFAR10(const std::string& root, bool train = true, Transform transform = nullptr,
                   Transform target_transform = nullptr);
  Example<> get(int64_t index) const override;
  int64_t size() const override { return targets_.size(0); }
  const Tensor& data() const { return data_; }
  const Tensor& targets() const { return targets_; }
  const std::vector<std::string>& classes() const { return classes_; }

 private:
  Tensor data_, targets_;
  std::vector<std::string> classes_;
  Transform transform_, target_transform_;
};

// Images in one folder per class (root/<class>/…/<file>.png), as torchvision's ImageFolder: classes are
// the folder names sorted, files are found recursively and sorted per folder, and an example is (the
// image read by read_png, uint8 [H, W, C], or its transform; the class index, int64 0-dim). Only PNG is
// read: other files are ignored. Images are read when get() asks for them.
class ImageFolder : public Dataset<Example<>> {
 public:
  explicit ImageFolder(const std::string& root, Transform transform = nullptr, Transform target_transform = nullptr);
  Example<> get(int64_t index) const override;
  int64_t size() const override { return int64_t(samples_.size()); }
  const std::vector<std::string>& classes() const { return classes_; }
  const std::map<std::string, int64_t>& class_to_idx() const { return class_to_idx_; }
  const std::vector<std::pair<std::string, int64_t>>& samples() const { return samples_; }

 private:
  std::vector<std::string> classes_;
  std::map<std::string, int64_t> class_to_idx_;
  std::vector<std::pair<std::string, int64_t>> samples_;
  Transform transform_, target_transform_;
};

// Token blocks for language models from a file of tokens (token_bytes = 1: bytes, 2: little-endian
// uint16 as nanoGPT writes them, 4: little-endian uint32). Example i is (x, y): x the block_size tokens
// from i * block_size on, y the same shifted by one, both int64 [block_size]; there are
// (tokens - 1) / block_size examples. The file is memory-mapped, not read into memory.
class TokenDataset : public Dataset<Example<>> {
 public:
  TokenDataset(const std::string& path, int64_t block_size, int token_bytes = 2);
  Example<> get(int64_t index) const override;
  int64_t size() const override { return num_blocks_; }
  int64_t num_tokens() const { return num_tokens_; }
  int64_t block_size() const { return block_size_; }

 private:
  std::shared_ptr<const uint8_t> tokens_;  // the mapping
  int64_t num_tokens_, block_size_, num_blocks_;
  int token_bytes_;
  std::string path_;
};

}  // namespace ember::data
