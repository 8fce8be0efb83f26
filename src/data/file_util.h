#pragma once
// Reading whole data files, gzip-compressed or not, with errors that name the file.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <ember/core/error.h>

namespace ember::data::detail {

using Bytes = std::vector<uint8_t>;

// The file's bytes; an Error naming the file if it cannot be read.
Bytes read_file(const std::string& path);
// The file's bytes, inflated if they start with gzip's magic number; an Error naming the file for a
// corrupt or truncated stream.
Bytes read_maybe_gzip(const std::string& path);

// Errors name the file first, as "<path>: <what>".
template <class... Args>
[[noreturn]] void file_error(const std::string& path, const Args&... args) {
  throw Error(::ember::detail::str(path, ": ", args...));
}

}  // namespace ember::data::detail
