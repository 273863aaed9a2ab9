// Copyright 2026 The weft Authors.
//
// Strategy: who runs next. One small interface (after shuttle's Scheduler and
// Coyote's ExplorationStrategy); each strategy is one file in this folder, and
// adding one touches only that file and make_strategy().
//
// A strategy owns all randomness of an execution: thread choices through
// pick() and data choices (weft::random) through next_u64(), so a seed fixes
// both. It must be a pure function of its seed and the calls it receives:
// never of addresses, hash-map order or time.

#ifndef WEFT_SIM_STRATEGY_STRATEGY_H_
#define WEFT_SIM_STRATEGY_STRATEGY_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>

#include "weft/explore.h"

namespace weft::sim {

using ThreadId = uint32_t;
inline constexpr ThreadId kNoThread = std::numeric_limits<ThreadId>::max();

class Strategy {
 public:
  virtual ~Strategy() = default;

  // Prepares execution `index` (0, 1, 2, ... while exploring; any single index
  // when replaying). Returns false if there is nothing left to explore.
  virtual bool begin_execution(uint64_t index) = 0;

  // Told after each execution how many decisions it took.
  virtual void end_execution(uint64_t steps) { (void)steps; }

  // Strategy::pick()
  //
  // Returns the thread to run next; one of `runnable`.
  // `runnable`: ascending thread ids, never empty.
  // `current`: the thread making the decision if it could go on running (it
  //   is in `runnable`), kNoThread if it just blocked or finished.
  // `yielding`: `current` called weft::yield() — it waits for someone else.
  virtual ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) = 0;

  // Random bits for the workload (weft::random).
  virtual uint64_t next_u64() = 0;

  // The spec that re-runs the current execution (for its replay token).
  virtual ExecutionSpec spec() const = 0;

  // "pct d=3, seed 42": the headline's description.
  virtual std::string describe() const = 0;
};

// The strategy that explores `options` (execution 0 onward).
std::unique_ptr<Strategy> make_strategy(const ExploreOptions& options);
// A strategy that re-runs exactly the execution `spec` names.
std::unique_ptr<Strategy> make_replay_strategy(const ExecutionSpec& spec);

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_STRATEGY_H_
