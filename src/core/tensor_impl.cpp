#include <ember/autograd/meta.h>
#include <ember/core/tensor_impl.h>

namespace ember {

TensorImpl::TensorImpl(std::shared_ptr<StorageImpl> s, DType t, IntArrayRef size, IntArrayRef stride,
                       int64_t offset)
    : storage(std::move(s)), sizes(size), strides(stride), storage_offset(offset), dtype(t) {
  refresh();
}

TensorImpl::~TensorImpl() = default;

void TensorImpl::refresh() {
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  numel = n;
  bool contig = true;
  if (n != 0) {
    int64_t expected = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
      if (sizes[i] == 1) continue;
      if (strides[i] != expected) {
        contig = false;
        break;
      }
      expected *= sizes[i];
    }
  }
  is_contiguous = contig;
}

DimVector contiguous_strides(IntArrayRef sizes) {
  DimVector st(sizes.size());
  int64_t s = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    st[i] = s;
    s *= sizes[i] > 1 ? sizes[i] : 1;
  }
  return st;
}

}  // namespace ember
