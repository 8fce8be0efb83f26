// safetensors: the writer reproduces the reference's bytes, the reader its validation (tensor.rs in
// huggingface/safetensors): header at most 100 MB of UTF-8 JSON, byte ranges that tile the data section
// exactly once when sorted, sizes equal to shape x dtype size, no bytes after the last tensor.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include <ember/io/safetensors.h>
#include <ember/ops/factory.h>

#include "io/atomic_file.h"

namespace ember {

namespace {

constexpr uint64_t kMaxHeaderSize = 100'000'000;  // the reference's MAX_HEADER_SIZE

struct DTypeCode {
  DType dtype;
  const char* name;
  int rank;  // position in the reference's Dtype enum, which orders tensors in the file
};
constexpr DTypeCode kCodes[] = {
    {kBool, "BOOL", 0}, {kUInt8, "U8", 1},   {kInt8, "I8", 2},     {kInt16, "I16", 5},   {kFloat16, "F16", 7},
    {kBFloat16, "BF16", 8}, {kInt32, "I32", 9}, {kFloat32, "F32", 11}, {kFloat64, "F64", 12}, {kInt64, "I64", 13},
};

const DTypeCode& code_of(DType t) {
  for (const auto& c : kCodes)
    if (c.dtype == t) return c;
  throw TypeError(detail::str("safetensors: cannot save tensors of dtype ", t));
}

// ---- writing ----

struct Prepared {
  std::string header;  // the 8-byte length followed by the padded JSON
  std::vector<std::pair<std::string, Tensor>> tensors;  // in file order, contiguous, on the CPU
};

std::string json_string(const std::string& s, const char* what) {
  try {
    return nlohmann::json(s).dump();
  } catch (const nlohmann::json::exception&) {
    throw ValueError(detail::str("safetensors: ", what, " is not valid UTF-8: '", s, "'"));
  }
}

// add_format: "format": "pt" joins the metadata (ember::save, as transformers writes files); without it
// the metadata is written as given and left out when empty (safetensors.torch.save_file).
Prepared prepare(std::vector<std::pair<std::string, Tensor>> items, const MetadataMap& metadata,
                 bool add_format = true) {
  std::set<std::string> seen;
  for (auto& [name, t] : items) {
    EMBER_CHECK_VALUE(seen.insert(name).second, "safetensors: the tensor name '", name, "' is given twice");
    EMBER_CHECK_VALUE(t.defined(), "safetensors: the tensor '", name, "' is undefined");
    if (name == "__metadata__") throw ValueError("safetensors: '__metadata__' is reserved and cannot name a tensor");
    Tensor c = t.detach();
    if (!c.is_cpu()) c = c.cpu();
    if (!c.is_contiguous()) c = c.contiguous();
    t = c;
  }
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    int ra = code_of(a.second.dtype()).rank, rb = code_of(b.second.dtype()).rank;
    return ra != rb ? ra > rb : a.first < b.first;
  });
  MetadataMap meta = metadata;
  if (add_format) meta.emplace("format", "pt");
  std::string js = "{";
  if (!meta.empty()) {
    js += "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : meta) {
      if (!first) js += ',';
      first = false;
      js += json_string(k, "a metadata key") + ':' + json_string(v, "a metadata value");
    }
    js += '}';
  }
  uint64_t offset = 0;
  for (const auto& [name, t] : items) {
    if (js.size() > 1) js += ',';
    js += json_string(name, "a tensor name") + ":{\"dtype\":\"" + code_of(t.dtype()).name + "\",\"shape\":[";
    for (int64_t d = 0; d < t.dim(); ++d) {
      if (d) js += ',';
      js += std::to_string(t.size(d));
    }
    uint64_t n = t.nbytes();
    js += "],\"data_offsets\":[" + std::to_string(offset) + ',' + std::to_string(offset + n) + "]}";
    offset += n;
  }
  js += '}';
  js.append((8 - js.size() % 8) % 8, ' ');
  Prepared p;
  uint64_t len = js.size();
  p.header.resize(8);
  for (int i = 0; i < 8; ++i) p.header[size_t(i)] = char((len >> (8 * i)) & 0xff);
  p.header += js;
  p.tensors = std::move(items);
  return p;
}

std::vector<std::pair<std::string, Tensor>> to_items(const TensorMap& m) {
  return {m.begin(), m.end()};
}

// ---- reading ----

}  // namespace

// Named, not anonymous: SafeOpen::Impl holds them, and GCC warns about a class with members of
// anonymous-namespace types outside the main file (as in a unity build).
namespace safetensors_io {

struct Info {
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

// Bytes of a whole file: a private mapping of it (or a copy of a string). Private, so a loaded tensor
// written in place copies its page and the file stays as it was.
struct Buffer {
  const uint8_t* data = nullptr;
  size_t size = 0;
  void* map = nullptr;
  std::string owned;
  ~Buffer() {
    if (map) ::munmap(map, size);
  }
};

}  // namespace safetensors_io

namespace {

std::shared_ptr<safetensors_io::Buffer> map_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(detail::str("safetensors: cannot open '", path.string(), "': ", std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(detail::str("safetensors: '", path.string(), "' is not a regular file"));
  }
  auto b = std::make_shared<safetensors_io::Buffer>();
  b->size = size_t(st.st_size);
  if (b->size > 0) {
    void* p = ::mmap(nullptr, b->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      throw Error(detail::str("safetensors: cannot map '", path.string(), "': ", std::strerror(e)));
    }
    b->map = p;
    b->data = static_cast<const uint8_t*>(p);
  }
  ::close(fd);
  return b;
}

uint64_t get_uint(const nlohmann::json& v, const std::string& where) {
  if (!v.is_number_unsigned()) throw Error(detail::str(where, " must be a non-negative integer, not ", v.dump()));
  return v.get<uint64_t>();
}

}  // namespace

struct SafeOpen::Impl {
  std::filesystem::path path;
  std::string origin;  // "'path'" or "the buffer", for messages
  std::shared_ptr<safetensors_io::Buffer> buffer;
  uint64_t data_start = 0;
  std::map<std::string, safetensors_io::Info> infos;
  std::vector<std::string> order;
  MetadataMap metadata;

  [[noreturn]] void fail(const std::string& problem) const {
    throw Error(detail::str("safetensors: cannot load ", origin, ": ", problem));
  }
  void parse();
};

void SafeOpen::Impl::parse() {
  const size_t size = buffer->size;
  if (size < 8) fail(detail::str("the file has ", size, " bytes, fewer than the 8 of the header length"));
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | buffer->data[i];
  if (n > kMaxHeaderSize) fail(detail::str("the header length ", n, " is over the limit of ", kMaxHeaderSize, " bytes"));
  if (n > size - 8) fail(detail::str("the header length ", n, " runs past the end of the file (", size, " bytes)"));
  data_start = 8 + n;
  const char* text = reinterpret_cast<const char*>(buffer->data + 8);
  if (n == 0 || text[0] != '{') fail("the header does not start with '{'");

  // nlohmann keeps the last of repeated keys; the stack of key sets catches them at every level.
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  auto cb = [&](int, nlohmann::json::parse_event_t ev, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (ev == E::object_start) keys.emplace_back();
    else if (ev == E::object_end) keys.pop_back();
    else if (ev == E::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
      duplicate = parsed.get<std::string>();
    return true;
  };
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text, text + n, cb);
  } catch (const nlohmann::json::exception& e) {
    fail(detail::str("the header is not valid JSON (", e.what(), ")"));
  }
  if (!duplicate.empty()) fail(detail::str("the header names '", duplicate, "' twice"));
  if (!header.is_object()) fail("the header is not a JSON object");

  std::vector<std::pair<std::string, safetensors_io::Info>> list;
  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& v = it.value();
    if (name == "__metadata__") {
      if (!v.is_object()) fail("__metadata__ is not a JSON object");
      for (auto m = v.begin(); m != v.end(); ++m) {
        if (!m.value().is_string()) fail(detail::str("the __metadata__ value of '", m.key(), "' is not a string"));
        metadata[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    std::string where = "the tensor '" + name + "'";
    if (!v.is_object()) fail(where + " is not described by a JSON object");
    if (!v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets"))
      fail(where + " lacks one of dtype, shape and data_offsets");
    const auto& jd = v["dtype"];
    safetensors_io::Info info{};
    bool known = false;
    if (jd.is_string())
      for (const auto& c : kCodes)
        if (jd.get<std::string>() == c.name) info.dtype = c.dtype, known = true;
    if (!known) fail(detail::str(where, " has the unknown or unsupported dtype ", jd.dump()));
    const auto& js = v["shape"];
    if (!js.is_array()) fail(where + ": shape is not a list");
    try {
      for (const auto& d : js) {
        uint64_t x = get_uint(d, "a dimension");
        if (x > uint64_t(std::numeric_limits<int64_t>::max())) fail(where + " has a dimension too large");
        info.shape.push_back(int64_t(x));
      }
      const auto& jo = v["data_offsets"];
      if (!jo.is_array() || jo.size() != 2) fail(where + ": data_offsets is not a pair [begin, end]");
      info.begin = get_uint(jo[0], "data_offsets");
      info.end = get_uint(jo[1], "data_offsets");
    } catch (const Error& e) {
      if (std::string_view(e.what()).starts_with("safetensors:")) throw;
      fail(where + ": " + e.what());
    }
    list.emplace_back(name, std::move(info));
  }
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
    return std::pair(a.second.begin, a.second.end) < std::pair(b.second.begin, b.second.end);
  });
  uint64_t start = 0;
  for (const auto& [name, info] : list) {
    if (info.begin != start || info.end < info.begin)
      fail(detail::str("the data_offsets [", info.begin, ", ", info.end, "] of '", name, "' ",
                       info.begin > start ? "leave a gap after" : "overlap", " the previous tensor's data (which ends at ",
                       start, ")"));
    uint64_t elems = 1;
    for (int64_t d : info.shape)
      if (__builtin_mul_overflow(elems, uint64_t(d), &elems)) fail(detail::str("the shape of '", name, "' overflows"));
    uint64_t bytes;
    if (__builtin_mul_overflow(elems, uint64_t(element_size(info.dtype)), &bytes))
      fail(detail::str("the shape of '", name, "' overflows"));
    if (info.end - info.begin != bytes)
      fail(detail::str("the tensor '", name, "' has ", info.end - info.begin, " bytes of data but its shape and dtype need ",
                       bytes));
    start = info.end;
  }
  uint64_t data_size = size - data_start;
  if (start != data_size)
    fail(start < data_size
             ? detail::str("the file has ", data_size - start, " bytes after the last tensor's data")
             : detail::str("the tensors need ", start, " bytes of data but the file has ", data_size, " (truncated?)"));
  for (auto& [name, info] : list) {
    order.push_back(name);
    infos.emplace(name, std::move(info));
  }
}

SafeOpen::SafeOpen(const std::filesystem::path& path) : impl_(std::make_shared<Impl>()) {
  impl_->path = path;
  impl_->origin = "'" + path.string() + "'";
  impl_->buffer = map_file(path);
  impl_->parse();
}

std::vector<std::string> SafeOpen::keys() const { return impl_->order; }
bool SafeOpen::contains(const std::string& name) const { return impl_->infos.count(name) != 0; }
const MetadataMap& SafeOpen::metadata() const { return impl_->metadata; }
const std::filesystem::path& SafeOpen::path() const { return impl_->path; }

namespace {

Tensor make_tensor(const SafeOpen::Impl& f, const std::string& name) {
  auto it = f.infos.find(name);
  if (it == f.infos.end()) throw IndexError(detail::str("safetensors: no tensor named '", name, "' in ", f.origin));
  const safetensors_io::Info& info = it->second;
  uint8_t* p = const_cast<uint8_t*>(f.buffer->data) + f.data_start + info.begin;
  size_t nbytes = info.end - info.begin;
  if (info.dtype == kBool)
    for (size_t i = 0; i < nbytes; ++i)
      if (p[i] > 1) f.fail(detail::str("the bool tensor '", name, "' holds the byte ", int(p[i]), ", neither 0 nor 1"));
  // Writers other than the reference may leave data unaligned for its type; such a tensor is copied.
  if (reinterpret_cast<uintptr_t>(p) % element_size(info.dtype) != 0) {
    Tensor t = empty(info.shape, TensorOptions(info.dtype));
    std::memcpy(t.data_ptr(), p, nbytes);
    return t;
  }
  std::shared_ptr<safetensors_io::Buffer> keep = f.buffer;
  return from_blob(p, info.shape, [keep](void*) {}, TensorOptions(info.dtype));
}

}  // namespace

Tensor SafeOpen::get_tensor(const std::string& name) const { return make_tensor(*impl_, name); }

namespace {
void write_file(const Prepared& p, const std::filesystem::path& path) {
  io::detail::AtomicFile f(path);
  f.write(p.header);
  for (const auto& [name, t] : p.tensors) f.write(t.data_ptr(), t.nbytes());
  f.commit();
}
}  // namespace

void save(const std::vector<std::pair<std::string, Tensor>>& tensors, const std::filesystem::path& path,
          const MetadataMap& metadata) {
  write_file(prepare(tensors, metadata), path);
}

void save_file(const TensorMap& tensors, const std::filesystem::path& path, const MetadataMap& metadata) {
  write_file(prepare(to_items(tensors), metadata, false), path);
}

void save(const TensorMap& tensors, const std::filesystem::path& path, const MetadataMap& metadata) {
  save(to_items(tensors), path, metadata);
}

std::string save_bytes(const TensorMap& tensors, const MetadataMap& metadata) {
  Prepared p = prepare(to_items(tensors), metadata);
  std::string out = std::move(p.header);
  for (const auto& [name, t] : p.tensors) out.append(static_cast<const char*>(t.data_ptr()), t.nbytes());
  return out;
}

namespace {
TensorMap load_all(const SafeOpen::Impl& f) {
  TensorMap out;
  for (const auto& name : f.order) out.emplace(name, make_tensor(f, name));
  return out;
}
}  // namespace

TensorMap load(const std::filesystem::path& path) {
  SafeOpen f(path);
  TensorMap out;
  for (const auto& name : f.keys()) out.emplace(name, f.get_tensor(name));
  return out;
}

TensorMap load_bytes(const std::string& data) {
  SafeOpen::Impl f;
  f.origin = "the buffer";
  f.buffer = std::make_shared<safetensors_io::Buffer>();
  f.buffer->owned = data;
  f.buffer->data = reinterpret_cast<const uint8_t*>(f.buffer->owned.data());
  f.buffer->size = f.buffer->owned.size();
  f.parse();
  return load_all(f);
}

}  // namespace ember
