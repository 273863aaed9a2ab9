// Copyright 2026 The weft Authors.
//
// BoundedRandom: random schedules with at most `bound` preemptions. At
// `bound` decisions drawn uniformly from the first `length` (as PCT draws
// its change points) the running thread is preempted for a random other
// one; wherever the running thread blocks, finishes or yields, the next one
// is drawn uniformly. Everywhere else the running thread goes on.
//
// The shrinker samples with it before it searches a preemption bound
// exhaustively (BoundedDfs): depth-first search spends long stretches varying
// the last decisions, while a bug with few preemptions usually needs one
// early switch that a sample hits quickly.

#ifndef WEFT_SIM_STRATEGY_BOUNDED_RANDOM_H_
#define WEFT_SIM_STRATEGY_BOUNDED_RANDOM_H_

#include <cstdint>
#include <vector>

#include "sim/strategy/default_schedule.h"
#include "sim/strategy/strategy.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class BoundedRandom final : public Strategy {
 public:
  // `data_seed` seeds weft::random, the same in every execution; `seed`
  // and the execution index seed the schedule.
  BoundedRandom(uint64_t seed, uint64_t data_seed, int bound, uint64_t length, uint64_t max_steps);

  bool begin_execution(uint64_t index) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return data_.next_u64(); }
  // The current execution as a written-out schedule.
  ExecutionSpec spec() const override;
  std::string describe() const override;

 private:
  const uint64_t seed_;
  const uint64_t data_seed_;
  const int bound_;
  const uint64_t length_;
  const uint64_t max_steps_;
  std::vector<uint64_t> preemption_steps_;  // Sorted.
  size_t next_preemption_ = 0;
  uint64_t step_ = 0;
  DefaultSchedule default_;
  internal::Prng prng_;
  internal::Prng data_;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_BOUNDED_RANDOM_H_
