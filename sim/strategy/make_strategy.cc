// Copyright 2026 The weft Authors.
//
// The registry: the one place that maps weft::Strategy to a class and a name.

#include <array>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "sim/strategy/bounded_dfs.h"
#include "sim/strategy/guided_replay.h"
#include "sim/strategy/pct.h"
#include "sim/strategy/random_walk.h"
#include "sim/strategy/strategy.h"
#include "weft/internal/check.h"

namespace weft {
namespace {

constexpr std::array<std::pair<Strategy, std::string_view>, 3> kStrategyNames = {{
    {Strategy::kRandom, "random"},
    {Strategy::kPct, "pct"},
    {Strategy::kDfs, "dfs"},
}};

}  // namespace

std::string_view strategy_name(Strategy strategy) {
  for (const auto& [value, name] : kStrategyNames) {
    if (value == strategy) return name;
  }
  internal::check_failed(__FILE__, __LINE__, "strategy_name of an unknown enumerator", "");
}

absl::StatusOr<Strategy> parse_strategy(std::string_view name) {
  for (const auto& [value, known] : kStrategyNames) {
    if (known == name) return value;
  }
  std::vector<std::string> known;
  for (const auto& entry : kStrategyNames) known.emplace_back(entry.second);
  return absl::InvalidArgumentError(absl::StrCat("unknown strategy '", std::string(name),
                                                 "' (known: ", absl::StrJoin(known, ", "), ")"));
}

}  // namespace weft

namespace weft::sim {

std::unique_ptr<Strategy> make_strategy(const ExploreOptions& options) {
  switch (options.strategy) {
    case weft::Strategy::kRandom:
      return std::make_unique<RandomWalk>(options.seed, options.max_steps);
    case weft::Strategy::kPct:
      return std::make_unique<Pct>(options.seed, options.pct_depth, options.max_steps,
                                   /*fixed_estimate=*/0);
    case weft::Strategy::kDfs:
      return std::make_unique<BoundedDfs>(internal::data_seed(options.seed, 0),
                                          options.preemption_bound, options.max_steps);
  }
  internal::check_failed(__FILE__, __LINE__, "make_strategy of an unknown strategy", "");
}

std::unique_ptr<Strategy> make_replay_strategy(const ExecutionSpec& spec) {
  if (spec.schedule) return std::make_unique<GuidedReplay>(*spec.schedule, spec.max_steps);
  switch (spec.strategy) {
    case weft::Strategy::kRandom:
      return std::make_unique<RandomWalk>(spec.seed, spec.max_steps);
    case weft::Strategy::kPct:
      // k = 0 (the first execution of an exploration: no change points) also
      // replays as such: a fresh Pct has learned no estimate.
      return std::make_unique<Pct>(spec.seed, spec.pct_depth, spec.max_steps,
                                   spec.pct_steps_estimate);
    case weft::Strategy::kDfs:
      break;  // A DFS execution is replayed from its written-out schedule.
  }
  internal::check_failed(__FILE__, __LINE__, "make_replay_strategy of an unknown strategy", "");
}

}  // namespace weft::sim
