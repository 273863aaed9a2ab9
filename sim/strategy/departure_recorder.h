// Copyright 2026 The weft Authors.
//
// DepartureRecorder: runs another strategy unchanged and writes down where
// its decisions depart from the default schedule (default_schedule.h). After
// the run, departures() replayed by GuidedReplay makes the same decisions:
// this is how a seeded execution becomes a written-out schedule to shrink.

#ifndef WEFT_SIM_STRATEGY_DEPARTURE_RECORDER_H_
#define WEFT_SIM_STRATEGY_DEPARTURE_RECORDER_H_

#include "sim/strategy/default_schedule.h"
#include "sim/strategy/strategy.h"

namespace weft::sim {

class DepartureRecorder final : public Strategy {
 public:
  explicit DepartureRecorder(Strategy& inner) : inner_(inner) {}

  bool begin_execution(uint64_t index) override {
    default_.reset();
    return inner_.begin_execution(index);
  }
  void end_execution(uint64_t steps) override { inner_.end_execution(steps); }
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override {
    const ThreadId next = inner_.pick(runnable, current, yielding);
    default_.commit(runnable, current, yielding, next);
    return next;
  }
  uint64_t next_u64() override { return inner_.next_u64(); }
  ExecutionSpec spec() const override { return inner_.spec(); }
  std::string describe() const override { return inner_.describe(); }

  const std::vector<ScheduleChoice>& departures() const { return default_.departures(); }

 private:
  Strategy& inner_;
  DefaultSchedule default_;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_DEPARTURE_RECORDER_H_
