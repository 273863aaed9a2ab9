// Copyright 2026 The weft Authors.
//
// Goal: virtual time is real time to the workload and costs no wall time:
// an hour of staggered timers across many tasks runs under the simulator to
// the exact virtual hour, every timer firing at its own virtual instant and
// in deadline order; the same workload on the real loop (scaled down to
// milliseconds) fires the same timers in the same order.
// Method: 1,000 tasks; task i wakes every (i % 97 + 1) seconds until the
// hour is up and logs each wake-up's virtual time. (bench/task_benchmark.cc
// times the hour in wall time; unit tests assert no timings.)

#include <chrono>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr int kTasks = 1000;

struct Log {
  Clock::time_point start;
  int64_t wakeups = 0;
  bool in_order = true;  // Every wake-up at or after the previous one.
  bool on_time = true;   // Every wake-up exactly at its deadline (virtual time).
  Clock::time_point last;
};

Task<void> periodic(Log& log, Clock::duration period, Clock::duration horizon, bool exact) {
  Clock::time_point next = log.start + period;
  while (next <= log.start + horizon) {
    co_await sleep_until(next);
    const Clock::time_point woke = now();
    ++log.wakeups;
    if (woke < log.last) log.in_order = false;
    if (exact && woke != next) log.on_time = false;
    log.last = woke;
    next += period;
  }
}

Task<void> staggered(Log& log, Clock::duration unit, Clock::duration horizon, bool exact) {
  std::vector<Task<void>> tasks;
  for (int i = 0; i < kTasks; ++i) {
    tasks.push_back(periodic(log, unit * (i % 97 + 1), horizon, exact));
  }
  co_await when_all(std::move(tasks));
}

int64_t expected_wakeups(int64_t horizon_units) {
  int64_t total = 0;
  for (int i = 0; i < kTasks; ++i) total += horizon_units / (i % 97 + 1);
  return total;
}

TEST(VirtualTime, AnHourOfStaggeredTimersReadsExactlyOneHour) {
  ExploreOptions options;
  options.iterations = 3;
  options.max_steps = 10'000'000;
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    options.strategy = strategy;
    const Report report = explore(options, [] {
      Log log;
      log.start = log.last = now();
      run(staggered(log, std::chrono::seconds(1), std::chrono::hours(1), /*exact=*/true));
      WEFT_ASSERT(now() - log.start == std::chrono::hours(1), "the virtual clock reads one hour");
      WEFT_ASSERT(log.wakeups == expected_wakeups(3600));
      WEFT_ASSERT(log.in_order && log.on_time);
    });
    EXPECT_TRUE(report.ok()) << report.to_string();
    EXPECT_EQ(report.stats().executions, 3u);
  }
}

TEST(VirtualTime, TheSameWorkloadRunsOnTheRealLoop) {
  // 1 ms units over 40 ms: the real steady clock, so wake-ups are late by the
  // OS's timer slack, but never early and never out of order.
  Log log;
  log.start = log.last = now();
  run(staggered(log, std::chrono::milliseconds(1), std::chrono::milliseconds(40), false));
  EXPECT_EQ(log.wakeups, expected_wakeups(40));
  EXPECT_TRUE(log.in_order);
  EXPECT_GE(now() - log.start, std::chrono::milliseconds(40));
}

}  // namespace
}  // namespace weft
