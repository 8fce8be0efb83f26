// einsum as a composition of differentiable ops, so its gradients (and their gradients) come from the
// parts: repeated labels take a diagonal, labels only one operand uses are summed away first, then the
// operands are contracted left to right, each pair as one bmm over (shared kept labels, own labels,
// summed labels) after a permute and reshape, as PyTorch does.
#include <ember/autocast.h>
#include <algorithm>

#include <ember/ops/factory.h>
#include <ember/ops/linalg.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/linalg.h"
#include "ops/ops.h"

namespace ember {

namespace {

using Labels = std::vector<int>;

// torch.diagonal(t, 0, p, q): a view with dims p and q replaced by one trailing dim. Its backward puts
// the gradient back on the diagonal of a zero (.., n, .., n, ..) tensor by multiplying with an identity.
Tensor diagonal_view(const Tensor& t, int64_t p, int64_t q) {
  const int64_t nd = t.dim(), n = t.size(p);
  DimVector sizes, strides;
  for (int64_t d = 0; d < nd; ++d)
    if (d != p && d != q) {
      sizes.push_back(t.size(d));
      strides.push_back(t.stride(d));
    }
  sizes.push_back(n);
  strides.push_back(t.stride(p) + t.stride(q));
  Tensor out = ops::make_view(t, sizes, strides, t.storage_offset());
  if (autograd::any_requires_grad({&t})) {
    autograd::record("DiagonalBackward0", {&out}, {&t}, [p, q, n, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
      Tensor eye = ones({n, n}, g[0].options()).triu().tril();
      Tensor spread = g[0].unsqueeze(-1) * eye;  // (others..., n, n)
      DimVector perm(static_cast<size_t>(nd));
      for (int64_t d = 0, other = 0; d < nd; ++d) perm[size_t(d)] = d == p ? nd - 2 : d == q ? nd - 1 : other++;
      return {spread.permute(perm)};
    });
    out.unsafeGetTensorImpl()->autograd->is_differentiable_view = true;
  }
  return out;
}

int64_t position(const Labels& l, int label) { return int64_t(std::find(l.begin(), l.end(), label) - l.begin()); }
bool contains(const Labels& l, int label) { return std::find(l.begin(), l.end(), label) != l.end(); }

// Contracts a (labels la) with b (labels lb): shared labels that `needed` keeps become bmm's batch, the
// other shared labels are summed by the product. Returns the result with labels batch + a's + b's own.
Tensor contract(const Tensor& a, const Labels& la, const Tensor& b, const Labels& lb, const std::vector<bool>& needed,
                const std::vector<int64_t>& size, Labels& out_labels) {
  Labels batch, summed, a_only, b_only;
  for (int l : la) (contains(lb, l) ? (needed[size_t(l)] ? batch : summed) : a_only).push_back(l);
  for (int l : lb)
    if (!contains(la, l)) b_only.push_back(l);
  auto numel = [&](const Labels& ls) {
    int64_t n = 1;
    for (int l : ls) n *= size[size_t(l)];
    return n;
  };
  DimVector perm_a, perm_b, out_shape;
  for (const Labels* group : {&batch, &a_only, &summed})
    for (int l : *group) perm_a.push_back(position(la, l));
  for (const Labels* group : {&batch, &summed, &b_only})
    for (int l : *group) perm_b.push_back(position(lb, l));
  const int64_t nb = numel(batch), m = numel(a_only), k = numel(summed), n = numel(b_only);
  Tensor a3 = a.permute(perm_a).reshape({nb, m, k});
  Tensor b3 = b.permute(perm_b).reshape({nb, k, n});
  out_labels.clear();
  for (const Labels* group : {&batch, &a_only, &b_only})
    for (int l : *group) {
      out_labels.push_back(l);
      out_shape.push_back(size[size_t(l)]);
    }
  return a3.bmm(b3).reshape(out_shape);
}

}  // namespace

Tensor einsum(std::string_view equation, ArrayRef<Tensor> tensors) {
  EMBER_AUTOCAST("einsum", einsum, equation, tensors);
  std::vector<IntArrayRef> shapes;
  for (const Tensor& t : tensors) shapes.push_back(t.sizes());
  const ops::EinsumPlan plan = ops::parse_einsum(equation, shapes);
  const size_t nops = tensors.size(), nlabels = plan.label_size.size();

  // users[l]: how many operands have label l; last_user[l]: the last of them.
  std::vector<int> users(nlabels, 0), last_user(nlabels, -1);
  std::vector<bool> in_output(nlabels, false);
  for (int l : plan.output_labels) in_output[size_t(l)] = true;
  for (size_t i = 0; i < nops; ++i) {
    Labels unique = plan.operand_labels[i];
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (int l : unique) {
      ++users[size_t(l)];
      last_user[size_t(l)] = int(i);
    }
  }

  std::vector<Tensor> operands;
  std::vector<Labels> labels;
  for (size_t i = 0; i < nops; ++i) {
    Tensor t = tensors[i];
    Labels l = plan.operand_labels[i];
    for (bool repeated = true; repeated;) {
      repeated = false;
      for (size_t p = 0; p < l.size() && !repeated; ++p)
        for (size_t q = p + 1; q < l.size() && !repeated; ++q)
          if (l[p] == l[q]) {
            t = diagonal_view(t, int64_t(p), int64_t(q));
            int label = l[p];
            l.erase(l.begin() + int64_t(q));
            l.erase(l.begin() + int64_t(p));
            l.push_back(label);
            repeated = true;
          }
    }
    DimVector sum_dims, target;
    Labels kept;
    for (size_t d = 0; d < l.size(); ++d) {
      if (users[size_t(l[d])] == 1 && !in_output[size_t(l[d])]) {
        sum_dims.push_back(int64_t(d));
      } else {
        kept.push_back(l[d]);
        target.push_back(plan.label_size[size_t(l[d])]);
      }
    }
    if (!sum_dims.empty()) t = t.sum(sum_dims);
    if (!t.sizes().equals(target)) t = t.expand(target);
    operands.push_back(t);
    labels.push_back(std::move(kept));
  }

  Tensor result = operands[0];
  Labels result_labels = labels[0];
  for (size_t i = 1; i < nops; ++i) {
    std::vector<bool> needed(nlabels);
    for (size_t l = 0; l < nlabels; ++l) needed[l] = in_output[l] || last_user[l] > int(i);
    Labels out_labels;
    result = contract(result, result_labels, operands[i], labels[i], needed, plan.label_size, out_labels);
    result_labels = std::move(out_labels);
  }
  DimVector perm;
  for (int l : plan.output_labels) perm.push_back(position(result_labels, l));
  return result.permute(perm);
}

}  // namespace ember
