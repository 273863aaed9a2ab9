// Copyright 2026 The weft Authors.
//
// The checks every workload of the buggy catalogue (examples/workloads/) must
// pass, shared by the tests in tests/buggy/. Each takes the workload's
// catalogue name, so a test also checks that the workload is registered, and
// returns a ::testing::AssertionResult whose message is the whole story (the
// seeds that missed, the report of an unexpected failure), for use as
//
//   EXPECT_TRUE(weft::testing::finds_bug_for_every_seed(
//       "lost_update", weft::Strategy::kRandom, /*budget=*/60, "a hit was lost"));
//
// Explorations use ExploreOptions' defaults (pct_depth 3, max_steps 10^6)
// except for the strategy, the seed and the number of executions, so the
// budgets stated in the tests mean what a user with default options gets.

#ifndef WEFT_TESTS_COMMON_CATALOGUE_CHECKS_H_
#define WEFT_TESTS_COMMON_CATALOGUE_CHECKS_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

#include "weft/weft.h"

namespace weft::testing {

// Seeds a budget check covers: [kFirstSeed, kLastSeed], 1..20. Sanitizer
// builds check the same seeds and executions (CI's ASan pass runs without
// detect_stack_use_after_return, whose per-fiber fake stacks made each
// simulated execution ~30x slower).
inline constexpr uint64_t kFirstSeed = 1;
inline constexpr uint64_t kLastSeed = 20;

// For every seed in [kFirstSeed, kLastSeed], explores the buggy version of
// the workload called `name` under `strategy` for at most `budget`
// executions, and succeeds if every seed finds a failure of the catalogue's
// expected kind whose message or details contain `expected_text`. Records the
// worst executions-to-find over the seeds as the test property
// "worst_executions_to_find" and prints it, so budgets can be re-measured.
::testing::AssertionResult finds_bug_for_every_seed(std::string_view name, Strategy strategy,
                                                    uint64_t budget,
                                                    std::string_view expected_text);

// Finds the bug of the workload called `name` (seed kFirstSeed, at most
// `budget` executions under `strategy`), replays its repro token, and succeeds
// if the replay reports the same failure (kind, message, details, thread,
// step) with the same trace(), schedule_hash() and preemptions().
::testing::AssertionResult replays_exactly(std::string_view name, Strategy strategy,
                                           uint64_t budget);

// Explores the fixed twin of the workload called `name` for
// `executions` executions under `strategy` (seed
// kFirstSeed) and succeeds if all of them ran and none failed.
::testing::AssertionResult fixed_passes_exploration(std::string_view name, Strategy strategy,
                                                    uint64_t executions);

// Runs the fixed twin of the workload called `name` `runs` times on the real
// runtime (weft::run_real) and succeeds if no run failed. Never call this on
// a buggy version that can deadlock: the real runtime would hang.
::testing::AssertionResult fixed_passes_on_real_runtime(std::string_view name, int runs);

}  // namespace weft::testing

#endif  // WEFT_TESTS_COMMON_CATALOGUE_CHECKS_H_
