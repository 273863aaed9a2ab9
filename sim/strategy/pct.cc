// Copyright 2026 The weft Authors.

#include "sim/strategy/pct.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "sim/limits.h"
#include "weft/internal/check.h"

namespace weft::sim {
Pct::Pct(uint64_t seed, int depth, uint64_t max_steps, uint64_t fixed_estimate)
    : seed_(seed), depth_(depth), max_steps_(max_steps), fixed_estimate_(fixed_estimate) {
  WEFT_CHECK_GE(depth, 1);
  WEFT_CHECK_LE(depth, kPctDepthMax);
  change_points_.reserve(static_cast<size_t>(depth));
  priorities_.assign(kThreadsMax, kUnassigned);
  priorities_size_ = kThreadsMax;
}

bool Pct::begin_execution(uint64_t index) {
  execution_ = index;
  prng_.reseed(internal::execution_seed(seed_, index));
  data_.reseed(internal::data_seed(seed_, index));
  estimate_ = fixed_estimate_ > 0 ? fixed_estimate_ : learned_estimate_;
  step_ = 0;
  lowest_ = 0;
  std::fill(priorities_.begin(), priorities_.begin() + assigned_limit_, kUnassigned);
  assigned_limit_ = 0;
  change_points_.clear();
  if (estimate_ > 0) {
    for (int i = 1; i < depth_; ++i) change_points_.push_back(1 + prng_.below(estimate_));
    std::sort(change_points_.begin(), change_points_.end());
  }
  next_change_point_ = 0;
  return true;
}

void Pct::end_execution(uint64_t steps) {
  learned_estimate_ = std::max(learned_estimate_, std::min<uint64_t>(steps, uint32_t{1} << 31));
}

void Pct::grow_priorities(ThreadId thread) {
  WEFT_CHECK_LT(thread, kEntitiesMax);
  priorities_.resize(std::max<size_t>(thread + 1, priorities_.size() * 2), kUnassigned);
  priorities_size_ = static_cast<ThreadId>(priorities_.size());
}

void Pct::assign_priority(ThreadId thread) {
  WEFT_CHECK_EQ(priorities_[thread], kUnassigned);
  // Random initial priorities above every lowered one; ties (2^-62) go to
  // the lower id in pick().
  priorities_[thread] = depth_ + static_cast<int64_t>(prng_.next_u64() >> 2);
  assigned_limit_ = std::max(assigned_limit_, thread + 1);
}

ThreadId Pct::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  WEFT_DCHECK(!runnable.empty());
  // Ids are ascending: one check covers every priority this pick touches.
  if (runnable.back() >= priorities_size_) [[unlikely]]
    grow_priorities(runnable.back());
  ++step_;
  if (yielding && current != kNoThread) priority_of(current) = --lowest_;
  ThreadId best = kNoThread;
  int64_t best_priority = kUnassigned;
  auto choose_best = [&] {
    best = kNoThread;
    best_priority = kUnassigned;
    for (ThreadId thread : runnable) {
      const int64_t priority = priority_of(thread);
      if (best == kNoThread || priority > best_priority) {
        best = thread;
        best_priority = priority;
      }
    }
  };
  choose_best();
  // Several change points may fall on one decision; each lowers whoever would
  // run, and the i-th change point gives priority depth - i.
  while (next_change_point_ < change_points_.size() &&
         change_points_[next_change_point_] == step_) {
    ++next_change_point_;
    priority_of(best) = depth_ - static_cast<int64_t>(next_change_point_);
    WEFT_DCHECK(priority_of(best) >= 1);
    choose_best();
  }
  WEFT_DCHECK(best != kNoThread);
  return best;
}

ExecutionSpec Pct::spec() const {
  ExecutionSpec spec;
  spec.strategy = weft::Strategy::kPct;
  spec.seed = seed_;
  spec.execution = execution_;
  spec.max_steps = max_steps_;
  spec.pct_depth = depth_;
  spec.pct_steps_estimate = estimate_;
  return spec;
}

std::string Pct::describe() const {
  return absl::StrFormat("pct d=%d k=%d, seed %d", depth_, estimate_, seed_);
}

}  // namespace weft::sim
