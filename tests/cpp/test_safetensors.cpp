// safetensors against the reference library: files it writes load in ember with the right values, files
// ember writes load in it and equal its own bytes, and malformed files are refused with a message.
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include <ember/ember.h>

#include "golden.h"
#include "io_test_util.h"

using namespace ember;

namespace {

// Same dtype, shape and bytes.
bool same(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.sizes() != b.sizes()) return false;
  Tensor x = a.contiguous(), y = b.contiguous();
  return std::memcmp(x.data_ptr(), y.data_ptr(), x.nbytes()) == 0;
}

void expect_matches(const Tensor& t, const nlohmann::json& spec, const std::string& name) {
  SCOPED_TRACE(name);
  EXPECT_EQ(dtype_name(t.dtype()), spec["dtype"].get<std::string>());
  std::vector<int64_t> shape = spec["shape"].get<std::vector<int64_t>>();
  EXPECT_EQ(std::vector<int64_t>(t.sizes().begin(), t.sizes().end()), shape);
  Tensor flat = t.to(kFloat64).flatten().contiguous();
  const auto& values = spec["values"];
  ASSERT_EQ(size_t(flat.numel()), values.size());
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(flat.data_ptr<double>()[i], golden::parse_value(values[i])) << "element " << i;
}

// A header followed by `data_bytes` zero bytes, with the header's length field as given.
std::string make_file(const std::string& header, size_t data_bytes, int64_t length_field = -1) {
  uint64_t n = length_field < 0 ? header.size() : uint64_t(length_field);
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[size_t(i)] = char((n >> (8 * i)) & 0xff);
  return out + header + std::string(data_bytes, '\0');
}

// Writes malformed files, checks that ember refuses each with a message naming the file and the
// problem, and (in one Python run, since starting it is slow) that the reference refuses them too.
class Rejections {
 public:
  Rejections() : dir_("st_bad") {}
  ~Rejections() {
    if (reference_files_.empty() || !iotest::have_python()) return;
    auto r = iotest::run_python("safetensors_check.py", "reject" + reference_files_);
    EXPECT_EQ(r.status, 0) << r.output;
  }
  void expect(const std::string& bytes, const std::string& message_part, bool reference_too = true) {
    auto path = dir_.path / ("bad" + std::to_string(count_++) + ".safetensors");
    iotest::write_file(path, bytes);
    try {
      load(path);
      ADD_FAILURE() << "accepted a file that should fail with '" << message_part << "'";
    } catch (const Error& e) {
      std::string what = e.what();
      EXPECT_NE(what.find(message_part), std::string::npos) << what;
      EXPECT_NE(what.find(path.string()), std::string::npos) << "the message names the file: " << what;
    }
    EXPECT_THROW(load_bytes(bytes), Error);
    if (reference_too) reference_files_ += " '" + path.string() + "'";
  }

 private:
  iotest::ScratchDir dir_;
  int count_ = 0;
  std::string reference_files_;
};

}  // namespace

TEST(Safetensors, ReadsTheReferenceWriterAndWritesItsBytes) {
  EMBER_REQUIRE_PYTHON();
  iotest::ScratchDir dir("st");
  auto r = iotest::run_python("safetensors_check.py", "write '" + dir.path.string() + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  auto spec = nlohmann::json::parse(iotest::read_file(dir.path / "ref.json"));
  TensorMap loaded = load(dir.path / "ref.safetensors");
  ASSERT_EQ(loaded.size(), spec.size());
  for (auto it = spec.begin(); it != spec.end(); ++it) {
    ASSERT_TRUE(loaded.count(it.key())) << it.key();
    expect_matches(loaded.at(it.key()), it.value(), it.key());
  }
  EXPECT_EQ(safe_open(dir.path / "ref.safetensors").metadata(), (MetadataMap{{"format", "pt"}}));

  // Written back with a non-contiguous tensor added: the reference reads it and gets its own bytes.
  loaded["t_noncontig"] = loaded.at("f32").t();
  ASSERT_FALSE(loaded["t_noncontig"].is_contiguous());
  save(loaded, dir.path / "ours.safetensors");
  r = iotest::run_python("safetensors_check.py", "check '" + dir.path.string() + "'");
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(Safetensors, HeaderBytesAndOrderAsTheReference) {
  // The reference's own unit test (tensor.rs, test_empty): an empty dict with metadata.
  std::string empty = save_bytes({}, {{"framework", "pt"}});
  std::string header = R"({"__metadata__":{"format":"pt","framework":"pt"}})";
  std::string expected = make_file(header + std::string((8 - header.size() % 8) % 8, ' '), 0);
  EXPECT_EQ(empty, expected);
  // Descending dtype alignment, then name.
  TensorMap m{{"b", zeros({1}, kUInt8)}, {"a", zeros({2}, kFloat32)}, {"c", zeros({1}, kInt64)}, {"d", zeros({1}, kFloat32)}};
  std::string bytes = save_bytes(m);
  SafeOpen f = [&] {
    iotest::ScratchDir dir("st_order");
    iotest::write_file(dir.path / "x.safetensors", bytes);
    return SafeOpen(dir.path / "x.safetensors");  // the mapping outlives the directory
  }();
  EXPECT_EQ(f.keys(), (std::vector<std::string>{"c", "a", "d", "b"}));
  uint64_t n;
  std::memcpy(&n, bytes.data(), 8);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.substr(8, 30), R"({"__metadata__":{"format":"pt")");
}

TEST(Safetensors, SaveFileWritesTheMetadataAsGiven) {
  // safetensors.torch.save_file adds no "format" and leaves __metadata__ out when there is none.
  iotest::ScratchDir dir("st_save_file");
  TensorMap m{{"a", zeros({2}, kFloat32)}};
  save_file(m, dir.path / "plain.safetensors");
  std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  EXPECT_EQ(iotest::read_file(dir.path / "plain.safetensors"),
            make_file(header + std::string((8 - header.size() % 8) % 8, ' '), 8));
  save_file(m, dir.path / "meta.safetensors", {{"epoch", "3"}});
  EXPECT_EQ(safe_open(dir.path / "meta.safetensors").metadata(), (MetadataMap{{"epoch", "3"}}));
  save_file({}, dir.path / "empty.safetensors");
  EXPECT_EQ(iotest::read_file(dir.path / "empty.safetensors"), make_file("{}      ", 0));
}

TEST(Safetensors, RoundTripKeepsValuesAndDtypes) {
  iotest::ScratchDir dir("st_rt");
  TensorMap m;
  m["x"] = arange(24, kFloat32).reshape({2, 3, 4}).permute({2, 0, 1});
  m["h"] = arange(6, kFloat16) / 3;
  m["b"] = arange(6, kBFloat16) * 1.5;
  m["flag"] = arange(4) > 1;
  m["n"] = full({}, -7, kInt64);
  save(m, dir.path / "m.safetensors", {{"epoch", "3"}});
  TensorMap back = load(dir.path / "m.safetensors");
  ASSERT_EQ(back.size(), m.size());
  for (const auto& [k, v] : m) {
    EXPECT_EQ(back[k].dtype(), v.dtype()) << k;
    EXPECT_EQ(back[k].sizes(), v.sizes()) << k;
    EXPECT_TRUE(same(back[k], v)) << k;
  }
  EXPECT_EQ(safe_open(dir.path / "m.safetensors").metadata(), (MetadataMap{{"epoch", "3"}, {"format", "pt"}}));
  // Loaded tensors view a private mapping: writing one changes neither the file nor a later load.
  back["x"].fill_(0);
  EXPECT_TRUE(same(load(dir.path / "m.safetensors")["x"], m["x"]));
  // The mapping outlives the file's name.
  std::filesystem::remove(dir.path / "m.safetensors");
  EXPECT_TRUE(same(back["h"], m["h"]));
}

TEST(Safetensors, AFailedSaveLeavesTheOldFile) {
  iotest::ScratchDir dir("st_fail");
  auto path = dir.path / "m.safetensors";
  save(TensorMap{{"a", ones({2})}}, path);
  std::string before = iotest::read_file(path);
  EXPECT_THROW(save(TensorMap{{"a", ones({2})}, {"b", Tensor()}}, path), ValueError);
  EXPECT_THROW(save(std::vector<std::pair<std::string, Tensor>>{{"a", ones({1})}, {"a", ones({2})}}, path), ValueError);
  EXPECT_THROW(save(TensorMap{{"a", ones({1})}}, dir.path / "missing" / "x.safetensors"), Error);
  EXPECT_EQ(iotest::read_file(path), before);
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u) << "no temporary file is left behind";
}

TEST(Safetensors, RejectsMalformedFiles) {
  const std::string t = R"("t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  Rejections bad;
  bad.expect(std::string(5, '\0'), "fewer than the 8");
  bad.expect(make_file("{}      ", 0, 200'000'000), "over the limit");
  bad.expect(make_file("{}      ", 0, 64), "runs past the end");
  bad.expect(make_file("{\"t\":", 0), "not valid JSON");
  bad.expect(make_file("[1,2,3] ", 0), "does not start with '{'");
  bad.expect(make_file("{" + t + "}", 4), "truncated");
  bad.expect(make_file("{" + t + "}", 12), "4 bytes after the last tensor");
  bad.expect(make_file(R"({"t":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8), "shape and dtype need 12");
  bad.expect(make_file(R"({"t":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}})", 8), "unknown or unsupported dtype");
  bad.expect(make_file("{" + t + R"(,"u":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12), "overlap");
  bad.expect(make_file("{" + t + R"(,"u":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}})", 16), "gap");
  bad.expect(make_file("{" + t + "," + t + "}", 8), "names 't' twice", false);  // serde keeps the last one
  bad.expect(make_file(R"({"t":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8), "non-negative integer");
  bad.expect(make_file(R"({"t":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}})", 8),
                  "overflows");
  bad.expect(make_file(R"({"__metadata__":{"a":1}})", 0), "is not a string");
  bad.expect(make_file(R"({"t":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", 0) + "\x01\x07", "neither 0 nor 1",
                  false);
}

TEST(Safetensors, UnalignedDataIsCopied) {
  // A writer that does not pad the header leaves float data at an odd address; the loader copies it.
  std::string header = R"({"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  ASSERT_NE(header.size() % 4, 0u);
  std::string bytes = make_file(header, 0);
  float v[2] = {1.5f, -2.0f};
  bytes.append(reinterpret_cast<const char*>(v), 8);
  Tensor t = load_bytes(bytes).at("t");
  EXPECT_EQ(t.data_ptr<float>()[0], 1.5f);
  EXPECT_EQ(t.data_ptr<float>()[1], -2.0f);
}

TEST(Safetensors, ShardedCheckpointWithIndex) {
  EMBER_REQUIRE_PYTHON();
  iotest::ScratchDir dir("st_shard");
  auto r = iotest::run_python("safetensors_check.py", "write '" + dir.path.string() + "'");
  ASSERT_EQ(r.status, 0) << r.output;
  TensorMap ref = load(dir.path / "ref.safetensors");
  auto out = dir.path / "sharded";
  auto index = save_sharded(ref, out, 100);
  EXPECT_EQ(index, out / "model.safetensors.index.json");
  r = iotest::run_python("safetensors_check.py", "sharded '" + out.string() + "'");
  EXPECT_EQ(r.status, 0) << r.output;
  for (const auto& from : {index, out}) {
    TensorMap back = load_sharded(from);
    ASSERT_EQ(back.size(), ref.size());
    for (const auto& [k, v] : ref) EXPECT_TRUE(same(back.at(k), v)) << k;
  }
  // Everything in one shard: a plain model.safetensors, no index.
  auto single = save_sharded(ref, dir.path / "single", int64_t(1) << 30);
  EXPECT_EQ(single.filename(), "model.safetensors");
  EXPECT_EQ(load_sharded(dir.path / "single").size(), ref.size());
  // An index naming a file outside its directory is refused.
  iotest::write_file(out / "evil.index.json", R"({"weight_map":{"a":"../x.safetensors"}})");
  EXPECT_THROW(load_sharded(out / "evil.index.json"), Error);
}
