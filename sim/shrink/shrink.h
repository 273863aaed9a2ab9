// Copyright 2026 The weft Authors.
//
// Schedule shrinking: from a schedule that fails, find one that fails the
// same way with fewer preemptions, then fewer steps, so the report shows the
// few switches the bug needs instead of the hundreds a random walk made.
//
// A schedule is handled as its departures from the default schedule
// (sim/strategy/default_schedule.h), each named by the thread that decides
// and its decision number, so deleting one leaves the others meaningful.
// Every candidate is run (GuidedReplay) and kept only if it fails the same
// way and costs less: (preemptions, steps, departures), in that order.
//
//  1. Delta debugging (Zeller's ddmin, complement steps) over the departures:
//     delete halves, quarters, ... single departures.
//  2. Each departure one or more decisions earlier, for shorter runs.
//  3. Iterative context bounding (BoundedDfs) for every preemption bound
//     below the best found: a bound searched to the end proves that no
//     schedule with that few preemptions fails this way; a schedule found
//     replaces the best, and steps 1-2 run again on it.
//
// "The same way": the same FailureKind; for assertions the same check (file
// and line, Failure::location), for exceptions and misuse the same message.

#ifndef WEFT_SIM_SHRINK_SHRINK_H_
#define WEFT_SIM_SHRINK_SHRINK_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "sim/scheduler/scheduler.h"
#include "weft/explore.h"
#include "weft/report.h"

namespace weft::sim {

struct ShrinkOptions {
  // Executions the shrinker may run in all, and their decisions in all.
  uint64_t max_runs = 20'000;
  uint64_t max_total_steps = kShrinkStepsMax;
  uint64_t max_steps = kStepsMaxDefault;
};

struct ShrunkSchedule {
  ScheduleChoices schedule;
  // The run of `schedule`.
  Failure failure;
  std::vector<ThreadId> decisions;
  uint64_t schedule_hash = 0;
  uint64_t preemptions = 0;
  uint64_t steps = 0;
  // Executions spent shrinking.
  uint64_t runs = 0;
  // Every smaller preemption bound was searched to the end: no schedule with
  // fewer preemptions fails this way.
  bool minimal_preemptions = false;
};

// Whether `candidate` is the same failure as `target` for shrinking.
bool same_failure(const Failure& target, const Failure& candidate);

// shrink_schedule()
//
// REQUIRES: `start` replayed by GuidedReplay fails as `target` does (callers
// get it from DepartureRecorder on the failing run). If it does not, the
// result is `start` as it ran, with runs == 1.
ShrunkSchedule shrink_schedule(Scheduler& scheduler, absl::FunctionRef<void()> workload,
                               const ScheduleChoices& start, const Failure& target,
                               const ShrinkOptions& options);

}  // namespace weft::sim

#endif  // WEFT_SIM_SHRINK_SHRINK_H_
