#pragma once
// TensorBoard logging with torch.utils.tensorboard's SummaryWriter API: event files that TensorBoard
// opens (TFRecord framing with masked CRC-32C, first record file_version "brain.Event:2"), named
// events.out.tfevents.<time>.<host>.<pid>.<n> like PyTorch's, so several writers share a logdir.
//
//   ember::utils::tensorboard::SummaryWriter w("runs/exp1");
//   w.add_scalar("loss/train", loss, step);
//
// Events are buffered and written when max_queue of them are pending, when flush_secs have passed at
// the next event, on flush(), and on close() or destruction.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <ember/tensor.h>

namespace ember::utils::tensorboard {

// Histogram bins as PyTorch's `bins`: "tensorflow" (the default, TensorFlow's exponential buckets), a
// number of equal bins between the values' min and max, or explicit bin edges.
struct Bins {
  Bins(const char* name) : spec(std::string(name)) {}         // NOLINT: implicit like a Python argument
  Bins(std::string name) : spec(std::move(name)) {}           // NOLINT
  Bins(int64_t count) : spec(count) {}                        // NOLINT
  Bins(int count) : spec(int64_t(count)) {}                   // NOLINT
  Bins(std::vector<double> edges) : spec(std::move(edges)) {}  // NOLINT
  std::variant<std::string, int64_t, std::vector<double>> spec;
};

// An hparam value: a number (bools become 0/1, as in PyTorch, where bool is an int) or a string.
struct HParam {
  HParam(double v) : value(v) {}                       // NOLINT
  HParam(int v) : value(double(v)) {}                  // NOLINT
  HParam(int64_t v) : value(double(v)) {}              // NOLINT
  HParam(bool v) : value(v ? 1.0 : 0.0) {}             // NOLINT
  HParam(const char* v) : value(std::string(v)) {}     // NOLINT
  HParam(std::string v) : value(std::move(v)) {}       // NOLINT
  std::variant<double, std::string> value;
};

class EventFileWriter;

class SummaryWriter {
 public:
  // log_dir defaults to runs/<Mon>DD_HH-MM-SS_<host><comment>, as PyTorch's. A purge_step makes
  // TensorBoard drop events at or after that step from earlier runs in the logdir (for resuming).
  explicit SummaryWriter(std::string log_dir = "", std::string comment = "", std::optional<int64_t> purge_step = {},
                         int max_queue = 10, double flush_secs = 120, std::string filename_suffix = "");
  ~SummaryWriter();
  SummaryWriter(const SummaryWriter&) = delete;
  SummaryWriter& operator=(const SummaryWriter&) = delete;

  const std::string& get_logdir() const { return log_dir_; }
  // The event file of the writer (the main one; add_scalars' writers live in sub-directories).
  std::string file_path() const;

  void add_scalar(const std::string& tag, double scalar_value, std::optional<int64_t> global_step = {},
                  std::optional<double> walltime = {});
  void add_scalar(const std::string& tag, const Tensor& scalar_value, std::optional<int64_t> global_step = {},
                  std::optional<double> walltime = {});
  // One run per key, in <logdir>/<main_tag with / as _>_<key>, each logging tag main_tag.
  void add_scalars(const std::string& main_tag, const std::map<std::string, double>& tag_scalar_dict,
                   std::optional<int64_t> global_step = {}, std::optional<double> walltime = {});
  void add_histogram(const std::string& tag, const Tensor& values, std::optional<int64_t> global_step = {},
                     const Bins& bins = "tensorflow", std::optional<double> walltime = {},
                     std::optional<int64_t> max_bins = {});
  // img_tensor: float values in [0, 1] or uint8 in [0, 255]; dataformats CHW, HWC, HW (1 or 3 or 4
  // channels); add_images takes NCHW/NHWC and tiles the images in a grid of 8 columns.
  void add_image(const std::string& tag, const Tensor& img_tensor, std::optional<int64_t> global_step = {},
                 std::optional<double> walltime = {}, const std::string& dataformats = "CHW");
  void add_images(const std::string& tag, const Tensor& img_tensor, std::optional<int64_t> global_step = {},
                  std::optional<double> walltime = {}, const std::string& dataformats = "NCHW");
  void add_text(const std::string& tag, const std::string& text_string, std::optional<int64_t> global_step = {},
                std::optional<double> walltime = {});
  // A run <logdir>/<run_name> (default: the current time) holding the hparams and the metrics.
  void add_hparams(const std::map<std::string, HParam>& hparam_dict, const std::map<std::string, double>& metric_dict,
                   const std::map<std::string, std::vector<HParam>>& hparam_domain_discrete = {},
                   const std::string& run_name = "", std::optional<int64_t> global_step = {});

  void flush();
  void close();

 private:
  EventFileWriter& writer_for(const std::string& dir);
  void add_summary(EventFileWriter& w, const std::string& summary, std::optional<int64_t> step,
                   std::optional<double> walltime);

  std::string log_dir_, filename_suffix_;
  int max_queue_;
  double flush_secs_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<EventFileWriter>> writers_;  // by directory; the main one too
  EventFileWriter* main_ = nullptr;
};

}  // namespace ember::utils::tensorboard
