// The progress bar (ember/utils/progress.h) behind ember.utils.progress.tqdm. It writes to the process's
// stderr (fd 2, the file Python's sys.stderr writes to), redrawing in place on a terminal and printing
// plain lines elsewhere.
#include "python/bind.h"

namespace ember::python {

void bind_progress(nb::module_& m) {
  using utils::ProgressBar;
  nb::class_<ProgressBar>(m, "_ProgressBar")
      .def(
          "__init__",
          [](ProgressBar* p, int64_t total, std::string desc, std::string unit, double mininterval) {
            new (p) ProgressBar(total, std::move(desc), std::move(unit), nullptr, std::nullopt, mininterval);
          },
          "total"_a, "desc"_a, "unit"_a, "mininterval"_a)
      .def("update", &ProgressBar::update, "n"_a = 1)
      .def("set_description", &ProgressBar::set_description, "desc"_a)
      .def("set_postfix_str", &ProgressBar::set_postfix_str, "s"_a)
      .def("reset", &ProgressBar::reset, "total"_a.none() = nb::none())
      .def("close", &ProgressBar::close)
      .def_prop_ro("n", &ProgressBar::n)
      .def("__str__", &ProgressBar::str);
  m.def("_progress_format_num", &ProgressBar::format_num, "x"_a);
}

}  // namespace ember::python
