// Copyright 2026 The weft Authors.
//
// RandomWalk: at every decision each runnable thread is equally likely. It
// switches often, which is what finds bugs that need many preemptions each in
// a short window (../shared/notes/strategies.md: PCT with small d misses
// those).

#ifndef WEFT_SIM_STRATEGY_RANDOM_WALK_H_
#define WEFT_SIM_STRATEGY_RANDOM_WALK_H_

#include "sim/strategy/strategy.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class RandomWalk final : public Strategy {
 public:
  RandomWalk(uint64_t seed, uint64_t max_steps) : seed_(seed), max_steps_(max_steps) {}

  bool begin_execution(uint64_t index) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return data_.next_u64(); }
  ExecutionSpec spec() const override;
  std::string describe() const override;

 private:
  const uint64_t seed_;
  const uint64_t max_steps_;
  uint64_t execution_ = 0;
  internal::Prng prng_;
  internal::Prng data_;  // weft::random's bits: internal::data_seed.
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_RANDOM_WALK_H_
