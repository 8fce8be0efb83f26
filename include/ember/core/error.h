#pragma once
// ember::Error and the check macros every layer uses. Messages are built only on the failure path.
#include <sstream>
#include <stdexcept>
#include <string>

namespace ember {

// Base of every error ember raises; the Python front end maps it to RuntimeError.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// Mapped to IndexError / TypeError / ValueError / NotImplementedError by the Python front end.
class IndexError : public Error {
 public:
  using Error::Error;
};
class TypeError : public Error {
 public:
  using Error::Error;
};
class ValueError : public Error {
 public:
  using Error::Error;
};
class NotImplementedError : public Error {
 public:
  using Error::Error;
};

namespace detail {
template <class... Args>
std::string str(const Args&... args) {
  std::ostringstream ss;
  (ss << ... << args);
  return ss.str();
}
}  // namespace detail
}  // namespace ember

#define EMBER_CHECK_T(ErrT, cond, ...)                        \
  do {                                                        \
    if (__builtin_expect(!(cond), 0))                         \
      throw ::ember::ErrT(::ember::detail::str(__VA_ARGS__)); \
  } while (0)
#define EMBER_CHECK(cond, ...) EMBER_CHECK_T(Error, cond, __VA_ARGS__)
#define EMBER_CHECK_INDEX(cond, ...) EMBER_CHECK_T(IndexError, cond, __VA_ARGS__)
#define EMBER_CHECK_TYPE(cond, ...) EMBER_CHECK_T(TypeError, cond, __VA_ARGS__)
#define EMBER_CHECK_VALUE(cond, ...) EMBER_CHECK_T(ValueError, cond, __VA_ARGS__)
