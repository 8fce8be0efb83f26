// Generator state (seed and Philox offset) and the default generator.
#include <ember/core/error.h>
#include <ember/core/generator.h>
#include <ember/tensor.h>

#include <cstring>
#include <mutex>
#include <random>

namespace ember {

struct Generator::State {
  mutable std::mutex mu;
  uint64_t seed = kDefaultSeed;
  uint64_t offset = 0;
};

Generator::Generator() : state_(std::make_shared<State>()) {}
Generator::Generator(uint64_t seed) : Generator() { state_->seed = seed; }

void Generator::manual_seed(uint64_t seed) {
  std::lock_guard<std::mutex> g(state_->mu);
  state_->seed = seed;
  state_->offset = 0;
}

uint64_t Generator::seed() {
  std::random_device rd;
  uint64_t s = (uint64_t(rd()) << 32) | rd();
  manual_seed(s);
  return s;
}

uint64_t Generator::initial_seed() const {
  std::lock_guard<std::mutex> g(state_->mu);
  return state_->seed;
}

uint64_t Generator::offset() const {
  std::lock_guard<std::mutex> g(state_->mu);
  return state_->offset;
}

Tensor Generator::get_state() const {
  auto storage = std::make_shared<StorageImpl>(16, Device(kCPU));
  uint64_t words[2];
  {
    std::lock_guard<std::mutex> g(state_->mu);
    words[0] = state_->seed;
    words[1] = state_->offset;
  }
  std::memcpy(storage->data, words, 16);
  return Tensor(std::make_shared<TensorImpl>(std::move(storage), kUInt8, IntArrayRef{16}, IntArrayRef{1}, 0));
}

void Generator::set_state(const Tensor& state) {
  EMBER_CHECK_TYPE(state.dtype() == kUInt8, "RNG state must be a torch.ByteTensor");
  EMBER_CHECK(state.numel() == 16, "Expected a Philox generator state of size 16 but found the input RNG state size to be ",
              state.numel());
  EMBER_CHECK(state.is_contiguous() && state.is_cpu(), "RNG state must be a contiguous CPU tensor");
  uint64_t words[2];
  std::memcpy(words, state.data_ptr(), 16);
  std::lock_guard<std::mutex> g(state_->mu);
  state_->seed = words[0];
  state_->offset = words[1];
}

PhiloxInputs Generator::reserve(uint64_t increment) {
  std::lock_guard<std::mutex> g(state_->mu);
  PhiloxInputs in{state_->seed, state_->offset};
  state_->offset += increment;
  return in;
}

Generator& default_generator() {
  static Generator gen;
  return gen;
}

void manual_seed(uint64_t seed) { default_generator().manual_seed(seed); }

}  // namespace ember
