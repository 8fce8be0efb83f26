// Factories against PyTorch (tests/golden/gen_factory.py): values bit for bit, dtypes, layouts, errors.
#include <cmath>
#include <string>

#include "golden.h"
#include "thread_test_util.h"

using namespace ember;

namespace {

// Exact match (values, dtype and shape): the factories' values are part of PyTorch's contract.
::testing::AssertionResult same(const Tensor& actual, const Tensor& expected) {
  return golden::close(actual, expected, 0.0, 0.0);
}

// Element at `idx` as a 0-dim view (the index family is not part of this branch).
Tensor at(const Tensor& t, std::initializer_list<int64_t> idx) {
  int64_t off = t.storage_offset(), d = 0;
  for (int64_t i : idx) off += i * t.stride(d++);
  return t.as_strided({}, {}, off);
}

Tensor strides_of(const Tensor& t) { return tensor(std::vector<int64_t>(t.strides().begin(), t.strides().end())); }

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

struct DTypeCase {
  const char* name;
  DType dtype;
};
const DTypeCase kDTypes[] = {{"f32", kFloat32}, {"f64", kFloat64}, {"f16", kFloat16}, {"bf16", kBFloat16},
                             {"i64", kInt64},   {"i32", kInt32},   {"i16", kInt16},   {"u8", kUInt8},
                             {"i8", kInt8}};

}  // namespace

TEST(Factory, ArangeMatchesTorch) {
  golden::File g("factory");
  EXPECT_TRUE(same(arange(10), g["arange_10"]));
  EXPECT_TRUE(same(arange(2, 20, 3), g["arange_2_20_3"]));
  EXPECT_TRUE(same(arange(10, 0, -3), g["arange_10_0_m3"]));
  EXPECT_TRUE(same(arange(0, 1, 0.1), g["arange_0_1_01"]));
  EXPECT_TRUE(same(arange(5.5), g["arange_f_end"]));
  EXPECT_TRUE(same(arange(0, 10, 1.5, kInt64), g["arange_long_float_step"]));
  EXPECT_TRUE(same(arange(3, 3), g["arange_empty"]));
  for (const auto& c : kDTypes) {
    SCOPED_TRACE(c.name);
    bool fl = is_floating_point(c.dtype);
    EXPECT_TRUE(same(fl ? arange(0, 10, 0.37, c.dtype) : arange(0, 10, 1.5, c.dtype),
                     g[std::string("arange_a_") + c.name]));
    EXPECT_TRUE(same(fl ? arange(-5.5, 100.25, 0.731, c.dtype) : arange(-5, 100, 7, c.dtype),
                     g[std::string("arange_b_") + c.name]));
  }
  for (const auto& c : kDTypes) {
    if (!is_floating_point(c.dtype)) continue;
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(same(arange(-3.3, 10.7, 0.0271, c.dtype), g[std::string("arange_c_") + c.name]));
    EXPECT_TRUE(same(arange(1e3, -1e3, -3.9, c.dtype), g[std::string("arange_d_") + c.name]));
    EXPECT_TRUE(same(linspace(-7.77, 13.3, 501, c.dtype), g[std::string("linspace_c_") + c.name]));
  }
  EXPECT_TRUE(same(arange(0, 1, 0.001), g["arange_1000_f32"]));
  EXPECT_TRUE(same(arange(3.0, -7.3, -0.11), g["arange_neg_f32"]));
  EXPECT_TRUE(same(arange(3.0, -7.3, -0.11, kFloat64), g["arange_neg_f64"]));
}

TEST(Factory, ArangeDtypeInference) {
  EXPECT_EQ(arange(5).dtype(), kInt64);
  EXPECT_EQ(arange(true).dtype(), kInt64);
  EXPECT_EQ(arange(0, 5, 2).dtype(), kInt64);
  EXPECT_EQ(arange(0, 5.0).dtype(), kFloat32);
  EXPECT_EQ(arange(0.0, 5, 1).dtype(), kFloat32);
  EXPECT_EQ(arange(0, 5, 0.5).dtype(), kFloat32);
  EXPECT_EQ(arange(5, kInt16).dtype(), kInt16);
  set_default_dtype(kFloat64);
  EXPECT_EQ(arange(2.5).dtype(), kFloat64);
  EXPECT_EQ(arange(2).dtype(), kInt64);
  set_default_dtype(kFloat32);
  Tensor r = arange(0.0, 4.0, 1.0, TensorOptions().requires_grad(true));
  EXPECT_TRUE(r.requires_grad());
  EXPECT_TRUE(r.is_leaf());
}

TEST(Factory, ArangeErrors) {
  EXPECT_NE(error_of([] { arange(0, 1, 0); }).find("step must be nonzero"), std::string::npos);
  EXPECT_NE(error_of([] { arange(0, 1, -1); }).find("upper bound and larger bound inconsistent with step sign"),
            std::string::npos);
  EXPECT_NE(error_of([] { arange(5, 0); }).find("upper bound and larger bound inconsistent with step sign"),
            std::string::npos);
  EXPECT_EQ(error_of([] { arange(0, std::nan("")); }), "unsupported range: 0 -> nan");
  EXPECT_EQ(error_of([] { arange(0, 3, kBool); }), "\"arange_cpu\" not implemented for 'Bool'");
  EXPECT_THROW(arange(0, 1, 0.0), Error);
  // Integer arguments cannot ask for gradients.
  EXPECT_THROW(arange(3, requires_grad()), Error);
}

// Filled on two threads, split where PyTorch splits; compared at sampled indices.
TEST(Factory, LargeRangesMatchTorchOnTwoThreads) {
  golden::File g("factory");
  ThreadCount two(2);
  Tensor idx = g["big_sample_idx"];
  auto sample = [&](const Tensor& t) {
    Tensor out = empty({idx.numel()}, t.dtype());
    for (int64_t i = 0; i < idx.numel(); ++i) out.as_strided({}, {}, i).copy_(at(t, {at(idx, {i}).item<int64_t>()}));
    return out;
  };
  Tensor a32 = arange(-3.3, 3696.7, 0.037);
  ASSERT_EQ(a32.numel(), 100000);
  EXPECT_TRUE(same(sample(a32), g["arange_big_f32"]));
  EXPECT_TRUE(same(sample(arange(-3.3, 3696.7, 0.037, kFloat64)), g["arange_big_f64"]));
  EXPECT_TRUE(same(sample(linspace(-7.77, 13.3, 100000)), g["linspace_big_f32"]));
  EXPECT_TRUE(same(sample(linspace(-7.77, 13.3, 100000, kBFloat16)), g["linspace_big_bf16"]));
}

TEST(Factory, RangeMatchesTorch) {
  golden::File g("factory");
  EXPECT_TRUE(same(range(1, 4), g["range_1_4"]));
  EXPECT_TRUE(same(range(0, 1, 0.1), g["range_0_1_01"]));
  EXPECT_TRUE(same(range(0, 10, 3, kInt64), g["range_i64"]));
  EXPECT_TRUE(same(range(-2, 5, 0.37, kFloat64), g["range_f64"]));
  EXPECT_THROW(range(0, 1, 0), Error);
  EXPECT_THROW(range(1, 0), Error);
}

TEST(Factory, LinspaceLogspaceMatchTorch) {
  golden::File g("factory");
  for (const auto& c : kDTypes) {
    SCOPED_TRACE(c.name);
    std::string n = c.name;
    if (is_floating_point(c.dtype)) {
      EXPECT_TRUE(same(linspace(-2.5, 7.1, 100, c.dtype), g["linspace_" + n]));
      EXPECT_TRUE(same(linspace(3, -1, 7, c.dtype), g["linspace_odd_" + n]));
      if (c.dtype != kFloat16) {
        EXPECT_TRUE(same(logspace(-1, 1.5, 9, 10.0, c.dtype), g["logspace_" + n]));
        EXPECT_TRUE(same(logspace(0, 6, 7, 2.0, c.dtype), g["logspace_b2_" + n]));
      }
    } else {
      EXPECT_TRUE(same(c.dtype == kUInt8 ? linspace(3, 17, 9, c.dtype) : linspace(-3, 17, 9, c.dtype),
                       g["linspace_" + n]));
      EXPECT_TRUE(same(logspace(0, 3, 4, 10.0, c.dtype), g["logspace_" + n]));
    }
  }
  EXPECT_TRUE(same(linspace(0, 1, 5), g["linspace_default"]));
  EXPECT_TRUE(same(linspace(-1, 1, 1001), g["linspace_1000"]));
  EXPECT_TRUE(same(linspace(0, 1, 0), g["linspace_steps0"]));
  EXPECT_TRUE(same(linspace(2.5, 10, 1), g["linspace_steps1"]));
  EXPECT_TRUE(same(logspace(2, 10, 1), g["logspace_steps1"]));
  // Symmetric: the last element is exactly `end`, not start + (steps - 1) * step.
  EXPECT_EQ(at(linspace(0.1, 0.7, 7), {6}).item<float>(), 0.7f);
  EXPECT_EQ(error_of([] { linspace(0, 1, -1); }), "number of steps must be non-negative");
  EXPECT_EQ(error_of([] { logspace(0, 1, -2); }), "number of steps must be non-negative");
  EXPECT_EQ(error_of([] { linspace(0, 1, 3, kBool); }), "\"linspace_cpu\" not implemented for 'Bool'");
}

TEST(Factory, EyeMatchesTorch) {
  golden::File g("factory");
  EXPECT_TRUE(same(eye(3), g["eye_3"]));
  EXPECT_TRUE(same(eye(2, 4), g["eye_2_4"]));
  EXPECT_TRUE(same(eye(4, 2, kInt64), g["eye_4_2_i64"]));
  EXPECT_TRUE(same(eye(0), g["eye_0"]));
  EXPECT_TRUE(same(eye(3, kBool), g["eye_3_bool"]));
  EXPECT_EQ(error_of([] { eye(-1); }), "n must be greater or equal to 0, got -1");
  EXPECT_EQ(error_of([] { eye(2, -1); }), "m must be greater or equal to 0, got -1");
}

TEST(Factory, FullZerosOnesMatchTorch) {
  golden::File g("factory");
  EXPECT_TRUE(same(full({2, 3}, true), g["full_bool"]));
  EXPECT_TRUE(same(full({2}, 7), g["full_int"]));
  EXPECT_TRUE(same(full({2}, 2.5), g["full_float"]));
  EXPECT_TRUE(same(full({3}, 1.1, kFloat16), g["full_f16"]));
  EXPECT_TRUE(same(full({2}, true, kFloat32), g["full_bool_as_f32"]));
  EXPECT_TRUE(same(zeros({2, 2}, kBool), g["zeros_bool"]));
  EXPECT_TRUE(same(ones({3}, kBool), g["ones_bool"]));
  EXPECT_TRUE(same(ones({2, 3}, kFloat16), g["ones_f16"]));
  EXPECT_TRUE(same(zeros({0, 3}), g["zeros_0_3"]));
  EXPECT_TRUE(same(scalar_tensor(3), g["scalar_tensor_int"]));
  EXPECT_EQ(zeros({2}, TensorOptions(kBFloat16)).dtype(), kBFloat16);
  Tensor z = zeros({2, 2}, TensorOptions().requires_grad(true));
  EXPECT_TRUE(z.requires_grad() && z.is_leaf());
}

// c10's checked_convert: values that do not fit the dtype raise; integers wrap into uint8 down to -255;
// anything fills bool; infinities and NaN fill floating dtypes.
TEST(Factory, FillValuesMustFitTheDtype) {
  EXPECT_EQ(error_of([] { full({2}, 300, kUInt8); }), "value cannot be converted to type uint8_t without overflow");
  EXPECT_EQ(error_of([] { full({2}, -256, kUInt8); }), "value cannot be converted to type uint8_t without overflow");
  EXPECT_EQ(error_of([] { full({2}, 1e10, kInt32); }), "value cannot be converted to type int without overflow");
  EXPECT_EQ(error_of([] { full({2}, std::nan(""), kInt32); }), "value cannot be converted to type int without overflow");
  EXPECT_EQ(error_of([] { full({2}, 1e300, kFloat32); }), "value cannot be converted to type float without overflow");
  EXPECT_EQ(error_of([] { full({2}, 100000, kFloat16); }), "value cannot be converted to type at::Half without overflow");
  EXPECT_EQ(error_of([] { full({2}, 1e39, kBFloat16); }),
            "value cannot be converted to type at::BFloat16 without overflow");
  EXPECT_EQ(error_of([] { full({2}, -9.3e18, kInt64); }), "value cannot be converted to type int64_t without overflow");
  EXPECT_EQ(error_of([] { full_like(zeros({2}, kInt8), 200); }),
            "value cannot be converted to type int8_t without overflow");
  EXPECT_EQ(error_of([] { scalar_tensor(40000, kInt16); }), "value cannot be converted to type int16_t without overflow");
  EXPECT_EQ(error_of([] { zeros({2}, kInt8).fill_(1000); }), "value cannot be converted to type int8_t without overflow");
  EXPECT_EQ(full({1}, -255, kUInt8).item<uint8_t>(), 1);
  EXPECT_EQ(full({1}, 1.5, kInt8).item<int8_t>(), 1);
  EXPECT_TRUE(full({1}, 2, kBool).item<bool>());
  EXPECT_TRUE(std::isinf(full({1}, INFINITY, kFloat16).item<float>()));
  EXPECT_TRUE(std::isnan(full({1}, NAN, kFloat32).item<float>()));
  EXPECT_EQ(full({1}, int64_t(9223372036854775807), kInt64).item<int64_t>(), int64_t(9223372036854775807));
  EXPECT_EQ(full({1}, 65504, kFloat16).item<float>(), 65504.0f);
}

TEST(Factory, RequiresGradOfIntegerDtypesUsesTheFactoryMessage) {
  const std::string msg = "Only Tensors of floating point and complex dtype can require gradients";
  EXPECT_EQ(error_of([] { zeros({2}, TensorOptions(kInt64).requires_grad(true)); }), msg);
  EXPECT_EQ(error_of([] { arange(3, TensorOptions().requires_grad(true)); }), msg);
  EXPECT_EQ(error_of([] { full({2}, 1, TensorOptions().requires_grad(true)); }), msg);
  EXPECT_EQ(error_of([] { randint(0, 3, {2}, TensorOptions().requires_grad(true)); }), msg);
  EXPECT_EQ(error_of([] { randperm(3, TensorOptions().requires_grad(true)); }), msg);
}

TEST(Factory, NegativeSizes) {
  EXPECT_EQ(error_of([] { zeros({-1}); }), "Trying to create tensor with negative dimension -1: [-1]");
  EXPECT_EQ(error_of([] { empty({2, -3}); }), "Trying to create tensor with negative dimension -3: [2, -3]");
  EXPECT_EQ(error_of([] { full({-1}, 2); }), "Trying to create tensor with negative dimension -1: [-1]");
  float buf[4];
  EXPECT_THROW(from_blob(buf, {-1}), Error);
}

TEST(Factory, LikeKeepsLayout) {
  golden::File g("factory");
  Tensor x = zeros({3, 4});
  EXPECT_TRUE(same(strides_of(empty_like(x.t())), g["like_t_strides"]));
  EXPECT_TRUE(same(strides_of(empty_like(x.t().as_strided({4, 2}, {1, 8}))), g["like_slice_strides"]));
  EXPECT_TRUE(same(strides_of(zeros_like(zeros({3, 1}).expand({3, 5}))), g["like_expand_strides"]));
  Tensor y = zeros({2, 3, 4}).permute({2, 0, 1}).as_strided({4, 2, 2}, {1, 12, 4}, 4);
  EXPECT_TRUE(same(strides_of(ones_like(y)), g["like_perm_slice_strides"]));
  EXPECT_TRUE(same(full_like(zeros({2}, kInt32), 2.7), g["full_like_int"]));
  EXPECT_EQ(ones_like(x, kFloat64).dtype(), kFloat64);
  EXPECT_TRUE(ones_like(x, TensorOptions().requires_grad(true)).requires_grad());
}

TEST(Factory, OptionsKnowWhetherTheyNameADevice) {
  EXPECT_FALSE(TensorOptions().has_device());
  EXPECT_FALSE(TensorOptions(kFloat64).has_device());
  EXPECT_EQ(TensorOptions().device(), Device(kCPU));
  EXPECT_TRUE(TensorOptions(kCPU).has_device());
  EXPECT_TRUE(TensorOptions().device(Device(kCPU)).dtype(kInt32).has_device());
  EXPECT_EQ(zeros_like(ones({2}), TensorOptions().device(Device(kCPU))).device(), Device(kCPU));
}

TEST(Factory, TensorFromListsMatchesTorch) {
  golden::File g("factory");
  EXPECT_TRUE(same(tensor({{1, 2, 3}, {4, 5, 6}}), g["tensor_ints"]));
  EXPECT_TRUE(same(tensor({{1.5, -2.25}, {3.0, 1e-3}}), g["tensor_floats"]));
  EXPECT_TRUE(same(tensor({true, false, true}), g["tensor_bools"]));
  EXPECT_TRUE(same(tensor({1, 2.5}), g["tensor_mixed"]));
  EXPECT_TRUE(same(tensor({}), g["tensor_empty"]));
  EXPECT_TRUE(same(tensor({{}, {}}), g["tensor_empty_2_0"]));
  EXPECT_TRUE(same(tensor(3.5), g["tensor_scalar_f"]));
  EXPECT_TRUE(same(tensor(7), g["tensor_scalar_i"]));
  EXPECT_TRUE(same(tensor({1.9, -2.9, 3}, kInt32), g["tensor_as_i32"]));
  EXPECT_TRUE(same(tensor({0.1, 65504, 1e-8}, kFloat16), g["tensor_as_f16"]));
  EXPECT_TRUE(same(tensor({0, 2, -1}, kBool), g["tensor_as_bool"]));
}

TEST(Factory, TensorDtypesAsLibtorch) {
  EXPECT_EQ(tensor({1, 2}).dtype(), kInt64);
  EXPECT_EQ(tensor({int64_t(1)}).dtype(), kInt64);
  EXPECT_EQ(tensor({1.0f}).dtype(), kFloat32);
  EXPECT_EQ(tensor({1.0}).dtype(), kFloat32);
  EXPECT_EQ(tensor({int16_t(1)}).dtype(), kInt16);
  EXPECT_EQ(tensor({uint8_t(1)}).dtype(), kUInt8);
  EXPECT_EQ(tensor({Half(1.0f)}).dtype(), kFloat16);
  EXPECT_EQ(tensor(true).dtype(), kBool);
  EXPECT_EQ(tensor(Scalar(2)).dtype(), kInt64);
  EXPECT_EQ(tensor({Scalar(2.5), Scalar(1)}).dtype(), kFloat32);
  EXPECT_EQ(tensor(std::vector<unsigned>{1u, 4000000000u}).dtype(), kInt64);
  EXPECT_EQ(at(tensor(std::vector<unsigned>{1u, 4000000000u}), {1}).item<int64_t>(), 4000000000);
  EXPECT_EQ(tensor(std::vector<long double>{0.5L}, kFloat64).dtype(), kFloat64);
  EXPECT_EQ(tensor(std::vector<int16_t>{-3}).dtype(), kInt16);
  EXPECT_EQ(tensor(std::vector<float>{1, 2}).dtype(), kFloat32);
  EXPECT_EQ(tensor(std::vector<double>{1, 2}).dtype(), kFloat32);
  EXPECT_EQ(tensor(std::vector<int64_t>{1, 2}).dtype(), kInt64);
  EXPECT_EQ(tensor(std::vector<int>{1, 2}).dtype(), kInt64);
  EXPECT_EQ(tensor(std::vector<bool>{true, false}).dtype(), kBool);
  EXPECT_EQ(at(tensor(std::vector<double>{0.1, 0.2}, kFloat64), {1}).item<double>(), 0.2);
  set_default_dtype(kFloat64);
  EXPECT_EQ(tensor({1.5}).dtype(), kFloat64);
  EXPECT_EQ(tensor({}).dtype(), kFloat64);
  EXPECT_EQ(tensor(std::vector<float>{1}).dtype(), kFloat64);
  set_default_dtype(kFloat32);
  Tensor v = tensor(std::vector<bool>{true, false, true});
  EXPECT_TRUE(at(v, {0}).item<bool>() && !at(v, {1}).item<bool>());
  Tensor w = tensor(std::vector<float>{1.5f, -2.f, 3.25f});
  EXPECT_EQ(w.sizes(), IntArrayRef({3}));
  EXPECT_EQ(at(w, {2}).item<float>(), 3.25f);
  // Vectors nest inside lists.
  Tensor n = tensor({std::vector<int>{1, 2}, std::vector<int>{3, 4}});
  EXPECT_EQ(n.sizes(), IntArrayRef({2, 2}));
  EXPECT_EQ(at(n, {1, 0}).item<int64_t>(), 3);
}

TEST(Factory, TensorRequiresGradAndErrors) {
  Tensor t = tensor({1.0, 2.0}, TensorOptions().requires_grad(true));
  EXPECT_TRUE(t.requires_grad() && t.is_leaf());
  Tensor d = tensor({1.0, 2.0}, TensorOptions(kFloat64).requires_grad(true));
  EXPECT_EQ(d.dtype(), kFloat64);
  EXPECT_TRUE(d.requires_grad());
  EXPECT_THROW(tensor({1, 2}, requires_grad()), Error);
  EXPECT_EQ(error_of([] { tensor({{1, 2}, {3}}); }),
            "Expected all sub-lists to have sizes: [2] (e.g. {1, 2}), but got sub-list {3} with sizes: [1]");
  EXPECT_EQ(error_of([] { tensor({{1.5, 2}, 3}); }),
            "Expected all sub-lists to have sizes: [2] (e.g. {1.5, 2}), but got sub-list 3 with sizes: []");
  EXPECT_EQ(error_of([] { tensor({{true}, {false, true}}); }),
            "Expected all sub-lists to have sizes: [1] (e.g. {1}), but got sub-list {0, 1} with sizes: [2]");
}

TEST(Factory, FromBlobDeleterRunsOnceWhenLastViewDies) {
  int calls = 0;
  float data[6] = {1, 2, 3, 4, 5, 6};
  {
    Tensor view;
    {
      Tensor t = from_blob(data, {2, 3}, [&](void* p) {
        EXPECT_EQ(p, data);
        ++calls;
      });
      view = t.t().as_strided({2, 2}, {1, 3}, 1);
      EXPECT_EQ(at(t, {1, 2}).item<float>(), 6.f);
    }
    EXPECT_EQ(calls, 0);
    EXPECT_EQ(at(view, {0, 1}).item<float>(), 5.f);
  }
  EXPECT_EQ(calls, 1);
  Tensor s = from_blob(data, {2, 2}, {1, 2}, kFloat32);
  EXPECT_EQ(at(s, {1, 0}).item<float>(), 2.f);
  int64_t ints[3] = {7, 8, 9};
  EXPECT_EQ(from_blob(ints, {3}, kInt64).sum().item<int64_t>(), 24);
  int zero_calls = 0;
  {
    Tensor z = from_blob(data, {0, 3}, [&](void*) { ++zero_calls; });
    EXPECT_EQ(z.numel(), 0);
  }
  EXPECT_EQ(zero_calls, 1);
  // Memory ember does not own is never freed by it: no deleter, no call.
  { Tensor u = from_blob(data, {6}); }
  EXPECT_EQ(data[0], 1.f);
}
