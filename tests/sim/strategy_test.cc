// Copyright 2026 The weft Authors.
//
// Goal: the strategies and the clock keep their contracts. PCT demotes a
// yielding thread (so spin-waits finish), a random walk picks uniformly,
// ScheduleReplay follows a recorded schedule and notices divergence, and
// virtual time moves only when every thread is blocked. Method: drive the
// Scheduler directly with each strategy on small workloads and check the
// recorded schedules and clock readings.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <vector>

#include "sim/scheduler/scheduler.h"
#include "sim/strategy/pct.h"
#include "sim/strategy/random_walk.h"
#include "sim/strategy/schedule_replay.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using testing::explore_with;

// A flag set by one thread, awaited by another with yield(): without yield
// demotion, PCT would let the spinner starve the setter and report a false
// livelock.
void spin_until_flag() {
  Atomic<bool> flag{false, "flag"};
  Thread spinner("spinner", [&] {
    while (!flag.load()) yield();
  });
  Thread setter("setter", [&] { flag.store(true); });
  spinner.join();
  setter.join();
}

TEST(Pct, YieldingSpinnerDoesNotStarveTheThreadItWaitsFor) {
  ExploreOptions options;
  options.strategy = Strategy::kPct;
  options.iterations = 2000;
  options.max_steps = 10'000;
  const Report report = explore(options, &spin_until_flag);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// Three threads that only touch atomics: every decision has three (then
// fewer) runnable threads.
void three_counters() {
  Atomic<int> counter{0};
  std::vector<Thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back("counter", [&] {
      for (int i = 0; i < 200; ++i) counter.fetch_add(1);
    });
  }
  for (Thread& thread : threads) thread.join();
}

TEST(RandomWalk, PicksEveryRunnableThreadAboutEquallyOften) {
  sim::RandomWalk walk(/*seed=*/5, sim::kStepsMaxDefault);
  const std::vector<sim::ThreadId> runnable = {1, 4, 7};
  std::map<sim::ThreadId, uint64_t> picks;
  for (uint64_t execution = 0; execution < 30; ++execution) {
    walk.begin_execution(execution);
    for (int decision = 0; decision < 1000; ++decision) {
      ++picks[walk.pick(runnable, /*current=*/1, /*yielding=*/false)];
    }
  }
  ASSERT_EQ(picks.size(), 3u);
  // 30,000 draws: each count is 10,000 +- 82 (one sigma); allow five.
  for (const auto& [thread, count] : picks) {
    EXPECT_NEAR(static_cast<double>(count), 10'000.0, 410.0) << "thread " << thread;
  }
}

TEST(RandomWalk, SameSeedAndExecutionGiveTheSameChoices) {
  sim::RandomWalk first(/*seed=*/8, sim::kStepsMaxDefault);
  sim::RandomWalk second(/*seed=*/8, sim::kStepsMaxDefault);
  const std::vector<sim::ThreadId> runnable = {0, 1, 2, 3};
  first.begin_execution(17);
  second.begin_execution(17);
  for (int decision = 0; decision < 500; ++decision) {
    ASSERT_EQ(first.pick(runnable, 0, false), second.pick(runnable, 0, false));
  }
}

TEST(ScheduleReplay, FollowsARecordedScheduleAndNoticesDivergence) {
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  sim::RandomWalk walk(/*seed=*/11, sim::kStepsMaxDefault);
  walk.begin_execution(3);
  const sim::ExecutionResult recorded = scheduler.run(walk, &three_counters);
  const std::vector<sim::ThreadId> schedule = *recorded.schedule;
  const uint64_t recorded_hash = recorded.schedule_hash;

  sim::ScheduleReplay replay(schedule, /*data_seed=*/0);
  replay.begin_execution(0);
  const sim::ExecutionResult replayed = scheduler.run(replay, &three_counters);
  EXPECT_EQ(replayed.schedule_hash, recorded_hash);
  EXPECT_EQ(*replayed.schedule, schedule);
  EXPECT_FALSE(replay.diverged_at().has_value());

  std::vector<sim::ThreadId> edited = schedule;
  edited[1] = 42;  // No such thread.
  sim::ScheduleReplay broken(edited, /*data_seed=*/0);
  broken.begin_execution(0);
  scheduler.run(broken, &three_counters);
  ASSERT_TRUE(broken.diverged_at().has_value());
  EXPECT_EQ(*broken.diverged_at(), 1u);
}

// Virtual time: a sleeper wakes only once the busy thread has blocked or
// finished, at exactly its deadline.
void sleeper_and_busy_thread() {
  Atomic<int> work{0};
  Thread sleeper("sleeper", [&] {
    const Clock::time_point start = now();
    sleep_for(std::chrono::hours(1));
    WEFT_ASSERT(now() - start == std::chrono::hours(1), "slept for the wrong virtual time");
    WEFT_ASSERT(work.load() == 100, "time advanced while another thread could run");
  });
  Thread busy("busy", [&] {
    for (int i = 0; i < 100; ++i) {
      WEFT_ASSERT(now() == Clock::time_point{}, "the clock moved while this thread could run");
      work.fetch_add(1);
    }
  });
  sleeper.join();
  busy.join();
  WEFT_ASSERT(now() == Clock::time_point{} + std::chrono::hours(1));
}

TEST(VirtualTime, AdvancesOnlyWhenEveryThreadIsBlocked) {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = explore_with(&sleeper_and_busy_thread, 500, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
}

// Staggered timers fire in deadline order, ties in thread-id order.
void staggered_sleepers() {
  Mutex mutex;
  std::vector<int> woke;
  std::vector<Thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back("sleeper", [&, t] {
      sleep_for(std::chrono::milliseconds(10 * (5 - t)));
      std::scoped_lock guard(mutex);
      woke.push_back(t);
    });
  }
  for (Thread& thread : threads) thread.join();
  WEFT_ASSERT((woke == std::vector<int>{4, 3, 2, 1, 0}), "timers fired out of deadline order");
  WEFT_ASSERT(now() == Clock::time_point{} + std::chrono::milliseconds(50));
}

TEST(VirtualTime, TimersFireInDeadlineOrder) {
  const Report report = explore_with(&staggered_sleepers, 300);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft
