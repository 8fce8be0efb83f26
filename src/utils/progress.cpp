// ProgressBar: tqdm's meter format (tqdm/std.py, format_meter, format_interval, format_num, Bar).
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ember/utils/progress.h>
#include <iostream>

#include "utils/terminal.h"

namespace ember::utils {

namespace detail {
std::mutex& terminal_mutex() {
  static std::mutex m;
  return m;
}
ProgressBar*& active_bar() {
  static ProgressBar* bar = nullptr;
  return bar;
}
}  // namespace detail

namespace {

std::string printf_str(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Display width of UTF-8 text (the bar's block characters are one cell, three bytes).
size_t display_width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xc0) != 0x80;
  return w;
}

int terminal_columns() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

std::string ProgressBar::format_interval(double t) {
  long long s = (long long)t;
  long long mins = s / 60, h = mins / 60, m = mins % 60;
  s %= 60;
  char buf[64];
  if (h) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", h, m, s);
  else std::snprintf(buf, sizeof buf, "%02lld:%02lld", m, s);
  return buf;
}

std::string ProgressBar::format_num(double x) {
  std::string f = printf_str("%.3g", x);
  for (const char* from : {"+0", "-0"})
    for (size_t p; (p = f.find(from)) != std::string::npos;) f.erase(p + 1, 1);
  // Python's str(float): the shortest round-trip digits, with ".0" on whole numbers.
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  std::string s(buf, r.ptr);
  if (std::isfinite(x) && s.find_first_of(".e") == std::string::npos) s += ".0";
  if (std::isinf(x)) s = x > 0 ? "inf" : "-inf";
  return f.size() < s.size() ? f : s;
}

std::string ProgressBar::format_meter(int64_t n, int64_t total, double elapsed, int ncols, const std::string& desc,
                                      const std::string& unit, std::optional<double> rate, const std::string& postfix) {
  if (total > 0 && double(n) >= double(total) + 0.5) total = 0;
  std::string elapsed_str = format_interval(elapsed);
  if (!rate && elapsed > 0) rate = double(n) / elapsed;
  bool have_rate = rate && *rate != 0;
  double inv_rate = have_rate ? 1.0 / *rate : 0;
  std::string rate_fmt = have_rate && inv_rate > 1 ? printf_str("%5.2f", inv_rate) + "s/" + unit
                                                   : (have_rate ? printf_str("%5.2f", *rate) : "?") + unit + "/s";
  std::string post = postfix.empty() ? "" : ", " + postfix;
  std::string l_bar = desc.empty() ? "" : (desc.size() >= 2 && desc.substr(desc.size() - 2) == ": " ? desc : desc + ": ");
  if (total <= 0) return l_bar + std::to_string(n) + unit + " [" + elapsed_str + ", " + rate_fmt + post + "]";
  double remaining = have_rate ? double(total - n) / *rate : 0;
  std::string remaining_str = have_rate ? format_interval(remaining) : "?";
  std::string r_bar = "| " + std::to_string(n) + "/" + std::to_string(total) + " [" + elapsed_str + "<" + remaining_str +
                      ", " + rate_fmt + post + "]";
  double frac = double(n) / double(total);
  l_bar += printf_str("%3.0f", frac * 100) + "%|";
  if (ncols == 0) return l_bar.substr(0, l_bar.size() - 1) + r_bar.substr(1);
  int cells = ncols > 0 ? std::max(1, ncols - int(display_width(l_bar + r_bar))) : 10;
  static const char* const kBlocks[] = {" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"};
  long long eighths = (long long)(frac * cells * 8);
  long long full = eighths / 8, part = eighths % 8;
  std::string bar;
  for (long long i = 0; i < full; ++i) bar += kBlocks[8];
  if (full < cells) {
    bar += kBlocks[part];
    bar.append(size_t(cells - full - 1), ' ');
  }
  return l_bar + bar + r_bar;
}

ProgressBar::ProgressBar(int64_t total, std::string desc, std::string unit, std::ostream* out,
                         std::optional<bool> dynamic, double mininterval, double plain_interval)
    : total_(total),
      desc_(std::move(desc)),
      unit_(std::move(unit)),
      out_(out ? out : &std::cerr),
      dynamic_(dynamic ? *dynamic : (out_ == &std::cerr && ::isatty(STDERR_FILENO))),
      mininterval_(mininterval),
      plain_interval_(plain_interval),
      start_(now()) {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  if (dynamic_ && out_ == &std::cerr) detail::active_bar() = this;
  render(true);
}

ProgressBar::~ProgressBar() { close(); }

double ProgressBar::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double ProgressBar::elapsed() const { return now() - start_; }

std::string ProgressBar::str() const {
  int ncols = dynamic_ ? terminal_columns() : 0;
  return format_meter(n_, total_, elapsed(), ncols, desc_, unit_, std::nullopt, postfix_);
}

void ProgressBar::clear_line() {
  if (!dynamic_ || last_len_ == 0) return;
  *out_ << '\r' << std::string(last_len_, ' ') << '\r' << std::flush;
}

void ProgressBar::redraw() {
  if (!dynamic_ || closed_) return;
  std::string line = str();
  *out_ << '\r' << line << std::flush;
  last_len_ = display_width(line);
}

// Called with terminal_mutex() held.
void ProgressBar::render(bool force) {
  if (closed_) return;
  double t = now();
  if (dynamic_) {
    if (!force && t - last_draw_ < mininterval_) return;
    std::string line = str();
    size_t w = display_width(line);
    *out_ << '\r' << line;
    if (w < last_len_) *out_ << std::string(last_len_ - w, ' ');
    *out_ << std::flush;
    last_len_ = w;
    last_draw_ = t;
    return;
  }
  // Plain lines: the start, each 10% of a known total, and at least every plain_interval seconds.
  bool decile = total_ > 0 && n_ * 10 / total_ > last_printed_n_ * 10 / total_;
  if (force || decile || t - last_draw_ >= plain_interval_) {
    *out_ << str() << '\n' << std::flush;
    last_printed_n_ = n_;
    last_draw_ = t;
  }
}

void ProgressBar::update(int64_t n) {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  n_ += n;
  render(false);
}

void ProgressBar::set_description(std::string desc) {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  desc_ = std::move(desc);
}

void ProgressBar::set_postfix(const std::vector<std::pair<std::string, double>>& values) {
  std::string s;
  for (const auto& [k, v] : values) s += (s.empty() ? "" : ", ") + k + "=" + format_num(v);
  set_postfix_str(std::move(s));
}

void ProgressBar::set_postfix_str(std::string s) {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  postfix_ = std::move(s);
}

void ProgressBar::reset(std::optional<int64_t> total) {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  if (total) total_ = *total;
  n_ = last_printed_n_ = 0;
  start_ = now();
  render(true);
}

void ProgressBar::close() {
  std::lock_guard<std::mutex> lock(detail::terminal_mutex());
  if (closed_) return;
  if (dynamic_) {
    render(true);
    *out_ << '\n' << std::flush;
  } else if (n_ != last_printed_n_) {
    *out_ << str() << '\n' << std::flush;
  }
  closed_ = true;
  if (detail::active_bar() == this) detail::active_bar() = nullptr;
}

}  // namespace ember::utils
