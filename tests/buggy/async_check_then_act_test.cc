// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in
// examples/workloads/async_check_then_act.cc -- withdrawals that check the
// balance, co_await an audit write, then debit: a check-then-act across a
// suspension point that overdraws the account -- within a stated budget of
// executions under both strategies; the failure's repro token replays it
// exactly; the fixed twin is correct.
//
// Method: the "async_check_then_act" catalogue entry, through
// tests/common/catalogue_checks.h. For each of the seeds 1..20, explore the
// buggy version under Strategy::kRandom and under Strategy::kPct (default
// options, so pct_depth 3) with `iterations` set to the budget, and expect
// a failed WEFT_ASSERT (FailureKind::kAssertion).
// Exploration is deterministic, so these are stable checks, not flaky
// probabilities. Then replay one failure's token and compare failure, trace and
// schedule hash; explore the fixed twin 3000 times under each strategy; and run
// it 30 times on the real runtime (never the buggy version: it would fail its assertion).

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "async_check_then_act";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 5, pct 3.
// The budgets leave 10x and 10x headroom.
constexpr uint64_t kRandomBudget = 50;
constexpr uint64_t kPctBudget = 30;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(AsyncCheckThenAct, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "the account is overdrawn"));
}

TEST(AsyncCheckThenAct, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget,
                                                "the account is overdrawn"));
}

TEST(AsyncCheckThenAct, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(AsyncCheckThenAct, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(AsyncCheckThenAct, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(AsyncCheckThenAct, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(AsyncCheckThenAct, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

}  // namespace
}  // namespace weft
