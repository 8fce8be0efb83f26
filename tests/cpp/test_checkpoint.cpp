// Training checkpoints: exact round trip of tensors and state, the `latest` pointer, and crash safety
// (a writer that fails midway, a leftover temporary directory, and writers killed with SIGKILL).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <ember/ember.h>
#include <ember/io/checkpoint.h>
#include <thread>

#include "io_test_util.h"

using namespace ember;
namespace fs = std::filesystem;

namespace {

bool same(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.sizes() != b.sizes()) return false;
  Tensor x = a.contiguous(), y = b.contiguous();
  return std::memcmp(x.data_ptr(), y.data_ptr(), x.nbytes()) == 0;
}

void expect_same(const io::Checkpoint& a, const io::Checkpoint& b) {
  EXPECT_EQ(a.state, b.state);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (const auto& [group, tensors] : a.tensors) {
    ASSERT_TRUE(b.tensors.count(group)) << group;
    const auto& other = b.tensors.at(group);
    ASSERT_EQ(tensors.size(), other.size()) << group;
    for (const auto& [k, v] : tensors) EXPECT_TRUE(other.count(k) && same(v, other.at(k))) << group << "/" << k;
  }
}

io::Checkpoint make_checkpoint(int epoch, int64_t numel = 64) {
  Generator g(1234 + epoch);
  io::Checkpoint c;
  c.tensors["model"] = {{"0.weight", randn({numel / 8, 8}, g)}, {"0.bias", randn({numel / 8}, g)}};
  c.tensors["optimizer"] = {{"state.0.step", full({}, 100.0 * epoch, kFloat32)},
                            {"state.0.exp_avg", randn({numel / 8, 8}, g).to(kFloat64)}};
  Generator rng(epoch);
  rng.reserve(17);
  c.tensors["rng"] = {{"default", rng.get_state()}};
  c.state = {{"epoch", epoch},
             {"step", 938 * epoch},
             {"optimizer", {{"lr", 0.1 + 0.2}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}, {"amsgrad", false}}},
             {"scheduler", {{"last_epoch", epoch}, {"gamma", 1.0 / 3.0}}},
             {"data", {{"epoch", epoch}, {"batch_index", 17}, {"sampler_seed", 18446744073709551615ull}}}};
  return c;
}

}  // namespace

TEST(Checkpoint, RoundTripIsExact) {
  iotest::ScratchDir dir("ckpt");
  io::Checkpoint c = make_checkpoint(1);
  fs::path written = io::save_checkpoint(dir.path, c);
  EXPECT_EQ(written, dir.path / "checkpoint-1");
  EXPECT_EQ(io::latest_checkpoint(dir.path), written);
  io::Checkpoint back = io::load_checkpoint(dir.path);
  expect_same(c, back);
  EXPECT_EQ(back.state["optimizer"]["lr"].get<double>(), 0.1 + 0.2);  // every bit of a double survives
  // The generator state restores the stream.
  Generator g;
  g.set_state(back.tensors["rng"]["default"]);
  EXPECT_EQ(g.offset(), 17u);
  expect_same(c, io::load_checkpoint(written));
}

TEST(Checkpoint, LatestMovesAndKeepLastPrunes) {
  iotest::ScratchDir dir("ckpt_latest");
  for (int e = 1; e <= 4; ++e) {
    fs::path p = io::save_checkpoint(dir.path, make_checkpoint(e), "", 2);
    EXPECT_EQ(p.filename(), "checkpoint-" + std::to_string(e));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // distinct modification times
  }
  EXPECT_FALSE(fs::exists(dir.path / "checkpoint-1"));
  EXPECT_FALSE(fs::exists(dir.path / "checkpoint-2"));
  EXPECT_TRUE(fs::exists(dir.path / "checkpoint-3"));
  expect_same(make_checkpoint(4), io::load_checkpoint(dir.path));
  // A name already taken is never overwritten.
  EXPECT_EQ(io::save_checkpoint(dir.path, make_checkpoint(5), "checkpoint-4").filename(), "checkpoint-4-2");
  expect_same(make_checkpoint(4), io::load_checkpoint(dir.path / "checkpoint-4"));
  expect_same(make_checkpoint(5), io::load_checkpoint(dir.path));
}

TEST(Checkpoint, AWriterFailingMidwayLeavesTheLatestLoadable) {
  iotest::ScratchDir dir("ckpt_fail");
  io::Checkpoint first = make_checkpoint(1);
  io::save_checkpoint(dir.path, first);
  // The model group is written, then the optimizer group fails.
  io::Checkpoint broken = make_checkpoint(2);
  broken.tensors["optimizer"]["state.1.exp_avg"] = Tensor();
  EXPECT_THROW(io::save_checkpoint(dir.path, broken), Error);
  expect_same(first, io::load_checkpoint(dir.path));
  for (const auto& e : fs::directory_iterator(dir.path))
    EXPECT_FALSE(e.path().filename().string().starts_with(".tmp")) << "left behind: " << e.path();
  // A killed writer's leftovers (a temporary directory with a partial file) are ignored, then cleaned up.
  fs::create_directory(dir.path / ".tmp-12345.0.abc");
  iotest::write_file(dir.path / ".tmp-12345.0.abc" / "model.safetensors", "\x10\0\0");
  expect_same(first, io::load_checkpoint(dir.path));
  io::save_checkpoint(dir.path, make_checkpoint(2));
  EXPECT_FALSE(fs::exists(dir.path / ".tmp-12345.0.abc"));
  expect_same(make_checkpoint(2), io::load_checkpoint(dir.path));
}

TEST(Checkpoint, WritersKilledAtRandomMomentsNeverCorruptTheLatest) {
  iotest::ScratchDir dir("ckpt_kill");
  io::Checkpoint c = make_checkpoint(1, 1 << 20);  // ~16 MB, so a kill often lands mid-write
  c.state["version"] = 0;
  auto t0 = std::chrono::steady_clock::now();
  io::save_checkpoint(dir.path, c);
  // Kill moments spread over about three saves, so some land mid-write and some after a complete one.
  int save_ms = int(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count());
  std::mt19937 rng(7);
  int interrupted = 0, advanced = 0;
  for (int round = 1; round <= 6; ++round) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child only writes files (no OpenMP work, which is not fork-safe), forever, until killed.
      for (int v = round * 1000;; ++v) {
        c.state["version"] = v;
        io::save_checkpoint(dir.path, c, "", 2);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng() % (3 * save_ms + 1)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    interrupted += WIFSIGNALED(status);
    io::Checkpoint back = io::load_checkpoint(dir.path);
    int v = back.state["version"].get<int>();
    EXPECT_TRUE(v == 0 || v / 1000 <= round) << v;
    advanced += v / 1000 == round;
    back.state["version"] = 0;
    c.state["version"] = 0;
    expect_same(c, back);
  }
  EXPECT_EQ(interrupted, 6);
  RecordProperty("rounds_with_a_completed_save", advanced);
}

TEST(Checkpoint, Errors) {
  iotest::ScratchDir dir("ckpt_err");
  io::Checkpoint c = make_checkpoint(1);
  c.tensors["../x"] = {{"a", ones({1})}};
  EXPECT_THROW(io::save_checkpoint(dir.path, c), ValueError);
  EXPECT_THROW(io::save_checkpoint(dir.path, make_checkpoint(1), "a/b"), ValueError);
  iotest::write_file(dir.path / "a_file", "x");  // file system failures arrive as ember::Error too
  EXPECT_THROW(io::save_checkpoint(dir.path / "a_file", make_checkpoint(1)), Error);
  EXPECT_THROW(save_sharded(make_checkpoint(1).tensors["model"], dir.path / "a_file"), Error);
  try {
    io::load_checkpoint(dir.path);
    ADD_FAILURE() << "loaded an empty directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is not a checkpoint"), std::string::npos) << e.what();
  }
  io::save_checkpoint(dir.path, make_checkpoint(1));
  iotest::write_file(dir.path / "checkpoint-1" / "state.json", "{\"epoch\": ");
  EXPECT_THROW(io::load_checkpoint(dir.path), Error);
}
