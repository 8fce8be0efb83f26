#pragma once
// ember::Generator: a counter-based random number generator (Philox4x32-10), as torch.Generator.
// Every random op draws the numbers of element i from (seed, offset, i) alone, so results do not depend
// on the thread count; each call advances the generator's offset, so successive calls differ.
// A Generator is a handle: copies share one state, like at::Generator.
#include <cstdint>
#include <memory>

namespace ember {

class Tensor;

// The inputs of one random op's Philox stream: element i draws from counter (i, offset) under key seed.
struct PhiloxInputs {
  uint64_t seed = 0;
  uint64_t offset = 0;
};

class Generator {
 public:
  static constexpr uint64_t kDefaultSeed = 67280421310721ULL;  // PyTorch's default seed
  Generator();
  explicit Generator(uint64_t seed);

  void manual_seed(uint64_t seed);  // also rewinds the offset to 0
  uint64_t seed();                  // reseeds from std::random_device and returns the new seed
  uint64_t initial_seed() const;
  uint64_t offset() const;
  // 16 bytes in a uint8 tensor: the seed and the offset, little-endian.
  Tensor get_state() const;
  void set_state(const Tensor& state);

  // The inputs for one op, advancing the offset by `increment` (under a lock, so concurrent calls on
  // one generator get distinct streams).
  PhiloxInputs reserve(uint64_t increment = 1);

  bool operator==(const Generator& o) const { return state_ == o.state_; }

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The generator random ops use when they are given none.
Generator& default_generator();
// Seeds the default generator, as torch::manual_seed.
void manual_seed(uint64_t seed);

}  // namespace ember
