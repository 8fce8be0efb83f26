// Pointwise ops as ember.<op>, Tensor methods, in-place methods and Python operators.
//
// Overloads are listed cheapest and most common first: nanobind tries them in order (first without
// implicit conversions), so `x + y` and `x + 1` each match their first candidate without a failed cast.
// Binary ops take a Python number as `other` only where PyTorch does (not atan2, minimum, logical_and
// ...), and a number as the first argument of the function form only where PyTorch's parser allows it.
#include <string_view>

#include "python/bind.h"

namespace ember::python {

namespace {

Tensor& self_of(nb::handle_t<Tensor> h) { return *nb::inst_ptr<Tensor>(h); }

// PyTorch's binary ops that reject a Python number as `other`.
bool tensor_only(std::string_view op) {
  for (std::string_view n : {"atan2", "minimum", "maximum", "fmin", "fmax", "logical_and", "logical_or", "logical_xor"})
    if (op == n) return true;
  return false;
}

// The name PyTorch gives the second operand.
const char* other_name(std::string_view op) {
  if (op == "pow") return "exponent";
  if (op == "clamp_min") return "min";
  if (op == "clamp_max") return "max";
  return "other";
}

}  // namespace

// A unary op as ember.<py>(input), Tensor.<py>() and Tensor.<py>_() (the same object back).
#define EMBER_PY_UNARY(py, cpp)                                                         \
  m.def(py, [](const Tensor& input) { return ember::cpp(input); }, "input"_a);          \
  cls.def(py, [](const Tensor& self) { return self.cpp(); });                           \
  cls.def(py "_", [](nb::handle_t<Tensor> self) {                                       \
    self_of(self).cpp##_();                                                             \
    return self;                                                                        \
  });

// A binary op: Tensor `other` first, then (where PyTorch accepts it) a Python number.
#define EMBER_PY_BINARY(py, cpp)                                                                        \
  {                                                                                                     \
    const char* on = other_name(#cpp);                                                                  \
    m.def(py, [](const Tensor& input, const Tensor& other) { return ember::cpp(input, other); }, "input"_a, \
          nb::arg(on));                                                                                 \
    cls.def(py, [](const Tensor& self, const Tensor& other) { return self.cpp(other); }, nb::arg(on));  \
    cls.def(                                                                                            \
        py "_",                                                                                         \
        [](nb::handle_t<Tensor> self, const Tensor& other) {                                            \
          self_of(self).cpp##_(other);                                                                  \
          return self;                                                                                  \
        },                                                                                              \
        nb::arg(on));                                                                                   \
    if (!tensor_only(#cpp)) {                                                                           \
      m.def(py, [](const Tensor& input, const Scalar& other) { return ember::cpp(input, other); },      \
            "input"_a, nb::arg(on));                                                                    \
      cls.def(py, [](const Tensor& self, const Scalar& other) { return self.cpp(other); }, nb::arg(on)); \
      cls.def(                                                                                          \
          py "_",                                                                                       \
          [](nb::handle_t<Tensor> self, const Scalar& other) {                                          \
            self_of(self).cpp##_(other);                                                                \
            return self;                                                                                \
          },                                                                                            \
          nb::arg(on));                                                                                 \
    }                                                                                                   \
  }

// Python's binary operator `op` (and its reflected and in-place forms) for a C++ expression.
#define EMBER_PY_OPERATOR(op, expr_tt, expr_ts, expr_st, expr_inplace_t, expr_inplace_s)                      \
  cls.def("__" op "__", [](const Tensor& a, const Tensor& b) { return expr_tt; }, nb::is_operator());         \
  cls.def("__" op "__", [](const Tensor& a, const Scalar& b) { return expr_ts; }, nb::is_operator());         \
  cls.def("__r" op "__", [](const Tensor& b, const Scalar& a) { return expr_st; }, nb::is_operator());        \
  cls.def(                                                                                                    \
      "__i" op "__",                                                                                          \
      [](nb::handle_t<Tensor> self, const Tensor& b) {                                                        \
        Tensor& a = self_of(self);                                                                            \
        expr_inplace_t;                                                                                       \
        return self;                                                                                          \
      },                                                                                                      \
      nb::is_operator());                                                                                     \
  cls.def(                                                                                                    \
      "__i" op "__",                                                                                          \
      [](nb::handle_t<Tensor> self, const Scalar& b) {                                                        \
        Tensor& a = self_of(self);                                                                            \
        expr_inplace_s;                                                                                       \
        return self;                                                                                          \
      },                                                                                                      \
      nb::is_operator());

void bind_pointwise(nb::module_& m, nb::class_<Tensor>& cls) {
  // ---- add / sub: the hottest calls, with `alpha` only in a second overload ----
  m.def("add", [](const Tensor& input, const Tensor& other) { return ember::add(input, other); }, "input"_a, "other"_a);
  m.def("add", [](const Tensor& input, const Scalar& other) { return ember::add(input, other); }, "input"_a, "other"_a);
  m.def(
      "add", [](const Tensor& input, const Tensor& other, const Scalar& alpha) { return ember::add(input, other, alpha); },
      "input"_a, "other"_a, nb::kw_only(), "alpha"_a);
  m.def(
      "add", [](const Tensor& input, const Scalar& other, const Scalar& alpha) { return ember::add(input, other, alpha); },
      "input"_a, "other"_a, nb::kw_only(), "alpha"_a);
  m.def(
      "add", [](const Scalar& input, const Tensor& other, const Scalar& alpha) { return ember::add(input, other, alpha); },
      "input"_a, "other"_a, nb::kw_only(), "alpha"_a = 1);
  cls.def("add", [](const Tensor& self, const Tensor& other) { return self.add(other); }, "other"_a);
  cls.def("add", [](const Tensor& self, const Scalar& other) { return self.add(other); }, "other"_a);
  cls.def(
      "add", [](const Tensor& self, const Tensor& other, const Scalar& alpha) { return self.add(other, alpha); },
      "other"_a, nb::kw_only(), "alpha"_a);
  cls.def(
      "add", [](const Tensor& self, const Scalar& other, const Scalar& alpha) { return self.add(other, alpha); },
      "other"_a, nb::kw_only(), "alpha"_a);
  cls.def(
      "add_",
      [](nb::handle_t<Tensor> self, const Tensor& other, const Scalar& alpha) {
        self_of(self).add_(other, alpha);
        return self;
      },
      "other"_a, nb::kw_only(), "alpha"_a = 1);
  cls.def(
      "add_",
      [](nb::handle_t<Tensor> self, const Scalar& other, const Scalar& alpha) {
        self_of(self).add_(other, alpha);
        return self;
      },
      "other"_a, nb::kw_only(), "alpha"_a = 1);
  for (const char* name : {"sub", "subtract"}) {
    m.def(
        name, [](const Tensor& input, const Tensor& other, const Scalar& alpha) { return ember::sub(input, other, alpha); },
        "input"_a, "other"_a, nb::kw_only(), "alpha"_a = 1);
    m.def(
        name, [](const Tensor& input, const Scalar& other, const Scalar& alpha) { return ember::sub(input, other, alpha); },
        "input"_a, "other"_a, nb::kw_only(), "alpha"_a = 1);
    m.def(
        name, [](const Scalar& input, const Tensor& other, const Scalar& alpha) { return ember::sub(input, other, alpha); },
        "input"_a, "other"_a, nb::kw_only(), "alpha"_a = 1);
    cls.def(
        name, [](const Tensor& self, const Tensor& other, const Scalar& alpha) { return self.sub(other, alpha); },
        "other"_a, nb::kw_only(), "alpha"_a = 1);
    cls.def(
        name, [](const Tensor& self, const Scalar& other, const Scalar& alpha) { return self.sub(other, alpha); },
        "other"_a, nb::kw_only(), "alpha"_a = 1);
    cls.def(
        (std::string(name) + "_").c_str(),
        [](nb::handle_t<Tensor> self, const Tensor& other, const Scalar& alpha) {
          self_of(self).sub_(other, alpha);
          return self;
        },
        "other"_a, nb::kw_only(), "alpha"_a = 1);
    cls.def(
        (std::string(name) + "_").c_str(),
        [](nb::handle_t<Tensor> self, const Scalar& other, const Scalar& alpha) {
          self_of(self).sub_(other, alpha);
          return self;
        },
        "other"_a, nb::kw_only(), "alpha"_a = 1);
  }
  // rsub(input, other) is other - alpha * input.
  m.def(
      "rsub", [](const Tensor& input, const Tensor& other, const Scalar& alpha) { return ember::sub(other, input, alpha); },
      "input"_a, "other"_a, nb::kw_only(), "alpha"_a = 1);
  m.def(
      "rsub", [](const Tensor& input, const Scalar& other, const Scalar& alpha) { return ember::sub(other, input, alpha); },
      "input"_a, "other"_a, "alpha"_a = 1);

  // ---- the table: unary and binary ops with their PyTorch aliases ----
#define EMBER_UNARY_OP(name, F, R) EMBER_PY_UNARY(#name, name)
#define EMBER_BINARY_OP(name, F, R) EMBER_PY_BINARY(#name, name)
#include <ember/ops/pointwise.def>
  EMBER_PY_UNARY("negative", neg)
  EMBER_PY_UNARY("absolute", abs)
  EMBER_PY_UNARY("arcsin", asin)
  EMBER_PY_UNARY("arccos", acos)
  EMBER_PY_UNARY("arctan", atan)
  EMBER_PY_UNARY("fix", trunc)
  EMBER_PY_UNARY("sgn", sign)
  EMBER_PY_BINARY("multiply", mul)
  EMBER_PY_BINARY("arctan2", atan2)
  EMBER_PY_BINARY("greater", gt)
  EMBER_PY_BINARY("greater_equal", ge)
  EMBER_PY_BINARY("less", lt)
  EMBER_PY_BINARY("less_equal", le)
  EMBER_PY_BINARY("not_equal", ne)
  EMBER_PY_BINARY("true_divide", div)

  // A number first, as PyTorch's parser allows for these (it wraps the number as a tensor).
  m.def("mul", [](const Scalar& input, const Tensor& other) { return input * other; }, "input"_a, "other"_a);
  m.def("multiply", [](const Scalar& input, const Tensor& other) { return input * other; }, "input"_a, "other"_a);
  m.def("remainder", [](const Scalar& self, const Tensor& other) { return self % other; }, "self"_a, "other"_a);
  m.def("pow", [](const Scalar& self, const Tensor& exponent) { return ember::pow(self, exponent); }, "self"_a,
        "exponent"_a);
  m.def("bitwise_and", [](const Scalar& self, const Tensor& other) { return self & other; }, "self"_a, "other"_a);
  m.def("bitwise_or", [](const Scalar& self, const Tensor& other) { return self | other; }, "self"_a, "other"_a);
  m.def("bitwise_xor", [](const Scalar& self, const Tensor& other) { return self ^ other; }, "self"_a, "other"_a);
  m.def(
      "bitwise_left_shift", [](const Scalar& self, const Tensor& other) { return ember::bitwise_left_shift(self, other); },
      "self"_a, "other"_a);
  m.def(
      "bitwise_right_shift",
      [](const Scalar& self, const Tensor& other) { return ember::bitwise_right_shift(self, other); }, "self"_a,
      "other"_a);

  // ---- division: true division first, rounding_mode as a keyword ----
  // The table above already binds div's plain (Tensor) and (number) forms; divide needs them here.
  m.def("divide", [](const Tensor& input, const Tensor& other) { return ember::div(input, other); }, "input"_a,
        "other"_a);
  m.def("divide", [](const Tensor& input, const Scalar& other) { return ember::div(input, other); }, "input"_a,
        "other"_a);
  cls.def("divide", [](const Tensor& self, const Tensor& other) { return self.div(other); }, "other"_a);
  cls.def("divide", [](const Tensor& self, const Scalar& other) { return self.div(other); }, "other"_a);
  for (const char* name : {"div", "divide"}) {
    m.def(
        name,
        [](const Tensor& input, const Tensor& other, std::optional<std::string_view> rounding_mode) {
          return ember::div(input, other, rounding_mode);
        },
        "input"_a, "other"_a, nb::kw_only(), "rounding_mode"_a.none());
    m.def(
        name,
        [](const Tensor& input, const Scalar& other, std::optional<std::string_view> rounding_mode) {
          return ember::div(input, other, rounding_mode);
        },
        "input"_a, "other"_a, nb::kw_only(), "rounding_mode"_a.none());
    m.def(name, [](const Scalar& input, const Tensor& other) { return input / other; }, "input"_a, "other"_a);
    cls.def(
        name,
        [](const Tensor& self, const Tensor& other, std::optional<std::string_view> rounding_mode) {
          return self.div(other, rounding_mode);
        },
        "other"_a, nb::kw_only(), "rounding_mode"_a.none());
    cls.def(
        name,
        [](const Tensor& self, const Scalar& other, std::optional<std::string_view> rounding_mode) {
          return self.div(other, rounding_mode);
        },
        "other"_a, nb::kw_only(), "rounding_mode"_a.none());
    std::string inplace = std::string(name) + "_";
    cls.def(
        inplace.c_str(),
        [](nb::handle_t<Tensor> self, const Tensor& other, std::optional<std::string_view> rounding_mode) {
          self_of(self).div_(other, rounding_mode);
          return self;
        },
        "other"_a, nb::kw_only(), "rounding_mode"_a.none() = nb::none());
    cls.def(
        inplace.c_str(),
        [](nb::handle_t<Tensor> self, const Scalar& other, std::optional<std::string_view> rounding_mode) {
          self_of(self).div_(other, rounding_mode);
          return self;
        },
        "other"_a, nb::kw_only(), "rounding_mode"_a.none() = nb::none());
  }
  m.def("true_divide", [](const Scalar& input, const Tensor& other) { return input / other; }, "input"_a, "other"_a);
  m.def("floor_divide", [](const Tensor& input, const Tensor& other) { return ember::floor_divide(input, other); },
        "input"_a, "other"_a);
  m.def("floor_divide", [](const Tensor& input, const Scalar& other) { return ember::floor_divide(input, other); },
        "input"_a, "other"_a);
  m.def("floor_divide", [](const Scalar& input, const Tensor& other) { return ember::floor_divide(input, other); },
        "input"_a, "other"_a);
  cls.def("floor_divide", [](const Tensor& self, const Tensor& other) { return self.floor_divide(other); }, "other"_a);
  cls.def("floor_divide", [](const Tensor& self, const Scalar& other) { return self.floor_divide(other); }, "other"_a);
  cls.def(
      "floor_divide_",
      [](nb::handle_t<Tensor> self, const Tensor& other) {
        self_of(self).floor_divide_(other);
        return self;
      },
      "other"_a);
  cls.def(
      "floor_divide_",
      [](nb::handle_t<Tensor> self, const Scalar& other) {
        self_of(self).floor_divide_(other);
        return self;
      },
      "other"_a);

  // ---- float_power: always in float64 ----
  m.def("float_power", [](const Tensor& input, const Tensor& exponent) { return ember::float_power(input, exponent); },
        "input"_a, "exponent"_a);
  m.def("float_power", [](const Tensor& input, const Scalar& exponent) { return ember::float_power(input, exponent); },
        "input"_a, "exponent"_a);
  m.def("float_power", [](const Scalar& self, const Tensor& exponent) { return ember::float_power(self, exponent); },
        "self"_a, "exponent"_a);
  cls.def("float_power", [](const Tensor& self, const Tensor& exponent) { return ember::float_power(self, exponent); },
          "exponent"_a);
  cls.def("float_power", [](const Tensor& self, const Scalar& exponent) { return ember::float_power(self, exponent); },
          "exponent"_a);
  cls.def(
      "float_power_",
      [](nb::handle_t<Tensor> self, const Tensor& exponent) {
        ember::float_power_(self_of(self), exponent);
        return self;
      },
      "exponent"_a);
  cls.def(
      "float_power_",
      [](nb::handle_t<Tensor> self, const Scalar& exponent) {
        ember::float_power_(self_of(self), exponent);
        return self;
      },
      "exponent"_a);

  // ---- ops with named parameters ----
  m.def("round", [](const Tensor& input, int64_t decimals) { return ember::round(input, decimals); }, "input"_a,
        nb::kw_only(), "decimals"_a);
  cls.def("round", [](const Tensor& self, int64_t decimals) { return self.round(decimals); }, nb::kw_only(),
          "decimals"_a);
  cls.def(
      "round_",
      [](nb::handle_t<Tensor> self, int64_t decimals) {
        self_of(self).round_(decimals);
        return self;
      },
      nb::kw_only(), "decimals"_a);
  m.def("logit", [](const Tensor& input, std::optional<double> eps) { return ember::logit(input, eps); }, "input"_a,
        "eps"_a.none() = nb::none());
  cls.def("logit", [](const Tensor& self, std::optional<double> eps) { return self.logit(eps); },
          "eps"_a.none() = nb::none());
  cls.def(
      "logit_",
      [](nb::handle_t<Tensor> self, std::optional<double> eps) {
        self_of(self).logit_(eps);
        return self;
      },
      "eps"_a.none() = nb::none());
  m.def(
      "nan_to_num",
      [](const Tensor& input, std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) {
        return ember::nan_to_num(input, nan, posinf, neginf);
      },
      "input"_a, "nan"_a.none() = 0.0, "posinf"_a.none() = nb::none(), "neginf"_a.none() = nb::none());
  cls.def(
      "nan_to_num",
      [](const Tensor& self, std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) {
        return self.nan_to_num(nan, posinf, neginf);
      },
      "nan"_a.none() = 0.0, "posinf"_a.none() = nb::none(), "neginf"_a.none() = nb::none());
  cls.def(
      "nan_to_num_",
      [](nb::handle_t<Tensor> self, std::optional<double> nan, std::optional<double> posinf,
         std::optional<double> neginf) {
        self_of(self).nan_to_num_(nan, posinf, neginf);
        return self;
      },
      "nan"_a.none() = 0.0, "posinf"_a.none() = nb::none(), "neginf"_a.none() = nb::none());

  // ---- clamp / clip: numbers or tensors for the bounds ----
  for (const char* name : {"clamp", "clip"}) {
    m.def(
        name,
        [](const Tensor& input, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
          return ember::clamp(input, min, max);
        },
        "input"_a, "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
    m.def(
        name,
        [](const Tensor& input, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
          return ember::clamp(input, min, max);
        },
        "input"_a, "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
    cls.def(
        name,
        [](const Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
          return self.clamp(min, max);
        },
        "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
    cls.def(
        name,
        [](const Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
          return self.clamp(min, max);
        },
        "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
    std::string inplace = std::string(name) + "_";
    cls.def(
        inplace.c_str(),
        [](nb::handle_t<Tensor> self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
          self_of(self).clamp_(min, max);
          return self;
        },
        "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
    cls.def(
        inplace.c_str(),
        [](nb::handle_t<Tensor> self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
          self_of(self).clamp_(min, max);
          return self;
        },
        "min"_a.none() = nb::none(), "max"_a.none() = nb::none());
  }

  // ---- ternary ops ----
  m.def(
      "where",
      [](const Tensor& condition, const Tensor& input, const Tensor& other) {
        return ember::where(condition, input, other);
      },
      "condition"_a, "input"_a, "other"_a);
  m.def(
      "where",
      [](const Tensor& condition, const Tensor& input, const Scalar& other) {
        return ember::where(condition, input, other);
      },
      "condition"_a, "input"_a, "other"_a);
  m.def(
      "where",
      [](const Tensor& condition, const Scalar& self, const Tensor& other) {
        return ember::where(condition, self, other);
      },
      "condition"_a, "self"_a, "other"_a);
  m.def(
      "where",
      [](const Tensor& condition, const Scalar& self, const Scalar& other) {
        return ember::where(condition, self, other);
      },
      "condition"_a, "self"_a, "other"_a);
  // where(condition) alone is nonzero(condition, as_tuple=True).
  m.def(
      "where",
      [](const Tensor& condition) {
        tensor_list parts = ember::where(condition);
        nb::tuple out = nb::steal<nb::tuple>(PyTuple_New(Py_ssize_t(parts.size())));
        for (size_t i = 0; i < parts.size(); ++i)
          PyTuple_SET_ITEM(out.ptr(), Py_ssize_t(i), nb::cast(std::move(parts[i])).release().ptr());
        return out;
      },
      "condition"_a);
  cls.def("where", [](const Tensor& self, const Tensor& condition, const Tensor& y) { return self.where(condition, y); },
          "condition"_a, "y"_a);
  cls.def("where", [](const Tensor& self, const Tensor& condition, const Scalar& y) { return self.where(condition, y); },
          "condition"_a, "y"_a);

  m.def("lerp", [](const Tensor& input, const Tensor& end, const Scalar& weight) { return ember::lerp(input, end, weight); },
        "input"_a, "end"_a, "weight"_a);
  m.def("lerp", [](const Tensor& input, const Tensor& end, const Tensor& weight) { return ember::lerp(input, end, weight); },
        "input"_a, "end"_a, "weight"_a);
  cls.def("lerp", [](const Tensor& self, const Tensor& end, const Scalar& weight) { return self.lerp(end, weight); },
          "end"_a, "weight"_a);
  cls.def("lerp", [](const Tensor& self, const Tensor& end, const Tensor& weight) { return self.lerp(end, weight); },
          "end"_a, "weight"_a);
  cls.def(
      "lerp_",
      [](nb::handle_t<Tensor> self, const Tensor& end, const Scalar& weight) {
        self_of(self).lerp_(end, weight);
        return self;
      },
      "end"_a, "weight"_a);
  cls.def(
      "lerp_",
      [](nb::handle_t<Tensor> self, const Tensor& end, const Tensor& weight) {
        self_of(self).lerp_(end, weight);
        return self;
      },
      "end"_a, "weight"_a);

#define EMBER_PY_ADDC(name)                                                                                      \
  m.def(                                                                                                         \
      #name,                                                                                                     \
      [](const Tensor& input, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {               \
        return ember::name(input, tensor1, tensor2, value);                                                      \
      },                                                                                                         \
      "input"_a, "tensor1"_a, "tensor2"_a, nb::kw_only(), "value"_a = 1);                                        \
  cls.def(                                                                                                       \
      #name,                                                                                                     \
      [](const Tensor& self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {                \
        return self.name(tensor1, tensor2, value);                                                               \
      },                                                                                                         \
      "tensor1"_a, "tensor2"_a, nb::kw_only(), "value"_a = 1);                                                   \
  cls.def(                                                                                                       \
      #name "_",                                                                                                 \
      [](nb::handle_t<Tensor> self, const Tensor& tensor1, const Tensor& tensor2, const Scalar& value) {         \
        self_of(self).name##_(tensor1, tensor2, value);                                                          \
        return self;                                                                                             \
      },                                                                                                         \
      "tensor1"_a, "tensor2"_a, nb::kw_only(), "value"_a = 1);
  EMBER_PY_ADDC(addcmul)
  EMBER_PY_ADDC(addcdiv)
#undef EMBER_PY_ADDC

  m.def(
      "masked_fill",
      [](const Tensor& input, const Tensor& mask, const Scalar& value) { return ember::masked_fill(input, mask, value); },
      "input"_a, "mask"_a, "value"_a);
  m.def(
      "masked_fill",
      [](const Tensor& input, const Tensor& mask, const Tensor& value) { return ember::masked_fill(input, mask, value); },
      "input"_a, "mask"_a, "value"_a);
  cls.def("masked_fill", [](const Tensor& self, const Tensor& mask, const Scalar& value) { return self.masked_fill(mask, value); },
          "mask"_a, "value"_a);
  cls.def("masked_fill", [](const Tensor& self, const Tensor& mask, const Tensor& value) { return self.masked_fill(mask, value); },
          "mask"_a, "value"_a);
  cls.def(
      "masked_fill_",
      [](nb::handle_t<Tensor> self, const Tensor& mask, const Scalar& value) {
        self_of(self).masked_fill_(mask, value);
        return self;
      },
      "mask"_a, "value"_a);
  cls.def(
      "masked_fill_",
      [](nb::handle_t<Tensor> self, const Tensor& mask, const Tensor& value) {
        self_of(self).masked_fill_(mask, value);
        return self;
      },
      "mask"_a, "value"_a);

  // ---- type promotion queries ----
  m.def("result_type", [](const Tensor& tensor, const Tensor& other) { return ember::result_type(tensor, other); },
        "tensor"_a, "other"_a);
  m.def("result_type", [](const Tensor& tensor, const Scalar& other) { return ember::result_type(tensor, other); },
        "tensor"_a, "other"_a);
  m.def("result_type", [](const Scalar& scalar, const Tensor& tensor) { return ember::result_type(tensor, scalar); },
        "scalar"_a, "tensor"_a);
  m.def("result_type", [](const Scalar& scalar1, const Scalar& scalar2) { return ember::result_type(scalar1, scalar2); },
        "scalar1"_a, "scalar2"_a);
  m.def("promote_types", [](DType type1, DType type2) { return ember::promote_types(type1, type2); }, "type1"_a,
        "type2"_a);
  m.def("can_cast", [](DType from_, DType to) { return ember::can_cast(from_, to); }, "from_"_a, "to"_a);

  // ---- Python operators ----
  EMBER_PY_OPERATOR("add", ember::add(a, b), ember::add(a, b), ember::add(b, a), a.add_(b), a.add_(b))
  EMBER_PY_OPERATOR("sub", ember::sub(a, b), ember::sub(a, b), a - b, a.sub_(b), a.sub_(b))
  EMBER_PY_OPERATOR("mul", ember::mul(a, b), ember::mul(a, b), ember::mul(b, a), a.mul_(b), a.mul_(b))
  EMBER_PY_OPERATOR("truediv", ember::div(a, b), ember::div(a, b), a / b, a.div_(b), a.div_(b))
  EMBER_PY_OPERATOR("floordiv", ember::floor_divide(a, b), ember::floor_divide(a, b), ember::floor_divide(a, b),
                    a.floor_divide_(b), a.floor_divide_(b))
  EMBER_PY_OPERATOR("mod", ember::remainder(a, b), ember::remainder(a, b), a % b, a.remainder_(b), a.remainder_(b))
  EMBER_PY_OPERATOR("pow", ember::pow(a, b), ember::pow(a, b), ember::pow(a, b), a.pow_(b), a.pow_(b))
  EMBER_PY_OPERATOR("and", ember::bitwise_and(a, b), ember::bitwise_and(a, b), a & b, a.bitwise_and_(b),
                    a.bitwise_and_(b))
  EMBER_PY_OPERATOR("or", ember::bitwise_or(a, b), ember::bitwise_or(a, b), a | b, a.bitwise_or_(b), a.bitwise_or_(b))
  EMBER_PY_OPERATOR("xor", ember::bitwise_xor(a, b), ember::bitwise_xor(a, b), a ^ b, a.bitwise_xor_(b),
                    a.bitwise_xor_(b))
  EMBER_PY_OPERATOR("lshift", ember::bitwise_left_shift(a, b), ember::bitwise_left_shift(a, b),
                    ember::bitwise_left_shift(a, b), a.bitwise_left_shift_(b), a.bitwise_left_shift_(b))
  EMBER_PY_OPERATOR("rshift", ember::bitwise_right_shift(a, b), ember::bitwise_right_shift(a, b),
                    ember::bitwise_right_shift(a, b), a.bitwise_right_shift_(b), a.bitwise_right_shift_(b))
  // Comparisons return tensors; Python reflects `1 < x` to `x > 1` itself. A non-tensor, non-number
  // operand gives NotImplemented, so `x == None` is False as in PyTorch.
#define EMBER_PY_COMPARE(op, cpp)                                                                          \
  cls.def("__" op "__", [](const Tensor& a, const Tensor& b) { return ember::cpp(a, b); }, nb::is_operator()); \
  cls.def("__" op "__", [](const Tensor& a, const Scalar& b) { return ember::cpp(a, b); }, nb::is_operator());
  EMBER_PY_COMPARE("eq", eq)
  EMBER_PY_COMPARE("ne", ne)
  EMBER_PY_COMPARE("lt", lt)
  EMBER_PY_COMPARE("le", le)
  EMBER_PY_COMPARE("gt", gt)
  EMBER_PY_COMPARE("ge", ge)
#undef EMBER_PY_COMPARE
  // Defining __eq__ makes a class unhashable; tensors hash by identity, as PyTorch's do.
  cls.def("__hash__", [](nb::handle self) { return reinterpret_cast<uintptr_t>(self.ptr()); });
  cls.def("__neg__", [](const Tensor& a) { return ember::neg(a); });
  cls.def("__abs__", [](const Tensor& a) { return ember::abs(a); });
  // PyTorch's Python binding checks this before the op (so ~ raises TypeError where bitwise_not raises
  // RuntimeError); the check mirrors that layer.
  cls.def("__invert__", [](const Tensor& a) {
    EMBER_CHECK_TYPE(is_integral(a.dtype(), true), "~ (operator.invert) is only implemented on integer and Boolean-type tensors");
    return ember::bitwise_not(a);
  });
  // +x is x itself (after PyTorch's bool check), so it is the same Python object.
  using TensorObj = nb::typed<nb::object, Tensor>;
  auto positive = [](nb::handle_t<Tensor> self) -> TensorObj {
    Tensor r = ember::positive(self_of(self));
    if (r.is_same(self_of(self))) return TensorObj(nb::borrow(self));
    return TensorObj(nb::cast(std::move(r)));
  };
  cls.def("__pos__", positive);
  cls.def("positive", positive);
  m.def("positive", positive, "input"_a);
}

#undef EMBER_PY_UNARY
#undef EMBER_PY_BINARY
#undef EMBER_PY_OPERATOR

}  // namespace ember::python
