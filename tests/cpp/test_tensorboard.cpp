// TensorBoard event files: records and CRCs checked here with an independent CRC-32C, and the logs read
// back by tensorboard's own reader and EventAccumulator, compared with what PyTorch's SummaryWriter
// computes for the same calls (tests/io/tensorboard_check.py).
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include <ember/ember.h>
#include <ember/utils/crc32c.h>

#include "io_test_util.h"

using namespace ember;
using ember::utils::tensorboard::SummaryWriter;
namespace fs = std::filesystem;

namespace {

// Bit by bit from the definition (reflected polynomial 0x82F63B78), independent of the library's tables.
uint32_t crc32c_reference(const std::string& s) {
  uint32_t c = 0xffffffffu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1u)));
  }
  return ~c;
}
uint32_t masked(uint32_t c) { return ((c >> 15) | (c << 17)) + 0xa282ead8u; }

// The payloads of a TFRecord file, with every CRC checked.
std::vector<std::string> read_records(const fs::path& path) {
  std::string data = iotest::read_file(path);
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < data.size()) {
    EXPECT_LE(pos + 12, data.size()) << "truncated header";
    if (pos + 12 > data.size()) break;
    uint64_t len;
    uint32_t len_crc, data_crc;
    std::memcpy(&len, data.data() + pos, 8);
    std::memcpy(&len_crc, data.data() + pos + 8, 4);
    EXPECT_EQ(len_crc, masked(crc32c_reference(data.substr(pos, 8))));
    EXPECT_LE(pos + 12 + len + 4, data.size()) << "truncated record";
    if (pos + 16 + len > data.size()) break;
    std::string payload = data.substr(pos + 12, len);
    std::memcpy(&data_crc, data.data() + pos + 12 + len, 4);
    EXPECT_EQ(data_crc, masked(crc32c_reference(payload)));
    out.push_back(payload);
    pos += 16 + len;
  }
  return out;
}

std::vector<fs::path> event_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().starts_with("events.out.tfevents.")) out.push_back(e.path());
  return out;
}

}  // namespace

TEST(TensorBoard, Crc32cKnownValues) {
  // RFC 3720 (iSCSI) B.4 test vectors and the common check value.
  EXPECT_EQ(utils::crc32c("123456789", 9), 0xe3069283u);
  EXPECT_EQ(utils::crc32c(std::string(32, '\0').data(), 32), 0x8a9136aau);
  EXPECT_EQ(utils::crc32c(std::string(32, '\xff').data(), 32), 0x62a8ab43u);
  std::string s;
  for (int i = 0; i < 1000; ++i) s.push_back(char(i * 7 + 3));
  for (size_t n : {0, 1, 7, 8, 9, 63, 1000})
    EXPECT_EQ(utils::crc32c(s.data(), n), crc32c_reference(s.substr(0, n))) << n;
  EXPECT_EQ(utils::crc32c(s.data() + 5, 995, utils::crc32c(s.data(), 5)), crc32c_reference(s));
}

TEST(TensorBoard, FileNameFirstRecordAndBuffering) {
  iotest::ScratchDir dir("tb_file");
  SummaryWriter w((dir.path / "run").string(), "", {}, /*max_queue=*/3);
  auto files = event_files(dir.path / "run");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].string(), w.file_path());
  // events.out.tfevents.<10-digit time>.<host>.<pid>.<n>
  std::string name = files[0].filename().string();
  EXPECT_EQ(name.substr(20, 1).find_first_not_of("0123456789"), std::string::npos) << name;
  EXPECT_NE(name.find("." + std::to_string(::getpid()) + "."), std::string::npos) << name;
  auto records = read_records(files[0]);
  ASSERT_EQ(records.size(), 1u);  // written at once, as PyTorch flushes it on creation
  EXPECT_NE(records[0].find("brain.Event:2"), std::string::npos);
  w.add_scalar("a", 1.0, 0);
  w.add_scalar("a", 2.0, 1);
  EXPECT_EQ(read_records(files[0]).size(), 1u);  // queued
  w.add_scalar("a", 3.0, 2);
  EXPECT_EQ(read_records(files[0]).size(), 4u);  // max_queue reached
  w.add_scalar("a", 4.0, 3);
  w.flush();
  EXPECT_EQ(read_records(files[0]).size(), 5u);
  w.close();
  // After close, the next event opens a new file, as PyTorch's writer does.
  w.add_scalar("a", 5.0, 4);
  w.flush();
  EXPECT_EQ(event_files(dir.path / "run").size(), 2u);
}

TEST(TensorBoard, TensorBoardReadsWhatPyTorchWouldWrite) {
  EMBER_REQUIRE_PYTHON();
  iotest::ScratchDir dir("tb");
  fs::path logdir = dir.path / "logs";
  nlohmann::json spec = nlohmann::json::array();
  TensorMap inputs;
  Generator g(3);
  {
    SummaryWriter w(logdir.string());
    SummaryWriter other(logdir.string());  // a second writer on the same logdir gets its own file
    for (int step = 0; step < 5; ++step) {
      double loss = 1.0 / (step + 1);
      w.add_scalar("loss/train", loss, step);
      spec.push_back({{"kind", "scalar"}, {"tag", "loss/train"}, {"step", step}, {"value", loss}});
      other.add_scalar("lr", 0.1 * step, step);
      spec.push_back({{"kind", "scalar"}, {"tag", "lr"}, {"step", step}, {"value", 0.1 * step}});
    }
    w.add_scalar("tensor_scalar", full({1}, 2.5), 7);
    spec.push_back({{"kind", "scalar"}, {"tag", "tensor_scalar"}, {"step", 7}, {"value", 2.5}});
    w.add_scalars("run/acc", {{"train", 0.9}, {"test", 0.85}}, 3);
    spec.push_back({{"kind", "scalar"}, {"run", "run_acc_train"}, {"tag", "run/acc"}, {"step", 3}, {"value", 0.9}});
    spec.push_back({{"kind", "scalar"}, {"run", "run_acc_test"}, {"tag", "run/acc"}, {"step", 3}, {"value", 0.85}});

    inputs["w"] = randn({1000}, g) * 0.02;
    w.add_histogram("weights", inputs["w"], 1);
    spec.push_back({{"kind", "histogram"}, {"tag", "weights"}, {"step", 1}, {"input", "w"}, {"bins", "tensorflow"}});
    inputs["mixed"] = cat({randn({300}, g) * 1e6, zeros({10}), -rand({50}, g)}).to(kFloat64);
    w.add_histogram("mixed", inputs["mixed"], 2);
    spec.push_back({{"kind", "histogram"}, {"tag", "mixed"}, {"step", 2}, {"input", "mixed"}, {"bins", "tensorflow"}});
    w.add_histogram("mixed_max_bins", inputs["mixed"], 2, "tensorflow", {}, 100);
    spec.push_back({{"kind", "histogram"}, {"tag", "mixed_max_bins"}, {"step", 2}, {"input", "mixed"}, {"bins", "tensorflow"},
                    {"max_bins", 100}});
    inputs["ints"] = randint(0, 10, {200}, g);
    w.add_histogram("ints_10", inputs["ints"], 4, 10);
    spec.push_back({{"kind", "histogram"}, {"tag", "ints_10"}, {"step", 4}, {"input", "ints"}, {"bins", 10}});
    w.add_histogram("ints_edges", inputs["ints"], 5, std::vector<double>{-1, 2.5, 3, 8});
    spec.push_back({{"kind", "histogram"}, {"tag", "ints_edges"}, {"step", 5}, {"input", "ints"}, {"bins", {-1, 2.5, 3, 8}}});

    inputs["chw"] = rand({3, 8, 10}, g) * 1.2 - 0.1;  // some values clip at 0 and 255
    w.add_image("img/chw", inputs["chw"], 1);
    spec.push_back({{"kind", "image"}, {"tag", "img/chw"}, {"step", 1}, {"input", "chw"}, {"dataformats", "CHW"}});
    inputs["hwc_u8"] = randint(0, 256, {6, 5, 3}, g).to(kUInt8);
    w.add_image("img/hwc", inputs["hwc_u8"], 1, {}, "HWC");
    spec.push_back({{"kind", "image"}, {"tag", "img/hwc"}, {"step", 1}, {"input", "hwc_u8"}, {"dataformats", "HWC"}});
    inputs["gray"] = rand({7, 9}, g);
    w.add_image("img/gray", inputs["gray"], 2, {}, "HW");
    spec.push_back({{"kind", "image"}, {"tag", "img/gray"}, {"step", 2}, {"input", "gray"}, {"dataformats", "HW"}});
    inputs["rgba"] = rand({4, 3, 4}, g);
    w.add_image("img/rgba", inputs["rgba"], 2, {}, "CHW");
    spec.push_back({{"kind", "image"}, {"tag", "img/rgba"}, {"step", 2}, {"input", "rgba"}, {"dataformats", "CHW"}});
    inputs["batch"] = rand({11, 1, 4, 5}, g);  // a grid of 8 columns and 2 rows, gray to RGB
    w.add_images("img/batch", inputs["batch"], 3);
    spec.push_back({{"kind", "image"}, {"tag", "img/batch"}, {"step", 3}, {"input", "batch"}, {"dataformats", "NCHW"}});
    inputs["nhwc"] = rand({3, 4, 5, 3}, g);
    w.add_images("img/nhwc", inputs["nhwc"], 3, {}, "NHWC");
    spec.push_back({{"kind", "image"}, {"tag", "img/nhwc"}, {"step", 3}, {"input", "nhwc"}, {"dataformats", "NHWC"}});

    w.add_text("notes", "epoch 3: **loss** 0.31, ünïcode", 3);
    spec.push_back({{"kind", "text"}, {"tag", "notes"}, {"step", 3}, {"text", "epoch 3: **loss** 0.31, ünïcode"}});

    w.add_hparams({{"lr", 0.001}, {"batch_size", 64}, {"optimizer", "adam"}, {"nesterov", true}},
                  {{"hparam/accuracy", 0.91}, {"hparam/loss", 0.25}}, {{"optimizer", {"adam", "sgd"}}}, "hp");
    spec.push_back({{"kind", "hparams"}, {"run", "hp"},
                    {"hparams", {{"lr", 0.001}, {"batch_size", 64}, {"optimizer", "adam"}, {"nesterov", 1}}},
                    {"metrics", {{"hparam/accuracy", 0.91}, {"hparam/loss", 0.25}}},
                    {"domains", {{"optimizer", {"adam", "sgd"}}}}});
  }  // both writers close here
  EXPECT_EQ(event_files(logdir).size(), 2u);
  for (const auto& f : event_files(logdir)) EXPECT_GT(read_records(f).size(), 5u) << f;
  save(inputs, logdir / "inputs.safetensors");
  iotest::write_file(logdir / "spec.json", spec.dump());
  auto r = iotest::run_python("tensorboard_check.py", "'" + logdir.string() + "'");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("ok: " + std::to_string(spec.size()) + " calls, 5 files"), std::string::npos) << r.output;
}

TEST(TensorBoard, Errors) {
  iotest::ScratchDir dir("tb_err");
  SummaryWriter w(dir.path.string());
  EXPECT_THROW(w.add_histogram("h", zeros({0})), ValueError);
  EXPECT_THROW(w.add_histogram("h", ones({3}), 0, "fd"), ValueError);
  EXPECT_THROW(w.add_histogram("h", full({3}, NAN), 0, 5), ValueError);
  EXPECT_THROW(w.add_image("i", rand({3, 4, 4}), 0, {}, "CHWW"), ValueError);
  EXPECT_THROW(w.add_image("i", rand({3, 4, 4}), 0, {}, "HW"), ValueError);
  EXPECT_THROW(w.add_image("i", rand({2, 4, 4}), 0, {}, "CHW"), ValueError);
  EXPECT_THROW(w.add_images("i", rand({3, 4, 4}), 0), ValueError);
  EXPECT_THROW(w.add_scalar("s", ones({2})), ValueError);
  EXPECT_THROW(SummaryWriter("/proc/ember_cannot_create_this"), Error);
}
