#pragma once
// Helpers for the io/utils tests: a scratch directory and the venv's Python running a checker script
// from tests/io with the reference libraries (safetensors, tensorboard, torch).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace iotest {

inline std::filesystem::path scratch_dir(const std::string& tag) {
  auto base = std::filesystem::temp_directory_path() /
              ("ember_" + tag + "_" + std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(base);
  return base;
}

struct ScratchDir {
  std::filesystem::path path;
  explicit ScratchDir(const std::string& tag) : path(scratch_dir(tag)) {}
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

inline bool have_python() { return std::filesystem::exists(EMBER_VENV_PYTHON); }

struct Result {
  int status;
  std::string output;
};

// Runs `python tests/io/<script> <args>` and returns its exit status with stdout and stderr.
inline Result run_python(const std::string& script, const std::string& args) {
  std::string cmd = std::string("'") + EMBER_VENV_PYTHON + "' '" + EMBER_IO_SCRIPTS + "/" + script + "' " + args + " 2>&1";
  Result r{-1, {}};
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
inline void write_file(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}

}  // namespace iotest

#define EMBER_REQUIRE_PYTHON()                                                                   \
  do {                                                                                           \
    if (!iotest::have_python()) GTEST_SKIP() << "no Python venv at " EMBER_VENV_PYTHON " (make venv)"; \
  } while (0)
