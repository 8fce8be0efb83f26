// Pointwise ops against PyTorch (tests/golden/gen_pointwise.py): every op of pointwise.def over every
// dtype, on contiguous, transposed, stepped, expanded, 0-dim and empty inputs, in place, with the ops'
// extra arguments, PyTorch's result dtypes, and PyTorch's errors.
#include <functional>

#include "golden.h"

using namespace ember;

namespace {

const std::vector<DType> kAllDtypes = {kFloat32, kFloat64, kFloat16, kBFloat16, kInt64,
                                       kInt32,   kInt16,   kInt8,    kUInt8,    kBool};

std::string name_of(DType t) { return std::string(dtype_name(t)); }

// The first row of a contiguous matrix, and the first element of a tensor (Tensor::operator[] belongs to
// the indexing family).
Tensor row0(const Tensor& t) { return t.as_strided({t.size(1)}, {1}, 0); }
double first(const Tensor& t) { return t.as_strided({}, {}, 0).item<double>(); }

// PyTorch's can_cast (the test's own oracle for ember::can_cast): no floating -> integral, no non-bool -> bool.
bool castable(DType from, DType to) {
  if (is_floating_point(from) && !is_floating_point(to)) return false;
  return !(from != kBool && to == kBool);
}

// Tolerances by result dtype: a few ulp of the dtype (the goldens' float16 twins and erfinv are not
// PyTorch's exact bits).
::testing::AssertionResult near(const Tensor& actual, const Tensor& expected) {
  switch (expected.dtype()) {
    case kFloat32: return golden::close(actual, expected, 1e-5, 1e-6);
    case kFloat64: return golden::close(actual, expected, 1e-10, 1e-12);
    case kFloat16: return golden::close(actual, expected, 2e-3, 1e-3);
    case kBFloat16: return golden::close(actual, expected, 1.6e-2, 1e-2);
    default: return golden::close(actual, expected, 0, 0);
  }
}

// The golden result for `key`, or its float32-computed twin for float16 ops PyTorch 1.13 lacks on CPU;
// undefined where PyTorch raises.
Tensor expected_for(const golden::File& g, const std::string& key) {
  if (g.has(key)) return g[key];
  if (g.has(key + "_upcast")) return g[key + "_upcast"];
  return Tensor();
}

// Views of a (3, 4) tensor, applied alike to the input and the expected result (pointwise ops commute
// with views): transposed, stepped, expanded (stride 0), a 0-dim element, and empty.
struct View {
  const char* name;
  std::function<Tensor(const Tensor&)> apply;
};
const std::vector<View> kViews = {
    {"contiguous", [](const Tensor& t) { return t; }},
    {"transposed", [](const Tensor& t) { return t.t(); }},
    {"stepped", [](const Tensor& t) { return t.as_strided({3, 2}, {4, 2}, 1); }},
    {"expanded", [](const Tensor& t) { return t.as_strided({2, 4}, {0, 1}, 4); }},
    {"zero_dim", [](const Tensor& t) { return t.as_strided({}, {}, 6); }},
    {"empty", [](const Tensor& t) { return t.as_strided({0, 4}, {4, 1}, 0); }},
};

struct UnaryCase {
  const char* name;
  std::function<Tensor(const Tensor&)> fn;
  std::function<void(Tensor&)> fn_;
};
const std::vector<UnaryCase> kUnary = {
#define EMBER_UNARY_OP(name, F, R) {#name, [](const Tensor& t) { return t.name(); }, [](Tensor& t) { t.name##_(); }},
#include <ember/ops/pointwise.def>
};

std::string domain_of(const std::string& op) {
  for (const char* p : {"sqrt", "rsqrt", "log", "log2", "log10", "log1p"})
    if (op == p) return "positive";
  for (const char* u : {"asin", "acos", "erfinv"})
    if (op == u) return "unit";
  return "general";
}

}  // namespace

TEST(PointwiseGolden, UnaryEveryDtypeAndLayout) {
  golden::File g("pointwise");
  for (const auto& op : kUnary) {
    for (DType dt : kAllDtypes) {
      SCOPED_TRACE(std::string(op.name) + " " + name_of(dt));
      Tensor x = g["in_" + domain_of(op.name) + "_" + name_of(dt)];
      Tensor expected = expected_for(g, std::string(op.name) + "_" + name_of(dt));
      if (!expected.defined()) {
        EXPECT_THROW(op.fn(x), Error);
        Tensor y = x.clone();
        EXPECT_THROW(op.fn_(y), Error);
        EXPECT_TRUE(golden::close(y, x, 0, 0)) << "a failed in-place op changed its input";
        continue;
      }
      for (const View& v : kViews) EXPECT_TRUE(near(op.fn(v.apply(x)), v.apply(expected))) << v.name;
      Tensor y = x.clone();
      if (castable(expected.dtype(), dt)) {
        op.fn_(y);
        EXPECT_TRUE(near(y, expected.to(dt))) << "in place";
      } else {
        EXPECT_THROW(op.fn_(y), Error);
      }
    }
  }
}

namespace {
struct BinaryCase {
  const char* name;
  std::function<Tensor(const Tensor&, const Tensor&)> fn;
  std::function<void(Tensor&, const Tensor&)> fn_;
};
const std::vector<BinaryCase> kBinary = {
#define EMBER_BINARY_OP(name, F, R)                                       \
  {#name, [](const Tensor& a, const Tensor& b) { return a.name(b); }, \
   [](Tensor& a, const Tensor& b) { a.name##_(b); }},
#include <ember/ops/pointwise.def>
    {"add", [](const Tensor& a, const Tensor& b) { return a + b; }, [](Tensor& a, const Tensor& b) { a += b; }},
    {"sub", [](const Tensor& a, const Tensor& b) { return a - b; }, [](Tensor& a, const Tensor& b) { a -= b; }},
};
bool small_exponent(const std::string& op) {
  return op == "pow" || op == "bitwise_left_shift" || op == "bitwise_right_shift";
}
}  // namespace

TEST(PointwiseGolden, BinaryEveryDtypeAndLayout) {
  golden::File g("pointwise");
  for (const auto& op : kBinary) {
    for (DType dt : kAllDtypes) {
      SCOPED_TRACE(std::string(op.name) + " " + name_of(dt));
      Tensor a = g["bin_a_" + name_of(dt)];
      Tensor b = g[(small_exponent(op.name) && !is_floating_point(dt) ? "bin_bsmall_" : "bin_b_") + name_of(dt)];
      Tensor expected = expected_for(g, std::string(op.name) + "_" + name_of(dt));
      if (!expected.defined()) {
        EXPECT_THROW(op.fn(a, b), Error);
        Tensor y = a.clone();
        EXPECT_THROW(op.fn_(y, b), Error);
        EXPECT_TRUE(golden::close(y, a, 0, 0)) << "a failed in-place op changed its input";
        continue;
      }
      EXPECT_TRUE(near(op.fn(a, b), expected)) << "broadcast";
      EXPECT_TRUE(near(op.fn(a.t(), b.unsqueeze(1)), expected.t())) << "transposed";
      EXPECT_TRUE(near(op.fn(a.as_strided({3, 2}, {4, 2}, 0), b.as_strided({2}, {2}, 0)),
                       expected.as_strided({3, 2}, {4, 2}, 0)))
          << "stepped";
      EXPECT_TRUE(near(op.fn(a.as_strided({}, {}, 5), b.as_strided({}, {}, 1)), expected.as_strided({}, {}, 5)))
          << "0-dim";
      Tensor empty = op.fn(a.as_strided({0, 4}, {4, 1}, 0), b);
      EXPECT_EQ(empty.sizes(), IntArrayRef({0, 4}));
      EXPECT_EQ(empty.dtype(), expected.dtype());
      Tensor y = a.clone();
      if (castable(expected.dtype(), dt)) {
        op.fn_(y, b);
        EXPECT_TRUE(near(y, expected.to(dt))) << "in place";
      } else {
        EXPECT_THROW(op.fn_(y, b), Error);
      }
    }
  }
}

TEST(PointwiseGolden, DivRoundingModes) {
  golden::File g("pointwise");
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16, kInt64, kInt32, kInt8}) {
    SCOPED_TRACE(name_of(dt));
    bool fl = is_floating_point(dt);
    Tensor a = g[fl ? "div_fa" : "div_ia"].to(dt), b = g[fl ? "div_fb" : "div_ib"].to(dt);
    EXPECT_TRUE(near(ember::div(a, b, "trunc"), g["div_trunc_" + name_of(dt)]));
    EXPECT_TRUE(near(a.div(b, "floor"), g["div_floor_" + name_of(dt)]));
    EXPECT_TRUE(near(ember::floor_divide(a, b), g["floor_divide_" + name_of(dt)]));
    EXPECT_TRUE(near(a.div(b, std::nullopt), a / b));
    Tensor y = a.clone();
    y.div_(b, "floor");
    EXPECT_TRUE(near(y, g["div_floor_" + name_of(dt)]));
    if (!fl) {
      EXPECT_TRUE(near(a % b, g["remainder_div_" + name_of(dt)]));
      EXPECT_TRUE(near(ember::fmod(a, b), g["fmod_div_" + name_of(dt)]));
    }
  }
  EXPECT_TRUE(near(g["div_ia"].div(2.5, "floor"), g["div_floor_int_by_float_scalar"]));
}

TEST(PointwiseGolden, PowWithNumbers) {
  golden::File g("pointwise");
  Tensor px = g["pow_px"], pi = g["pow_pi"];
  EXPECT_TRUE(near(px.pow(2), g["pow_px_2"]));
  EXPECT_TRUE(near(px.pow(0.5), g["pow_px_half"]));
  EXPECT_TRUE(near(px.pow(-3), g["pow_px_neg3"]));
  EXPECT_TRUE(near(pi.pow(3), g["pow_pi_3"]));
  EXPECT_TRUE(near(pi.pow(0.5), g["pow_pi_half"]));
  EXPECT_TRUE(near(ember::pow(2, pi), g["pow_2_pi"]));
  EXPECT_TRUE(near(ember::pow(2.5, pi), g["pow_2p5_pi"]));
  EXPECT_TRUE(near(ember::pow(3, px), g["pow_3_px"]));
  EXPECT_TRUE(near(px.to(kFloat16).pow(2), g["pow_px_f16_2"]));
}

TEST(PointwiseGolden, RoundLogitNanToNum) {
  golden::File g("pointwise");
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    SCOPED_TRACE(name_of(dt));
    Tensor rx = g["round_x"].to(dt);
    for (int d : {2, -2, 1}) {
      std::string key = "round_d" + std::string(d < 0 ? "m" : "") + std::to_string(std::abs(d)) + "_" + name_of(dt);
      Tensor e = expected_for(g, key);
      ASSERT_TRUE(e.defined()) << key;
      EXPECT_TRUE(near(rx.round(d), e)) << key;
    }
    Tensor lx = g["logit_x"].to(dt);
    EXPECT_TRUE(near(lx.logit(), expected_for(g, "logit_" + name_of(dt))));
    EXPECT_TRUE(near(ember::logit(lx, 0.1), expected_for(g, "logit_eps_" + name_of(dt))));
    Tensor nx = g["nan_to_num_x"].to(dt);
    EXPECT_TRUE(near(nx.nan_to_num(), g["nan_to_num_" + name_of(dt)]));
    EXPECT_TRUE(near(ember::nan_to_num(nx, 7.0, 100.0, -50.0), g["nan_to_num_custom_" + name_of(dt)]));
    Tensor y = nx.clone();
    y.nan_to_num_();
    EXPECT_TRUE(near(y, g["nan_to_num_" + name_of(dt)]));
  }
  Tensor i = ember::tensor({1, -2, 3});
  EXPECT_THROW(i.round(1), Error);  // PyTorch: "round_cpu" not implemented for 'Long'
  EXPECT_TRUE(near(i.nan_to_num(), i));
  EXPECT_TRUE(near(i.round(), i));
}

TEST(PointwiseGolden, TernaryOps) {
  golden::File g("pointwise");
  Tensor cond = g["t_cond"];
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16}) {
    SCOPED_TRACE(name_of(dt));
    Tensor a = g["t_a"].to(dt), b = g["t_b"].to(dt), c = g["t_c"].to(dt);
    auto check = [&](const std::string& key, const Tensor& actual) {
      Tensor e = expected_for(g, key + "_" + name_of(dt));
      ASSERT_TRUE(e.defined()) << key;
      EXPECT_TRUE(near(actual, e)) << key;
    };
    check("lerp_scalar", a.lerp(b, 0.3));
    check("lerp_scalar_big", ember::lerp(a, b, 0.8));
    check("lerp_tensor", a.lerp(b, c - 3));
    check("addcmul", a.addcmul(b, c, 0.5));
    check("addcdiv", ember::addcdiv(a, b, c, -2));
    check("clamp_tensor", a.clamp(b - 0.5, b + 0.5));
    check("clamp_scalar", a.clamp(-0.5, 0.7));
    check("where", ember::where(cond, a, b));
    check("masked_fill", a.masked_fill(cond, -1.25));
    // Transposed operands give the transposed result.
    check("addcmul", ember::addcmul(a.t(), b.unsqueeze(1), c.t(), 0.5).t());
    check("where", ember::where(cond.t(), a.t(), b.unsqueeze(1)).t());
    Tensor y = a.clone();
    y.addcdiv_(b, c, -2);
    check("addcdiv", y);
    y = a.clone();
    y.clamp_(b - 0.5, b + 0.5);
    check("clamp_tensor", y);
    y = a.clone();
    y.masked_fill_(cond, -1.25);
    check("masked_fill", y);
    y = a.clone();
    y.lerp_(b, 0.3);
    check("lerp_scalar", y);
  }
  Tensor ta = g["t_a"], tb = g["t_b"], tc = g["t_c"], ti = g["t_i"];
  EXPECT_TRUE(near(ti.addcmul(ti, row0(ti), 2), g["addcmul_int"]));
  EXPECT_TRUE(near(ti.addcmul(ti, row0(ti), 0.5), g["addcmul_int_float_value"]));
  EXPECT_TRUE(near(ti.addcmul(ta.to(kFloat32), row0(ti), 3), g["addcmul_mixed"]));
  EXPECT_TRUE(near(ti.addcdiv(ta.to(kFloat32), tc.to(kFloat32)), g["addcdiv_mixed"]));
  EXPECT_TRUE(near(ti.clamp(-2, 3), g["clamp_int"]));
  EXPECT_TRUE(near(ti.clamp(0.5), g["clamp_int_float_min"]));
  EXPECT_TRUE(near(ti.clamp(std::nullopt, 1), g["clamp_int_max_only"]));
  EXPECT_TRUE(near(ta.clamp(1.0, 0.0), g["clamp_min_gt_max"]));
  EXPECT_TRUE(near(ta.clamp(NAN, 0.5), g["clamp_nan_scalar"]));
  EXPECT_TRUE(near(ta.clamp(ember::scalar_tensor(NAN, kFloat64)), g["clamp_nan_tensor"]));
  EXPECT_TRUE(near(ember::clip(ta, -0.2, 0.2), g["clip"]));
  EXPECT_TRUE(near(ember::where(cond, ti, tb.to(kFloat32)), g["where_promote"]));
  EXPECT_TRUE(near(ember::where(cond, ti, 2.5), g["where_scalar_other"]));
  EXPECT_TRUE(near(ember::where(cond, 1, 0), g["where_scalars_int"]));
  EXPECT_TRUE(near(ember::where(cond, 1.5, 0), g["where_scalars_float"]));
  EXPECT_TRUE(near(ti.masked_fill(cond, 2.7), g["masked_fill_int"]));
  EXPECT_TRUE(near((ti > 0).masked_fill(cond, false), g["masked_fill_bool"]));
  EXPECT_TRUE(near(ta.masked_fill(cond, ember::scalar_tensor(9.0, kFloat64)), g["masked_fill_tensor_value"]));
  Tensor mask = ember::tensor({{true, false, false, true}, {false, false, false, false}});
  EXPECT_TRUE(near(row0(ta).masked_fill(mask, 5.0), g["masked_fill_broadcast"]));
}

TEST(PointwiseGolden, ScalarOperandsAndOperators) {
  golden::File g("pointwise");
  Tensor x = g["s_x"];
  Tensor pos = x.clamp(1);
  EXPECT_TRUE(near(x + 2.5, g["s_add_float"]));
  EXPECT_TRUE(near(x * true, g["s_mul_bool"]));
  EXPECT_TRUE(near(3 - x, g["s_rsub"]));
  EXPECT_TRUE(near(3 / pos, g["s_rdiv"]));
  EXPECT_TRUE(near(7 % pos, g["s_rmod"]));
  EXPECT_TRUE(near(x % -3, g["s_mod_neg"]));
  EXPECT_TRUE(near(x & 6, g["s_and"]));
  EXPECT_TRUE(near(x | 1, g["s_or"]));
  EXPECT_TRUE(near(x ^ 5, g["s_xor"]));
  EXPECT_TRUE(near(x << 2, g["s_shl"]));
  EXPECT_TRUE(near(x >> 1, g["s_shr"]));
  EXPECT_TRUE(near(~x, g["s_not"]));
  EXPECT_TRUE(near(x == 0, g["s_eq"]));
  EXPECT_TRUE(near(x >= 0.5, g["s_ge_float"]));
  EXPECT_TRUE(near(x / 2, g["s_div_float"]));
  EXPECT_TRUE(near(x.to(kFloat32) + ember::scalar_tensor(1.5, kFloat64), g["s_f32_add_f64_0dim"]));
  EXPECT_TRUE(near(x.to(kInt32) + ember::scalar_tensor(3, kInt64), g["s_i32_add_i64_0dim"]));
  EXPECT_TRUE(near(ember::tensor({1, 2, 250}, kUInt8) + 10, g["s_u8_add_neg"]));
  // Compound assignments write into the left operand.
  Tensor y = x.clone();
  y %= -3;
  EXPECT_TRUE(near(y, g["s_mod_neg"]));
  y = x.clone();
  y &= 6;
  EXPECT_TRUE(near(y, g["s_and"]));
  y = x.clone();
  y |= 1;
  EXPECT_TRUE(near(y, g["s_or"]));
  y = x.clone();
  y ^= 5;
  EXPECT_TRUE(near(y, g["s_xor"]));
  y = x.clone();
  y <<= 2;
  EXPECT_TRUE(near(y, g["s_shl"]));
  y = x.clone();
  y >>= 1;
  EXPECT_TRUE(near(y, g["s_shr"]));
  Tensor mb = x > 0;
  EXPECT_TRUE(near(~mb, x <= 0));  // ~ is logical on bool
  Tensor m2 = mb.clone();
  m2 ^= x < 3;
  EXPECT_TRUE(near(m2, mb.logical_xor(x < 3)));
}

TEST(PointwisePromotion, ResultDtypesMatchTorch) {
  golden::File g("pointwise");
  const std::vector<DType> order = {kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kFloat32, kFloat64, kBool, kBFloat16};
  using Fn = std::function<Tensor(const Tensor&, const Tensor&)>;
  using SFn = std::function<Tensor(const Tensor&, const Scalar&)>;
  struct Op {
    const char* name;
    Fn fn;
    SFn sfn;
  };
  const std::vector<Op> ops = {
      {"add", [](auto& a, auto& b) { return ember::add(a, b); }, [](auto& a, auto& b) { return ember::add(a, b); }},
      {"sub", [](auto& a, auto& b) { return ember::sub(a, b); }, [](auto& a, auto& b) { return ember::sub(a, b); }},
      {"mul", [](auto& a, auto& b) { return ember::mul(a, b); }, [](auto& a, auto& b) { return ember::mul(a, b); }},
      {"div", [](auto& a, auto& b) { return ember::div(a, b); }, [](auto& a, auto& b) { return ember::div(a, b); }},
      {"remainder", [](auto& a, auto& b) { return ember::remainder(a, b); },
       [](auto& a, auto& b) { return ember::remainder(a, b); }},
      {"pow", [](auto& a, auto& b) { return ember::pow(a, b); }, [](auto& a, auto& b) { return ember::pow(a, b); }},
      {"minimum", [](auto& a, auto& b) { return ember::minimum(a, b); }, nullptr},
      {"atan2", [](auto& a, auto& b) { return ember::atan2(a, b); }, nullptr},
      {"eq", [](auto& a, auto& b) { return ember::eq(a, b); }, [](auto& a, auto& b) { return ember::eq(a, b); }},
      {"bitwise_and", [](auto& a, auto& b) { return ember::bitwise_and(a, b); },
       [](auto& a, auto& b) { return ember::bitwise_and(a, b); }},
      {"logical_or", [](auto& a, auto& b) { return ember::logical_or(a, b); }, nullptr},
      {"floor_divide", [](auto& a, auto& b) { return ember::floor_divide(a, b); },
       [](auto& a, auto& b) { return ember::floor_divide(a, b); }},
  };
  auto code = [&](auto&& f) -> int64_t {
    try {
      Tensor r = f();
      for (size_t i = 0; i < order.size(); ++i)
        if (order[i] == r.dtype()) return int64_t(i);
    } catch (const Error&) {
    }
    return -1;
  };
  auto sample = [](DType t, bool zero_dim) {
    return zero_dim ? ember::ones({}, TensorOptions(t)) : ember::ones({2}, TensorOptions(t));
  };
  const std::vector<Scalar> scalars = {Scalar(int64_t(2)), Scalar(2.5), Scalar(true)};
  for (const Op& op : ops) {
    Tensor expected = g[std::string("promo_") + op.name];
    const int64_t* e = expected.data_ptr<int64_t>();
    int64_t k = 0;
    for (DType a : order) {
      for (DType b : order) {
        for (auto [za, zb] : {std::pair{false, false}, std::pair{false, true}, std::pair{true, true}}) {
          EXPECT_EQ(code([&] { return op.fn(sample(a, za), sample(b, zb)); }), e[k])
              << op.name << "(" << a << (za ? " 0-dim" : "") << ", " << b << (zb ? " 0-dim" : "") << ")";
          ++k;
        }
      }
      for (const Scalar& s : scalars) {
        for (bool za : {false, true}) {
          // torch.logical_or, minimum and atan2 take no Python numbers (a TypeError of their signatures,
          // not a dtype rule); ember accepts them.
          if (op.sfn) {
            EXPECT_EQ(code([&] { return op.sfn(sample(a, za), s); }), e[k])
                << op.name << "(" << a << (za ? " 0-dim" : "") << ", " << s << ")";
          }
          ++k;
        }
      }
    }
    EXPECT_EQ(k, expected.numel());
  }
}

namespace {
// Expects `f` to throw ErrT with `text` in its message.
template <class ErrT = Error, class F>
void expect_error(F&& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << text;
  } catch (const ErrT& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(PointwiseErrors, DtypeRules) {
  Tensor f = ember::tensor({1.5, -2.5, 0.0}).to(kFloat32);
  Tensor i = ember::tensor({1, -2, 3});
  Tensor b = ember::tensor({true, false, true});
  expect_error([&] { ember::bitwise_and(f, f); }, "\"bitwise_and_cpu\" not implemented for 'Float'");
  expect_error([&] { ember::bitwise_not(f); }, "\"bitwise_not_cpu\" not implemented for 'Float'");
  expect_error([&] { (void)(i & 1.5); }, "not implemented for 'Float'");
  expect_error([&] { (void)(f << 1); }, "not implemented for 'Float'");
  expect_error([&] { (void)(b << b); }, "not implemented for 'Bool'");
  expect_error([&] { ember::abs(b); }, "\"abs_cpu\" not implemented for 'Bool'");
  expect_error([&] { ember::frac(i); }, "\"frac_cpu\" not implemented for 'Long'");
  expect_error([&] { (void)-b; }, "Negation, the `-` operator, on a bool tensor is not supported.");
  expect_error([&] { (void)(b - b); }, "Subtraction, the `-` operator, with two bool tensors is not supported.");
  expect_error([&] { (void)(b - 1); }, "Subtraction, the `-` operator, with a bool tensor is not supported.");
  expect_error([&] { (void)(1 - b); }, "Subtraction, the `-` operator, with a bool tensor is not supported.");
  expect_error([&] { ember::relu(b); }, "Boolean inputs not supported for relu");
  expect_error([&] { ember::pow(i, -1); }, "Integers to negative integer powers are not allowed.");
  expect_error([&] { i.clone().pow_(-2); }, "Integers to negative integer powers are not allowed.");
  EXPECT_NO_THROW(ember::pow(i, ember::scalar_tensor(-1)));  // a tensor exponent is computed (1, 0 or -1)
  expect_error([&] { ember::lerp(i, i, 0.5); }, "not implemented for 'Long'");
  expect_error([&] { ember::lerp(f, f.to(kFloat64), 0.5); }, "expected dtype float for `end` but got dtype double");
  expect_error([&] { ember::lerp(f, f, ember::tensor({1, 2, 3})); },
               "expected dtype float for `weight` but got dtype long int");
  expect_error([&] { ember::addcdiv(i, i, i); }, "Integer division with addcdiv is no longer supported");
  expect_error([&] { ember::addcmul(b, b, b); }, "not implemented for 'Bool'");
  expect_error([&] { ember::where(i, i, i); },
               "where expected condition to be a boolean tensor, but got a tensor with dtype Long");
  expect_error([&] { i.masked_fill(b, ember::tensor({1})); },
               "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).");
  expect_error([&] { i.masked_fill(i, 2); }, "Mask tensor can take 0 and 1 values only");
  expect_error([&] { i.masked_fill(b, INFINITY); }, "value cannot be converted to type int64_t without overflow");
  expect_error([&] { f.clamp(std::optional<Scalar>(), std::optional<Scalar>()); },
               "torch.clamp: At least one of 'min' or 'max' must not be None");
  expect_error([&] { ember::div(i, i, "bad"); },
               "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'bad'");
}

// The number-first forms PyTorch's Python API accepts, float_power, positive and the dtype queries;
// expected values are PyTorch 1.13's.
TEST(PointwiseNumbers, NumberFirstOperands) {
  Tensor i = ember::tensor({2, -3, 4});
  Tensor f = ember::tensor({0.5, -1.5, 2.0}).to(kFloat32);
  Tensor r = ember::sub(10, i, 2);  // 10 - 2 * i
  EXPECT_EQ(r.dtype(), kInt64);
  EXPECT_TRUE(golden::close(r, ember::tensor({6, 16, 2}), 0, 0));
  r = ember::add(1.5, i, 2);  // an int tensor with a float number: the default float dtype
  EXPECT_EQ(r.dtype(), kFloat32);
  EXPECT_TRUE(golden::close(r, ember::tensor({5.5, -4.5, 9.5}).to(kFloat32), 0, 0));
  EXPECT_TRUE(golden::close(ember::sub(1, f), ember::tensor({0.5, 2.5, -1.0}).to(kFloat32), 0, 0));
  r = ember::floor_divide(7, i);
  EXPECT_EQ(r.dtype(), kInt64);
  EXPECT_TRUE(golden::close(r, ember::tensor({3, -3, 1}), 0, 0));
  EXPECT_TRUE(golden::close(ember::floor_divide(7.0, f), ember::tensor({14.0, -5.0, 3.0}).to(kFloat32), 0, 0));
  Tensor sh = ember::tensor({0, 1, 3}).to(kInt32);
  r = ember::bitwise_left_shift(1, sh);
  EXPECT_EQ(r.dtype(), kInt32);
  EXPECT_TRUE(golden::close(r, ember::tensor({1, 2, 8}).to(kInt32), 0, 0));
  EXPECT_TRUE(golden::close(ember::bitwise_right_shift(16, sh), ember::tensor({16, 8, 2}).to(kInt32), 0, 0));
  expect_error([&] { ember::sub(true, ember::tensor({true, false})); },
               "Subtraction, the `-` operator, with two bool tensors is not supported.");
  expect_error([&] { ember::floor_divide(1, ember::tensor({1, 0})); }, "ZeroDivisionError");
}

TEST(PointwiseNumbers, FloatPowerPositiveAndDtypeQueries) {
  Tensor i = ember::tensor({2, -3, 4});
  Tensor r = ember::float_power(i, 2);
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_TRUE(golden::close(r, ember::tensor({4.0, 9.0, 16.0}, kFloat64), 0, 0));
  r = ember::float_power(i, -1);  // no integer-power error: computed in float64
  EXPECT_TRUE(golden::close(r, ember::tensor({0.5, -1.0 / 3.0, 0.25}, kFloat64), 1e-15, 0));
  r = ember::float_power(2, i.to(kInt32));
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_TRUE(golden::close(r, ember::tensor({4.0, 0.125, 16.0}, kFloat64), 0, 0));
  r = ember::float_power(i.to(kFloat32), ember::tensor({2.0, 0.5, 0.5}).to(kFloat32));
  EXPECT_EQ(r.dtype(), kFloat64);
  EXPECT_EQ(r.as_strided({}, {}, 0).item<double>(), 4.0);
  EXPECT_TRUE(std::isnan(r.as_strided({}, {}, 1).item<double>()));  // (-3) ** 0.5
  Tensor d = ember::tensor({4.0, 9.0}, kFloat64);
  Tensor& same = ember::float_power_(d, 0.5);
  EXPECT_TRUE(same.is_same(d));
  EXPECT_TRUE(golden::close(d, ember::tensor({2.0, 3.0}, kFloat64), 0, 0));
  Tensor l = ember::tensor({1, 2});
  expect_error([&] { ember::float_power_(l, 2); },
               "the base given to float_power_ has dtype Long but the operation's result requires dtype Double");
  Tensor x = ember::tensor({1.0, 2.0}, kFloat64).requires_grad_();
  ember::float_power(x.to(kFloat32), 3).sum().backward();
  EXPECT_TRUE(golden::close(x.grad(), ember::tensor({3.0, 12.0}, kFloat64), 1e-12, 0));

  EXPECT_TRUE(ember::positive(i).is_same(i));
  expect_error([&] { ember::positive(ember::tensor({true})); }, "The `+` operator, on a bool tensor is not supported.");

  EXPECT_EQ(ember::result_type(Scalar(2), Scalar(3.0)), kFloat32);
  EXPECT_EQ(ember::result_type(Scalar(true), Scalar(3)), kInt64);
  EXPECT_EQ(ember::result_type(Scalar(true), Scalar(false)), kBool);
  for (DType from : kAllDtypes)
    for (DType to : kAllDtypes) EXPECT_EQ(ember::can_cast(from, to), castable(from, to)) << from << " -> " << to;
}

TEST(PointwiseErrors, IntegerDivisionByZero) {
  Tensor i = ember::tensor({1, -2, 3});
  Tensor z = ember::tensor({1, 0, 1});
  expect_error([&] { ember::remainder(i, 0); }, "ZeroDivisionError");
  expect_error([&] { ember::fmod(i, z); }, "ZeroDivisionError");
  expect_error([&] { ember::div(i, 0, "trunc"); }, "ZeroDivisionError");
  expect_error([&] { ember::floor_divide(i, z.to(kInt8)); }, "ZeroDivisionError");
  expect_error([&] { (void)(5 % i.sub(1)); }, "ZeroDivisionError");
  Tensor y = i.clone();
  expect_error([&] { y %= z; }, "ZeroDivisionError");
  EXPECT_TRUE(golden::close(y, i, 0, 0));
  // True division and float remainders follow IEEE: no error.
  EXPECT_TRUE(std::isinf(first(ember::div(i, 0))));
  EXPECT_TRUE(std::isnan(first(ember::remainder(i.to(kFloat32), 0.0))));
  // INT_MIN / -1 wraps instead of trapping.
  Tensor m = ember::tensor({INT64_MIN});
  EXPECT_EQ(ember::div(m, -1, "trunc").item<int64_t>(), INT64_MIN);
  EXPECT_EQ(ember::remainder(m, -1).item<int64_t>(), 0);
}

TEST(PointwiseErrors, InPlaceCastsAndShapes) {
  Tensor f = ember::tensor({1.5, -2.5, 0.0}).to(kFloat32);
  Tensor i = ember::tensor({1, -2, 3});
  Tensor b = ember::tensor({true, false, true});
  expect_error([&] { i.clone().add_(1.5); }, "result type Float can't be cast to the desired output type Long");
  expect_error([&] { i.clone().sin_(); }, "result type Float can't be cast to the desired output type Long");
  expect_error([&] { b.clone().mul_(2); }, "result type Long can't be cast to the desired output type Bool");
  expect_error([&] { i.clone().addcmul_(f, f); }, "result type Float can't be cast to the desired output type Long");
  expect_error([&] { i.clone().clamp_(0.5); }, "result type Float can't be cast to the desired output type Long");
  expect_error([&] { i.clone().div_(i); }, "result type Float can't be cast to the desired output type Long");
  Tensor z = ember::zeros({3});
  expect_error([&] { z.masked_fill_(ember::ones({2, 3}, TensorOptions(kBool)), 1); },
               "doesn't match the broadcast shape");
  expect_error([&] { z.lerp_(ember::ones({2, 3}), 0.5); }, "doesn't match the broadcast shape");
  expect_error([&] { z.mul_(ember::ones({2, 3})); }, "doesn't match the broadcast shape");
  EXPECT_TRUE(golden::close(z, ember::zeros({3}), 0, 0));
  // Results that can be cast are written in self's dtype.
  Tensor e = i.clone();
  e.eq_(1);
  EXPECT_TRUE(golden::close(e, ember::tensor({1, 0, 0}), 0, 0));
  Tensor fl = f.clone();
  fl.lt_(1);
  EXPECT_TRUE(golden::close(fl, ember::tensor({0.0, 1.0, 1.0}).to(kFloat32), 0, 0));
  Tensor ib = i.clone();
  ib.bitwise_and_(b);
  EXPECT_TRUE(golden::close(ib, ember::tensor({1, 0, 1}), 0, 0));
}

// The contiguous float32/float64 rows of the transcendental ops run on SLEEF (whole vector registers
// plus a padded tail, split across threads); compare them with scalar libm on enough elements to cover
// every path, special values included. (Bit equality with PyTorch: tests/python/test_pointwise.py.)
TEST(PointwiseVectorised, MatchesScalarLibm) {
  struct Case {
    const char* name;
    double lo, hi;
    std::function<Tensor(const Tensor&)> fn;
    double (*ref)(double);
  };
  const std::vector<Case> cases = {
      {"exp", -80, 80, [](const Tensor& t) { return t.exp(); }, [](double x) { return std::exp(x); }},
      {"exp2", -100, 100, [](const Tensor& t) { return t.exp2(); }, [](double x) { return std::exp2(x); }},
      {"expm1", -5, 5, [](const Tensor& t) { return t.expm1(); }, [](double x) { return std::expm1(x); }},
      {"log", 1e-3, 1e3, [](const Tensor& t) { return t.log(); }, [](double x) { return std::log(x); }},
      {"log2", 1e-3, 1e3, [](const Tensor& t) { return t.log2(); }, [](double x) { return std::log2(x); }},
      {"log10", 1e-3, 1e3, [](const Tensor& t) { return t.log10(); }, [](double x) { return std::log10(x); }},
      {"log1p", -0.9, 10, [](const Tensor& t) { return t.log1p(); }, [](double x) { return std::log1p(x); }},
      {"sin", -50, 50, [](const Tensor& t) { return t.sin(); }, [](double x) { return std::sin(x); }},
      {"cos", -50, 50, [](const Tensor& t) { return t.cos(); }, [](double x) { return std::cos(x); }},
      {"tan", -1.5, 1.5, [](const Tensor& t) { return t.tan(); }, [](double x) { return std::tan(x); }},
      {"asin", -1, 1, [](const Tensor& t) { return t.asin(); }, [](double x) { return std::asin(x); }},
      {"acos", -1, 1, [](const Tensor& t) { return t.acos(); }, [](double x) { return std::acos(x); }},
      {"atan", -20, 20, [](const Tensor& t) { return t.atan(); }, [](double x) { return std::atan(x); }},
      {"sinh", -10, 10, [](const Tensor& t) { return t.sinh(); }, [](double x) { return std::sinh(x); }},
      {"cosh", -10, 10, [](const Tensor& t) { return t.cosh(); }, [](double x) { return std::cosh(x); }},
      {"tanh", -10, 10, [](const Tensor& t) { return t.tanh(); }, [](double x) { return std::tanh(x); }},
      {"erf", -4, 4, [](const Tensor& t) { return t.erf(); }, [](double x) { return std::erf(x); }},
      {"erfc", -4, 10, [](const Tensor& t) { return t.erfc(); }, [](double x) { return std::erfc(x); }},
      {"sigmoid", -30, 30, [](const Tensor& t) { return t.sigmoid(); },
       [](double x) { return 1.0 / (1.0 + std::exp(-x)); }},
  };
  const int64_t n = 70001;  // above the threading grain, not a multiple of any vector width
  for (const Case& c : cases) {
    std::vector<double> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[size_t(i)] = c.lo + (c.hi - c.lo) * double(i) / double(n - 1);
    for (double s : {double(NAN), double(INFINITY), -double(INFINITY), 0.0, -0.0}) v.push_back(s);
    for (DType dt : {kFloat32, kFloat64}) {
      SCOPED_TRACE(std::string(c.name) + " " + name_of(dt));
      Tensor x = ember::tensor(v).to(kFloat64).to(dt);
      Tensor xd = x.to(kFloat64);
      Tensor expected = ember::empty_like(xd);
      const double* px = xd.data_ptr<double>();
      double* pe = expected.data_ptr<double>();
      for (int64_t i = 0; i < xd.numel(); ++i) pe[i] = c.ref(px[i]);
      bool f32 = dt == kFloat32;
      EXPECT_TRUE(golden::close(c.fn(x), expected.to(dt), f32 ? 4e-6 : 1e-13, f32 ? 1e-30 : 1e-300));
    }
  }
}
