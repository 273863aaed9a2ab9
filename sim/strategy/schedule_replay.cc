// Copyright 2026 The weft Authors.

#include "sim/strategy/schedule_replay.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

ScheduleReplay::ScheduleReplay(std::vector<ThreadId> schedule, uint64_t data_seed)
    : schedule_(std::move(schedule)), data_seed_(data_seed) {}

bool ScheduleReplay::begin_execution(uint64_t index) {
  (void)index;
  step_ = 0;
  diverged_at_.reset();
  prng_.reseed(data_seed_);
  return true;
}

ThreadId ScheduleReplay::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  (void)current;
  (void)yielding;
  WEFT_DCHECK(!runnable.empty());
  const uint64_t step = step_++;
  if (step < schedule_.size() &&
      std::binary_search(runnable.begin(), runnable.end(), schedule_[step])) {
    return schedule_[step];
  }
  if (!diverged_at_) diverged_at_ = step;
  return runnable[0];
}

ExecutionSpec ScheduleReplay::spec() const {
  // A schedule is not a seed; there is no token for it.
  return ExecutionSpec{};
}

std::string ScheduleReplay::describe() const {
  return absl::StrFormat("replay of a %d-decision schedule", schedule_.size());
}

}  // namespace weft::sim
