// Copyright 2026 The weft Authors.
//
// Schedule shrinking (sim/shrink/shrink.h) and the written-out schedules it
// works on: every catalogue bug shrinks to the fewest preemptions it needs
// (stated below and proven by the exhaustive search the shrinker runs), the
// shrunk token replays it in one execution, and the pieces underneath
// (departures from the default schedule, bounded DFS) do what they say.

#include <cstdint>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "examples/workloads/catalogue.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "sim/scheduler/scheduler.h"
#include "sim/strategy/bounded_dfs.h"
#include "sim/strategy/departure_recorder.h"
#include "sim/strategy/guided_replay.h"
#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct KnownMinimum {
  std::string_view workload;
  uint64_t preemptions;
  std::string_view why;
  // The network's faults are drawn as the execution goes (buggify draws at
  // every send), so which faults a schedule meets depends on the schedule,
  // and the minimum on the seed and on how the search happens to go:
  // `preemptions` is then the fewest seen, not checked, and the bounded
  // search may run out of budget (long executions).
  bool fault_dependent = false;
};

// The fewest preemptions each catalogue bug needs. A preemption is a switch
// away from a thread that could have gone on (not one that blocked,
// finished or yielded); tasks of one loop switch only at co_await, which
// is never a preemption.
constexpr KnownMinimum kMinimums[] = {
    {"bank", 1, "t1 must lose the CPU between locking a and locking b"},
    {"philosophers", 1,
     "one philosopher is preempted holding its left fork; each other one then takes its left "
     "fork and blocks on its right, in turn, without being preempted"},
    {"lost_update", 1, "one read-modify-write must be split by the other"},
    {"check_then_act", 1, "the withdrawal must be split between its check and its act"},
    {"order_violation", 0, "the handler may simply run first when main blocks in join"},
    {"lost_wakeup", 0, "the notify may simply come before the worker waits"},
    {"bounded_buffer", 0,
     "notify_one wakes the wrong side with threads switching only when blocked"},
    {"async_lock_order", 0, "task switches at co_await are not preemptions"},
    {"async_check_then_act", 0, "task switches at co_await are not preemptions"},
    {"lost_last_message", 0, "task switches at co_await are not preemptions"},
    {"timeout_half_update", 0, "task switches at co_await are not preemptions"},
    {"channel_cycle", 0, "task switches at co_await are not preemptions"},
    {"pipe_deadlock", 0, "every schedule deadlocks: both sides write before they read"},
    {"leaked_child", 0,
     "when the supervisor blocks on its first read, the watchdog may run before the workers"},
    {"lost_request", 0, "the datagram is lost by the seed's draw, whatever the schedule"},
    {"stale_read", 0,
     "buggify must cut the primary from the backup at the forward; for some seeds' draws that "
     "takes a preemption or more",
     /*fault_dependent=*/true},
    {"two_leaders", 0,
     "buggify must cut n2 from n3 before they hear each other; for some seeds' draws that takes "
     "preemptions",
     /*fault_dependent=*/true},
};

TEST(Shrink, EveryCatalogueBugShrinksToItsKnownMinimum) {
  ASSERT_EQ(std::size(kMinimums), examples::catalogue().size());
  for (const KnownMinimum& known : kMinimums) {
    const examples::Workload* workload = examples::find_workload(known.workload);
    ASSERT_NE(workload, nullptr) << known.workload;
    uint64_t most_before = 0;
    for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
      for (uint64_t seed = 1; seed <= 10; ++seed) {
        SCOPED_TRACE(absl::StrFormat("%s, %s seed %d (%s)", known.workload, strategy_name(strategy),
                                     seed, known.why));
        ExploreOptions options;
        options.strategy = strategy;
        options.seed = seed;
        options.iterations = 100'000;
        const Report report = explore(options, workload->buggy);
        ASSERT_FALSE(report.ok());
        ASSERT_EQ(report.failure()->kind, workload->expected) << report.to_string();
        ASSERT_TRUE(report.shrink().has_value()) << report.to_string();
        // Fault-dependent bugs: only that shrinking keeps the failure, never
        // adds preemptions, and replays (below).
        if (!known.fault_dependent) {
          EXPECT_EQ(report.preemptions(), known.preemptions) << report.to_string();
        }
        if (!known.fault_dependent) {
          EXPECT_TRUE(report.shrink()->minimal) << report.to_string();
        }
        EXPECT_GE(report.shrink()->preemptions_before, report.preemptions());
        most_before = std::max(most_before, report.shrink()->preemptions_before);
        EXPECT_THAT(report.repro(), StartsWith("weft1:sched:"));
        if (!known.fault_dependent) {
          EXPECT_THAT(report.to_string(), HasSubstr("the fewest that fail this way"));
        }

        // The token replays the shrunk schedule in one execution.
        const Report again = replay(report.repro(), workload->buggy);
        ASSERT_FALSE(again.ok());
        EXPECT_EQ(again.failure()->kind, report.failure()->kind);
        EXPECT_EQ(again.failure()->message, report.failure()->message);
        EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
        EXPECT_EQ(again.preemptions(), report.preemptions());
        EXPECT_EQ(again.stats().executions, 1u);
      }
    }
    RecordProperty(std::string(known.workload) + "_most_preemptions_before",
                   static_cast<int>(most_before));
  }
}

// Turning a seeded run into departures and back loses nothing: the same
// decisions, the same failure.
TEST(Shrink, DeparturesReplayEverySeededRunExactly) {
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  for (const examples::Workload& workload : examples::catalogue()) {
    for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
      ExploreOptions options;
      options.strategy = strategy;
      std::unique_ptr<sim::Strategy> seeded = sim::make_strategy(options);
      for (uint64_t execution = 0; execution < 40; ++execution) {
        SCOPED_TRACE(absl::StrFormat("%s, %s execution %d", workload.name, strategy_name(strategy),
                                     execution));
        sim::DepartureRecorder recorder(*seeded);
        ASSERT_TRUE(recorder.begin_execution(execution));
        const sim::ExecutionResult first = scheduler.run(recorder, workload.buggy);
        recorder.end_execution(first.steps);
        const std::vector<sim::ThreadId> first_schedule = *first.schedule;
        const ScheduleChoices written{.data_seed = internal::data_seed(1, execution),
                                      .choices = recorder.departures()};

        sim::GuidedReplay guided(written, options.max_steps);
        ASSERT_TRUE(guided.begin_execution(0));
        const sim::ExecutionResult again = scheduler.run(guided, workload.buggy);
        EXPECT_EQ(*again.schedule, first_schedule);
        EXPECT_EQ(again.schedule_hash, first.schedule_hash);
        EXPECT_EQ(again.preemptions, first.preemptions);
        EXPECT_EQ(again.failure.has_value(), first.failure.has_value());
        EXPECT_EQ(guided.skipped(), 0u);
        EXPECT_EQ(guided.effective(), written.choices);
      }
    }
  }
}

// Two threads, two atomic stores each: small enough to enumerate.
void two_by_two() {
  Atomic<int> x{0, "x"};
  Thread a("a", [&] {
    x.store(1);
    x.store(2);
  });
  Thread b("b", [&] {
    x.store(3);
    x.store(4);
  });
  a.join();
  b.join();
}

// The schedules (hashes) a strategy reaches in `executions` runs, with the
// preemptions of each.
std::map<uint64_t, uint64_t> schedules_of(sim::Strategy& strategy, uint64_t executions,
                                          void (*workload)(), uint64_t* ran = nullptr) {
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  std::map<uint64_t, uint64_t> found;
  uint64_t count = 0;
  for (uint64_t i = 0; i < executions && strategy.begin_execution(i); ++i, ++count) {
    const sim::ExecutionResult result = scheduler.run(strategy, workload);
    strategy.end_execution(result.steps);
    const bool fresh = found.emplace(result.schedule_hash, result.preemptions).second;
    EXPECT_TRUE(fresh || ran == nullptr) << "the DFS ran a schedule twice";
  }
  if (ran != nullptr) *ran = count;
  return found;
}

TEST(BoundedDfs, EnumeratesEverySchedulePreciselyOnce) {
  // Random sampling, long enough to see every schedule of this tiny tree.
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  std::unique_ptr<sim::Strategy> random = sim::make_strategy(options);
  const std::map<uint64_t, uint64_t> sampled = schedules_of(*random, 300'000, &two_by_two);

  for (int bound : {0, 1, 2, 64}) {
    SCOPED_TRACE(absl::StrFormat("bound %d", bound));
    sim::BoundedDfs dfs(/*data_seed=*/1, bound, options.max_steps);
    uint64_t ran = 0;
    const std::map<uint64_t, uint64_t> enumerated = schedules_of(dfs, 1'000'000, &two_by_two, &ran);
    EXPECT_TRUE(dfs.exhausted());
    EXPECT_TRUE(dfs.complete());
    EXPECT_EQ(dfs.divergences(), 0u);
    EXPECT_EQ(ran, enumerated.size());  // No schedule twice.
    std::map<uint64_t, uint64_t> expected;
    for (const auto& [hash, preemptions] : sampled) {
      if (preemptions <= static_cast<uint64_t>(bound)) expected.emplace(hash, preemptions);
    }
    EXPECT_EQ(enumerated, expected) << enumerated.size() << " vs " << expected.size();
  }
  EXPECT_GT(sampled.size(), 10u);
}

TEST(BoundedDfs, AsAnExplorationStrategy) {
  ExploreOptions options;
  options.strategy = Strategy::kDfs;
  options.iterations = 100'000;
  options.preemption_bound = 0;
  // No lock-order deadlock without a preemption: the tree ends, clean.
  const Report clean = explore(options, &examples::bank_deadlock);
  EXPECT_TRUE(clean.ok()) << clean.to_string();
  EXPECT_LT(clean.stats().executions, 100u);
  EXPECT_EQ(clean.stats().executions, clean.stats().distinct_schedules);

  options.preemption_bound = 1;
  const Report found = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.failure()->kind, FailureKind::kDeadlock);
  EXPECT_EQ(found.preemptions(), 1u);
  EXPECT_THAT(found.repro(), StartsWith("weft1:sched:"));
  EXPECT_THAT(found.to_string(), HasSubstr("strategy dfs, at most 1 preemption"));
  const Report again = replay(found.repro(), &examples::bank_deadlock);
  EXPECT_EQ(again.schedule_hash(), found.schedule_hash());

  options.preemption_bound = -1;
  const Report bad = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.failure()->kind, FailureKind::kInvalidArgument);
  EXPECT_THAT(bad.failure()->message, HasSubstr("preemption_bound"));
}

TEST(Shrink, CanBeTurnedOffAndIsBounded) {
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  options.shrink = false;
  const Report unshrunk = explore(options, &examples::philosophers_deadlock);
  ASSERT_FALSE(unshrunk.ok());
  EXPECT_FALSE(unshrunk.shrink().has_value());
  EXPECT_THAT(unshrunk.repro(), StartsWith("weft1:random:"));

  options.shrink = true;
  options.shrink_max_runs = 50;  // Too few to prove the minimum.
  const Report bounded = explore(options, &examples::philosophers_deadlock);
  ASSERT_TRUE(bounded.shrink().has_value());
  EXPECT_LE(bounded.shrink()->runs, 51u);  // 50, and the check of the token.
  EXPECT_FALSE(bounded.shrink()->minimal);
  EXPECT_THAT(bounded.to_string(), Not(HasSubstr("the fewest")));
  EXPECT_LE(bounded.preemptions(), unshrunk.preemptions());
  const Report again = replay(bounded.repro(), &examples::philosophers_deadlock);
  EXPECT_EQ(again.schedule_hash(), bounded.schedule_hash());
}

// An assertion shrinks only to schedules that fail the same assertion: the
// "late store" one needs a preemption, while the other one fails with none.
void two_assertions() {
  Atomic<int> x{0, "x"};
  Thread writer("writer", [&] {
    x.store(1);
    x.store(2);
    WEFT_ASSERT(x.load() == 2, "a late store came between the writer's store and load");
  });
  Thread reader("reader", [&] {
    WEFT_ASSERT(x.load() != 0, "the reader ran before the writer");
    x.store(5);
  });
  writer.join();
  reader.join();
}

TEST(Shrink, KeepsTheSameFailure) {
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  int late_store_reports = 0;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    options.seed = seed;
    const Report report = explore(options, &two_assertions);
    ASSERT_FALSE(report.ok());
    ASSERT_TRUE(report.shrink().has_value());
    if (!absl::StrContains(report.failure()->message, "a late store")) {
      EXPECT_EQ(report.preemptions(), 0u) << report.to_string();
      continue;
    }
    ++late_store_reports;
    EXPECT_EQ(report.preemptions(), 1u) << report.to_string();
    EXPECT_TRUE(report.shrink()->minimal) << report.to_string();
    const Report again = replay(report.repro(), &two_assertions);
    EXPECT_EQ(again.failure()->message, report.failure()->message);
  }
  EXPECT_GT(late_store_reports, 0);
}

}  // namespace
}  // namespace weft
