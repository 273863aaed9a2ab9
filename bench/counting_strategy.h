// Copyright 2026 The weft Authors.
//
// CountingStrategy: forwards to another sim::Strategy and counts what one
// execution costs in the simulator's mechanism, so a benchmark can time that
// many bare fiber operations (bench/bare_fibers.h) as its floor:
//
//  * decisions: calls to pick() (ExecutionResult::steps, counted again here);
//  * switching decisions: picks that move to another fiber: the pick differs
//    from `current`, or `current` is kNoThread (the caller blocked or
//    finished, so someone else runs; a timed wait that wakes its own caller
//    would be miscounted, and the benchmark workloads have none);
//  * threads: 1 + the highest thread id ever runnable (every created thread is
//    runnable as soon as it exists).
//
// A successful execution switches fibers `switching decisions + 2` times: the
// driver into thread 0, and the last thread to finish back to the driver.
//
// The wrapper adds a virtual call per decision, so benchmarks count with it in
// a separate pass over the same (deterministic) executions and time the
// strategy bare.

#ifndef WEFT_BENCH_COUNTING_STRATEGY_H_
#define WEFT_BENCH_COUNTING_STRATEGY_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>

#include "sim/strategy/strategy.h"

namespace weft::bench {

struct ExecutionCounts {
  uint64_t executions = 0;
  uint64_t decisions = 0;
  uint64_t switching_decisions = 0;
  uint64_t threads = 0;
  uint64_t failures = 0;

  double per_execution(uint64_t total) const {
    return executions == 0 ? 0 : static_cast<double>(total) / static_cast<double>(executions);
  }
  // Fiber switches of one average execution (driver in and out included).
  double fiber_switches() const { return per_execution(switching_decisions) + 2; }
  double fiber_creations() const { return per_execution(threads); }
};

class CountingStrategy final : public sim::Strategy {
 public:
  explicit CountingStrategy(sim::Strategy& inner) : inner_(inner) {}

  bool begin_execution(uint64_t index) override {
    highest_thread_ = 0;
    return inner_.begin_execution(index);
  }
  void end_execution(uint64_t steps) override {
    ++counts_.executions;
    counts_.threads += highest_thread_ + 1;
    inner_.end_execution(steps);
  }
  sim::ThreadId pick(std::span<const sim::ThreadId> runnable, sim::ThreadId current,
                     bool yielding) override {
    const sim::ThreadId next = inner_.pick(runnable, current, yielding);
    ++counts_.decisions;
    if (current == sim::kNoThread || next != current) ++counts_.switching_decisions;
    highest_thread_ = std::max(highest_thread_, uint64_t{runnable.back()});
    return next;
  }
  uint64_t next_u64() override { return inner_.next_u64(); }
  ExecutionSpec spec() const override { return inner_.spec(); }
  std::string describe() const override { return inner_.describe(); }

  ExecutionCounts& counts() { return counts_; }

 private:
  sim::Strategy& inner_;
  ExecutionCounts counts_;
  uint64_t highest_thread_ = 0;
};

}  // namespace weft::bench

#endif  // WEFT_BENCH_COUNTING_STRATEGY_H_
