// The progress bar against tqdm's formats (the expected lines follow tqdm/std.py's format_meter, Bar,
// format_interval and format_num), its terminal and plain-log modes, and the logger.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include <ember/ember.h>

using ember::utils::ProgressBar;
namespace elog = ember::utils::log;  // not `log`: that is ::log of <cmath>

TEST(Progress, FormatIntervalAndNumbers) {
  EXPECT_EQ(ProgressBar::format_interval(0), "00:00");
  EXPECT_EQ(ProgressBar::format_interval(65.9), "01:05");
  EXPECT_EQ(ProgressBar::format_interval(3725), "1:02:05");
  EXPECT_EQ(ProgressBar::format_num(0.31), "0.31");
  EXPECT_EQ(ProgressBar::format_num(0.123456), "0.123");
  EXPECT_EQ(ProgressBar::format_num(1.0), "1");
  EXPECT_EQ(ProgressBar::format_num(12345.678), "1.23e+4");
  EXPECT_EQ(ProgressBar::format_num(1e-5), "1e-5");
  EXPECT_EQ(ProgressBar::format_num(100), "100");
}

TEST(Progress, FormatMeterAsTqdm) {
  // tqdm.format_meter(422, 938, 3.5, prefix="train", postfix="loss=0.31, acc=0.89")
  EXPECT_EQ(ProgressBar::format_meter(422, 938, 3.5, -1, "train", "it", {}, "loss=0.31, acc=0.89"),
            "train:  45%|████▍     | 422/938 [00:03<00:04, 120.57it/s, loss=0.31, acc=0.89]");
  // ncols=0: no bar, the form of the plain log lines
  EXPECT_EQ(ProgressBar::format_meter(422, 938, 3.5, 0, "train", "it", {}, "loss=0.31, acc=0.89"),
            "train:  45% 422/938 [00:03<00:04, 120.57it/s, loss=0.31, acc=0.89]");
  EXPECT_EQ(ProgressBar::format_meter(0, 10, 0), "  0%|          | 0/10 [00:00<?, ?it/s]");
  EXPECT_EQ(ProgressBar::format_meter(10, 10, 2), "100%|██████████| 10/10 [00:02<00:00,  5.00it/s]");
  // Unknown total; slower than one unit per second shows seconds per unit.
  EXPECT_EQ(ProgressBar::format_meter(5, 0, 65.0, -1, "", "img"), "5img [01:05, 13.00s/img]");
  // Past the total: shown as an unknown total.
  EXPECT_EQ(ProgressBar::format_meter(12, 10, 4.0), "12it [00:04,  3.00it/s]");
  // A width: the bar takes what the text leaves.
  std::string line = ProgressBar::format_meter(3, 8, 1.5, 60, "ep 1");
  size_t cells = 0;
  for (unsigned char c : line) cells += (c & 0xc0) != 0x80;
  EXPECT_EQ(cells, 60u) << line;
}

TEST(Progress, PlainLinesEveryTenPercentWhenNotATerminal) {
  std::ostringstream out;
  {
    ProgressBar bar(100, "epoch 1", "batch", &out, false);
    for (int i = 0; i < 100; ++i) {
      bar.set_postfix({{"loss", 0.3141}, {"acc", 0.89}});
      bar.update();
    }
  }
  std::string s = out.str();
  EXPECT_EQ(s.find('\r'), std::string::npos);
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 11u) << s;  // the start, then 10%, 20%, ..., 100%
  EXPECT_EQ(lines[0].rfind("epoch 1:   0% 0/100 [00:00<?, ?batch/s", 0), 0u) << lines[0];
  EXPECT_EQ(lines[3].rfind("epoch 1:  30% 30/100 [", 0), 0u) << lines[3];
  EXPECT_NE(lines[10].find("100/100"), std::string::npos) << lines[10];
  EXPECT_NE(lines[10].find(", loss=0.314, acc=0.89]"), std::string::npos) << lines[10];
}

TEST(Progress, RedrawsOneLineOnATerminal) {
  std::ostringstream out;
  ProgressBar bar(4, "x", "it", &out, true, /*mininterval=*/0);
  for (int i = 0; i < 4; ++i) bar.update();
  bar.close();
  std::string s = out.str();
  EXPECT_EQ(std::count(s.begin(), s.end(), '\r'), 6);  // the start, each update, the final state at close
  EXPECT_EQ(std::count(s.begin(), s.end(), '\n'), 1);  // only at close
  EXPECT_NE(s.find("4/4"), std::string::npos);
  bar.close();  // twice is harmless
  EXPECT_EQ(out.str(), s);
}

TEST(Log, LevelsAndSink) {
  std::vector<std::pair<elog::Level, std::string>> got;
  elog::set_sink([&](elog::Level l, std::string_view m) { got.emplace_back(l, std::string(m)); });
  elog::Level saved = elog::level();
  elog::set_level(elog::Level::warning);
  elog::info("hidden ", 1);
  elog::debug("hidden");
  elog::warn("epoch ", 3, ": loss ", 0.5);
  elog::error("bad");
  elog::set_level(elog::Level::debug);
  elog::debug("shown");
  elog::set_level(elog::Level::off);
  elog::error("hidden");
  elog::set_level(saved);
  elog::set_sink({});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], std::make_pair(elog::Level::warning, std::string("epoch 3: loss 0.5")));
  EXPECT_EQ(got[1].first, elog::Level::error);
  EXPECT_EQ(got[2].second, "shown");
  EXPECT_EQ(elog::parse_level("WARN"), elog::Level::warning);
  EXPECT_EQ(elog::parse_level("debug"), elog::Level::debug);
  EXPECT_THROW(elog::parse_level("loud"), ember::ValueError);
}

// Run again as a child with EMBER_LOG_LEVEL set, since the variable is read once, at first use.
TEST(Log, LevelFromEnvironment) {
  if (const char* expect = std::getenv("EMBER_LOG_TEST_EXPECT")) {
    EXPECT_EQ(elog::level_name(elog::level()), expect);
    return;
  }
  for (auto [env, expect] : {std::pair{"error", "error"}, {"Debug", "debug"}, {"nonsense", "info"}}) {
    std::string cmd = std::string("EMBER_LOG_LEVEL=") + env + " EMBER_LOG_TEST_EXPECT=" + expect +
                      " /proc/" + std::to_string(::getpid()) + "/exe --gtest_filter=Log.LevelFromEnvironment >/dev/null 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << env;
  }
}
