#pragma once
// Sets ember's intra-op thread count for a scope and restores it after, also when a check fails.
#include <ember/core/parallel.h>

struct ThreadCount {
  int before = ember::get_num_threads();
  explicit ThreadCount(int n) { ember::set_num_threads(n); }
  ~ThreadCount() { ember::set_num_threads(before); }
  ThreadCount(const ThreadCount&) = delete;
  ThreadCount& operator=(const ThreadCount&) = delete;
};
