// Random numbers. Values cannot be compared with PyTorch (another generator), so these tests check the
// generator itself (Philox4x32-10 known-answer vector from Random123), determinism per seed and across
// thread counts, the distributions (moments of 1e6 samples within a few standard errors, chi-square
// for discrete uniformity, with bounds derived by hand in each test), ranges, dtypes and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include <ember/ember.h>

#include "thread_test_util.h"

using namespace ember;

namespace {
constexpr int64_t kN = 1000000;

std::vector<double> vals(const Tensor& t) {
  Tensor c = t.to(kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}
bool same_values(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.sizes().equals(b.sizes()) && vals(a) == vals(b);
}
double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / double(v.size());
}
double variance(const std::vector<double>& v) {
  double m = mean(v), s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return s / double(v.size() - 1);
}
// Pearson's statistic of observed counts against expected counts.
double chi_square(const std::vector<double>& observed, const std::vector<double>& expected) {
  double c = 0;
  for (size_t i = 0; i < observed.size(); ++i) c += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
  return c;
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
}  // namespace

TEST(Generator, PhiloxKnownAnswer) {
  // Random123's kat_vectors: philox4x32-10, counter 0, key 0 -> 6627e8d5 e169c58d bc57ac4c 9b00dbd8.
  // Element 0 of stream (seed 0, offset 0) is that block; random_() on int64 keeps 63 of the first two words.
  Generator g(0);
  Tensor t = empty({1}, kInt64);
  t.random_(g);
  EXPECT_EQ(t.data_ptr<int64_t>()[0], int64_t(0x6627e8d5e169c58dULL));
  Tensor b = empty({1}, kUInt8);
  b.random_(Generator(0));
  EXPECT_EQ(b.data_ptr<uint8_t>()[0], (0x6627e8d5e169c58dULL % 256));
}

TEST(Generator, SeedsStateAndOffsets) {
  manual_seed(42);
  Tensor a = rand({1000});
  Tensor a2 = rand({1000});
  manual_seed(42);
  EXPECT_TRUE(same_values(rand({1000}), a));
  EXPECT_TRUE(same_values(rand({1000}), a2));
  EXPECT_FALSE(same_values(a, a2));  // the default generator's offset advances per call

  Generator g(7), h(7);
  EXPECT_EQ(g.initial_seed(), 7u);
  EXPECT_TRUE(same_values(randn({100}, g), randn({100}, h)));
  Tensor state = g.get_state();
  EXPECT_EQ(state.dtype(), kUInt8);
  EXPECT_EQ(state.numel(), 16);
  Tensor x = rand({50}, g);
  g.set_state(state);
  EXPECT_TRUE(same_values(rand({50}, g), x));
  Generator shared = g;  // a handle: copies share the state
  rand({5}, shared);
  EXPECT_EQ(g.offset(), shared.offset());
  g.manual_seed(7);
  EXPECT_EQ(g.offset(), 0u);
  Generator fresh;
  EXPECT_EQ(fresh.initial_seed(), Generator::kDefaultSeed);
  uint64_t s = fresh.seed();
  EXPECT_EQ(fresh.initial_seed(), s);

  // An explicit generator leaves the default one alone.
  manual_seed(3);
  Tensor d1 = rand({10});
  manual_seed(3);
  rand({10}, Generator(99));
  EXPECT_TRUE(same_values(rand({10}), d1));

  expect_error<TypeError>([&] { g.set_state(zeros({16})); }, "RNG state must be a torch.ByteTensor");
  expect_error<Error>([&] { g.set_state(zeros({3}, kUInt8)); }, "RNG state size to be 3");
}

TEST(Generator, SameNumbersForAnyThreadCount) {
  auto draw_all = [] {
    Generator g(1234);
    tensor_list r;
    r.push_back(rand({300001}, g));
    r.push_back(randn({300001}, g, kFloat64));
    r.push_back(randint(-7, 1000, {300001}, g));
    r.push_back(randperm(100000, g));
    r.push_back(bernoulli(full({200000}, 0.3), g));
    r.push_back(multinomial(ones({2000, 50}), 20, false, g));
    r.push_back(multinomial(ones({2000, 50}), 20, true, g));
    r.push_back(empty({300001}).exponential_(1.5, g));
    r.push_back(dropout(ones({300001}), 0.25, true, g));
    return r;
  };
  tensor_list one, two, four;
  {
    ThreadCount t(1);
    one = draw_all();
  }
  {
    ThreadCount t(2);
    two = draw_all();
  }
  {
    ThreadCount t(4);
    four = draw_all();
  }
  for (size_t i = 0; i < one.size(); ++i) {
    EXPECT_TRUE(same_values(one[i], two[i])) << "op " << i;
    EXPECT_TRUE(same_values(one[i], four[i])) << "op " << i;
  }
}

TEST(Random, UniformMoments) {
  // U(0,1): mean 1/2, variance 1/12; the standard error of the mean is sqrt(1/12/N) = 2.9e-4, of the
  // variance sqrt((1/80 - 1/144)/N) = 7.5e-5. Bounds are 5 standard errors.
  auto v = vals(rand({kN}, Generator(1)));
  EXPECT_NEAR(mean(v), 0.5, 5 * 2.9e-4);
  EXPECT_NEAR(variance(v), 1.0 / 12, 5 * 7.5e-5);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
  EXPECT_LT(*std::max_element(v.begin(), v.end()), 1.0);
  // uniform_(-2, 5): mean 1.5, sd 7/sqrt(12); standard error 2.02e-3.
  Tensor u = empty({kN}, kFloat64);
  u.uniform_(-2, 5, Generator(2));
  auto w = vals(u);
  EXPECT_NEAR(mean(w), 1.5, 5 * 2.02e-3);
  EXPECT_GE(*std::min_element(w.begin(), w.end()), -2.0);
  EXPECT_LT(*std::max_element(w.begin(), w.end()), 5.0);
  for (DType dt : {kFloat16, kBFloat16}) {
    auto r = vals(rand({kN}, Generator(3), dt));
    EXPECT_NEAR(mean(r), 0.5, 5 * 2.9e-4 + 1e-3) << dt;  // plus the grid's half-step bias (2^-9 for bfloat16)
    EXPECT_LT(*std::max_element(r.begin(), r.end()), 1.0) << dt;
    EXPECT_GE(*std::min_element(r.begin(), r.end()), 0.0) << dt;
  }
}

TEST(Random, NormalMoments) {
  // N(0,1): standard error of the mean 1/sqrt(N) = 1e-3, of the variance sqrt(2/N) = 1.41e-3.
  auto v = vals(randn({kN}, Generator(4), kFloat64));
  EXPECT_NEAR(mean(v), 0.0, 5e-3);
  EXPECT_NEAR(variance(v), 1.0, 5 * 1.41e-3);
  // Fourth moment 3 (kurtosis), standard error sqrt(96/N) = 9.8e-3.
  double m4 = 0;
  for (double x : v) m4 += x * x * x * x;
  EXPECT_NEAR(m4 / kN, 3.0, 5 * 9.8e-3);
  // normal(3, 2): mean 3 +- 5 * 2e-3, variance 4 +- 5 * 4 * 1.41e-3.
  auto n = vals(normal(3, 2, {kN}, Generator(5)));
  EXPECT_NEAR(mean(n), 3.0, 1e-2);
  EXPECT_NEAR(variance(n), 4.0, 2.9e-2);
  Tensor t = empty({kN}, kFloat16);
  t.normal_(-1, 0.5, Generator(6));
  EXPECT_NEAR(mean(vals(t)), -1.0, 5 * 0.5e-3 + 1e-3);
  // Tensor mean and std broadcast: column 0 ~ N(0, 1), column 1 ~ N(10, 0.1).
  Tensor cols = normal(zeros({kN / 2, 2}) + tensor({0.0f, 10.0f}), tensor({1.0f, 0.1f}), Generator(7));
  EXPECT_EQ(cols.sizes(), IntArrayRef({kN / 2, 2}));
  auto c = vals(cols);
  std::vector<double> c0, c1;
  for (size_t i = 0; i < c.size(); i += 2) {
    c0.push_back(c[i]);
    c1.push_back(c[i + 1]);
  }
  EXPECT_NEAR(mean(c0), 0.0, 5 * 1.41e-3);
  EXPECT_NEAR(mean(c1), 10.0, 5 * 1.41e-4);
  EXPECT_NEAR(variance(c1), 0.01, 5 * 0.01 * 2e-3);
  EXPECT_EQ(normal(tensor({1.0, 2.0}, kFloat64), 0.5).dtype(), kFloat64);
  EXPECT_EQ(normal(0.0, tensor({1.0f, 2.0f})).sizes(), IntArrayRef({2}));
  // PyTorch records normal with tensor arguments with zero gradients.
  Tensor m = zeros({3}).requires_grad_(true), sd = ones({3}).requires_grad_(true);
  normal(m, sd).sum().backward();
  EXPECT_TRUE(same_values(m.grad(), zeros({3})));
  EXPECT_TRUE(same_values(sd.grad(), zeros({3})));
}

TEST(Random, ExponentialAndBernoulli) {
  // Exp(2): mean 1/2, sd 1/2, standard error 5e-4.
  Tensor e = empty({kN}, kFloat64);
  e.exponential_(2, Generator(8));
  auto v = vals(e);
  EXPECT_NEAR(mean(v), 0.5, 2.5e-3);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 0.0);
  // Bernoulli(0.3): standard error sqrt(0.21/N) = 4.6e-4.
  EXPECT_NEAR(mean(vals(bernoulli(empty({kN}), 0.3, Generator(9)))), 0.3, 5 * 4.6e-4);
  Tensor b = zeros({kN}, kInt64);
  b.bernoulli_(0.8, Generator(10));
  EXPECT_NEAR(mean(vals(b)), 0.8, 5 * 4e-4);
  Tensor bb = zeros({1000}, kBool);
  bb.bernoulli_(0.5, Generator(11));
  EXPECT_EQ(bb.dtype(), kBool);
  // Per-element p: columns with p = 0, 0.25, 1; standard error for 0.25 with N/4 draws is 8.7e-4.
  Tensor p = tensor({0.0, 0.25, 1.0, 0.25}).expand({kN / 4, 4}).contiguous();
  auto r = vals(bernoulli(p, Generator(12)));
  double s0 = 0, s1 = 0, s2 = 0;
  for (size_t i = 0; i < r.size(); i += 4) {
    s0 += r[i];
    s1 += r[i + 1] + r[i + 3];
    s2 += r[i + 2];
  }
  EXPECT_EQ(s0, 0.0);
  EXPECT_EQ(s2, double(kN / 4));
  EXPECT_NEAR(s1 / (kN / 2), 0.25, 5 * 6.2e-4);
  Tensor bt = zeros({3, 4});
  bt.bernoulli_(tensor({0.0f, 1.0f, 0.0f, 1.0f}), Generator(13));
  EXPECT_EQ(vals(bt), std::vector<double>({0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}));
}

TEST(Random, RandintChiSquareAndRanges) {
  // 10 equally likely values: chi-square with 9 degrees of freedom; P(chi2_9 > 33.7) = 1e-4.
  auto v = vals(randint(0, 10, {kN}, Generator(14)));
  std::vector<double> counts(10, 0.0);
  for (double x : v) {
    ASSERT_TRUE(x >= 0 && x < 10 && x == std::floor(x));
    counts[size_t(x)] += 1;
  }
  EXPECT_LT(chi_square(counts, std::vector<double>(10, kN / 10.0)), 33.7);
  auto s = vals(randint(-5, 5, {100000}, Generator(15), kInt16));
  EXPECT_EQ(*std::min_element(s.begin(), s.end()), -5);
  EXPECT_EQ(*std::max_element(s.begin(), s.end()), 4);
  EXPECT_EQ(randint(3, {2}).dtype(), kInt64);
  Tensor f = randint(0, 4, {1000}, Generator(16), kFloat32);
  EXPECT_EQ(f.dtype(), kFloat32);
  for (double x : vals(f)) EXPECT_TRUE(x == std::floor(x) && x >= 0 && x < 4);
  Tensor like = randint_like(zeros({3, 2}, kFloat64), 2, 9);
  EXPECT_EQ(like.dtype(), kFloat64);
  EXPECT_EQ(like.sizes(), IntArrayRef({3, 2}));
  EXPECT_EQ(rand_like(zeros({2}, kFloat64)).dtype(), kFloat64);
  EXPECT_EQ(randn_like(zeros({2}, kBFloat16)).dtype(), kBFloat16);
}

TEST(Random, RandomInPlaceRanges) {
  auto range_of = [](DType dt, auto fill) {
    Tensor t = empty({200000}, dt);
    fill(t);
    auto v = vals(t);
    return std::make_pair(*std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
  };
  // Defaults as PyTorch: [0, max] for integers, [0, 2^mantissa] for floats.
  EXPECT_EQ(range_of(kUInt8, [](Tensor& t) { t.random_(Generator(1)); }), std::make_pair(0.0, 255.0));
  EXPECT_EQ(range_of(kInt8, [](Tensor& t) { t.random_(Generator(2)); }), std::make_pair(0.0, 127.0));
  EXPECT_EQ(range_of(kBool, [](Tensor& t) { t.random_(Generator(3)); }), std::make_pair(0.0, 1.0));
  EXPECT_EQ(range_of(kFloat16, [](Tensor& t) { t.random_(Generator(4)); }), std::make_pair(0.0, 2048.0));
  auto f32 = range_of(kFloat32, [](Tensor& t) { t.random_(Generator(5)); });
  EXPECT_GE(f32.first, 0.0);
  EXPECT_LE(f32.second, 16777216.0);
  EXPECT_GT(f32.second, 16000000.0);
  EXPECT_EQ(range_of(kInt64, [](Tensor& t) { t.random_(5, Generator(6)); }), std::make_pair(0.0, 4.0));
  EXPECT_EQ(range_of(kInt8, [](Tensor& t) { t.random_(-3, 4, Generator(7)); }), std::make_pair(-3.0, 3.0));
  EXPECT_EQ(range_of(kInt16, [](Tensor& t) { t.random_(32760, std::nullopt, Generator(8)); }),
            std::make_pair(32760.0, 32767.0));
  EXPECT_EQ(range_of(kFloat64, [](Tensor& t) { t.random_(-2, 2, Generator(9)); }), std::make_pair(-2.0, 1.0));
  auto full64 = range_of(kInt64, [](Tensor& t) { t.random_(Generator(10)); });
  EXPECT_GE(full64.first, 0.0);
  EXPECT_GT(full64.second, 9e18);
}

TEST(Random, RandpermIsUniformPermutation) {
  Tensor p = randperm(1000, Generator(20));
  EXPECT_EQ(p.dtype(), kInt64);
  auto v = vals(p);
  std::sort(v.begin(), v.end());
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(v[size_t(i)], i);
  // All 6 orders of randperm(3) equally likely over 60000 draws: chi-square, 5 degrees of freedom;
  // P(chi2_5 > 25.7) = 1e-4.
  Generator g(21);
  std::map<std::vector<double>, double> seen;
  for (int i = 0; i < 60000; ++i) seen[vals(randperm(3, g))] += 1;
  ASSERT_EQ(seen.size(), 6u);
  std::vector<double> counts;
  for (auto& kv : seen) counts.push_back(kv.second);
  EXPECT_LT(chi_square(counts, std::vector<double>(6, 10000.0)), 25.7);
  EXPECT_EQ(randperm(0).numel(), 0);
  EXPECT_EQ(randperm(5, kFloat32).dtype(), kFloat32);
}

TEST(Random, MultinomialDistributionAndNoRepeats) {
  // Weights 1:2:3:4 (not normalised), 1e6 draws: chi-square with 3 degrees of freedom;
  // P(chi2_3 > 21.1) = 1e-4.
  Tensor w = tensor({1.0f, 2.0f, 3.0f, 4.0f});
  auto v = vals(multinomial(w, kN, true, Generator(30)));
  std::vector<double> counts(4, 0.0);
  for (double x : v) counts[size_t(x)] += 1;
  EXPECT_LT(chi_square(counts, {1e5, 2e5, 3e5, 4e5}), 21.1);
  // Without replacement: every row a set of distinct categories, and zero weights never drawn while
  // positive ones remain.
  Tensor rows = multinomial(tensor({1.0, 0.0, 5.0, 2.0, 0.5, 0.0}).expand({2000, 6}).contiguous(), 4, false,
                            Generator(31));
  EXPECT_EQ(rows.sizes(), IntArrayRef({2000, 4}));
  auto r = vals(rows);
  for (size_t i = 0; i < r.size(); i += 4) {
    std::set<double> s(r.begin() + long(i), r.begin() + long(i) + 4);
    ASSERT_EQ(s.size(), 4u);
    ASSERT_EQ(s.count(1.0) + s.count(5.0), 0u);
  }
  // The first draw without replacement follows the weights: 1e5 rows of 1:3, chi-square 1 degree of
  // freedom, P(chi2_1 > 15.1) = 1e-4.
  auto first = vals(multinomial(tensor({1.0f, 3.0f}).expand({100000, 2}).contiguous(), 1, false, Generator(32)));
  double ones_count = 0;
  for (double x : first) ones_count += x;
  EXPECT_LT(chi_square({100000 - ones_count, ones_count}, {25000, 75000}), 15.1);
  Tensor all = multinomial(tensor({1.0, 2.0, 3.0}), 3, false, Generator(33));
  auto a = vals(all);
  std::sort(a.begin(), a.end());
  EXPECT_EQ(a, std::vector<double>({0, 1, 2}));
  EXPECT_EQ(multinomial(ones({0, 2}), 1).sizes(), IntArrayRef({0, 1}));
}

TEST(Random, NonContiguousFillsInLogicalOrder) {
  Tensor t = empty({4, 5}).t();
  t.uniform_(0, 1, Generator(40));
  EXPECT_TRUE(same_values(t.contiguous(), rand({5, 4}, Generator(40))));
  EXPECT_EQ(rand({0, 3}).numel(), 0);
  EXPECT_EQ(rand({}).dim(), 0);
}

TEST(Dropout, ScalingZeroFractionAndGradient) {
  Tensor x = ones({kN});
  auto v = vals(dropout(x, 0.3, true, Generator(50)));
  double zeros_count = 0;
  for (double e : v) {
    if (e == 0) zeros_count += 1;
    else ASSERT_NEAR(e, 1 / 0.7, 1e-6);
  }
  // Zero fraction 0.3, standard error 4.6e-4.
  EXPECT_NEAR(zeros_count / kN, 0.3, 5 * 4.6e-4);
  EXPECT_TRUE(same_values(dropout(x, 1.0, true), zeros({kN})));
  EXPECT_TRUE(dropout(x, 0.5, false).is_same(x));
  EXPECT_TRUE(same_values(dropout(x, 0.0, true), x));

  // The same generator seed inside the function gives the same mask each call, so finite differences
  // see a fixed linear map: grad * mask / (1 - p).
  Tensor in = randn({3, 4}, Generator(51), kFloat64).t().requires_grad_(true);
  auto fn = [](const tensor_list& t) { return tensor_list{dropout(t[0], 0.4, true, Generator(52))}; };
  EXPECT_TRUE(autograd::gradcheck(fn, {in}));
  EXPECT_TRUE(autograd::gradgradcheck(fn, {in}));
  Tensor leaf = ones({1000}, kFloat64).requires_grad_(true);
  Tensor out = dropout(leaf, 0.2, true, Generator(53));
  out.sum().backward();
  EXPECT_TRUE(same_values(leaf.grad(), out.detach()));  // input of ones: the gradient is the scaled mask
  Tensor p1 = ones({4}, kFloat64).requires_grad_(true);
  dropout(p1, 1.0, true).sum().backward();
  EXPECT_TRUE(same_values(p1.grad(), zeros({4}, kFloat64)));
}

TEST(RandomErrors, MessagesLikeTorch) {
  expect_error<Error>([] { rand({2}, kInt64); }, "\"check_uniform_bounds\" not implemented for 'Long'");
  expect_error<Error>([] { randn({2}, kInt64); }, "\"normal_kernel_cpu\" not implemented for 'Long'");
  expect_error<Error>([] { randint(5, 5, {2}); },
                      "random_ expects 'from' to be less than 'to', but got from=5 >= to=5");
  expect_error<Error>([] { randint(0, 300, {2}, kUInt8); }, "to - 1 is out of bounds for unsigned char");
  expect_error<Error>([] { randint(0, 3, {2}, kBool); }, "to - 1 is out of bounds for bool");
  expect_error<Error>([] { empty({2}, kUInt8).random_(-1, 3); }, "from is out of bounds for unsigned char");
  expect_error<Error>([] { empty({2}).random_(0); }, "but got from=0 >= to=0");
  expect_error<Error>([] { randperm(-1); }, "Trying to create tensor with negative dimension -1: [-1]");
  expect_error<Error>([] { randperm(3000, kFloat16); }, "n cannot be greater than 2049 for Half type.");
  expect_error<Error>([] { normal(0, -1, {2}); }, "normal expects std >= 0.0, but found std -1");
  expect_error<Error>([] { normal(zeros({2}), tensor({1.0f, -1.0f})); }, "normal expects all elements of std >= 0.0");
  expect_error<Error>([] { zeros({2}).normal_(0, -1); }, "normal expects std >= 0.0, but found std -1");
  expect_error<Error>([] { zeros({2}, kInt64).normal_(); }, "\"normal_kernel_cpu\" not implemented for 'Long'");
  expect_error<Error>([] { zeros({2}).uniform_(2, 1); },
                      "uniform_ expects to return a [from, to) range, but found from=2 > to=1");
  expect_error<Error>([] { zeros({2}, kInt64).uniform_(); }, "\"check_uniform_bounds\" not implemented for 'Long'");
  expect_error<Error>([] { zeros({2}).exponential_(-1); }, "exponential_ expects lambda >= 0.0, but found lambda=-1");
  expect_error<Error>([] { zeros({2}, kInt64).exponential_(); }, "\"exponential_cpu\" not implemented for 'Long'");
  expect_error<Error>([] { zeros({2}).bernoulli_(2.0); }, "bernoulli_ expects p to be in [0, 1], but got p=2");
  expect_error<Error>([] { bernoulli(tensor({0.5f, 2.0f})); }, "p_in >= 0 && p_in <= 1");
  expect_error<Error>([] { bernoulli(tensor({0, 1})); }, "\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'");
  expect_error<Error>([] { multinomial(zeros({3}), 1); },
                      "invalid multinomial distribution (sum of probabilities <= 0)");
  expect_error<Error>([] { multinomial(tensor({1.0f, -1.0f}), 1); },
                      "probability tensor contains either `inf`, `nan` or element < 0");
  expect_error<Error>([] { multinomial(tensor({1.0f, INFINITY}), 1); },
                      "probability tensor contains either `inf`, `nan` or element < 0");
  expect_error<Error>([] { multinomial(tensor({1.0f, 1.0f}), 3); },
                      "cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  expect_error<Error>([] { multinomial(tensor({1.0f, 1.0f}), 0); }, "cannot sample n_sample <= 0 samples");
  // With replacement torch 1.13 walks the rows and names the first bad entry of the first bad row
  // (NaN fails `>= 0`), or that row's sum; these are its messages for these inputs.
  const float nan = NAN;
  expect_error<Error>([] { multinomial(tensor({1.0f, 2.0f, 0.5f, -1.0f}).view({2, 2}), 3, true); },
                      "invalid multinomial distribution (encountering probability entry < 0)");
  expect_error<Error>([&] { multinomial(tensor({1.0f, 2.0f, nan, 1.0f}).view({2, 2}), 1, true); },
                      "invalid multinomial distribution (encountering probability entry < 0)");
  expect_error<Error>([] { multinomial(tensor({1.0f, 2.0f, INFINITY, 1.0f}).view({2, 2}), 3, true); },
                      "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
  expect_error<Error>([] { multinomial(tensor({0.0f, 0.0f, 1.0f, -1.0f}).view({2, 2}), 3, true); },
                      "invalid multinomial distribution (sum of probabilities <= 0)");
  expect_error<Error>([] { multinomial(tensor({INFINITY, -1.0f, 1.0f, 1.0f}).view({2, 2}), 3, true); },
                      "invalid multinomial distribution (encountering probability entry = infinity or NaN)");
  expect_error<Error>([] { multinomial(tensor({1.0f, 1.0f, -1.0f, INFINITY}).view({2, 2}), 1, true); },
                      "invalid multinomial distribution (encountering probability entry < 0)");
  expect_error<Error>([] { multinomial(tensor({0.0f, 0.0f, 1.0f, -1.0f}).view({2, 2}), 1); },
                      "probability tensor contains either `inf`, `nan` or element < 0");

  expect_error<Error>([] { multinomial(ones({2, 2, 2}), 1); }, "prob_dist must be 1 or 2 dim");
  expect_error<Error>([] { multinomial(tensor({1, 1}), 1); },
                      "multinomial only supports floating-point dtypes for input, got: Long");
  expect_error<ValueError>([] { dropout(ones({3}), 1.5, true); },
                           "dropout probability has to be between 0 and 1, but got 1.5");
  expect_error<Error>([] { dropout(tensor({1, 2}), 0.5, true); },
                      "result type Float can't be cast to the desired output type Long");
  // A failed op leaves its input unchanged.
  Tensor keep = ones({3});
  expect_error<Error>([&] { keep.bernoulli_(tensor({0.5f, 2.0f, 0.5f})); }, "p_in");
  EXPECT_TRUE(same_values(keep, ones({3})));
  Tensor leaf = zeros({3}).requires_grad_(true);
  expect_error<Error>([&] { leaf.normal_(); }, "a leaf Variable that requires grad is being used in an in-place operation.");
  {
    NoGradGuard ng;
    leaf.normal_(0, 1, Generator(1));
  }
  EXPECT_TRUE(leaf.requires_grad());
}
