// Reductions and scans: values against PyTorch (tests/golden/gen_reduce.py), errors, accuracy, and
// gradients by finite differences (test_reduce_grad.cpp).
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "golden.h"
#include "thread_test_util.h"

using namespace ember;

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string p;
  while (std::getline(ss, p, sep)) parts.push_back(p);
  return parts;
}

Tensor make_view(const Tensor& x, const std::string& v) {
  if (v == "T") return x.transpose(0, 2);
  if (v == "S") {
    DimVector sizes(x.sizes()), strides(x.strides());
    sizes[1] = (sizes[1] + 1) / 2;
    strides[1] *= 2;
    return x.as_strided(sizes, strides);
  }
  return x;
}

std::optional<DType> dtype_arg(const std::string& s) {
  if (s == "-") return std::nullopt;
  return golden::parse_dtype(s);
}

// Calls the op a golden name describes (see gen_reduce.py); one or two results.
std::vector<Tensor> run(const std::string& op, const Tensor& x, const std::optional<DimVector>& dims, bool k,
                        const std::string& extra) {
  IntArrayRef d = dims ? IntArrayRef(*dims) : IntArrayRef{};
  std::optional<int64_t> one = dims ? std::optional<int64_t>((*dims)[0]) : std::nullopt;
  auto pair = [](std::tuple<Tensor, Tensor> t) { return std::vector<Tensor>{std::get<0>(t), std::get<1>(t)}; };
  if (op == "sum") return {dims ? x.sum(d, k, dtype_arg(extra)) : x.sum(dtype_arg(extra))};
  if (op == "nansum") return {dims ? x.nansum(d, k) : x.nansum()};
  if (op == "mean") return {dims ? x.mean(d, k, dtype_arg(extra)) : x.mean(dtype_arg(extra))};
  if (op == "nanmean") return {x.nanmean(d, k)};
  if (op == "amax") return {x.amax(d, k)};
  if (op == "amin") return {x.amin(d, k)};
  if (op == "count_nonzero") return {x.count_nonzero(d)};
  if (op == "logsumexp") return {x.logsumexp(d, k)};
  if (op == "var") return {x.var(d, std::optional<int64_t>(std::stoi(extra)), k)};
  if (op == "std") return {x.std(d, std::optional<int64_t>(std::stoi(extra)), k)};
  if (op == "var_mean") return pair(var_mean(x, d, std::optional<int64_t>(std::stoi(extra)), k));
  if (op == "std_mean") return pair(std_mean(x, d, std::optional<int64_t>(std::stoi(extra)), k));
  if (op == "norm") {
    auto parts = split(extra, ':');
    const std::string& p = parts[0];
    if (p == "fro") return {x.norm("fro", d, k)};
    double pv = p == "inf" ? INFINITY : p == "-inf" ? -INFINITY : std::stod(p);
    if (parts.size() > 1) return {x.norm(Scalar(pv), d, k, golden::parse_dtype(parts[1]))};
    return {x.norm(Scalar(pv), d, k)};
  }
  if (op == "prod") return {one ? x.prod(*one, k, dtype_arg(extra)) : x.prod(dtype_arg(extra))};
  if (op == "max") return one ? pair(x.max(*one, k)) : std::vector<Tensor>{x.max()};
  if (op == "min") return one ? pair(x.min(*one, k)) : std::vector<Tensor>{x.min()};
  if (op == "argmax") return {x.argmax(one, k)};
  if (op == "argmin") return {x.argmin(one, k)};
  if (op == "all") return {one ? x.all(*one, k) : x.all()};
  if (op == "any") return {one ? x.any(*one, k) : x.any()};
  if (op == "cumsum") return {x.cumsum(*one, dtype_arg(extra))};
  if (op == "cumprod") return {x.cumprod(*one, dtype_arg(extra))};
  if (op == "cummax") return pair(x.cummax(*one));
  if (op == "cummin") return pair(x.cummin(*one));
  throw std::runtime_error("unknown op " + op);
}

double rtol_for(DType t) {
  if (t == kFloat64) return 1e-9;
  if (t == kFloat32) return 2e-5;
  return 2e-2;
}

}  // namespace

TEST(Reduce, MatchesTorchForEveryOpDtypeAndDims) {
  golden::File g("reduce");
  int checked = 0;
  for (const std::string& full : g.names()) {
    if (full.rfind("in:", 0) == 0 || (full.size() > 2 && full.substr(full.size() - 2) == "#1")) continue;
    bool two = full.size() > 2 && full.substr(full.size() - 2) == "#0";
    std::string name = two ? full.substr(0, full.size() - 2) : full;
    auto f = split(name, '|');
    ASSERT_EQ(f.size(), 6u) << name;
    Tensor x = make_view(g["in:" + f[1]], f[2]);
    std::optional<DimVector> dims;
    if (f[3] != "-") {
      dims.emplace();
      for (const auto& s : split(f[3], ',')) dims->push_back(std::stoll(s));
    }
    std::vector<Tensor> got;
    try {
      got = run(f[0], x, dims, f[4] == "1", f[5]);
    } catch (const std::exception& e) {
      ADD_FAILURE() << name << " threw: " << e.what();
      continue;
    }
    std::vector<std::string> keys = two ? std::vector<std::string>{name + "#0", name + "#1"} : std::vector{name};
    ASSERT_EQ(got.size(), keys.size()) << name;
    for (size_t i = 0; i < keys.size(); ++i) {
      Tensor e = g[keys[i]];
      double rtol = rtol_for(e.dtype());
      EXPECT_TRUE(golden::close(got[i], e, rtol, rtol * 1e-2)) << keys[i];
      ++checked;
    }
  }
  EXPECT_GT(checked, 3000);
}

TEST(Reduce, FloatSumIsAccurate) {
  // Pairwise summation: 1e7 float32 ones sum to exactly 1e7 (a running float sum stops at 2^24).
  Tensor ones = ember::ones({10000000}, kFloat32);
  EXPECT_EQ(ones.sum().item<float>(), 1e7f);
  EXPECT_EQ(ones.view({10000, 1000}).sum({0}).sum().item<float>(), 1e7f);
  // Down the rows: each column adds 1e7 ones through the cascade of partial sums.
  Tensor col = ember::ones({10000000, 2}, kFloat32).sum({0});
  EXPECT_EQ(col.data_ptr<float>()[0], 1e7f);
  EXPECT_EQ(col.data_ptr<float>()[1], 1e7f);
}

namespace {
// The sum of the float elements of a 1-D tensor in long double, by a plain loop.
long double exact_sum(const Tensor& t) {
  Tensor c = t.contiguous().to(kFloat64);
  long double s = 0;
  for (int64_t i = 0; i < c.numel(); ++i) s += c.data_ptr<double>()[i];
  return s;
}
long double abs_sum(const Tensor& t) { return exact_sum(t.abs()); }
}  // namespace

// Long reductions read several far-apart chunks (full reductions) or rows (one output per row) at once;
// the lengths cover whole groups, a remainder of chunks and a partial last chunk or block.
TEST(Reduce, LongReductionsMatchALoop) {
  manual_seed(7);
  for (int64_t n : {int64_t(4) * 32768 * 2, int64_t(32768) * 11 + 777, int64_t(1) << 20 | 12345}) {
    SCOPED_TRACE(n);
    Tensor x = rand({n}, kFloat32) * 2 - 1;
    for (Tensor v : {x, x.slice(0, 1, std::nullopt, 3)}) {
      auto sum_on = [&](int threads) {
        ThreadCount t(threads);
        return v.sum().item<float>();
      };
      float one = sum_on(1), two = sum_on(2);
      EXPECT_EQ(one, two) << "the full sum depends on the thread count";
      EXPECT_NEAR(double(one), double(exact_sum(v)), 1e-6 * double(abs_sum(v)));
      EXPECT_NEAR(v.to(kFloat64).sum().item<double>(), double(exact_sum(v)), 1e-14 * double(abs_sum(v)));
    }
    Tensor ints = randint(-1000, 1000, {n}, TensorOptions(kInt32));
    int64_t want = 0;
    for (int64_t i = 0; i < n; ++i) want += ints.data_ptr<int32_t>()[i];
    EXPECT_EQ(ints.sum().item<int64_t>(), want);
    // Extremes and NaN in the third quarter, where the third of four streams reads.
    Tensor y = x.clone();
    const int64_t at = n / 2 + n / 8;
    y.data_ptr<float>()[at] = 5;
    y.data_ptr<float>()[at + 1] = -6;
    EXPECT_EQ(y.max().item<float>(), 5);
    EXPECT_EQ(y.min().item<float>(), -6);
    EXPECT_EQ(y.amax(0).item<float>(), 5);
    y.data_ptr<float>()[at + 2] = std::nanf("");
    EXPECT_TRUE(std::isnan(y.max().item<float>()));
    EXPECT_TRUE(std::isnan(y.sum().item<float>()));
    EXPECT_NEAR(double(y.nansum().item<float>()), double(exact_sum(y.nan_to_num(0))), 1e-6 * double(abs_sum(y.nan_to_num(0))));
  }
}

TEST(Reduce, LongRowsMatchALoop) {
  manual_seed(8);
  const int64_t len = 3 * 4096 + 100;
  Tensor x = rand({9, len}, kFloat64) * 2 - 1;
  for (Tensor v : {x, x.t().contiguous().t()}) {  // rows contiguous, then strided by 9
    Tensor s = v.sum(1), mx = v.amax(1);
    for (int64_t r = 0; r < 9; ++r) {
      Tensor row = v.select(0, r);
      EXPECT_NEAR(s.data_ptr<double>()[r], double(exact_sum(row)), 1e-14 * double(abs_sum(row))) << r;
      double m = -2;
      for (int64_t i = 0; i < len; ++i) m = std::max(m, row[i].item<double>());
      EXPECT_EQ(mx.data_ptr<double>()[r], m) << r;
    }
  }
  // NaN in the row of the third stream of the first group only.
  Tensor y = x.clone();
  y.data_ptr<double>()[2 * len + 4100] = std::nan("");
  Tensor m = y.amax(1), ns = y.nansum(1);
  for (int64_t r = 0; r < 9; ++r) EXPECT_EQ(std::isnan(m.data_ptr<double>()[r]), r == 2) << r;
  EXPECT_NEAR(ns.data_ptr<double>()[2], double(exact_sum(y.select(0, 2).nan_to_num(0))), 1e-12);
  // prod over long rows of values near 1, against a long double loop.
  Tensor p = 1 + (rand({5, len}, kFloat64) - 0.5) * 1e-3;
  Tensor got = p.prod(1);
  for (int64_t r = 0; r < 5; ++r) {
    long double want = 1;
    for (int64_t i = 0; i < len; ++i) want *= p.data_ptr<double>()[r * len + i];
    EXPECT_NEAR(got.data_ptr<double>()[r], double(want), 1e-12 * double(want)) << r;
  }
}

TEST(Reduce, DtypeRules) {
  Tensor i = ember::ones({2, 3}, kInt32);
  EXPECT_EQ(i.sum().dtype(), kInt64);
  EXPECT_EQ(i.prod().dtype(), kInt64);
  EXPECT_EQ(ember::ones({2}, kBool).sum().dtype(), kInt64);
  EXPECT_EQ(ember::ones({2}, kInt8).cumsum(0).dtype(), kInt64);
  EXPECT_EQ(ember::ones({2}, kInt32).all().dtype(), kBool);
  EXPECT_EQ(ember::ones({2}, kUInt8).any().dtype(), kUInt8);
  EXPECT_EQ(ember::ones({2}, kFloat16).sum().dtype(), kFloat16);
  EXPECT_EQ(ember::ones({2}, kFloat32).count_nonzero().dtype(), kInt64);
  EXPECT_EQ(std::get<1>(ember::ones({2, 2}).max(0)).dtype(), kInt64);
}

TEST(Reduce, ErrorsMatchTorch) {
  auto expect_msg = [](auto fn, const std::string& text) {
    try {
      fn();
      ADD_FAILURE() << "no error; expected: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  Tensor l = ember::ones({3}, kInt64), e = ember::empty({0, 3});
  EXPECT_THROW(l.mean(), Error);
  expect_msg([&] { l.mean(); },
             "mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
             "Got: Long");
  expect_msg([&] { ember::ones({3}).mean(kInt64); }, "Optional dtype must be either a floating point");
  expect_msg([&] { e.max(); },
             "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with "
             "the 'dim' argument.");
  expect_msg([&] { e.min(); }, "min(): Expected reduction dim to be specified");
  expect_msg([&] { e.amax(); }, "amax(): Expected reduction dim to be specified");
  EXPECT_THROW(e.max(0), IndexError);
  expect_msg([&] { e.max(0); }, "max(): Expected reduction dim 0 to have non-zero size.");
  EXPECT_THROW(e.amax({0}), IndexError);
  EXPECT_THROW(e.argmax(), IndexError);
  expect_msg([&] { e.argmax(); }, "argmax(): Expected reduction dim to be specified for input.numel() == 0.");
  EXPECT_THROW(e.argmin(0), IndexError);
  expect_msg([&] { l.var(); }, "std and var only support floating point and complex dtypes");
  expect_msg([&] { l.std(); }, "std and var only support floating point and complex dtypes");
  expect_msg([&] { l.norm(); }, "norm(): input dtype should be either floating point or complex. Got Long instead.");
  expect_msg([&] { l.nanmean(); }, "nanmean(): expected input to have floating point dtype but got Long");
  Tensor x = ember::ones({2, 3});
  EXPECT_THROW(x.sum({5}), IndexError);
  expect_msg([&] { x.sum({5}); }, "Dimension out of range (expected to be in range of [-2, 1], but got 5)");
  expect_msg([&] { x.sum({0, 0}); }, "dim 0 appears multiple times in the list of dims");
  EXPECT_THROW(x.max(2), IndexError);
  EXPECT_THROW(x.cumsum(2), IndexError);
  EXPECT_THROW(x.norm("nuc", {0, 1}), Error);
  // A failed op leaves its input untouched.
  EXPECT_EQ(x.sum().item<float>(), 6.f);
}

TEST(Reduce, EmptyIdentities) {
  Tensor e = ember::empty({0});
  EXPECT_EQ(e.sum().item<float>(), 0.f);
  EXPECT_EQ(e.prod().item<float>(), 1.f);
  EXPECT_TRUE(std::isnan(e.mean().item<float>()));
  EXPECT_TRUE(e.all().item<bool>());
  EXPECT_FALSE(e.any().item<bool>());
  EXPECT_EQ(e.logsumexp({0}).item<float>(), -INFINITY);
  EXPECT_EQ(e.norm(INFINITY).item<float>(), 0.f);
}

TEST(Reduce, LargeAndStridedLayouts) {
  // Every kernel path (full, rows, columns, strided rows) against a float64 reference computed along
  // the other layout.
  Tensor a = ember::ones({300, 257}, kFloat64).cumsum(1).cumsum(0);
  Tensor at = a.t();
  auto close = [](const Tensor& x, const Tensor& y) { return golden::close(x, y, 1e-12, 0); };
  EXPECT_TRUE(close(a.sum({0}), at.sum({1})));
  EXPECT_TRUE(close(a.sum({1}), at.sum({0})));
  EXPECT_TRUE(close(a.sum(), at.sum()));
  EXPECT_TRUE(close(a.amax({0}), at.amax({1})));
  EXPECT_TRUE(close(a.prod(0), at.prod(1)));
  Tensor big = ember::ones({3, 70000}, kFloat32);
  EXPECT_TRUE(golden::close(big.sum({1}), ember::full({3}, 70000.f)));
  EXPECT_TRUE(golden::close(big.t().sum({0}), ember::full({3}, 70000.f)));
  EXPECT_EQ(big.t().sum().item<float>(), 210000.f);
}

// The literal 0 is the 0-norm (the count of nonzeros), in every form: it once converted to the
// `const char*` ("fro") overload as a null pointer.
TEST(Reduce, NormOfLiteralZero) {
  using namespace ember;
  Tensor x = tensor(std::vector<double>{0, 2, -3, 0, 1}).to(kFloat64).reshape({1, 5});
  EXPECT_EQ(x.norm(0).item<double>(), 3.0);
  EXPECT_EQ(norm(x, 0).item<double>(), 3.0);
  EXPECT_EQ(x.norm(0, {1}).item<double>(), 3.0);
  EXPECT_EQ(norm(x, 0, {1}, true).sizes(), IntArrayRef({1, 1}));
  EXPECT_EQ(x.norm(1).item<double>(), 6.0);
  EXPECT_NEAR(x.norm(2.0f).item<double>(), std::sqrt(14.0), 1e-12);
  EXPECT_NEAR(x.norm("fro").item<double>(), std::sqrt(14.0), 1e-12);
}
