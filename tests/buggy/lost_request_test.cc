// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/lost_request.cc -- a
// client that sends one request over a network losing one datagram in five, and
// waits for the answer forever -- within a stated budget of executions under
// both strategies; the report says what it is; the repro token replays it, with
// the same network faults, exactly; the fixed twin is correct on both runtimes.
//
// Method: the "lost_request" catalogue entry, through tests/common/catalogue_checks.h:
// for each of the seeds 1..20, explore the buggy version under
// Strategy::kRandom and Strategy::kPct (default options) with `iterations` set
// to the budget, and expect the catalogue's failure kind with the text below.
// The network's faults are drawn from each execution's seed, so the budgets
// are as stable as the schedules. Then replay one failure's token and compare
// failure, trace and schedule hash; explore the fixed twin 3000 times under
// each strategy; and run it 30 times on the real runtime, with real processes
// and sockets (never the buggy version there).

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "lost_request";
constexpr char kExpected[] = "datagram socket client:1";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change: random 5, pct 4.
// The budgets leave 10x headroom.
constexpr uint64_t kRandomBudget = 50;
constexpr uint64_t kPctBudget = 40;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(LostRequest, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(
      testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget, kExpected));
}

TEST(LostRequest, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget, kExpected));
}

TEST(LostRequest, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(LostRequest, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(LostRequest, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(LostRequest, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(LostRequest, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
