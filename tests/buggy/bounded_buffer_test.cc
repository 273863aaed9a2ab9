// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/bounded_buffer.cc -- a
// capacity-1 buffer whose two producers and two consumers share one condition
// variable with notify_one: a wrong-kind wake-up leaves everyone waiting --
// within a stated budget of executions under both strategies; the failure's
// repro token replays it exactly; the fixed twin is correct.
//
// Method: the "bounded_buffer" catalogue entry, through
// tests/common/catalogue_checks.h. For each of the seeds 1..20, explore the
// buggy version under Strategy::kRandom and under Strategy::kPct (default
// options, so pct_depth 3) with `iterations` set to the budget, and expect a
// deadlock, which the simulator detects itself (FailureKind::kDeadlock).
// Exploration is deterministic, so these are stable checks, not flaky
// probabilities. Then replay one failure's token and compare failure, trace and
// schedule hash; explore the fixed twin 3000 times under each strategy; and run
// it 30 times on the real runtime (never the buggy version: it would hang).

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "bounded_buffer";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 119, pct 166.
// The budgets leave 8x and 9x headroom.
constexpr uint64_t kRandomBudget = 1000;
constexpr uint64_t kPctBudget = 1500;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(BoundedBuffer, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "waits on CondVar changed"));
}

TEST(BoundedBuffer, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget,
                                                "waits on CondVar changed"));
}

TEST(BoundedBuffer, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(BoundedBuffer, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(BoundedBuffer, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(BoundedBuffer, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(BoundedBuffer, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
