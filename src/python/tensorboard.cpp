// TensorBoard event files (ember/utils/tensorboard.h) behind ember.utils.tensorboard.SummaryWriter; the
// Python class there turns Python numbers, ember tensors and NumPy arrays into what these take.
#include <nanobind/stl/map.h>

#include "python/bind.h"

namespace ember::python {
namespace {

using utils::tensorboard::Bins;
using utils::tensorboard::HParam;
using utils::tensorboard::SummaryWriter;

// bool before int: a Python bool is an int, and PyTorch logs it as 0/1 either way.
HParam hparam_of(nb::handle v) {
  if (PyBool_Check(v.ptr())) return HParam(v.ptr() == Py_True);
  if (PyLong_Check(v.ptr())) return HParam(nb::cast<int64_t>(v));
  if (PyFloat_Check(v.ptr())) return HParam(nb::cast<double>(v));
  if (PyUnicode_Check(v.ptr())) return HParam(nb::cast<std::string>(v));
  throw nb::value_error("add_hparams: a value must be bool, int, float or str");
}

}  // namespace

void bind_tensorboard(nb::module_& m) {
  nb::class_<SummaryWriter>(m, "_SummaryWriter")
      .def(nb::init<std::string, std::string, std::optional<int64_t>, int, double, std::string>(), "log_dir"_a,
           "comment"_a, "purge_step"_a.none(), "max_queue"_a, "flush_secs"_a, "filename_suffix"_a)
      .def("get_logdir", &SummaryWriter::get_logdir)
      .def("file_path", &SummaryWriter::file_path)
      .def("add_scalar",
           nb::overload_cast<const std::string&, double, std::optional<int64_t>, std::optional<double>>(
               &SummaryWriter::add_scalar),
           "tag"_a, "scalar_value"_a, "global_step"_a.none(), "walltime"_a.none())
      .def("add_scalars", &SummaryWriter::add_scalars, "main_tag"_a, "tag_scalar_dict"_a, "global_step"_a.none(),
           "walltime"_a.none())
      .def(
          "add_histogram",
          [](SummaryWriter& w, const std::string& tag, const Tensor& values, std::optional<int64_t> step,
             nb::handle bins, std::optional<double> walltime, std::optional<int64_t> max_bins) {
            std::optional<Bins> b;
            if (PyUnicode_Check(bins.ptr())) b = Bins(nb::cast<std::string>(bins));
            else if (PyLong_Check(bins.ptr())) b = Bins(nb::cast<int64_t>(bins));
            else b = Bins(nb::cast<std::vector<double>>(bins));
            w.add_histogram(tag, values, step, *b, walltime, max_bins);
          },
          "tag"_a, "values"_a, "global_step"_a.none(), "bins"_a, "walltime"_a.none(), "max_bins"_a.none())
      .def("add_image", &SummaryWriter::add_image, "tag"_a, "img_tensor"_a, "global_step"_a.none(),
           "walltime"_a.none(), "dataformats"_a)
      .def("add_images", &SummaryWriter::add_images, "tag"_a, "img_tensor"_a, "global_step"_a.none(),
           "walltime"_a.none(), "dataformats"_a)
      .def("add_text", &SummaryWriter::add_text, "tag"_a, "text_string"_a, "global_step"_a.none(),
           "walltime"_a.none())
      .def(
          "add_hparams",
          [](SummaryWriter& w, nb::dict hparam_dict, const std::map<std::string, double>& metric_dict,
             std::optional<nb::dict> domain, const std::string& run_name, std::optional<int64_t> step) {
            std::map<std::string, HParam> hp;
            for (auto [k, v] : hparam_dict) hp.emplace(nb::cast<std::string>(k), hparam_of(v));
            std::map<std::string, std::vector<HParam>> dom;
            if (domain)
              for (auto [k, vs] : *domain) {
                std::vector<HParam> values;
                for (nb::handle v : vs) values.push_back(hparam_of(v));
                dom.emplace(nb::cast<std::string>(k), std::move(values));
              }
            w.add_hparams(hp, metric_dict, dom, run_name, step);
          },
          "hparam_dict"_a, "metric_dict"_a, "hparam_domain_discrete"_a.none(), "run_name"_a, "global_step"_a.none())
      .def("flush", &SummaryWriter::flush)
      .def("close", &SummaryWriter::close);
}

}  // namespace ember::python
