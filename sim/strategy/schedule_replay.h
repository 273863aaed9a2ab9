// Copyright 2026 The weft Authors.
//
// ScheduleReplay: follows a recorded schedule (Report::trace()) decision by
// decision. Used to check that a run reproduces, and by tools that edit
// schedules (shrinking). If the recorded thread is not runnable at some
// decision, the workload did not behave as recorded: the strategy notes the
// first such decision (diverged_at()) and goes on with the lowest runnable id,
// so the run still ends.
//
// Data randomness (weft::random) is not part of a schedule; it comes from the
// seed given here.

#ifndef WEFT_SIM_STRATEGY_SCHEDULE_REPLAY_H_
#define WEFT_SIM_STRATEGY_SCHEDULE_REPLAY_H_

#include <optional>
#include <vector>

#include "sim/strategy/strategy.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class ScheduleReplay final : public Strategy {
 public:
  ScheduleReplay(std::vector<ThreadId> schedule, uint64_t data_seed);

  bool begin_execution(uint64_t index) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return prng_.next_u64(); }
  ExecutionSpec spec() const override;
  std::string describe() const override;

  // The first decision (0-based) where the recorded thread was not runnable,
  // or where the run needed more decisions than were recorded.
  std::optional<uint64_t> diverged_at() const { return diverged_at_; }

 private:
  const std::vector<ThreadId> schedule_;
  const uint64_t data_seed_;
  uint64_t step_ = 0;
  std::optional<uint64_t> diverged_at_;
  internal::Prng prng_;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_SCHEDULE_REPLAY_H_
