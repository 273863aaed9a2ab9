// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/channel_cycle.cc --
// two replicas that each forward a client's read to the other and await the
// answer, serving one request at a time: a deadlock through a cycle of
// channels, with no lock held -- within a stated budget of executions under
// both strategies; the report names both replicas' waits; the failure's
// repro token replays it exactly; the fixed twin is correct.
//
// Method: the "channel_cycle" catalogue entry, through
// tests/common/catalogue_checks.h. For each of the seeds 1..20, explore the
// buggy version under Strategy::kRandom and under Strategy::kPct (default
// options, so pct_depth 3) with `iterations` set to the budget, and expect
// a deadlock, which the simulator detects itself (FailureKind::kDeadlock).
// No wait-for edge runs through a channel (a channel has no holder), so the
// report lists every blocked task and its wait rather than a cycle; the
// checks look for the channel a replica waits on, "east peer answers".
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

constexpr char kWorkload[] = "channel_cycle";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 4, pct 11.
// The budgets leave 10x and 9x headroom.
constexpr uint64_t kRandomBudget = 40;
constexpr uint64_t kPctBudget = 100;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(ChannelCycle, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "east peer answers"));
}

TEST(ChannelCycle, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget,
                                                "east peer answers"));
}

// The report shows each replica waiting for the other's answer, by channel
// name, at the workload's co_await site.
TEST(ChannelCycle, ReportNamesBothReplicasWaits) {
  const examples::Workload* workload = examples::find_workload(kWorkload);
  ASSERT_NE(workload, nullptr);
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  options.iterations = kRandomBudget;
  const Report report = explore(options, workload->buggy);
  ASSERT_FALSE(report.ok());
  const std::string& details = report.failure()->details;
  EXPECT_THAT(details, ::testing::HasSubstr("\"east\"")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("\"west\"")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("east peer answers")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("west peer answers")) << report.to_string();
  EXPECT_THAT(details, ::testing::HasSubstr("examples/workloads/channel_cycle.cc:"))
      << report.to_string();
}

TEST(ChannelCycle, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(ChannelCycle, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(ChannelCycle, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(ChannelCycle, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(ChannelCycle, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
