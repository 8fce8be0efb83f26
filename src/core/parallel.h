#pragma once
// parallel_for over [begin, end): one OpenMP team sized by set_num_threads. Work at or below the grain
// size stays on the calling thread, so small ops pay nothing for threading. The body must not throw:
// every check happens before a kernel starts.
#include <omp.h>

#include <algorithm>
#include <cstdint>

#include <ember/core/parallel.h>

namespace ember::core {

template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
  int64_t n = end - begin;
  if (n <= 0) return;
  int nt = get_num_threads();
  if (nt <= 1 || n <= grain || omp_in_parallel()) {
    f(begin, end);
    return;
  }
  int64_t chunks = std::min<int64_t>(nt, (n + grain - 1) / grain);
#pragma omp parallel num_threads(int(chunks))
  {
    int64_t tid = omp_get_thread_num();
    int64_t per = (n + chunks - 1) / chunks;
    int64_t b = begin + tid * per;
    int64_t e = std::min(end, b + per);
    if (b < e) f(b, e);
  }
}

}  // namespace ember::core
