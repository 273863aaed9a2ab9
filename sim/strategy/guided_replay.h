// Copyright 2026 The weft Authors.
//
// GuidedReplay: follows a written-out schedule (ScheduleChoices): the
// default schedule (default_schedule.h), except at the decisions the choices
// name. A choice whose decision never comes, or whose thread is not runnable
// when it does, is skipped: the run still ends, and effective() says which
// choices it really followed (the shrinker keeps those).

#ifndef WEFT_SIM_STRATEGY_GUIDED_REPLAY_H_
#define WEFT_SIM_STRATEGY_GUIDED_REPLAY_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "sim/strategy/default_schedule.h"
#include "sim/strategy/strategy.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class GuidedReplay final : public Strategy {
 public:
  GuidedReplay(ScheduleChoices schedule, uint64_t max_steps);

  bool begin_execution(uint64_t index) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return data_.next_u64(); }
  ExecutionSpec spec() const override;
  std::string describe() const override;

  // The departures this run took: the given choices that applied, in order.
  const std::vector<ScheduleChoice>& effective() const { return default_.departures(); }
  // Given choices that were skipped (not reached, or thread not runnable).
  uint64_t skipped() const { return schedule_.choices.size() - default_.departures().size(); }
  uint64_t preemptions() const { return default_.preemptions(); }

 private:
  static uint64_t key(uint32_t decider, uint32_t index) {
    return (uint64_t{decider} << 32) | index;
  }

  const ScheduleChoices schedule_;
  const uint64_t max_steps_;
  // (decider, index) -> next. Only looked up, never iterated.
  absl::flat_hash_map<uint64_t, ThreadId> choices_;
  DefaultSchedule default_;
  internal::Prng data_;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_GUIDED_REPLAY_H_
