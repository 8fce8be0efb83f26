#include "data/file_util.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ember::data::detail {

Bytes read_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) file_error(path, "cannot open: ", std::strerror(errno));
  Bytes out;
  if (std::fseek(f.get(), 0, SEEK_END) == 0) {
    long n = std::ftell(f.get());
    if (n > 0) out.reserve(size_t(n));
    std::rewind(f.get());
  }
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.insert(out.end(), buf, buf + n);
  if (std::ferror(f.get())) file_error(path, "read error: ", std::strerror(errno));
  return out;
}

namespace {
Bytes gunzip(const Bytes& in, const std::string& path) {
  // ISIZE, the last 4 bytes, is the size of the last member mod 2^32: a first guess for the output.
  size_t guess = in.size() >= 18 ? size_t(in[in.size() - 4]) | size_t(in[in.size() - 3]) << 8 |
                                       size_t(in[in.size() - 2]) << 16 | size_t(in[in.size() - 1]) << 24
                                 : 0;
  Bytes out(std::max<size_t>(std::min(guess, in.size() * 1032 + 1024), 1024));
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) file_error(path, "cannot start zlib");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&z, &inflateEnd);
  z.next_in = const_cast<Bytes::value_type*>(in.data());
  size_t in_left = in.size(), produced = 0;
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    z.next_out = out.data() + produced;
    const uInt in_chunk = uInt(std::min<size_t>(in_left, 1u << 30));
    const uInt out_chunk = uInt(std::min<size_t>(out.size() - produced, 1u << 30));
    z.avail_in = in_chunk;
    z.avail_out = out_chunk;
    int rc = inflate(&z, Z_NO_FLUSH);
    in_left -= in_chunk - z.avail_in;
    produced += out_chunk - z.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (gzip concatenates them); anything else after the end is an error.
      if (in_left == 0) break;
      if (in_left >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
        inflateReset(&z);
        continue;
      }
      file_error(path, "corrupt gzip data: ", in_left, " bytes of garbage after the end of the stream");
    }
    if (rc == Z_DATA_ERROR) file_error(path, "corrupt gzip data: ", z.msg ? z.msg : "invalid stream");
    if (rc == Z_MEM_ERROR) file_error(path, "out of memory while inflating");
    if (rc == Z_BUF_ERROR && in_left == 0)
      file_error(path, "truncated gzip data: the file ends before the end of the compressed stream");
    if (rc != Z_OK && rc != Z_BUF_ERROR) file_error(path, "gzip error ", rc, z.msg ? ": " : "", z.msg ? z.msg : "");
    if (rc == Z_OK && in_left == 0 && z.avail_out != 0)
      file_error(path, "truncated gzip data: the file ends before the end of the compressed stream");
  }
  out.resize(produced);
  return out;
}
}  // namespace

Bytes read_maybe_gzip(const std::string& path) {
  Bytes raw = read_file(path);
  if (raw.size() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b) return gunzip(raw, path);
  return raw;
}

}  // namespace ember::data::detail
