// Copyright 2026 The weft Authors.

#include "sim/strategy/bounded_dfs.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

BoundedDfs::BoundedDfs(uint64_t data_seed, int bound, uint64_t max_steps)
    : data_seed_(data_seed), bound_(bound), max_steps_(max_steps) {
  WEFT_CHECK_GE(bound, 0);
}

bool BoundedDfs::begin_execution(uint64_t index) {
  if (exhausted_) return false;
  execution_ = index;
  step_ = 0;
  default_.reset();
  // One data seed for the whole search: the tree must not change under it.
  data_.reseed(data_seed_);
  return true;
}

ThreadId BoundedDfs::choice_at(const Decision& decision, uint32_t position) {
  if (position == 0) return decision.default_choice;
  // The others ascending: skip the default's slot.
  const ThreadId candidate = decision.runnable[position - 1];
  return candidate < decision.default_choice ? candidate : decision.runnable[position];
}

bool BoundedDfs::within_bound(const Decision& decision, uint32_t position) const {
  const bool preempts =
      DefaultSchedule::preempts(choice_at(decision, position), decision.current, decision.yielding);
  return decision.preemptions_before + static_cast<uint32_t>(preempts) <=
         static_cast<uint32_t>(bound_);
}

ThreadId BoundedDfs::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  WEFT_DCHECK(!runnable.empty());
  const size_t step = step_++;
  const ThreadId default_choice = default_.pick_default(runnable, current, yielding);
  ThreadId next = default_choice;
  if (step < prefix_) {
    const Decision& decision = decisions_[step];
    if (std::equal(runnable.begin(), runnable.end(), decision.runnable.begin(),
                   decision.runnable.end()) &&
        decision.current == current && decision.yielding == yielding) {
      next = choice_at(decision, decision.tried);
    } else {
      // The workload is not deterministic: the rest of this branch is new.
      ++divergences_;
      decisions_.resize(step);
      prefix_ = step;
    }
  }
  if (step >= prefix_) {
    if (decisions_.size() < kBranchingDecisionsMax) {
      WEFT_DCHECK(decisions_.size() == step);
      decisions_.push_back(Decision{
          .runnable = {runnable.begin(), runnable.end()},
          .current = current,
          .default_choice = default_choice,
          .yielding = yielding,
          .tried = 0,
          .preemptions_before = static_cast<uint32_t>(default_.preemptions()),
      });
    } else {
      complete_ = false;
    }
  }
  default_.commit(runnable, current, yielding, next);
  return next;
}

void BoundedDfs::end_execution(uint64_t steps) {
  (void)steps;
  // Backtrack to the deepest decision with an untried choice in the bound.
  while (!decisions_.empty()) {
    Decision& last = decisions_.back();
    const auto choices = static_cast<uint32_t>(last.runnable.size());
    uint32_t position = last.tried + 1;
    while (position < choices && !within_bound(last, position)) ++position;
    if (position < choices) {
      last.tried = position;
      prefix_ = decisions_.size();
      return;
    }
    decisions_.pop_back();
  }
  exhausted_ = true;
}

ExecutionSpec BoundedDfs::spec() const {
  ExecutionSpec spec;
  spec.execution = execution_;
  spec.max_steps = max_steps_;
  spec.schedule = ScheduleChoices{data_seed_, default_.departures()};
  return spec;
}

std::string BoundedDfs::describe() const {
  return absl::StrFormat("dfs, at most %d preemption%s", bound_, bound_ == 1 ? "" : "s");
}

}  // namespace weft::sim
