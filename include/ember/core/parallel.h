#pragma once
// Intra-op thread count, as torch::set_num_threads / get_num_threads.
namespace ember {
void set_num_threads(int n);
int get_num_threads();
}  // namespace ember
