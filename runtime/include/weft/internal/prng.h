// Copyright 2026 The weft Authors.
//
// Prng: the project's one pseudo-random generator (xoshiro256**, seeded
// through splitmix64). Every random choice the simulator makes flows from an
// execution's seed through this class, so the same seed gives the same bits on
// every standard library and every platform. `<random>` distributions are not
// used anywhere in weft: their output differs between standard libraries.

#ifndef WEFT_INTERNAL_PRNG_H_
#define WEFT_INTERNAL_PRNG_H_

#include <cstdint>

namespace weft::internal {

// One step of splitmix64: a bijective mixer, also used to derive seeds.
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The seed of execution `index` of an exploration seeded with `seed`.
constexpr uint64_t execution_seed(uint64_t seed, uint64_t index) {
  return splitmix64(seed ^ splitmix64(index ^ 0x5745465445584543ULL));
}

// The seed of weft::random's data in execution `index`. Apart from the
// schedule's own draws, so that a shrunk or edited schedule of an execution
// sees the same data as the execution did.
constexpr uint64_t data_seed(uint64_t seed, uint64_t index) {
  return splitmix64(execution_seed(seed, index) ^ 0x44415441u);
}

class Prng {
 public:
  explicit Prng(uint64_t seed = 0) { reseed(seed); }

  void reseed(uint64_t seed) {
    for (uint64_t& word : state_) {
      seed = splitmix64(seed);
      word = seed;
    }
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, bound) by multiply-shift (Lemire), no division.
  // REQUIRES: 0 < bound <= 2^32.
  uint32_t below(uint64_t bound) {
    return static_cast<uint32_t>(((next_u64() >> 32) * bound) >> 32);
  }

 private:
  static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_PRNG_H_
