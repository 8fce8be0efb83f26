#pragma once
// Embedding and EmbeddingBag: weight (num_embeddings, embedding_dim) ~ N(0, 1), the padding_idx row
// zeroed. A negative padding_idx counts from the end, as in PyTorch.
#include <memory>
#include <optional>
#include <string>

#include <ember/nn/module.h>

namespace ember::nn {

class Embedding : public Module {
 public:
  // _weight: an initial weight of shape (num_embeddings, embedding_dim) used as is (PyTorch's _weight).
  Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx = std::nullopt,
            std::optional<double> max_norm = std::nullopt, double norm_type = 2.0, bool scale_grad_by_freq = false,
            bool sparse = false, const Tensor& _weight = {}, const TensorOptions& options = {});
  // An Embedding over embeddings (2-D); freeze leaves its weight without requires_grad.
  static std::shared_ptr<Embedding> from_pretrained(const Tensor& embeddings, bool freeze = true,
                                                    std::optional<int64_t> padding_idx = std::nullopt,
                                                    std::optional<double> max_norm = std::nullopt,
                                                    double norm_type = 2.0, bool scale_grad_by_freq = false,
                                                    bool sparse = false);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  const int64_t num_embeddings;
  const int64_t embedding_dim;
  const std::optional<int64_t> padding_idx;  // non-negative once constructed
  const std::optional<double> max_norm;
  const double norm_type;
  const bool scale_grad_by_freq;
  const bool sparse;
  Tensor& weight;
};

// mode "sum" / "mean" / "max". forward(input, offsets, per_sample_weights): a 2-D input is one bag per
// row (offsets undefined); a 1-D input is cut into bags at offsets.
class EmbeddingBag : public Module {
 public:
  EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim, std::optional<double> max_norm = std::nullopt,
               double norm_type = 2.0, bool scale_grad_by_freq = false, std::string mode = "mean",
               bool sparse = false, const Tensor& _weight = {}, bool include_last_offset = false,
               std::optional<int64_t> padding_idx = std::nullopt, const TensorOptions& options = {});
  static std::shared_ptr<EmbeddingBag> from_pretrained(const Tensor& embeddings, bool freeze = true,
                                                       std::optional<double> max_norm = std::nullopt,
                                                       double norm_type = 2.0, bool scale_grad_by_freq = false,
                                                       std::string mode = "mean", bool sparse = false,
                                                       bool include_last_offset = false,
                                                       std::optional<int64_t> padding_idx = std::nullopt);
  Tensor forward(const Tensor& input) override { return forward(input, Tensor(), Tensor()); }
  Tensor forward(const Tensor& input, const Tensor& offsets, const Tensor& per_sample_weights = {});
  Tensor operator()(const Tensor& input) { return Module::operator()(input); }
  Tensor operator()(const Tensor& input, const Tensor& offsets, const Tensor& per_sample_weights = {});
  std::string extra_repr() const override;
  void reset_parameters();

  const int64_t num_embeddings;
  const int64_t embedding_dim;
  const std::optional<double> max_norm;
  const double norm_type;
  const bool scale_grad_by_freq;
  const std::string mode;
  const bool sparse;
  const bool include_last_offset;
  const std::optional<int64_t> padding_idx;
  Tensor& weight;
};

}  // namespace ember::nn
