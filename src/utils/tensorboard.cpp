// SummaryWriter: PyTorch's writer over EventFileWriter, plus the hparams plugin's protos
// (tensorboard/plugins/hparams/{plugin_data,api}.proto, google/protobuf/struct.proto).
#include <ember/utils/tensorboard.h>
#include <unistd.h>

#include <charconv>
#include <ctime>
#include <filesystem>

#include "utils/event_file_writer.h"
#include "utils/proto_writer.h"
#include "utils/summaries.h"

namespace ember::utils::tensorboard {

namespace {

using detail::ProtoWriter;

std::string default_logdir(const std::string& comment) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char when[64];
  std::strftime(when, sizeof when, "%b%d_%H-%M-%S", &tm);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return (std::filesystem::path("runs") / (std::string(when) + "_" + host + comment)).string();
}

// google.protobuf.Value: number_value = 2, string_value = 3.
ProtoWriter struct_value(const HParam& v) {
  ProtoWriter w;
  if (auto* d = std::get_if<double>(&v.value)) w.double_field(2, *d);
  else w.bytes_field(3, std::get<std::string>(v.value));
  return w;
}

// Summary { value { tag, metadata { plugin_data { plugin_name: "hparams", content } } } }
std::string hparams_summary(const std::string& tag, int data_field, const ProtoWriter& data) {
  ProtoWriter content;  // HParamsPluginData { version = 1 (0, omitted), <data_field> = data }
  content.message_field(data_field, data);
  ProtoWriter plugin;
  plugin.bytes_field(1, "hparams").bytes_field(2, content.bytes());
  ProtoWriter meta;
  meta.message_field(1, plugin);
  ProtoWriter value;
  value.bytes_field(1, tag).message_field(9, meta);
  ProtoWriter s;
  s.message_field(1, value);
  return s.bytes();
}

std::string python_float_repr(double x) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

}  // namespace

SummaryWriter::SummaryWriter(std::string log_dir, std::string comment, std::optional<int64_t> purge_step,
                             int max_queue, double flush_secs, std::string filename_suffix)
    : log_dir_(log_dir.empty() ? default_logdir(comment) : std::move(log_dir)),
      filename_suffix_(std::move(filename_suffix)),
      max_queue_(max_queue),
      flush_secs_(flush_secs) {
  EventFileWriter& w = writer_for(log_dir_);
  if (purge_step) {
    double t = now_seconds();
    w.add_event(encode_event(t, purge_step, 3, "brain.Event:2"));
    ProtoWriter session_log;  // SessionLog { status = 1: START }
    session_log.varint_field(1, 1);
    w.add_event(encode_event(t, purge_step, 7, session_log.bytes()));
  }
}

SummaryWriter::~SummaryWriter() {
  std::lock_guard<std::mutex> lock(mu_);
  writers_.clear();  // each closes (and flushes) its file
}

std::string SummaryWriter::file_path() const {
  std::lock_guard<std::mutex> lock(mu_);
  return main_ ? main_->path() : "";
}

EventFileWriter& SummaryWriter::writer_for(const std::string& dir) {
  auto it = writers_.find(dir);
  if (it == writers_.end())
    it = writers_.emplace(dir, std::make_unique<EventFileWriter>(dir, max_queue_, flush_secs_, filename_suffix_)).first;
  if (dir == log_dir_) main_ = it->second.get();
  return *it->second;
}

void SummaryWriter::add_summary(EventFileWriter& w, const std::string& summary, std::optional<int64_t> step,
                                std::optional<double> walltime) {
  w.add_event(encode_event(walltime ? *walltime : now_seconds(), step, 5, summary));
}

void SummaryWriter::add_scalar(const std::string& tag, double scalar_value, std::optional<int64_t> global_step,
                               std::optional<double> walltime) {
  std::lock_guard<std::mutex> lock(mu_);
  add_summary(writer_for(log_dir_), scalar_summary(tag, scalar_value), global_step, walltime);
}

void SummaryWriter::add_scalar(const std::string& tag, const Tensor& scalar_value, std::optional<int64_t> global_step,
                               std::optional<double> walltime) {
  EMBER_CHECK_VALUE(scalar_value.numel() == 1, "Tensor should contain one element (0 dimensions). Was given size: ",
                    scalar_value.numel(), " and ", scalar_value.dim(), " dimensions.");
  add_scalar(tag, scalar_value.detach().cpu().to(kFloat64).item<double>(), global_step, walltime);
}

void SummaryWriter::add_scalars(const std::string& main_tag, const std::map<std::string, double>& tag_scalar_dict,
                                std::optional<int64_t> global_step, std::optional<double> walltime) {
  std::lock_guard<std::mutex> lock(mu_);
  std::string flat = main_tag;
  std::replace(flat.begin(), flat.end(), '/', '_');
  double t = walltime ? *walltime : now_seconds();
  for (const auto& [tag, value] : tag_scalar_dict)
    add_summary(writer_for(log_dir_ + "/" + flat + "_" + tag), scalar_summary(main_tag, value), global_step, t);
}

void SummaryWriter::add_histogram(const std::string& tag, const Tensor& values, std::optional<int64_t> global_step,
                                  const Bins& bins, std::optional<double> walltime, std::optional<int64_t> max_bins) {
  std::string s = histogram_summary(tag, values, bins, max_bins);
  std::lock_guard<std::mutex> lock(mu_);
  add_summary(writer_for(log_dir_), s, global_step, walltime);
}

void SummaryWriter::add_image(const std::string& tag, const Tensor& img_tensor, std::optional<int64_t> global_step,
                              std::optional<double> walltime, const std::string& dataformats) {
  std::string s = image_summary(tag, img_tensor, dataformats);
  std::lock_guard<std::mutex> lock(mu_);
  add_summary(writer_for(log_dir_), s, global_step, walltime);
}

void SummaryWriter::add_images(const std::string& tag, const Tensor& img_tensor, std::optional<int64_t> global_step,
                               std::optional<double> walltime, const std::string& dataformats) {
  EMBER_CHECK_VALUE(dataformats.size() == 4, "add_images: dataformats must have 4 letters (NCHW, NHWC), got '",
                    dataformats, "'");
  add_image(tag, img_tensor, global_step, walltime, dataformats);
}

void SummaryWriter::add_text(const std::string& tag, const std::string& text_string, std::optional<int64_t> global_step,
                             std::optional<double> walltime) {
  std::lock_guard<std::mutex> lock(mu_);
  add_summary(writer_for(log_dir_), text_summary(tag, text_string), global_step, walltime);
}

void SummaryWriter::add_hparams(const std::map<std::string, HParam>& hparam_dict,
                                const std::map<std::string, double>& metric_dict,
                                const std::map<std::string, std::vector<HParam>>& hparam_domain_discrete,
                                const std::string& run_name, std::optional<int64_t> global_step) {
  ProtoWriter start, experiment;
  for (const auto& [name, value] : hparam_dict) {
    ProtoWriter entry;  // map<string, Value> entry { key = 1, value = 2 }
    entry.bytes_field(1, name).message_field(2, struct_value(value));
    start.message_field(1, entry);
    ProtoWriter info;  // HParamInfo { name = 1, type = 4, domain_discrete = 5 }
    bool number = std::holds_alternative<double>(value.value);
    info.bytes_field(1, name).varint_field(4, number ? 3 : 1);  // DATA_TYPE_FLOAT64 : DATA_TYPE_STRING
    if (auto d = hparam_domain_discrete.find(name); d != hparam_domain_discrete.end()) {
      ProtoWriter list;  // ListValue { values = 1 }
      for (const auto& v : d->second) {
        EMBER_CHECK_VALUE(std::holds_alternative<double>(v.value) == number, "add_hparams: the domain of '", name,
                          "' mixes numbers and strings");
        list.message_field(1, struct_value(v));
      }
      info.message_field(5, list);
    }
    experiment.message_field(4, info);
  }
  for (const auto& [tag, value] : metric_dict) {
    ProtoWriter metric_name, metric_info;  // MetricInfo { name = 1: MetricName { tag = 2 } }
    metric_name.bytes_field(2, tag);
    metric_info.message_field(1, metric_name);
    experiment.message_field(5, metric_info);
  }
  ProtoWriter end;  // SessionEndInfo { status = 1: STATUS_SUCCESS }
  end.varint_field(1, 1);

  std::string dir = log_dir_ + "/" + (run_name.empty() ? python_float_repr(now_seconds()) : run_name);
  EventFileWriter w(dir, max_queue_, flush_secs_, filename_suffix_);
  double t = now_seconds();
  w.add_event(encode_event(t, std::nullopt, 5, hparams_summary("_hparams_/experiment", 2, experiment)));
  w.add_event(encode_event(t, std::nullopt, 5, hparams_summary("_hparams_/session_start_info", 3, start)));
  w.add_event(encode_event(t, std::nullopt, 5, hparams_summary("_hparams_/session_end_info", 4, end)));
  for (const auto& [tag, value] : metric_dict)
    w.add_event(encode_event(now_seconds(), global_step, 5, scalar_summary(tag, value)));
  w.close();
}

void SummaryWriter::flush() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [dir, w] : writers_) w->flush();
}

void SummaryWriter::close() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [dir, w] : writers_) w->close();
  writers_.clear();  // as PyTorch: a later add_* opens a new event file
  main_ = nullptr;
}

}  // namespace ember::utils::tensorboard
