#include <ember/data/dataloader.h>

#include <cstring>

#include <ember/ops/factory.h>
#include <ember/ops/random.h>

namespace ember::data::detail {

void check_loader_args(bool iterable, int64_t batch_size, bool shuffle, bool has_sampler, bool has_batch_sampler,
                       bool drop_last, int num_workers, double timeout, std::optional<int64_t> prefetch_factor,
                       bool persistent_workers) {
  EMBER_CHECK_VALUE(num_workers >= 0,
                    "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.");
  EMBER_CHECK_VALUE(timeout >= 0, "timeout option should be non-negative");
  EMBER_CHECK_VALUE(num_workers > 0 || !prefetch_factor,
                    "prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 to "
                    "enable multiprocessing, otherwise set prefetch_factor to None.");
  EMBER_CHECK_VALUE(!prefetch_factor || *prefetch_factor >= 0, "prefetch_factor option should be non-negative");
  EMBER_CHECK_VALUE(!persistent_workers || num_workers > 0, "persistent_workers option needs num_workers > 0");
  if (iterable) {
    EMBER_CHECK_VALUE(!shuffle, "DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True");
    EMBER_CHECK_VALUE(!has_sampler, "DataLoader with IterableDataset: expected unspecified sampler option");
    EMBER_CHECK_VALUE(!has_batch_sampler, "DataLoader with IterableDataset: expected unspecified batch_sampler option");
  } else {
    EMBER_CHECK_VALUE(!(shuffle && has_sampler), "sampler option is mutually exclusive with shuffle");
    EMBER_CHECK_VALUE(!has_batch_sampler || (batch_size == 1 && !shuffle && !has_sampler && !drop_last),
                      "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
  }
  EMBER_CHECK_VALUE(batch_size > 0, "batch_size should be a positive integer value, but got batch_size=", batch_size);
}

// As PyTorch: one int64 drawn from the loader's generator (or the default one) per epoch.
uint64_t LoaderCore::draw_base_seed(const std::optional<Generator>& generator) {
  return uint64_t(empty({}, kInt64).random_(generator).item<int64_t>());
}

std::map<std::string, Tensor> LoaderCore::state_dict(const std::optional<Generator>& generator) const {
  int64_t total = 0;
  for (const auto& b : plan) total += int64_t(b.size());
  Tensor indices = empty({total}, kInt64), sizes = empty({int64_t(plan.size())}, kInt64);
  int64_t* pi = indices.data_ptr<int64_t>();
  int64_t* ps = sizes.data_ptr<int64_t>();
  for (const auto& b : plan) {
    if (!b.empty()) std::memcpy(pi, b.data(), b.size() * sizeof(int64_t));
    pi += b.size();
    *ps++ = int64_t(b.size());
  }
  std::map<std::string, Tensor> out{{"indices", indices},
                                    {"batch_sizes", sizes},
                                    {"batches_consumed", scalar_tensor(consumed, kInt64)},
                                    {"base_seed", scalar_tensor(int64_t(base_seed), kInt64)}};
  if (generator) out["generator"] = generator->get_state();
  return out;
}

void LoaderCore::load_state_dict(const std::map<std::string, Tensor>& state, std::optional<Generator>& generator) {
  auto get = [&](const char* key) -> Tensor {
    auto it = state.find(key);
    EMBER_CHECK(it != state.end(), "DataLoader.load_state_dict: missing key '", key, "'");
    return it->second.to(kInt64).cpu().contiguous();
  };
  Tensor indices = get("indices"), sizes = get("batch_sizes"), consumed_t = get("batches_consumed"),
         seed_t = get("base_seed");
  EMBER_CHECK(indices.dim() == 1 && sizes.dim() == 1 && consumed_t.numel() == 1 && seed_t.numel() == 1,
              "DataLoader.load_state_dict: indices and batch_sizes must be 1-D, batches_consumed and base_seed single "
              "numbers");
  std::vector<IndexBatch> p;
  const int64_t* pi = indices.data_ptr<int64_t>();
  const int64_t* ps = sizes.data_ptr<int64_t>();
  int64_t offset = 0;
  for (int64_t b = 0; b < sizes.numel(); ++b) {
    EMBER_CHECK(ps[b] >= 0 && ps[b] <= indices.numel() - offset,
                "DataLoader.load_state_dict: batch_sizes add up to more than the ", indices.numel(), " indices");
    p.emplace_back(pi + offset, pi + offset + ps[b]);
    offset += ps[b];
  }
  EMBER_CHECK(offset == indices.numel(), "DataLoader.load_state_dict: batch_sizes add up to ", offset, ", not to the ",
              indices.numel(), " indices");
  int64_t c = consumed_t.item<int64_t>();
  EMBER_CHECK(c >= 0 && c <= int64_t(p.size()), "DataLoader.load_state_dict: batches_consumed ", c,
              " is out of range for ", p.size(), " batches");
  auto g = state.find("generator");
  if (g != state.end()) {
    EMBER_CHECK(generator.has_value(), "DataLoader.load_state_dict: the state has a generator but the loader has none");
    generator->set_state(g->second);
  }
  plan = std::move(p);
  consumed = c;
  base_seed = uint64_t(seed_t.item<int64_t>());
  resume = true;
}

}  // namespace ember::data::detail
