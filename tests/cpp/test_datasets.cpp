// Datasets read from files: IDX (plain and gzip), MNIST/FashionMNIST, CIFAR-10 binary batches, PNG
// folders, token files; corrupt and truncated files; and the real Fashion-MNIST compared with what numpy
// reads from the same files (tests/golden/gen_data.py). The small files are written here: plain ones
// byte by byte, gzip and PNG ones from bytes Python's gzip and zlib encoded (so ember's readers are
// checked against an independent writer).
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <ember/data.h>
#include <ember/ember.h>

#include "golden.h"

using namespace ember;
using namespace ember::data;
namespace fs = std::filesystem;

namespace {
const golden::File& gold() {
  static golden::File f("data");
  return f;
}
std::vector<uint8_t> bytes_of(const Tensor& t) {
  Tensor c = t.contiguous();
  return std::vector<uint8_t>(c.data_ptr<uint8_t>(), c.data_ptr<uint8_t>() + c.numel());
}
std::vector<int64_t> vec(const Tensor& t) {
  Tensor c = t.to(kInt64).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}
bool same(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.sizes().equals(b.sizes()) && a.eq(b).all().item<bool>();
}
void write(const fs::path& p, const std::vector<uint8_t>& b) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}
std::vector<uint8_t> idx_bytes(std::vector<uint32_t> dims, const std::vector<uint8_t>& data, uint8_t type = 0x08) {
  std::vector<uint8_t> b{0, 0, type, uint8_t(dims.size())};
  for (uint32_t d : dims)
    for (int s = 24; s >= 0; s -= 8) b.push_back(uint8_t(d >> s));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}
template <class F>
void expect_error(const F& f, const std::vector<std::string>& texts) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << texts[0];
  } catch (const Error& e) {
    for (const auto& t : texts) EXPECT_NE(std::string(e.what()).find(t), std::string::npos) << e.what();
  }
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("ember_data_" + std::to_string(::getpid()) + "_" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};
using Idx = TempDir;
using Mnist = TempDir;
using Cifar = TempDir;
using Png = TempDir;
using Tokens = TempDir;
}  // namespace

TEST_F(Idx, PlainGzipAndTypes) {
  Tensor arr = gold()["idx_array"];
  write(dir / "a.idx", idx_bytes({5, 4, 3}, bytes_of(arr)));
  EXPECT_TRUE(same(read_idx((dir / "a.idx").string()), arr));
  write(dir / "a.idx.gz", bytes_of(gold()["idx_gz_bytes"]));
  EXPECT_TRUE(same(read_idx((dir / "a.idx.gz").string()), arr));
  // A gzip file is recognised by its magic number, whatever its name; two gzip members concatenate.
  std::vector<uint8_t> gz = bytes_of(gold()["idx_gz_bytes"]);
  write(dir / "noext", gz);
  EXPECT_TRUE(same(read_idx((dir / "noext").string()), arr));
  write(dir / "i16.idx", bytes_of(gold()["idx_i16_bytes"]));
  EXPECT_TRUE(same(read_idx((dir / "i16.idx").string()), gold()["idx_i16_array"]));
}

TEST_F(Idx, CorruptAndTruncated) {
  Tensor arr = gold()["idx_array"];
  std::vector<uint8_t> good = idx_bytes({5, 4, 3}, bytes_of(arr));
  auto p = (dir / "f").string();
  auto bad = good;
  bad[0] = 0x12;
  write(p, bad);
  expect_error([&] { read_idx(p); }, {p, "bad magic number 0x12000803"});
  bad = good;
  bad[2] = 0x07;
  write(p, bad);
  expect_error([&] { read_idx(p); }, {p, "unknown IDX element type 0x07"});
  write(p, std::vector<uint8_t>(good.begin(), good.begin() + 10));
  expect_error([&] { read_idx(p); }, {p, "truncated header: 3 dimensions need 16 bytes, the file has 10"});
  write(p, std::vector<uint8_t>(good.begin(), good.end() - 1));
  expect_error([&] { read_idx(p); }, {p, "size mismatch", "[5, 4, 3]", "59 bytes of data"});
  write(p, std::vector<uint8_t>(good.begin(), good.begin() + 2));
  expect_error([&] { read_idx(p); }, {p, "not an IDX file"});
  // A header whose dimensions multiply past 64 bits must not wrap around to the file's size.
  write(p, idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}, {}));
  expect_error([&] { read_idx(p); }, {p, "size mismatch"});
  std::vector<uint8_t> gz = bytes_of(gold()["idx_gz_bytes"]);
  for (size_t keep : {gz.size() - 1, gz.size() - 8, gz.size() / 2, size_t(12)}) {
    write(p, std::vector<uint8_t>(gz.begin(), gz.begin() + int64_t(keep)));
    expect_error([&] { read_idx(p); }, {p, "truncated gzip data"});
  }
  auto flipped = gz;
  flipped[gz.size() - 6] ^= 0xFF;  // inside the CRC-32 of the trailer
  write(p, flipped);
  expect_error([&] { read_idx(p); }, {p, "corrupt gzip data"});
  auto garbage = gz;
  garbage.push_back(1);
  garbage.push_back(2);
  write(p, garbage);
  expect_error([&] { read_idx(p); }, {p, "garbage after the end of the stream"});
  expect_error([&] { read_idx((dir / "missing").string()); }, {"missing", "cannot open"});
}

TEST_F(Mnist, ReadsTorchvisionLayouts) {
  Tensor arr = gold()["idx_array"];  // 5 images of 4x3
  std::vector<uint8_t> labels{3, 0, 9, 1, 1};
  write(dir / "train-images-idx3-ubyte.gz", bytes_of(gold()["idx_gz_bytes"]));
  write(dir / "train-labels-idx1-ubyte", idx_bytes({5}, labels));
  MNIST m(dir.string());
  EXPECT_EQ(m.size(), 5);
  EXPECT_TRUE(same(m.data(), arr));
  EXPECT_EQ(vec(m.targets()), (std::vector<int64_t>{3, 0, 9, 1, 1}));
  EXPECT_EQ(m.targets().dtype(), kInt64);
  Example<> e = m.get(2);
  EXPECT_TRUE(same(e.data, arr[2]));
  EXPECT_EQ(e.target.dim(), 0);
  EXPECT_EQ(e.target.item<int64_t>(), 9);
  MNIST t(dir.string(), true, transforms::ToTensor());
  Tensor x = t.get(-1).data;
  EXPECT_EQ(x.sizes(), IntArrayRef({1, 4, 3}));
  EXPECT_TRUE(golden::close(x, arr[4].unsqueeze(0).to(kFloat32) / 255, 0, 0));
  // torchvision's root/<name>/raw layout; the test split's file names.
  auto fm = dir / "fm";
  write(fm / "FashionMNIST" / "raw" / "t10k-images-idx3-ubyte", idx_bytes({5, 4, 3}, bytes_of(arr)));
  write(fm / "FashionMNIST" / "raw" / "t10k-labels-idx1-ubyte", idx_bytes({5}, labels));
  FashionMNIST f(fm.string(), false);
  EXPECT_EQ(f.size(), 5);
  EXPECT_TRUE(same(f.data(), arr));
  EXPECT_EQ(f.classes()[9], "Ankle boot");
  expect_error([&] { FashionMNIST(fm.string(), true); }, {"FashionMNIST: cannot find train-images-idx3-ubyte"});
}

TEST_F(Mnist, Errors) {
  Tensor arr = gold()["idx_array"];
  auto images = (dir / "train-images-idx3-ubyte").string(), labels = (dir / "train-labels-idx1-ubyte").string();
  write(images, idx_bytes({5, 4, 3}, bytes_of(arr)));
  write(labels, idx_bytes({4}, {1, 2, 3, 4}));
  expect_error([&] { MNIST(dir.string()); }, {labels, "size mismatch: 4 labels for the 5 images"});
  write(labels, idx_bytes({5}, {1, 2, 10, 4, 5}));
  expect_error([&] { MNIST(dir.string()); }, {labels, "label 10 at index 2 is out of range for 10 classes"});
  write(labels, idx_bytes({5, 1}, {1, 2, 3, 4, 5}));
  expect_error([&] { MNIST(dir.string()); }, {labels, "wrong dims"});
  write(labels, idx_bytes({5}, {1, 2, 3, 4, 5}));
  write(images, idx_bytes({60}, bytes_of(arr)));
  expect_error([&] { MNIST(dir.string()); }, {images, "wrong dims: expected a 3-dimensional"});
  std::vector<uint8_t> gz = bytes_of(gold()["idx_gz_bytes"]);
  write(images, std::vector<uint8_t>(gz.begin(), gz.end() - 20));
  expect_error([&] { MNIST(dir.string()); }, {images, "truncated gzip data"});
}

TEST_F(Cifar, BinaryBatches) {
  // Record r of batch b: label (b + r) % 10, pixel bytes (c * 31 + p + b) % 256 in plane c.
  auto record = [](int b, int r) {
    std::vector<uint8_t> rec{uint8_t((b + r) % 10)};
    for (int c = 0; c < 3; ++c)
      for (int p = 0; p < 1024; ++p) rec.push_back(uint8_t((c * 31 + p + b + r) % 256));
    return rec;
  };
  for (int b = 1; b <= 6; ++b) {
    std::vector<uint8_t> file;
    for (int r = 0; r < 2; ++r) {
      auto rec = record(b, r);
      file.insert(file.end(), rec.begin(), rec.end());
    }
    write(dir / "cifar-10-batches-bin" / (b == 6 ? "test_batch.bin" : "data_batch_" + std::to_string(b) + ".bin"), file);
  }
  CIFAR10 train(dir.string());
  EXPECT_EQ(train.size(), 10);
  EXPECT_EQ(train.data().sizes(), IntArrayRef({10, 32, 32, 3}));
  Example<> e = train.get(3);  // batch 2, record 1
  EXPECT_EQ(e.target.item<int64_t>(), 3);
  for (int64_t y : {0, 5, 31})
    for (int64_t x : {0, 17})
      for (int64_t c = 0; c < 3; ++c)
        EXPECT_EQ(e.data.index({y, x, c}).item<int64_t>(), (c * 31 + y * 32 + x + 2 + 1) % 256);
  CIFAR10 test(dir.string(), false, transforms::ToTensor());
  EXPECT_EQ(test.size(), 2);
  EXPECT_EQ(test.get(0).data.sizes(), IntArrayRef({3, 32, 32}));
  EXPECT_NEAR(test.get(0).data.index({1, 0, 2}).item<float>(), float((31 + 2 + 6) % 256) / 255.0f, 1e-7);

  auto f = (dir / "cifar-10-batches-bin" / "test_batch.bin").string();
  auto rec = record(6, 0);
  rec.pop_back();
  write(f, rec);
  expect_error([&] { CIFAR10(dir.string(), false); }, {f, "3072 bytes is not a whole number of 3073-byte records"});
  rec = record(6, 0);
  rec[0] = 10;
  write(f, rec);
  expect_error([&] { CIFAR10(dir.string(), false); }, {f, "record 0 has label 10"});
  fs::remove(dir / "cifar-10-batches-bin" / "data_batch_4.bin");
  expect_error([&] { CIFAR10(dir.string()); }, {"cannot find data_batch_4.bin"});
}

TEST_F(Png, ReadPngAndImageFolder) {
  for (const char* name : {"gray", "rgb", "rgba", "graya", "palette"}) {
    auto p = dir / (std::string(name) + ".png");
    write(p, bytes_of(gold()[std::string("png_") + name + "_bytes"]));
    EXPECT_TRUE(same(read_png(p.string()), gold()[std::string("png_") + name + "_pixels"])) << name;
  }
  // Classes sorted bytewise like Python (upper case first); files found recursively, sorted per folder.
  auto root = dir / "root";
  write(root / "cat" / "b.png", bytes_of(gold()["png_rgb_bytes"]));
  write(root / "cat" / "a.PNG", bytes_of(gold()["png_gray_bytes"]));
  write(root / "cat" / "sub" / "c.png", bytes_of(gold()["png_rgba_bytes"]));
  write(root / "cat" / "notes.txt", {'x'});
  write(root / "Zebra" / "z.png", bytes_of(gold()["png_graya_bytes"]));
  ImageFolder folder(root.string(), transforms::ToTensor());
  EXPECT_EQ(folder.classes(), (std::vector<std::string>{"Zebra", "cat"}));
  EXPECT_EQ(folder.class_to_idx().at("cat"), 1);
  ASSERT_EQ(folder.size(), 4);
  std::vector<std::string> names;
  for (const auto& [path, cls] : folder.samples()) names.push_back(fs::path(path).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"z.png", "a.PNG", "b.png", "c.png"}));
  Example<> e = folder.get(2);
  EXPECT_EQ(e.target.item<int64_t>(), 1);
  EXPECT_TRUE(golden::close(e.data, gold()["png_rgb_pixels"].permute({2, 0, 1}).to(kFloat32) / 255, 0, 0));
  EXPECT_EQ(folder.get(0).data.size(0), 2);  // gray + alpha
  EXPECT_EQ(folder.get(3).data.size(0), 4);  // RGBA
  // A loader over the folder with one image size per batch.
  DataLoader loader(std::make_shared<ImageFolder>(root.string()), 1, false, nullptr, nullptr, 2);
  int n = 0;
  for (auto& b : loader) n += int(b.data.dim() == 4);
  EXPECT_EQ(n, 4);

  write(root / "empty" / "readme.md", {'x'});
  expect_error([&] { ImageFolder(root.string()); }, {"Found no valid file for the classes empty"});
  fs::create_directories(dir / "none");
  expect_error([&] { ImageFolder((dir / "none").string()); }, {"Couldn't find any class folder in"});
  expect_error([&] { ImageFolder((dir / "nowhere").string()); }, {"is not a directory"});
}

TEST_F(Png, Corrupt) {
  std::vector<uint8_t> good = bytes_of(gold()["png_rgb_bytes"]);
  auto p = (dir / "x.png").string();
  write(p, std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2));
  expect_error([&] { read_png(p); }, {p, "bad PNG"});
  auto crc = good;
  crc[29] ^= 0x01;  // the IHDR chunk's CRC
  write(p, crc);
  expect_error([&] { read_png(p); }, {p, "bad PNG"});
  write(p, {'n', 'o', 't', ' ', 'p', 'n', 'g', '!', '!'});
  expect_error([&] { read_png(p); }, {p, "bad PNG"});
  auto idat = good;
  idat[good.size() - 20] ^= 0x55;  // inside the IDAT data or its CRC
  write(p, idat);
  expect_error([&] { read_png(p); }, {p, "bad PNG"});
}

TEST_F(Tokens, Blocks) {
  std::vector<uint8_t> file;
  for (int t = 0; t < 23; ++t) {
    int v = t * 1000 + 7;
    file.push_back(uint8_t(v & 0xFF));
    file.push_back(uint8_t(v >> 8));
  }
  auto p = (dir / "train.bin").string();
  write(p, file);
  TokenDataset ds(p, 5);
  EXPECT_EQ(ds.num_tokens(), 23);
  EXPECT_EQ(ds.size(), 4);  // (23 - 1) / 5
  Example<> e = ds.get(2);
  EXPECT_EQ(vec(e.data), (std::vector<int64_t>{10007, 11007, 12007, 13007, 14007}));
  EXPECT_EQ(vec(e.target), (std::vector<int64_t>{11007, 12007, 13007, 14007, 15007}));
  EXPECT_EQ(e.data.dtype(), kInt64);
  TokenDataset bytes(p, 4, 1);
  EXPECT_EQ(bytes.size(), (46 - 1) / 4);
  EXPECT_EQ(vec(bytes.get(0).data), (std::vector<int64_t>{7, 0, 239, 3}));
  DataLoader loader(std::make_shared<TokenDataset>(p, 5), 2, false, nullptr, nullptr, 2);
  int64_t batches = 0;
  for (auto& b : loader) {
    EXPECT_EQ(b.data.size(1), 5);
    ++batches;
  }
  EXPECT_EQ(batches, 2);
  expect_error([&] { ds.get(4); }, {"out of range"});
  file.push_back(1);
  write(p, file);
  expect_error([&] { TokenDataset(p, 5); }, {p, "47 bytes is not a whole number of 2-byte tokens"});
  write(p, {1, 0, 2, 0});
  expect_error([&] { TokenDataset(p, 5); }, {p, "too short"});
}

TEST(FashionMNIST, RealFilesMatchNumpy) {
  const char* root = FashionMNIST::kDefaultRoot;
  if (!fs::exists(fs::path(root) / "train-images-idx3-ubyte.gz")) GTEST_SKIP() << "no Fashion-MNIST in " << root;
  for (bool train : {true, false}) {
    std::string s = train ? "train" : "test";
    auto t0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    FashionMNIST ds(root, train);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
    std::printf("FashionMNIST %s: %lld images loaded in %.3f s (%.3f s of CPU)\n", s.c_str(), (long long)ds.size(),
                secs, cpu);
    EXPECT_EQ(ds.size(), train ? 60000 : 10000);
    EXPECT_EQ(ds.data().sizes(), IntArrayRef({ds.size(), 28, 28}));
    EXPECT_EQ(ds.data().dtype(), kUInt8);
    std::vector<int64_t> picks = vec(gold()["fmnist_" + s + "_picks"]);
    std::vector<int64_t> labels, sums;
    for (int64_t i : picks) {
      labels.push_back(ds.get(i).target.item<int64_t>());
      sums.push_back(ds.data()[i].to(kInt64).sum().item<int64_t>());
    }
    EXPECT_EQ(labels, vec(gold()["fmnist_" + s + "_labels_at_picks"]));
    EXPECT_EQ(sums, vec(gold()["fmnist_" + s + "_pixel_sums_at_picks"]));
    EXPECT_EQ(vec(ds.targets().bincount({}, 10)), vec(gold()["fmnist_" + s + "_label_counts"]));
    const uint8_t* px = ds.data().data_ptr<uint8_t>();
    int64_t total = 0;
    for (int64_t i = 0; i < ds.data().numel(); ++i) total += px[i];
    EXPECT_EQ(total, vec(gold()["fmnist_" + s + "_total_pixel_sum"])[0]);
    EXPECT_TRUE(same(ds.data()[0], gold()["fmnist_" + s + "_image0"]));
    EXPECT_TRUE(same(ds.data()[-1], gold()["fmnist_" + s + "_image_last"]));
    EXPECT_EQ(vec(ds.targets().narrow(0, 0, 32)), vec(gold()["fmnist_" + s + "_labels_head"]));
  }
}

TEST(FashionMNIST, LoaderSpeed) {
  const char* root = FashionMNIST::kDefaultRoot;
  if (!fs::exists(fs::path(root) / "train-images-idx3-ubyte.gz")) GTEST_SKIP() << "no Fashion-MNIST in " << root;
  auto ds = std::make_shared<FashionMNIST>(root, true,
                                           transforms::Compose({transforms::ToTensor(), transforms::Normalize({0.2860}, {0.3530})}));
  for (int workers : {0, 2}) {
    DataLoader loader(ds, 64, true, nullptr, nullptr, workers, nullptr, false, false, 0, nullptr, Generator(0));
    auto t0 = std::chrono::steady_clock::now();
    std::clock_t c0 = std::clock();
    int64_t batches = 0, images = 0;
    for (auto& b : loader) {
      ++batches;
      images += b.data.size(0);
      if (batches == 1) {
        EXPECT_EQ(b.data.sizes(), IntArrayRef({64, 1, 28, 28}));
        EXPECT_EQ(b.data.dtype(), kFloat32);
        EXPECT_EQ(b.target.dtype(), kInt64);
      }
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
    EXPECT_EQ(batches, 938);
    EXPECT_EQ(images, 60000);
    std::printf("DataLoader over FashionMNIST, batch 64, num_workers %d: %.1f us per batch (%.1f us of CPU)\n",
                workers, secs / double(batches) * 1e6, cpu / double(batches) * 1e6);
  }
}
