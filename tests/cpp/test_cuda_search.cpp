// searchsorted, unique, bincount, histc and multinomial on the GPU against the CPU. unique's groups,
// inverse and counts, searchsorted's positions and histc's counts are exact; a weighted bincount adds
// with atomics (compared to tolerance); multinomial draws the CPU's samples from the same seed.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ember/ember.h>

#include "cuda_test_util.h"
#include "error_test_util.h"

using namespace ember;
using namespace cuda_test;

namespace {

using V = const std::vector<Tensor>&;

// The three results of unique, each compared.
void same_unique(const std::string& what, const std::function<std::tuple<Tensor, Tensor, Tensor>(const Tensor&)>& f,
                 const Tensor& x) {
  same_on_both(what + " values", [&](V v) { return std::get<0>(f(v[0])); }, {x});
  same_on_both(what + " inverse", [&](V v) { return std::get<1>(f(v[0])); }, {x});
  same_on_both(what + " counts", [&](V v) { return std::get<2>(f(v[0])); }, {x});
}

}  // namespace

TEST(CudaSearch, SearchsortedMatchesCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16, kInt32, kInt64, kUInt8}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor bd = std::get<0>(sample({4, 50}, dt, 0, 20).sort(1));  // repeats: left and right differ
    Tensor vals = sample({4, 30}, dt, -2, 22);
    for (bool right : {false, true}) {
      const std::string r = right ? " right" : " left";
      same_on_both("searchsorted rows" + r + t, [=](V v) { return searchsorted(v[0], v[1], false, right); },
                   {bd, vals});
      same_on_both("searchsorted one row, int32" + r + t,
                   [=](V v) { return searchsorted(v[0][1], v[1], true, right); }, {bd, vals});
      same_on_both("bucketize" + r + t, [=](V v) { return bucketize(v[1], v[0][2], false, right); }, {bd, vals});
    }
    Tensor shuffled = sample({50}, dt, 0, 20);
    same_on_both("searchsorted with a sorter" + t,
                 [](V v) { return searchsorted(v[0], v[1], false, false, std::nullopt, v[2]); },
                 {shuffled, vals[0], std::get<1>(shuffled.sort())});
  }
  Tensor special = tensor({-INFINITY, -1.0f, -0.0f, 2.0f, INFINITY, NAN});
  same_on_both("searchsorted with NaN, inf and -0",
               [](V v) { return searchsorted(v[0], v[1], false, true); },
               {special, tensor({NAN, INFINITY, 0.0f, -0.0f, -INFINITY, 5.0f})});
  same_error("searchsorted's sorter out of range", [](Device d) {
    searchsorted(tensor({1.0f, 2.0f}).to(d), tensor({1.5f}).to(d), false, false, std::nullopt,
                 tensor({0L, 2L}).to(d));
  });
  EXPECT_NE(error_of([] { searchsorted(tensor({1.0f, 2.0f}).cuda(), tensor({1.5f})); }).find("same device"),
            std::string::npos);
}

TEST(CudaSearch, UniqueMatchesCpu) {
  REQUIRE_GPU();
  for (DType dt : kAllDtypes) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({7, 40}, dt, -4, 5);
    same_unique("unique" + t, [](const Tensor& a) { return unique(a, true, true, true); }, x);
    same_unique("unique_consecutive" + t, [](const Tensor& a) { return unique_consecutive(a, true, true); },
                std::get<0>(x.sort(1)));
    Tensor rows = sample({30, 3}, dt, 0, 2);  // 8 distinct rows at most, each repeated
    same_unique("unique dim 0" + t, [](const Tensor& a) { return unique(a, true, true, true, 0); }, rows);
    same_unique("unique dim 1" + t, [](const Tensor& a) { return unique(a, true, true, true, 1); }, rows.t());
    same_unique("unique_consecutive dim 0" + t,
                [](const Tensor& a) { return unique_consecutive(a, true, true, 0); }, rows);
  }
  // Every NaN is its own group, after the numbers; -0 and 0 are one group whose value is the first seen.
  Tensor special = tensor({NAN, 1.0f, -0.0f, NAN, 0.0f, -INFINITY, 1.0f, INFINITY});
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16})
    same_unique("unique with NaN, inf and -0 " + std::string(dtype_title(dt)),
                [](const Tensor& a) { return unique(a, true, true, true); }, special.to(dt));
  Tensor nan_rows = tensor({1.0f, NAN, 1.0f, NAN, 0.0f, 2.0f}).view({3, 2});
  same_unique("unique rows with NaN", [](const Tensor& a) { return unique(a, true, true, true, 0); }, nan_rows);
  Tensor big = randint(0, 1000, {300000});
  same_unique("unique of 300k elements", [](const Tensor& a) { return unique(a, true, true, true); }, big);
  same_unique("unique of one element", [](const Tensor& a) { return unique(a, true, true, true); }, tensor({5L}));
  same_unique("unique of nothing", [](const Tensor& a) { return unique(a, true, true, true); },
              empty({0}, TensorOptions(kFloat32)));
}

TEST(CudaSearch, BincountAndHistcMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kUInt8, kInt8, kInt16, kInt32, kInt64}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({5000}, dt, 0, 37);
    same_on_both("bincount" + t, [](V v) { return bincount(v[0]); }, {x});
    same_on_both("bincount with minlength" + t, [](V v) { return bincount(v[0], {}, 60); }, {x});
    same_on_both("bincount float32 weights" + t, [](V v) { return bincount(v[0], v[1]); },
                 {x, rand({5000})});
    same_on_both("bincount float64 weights" + t, [](V v) { return bincount(v[0], v[1]); },
                 {x, rand({5000}, TensorOptions(kFloat64))});
  }
  same_on_both("bincount of nothing", [](V v) { return bincount(v[0], {}, 3); }, {empty({0}, TensorOptions(kInt64))});
  same_error("bincount of a negative value", [](Device d) { bincount(tensor({1L, -1L}).to(d)); });
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({3000}, dt);
    same_on_both("histc" + t, [](V v) { return histc(v[0], 17, -1.5, 1.25); }, {x});
    same_on_both("histc over the data's range" + t, [](V v) { return histc(v[0], 40); }, {x});
    same_on_both("histc with NaN and inf" + t, [](V v) { return histc(v[0], 4, -1, 1); },
                 {tensor({NAN, INFINITY, -1.0f, 1.0f, 0.0f, 0.5f}).to(dt)});
  }
  // float16 counts stop growing at 2048 (+1 rounds back down), on both devices.
  same_on_both("histc float16 past 2048 hits", [](V v) { return histc(v[0], 2, 0, 1); },
               {full({5000}, 0.25, TensorOptions(kFloat16))});
  same_error("histc of a NaN range", [](Device d) { histc(tensor({NAN, 1.0f}).to(d), 3); });
}

TEST(CudaSearch, MultinomialDrawsTheCpuSamples) {
  REQUIRE_GPU();
  Tensor probs = rand({6, 300}, TensorOptions(kFloat64));
  probs.index_put_({indexing::Slice(), indexing::Slice(0, 300, 7)}, 0.0);  // categories that must never be drawn
  for (bool replacement : {true, false})
    for (DType dt : {kFloat32, kFloat64}) {
      const std::string what = std::string("multinomial ") + (replacement ? "with" : "without") + " replacement " +
                               std::string(dtype_title(dt));
      const int64_t draws = replacement ? 1000 : 40;
      Tensor want = multinomial(probs.to(dt), draws, replacement, Generator(1234));
      Tensor got = multinomial(probs.to(dt).cuda(), draws, replacement, Generator(1234));
      expect_matches(got, want, what);
      EXPECT_FALSE(got.cpu().remainder(7).eq(0).any().item<bool>()) << what << ": drew a zero-weight category";
    }
  Tensor one_row = tensor({0.0, 3.0, 1.0});
  expect_matches(multinomial(one_row.cuda(), 5, true, Generator(9)), multinomial(one_row, 5, true, Generator(9)),
                 "multinomial of a 1-d distribution");
  same_error("multinomial with a negative weight",
             [](Device d) { multinomial(tensor({0.5, -0.1}).to(d), 1, true); });
  same_error("multinomial with NaN", [](Device d) { multinomial(tensor({0.5, NAN}).to(d), 1, true); });
  same_error("multinomial with a zero row",
             [](Device d) { multinomial(tensor({1.0, 1.0, 0.0, 0.0}).view({2, 2}).to(d), 1, true); });
}
