// Embedding modules over F.embedding / F.embedding_bag.
#include <ember/autograd/grad_mode.h>
#include <ember/nn/functional/norm.h>
#include <ember/nn/init.h>
#include <ember/nn/modules/sparse.h>
#include <ember/ops/factory.h>

namespace ember::nn {

namespace {

std::optional<int64_t> wrap_padding_idx(std::optional<int64_t> padding_idx, int64_t num_embeddings,
                                        const char* what) {
  if (!padding_idx) return padding_idx;
  EMBER_CHECK(*padding_idx < num_embeddings && *padding_idx >= -num_embeddings, what,
              " must be within num_embeddings");
  return *padding_idx < 0 ? *padding_idx + num_embeddings : *padding_idx;
}

Tensor initial_weight(int64_t num_embeddings, int64_t embedding_dim, const Tensor& given, const TensorOptions& options) {
  if (!given.defined()) return empty({num_embeddings, embedding_dim}, options);
  EMBER_CHECK(given.dim() == 2 && given.size(0) == num_embeddings && given.size(1) == embedding_dim,
              "Shape of weight does not match num_embeddings and embedding_dim");
  return given.detach();  // Parameter(_weight): the same data as a new leaf
}

void zero_row(Tensor& weight, std::optional<int64_t> row) {
  if (!row) return;
  NoGradGuard no_grad;
  weight.select(0, *row).fill_(0);
}

std::string common_repr(int64_t n, int64_t d, const std::optional<double>& max_norm, double norm_type,
                        bool scale_grad_by_freq) {
  std::string s = std::to_string(n) + ", " + std::to_string(d);
  if (max_norm) s += ", max_norm=" + py_repr(*max_norm);
  if (norm_type != 2) s += ", norm_type=" + py_repr(norm_type);
  if (scale_grad_by_freq) s += ", scale_grad_by_freq=True";
  return s;
}

}  // namespace

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, std::optional<int64_t> padding_idx,
                     std::optional<double> max_norm, double norm_type, bool scale_grad_by_freq, bool sparse,
                     const Tensor& _weight, const TensorOptions& options)
    : num_embeddings(num_embeddings),
      embedding_dim(embedding_dim),
      padding_idx(wrap_padding_idx(padding_idx, num_embeddings, "Padding_idx")),
      max_norm(max_norm),
      norm_type(norm_type),
      scale_grad_by_freq(scale_grad_by_freq),
      sparse(sparse),
      weight(register_parameter("weight", initial_weight(num_embeddings, embedding_dim, _weight, options))) {
  if (!_weight.defined()) reset_parameters();
}

std::shared_ptr<Embedding> Embedding::from_pretrained(const Tensor& embeddings, bool freeze,
                                                      std::optional<int64_t> padding_idx,
                                                      std::optional<double> max_norm, double norm_type,
                                                      bool scale_grad_by_freq, bool sparse) {
  EMBER_CHECK(embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional");
  auto m = std::make_shared<Embedding>(embeddings.size(0), embeddings.size(1), padding_idx, max_norm, norm_type,
                                       scale_grad_by_freq, sparse, embeddings);
  m->weight.requires_grad_(!freeze);
  return m;
}

void Embedding::reset_parameters() {
  init::normal_(weight);
  zero_row(weight, padding_idx);
}

Tensor Embedding::forward(const Tensor& input) {
  return functional::embedding(input, weight, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse);
}

std::string Embedding::extra_repr() const {
  std::string s = std::to_string(num_embeddings) + ", " + std::to_string(embedding_dim);
  if (padding_idx) s += ", padding_idx=" + std::to_string(*padding_idx);
  if (max_norm) s += ", max_norm=" + py_repr(*max_norm);
  if (norm_type != 2) s += ", norm_type=" + py_repr(norm_type);
  if (scale_grad_by_freq) s += ", scale_grad_by_freq=True";
  if (sparse) s += ", sparse=True";
  return s;
}

EmbeddingBag::EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim, std::optional<double> max_norm,
                           double norm_type, bool scale_grad_by_freq, std::string mode, bool sparse,
                           const Tensor& _weight, bool include_last_offset, std::optional<int64_t> padding_idx,
                           const TensorOptions& options)
    : num_embeddings(num_embeddings),
      embedding_dim(embedding_dim),
      max_norm(max_norm),
      norm_type(norm_type),
      scale_grad_by_freq(scale_grad_by_freq),
      mode(std::move(mode)),
      sparse(sparse),
      include_last_offset(include_last_offset),
      padding_idx(wrap_padding_idx(padding_idx, num_embeddings, "padding_idx")),
      weight(register_parameter("weight", initial_weight(num_embeddings, embedding_dim, _weight, options))) {
  if (!_weight.defined()) reset_parameters();
}

std::shared_ptr<EmbeddingBag> EmbeddingBag::from_pretrained(const Tensor& embeddings, bool freeze,
                                                            std::optional<double> max_norm, double norm_type,
                                                            bool scale_grad_by_freq, std::string mode, bool sparse,
                                                            bool include_last_offset,
                                                            std::optional<int64_t> padding_idx) {
  EMBER_CHECK(embeddings.dim() == 2, "Embeddings parameter is expected to be 2-dimensional");
  auto m = std::make_shared<EmbeddingBag>(embeddings.size(0), embeddings.size(1), max_norm, norm_type,
                                          scale_grad_by_freq, std::move(mode), sparse, embeddings,
                                          include_last_offset, padding_idx);
  m->weight.requires_grad_(!freeze);
  return m;
}

void EmbeddingBag::reset_parameters() {
  init::normal_(weight);
  zero_row(weight, padding_idx);
}

Tensor EmbeddingBag::forward(const Tensor& input, const Tensor& offsets, const Tensor& per_sample_weights) {
  return functional::embedding_bag(input, weight, offsets, max_norm, norm_type, scale_grad_by_freq, mode, sparse,
                                   per_sample_weights, include_last_offset, padding_idx);
}

Tensor EmbeddingBag::operator()(const Tensor& input, const Tensor& offsets, const Tensor& per_sample_weights) {
  if (!has_hooks()) return forward(input, offsets, per_sample_weights);
  return call_with_hooks({input, offsets, per_sample_weights}, [this](const tensor_list& in) {
           EMBER_CHECK(in.size() == 3, "EmbeddingBag.forward takes 3 inputs but a forward pre-hook gave ", in.size());
           return tensor_list{forward(in[0], in[1], in[2])};
         })
      .at(0);
}

std::string EmbeddingBag::extra_repr() const {
  std::string s = common_repr(num_embeddings, embedding_dim, max_norm, norm_type, scale_grad_by_freq);
  s += ", mode=" + mode;
  if (padding_idx) s += ", padding_idx=" + std::to_string(*padding_idx);
  return s;
}

}  // namespace ember::nn
