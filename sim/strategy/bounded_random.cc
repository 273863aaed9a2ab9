// Copyright 2026 The weft Authors.

#include "sim/strategy/bounded_random.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

BoundedRandom::BoundedRandom(uint64_t seed, uint64_t data_seed, int bound, uint64_t length,
                             uint64_t max_steps)
    : seed_(seed), data_seed_(data_seed), bound_(bound), length_(length), max_steps_(max_steps) {
  WEFT_CHECK_GE(bound, 0);
}

bool BoundedRandom::begin_execution(uint64_t index) {
  prng_.reseed(internal::execution_seed(seed_, index));
  data_.reseed(data_seed_);
  default_.reset();
  step_ = 0;
  next_preemption_ = 0;
  preemption_steps_.clear();
  if (length_ > 0) {
    for (int i = 0; i < bound_; ++i) preemption_steps_.push_back(prng_.below(length_));
  }
  std::sort(preemption_steps_.begin(), preemption_steps_.end());
  return true;
}

ThreadId BoundedRandom::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  WEFT_DCHECK(!runnable.empty());
  const uint64_t step = step_++;
  bool preempt = false;
  while (next_preemption_ < preemption_steps_.size() &&
         preemption_steps_[next_preemption_] <= step) {
    preempt |= preemption_steps_[next_preemption_] == step;
    ++next_preemption_;
  }
  ThreadId next = current;
  if (current == kNoThread || yielding) {
    next = runnable[prng_.below(runnable.size())];
  } else if (preempt && runnable.size() > 1) {
    // A random other thread: skip the current one's slot.
    const size_t draw = prng_.below(runnable.size() - 1);
    next = runnable[draw] < current ? runnable[draw] : runnable[draw + 1];
  }
  default_.commit(runnable, current, yielding, next);
  return next;
}

ExecutionSpec BoundedRandom::spec() const {
  ExecutionSpec spec;
  spec.max_steps = max_steps_;
  spec.schedule = ScheduleChoices{data_seed_, default_.departures()};
  return spec;
}

std::string BoundedRandom::describe() const {
  return absl::StrFormat("random with at most %d preemption%s", bound_, bound_ == 1 ? "" : "s");
}

}  // namespace weft::sim
