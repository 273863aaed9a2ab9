// Copyright 2026 The weft Authors.
//
// DefaultSchedule: the schedule a written-out schedule (ScheduleChoices)
// departs from, and the bookkeeping that names each decision by who made it.
//
// The default at each decision: the running entity goes on; if it blocked,
// finished or yielded, the next runnable id after it runs (wrapping around,
// so yield loops are fair). A decision is named (decider, index): the entity
// that was running and how many decisions it had made before. Those names
// survive edits to other parts of a schedule far better than a global step
// number does, which is what lets the shrinker delete one departure and keep
// the others meaningful.
//
// Used by the strategies that follow or build written-out schedules
// (GuidedReplay, BoundedDfs) and by DepartureRecorder, which turns any run
// into its departures.

#ifndef WEFT_SIM_STRATEGY_DEFAULT_SCHEDULE_H_
#define WEFT_SIM_STRATEGY_DEFAULT_SCHEDULE_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/limits.h"
#include "sim/strategy/strategy.h"
#include "weft/explore.h"
#include "weft/internal/check.h"

namespace weft::sim {

class DefaultSchedule {
 public:
  // Starts an execution: main (entity 0) runs first without a decision.
  void reset() {
    std::fill(decisions_made_.begin(), decisions_made_.begin() + touched_, 0u);
    touched_ = 0;
    decider_ = 0;
    departures_.clear();
    preemptions_ = 0;
  }

  // The entity the next decision belongs to, and its decision number.
  ThreadId decider() const { return decider_; }
  uint32_t index() const {
    return decider_ < decisions_made_.size() ? decisions_made_[decider_] : 0;
  }

  // The default choice among `runnable` (ascending, non-empty).
  ThreadId pick_default(std::span<const ThreadId> runnable, ThreadId current, bool yielding) const {
    WEFT_DCHECK(!runnable.empty());
    if (current != kNoThread && !yielding) return current;
    const auto after = std::upper_bound(runnable.begin(), runnable.end(), decider_);
    return after == runnable.end() ? runnable.front() : *after;
  }

  // Whether running `next` at this decision is a preemption.
  static bool preempts(ThreadId next, ThreadId current, bool yielding) {
    return current != kNoThread && !yielding && next != current;
  }

  // Records the decision just taken: `next` runs. Returns whether it departed
  // from the default (and so was appended to departures()).
  bool commit(std::span<const ThreadId> runnable, ThreadId current, bool yielding, ThreadId next) {
    const bool departs = next != pick_default(runnable, current, yielding);
    if (departs) departures_.push_back(ScheduleChoice{decider_, index(), next});
    preemptions_ += static_cast<uint64_t>(preempts(next, current, yielding));
    if (decider_ >= decisions_made_.size()) {
      WEFT_CHECK_LT(decider_, kEntitiesMax);
      decisions_made_.resize(std::max<size_t>(decider_ + 1, decisions_made_.size() * 2), 0u);
    }
    ++decisions_made_[decider_];
    touched_ = std::max<size_t>(touched_, decider_ + 1);
    decider_ = next;
    return departs;
  }

  // The departures from the default so far: a ScheduleChoices list that
  // reproduces this run's decisions.
  const std::vector<ScheduleChoice>& departures() const { return departures_; }
  uint64_t preemptions() const { return preemptions_; }

 private:
  std::vector<uint32_t> decisions_made_;
  size_t touched_ = 0;
  ThreadId decider_ = 0;
  std::vector<ScheduleChoice> departures_;
  uint64_t preemptions_ = 0;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_DEFAULT_SCHEDULE_H_
