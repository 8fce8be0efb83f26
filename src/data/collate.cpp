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

Tensor collate_tensors(const std::vector<Tensor>& batch) {
  bool alike = !batch.empty();
  for (const Tensor& t : batch) {
    alike = alike && t.defined() && t.is_cpu() && t.is_contiguous() && !t.requires_grad() &&
            t.dtype() == batch[0].dtype() && t.sizes().equals(batch[0].sizes());
    if (!alike) break;
  }
  if (!alike) return stack(batch, 0);
  std::vector<int64_t> shape{int64_t(batch.size())};
  shape.insert(shape.end(), batch[0].sizes().begin(), batch[0].sizes().end());
  Tensor out = empty(shape, batch[0].dtype());
  const size_t bytes = batch[0].nbytes();
  char* dst = static_cast<char*>(out.data_ptr());
  for (size_t i = 0; i < batch.size(); ++i)
    if (bytes) std::memcpy(dst + i * bytes, batch[i].data_ptr(), bytes);
  return out;
}

}  // namespace ember::data::detail
