#pragma once
// The message of the ember::Error a call raises, or "" when it raises none, for tests that check
// PyTorch's wording.
#include <functional>
#include <string>

#include <ember/core/error.h>

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ember::Error& e) {
    return e.what();
  }
  return "";
}
