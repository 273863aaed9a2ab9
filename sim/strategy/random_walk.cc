// Copyright 2026 The weft Authors.

#include "sim/strategy/random_walk.h"

#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

bool RandomWalk::begin_execution(uint64_t index) {
  execution_ = index;
  prng_.reseed(internal::execution_seed(seed_, index));
  data_.reseed(internal::data_seed(seed_, index));
  return true;
}

ThreadId RandomWalk::pick(std::span<const ThreadId> runnable, ThreadId current, bool yielding) {
  (void)current;
  (void)yielding;
  WEFT_DCHECK(!runnable.empty());
  // A lone runnable thread needs no draw; skipping it keeps the generator's
  // sequence a function of the real choices only.
  if (runnable.size() == 1) return runnable[0];
  return runnable[prng_.below(runnable.size())];
}

ExecutionSpec RandomWalk::spec() const {
  ExecutionSpec spec;
  spec.strategy = weft::Strategy::kRandom;
  spec.seed = seed_;
  spec.execution = execution_;
  spec.max_steps = max_steps_;
  return spec;
}

std::string RandomWalk::describe() const { return absl::StrFormat("random, seed %d", seed_); }

}  // namespace weft::sim
