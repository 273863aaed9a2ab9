// Copyright 2026 The weft Authors.
//
// Test helpers that run one workload on both runtimes: the same body under
// the simulator (explored) and on OS threads (run_real, repeated).

#ifndef WEFT_TESTS_COMMON_RUN_BOTH_H_
#define WEFT_TESTS_COMMON_RUN_BOTH_H_

#include <cstdint>

#include "absl/functional/function_ref.h"
#include "gtest/gtest.h"
#include "weft/weft.h"

namespace weft::testing {

// Explores `workload` for `iterations` executions under `strategy`.
Report explore_with(absl::FunctionRef<void()> workload, uint64_t iterations,
                    Strategy strategy = Strategy::kRandom, uint64_t seed = 1);

// Runs `workload` `repeats` times on OS threads; stops at the first failure.
Report run_real_times(absl::FunctionRef<void()> workload, int repeats);

// Runs `body` once directly (real runtime: weft::run on the real loop) and
// explores it `iterations` times under each strategy, expecting no failure.
template <typename Body>
void on_both_runtimes(Body body, uint64_t iterations = 300) {
  body();
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = explore_with(body, iterations, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
}

}  // namespace weft::testing

// Defines Suite.Name_Sim (explored `sim_iterations` times under random and
// under PCT) and Suite.Name_RealRuntime (run_real `real_repeats` times) for a
// workload that checks itself; both expect no failure.
#define WEFT_TEST_BOTH_RUNTIMES(Suite, Name, workload, sim_iterations, real_repeats)       \
  TEST(Suite, Name##_Sim) {                                                                \
    const ::weft::Report random = ::weft::testing::explore_with(workload, sim_iterations); \
    EXPECT_TRUE(random.ok()) << random.to_string();                                        \
    const ::weft::Report pct =                                                             \
        ::weft::testing::explore_with(workload, sim_iterations, ::weft::Strategy::kPct);   \
    EXPECT_TRUE(pct.ok()) << pct.to_string();                                              \
  }                                                                                        \
  TEST(Suite, Name##_RealRuntime) {                                                        \
    const ::weft::Report real = ::weft::testing::run_real_times(workload, real_repeats);   \
    EXPECT_TRUE(real.ok()) << real.to_string();                                            \
  }

#endif  // WEFT_TESTS_COMMON_RUN_BOTH_H_
