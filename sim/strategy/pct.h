// Copyright 2026 The weft Authors.
//
// Pct: probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi,
// Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of
// Finding Bugs", ASPLOS 2010), as in Coyote's and shuttle's PCT.
//
// Each thread gets a random priority when first seen; the highest-priority
// runnable thread always runs. At d - 1 decisions drawn uniformly from
// [1, k] ("change points") the thread about to run drops below every initial
// priority, so a bug that needs d - 1 preemptions at the right places is found
// with probability at least 1 / (n k^(d-1)).
//
// Two refinements (../shared/notes/strategies.md):
//  * A thread that yields drops to the lowest priority of all; otherwise a
//    spin-waiting thread starves the one it waits for and PCT reports false
//    livelocks.
//  * k, the execution length, is unknown before the first execution: execution
//    0 runs with no change points, and every execution uses the longest length
//    seen so far. The k used is part of the replay token, so one execution
//    replays without re-running the ones before it.

#ifndef WEFT_SIM_STRATEGY_PCT_H_
#define WEFT_SIM_STRATEGY_PCT_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "sim/strategy/strategy.h"
#include "weft/internal/check.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class Pct final : public Strategy {
 public:
  // `fixed_estimate` > 0 pins k (replay); 0 learns it across executions.
  Pct(uint64_t seed, int depth, uint64_t max_steps, uint64_t fixed_estimate);

  bool begin_execution(uint64_t index) override;
  void end_execution(uint64_t steps) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return data_.next_u64(); }
  ExecutionSpec spec() const override;
  std::string describe() const override;

 private:
  static constexpr int64_t kUnassigned = std::numeric_limits<int64_t>::min();

  int64_t& priority_of(ThreadId thread) {
    WEFT_DCHECK(thread < priorities_.size());  // pick() grew it for the largest id.
    int64_t& priority = priorities_[thread];
    if (priority == kUnassigned) [[unlikely]]
      assign_priority(thread);
    return priority;
  }
  void assign_priority(ThreadId thread);
  void grow_priorities(ThreadId thread);

  const uint64_t seed_;
  const int depth_;
  const uint64_t max_steps_;
  const uint64_t fixed_estimate_;
  uint64_t learned_estimate_ = 0;
  uint64_t execution_ = 0;
  uint64_t estimate_ = 0;  // k of the current execution.
  uint64_t step_ = 0;
  // Ascending decision numbers at which a priority drops; 0 entries unused.
  std::vector<uint64_t> change_points_;
  size_t next_change_point_ = 0;
  // Priority per entity id (threads and tasks; grown on demand, kept across
  // executions); kUnassigned until the entity
  // is first runnable; entries below assigned_limit_ may be assigned.
  // Invariant: initial priorities are >= depth_, change points assign values
  // in [1, depth_), yields assign values <= 0, so each kind sits below the last.
  std::vector<int64_t> priorities_;
  ThreadId priorities_size_ = 0;  // priorities_.size(), one load per pick.
  ThreadId assigned_limit_ = 0;
  int64_t lowest_ = 0;
  internal::Prng prng_;
  internal::Prng data_;  // weft::random's bits: internal::data_seed.
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_PCT_H_
