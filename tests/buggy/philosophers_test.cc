// Copyright 2026 The weft Authors.
//
// Goal: the explorer finds the bug in examples/workloads/philosophers.cc --
// five dining philosophers who each take their left fork, then their right: a
// five-thread lock-order deadlock -- within a stated budget of executions under
// both strategies; the failure's repro token replays it exactly; the fixed twin
// is correct.
//
// Method: the "philosophers" catalogue entry, through
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
#include <string>

#include "examples/workloads/catalogue.h"
#include "tests/common/catalogue_checks.h"
#include "weft/weft.h"

namespace weft {
namespace {

constexpr char kWorkload[] = "philosophers";

// Executions needed to find the bug, worst case over seeds 1..20, measured
// with the simulator as of this change (pct_depth 3): random 196, pct 6938.
// The budgets leave 10x and 7x headroom.
// PCT needs far more executions here than random: the first philosopher to
// take a fork must be preempted between its two forks (a change point on one
// particular step of ~21), and the others must then run in the one cyclic
// order in which each blocks on its right fork (about 1 in 24 priority
// orders), or the second change point must repair the order.
constexpr uint64_t kRandomBudget = 2000;
constexpr uint64_t kPctBudget = 50000;

constexpr uint64_t kFixedExecutions = 3000;
constexpr int kRealRuns = 30;

TEST(Philosophers, RandomFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(testing::finds_bug_for_every_seed(kWorkload, Strategy::kRandom, kRandomBudget,
                                                "wait-for cycle"));
}

TEST(Philosophers, PctFindsBugWithinBudgetForEverySeed) {
  EXPECT_TRUE(
      testing::finds_bug_for_every_seed(kWorkload, Strategy::kPct, kPctBudget, "wait-for cycle"));
}

TEST(Philosophers, RandomReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kRandom, kRandomBudget));
}

TEST(Philosophers, PctReproTokenReplaysSameFailureAndTrace) {
  EXPECT_TRUE(testing::replays_exactly(kWorkload, Strategy::kPct, kPctBudget));
}

TEST(Philosophers, FixedTwinPassesRandomExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kRandom, kFixedExecutions));
}

TEST(Philosophers, FixedTwinPassesPctExploration) {
  EXPECT_TRUE(testing::fixed_passes_exploration(kWorkload, Strategy::kPct, kFixedExecutions));
}

TEST(Philosophers, FixedTwinPassesOnRealRuntime) {
  EXPECT_TRUE(testing::fixed_passes_on_real_runtime(kWorkload, kRealRuns));
}

// The deadlock needs all five: the reported wait-for cycle names every
// philosopher, and the details say which fork each holds and waits for.
TEST(Philosophers, DeadlockCycleNamesAllFivePhilosophers) {
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  options.iterations = kRandomBudget;
  const Report report = explore(options, &examples::philosophers_deadlock);
  ASSERT_FALSE(report.ok());
  ASSERT_EQ(report.failure()->kind, FailureKind::kDeadlock) << report.to_string();
  for (const char* philosopher : {"Aristotle", "Kant", "Spinoza", "Marx", "Russell"}) {
    EXPECT_NE(report.failure()->message.find(philosopher), std::string::npos)
        << philosopher << " is missing from the cycle:\n"
        << report.to_string();
  }
  for (const char* fork : {"fork 0", "fork 1", "fork 2", "fork 3", "fork 4"}) {
    EXPECT_NE(report.failure()->details.find(fork), std::string::npos)
        << fork << " is missing from the details:\n"
        << report.to_string();
  }
}

}  // namespace
}  // namespace weft
