// safetensors files (ember/io/safetensors.h) under safetensors.torch's names: ember.save_file and
// ember.load_file.
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/map.h>

#include "python/bind.h"

namespace ember::python {

void bind_io(nb::module_& m) {
  m.def(
      "save_file",
      [](const TensorMap& tensors, const std::filesystem::path& filename, std::optional<MetadataMap> metadata) {
        nb::gil_scoped_release release;
        save_file(tensors, filename, metadata.value_or(MetadataMap{}));
      },
      "tensors"_a, "filename"_a, "metadata"_a = nb::none(),
      "Saves a dict of tensors to `filename` in the safetensors format, as safetensors.torch.save_file.");
  m.def(
      "load_file",
      [](const std::filesystem::path& filename, const std::string& device) {
        EMBER_CHECK(Device(device).is_cpu(), "load_file: device ", device, " is not supported; ember loads to cpu");
        nb::gil_scoped_release release;
        return load_file(filename);
      },
      "filename"_a, "device"_a = "cpu",
      "Loads a safetensors file as a dict of tensors, as safetensors.torch.load_file.");
}

}  // namespace ember::python
