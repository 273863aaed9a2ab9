// Copyright 2026 The weft Authors.

#include "tests/common/run_both.h"

namespace weft::testing {

Report explore_with(absl::FunctionRef<void()> workload, uint64_t iterations, Strategy strategy,
                    uint64_t seed) {
  ExploreOptions options;
  options.iterations = iterations;
  options.strategy = strategy;
  options.seed = seed;
  return explore(options, workload);
}

Report run_real_times(absl::FunctionRef<void()> workload, int repeats) {
  Report report;
  for (int i = 0; i < repeats; ++i) {
    report = run_real(workload);
    if (!report.ok()) break;
  }
  return report;
}

}  // namespace weft::testing
