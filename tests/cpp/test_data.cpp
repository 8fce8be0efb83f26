// ember::data: samplers, random_split, default_collate, the DataLoader (order and contents for any
// num_workers, worker errors, timeouts, destruction mid-epoch, resuming mid-epoch) and transforms.
// Where PyTorch defines the result (a BatchSampler over a given order, random_split's rounding of
// fractions, collate's dtypes, a loader without shuffle, ToTensor/Normalize) the golden file holds
// PyTorch's answer (tests/golden/gen_data.py); random orders, which come from another generator, are
// checked for what they must be (permutations, ranges, determinism per seed).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <ember/data.h>
#include <ember/ember.h>

#include "golden.h"

using namespace ember;
using namespace ember::data;

namespace {
const golden::File& gold() {
  static golden::File f("data");
  return f;
}
std::vector<int64_t> vec(const Tensor& t) {
  Tensor c = t.to(kInt64).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}
bool same(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.sizes().equals(b.sizes()) && a.eq(b).all().item<bool>();
}
template <class E, class F>
void expect_error(const F& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

// Example i is (a [3] float tensor of i, i*10 .. i*10+2 as data; i as target), with an optional delay
// and an optional failure at one index.
class Numbers : public Dataset<Example<>> {
 public:
  explicit Numbers(int64_t n, int64_t fail_at = -1, int delay_us = 0) : n_(n), fail_at_(fail_at), delay_us_(delay_us) {}
  Example<> get(int64_t i) const override {
    if (delay_us_) std::this_thread::sleep_for(std::chrono::microseconds(delay_us_));
    if (i == fail_at_) throw ValueError("broken example " + std::to_string(i));
    return {tensor({double(i * 10), double(i * 10 + 1), double(i * 10 + 2)}, kFloat32), scalar_tensor(i, kInt64)};
  }
  int64_t size() const override { return n_; }

 private:
  int64_t n_, fail_at_;
  int delay_us_;
};

std::vector<std::vector<int64_t>> targets_of(DataLoader<Example<>>& loader) {
  std::vector<std::vector<int64_t>> out;
  for (auto& b : loader) out.push_back(vec(b.target));
  return out;
}
}  // namespace

// ---- samplers ----

TEST(Sampler, Sequential) {
  EXPECT_EQ(SequentialSampler(5).indices(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(SequentialSampler(5).size(), 5);
  EXPECT_TRUE(SequentialSampler(0).indices().empty());
}

TEST(Sampler, BatchSamplerMatchesTorch) {
  auto seq = std::make_shared<SequentialSampler>(10);
  // A sampler that yields a fixed order, as a Python list passed to BatchSampler does.
  struct Fixed : Sampler<> {
    std::vector<int64_t> order{5, 3, 9, 1, 0, 2, 7};
    std::vector<int64_t> indices() override { return order; }
    int64_t size() const override { return int64_t(order.size()); }
  };
  auto fixed = std::make_shared<Fixed>();
  for (auto [name, sampler] : {std::pair<std::string, std::shared_ptr<Sampler<>>>{"seq10", seq}, {"order", fixed}})
    for (int64_t bs : {1, 3, 4})
      for (bool drop : {false, true}) {
        std::string key = "batch_" + name + "_" + std::to_string(bs) + "_" + std::to_string(int(drop));
        BatchSampler b(sampler, bs, drop);
        std::vector<int64_t> flat, sizes;
        for (auto& batch : b.indices()) {
          flat.insert(flat.end(), batch.begin(), batch.end());
          sizes.push_back(int64_t(batch.size()));
        }
        EXPECT_EQ(flat, vec(gold()[key + "_flat"])) << key;
        EXPECT_EQ(sizes, vec(gold()[key + "_sizes"])) << key;
        EXPECT_EQ(b.size(), vec(gold()[key + "_len"])[0]) << key;
      }
  expect_error<ValueError>([&] { BatchSampler(seq, 0, false); },
                           "batch_size should be a positive integer value, but got batch_size=0");
}

TEST(Sampler, RandomIsAPermutationAndSeeded) {
  RandomSampler a(100, false, std::nullopt, Generator(7)), b(100, false, std::nullopt, Generator(7));
  std::vector<int64_t> pa = a.indices(), pb = b.indices();
  EXPECT_EQ(pa, pb);
  EXPECT_NE(pa, a.indices());  // the generator advances: the next pass differs
  std::vector<int64_t> sorted = pa;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, SequentialSampler(100).indices());
  EXPECT_NE(pa, SequentialSampler(100).indices());
  // num_samples beyond the size: whole permutations, then the start of one more.
  RandomSampler c(4, false, 10, Generator(1));
  std::vector<int64_t> pc = c.indices();
  ASSERT_EQ(pc.size(), 10u);
  for (int block = 0; block < 2; ++block) {
    std::set<int64_t> s(pc.begin() + block * 4, pc.begin() + block * 4 + 4);
    EXPECT_EQ(s.size(), 4u);
  }
  std::set<int64_t> tail(pc.begin() + 8, pc.end());
  EXPECT_EQ(tail.size(), 2u);
  // With replacement: num_samples indices in range.
  RandomSampler r(5, true, 1000, Generator(3));
  std::vector<int64_t> pr = r.indices();
  ASSERT_EQ(pr.size(), 1000u);
  std::set<int64_t> seen(pr.begin(), pr.end());
  EXPECT_EQ(seen, (std::set<int64_t>{0, 1, 2, 3, 4}));
  expect_error<ValueError>([] { RandomSampler(5, false, 0); },
                           "num_samples should be a positive integer value, but got num_samples=0");
  // Without a generator each pass seeds from the default generator, so manual_seed reproduces it.
  manual_seed(5);
  std::vector<int64_t> d1 = RandomSampler(50).indices();
  manual_seed(5);
  EXPECT_EQ(RandomSampler(50).indices(), d1);
}

TEST(Sampler, SubsetRandomAndWeighted) {
  std::vector<int64_t> idx{10, 20, 30, 40, 50};
  SubsetRandomSampler s(idx, Generator(2));
  std::vector<int64_t> p = s.indices();
  EXPECT_EQ(std::multiset<int64_t>(p.begin(), p.end()), std::multiset<int64_t>(idx.begin(), idx.end()));
  EXPECT_EQ(s.size(), 5);
  // Weight 0 is never drawn; without replacement every positive-weight index appears once.
  WeightedRandomSampler w({0.0, 1.0, 3.0, 0.0, 2.0}, 3, false, Generator(4));
  std::vector<int64_t> pw = w.indices();
  EXPECT_EQ(std::set<int64_t>(pw.begin(), pw.end()), (std::set<int64_t>{1, 2, 4}));
  WeightedRandomSampler wr({0.0, 1.0, 0.0, 3.0}, 4000, true, Generator(4));
  std::vector<int64_t> pr = wr.indices();
  int64_t threes = std::count(pr.begin(), pr.end(), int64_t(3)), n_ones = std::count(pr.begin(), pr.end(), int64_t(1));
  EXPECT_EQ(threes + n_ones, 4000);
  // Expected 3000 threes, sd sqrt(4000 * 0.75 * 0.25) = 27.4: within 5 sd.
  EXPECT_NEAR(double(threes), 3000.0, 137.0);
  expect_error<ValueError>([] { WeightedRandomSampler(ones({2, 2}), 3); },
                           "weights should be a 1d sequence but given weights have shape");
}

// ---- datasets in memory, random_split ----

TEST(Dataset, TensorSubsetConcat) {
  Tensor x = arange(12).view({4, 3}), y = arange(4) * 2;
  auto td = std::make_shared<TensorDataset>(std::vector<Tensor>{x, y});
  EXPECT_EQ(td->size(), 4);
  EXPECT_TRUE(same(td->get(2)[0], x[2]));
  EXPECT_TRUE(same(td->get(-1)[1], y[3]));
  expect_error<IndexError>([&] { td->get(4); }, "out of range");
  expect_error<ValueError>([&] { TensorDataset({x, arange(3)}); }, "Size mismatch between tensors");

  auto sub = std::make_shared<Subset<std::vector<Tensor>>>(td, std::vector<int64_t>{3, 1});
  EXPECT_EQ(sub->size(), 2);
  EXPECT_TRUE(same(sub->get(0)[1], y[3]));

  ConcatDataset<std::vector<Tensor>> cat({td, sub});
  EXPECT_EQ(cat.size(), 6);
  EXPECT_EQ(cat.cumulative_sizes(), (std::vector<int64_t>{4, 6}));
  EXPECT_TRUE(same(cat.get(4)[1], y[3]));
  EXPECT_TRUE(same(cat.get(5)[1], y[1]));
  EXPECT_TRUE(same(cat.get(-6)[1], y[0]));
  expect_error<ValueError>([&] { cat.get(-7); }, "absolute value of index should not exceed dataset length");
}

TEST(Dataset, RandomSplitRoundsFractionsLikeTorch) {
  for (int k = 0; k < 7; ++k) {
    std::string p = "split" + std::to_string(k);
    int64_t n = vec(gold()[p + "_n"])[0];
    Tensor fr = gold()[p + "_fractions"];
    std::vector<double> fractions(fr.data_ptr<double>(), fr.data_ptr<double>() + fr.numel());
    auto parts = random_split(std::make_shared<Numbers>(n), fractions, Generator(0));
    std::vector<int64_t> lengths;
    std::set<int64_t> all;
    for (auto& s : parts) {
      lengths.push_back(s->size());
      all.insert(s->indices().begin(), s->indices().end());
    }
    EXPECT_EQ(lengths, vec(gold()[p + "_lengths"])) << p;
    EXPECT_EQ(int64_t(all.size()), n) << p << ": the subsets must not overlap";
  }
}

TEST(Dataset, RandomSplitLengths) {
  auto ds = std::make_shared<Numbers>(10);
  auto parts = random_split(ds, std::vector<int64_t>{3, 7}, Generator(1));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]->size(), 3);
  EXPECT_EQ(parts[1]->size(), 7);
  auto again = random_split(ds, std::vector<int64_t>{3, 7}, Generator(1));
  EXPECT_EQ(again[0]->indices(), parts[0]->indices());
  // A braced list follows Python: fractions when it sums to 1, else lengths.
  EXPECT_EQ(random_split(ds, {0.5, 0.5})[0]->size(), 5);
  EXPECT_EQ(random_split(ds, {4, 6})[1]->size(), 6);
  EXPECT_EQ(vec(parts[0]->get(0).target)[0], parts[0]->indices()[0]);
  // A loader over a split, as a train/validation split is used.
  DataLoader val(parts[1], 4, false, nullptr, nullptr, 2);
  std::vector<int64_t> seen;
  for (auto& b : val) for (int64_t v : vec(b.target)) seen.push_back(v);
  EXPECT_EQ(seen, parts[1]->indices());
  expect_error<ValueError>([&] { random_split(ds, std::vector<int64_t>{3, 8}); },
                           "Sum of input lengths does not equal the length of the input dataset!");
  expect_error<ValueError>([&] { random_split(ds, std::vector<double>{1.5, -0.5}); },
                           "Fraction at index 0 is not between 0 and 1");
}

// ---- default_collate ----

TEST(Collate, NumbersAndStructuresMatchTorch) {
  EXPECT_TRUE(golden::close(default_collate(std::vector<int>{1, 2, 3}), gold()["collate_ints"], 0, 0));
  EXPECT_TRUE(golden::close(default_collate(std::vector<double>{1.5, 2.25, -3.0}), gold()["collate_floats"], 0, 0));
  EXPECT_TRUE(golden::close(default_collate(std::vector<bool>{true, false, true}), gold()["collate_bools"], 0, 0));
  std::vector<Tensor> t{tensor({1.f, 2.f}), tensor({3.f, 4.f}), tensor({5.f, 6.f})};
  std::vector<std::pair<Tensor, int64_t>> pairs;
  for (int i = 0; i < 3; ++i) pairs.push_back({t[size_t(i)], i * 10});
  auto p = default_collate(pairs);
  EXPECT_TRUE(golden::close(p.first, gold()["collate_pair_first"], 0, 0));
  EXPECT_TRUE(golden::close(p.second, gold()["collate_pair_second"], 0, 0));

  std::vector<std::map<std::string, Tensor>> maps;
  for (int i = 0; i < 3; ++i) maps.push_back({{"a", t[size_t(i)]}, {"b", scalar_tensor(0.5 * i, kFloat64)}});
  auto m = default_collate(maps);
  EXPECT_TRUE(golden::close(m["a"], gold()["collate_map_a"], 0, 0));
  EXPECT_TRUE(golden::close(m["b"], gold()["collate_map_b"], 0, 0));

  auto lists = default_collate(std::vector<std::vector<int64_t>>{{1, 2}, {3, 4}, {5, 6}});
  ASSERT_EQ(lists.size(), 2u);
  EXPECT_TRUE(golden::close(lists[0], gold()["collate_lists_0"], 0, 0));
  EXPECT_TRUE(golden::close(lists[1], gold()["collate_lists_1"], 0, 0));

  using Nested = std::tuple<int64_t, std::tuple<double, std::vector<Tensor>>>;
  std::vector<Nested> nested;
  for (int i = 0; i < 3; ++i) nested.push_back({i, {double(i) / 2, {t[size_t(i)], t[size_t(i)] * 2}}});
  auto n = default_collate(nested);
  EXPECT_TRUE(golden::close(std::get<0>(n), gold()["collate_nested_0"], 0, 0));
  EXPECT_TRUE(golden::close(std::get<0>(std::get<1>(n)), gold()["collate_nested_1_0"], 0, 0));
  EXPECT_TRUE(golden::close(std::get<1>(std::get<1>(n))[0], gold()["collate_nested_1_1_0"], 0, 0));
  EXPECT_TRUE(golden::close(std::get<1>(std::get<1>(n))[1], gold()["collate_nested_1_1_1"], 0, 0));

  auto s = default_collate(std::vector<std::string>{"a", "b"});
  EXPECT_EQ(s, (std::vector<std::string>{"a", "b"}));
  Example<> e = default_collate(std::vector<Example<>>{{t[0], scalar_tensor(1, kInt64)}, {t[1], scalar_tensor(2, kInt64)}});
  EXPECT_EQ(e.data.sizes(), IntArrayRef({2, 2}));
  EXPECT_EQ(vec(e.target), (std::vector<int64_t>{1, 2}));
  expect_error<Error>([] { default_collate(std::vector<std::vector<int>>{{1, 2}, {3}}); },
                      "each element in list of batch should be of equal size");
  expect_error<Error>([&] { default_collate(std::vector<Tensor>{t[0], tensor({1.f})}); }, "stack expects");
}

// ---- DataLoader ----

TEST(DataLoader, MatchesTorchWithoutShuffle) {
  Tensor x = arange(30, kFloat32).view({10, 3}), y = arange(10) * 7;
  for (bool drop : {false, true}) {
    std::string d = std::to_string(int(drop));
    DataLoader loader(std::make_shared<TensorDataset>(std::vector<Tensor>{x, y}), 4, false, nullptr, nullptr, 0,
                      nullptr, false, drop);
    EXPECT_EQ(loader.size(), vec(gold()["loader_len_" + d])[0]);
    std::vector<Tensor> xs, ys;
    std::vector<int64_t> sizes;
    for (auto& b : loader) {
      xs.push_back(b[0]);
      ys.push_back(b[1]);
      sizes.push_back(b[1].size(0));
    }
    EXPECT_TRUE(golden::close(cat(xs), gold()["loader_x_" + d], 0, 0));
    EXPECT_TRUE(golden::close(cat(ys), gold()["loader_y_" + d], 0, 0));
    EXPECT_EQ(sizes, vec(gold()["loader_sizes_" + d]));
  }
}

TEST(DataLoader, SameBatchesForAnyNumWorkers) {
  auto ds = std::make_shared<Numbers>(103, -1, 50);
  // Random transforms inside the dataset's examples draw from transform_generator(): a random crop of
  // the data makes that visible in the batches.
  struct Noisy : Dataset<Example<>> {
    std::shared_ptr<Numbers> inner;
    Example<> get(int64_t i) const override {
      Example<> e = inner->get(i);
      e.data = e.data + rand({3}, transform_generator());
      return e;
    }
    int64_t size() const override { return inner->size(); }
  };
  auto noisy = std::make_shared<Noisy>();
  noisy->inner = ds;
  std::vector<std::vector<Tensor>> runs;
  for (int workers : {0, 1, 2, 4}) {
    DataLoader loader(noisy, 8, true, nullptr, nullptr, workers, nullptr, false, false, 0, nullptr, Generator(11));
    std::vector<Tensor> batches;
    for (auto& b : loader) {
      batches.push_back(b.data);
      batches.push_back(b.target);
    }
    EXPECT_EQ(batches.size(), 2u * 13u);
    runs.push_back(batches);
  }
  for (size_t r = 1; r < runs.size(); ++r)
    for (size_t i = 0; i < runs[0].size(); ++i) EXPECT_TRUE(same(runs[0][i], runs[r][i])) << "run " << r << " tensor " << i;
  // Shuffled: every index once per epoch, not in order.
  std::vector<int64_t> all;
  for (size_t i = 1; i < runs[0].size(); i += 2) {
    auto v = vec(runs[0][i]);
    all.insert(all.end(), v.begin(), v.end());
  }
  std::vector<int64_t> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, SequentialSampler(103).indices());
  EXPECT_NE(all, sorted);
}

TEST(DataLoader, EpochsDifferAndPersistentWorkers) {
  auto ds = std::make_shared<Numbers>(20);
  std::atomic<int> inits{0};
  DataLoader loader(ds, 5, true, nullptr, nullptr, 2, nullptr, false, false, 0, [&](int) { ++inits; },
                    Generator(3), 3, true);
  auto e1 = targets_of(loader), e2 = targets_of(loader);
  EXPECT_EQ(e1.size(), 4u);
  EXPECT_NE(e1, e2);
  EXPECT_EQ(inits.load(), 2);  // persistent: the two workers started once
  DataLoader again(ds, 5, true, nullptr, nullptr, 0, nullptr, false, false, 0, nullptr, Generator(3));
  EXPECT_EQ(targets_of(again), e1);
  EXPECT_EQ(targets_of(again), e2);
}

TEST(DataLoader, SamplerAndBatchSampler) {
  auto ds = std::make_shared<Numbers>(10);
  auto sampler = std::make_shared<SubsetRandomSampler>(std::vector<int64_t>{1, 3, 5, 7}, Generator(0));
  DataLoader a(ds, 3, false, sampler);
  auto t = targets_of(a);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].size(), 1u);
  auto bs = std::make_shared<BatchSampler>(std::make_shared<SequentialSampler>(10), 4, true);
  DataLoader b(ds, 1, false, nullptr, bs, 2);
  EXPECT_EQ(targets_of(b), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
  EXPECT_EQ(b.size(), 2);
  expect_error<ValueError>([&] { DataLoader(ds, 2, false, nullptr, bs); },
                           "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last");
  expect_error<ValueError>([&] { DataLoader(ds, 2, true, sampler); }, "sampler option is mutually exclusive with shuffle");
  expect_error<ValueError>([&] { DataLoader(ds, 2, false, nullptr, nullptr, 0, nullptr, false, false, 0, nullptr,
                                            std::nullopt, 2); },
                           "prefetch_factor option could only be specified in multiprocessing");
  expect_error<ValueError>([&] { DataLoader(ds, 2, false, nullptr, nullptr, 0, nullptr, false, false, 0, nullptr,
                                            std::nullopt, std::nullopt, true); },
                           "persistent_workers option needs num_workers > 0");
  expect_error<ValueError>([&] { DataLoader(ds, 2, false, nullptr, nullptr, -1); }, "num_workers option should be non-negative");
}

TEST(DataLoader, CustomCollate) {
  auto ds = std::make_shared<Numbers>(7);
  DataLoader<Example<>, int64_t> loader(ds, 3, false, nullptr, nullptr, 2, [](std::vector<Example<>> b) {
    return int64_t(b.size());
  });
  std::vector<int64_t> sizes;
  for (int64_t n : loader) sizes.push_back(n);
  EXPECT_EQ(sizes, (std::vector<int64_t>{3, 3, 1}));
}

TEST(DataLoader, WorkerExceptionReachesTheLoop) {
  for (int workers : {0, 1, 3}) {
    DataLoader loader(std::make_shared<Numbers>(20, 9), 4, false, nullptr, nullptr, workers);
    std::vector<int64_t> seen;
    try {
      for (auto& b : loader) seen.push_back(vec(b.target)[0]);
      ADD_FAILURE() << "no exception with " << workers << " workers";
    } catch (const ValueError& e) {
      EXPECT_STREQ(e.what(), "broken example 9");
    }
    EXPECT_EQ(seen, (std::vector<int64_t>{0, 4})) << workers;  // batch 2 (indices 8..11) failed, in order
    // The loop may go on past the failed batch.
    auto it = loader.begin();
    (void)it;
  }
  // After the failure, continuing the same epoch gives the batches after it.
  DataLoader loader(std::make_shared<Numbers>(20, 9), 4, false, nullptr, nullptr, 2);
  auto it = loader.begin();
  ++it;
  EXPECT_THROW(++it, ValueError);
  ++it;
  EXPECT_EQ(vec((*it).target)[0], 12);
  EXPECT_EQ(loader.batches_consumed(), 4);
}

TEST(DataLoader, WorkerInitErrorAndInfo) {
  auto ds = std::make_shared<Numbers>(8);
  DataLoader bad(ds, 2, false, nullptr, nullptr, 2, nullptr, false, false, 0,
                 [](int id) { if (id == 1) throw Error("init failed in worker 1"); });
  expect_error<Error>([&] { for (auto& b : bad) (void)b; }, "init failed in worker 1");
  // get_worker_info inside workers.
  struct Who : Dataset<Example<>> {
    Example<> get(int64_t) const override {
      auto info = get_worker_info();
      return {scalar_tensor(info ? info->id : -1, kInt64), scalar_tensor(info ? info->num_workers : 0, kInt64)};
    }
    int64_t size() const override { return 6; }
  };
  EXPECT_FALSE(get_worker_info().has_value());
  DataLoader who(std::make_shared<Who>(), 1, false, nullptr, nullptr, 3);
  std::vector<int64_t> ids;
  for (auto& b : who) {
    ids.push_back(vec(b.data)[0]);
    EXPECT_EQ(vec(b.target)[0], 3);
  }
  EXPECT_EQ(ids, (std::vector<int64_t>{0, 1, 2, 0, 1, 2}));  // PyTorch's round-robin
}

TEST(DataLoader, TimeoutRaises) {
  DataLoader loader(std::make_shared<Numbers>(4, -1, 300000), 2, false, nullptr, nullptr, 1, nullptr, false, false, 0.05);
  auto t0 = std::chrono::steady_clock::now();
  expect_error<Error>([&] { loader.begin(); }, "DataLoader timed out after 0.05 seconds");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0.25);
  expect_error<ValueError>([] { DataLoader(std::make_shared<Numbers>(4), 2, false, nullptr, nullptr, 1, nullptr, false,
                                           false, -1.0); },
                           "timeout option should be non-negative");
}

TEST(DataLoader, DestroyMidEpochJoinsWorkers) {
  for (int rep = 0; rep < 5; ++rep) {
    auto ds = std::make_shared<Numbers>(1000, -1, 2000);
    std::chrono::steady_clock::time_point t0;
    {
      DataLoader loader(ds, 4, true, nullptr, nullptr, 4, nullptr, false, false, 0, nullptr, std::nullopt, 4);
      int n = 0;
      for (auto& b : loader) {
        (void)b;
        if (++n == 3) break;
      }
      t0 = std::chrono::steady_clock::now();
    }
    // Destruction waits only for the batches being loaded (one per worker, 4 examples of 2 ms each), not
    // for the queued ones, let alone the epoch's 1000 * 2 ms / 4 workers = 0.5 s.
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0.25);
    EXPECT_EQ(ds.use_count(), 1);  // no thread holds on to the dataset
  }
}

TEST(DataLoader, ResumeMidEpoch) {
  auto ds = std::make_shared<Numbers>(50);
  auto collect = [](DataLoader<Example<>>& l, int take) {
    std::vector<std::vector<int64_t>> out;
    for (auto& b : l) {
      out.push_back(vec(b.target));
      if (int(out.size()) == take) break;
    }
    return out;
  };
  for (int workers : {0, 2}) {
    DataLoader full(ds, 6, true, nullptr, nullptr, workers, nullptr, false, false, 0, nullptr, Generator(9));
    auto first = collect(full, -1), second = collect(full, -1);

    DataLoader part(ds, 6, true, nullptr, nullptr, workers, nullptr, false, false, 0, nullptr, Generator(9));
    auto head = collect(part, 3);
    EXPECT_EQ(part.batches_consumed(), 3);
    ASSERT_EQ(part.epoch_batches().size(), 9u);
    auto state = part.state_dict();
    EXPECT_EQ(state.at("batches_consumed").item<int64_t>(), 3);
    EXPECT_EQ(state.at("indices").numel(), 50);

    DataLoader resumed(ds, 6, true, nullptr, nullptr, workers, nullptr, false, false, 0, nullptr, Generator(1234));
    resumed.load_state_dict(state);
    auto rest = collect(resumed, -1);
    head.insert(head.end(), rest.begin(), rest.end());
    EXPECT_EQ(head, first) << workers;
    EXPECT_EQ(collect(resumed, -1), second) << workers;  // the generator's state came along
  }
  DataLoader plain(ds, 6);
  auto bad = plain.state_dict();
  bad["batches_consumed"] = scalar_tensor(99, kInt64);
  expect_error<Error>([&] { plain.load_state_dict(bad); }, "batches_consumed 99 is out of range");
}

TEST(DataLoader, IterableDataset) {
  // Each worker yields its share: example i goes to worker i % num_workers.
  struct Stream : IterableDataset<int64_t> {
    std::function<std::optional<int64_t>()> iter() const override {
      auto info = get_worker_info();
      int64_t next = info ? info->id : 0, step = info ? info->num_workers : 1;
      return [next, step]() mutable -> std::optional<int64_t> {
        if (next >= 10) return std::nullopt;
        int64_t v = next;
        next += step;
        return v;
      };
    }
  };
  auto ds = std::make_shared<Stream>();
  DataLoader<int64_t> zero(ds, 4);
  std::vector<std::vector<int64_t>> b0;
  for (auto& b : zero) b0.push_back(vec(b));
  EXPECT_EQ(b0, (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}));
  // Two workers: batches alternate between the workers' streams (0 2 4 6 8 and 1 3 5 7 9), as in PyTorch.
  DataLoader<int64_t> two(ds, 2, false, nullptr, nullptr, 2);
  std::vector<std::vector<int64_t>> b2;
  for (auto& b : two) b2.push_back(vec(b));
  EXPECT_EQ(b2, (std::vector<std::vector<int64_t>>{{0, 2}, {1, 3}, {4, 6}, {5, 7}, {8}, {9}}));
  DataLoader<int64_t> drop(ds, 2, false, nullptr, nullptr, 2, nullptr, false, true);
  int n = 0;
  for (auto& b : drop) n += int(b.numel() == 2);
  EXPECT_EQ(n, 4);
  expect_error<ValueError>([&] { DataLoader<int64_t>(ds, 2, true); }, "expected unspecified shuffle option");
  expect_error<TypeError>([&] { (void)two.size(); }, "no len()");
}

// ---- transforms ----

TEST(Transforms, ToTensorAndNormalizeMatchTorchvision) {
  transforms::ToTensor to_tensor;
  EXPECT_TRUE(golden::close(to_tensor(gold()["totensor_in"]), gold()["totensor_out"], 0, 0));
  EXPECT_TRUE(golden::close(to_tensor(gold()["totensor_gray_in"]), gold()["totensor_gray_out"], 0, 0));
  Tensor m = gold()["normalize_mean"], s = gold()["normalize_std"];
  transforms::Normalize norm(std::vector<double>(m.data_ptr<double>(), m.data_ptr<double>() + 3),
                             std::vector<double>(s.data_ptr<double>(), s.data_ptr<double>() + 3));
  Tensor x = gold()["totensor_out"];
  EXPECT_TRUE(golden::close(norm(x), gold()["normalize_out"], 0, 0));
  EXPECT_TRUE(golden::close(x, gold()["totensor_out"], 0, 0));  // not in place
  transforms::Compose both({to_tensor, norm});
  EXPECT_TRUE(golden::close(both(gold()["totensor_in"]), gold()["normalize_out"], 0, 0));
  // A non-contiguous float64 image takes the general path.
  Tensor x64 = x.to(kFloat64).transpose(1, 2).contiguous().transpose(1, 2);
  EXPECT_TRUE(golden::close(norm(x64), gold()["normalize_out"].to(kFloat64), 1e-6, 1e-6));
  expect_error<TypeError>([&] { norm(gold()["totensor_in"].permute({2, 0, 1})); }, "Input tensor should be a float tensor");
  expect_error<ValueError>([&] { norm(zeros({3, 4})); }, "Expected tensor to be a tensor image of size (..., C, H, W)");
  expect_error<ValueError>([] { transforms::Normalize({0.5}, {0.0}); }, "std evaluated to zero");
}

TEST(Transforms, RandomCropAndFlip) {
  Tensor img = arange(2 * 5 * 6, kFloat32).view({2, 5, 6});
  transforms::RandomCrop crop(std::vector<int64_t>{3, 4}, {}, false, 0, "constant", Generator(0));
  std::set<std::pair<int64_t, int64_t>> corners;
  for (int k = 0; k < 200; ++k) {
    Tensor c = crop(img);
    ASSERT_EQ(c.sizes(), IntArrayRef({2, 3, 4}));
    int64_t v = int64_t(c.index({0, 0, 0}).item<float>()), i = v / 6, j = v % 6;
    corners.insert({i, j});
    EXPECT_TRUE(same(c, img.narrow(1, i, 3).narrow(2, j, 4)));
  }
  EXPECT_EQ(corners.size(), 3u * 3u);  // every position of the 3x3 choices appears in 200 draws
  // Padding 2 with fill -1 around a 2x2 image cropped to 2x2: the window may show padding.
  Tensor small = ones({1, 2, 2});
  transforms::RandomCrop padded(2, {2}, false, -1, "constant", Generator(1));
  std::set<int64_t> counts;
  for (int k = 0; k < 200; ++k) {
    Tensor c = padded(small);
    ASSERT_EQ(c.sizes(), IntArrayRef({1, 2, 2}));
    double sum = c.sum().item<double>();  // ones count minus padding count
    counts.insert(int64_t(c.eq(1).sum().item<int64_t>()));
    EXPECT_EQ(sum, double(2 * c.eq(1).sum().item<int64_t>() - 4));
  }
  EXPECT_EQ(counts, (std::set<int64_t>{0, 1, 2, 4}));
  // pad_if_needed pads both sides by the shortfall.
  transforms::RandomCrop needs(std::vector<int64_t>{4, 4}, {}, true, 0, "constant", Generator(2));
  EXPECT_EQ(needs(small).sizes(), IntArrayRef({1, 4, 4}));
  EXPECT_EQ(needs(small).sum().item<float>(), 4.0f);
  // Same size: no draw, the image itself.
  EXPECT_TRUE(same(transforms::RandomCrop(std::vector<int64_t>{5, 6})(img), img));
  expect_error<ValueError>([&] { transforms::RandomCrop(8)(img); },
                           "Required crop size (8, 8) is larger than input image size (5, 6)");
  expect_error<ValueError>([] { transforms::RandomCrop(2, {1, 2, 3}); }, "Padding must be an int or a 1, 2, or 4 element tuple");

  transforms::RandomHorizontalFlip flip(0.5, Generator(5));
  int flipped = 0;
  for (int k = 0; k < 400; ++k) {
    Tensor f = flip(img);
    if (same(f, img.flip({-1}))) ++flipped;
    else EXPECT_TRUE(same(f, img));
  }
  EXPECT_NEAR(flipped, 200, 50);  // sd 10
  EXPECT_TRUE(same(transforms::RandomHorizontalFlip(1.0)(img), img.flip({-1})));
  EXPECT_TRUE(same(transforms::RandomHorizontalFlip(0.0)(img), img));
  // Seeded generators reproduce.
  transforms::RandomCrop c1(3, {1}, false, 0, "constant", Generator(42)), c2(3, {1}, false, 0, "constant", Generator(42));
  for (int k = 0; k < 10; ++k) EXPECT_TRUE(same(c1(img), c2(img)));
}
