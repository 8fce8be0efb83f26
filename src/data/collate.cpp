#include <ember/data/collate.h>

#include <cstring>

#include <ember/ops/factory.h>

namespace ember::data::detail {

Tensor collate_numbers(const std::vector<double>& values, DType dtype) {
  return tensor(values, kFloat64).to(dtype);
}

Tensor collate_numbers(const std::vector<int64_t>& values) {
  Tensor t = empty({int64_t(values.size())}, kInt64);
  if (!values.empty()) std::memcpy(t.data_ptr(), values.data(), values.size() * sizeof(int64_t));
  return t;
}

}  // namespace ember::data::detail
