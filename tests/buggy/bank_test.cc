// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/bank.cc -- two
// transfers that lock their two accounts in opposite orders: a two-thread
// lock-order deadlock -- within a stated budget of executions under both
// strategies; the failure's repro token replays it exactly; the fixed twin is
// correct.
//
// Method: the "bank" catalogue entry, through tests/common/catalogue_checks.h.
// For each of the seeds 1..20, explore the buggy version under
// Strategy::kRandom and under Strategy::kPct (default options, so pct_depth 3)
// with `iterations` set to the budget, and expect a deadlock, which the
// simulator detects itself (FailureKind::kDeadlock). Exploration is
// deterministic, so these are stable checks, not flaky probabilities. Then
// replay one failure's token and compare failure, trace and schedule hash;
// explore the fixed twin 3000 times under each strategy; and run it 30 times on
// the real runtime (never the buggy version: it would hang).

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "bank";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 15, pct 23.
// The budgets leave 10x and 9x headroom.
constexpr uint64_t kRandomBudget = 150;
constexpr uint64_t kPctBudget = 200;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(Bank, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "wait-for cycle"));
}

TEST(Bank, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(
      testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget, "wait-for cycle"));
}

TEST(Bank, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(Bank, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(Bank, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(Bank, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(Bank, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
