#pragma once
// TensorImpl: the shared state behind a Tensor handle: storage, dtype, sizes, strides, offset, and (only
// for tensors that take part in autograd) an AutogradMeta.
#include <memory>

#include <ember/core/dtype.h>
#include <ember/core/small_vector.h>
#include <ember/core/storage.h>

namespace ember {

struct AutogradMeta;  // defined in autograd/meta.h; null for plain tensors so they pay nothing for autograd

struct TensorImpl {
  std::shared_ptr<StorageImpl> storage;
  DimVector sizes;
  DimVector strides;
  int64_t storage_offset = 0;
  int64_t numel = 0;
  DType dtype = kFloat32;
  bool is_contiguous = true;
  std::unique_ptr<AutogradMeta> autograd;

  TensorImpl(std::shared_ptr<StorageImpl> s, DType t, IntArrayRef size, IntArrayRef stride, int64_t offset);
  ~TensorImpl();
  // Recomputes numel and the contiguity flag after sizes/strides change (PyTorch's rule: size-1 dims
  // do not count).
  void refresh();
  void* data() const { return static_cast<char*>(storage->data) + storage_offset * int64_t(element_size(dtype)); }
  Device device() const { return storage->device; }
};

DimVector contiguous_strides(IntArrayRef sizes);

}  // namespace ember
