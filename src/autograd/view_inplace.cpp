// In-place ops on views of tensors that require grad, as PyTorch: the view remembers its base, and an
// in-place op through the view rewrites the base's history as CopySlices(old base, new values of the
// view's region). The view itself becomes a strided view of the new base. Geometry is kept as sizes,
// strides and the storage offset relative to the base, so any view op (not only the ones known here)
// is handled.
#include <ember/autograd/grad_mode.h>
#include <ember/autograd/meta.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember::autograd {

namespace {

struct Geometry {
  DimVector sizes, strides;
  int64_t offset = 0;  // relative to the base's storage offset
};

struct BaseLayout {
  DimVector sizes, strides;
  DType dtype;
  Device device;
};

// A buffer laid out like the base, and the view's region of it.
std::pair<Tensor, Tensor> buffer_and_region(const BaseLayout& base, const Geometry& view) {
  Tensor buf = ops::empty_strided(base.sizes, base.strides, base.dtype, base.device);
  Tensor region = ops::as_strided(buf, view.sizes, view.strides, buf.storage_offset() + view.offset);
  return {buf, region};
}

Tensor scatter_region(const Tensor& g, const BaseLayout& base, const Geometry& view);

// The view's region of `g` (a gradient shaped like the base), as a new tensor. Recorded, with
// scatter_region as its derivative, so double backward works.
Tensor gather_region(const Tensor& g, const BaseLayout& base, const Geometry& view) {
  auto [buf, region] = buffer_and_region(base, view);
  ops::copy_(buf, g);
  Tensor out = ops::clone(region);
  if (any_requires_grad({&g}))
    record("AsStridedBackward0", {&out}, {&g}, [base, view](Node&, const tensor_list& gr) -> tensor_list {
      return {scatter_region(gr[0], base, view)};
    });
  return out;
}

// A base-shaped tensor of zeros with `g` in the view's region.
Tensor scatter_region(const Tensor& g, const BaseLayout& base, const Geometry& view) {
  auto [buf, region] = buffer_and_region(base, view);
  ops::fill_(buf, 0);
  ops::copy_(region, g);
  if (any_requires_grad({&g}))
    record("AsStridedScatterBackward0", {&buf}, {&g}, [base, view](Node&, const tensor_list& gr) -> tensor_list {
      return {gather_region(gr[0], base, view)};
    });
  return buf;
}

// Gradient of base_new = base_old with the view's region replaced by `result`: the base's gradient with
// the region zeroed flows to the old base, the region flows to the op's result.
struct CopySlices final : Node {
  CopySlices(BaseLayout b, Geometry v) : base(std::move(b)), view(std::move(v)) {}
  tensor_list apply(tensor_list&& grads) override {
    const Tensor& g = grads[0];
    tensor_list out(2);
    if (should_compute_output(0)) {
      // A constant mask keeps the product differentiable.
      auto [mask, region] = buffer_and_region(base, view);
      ops::fill_(mask, 1);
      ops::fill_(region, 0);
      out[0] = g * mask;
    }
    if (should_compute_output(1)) out[1] = gather_region(g, base, view);
    return out;
  }
  std::string name() const override { return "CopySlices"; }
  BaseLayout base;
  Geometry view;
};

// The view after the in-place op: its gradient lands in its region of a zero gradient for the base.
struct AsStridedBackward final : Node {
  AsStridedBackward(BaseLayout b, Geometry v) : base(std::move(b)), view(std::move(v)) {}
  tensor_list apply(tensor_list&& grads) override { return {scatter_region(grads[0], base, view)}; }
  std::string name() const override { return "AsStridedBackward0"; }
  BaseLayout base;
  Geometry view;
};

}  // namespace

void note_view(const Tensor& view, const Tensor& source, bool multi_output) {
  auto& slot = view.unsafeGetTensorImpl()->autograd;
  if (!slot) slot = std::make_unique<AutogradMeta>();
  AutogradMeta* vm = slot.get();
  AutogradMeta* sm = source.unsafeGetTensorImpl()->autograd.get();
  vm->view_base = sm && sm->view_base.defined() ? sm->view_base : source;
  vm->view_of_multi_output = multi_output || (sm && sm->view_of_multi_output);
  vm->view_version = view._version();
}

namespace {
BaseLayout layout_of(const Tensor& base) {
  return BaseLayout{DimVector(base.sizes()), DimVector(base.strides()), base.dtype(), base.device()};
}
Geometry geometry_of(const Tensor& view, const Tensor& base) {
  return Geometry{DimVector(view.sizes()), DimVector(view.strides()), view.storage_offset() - base.storage_offset()};
}
// Makes the view's history a strided view of its base's current history.
void set_view_history(AutogradMeta& vm, const Tensor& view) {
  const Tensor& base = vm.view_base;
  auto node = std::make_shared<AsStridedBackward>(layout_of(base), geometry_of(view, base));
  node->next_edges = {gradient_edge(base)};
  vm.grad_fn = std::move(node);
  vm.output_nr = 0;
  vm.view_version = view._version();
}
}  // namespace

void refresh_view_history(const Tensor& view) {
  AutogradMeta& vm = *view.unsafeGetTensorImpl()->autograd;
  if (vm.view_version == view._version()) return;
  vm.view_version = view._version();
  if (!vm.view_base.requires_grad()) return;
  std::shared_ptr<Node> old_fn = vm.grad_fn;
  set_view_history(vm, view);
  move_retained_grad(view, old_fn);
}

void rebase_view(const Tensor& view, const Tensor& result) {
  AutogradMeta& vm = *view.unsafeGetTensorImpl()->autograd;
  const Tensor& base = vm.view_base;
  auto copy_slices = std::make_shared<CopySlices>(layout_of(base), geometry_of(view, base));
  copy_slices->next_edges = {gradient_edge(base), gradient_edge(result)};
  set_history(base, copy_slices, 0);
  set_view_history(vm, view);
}

}  // namespace ember::autograd
