#pragma once
// A progress bar like tqdm's, for training loops:
//
//   ember::utils::ProgressBar bar(loader_size, "epoch 1", "batch");
//   for (...) { ...; bar.set_postfix({{"loss", loss}, {"acc", acc}}); bar.update(); }
//   -> epoch 1:  45%|████▍     | 422/938 [00:03<00:04, 120.57batch/s, loss=0.31, acc=0.89]
//
// On a terminal it redraws one line with '\r' (at most every `mininterval` seconds); elsewhere (a CI log,
// a file) it prints a plain line at each 10% of the total and at least every `plain_interval` seconds, and
// a last line at close().
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ember::utils {

class ProgressBar {
 public:
  // total <= 0: unknown length (no percentage, bar or ETA). out: std::cerr by default; dynamic: redraw
  // in place, by default when `out` is std::cerr and stderr is a terminal.
  explicit ProgressBar(int64_t total = -1, std::string desc = "", std::string unit = "it", std::ostream* out = nullptr,
                       std::optional<bool> dynamic = {}, double mininterval = 0.1, double plain_interval = 30);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void update(int64_t n = 1);
  void set_description(std::string desc);
  // Numbers formatted as tqdm does ({:.3g}, or the plain value when that is shorter), joined by ", ".
  void set_postfix(const std::vector<std::pair<std::string, double>>& values);
  void set_postfix_str(std::string s);
  void reset(std::optional<int64_t> total = {});
  void close();

  int64_t n() const { return n_; }
  double elapsed() const;
  // The line as it would be drawn now.
  std::string str() const;

  // tqdm.format_meter: "<desc>: <pct>%|<bar>| n/total [elapsed<remaining, rate<unit>/s, postfix]".
  // ncols: total width (the bar takes what the text leaves, at least 1 cell); 0: no bar (the plain
  // lines); -1: a 10-cell bar.
  // rate: units per second, or nullopt to derive it from n / elapsed.
  static std::string format_meter(int64_t n, int64_t total, double elapsed, int ncols = -1, const std::string& desc = "",
                                   const std::string& unit = "it", std::optional<double> rate = {},
                                   const std::string& postfix = "");
  static std::string format_interval(double seconds);  // 00:42, 01:02:03
  static std::string format_num(double x);             // tqdm's postfix number format

  // Used by the logger to keep messages and a bar on the terminal apart.
  void clear_line();
  void redraw();

 private:
  void render(bool force);
  double now() const;

  int64_t total_, n_ = 0, last_printed_n_ = 0;
  std::string desc_, unit_, postfix_;
  std::ostream* out_;
  bool dynamic_, closed_ = false;
  double mininterval_, plain_interval_;
  double start_, last_draw_ = -1e300;
  size_t last_len_ = 0;
};

}  // namespace ember::utils
