#include <ember/core/device.h>
#include <ember/core/error.h>

namespace ember {

Device::Device(const std::string& spec) {
  auto colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  if (kind == "cpu") type_ = kCPU;
  else if (kind == "cuda") type_ = kCUDA;
  else throw Error("Expected one of cpu, cuda device type at start of device string: " + spec);
  if (colon != std::string::npos) {
    std::string idx = spec.substr(colon + 1);
    EMBER_CHECK(!idx.empty() && idx.size() < 4 && idx.find_first_not_of("0123456789") == std::string::npos,
                "Invalid device string: '", spec, "'");
    index_ = int8_t(std::stoi(idx));
  }
}

std::string Device::str() const {
  std::string s = type_ == kCPU ? "cpu" : "cuda";
  if (index_ >= 0) {
    // Appended in two steps: `":" + std::to_string(...)` trips GCC 12's false -Wrestrict warning.
    s += ':';
    s += std::to_string(index_);
  }
  return s;
}

}  // namespace ember
