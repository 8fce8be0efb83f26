#pragma once
// A protobuf wire-format encoder for the few write-only messages of TensorBoard's event files (see
// docs/ARCHITECTURE.md for why this is not generated code). Fields are written in the order called.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace ember::utils::detail {

class ProtoWriter {
 public:
  ProtoWriter& varint_field(int field, uint64_t v) {
    tag(field, 0);
    varint(v);
    return *this;
  }
  ProtoWriter& double_field(int field, double v) {
    tag(field, 1);
    fixed(&v, 8);
    return *this;
  }
  ProtoWriter& float_field(int field, float v) {
    tag(field, 5);
    fixed(&v, 4);
    return *this;
  }
  ProtoWriter& bytes_field(int field, std::string_view v) {
    tag(field, 2);
    varint(v.size());
    buf_.append(v);
    return *this;
  }
  ProtoWriter& message_field(int field, const ProtoWriter& m) { return bytes_field(field, m.buf_); }
  ProtoWriter& packed_doubles(int field, const std::vector<double>& v) {
    tag(field, 2);
    varint(v.size() * 8);
    for (double d : v) fixed(&d, 8);
    return *this;
  }
  const std::string& bytes() const { return buf_; }

 private:
  void tag(int field, int wire_type) { varint(uint64_t(field) << 3 | uint64_t(wire_type)); }
  void varint(uint64_t v) {
    while (v >= 0x80) {
      buf_.push_back(char(v | 0x80));
      v >>= 7;
    }
    buf_.push_back(char(v));
  }
  void fixed(const void* p, size_t n) { buf_.append(static_cast<const char*>(p), n); }  // little-endian host
  std::string buf_;
};

}  // namespace ember::utils::detail
