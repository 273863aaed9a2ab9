// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/async_lock_order.cc
// -- two transfer tasks that lock their accounts' AsyncMutexes in opposite
// orders, with a co_await in between: an async lock-order deadlock -- within
// a stated budget of executions under both strategies; the report shows the
// wait-for cycle with both mutexes by name and the co_await sites; the
// failure's repro token replays it exactly; the fixed twin is correct.
//
// Method: the "async_lock_order" catalogue entry, through
// tests/common/catalogue_checks.h. For each of the seeds 1..20, explore the
// buggy version under Strategy::kRandom and under Strategy::kPct (default
// options, so pct_depth 3) with `iterations` set to the budget, and expect
// a deadlock, which the simulator detects itself (FailureKind::kDeadlock),
// reported with its wait-for cycle (an AsyncMutex records its holder).
// Exploration is deterministic, so these are stable checks, not flaky
// probabilities. Then replay one failure's token and compare failure, trace and
// schedule hash; explore the fixed twin 3000 times under each strategy; and run
// it 30 times on the real runtime (never the buggy version: it would hang).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "examples/workloads/catalogue.h"
#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "async_lock_order";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 6, pct 17.
// The budgets leave 10x and 9x headroom.
constexpr uint64_t kRandomBudget = 60;
constexpr uint64_t kPctBudget = 150;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(AsyncLockOrder, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "wait-for cycle"));
}

TEST(AsyncLockOrder, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(
      testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget, "wait-for cycle"));
}

// The report names both mutexes and the co_await site of each wait, so a
// reader can see the two locking orders.
TEST(AsyncLockOrder, ReportNamesBothMutexesAndTheLockSites) {
  const examples::Workload* workload = examples::find_workload(kWorkload);
  ASSERT_NE(workload, nullptr);
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  options.iterations = kRandomBudget;
  const Report report = explore(options, workload->buggy);
  ASSERT_FALSE(report.ok());
  const std::string& details = report.failure()->details;
  EXPECT_THAT(report.failure()->message, ::testing::HasSubstr("wait-for cycle"))
      << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("AsyncMutex a")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("AsyncMutex b")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("\"t1\"")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("\"t2\"")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("examples/workloads/async_lock_order.cc:"))
      << report.to_string();
}

TEST(AsyncLockOrder, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(AsyncLockOrder, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(AsyncLockOrder, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(AsyncLockOrder, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(AsyncLockOrder, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
