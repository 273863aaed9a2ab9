// Copyright 2026 The weft Authors.

#include "sim/shrink/shrink.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "sim/strategy/bounded_dfs.h"
#include "sim/strategy/bounded_random.h"
#include "sim/strategy/guided_replay.h"
#include "weft/internal/check.h"

namespace weft::sim {
namespace {

class Shrinker {
 public:
  Shrinker(Scheduler& scheduler, absl::FunctionRef<void()> workload, const Failure& target,
           const ShrinkOptions& options)
      : scheduler_(scheduler), workload_(workload), target_(target), options_(options) {}

  // Runs `schedule`; nullopt if the budget is spent. The result's schedule
  // is the departures the run really took.
  std::optional<ShrunkSchedule> run(const ScheduleChoices& schedule) {
    if (spent()) return std::nullopt;
    ++runs_;
    GuidedReplay guided(schedule, options_.max_steps);
    WEFT_CHECK(guided.begin_execution(0));
    const ExecutionResult result = scheduler_.run(guided, workload_);
    steps_ += result.steps;
    WEFT_CHECK_EQ(result.preemptions, guided.preemptions());
    ShrunkSchedule out;
    out.schedule = ScheduleChoices{schedule.data_seed, guided.effective()};
    if (result.failure) out.failure = *result.failure;
    fails_ = result.failure.has_value() && same_failure(target_, *result.failure);
    out.decisions = *result.schedule;
    out.schedule_hash = result.schedule_hash;
    out.preemptions = result.preemptions;
    out.steps = result.steps;
    return out;
  }

  // Runs `schedule` and makes it the best if it fails the same way for
  // less. Returns false once the budget is spent.
  bool attempt(const ScheduleChoices& schedule, ShrunkSchedule& best, bool& improved) {
    std::optional<ShrunkSchedule> candidate = run(schedule);
    if (!candidate) return false;
    if (fails_ && cost(*candidate) < cost(best)) {
      best = *std::move(candidate);
      improved = true;
    }
    return true;
  }

  // Delete departures: ddmin's complement steps, from halves down to one.
  bool delete_departures(ShrunkSchedule& best, bool& improved) {
    size_t parts = 2;
    while (!best.schedule.choices.empty()) {
      const std::vector<ScheduleChoice> choices = best.schedule.choices;
      parts = std::min(parts, choices.size());
      const size_t chunk = (choices.size() + parts - 1) / parts;
      bool deleted = false;
      for (size_t first = 0; first < choices.size() && !deleted; first += chunk) {
        ScheduleChoices candidate{best.schedule.data_seed, {}};
        const size_t last = std::min(first + chunk, choices.size());
        candidate.choices.insert(candidate.choices.end(), choices.begin(), choices.begin() + first);
        candidate.choices.insert(candidate.choices.end(), choices.begin() + last, choices.end());
        if (!attempt(candidate, best, deleted)) return false;
      }
      if (deleted) {
        improved = true;
        parts = std::max<size_t>(parts - 1, 2);
      } else if (chunk == 1) {
        break;
      } else {
        parts = std::min(parts * 2, choices.size());
      }
    }
    return true;
  }

  // Move each departure earlier in its decider's run: to its first
  // decision, halfway, one decision earlier.
  bool move_departures_earlier(ShrunkSchedule& best, bool& improved) {
    for (size_t i = 0; i < best.schedule.choices.size(); ++i) {
      const uint32_t index = best.schedule.choices[i].index;
      for (const uint32_t earlier : {0u, index / 2, index - 1}) {
        if (index == 0 || i >= best.schedule.choices.size() ||
            best.schedule.choices[i].index <= earlier) {
          continue;
        }
        ScheduleChoices candidate = best.schedule;
        candidate.choices[i].index = earlier;
        if (!attempt(candidate, best, improved)) return false;
      }
    }
    return true;
  }

  // Steps 1 and 2 until neither helps. False once the budget is spent.
  bool local_search(ShrunkSchedule& best) {
    for (bool improved = true; improved;) {
      improved = false;
      if (!delete_departures(best, improved)) return false;
      if (!move_departures_earlier(best, improved)) return false;
    }
    return true;
  }

  // Step 3: for each preemption bound below best's, search for a schedule
  // that fails within it. Sets minimal_preemptions if every smaller bound
  // was searched to the end.
  void search_smaller_bounds(ShrunkSchedule& best) {
    for (uint64_t bound = 0; bound < best.preemptions; ++bound) {
      const int limit = static_cast<int>(bound);
      BoundedDfs dfs(best.schedule.data_seed, limit, options_.max_steps);
      // A short exhaustive search proves small trees; samples (half of what
      // is left) then look for an early switch that the depth-first order
      // would reach late; then the exhaustive search takes the rest.
      Outcome outcome = search(dfs, best, runs_ + kDfsFirstRuns);
      if (outcome == Outcome::kOpen) {
        BoundedRandom sampler(bound, best.schedule.data_seed, limit, best.steps,
                              options_.max_steps);
        outcome = search(sampler, best, runs_ + (options_.max_runs - runs_) / 2);
      }
      if (outcome == Outcome::kOpen) outcome = search(dfs, best, options_.max_runs);
      switch (outcome) {
        case Outcome::kFound:
          local_search(best);
          // Every smaller bound was searched to the end.
          best.minimal_preemptions = best.preemptions <= bound;
          return;
        case Outcome::kOpen:
          return;  // Budget spent: not a proof.
        case Outcome::kExhausted:
          if (!dfs.complete() || dfs.divergences() > 0) return;  // Not a proof.
          break;
      }
    }
    best.minimal_preemptions = true;
  }

  uint64_t runs() const { return runs_; }
  bool last_failed() const { return fails_; }

 private:
  static std::tuple<uint64_t, uint64_t, size_t> cost(const ShrunkSchedule& schedule) {
    return {schedule.preemptions, schedule.steps, schedule.schedule.choices.size()};
  }

  enum class Outcome { kFound, kExhausted, kOpen };
  static constexpr uint64_t kDfsFirstRuns = 1000;

  // Runs `strategy`'s executions until one fails the same way for less than
  // `best` (kFound, now in best), it has nothing left (kExhausted), or the
  // run count reaches `stop` or the budget (kOpen).
  Outcome search(Strategy& strategy, ShrunkSchedule& best, uint64_t stop) {
    stop = std::min(stop, options_.max_runs);
    for (;;) {
      if (runs_ >= stop || spent()) return Outcome::kOpen;
      if (!strategy.begin_execution(next_execution_++)) return Outcome::kExhausted;
      ++runs_;
      const ExecutionResult result = scheduler_.run(strategy, workload_);
      steps_ += result.steps;
      const ExecutionSpec spec = strategy.spec();
      strategy.end_execution(result.steps);
      if (!result.failure || !same_failure(target_, *result.failure)) continue;
      bool improved = false;
      // Re-run as written out, so `best` holds what its token replays.
      if (!attempt(*spec.schedule, best, improved)) return Outcome::kOpen;
      if (improved) return Outcome::kFound;
    }
  }

  Scheduler& scheduler_;
  absl::FunctionRef<void()> workload_;
  const Failure& target_;
  const ShrinkOptions& options_;
  bool spent() const { return runs_ >= options_.max_runs || steps_ >= options_.max_total_steps; }

  uint64_t runs_ = 0;
  uint64_t steps_ = 0;
  uint64_t next_execution_ = 0;
  // Whether the last run() failed the same way as the target.
  bool fails_ = false;
};

}  // namespace

bool same_failure(const Failure& target, const Failure& candidate) {
  if (target.kind != candidate.kind) return false;
  switch (target.kind) {
    case FailureKind::kAssertion:
      // The same check; its message may carry values that differ (a
      // linearizability witness, the numbers an EXPECT_EQ printed).
      if (!target.location.empty()) return target.location == candidate.location;
      return target.message == candidate.message;
    case FailureKind::kException:
    case FailureKind::kMisuse:
      return target.message == candidate.message;
    default:
      return true;
  }
}

ShrunkSchedule shrink_schedule(Scheduler& scheduler, absl::FunctionRef<void()> workload,
                               const ScheduleChoices& start, const Failure& target,
                               const ShrinkOptions& options) {
  // The start is always run: the result must describe a real run.
  ShrinkOptions budget = options;
  budget.max_runs = std::max<uint64_t>(options.max_runs, 1);
  budget.max_total_steps = std::max<uint64_t>(options.max_total_steps, 1);
  Shrinker shrinker(scheduler, workload, target, budget);
  std::optional<ShrunkSchedule> best = shrinker.run(start);
  WEFT_CHECK(best.has_value());
  if (shrinker.last_failed() && shrinker.local_search(*best)) {
    shrinker.search_smaller_bounds(*best);
  }
  best->runs = shrinker.runs();
  return *best;
}

}  // namespace weft::sim
