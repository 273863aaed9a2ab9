// Copyright 2026 The weft Authors.

#include "sim/strategy/guided_replay.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

GuidedReplay::GuidedReplay(ScheduleChoices schedule, uint64_t max_steps)
    : schedule_(std::move(schedule)), max_steps_(max_steps) {
  choices_.reserve(schedule_.choices.size());
  for (const ScheduleChoice& choice : schedule_.choices) {
    // A decision named twice keeps its first choice (the later ones skip).
    choices_.emplace(key(choice.decider, choice.index), choice.next);
  }
}

bool GuidedReplay::begin_execution(uint64_t index) {
  (void)index;
  default_.reset();
  data_.reseed(schedule_.data_seed);
  return true;
}

ThreadId GuidedReplay::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  WEFT_DCHECK(!runnable.empty());
  ThreadId next = default_.pick_default(runnable, current, yielding);
  if (const auto found = choices_.find(key(default_.decider(), default_.index()));
      found != choices_.end() &&
      std::binary_search(runnable.begin(), runnable.end(), found->second)) {
    next = found->second;
  }
  default_.commit(runnable, current, yielding, next);
  return next;
}

ExecutionSpec GuidedReplay::spec() const {
  ExecutionSpec spec;
  spec.max_steps = max_steps_;
  spec.schedule = ScheduleChoices{schedule_.data_seed, default_.departures()};
  return spec;
}

std::string GuidedReplay::describe() const {
  return absl::StrFormat("written-out schedule of %d choice%s", schedule_.choices.size(),
                         schedule_.choices.size() == 1 ? "" : "s");
}

}  // namespace weft::sim
