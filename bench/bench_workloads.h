// Copyright 2026 The weft Authors.
//
// What several benchmark programs share: the round-robin strategy that makes
// every decision switch, and the "2 threads x 10 lock/unlock" workload that
// the issues' execution targets are stated on.

#ifndef WEFT_BENCH_BENCH_WORKLOADS_H_
#define WEFT_BENCH_BENCH_WORKLOADS_H_

#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "benchmark/benchmark.h"
#include "sim/strategy/strategy.h"
#include "weft/weft.h"

namespace weft::bench {

// Round robin over the runnable entities: the first runnable id above the
// one picked last, wrapping around. With two or more runnable, every
// decision switches.
class AlternatingStrategy final : public sim::Strategy {
 public:
  bool begin_execution(uint64_t index) override {
    index_ = index;
    last_ = sim::kNoThread;
    return true;
  }
  sim::ThreadId pick(std::span<const sim::ThreadId> runnable, sim::ThreadId current,
                     bool yielding) override {
    (void)yielding;
    const sim::ThreadId from = current != sim::kNoThread ? current : last_;
    sim::ThreadId next = runnable[0];
    for (const sim::ThreadId id : runnable) {
      if (id > from) {
        next = id;
        break;
      }
    }
    last_ = next;
    return next;
  }
  uint64_t next_u64() override { return ++draws_; }
  ExecutionSpec spec() const override {
    ExecutionSpec spec;
    spec.execution = index_;
    return spec;
  }
  std::string describe() const override { return "alternating (benchmark)"; }

 private:
  uint64_t index_ = 0;
  uint64_t draws_ = 0;
  sim::ThreadId last_ = sim::kNoThread;
};

// 2 threads x 10 { std::scoped_lock l(m); ++counter; }, joined by main.
inline void two_by_ten() {
  weft::Mutex mutex{"m"};
  int counter = 0;
  auto body = [&mutex, &counter] {
    for (int round = 0; round < 10; ++round) {
      std::scoped_lock lock(mutex);
      ++counter;
    }
  };
  weft::Thread first(body);
  weft::Thread second(body);
  first.join();
  second.join();
  benchmark::DoNotOptimize(counter);
}

}  // namespace weft::bench

#endif  // WEFT_BENCH_BENCH_WORKLOADS_H_
