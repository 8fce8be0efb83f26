// repeat, tile, repeat_interleave and diff, composed from views (reshape, expand, narrow), clone, cat,
// index_select and pointwise ops, so their gradients (sums over the repeated copies, differences) come
// from those.
#include <algorithm>

#include "autograd/derivatives/shape_record.h"

namespace ember {

Tensor Tensor::repeat(IntArrayRef repeats) const {
  EMBER_CHECK(int64_t(repeats.size()) >= dim(),
              "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  size_t pad = repeats.size() - size_t(dim());
  DimVector target;
  for (size_t i = 0; i < repeats.size(); ++i)
    target.push_back(repeats[i] * (i < pad ? 1 : size(int64_t(i - pad))));
  for (int64_t s : target)
    EMBER_CHECK(s >= 0, "Trying to create tensor with negative dimension ", s, ": ", IntArrayRef(target));
  // Output dim i, of size repeats[i] * size[i], is the pair (copy, position): view self as
  // (1, s0, 1, s1, ...), expand to (r0, s0, r1, s1, ...) and materialise.
  DimVector unit, expanded;
  for (size_t i = 0; i < repeats.size(); ++i) {
    int64_t s = i < pad ? 1 : size(int64_t(i - pad));
    unit.push_back(1);
    unit.push_back(s);
    expanded.push_back(repeats[i]);
    expanded.push_back(s);
  }
  return reshape(unit).expand(expanded).clone().view(target);
}

Tensor Tensor::tile(IntArrayRef reps) const {
  if (int64_t(reps.size()) >= dim()) return repeat(reps);
  DimVector padded(size_t(dim()) - reps.size(), 1);
  for (int64_t r : reps) padded.push_back(r);
  return repeat(padded);
}
Tensor tile(const Tensor& self, IntArrayRef reps) { return self.tile(reps); }

namespace {
void check_output_size(std::optional<int64_t> output_size, int64_t total) {
  EMBER_CHECK(!output_size || *output_size == total, "repeat_interleave: output_size ", output_size.value_or(0),
              " does not match the repeated size ", total);
}

// The tensor repeat_interleave works on: self along `dim`, or self flattened when no dim is given.
Tensor interleave_input(const Tensor& self, std::optional<int64_t> dim) {
  if (!dim) return self.flatten();
  EMBER_CHECK_INDEX(self.dim() > 0, "Dimension specified as ", *dim, " but tensor has no dimensions");
  return self;
}

// PyTorch 1.13's wording (a dispatch error, RuntimeError); later versions raise TypeError.
void check_repeats_dtype(const Tensor& repeats) {
  EMBER_CHECK(repeats.dtype() == kInt64 || repeats.dtype() == kInt32, "\"repeat_interleave_cpu\" not implemented for '",
              dtype_title(repeats.dtype()), "'");
}

std::vector<int64_t> repeat_counts(const Tensor& repeats) {
  Tensor r = repeats.to(kInt64).cpu().contiguous();
  std::vector<int64_t> counts(r.data_ptr<int64_t>(), r.data_ptr<int64_t>() + r.numel());
  for (int64_t c : counts) EMBER_CHECK(c >= 0, "repeats can not be negative");
  return counts;
}
}  // namespace

Tensor Tensor::repeat_interleave(int64_t repeats, std::optional<int64_t> dim, std::optional<int64_t> output_size) const {
  EMBER_CHECK(repeats >= 0, "repeats can not be negative");
  Tensor input = interleave_input(*this, dim);
  int64_t d = ops::maybe_wrap_dim(dim.value_or(0), input.dim());
  check_output_size(output_size, input.size(d) * repeats);
  // (…, n, …) -> (…, n, r, …) with the new dim expanded, then merged: each slice repeated in place.
  DimVector expanded(input.sizes());
  expanded.insert(size_t(d + 1), repeats);
  return input.unsqueeze(d + 1).expand(expanded).clone().flatten(d, d + 1);
}

Tensor Tensor::repeat_interleave(const Tensor& repeats, std::optional<int64_t> dim,
                                 std::optional<int64_t> output_size) const {
  check_repeats_dtype(repeats);
  Tensor input = interleave_input(*this, dim);
  int64_t d = ops::maybe_wrap_dim(dim.value_or(0), input.dim());
  if (repeats.dim() == 0 || (repeats.dim() == 1 && repeats.size(0) == 1)) {
    std::vector<int64_t> counts = repeat_counts(repeats);
    return input.repeat_interleave(counts[0], d, output_size);
  }
  EMBER_CHECK(repeats.dim() == 1, "repeats must be 0-dim or 1-dim tensor");
  EMBER_CHECK(repeats.size(0) == input.size(d), "repeats must have the same size as input along dim");
  std::vector<int64_t> counts = repeat_counts(repeats);
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  check_output_size(output_size, total);
  // As PyTorch: index_select with each position repeated its count of times (one pass, whatever the
  // number of repeats; the gradient is index_select's).
  Tensor idx = empty({total}, TensorOptions(kInt64));
  int64_t* p = idx.data_ptr<int64_t>();
  for (size_t i = 0; i < counts.size(); ++i) p = std::fill_n(p, counts[i], int64_t(i));
  return input.index_select(d, idx.to(input.device()));
}

Tensor repeat_interleave(const Tensor& self, int64_t repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  return self.repeat_interleave(repeats, dim, output_size);
}
Tensor repeat_interleave(const Tensor& self, const Tensor& repeats, std::optional<int64_t> dim,
                         std::optional<int64_t> output_size) {
  return self.repeat_interleave(repeats, dim, output_size);
}

Tensor repeat_interleave(const Tensor& repeats, std::optional<int64_t> output_size) {
  EMBER_CHECK(repeats.dim() == 1, "repeat_interleave only accept 1D vector as repeat");
  check_repeats_dtype(repeats);
  std::vector<int64_t> counts = repeat_counts(repeats);
  int64_t total = 0;
  for (int64_t c : counts) total += c;
  check_output_size(output_size, total);
  Tensor out = ops::empty({total}, kInt64, Device(kCPU));
  int64_t* p = out.data_ptr<int64_t>();
  for (size_t i = 0; i < counts.size(); ++i) p = std::fill_n(p, counts[i], int64_t(i));
  return ops::cast(out, repeats.dtype()).to(repeats.device());
}

Tensor Tensor::diff(int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
                    const std::optional<Tensor>& append) const {
  EMBER_CHECK(this->dim() >= 1, "diff expects input to be at least one-dimensional");
  EMBER_CHECK(n >= 0, "order must be non-negative but got ", n);
  int64_t d = ops::maybe_wrap_dim(dim, this->dim());
  std::vector<Tensor> parts;
  for (const std::optional<Tensor>* extra : {&prepend, &append}) {
    if (!*extra || !(*extra)->defined()) continue;
    const Tensor& t = **extra;
    EMBER_CHECK(t.dim() == this->dim(), "diff expects prepend or append to be the same dimension as input");
    for (int64_t i = 0; i < this->dim(); ++i)
      EMBER_CHECK(i == d || t.size(i) == size(i),
                  "diff expects the shape of tensor to prepend or append to match that of input except along the "
                  "differencing dimension; input.size(", i, ") = ", size(i), ", but got tensor.size(", i, ") = ", t.size(i));
  }
  // PyTorch's diff of order 0 is a copy of self, without prepend or append.
  if (n == 0) return clone();
  if (prepend && prepend->defined()) parts.push_back(*prepend);
  parts.push_back(*this);
  if (append && append->defined()) parts.push_back(*append);
  Tensor x = parts.size() == 1 ? *this : cat(parts, d);
  n = std::min(n, x.size(d));
  for (int64_t i = 0; i < n; ++i) {
    int64_t len = x.size(d) - 1;
    Tensor hi = x.narrow(d, 1, len), lo = x.narrow(d, 0, len);
    // PyTorch's diff of bools is logical_xor, which is ne.
    x = x.dtype() == kBool ? ember::ne(hi, lo) : hi - lo;
  }
  return x;
}
Tensor diff(const Tensor& self, int64_t n, int64_t dim, const std::optional<Tensor>& prepend,
            const std::optional<Tensor>& append) {
  return self.diff(n, dim, prepend, append);
}

}  // namespace ember
