// Copyright 2026 The weft Authors.
//
// BoundedDfs: every schedule with at most `bound` preemptions, depth first
// (iterative context bounding: Musuvathi & Qadeer, "Iterative Context
// Bounding for Systematic Testing of Multithreaded Programs", PLDI 2007).
//
// Each execution replays the decisions of the previous one up to the deepest
// decision that still has an untried choice within the bound, takes that
// choice, and follows the default schedule (default_schedule.h) after it. At
// a decision the default comes first, then the other runnable ids in order.
// Without preemptions a thread runs until it blocks, finishes or yields; the
// choices left are who runs next then.
//
// Stateless: it re-runs the workload from the start each time and assumes
// the workload is deterministic (a workload that is not makes the tree
// change under it; the search then still ends, and divergences() counts
// the decisions that did not match).

#ifndef WEFT_SIM_STRATEGY_BOUNDED_DFS_H_
#define WEFT_SIM_STRATEGY_BOUNDED_DFS_H_

#include <cstdint>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "sim/strategy/default_schedule.h"
#include "sim/strategy/strategy.h"
#include "weft/internal/prng.h"

namespace weft::sim {

class BoundedDfs final : public Strategy {
 public:
  // Decisions per execution the search branches at; later ones follow the
  // default, and the search is then no longer exhaustive (complete()).
  static constexpr size_t kBranchingDecisionsMax = 1'000'000;

  // `data_seed` seeds weft::random, the same in every execution.
  BoundedDfs(uint64_t data_seed, int bound, uint64_t max_steps);

  bool begin_execution(uint64_t index) override;
  void end_execution(uint64_t steps) override;
  ThreadId pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) override;
  uint64_t next_u64() override { return data_.next_u64(); }
  // The current execution as a written-out schedule.
  ExecutionSpec spec() const override;
  std::string describe() const override;

  // Every schedule within the bound has been run.
  bool exhausted() const { return exhausted_; }
  // False if some execution was too long to branch everywhere.
  bool complete() const { return complete_; }
  uint64_t divergences() const { return divergences_; }
  uint64_t preemptions() const { return default_.preemptions(); }

 private:
  struct Decision {
    absl::InlinedVector<ThreadId, 4> runnable;
    ThreadId current;
    ThreadId default_choice;
    bool yielding;
    // Position in the order (default, then the others ascending) of the
    // choice taken now.
    uint32_t tried;
    uint32_t preemptions_before;
  };
  // The choice at position `position` of `decision`'s order.
  static ThreadId choice_at(const Decision& decision, uint32_t position);
  bool within_bound(const Decision& decision, uint32_t position) const;

  const uint64_t data_seed_;
  const int bound_;
  const uint64_t max_steps_;
  std::vector<Decision> decisions_;
  // Decisions of decisions_ the current execution replays.
  size_t prefix_ = 0;
  size_t step_ = 0;
  uint64_t execution_ = 0;
  bool exhausted_ = false;
  bool complete_ = true;
  uint64_t divergences_ = 0;
  DefaultSchedule default_;
  internal::Prng data_;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_STRATEGY_BOUNDED_DFS_H_
