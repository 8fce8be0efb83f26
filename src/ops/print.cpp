// Tensor printing in the layout of PyTorch's repr (torch/_tensor_str.py with its default print options),
// so the Python front end's __repr__ can reuse it: the same column widths, line breaks, choice of
// integer / fixed / scientific notation, summarisation with "..." above 1000 elements, and suffixes.
// The one intended difference: dtypes print as `ember.float64` where PyTorch prints `torch.float64`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <ember/autograd/node.h>
#include <ember/tensor.h>

#include "backend/common/visit_dtype.h"

namespace ember {

namespace {

// PyTorch's default print options (torch.set_printoptions(profile="default")).
constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 80;

// Python's "{:.{p}f}" / "{:.{p}e}": like printf, except that NaN is always "nan" (printf writes "-nan").
std::string py_format(double v, char conv, int precision, int width = 0) {
  std::string s;
  if (std::isnan(v)) {
    s = "nan";
  } else if (std::isinf(v)) {
    s = v > 0 ? "inf" : "-inf";
  } else {
    const char spec[] = {'%', '.', '*', conv, '\0'};
    int n = std::snprintf(nullptr, 0, spec, precision, v);
    s.resize(size_t(n) + 1);
    std::snprintf(s.data(), s.size(), spec, precision, v);
    s.resize(size_t(n));
  }
  if (int(s.size()) < width) s.insert(0, size_t(width - int(s.size())), ' ');
  return s;
}

// Reads elements of one tensor by element offset from its data pointer, without copying the tensor.
class Elements {
 public:
  explicit Elements(const Tensor& t) : data_(static_cast<const char*>(t.data_ptr())), dtype_(t.dtype()) {}
  double as_double(int64_t off) const {
    return kernels::visit_dtype(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T v = reinterpret_cast<const T*>(data_)[off];
      if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return double(float(v));
      else return double(v);
    });
  }
  std::string as_string(int64_t off) const {  // Python's str() of a non-floating element
    if (dtype_ == kBool) return reinterpret_cast<const bool*>(data_)[off] ? "True" : "False";
    return kernels::visit_dtype(dtype_, [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (std::is_integral_v<T>) return std::to_string(int64_t(reinterpret_cast<const T*>(data_)[off]));
      else return std::string();
    });
  }

 private:
  const char* data_;
  DType dtype_;
};

// PyTorch's _Formatter: picks integer, fixed or scientific notation and one width for all elements from
// the nonzero finite values that will be printed.
class Formatter {
 public:
  Formatter(const Elements& e, bool floating, const std::vector<int64_t>& offsets) : e_(e), floating_(floating) {
    if (!floating_) {
      for (int64_t off : offsets) width_ = std::max(width_, e_.as_string(off).size());
      return;
    }
    std::vector<double> vals;
    for (int64_t off : offsets) {
      double v = e_.as_double(off);
      if (std::isfinite(v) && v != 0) vals.push_back(v);
    }
    if (vals.empty()) return;
    double lo = INFINITY, hi = 0;
    for (double v : vals) {
      lo = std::min(lo, std::abs(v));
      hi = std::max(hi, std::abs(v));
      if (v != std::ceil(v)) int_mode_ = false;
    }
    sci_mode_ = hi / lo > 1000.0 || hi > 1.0e8 || (!int_mode_ && lo < 1.0e-4);
    for (double v : vals) {
      size_t w = sci_mode_ ? py_format(v, 'e', kPrecision).size()
                 : int_mode_ ? py_format(v, 'f', 0).size() + 1
                             : py_format(v, 'f', kPrecision).size();
      width_ = std::max(width_, w);
    }
  }
  size_t width() const { return width_; }
  std::string format(int64_t off) const {
    std::string s;
    if (!floating_) {
      s = e_.as_string(off);
    } else {
      double v = e_.as_double(off);
      if (sci_mode_) {
        s = py_format(v, 'e', kPrecision, int(width_));
      } else if (int_mode_) {
        s = py_format(v, 'f', 0);
        if (std::isfinite(v)) s += '.';
      } else {
        s = py_format(v, 'f', kPrecision);
      }
    }
    if (s.size() < width_) s.insert(0, width_ - s.size(), ' ');
    return s;
  }

 private:
  const Elements& e_;
  bool floating_;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  size_t width_ = 1;
};

class TensorPrinter {
 public:
  explicit TensorPrinter(Tensor t) : t_(std::move(t)), elements_(t_), summarize_(t_.numel() > kThreshold) {}

  // _tensor_str: the bracketed contents, continuation lines indented by `indent`.
  std::string contents(int indent) {
    std::vector<int64_t> offsets;
    collect(0, 0, offsets);
    formatter_.emplace(elements_, t_.is_floating_point(), offsets);
    return nested(0, 0, indent);
  }

 private:
  bool elided(int64_t d) const { return summarize_ && t_.size(d) > 2 * kEdgeItems; }
  // The indices along dimension d that are printed (all, or the edge items around "...").
  std::vector<int64_t> shown(int64_t d) const {
    std::vector<int64_t> idx;
    int64_t n = t_.size(d);
    for (int64_t i = 0; i < n; ++i)
      if (!elided(d) || i < kEdgeItems || i >= n - kEdgeItems) idx.push_back(i);
    return idx;
  }
  void collect(int64_t d, int64_t off, std::vector<int64_t>& out) const {
    if (d == t_.dim()) {
      out.push_back(off);
      return;
    }
    for (int64_t i : shown(d)) collect(d + 1, off + i * t_.stride(d), out);
  }
  std::string nested(int64_t d, int64_t off, int indent) const {
    const Formatter& f = *formatter_;
    int64_t ndim = t_.dim();
    if (ndim == 0) return f.format(off);
    std::vector<std::string> parts;
    int64_t n = t_.size(d);
    for (int64_t i : shown(d)) {
      if (elided(d) && i == n - kEdgeItems) parts.push_back(d == ndim - 1 ? " ..." : "...");
      int64_t o = off + i * t_.stride(d);
      parts.push_back(d == ndim - 1 ? f.format(o) : nested(d + 1, o, indent + 1));
    }
    if (d == ndim - 1) {
      // _vector_str: as many elements per line as fit in the line width.
      size_t per_line = size_t(std::max(1.0, std::floor(double(kLineWidth - indent) / double(f.width() + 2))));
      std::string out = "[";
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i && i % per_line == 0) out.append(",\n").append(size_t(indent + 1), ' ');
        else if (i) out += ", ";
        out += parts[i];
      }
      return out + "]";
    }
    std::string sep = ",";
    sep.append(size_t(ndim - d - 1), '\n').append(size_t(indent + 1), ' ');
    std::string out = "[";
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) out += sep;
      out += parts[i];
    }
    return out + "]";
  }

  Tensor t_;
  Elements elements_;
  bool summarize_;
  std::optional<Formatter> formatter_;
};

std::string shape_tuple(IntArrayRef sizes) {  // Python's str(tuple(shape))
  std::string s = "(";
  for (size_t i = 0; i < sizes.size(); ++i) s += (i ? ", " : "") + std::to_string(sizes[i]);
  return s + (sizes.size() == 1 ? ",)" : ")");
}

// _add_suffixes: ", suffix" on the last line while it fits in the line width, else on a new line.
std::string add_suffixes(std::string s, const std::vector<std::string>& suffixes, int indent) {
  size_t nl = s.rfind('\n');
  int64_t last_line = int64_t(s.size()) - (nl == std::string::npos ? -1 : int64_t(nl)) + 1;
  for (const auto& suffix : suffixes) {
    int64_t len = int64_t(suffix.size());
    if (last_line + len + 2 > kLineWidth) {
      s.append(",\n").append(size_t(indent), ' ').append(suffix);
      last_line = indent + len;
    } else {
      s += ", " + suffix;
      last_line += len + 2;
    }
  }
  return s + ")";
}

}  // namespace

std::string Tensor::toString() const {
  if (!defined()) return "tensor(undefined)";
  const std::string prefix = "tensor(";
  const int indent = int(prefix.size());
  std::vector<std::string> suffixes;
  if (!is_cpu()) suffixes.push_back("device='" + device().str() + "'");
  std::string body;
  std::ostringstream dtype_name;
  dtype_name << "dtype=" << dtype();
  if (numel() == 0) {
    if (dim() != 1) suffixes.push_back("size=" + shape_tuple(sizes()));
    if (dtype() != get_default_dtype()) suffixes.push_back(dtype_name.str());
    body = "[]";
  } else {
    if (dtype() != get_default_dtype() && dtype() != kInt64 && dtype() != kBool) suffixes.push_back(dtype_name.str());
    body = TensorPrinter(is_cpu() ? *this : cpu()).contents(indent);
  }
  if (grad_fn()) suffixes.push_back("grad_fn=<" + grad_fn()->name() + ">");
  else if (requires_grad()) suffixes.push_back("requires_grad=True");
  return add_suffixes(prefix + body, suffixes, indent);
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) { return os << t.toString(); }

}  // namespace ember
