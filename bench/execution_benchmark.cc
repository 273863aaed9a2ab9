// Copyright 2026 The weft Authors.
//
// Whole executions per second under the simulator, each beside its floor.
//
// Goal: exploration speed is executions per second, so the issue sets two
// targets on the smallest interesting workload, "2 threads x 10 lock/unlock"
// (each of 2 weft::Thread does 10 times { std::scoped_lock l(m); ++counter; },
// the main thread joins both):
//  * at least 1,000,000 executions/s on one core, and
//  * within 4x of its floor: the bare fiber work one execution needs.
// Dining philosophers (5, ordered forks: examples::philosophers_fixed) is
// measured the same way, for context (no target of its own).
//
// Method:
//  * BM_Execution: one sim::Scheduler reused across executions, like
//    weft::explore; each benchmark iteration is one execution
//    (strategy->begin_execution(i), scheduler.run, strategy->end_execution),
//    with the PCT (d=3) and random strategies built by sim::make_strategy
//    from the same ExploreOptions weft::explore would use (seed 1).
//  * The floor: a counting pass (bench/counting_strategy.h) over the same
//    executions 0..N-1 counts per execution the decisions, the fiber switches
//    S (switching decisions + driver in + driver out) and the threads C. The
//    floor is C fiber creations (prepare + first switch in + exit) plus the
//    S - 2C switches left, timed with bench/bare_fibers.h half before and half
//    after the timed loop. The floor is switches only: a decision that keeps
//    the same thread running costs the floor nothing.
//  * BM_Explore: weft::explore(options) with options.iterations = K, the
//    public API with its per-call Scheduler and bookkeeping; its executions
//    per second beside the same floor, and (in the table) against
//    BM_Execution's rate.
//  * allocs: operator new calls per execution in the timed loop (this program
//    replaces the global operator new with a counting one).

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "bench/bare_fibers.h"
#include "bench/bench_summary.h"
#include "bench/bench_workloads.h"
#include "bench/counting_allocation.h"
#include "bench/counting_strategy.h"
#include "benchmark/benchmark.h"
#include "examples/workloads/catalogue.h"
#include "sim/scheduler/scheduler.h"
#include "sim/strategy/strategy.h"
#include "weft/weft.h"

namespace weft::bench {
namespace {

constexpr double kTargetMinExecutionsPerSecond = 1'000'000;
constexpr double kTargetMaxRatioToFloor = 4.0;
constexpr int kExploreIterations = 1000;

// ---- workloads ----------------------------------------------------------------

void philosophers() { examples::philosophers_fixed(); }

ExploreOptions options_for(weft::Strategy strategy, uint64_t iterations = 1000) {
  ExploreOptions options;
  options.strategy = strategy;
  options.iterations = iterations;
  options.seed = 1;
  options.pct_depth = 3;
  return options;
}

// Runs executions 0..count-1 of `options` with the counting wrapper.
ExecutionCounts count_executions(sim::Scheduler& scheduler, const ExploreOptions& options,
                                 void (*workload)(), uint64_t count) {
  std::unique_ptr<sim::Strategy> strategy = sim::make_strategy(options);
  CountingStrategy counting(*strategy);
  for (uint64_t index = 0; index < count; ++index) {
    counting.begin_execution(index);
    const sim::ExecutionResult result = scheduler.run(counting, workload);
    if (result.failure) ++counting.counts().failures;
    counting.end_execution(result.steps);
  }
  return counting.counts();
}

// The floor of one average execution, timed around a measurement: call
// before() and after() on either side of it.
class Floor {
 public:
  Floor(const ExecutionCounts& counts, uint64_t executions)
      : creations_(counts.fiber_creations()),
        plain_switches_(std::max(0.0, counts.fiber_switches() - 2 * counts.fiber_creations())),
        executions_(static_cast<double>(executions)) {}

  void before() { measure(); }
  void after() { measure(); }
  // Nanoseconds of bare fiber work one execution needs.
  double ns_per_execution() const {
    const double switch_ns = switch_ns_sum_ / rounds_;
    const double creation_ns = creation_ns_sum_ / rounds_;
    return plain_switches_ * switch_ns + creations_ * creation_ns;
  }
  double creations() const { return creations_; }
  double plain_switches() const { return plain_switches_; }

 private:
  void measure() {
    // Half the executions' worth of each on either side.
    switch_ns_sum_ +=
        fibers_.ns_per_switch(static_cast<uint64_t>(executions_ * plain_switches_ / 2) + 1000);
    creation_ns_sum_ +=
        fibers_.ns_per_creation(static_cast<uint64_t>(executions_ * creations_ / 2) + 100);
    ++rounds_;
  }

  BareFibers fibers_;
  const double creations_;
  const double plain_switches_;
  const double executions_;
  double switch_ns_sum_ = 0;
  double creation_ns_sum_ = 0;
  double rounds_ = 0;
};

void report(benchmark::State& state, const ExecutionCounts& counts, const Floor& floor,
            double executions, double elapsed_ns, uint64_t allocations_counted) {
  const double ns_per_execution = elapsed_ns / executions;
  state.counters["exec_per_s"] = 1e9 / ns_per_execution;
  state.counters["ns_per_exec"] = ns_per_execution;
  state.counters["floor_ns"] = floor.ns_per_execution();
  state.counters["ratio"] = ns_per_execution / floor.ns_per_execution();
  state.counters["decisions"] = counts.per_execution(counts.decisions);
  state.counters["switches"] = counts.fiber_switches();
  state.counters["threads"] = counts.fiber_creations();
  state.counters["ns_per_decision"] = ns_per_execution / counts.per_execution(counts.decisions);
  state.counters["allocs"] = static_cast<double>(allocations_counted) / executions;
}

// ---- benchmarks ---------------------------------------------------------------

void BM_Execution(benchmark::State& state, void (*workload)(), weft::Strategy kind) {
  const ExploreOptions options = options_for(kind);
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = options.max_steps});
  const auto executions = static_cast<uint64_t>(state.max_iterations);

  const ExecutionCounts counts = count_executions(scheduler, options, workload, executions);
  if (counts.failures > 0) {
    state.SkipWithError("the workload failed under simulation");
    return;
  }
  Floor floor(counts, executions);
  floor.before();

  std::unique_ptr<sim::Strategy> strategy = sim::make_strategy(options);
  uint64_t index = 0;
  const uint64_t allocations_before = allocation_count();
  const double started = now_ns();
  for (auto _ : state) {
    strategy->begin_execution(index++);
    const sim::ExecutionResult result = scheduler.run(*strategy, workload);
    strategy->end_execution(result.steps);
    benchmark::DoNotOptimize(result.schedule_hash);
  }
  const double elapsed = now_ns() - started;
  const uint64_t allocations_counted = allocation_count() - allocations_before;
  floor.after();
  report(state, counts, floor, static_cast<double>(executions), elapsed, allocations_counted);
}
BENCHMARK_CAPTURE(BM_Execution, two_by_ten_pct, &two_by_ten, weft::Strategy::kPct)->UseRealTime();
BENCHMARK_CAPTURE(BM_Execution, two_by_ten_random, &two_by_ten, weft::Strategy::kRandom)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Execution, philosophers_pct, &philosophers, weft::Strategy::kPct)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Execution, philosophers_random, &philosophers, weft::Strategy::kRandom)
    ->UseRealTime();

// One iteration: weft::explore with options.iterations = K.
void BM_Explore(benchmark::State& state, void (*workload)(), weft::Strategy kind) {
  const auto iterations = static_cast<uint64_t>(state.range(0));
  const ExploreOptions options = options_for(kind, iterations);
  // Every explore call runs executions 0..K-1 again; count them once.
  ExecutionCounts counts;
  {
    sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = options.max_steps});
    counts = count_executions(scheduler, options, workload, iterations);
  }
  if (counts.failures > 0) {
    state.SkipWithError("the workload failed under simulation");
    return;
  }
  const double executions =
      static_cast<double>(state.max_iterations) * static_cast<double>(iterations);
  Floor floor(counts, static_cast<uint64_t>(executions));
  floor.before();

  const uint64_t allocations_before = allocation_count();
  const double started = now_ns();
  for (auto _ : state) {
    const Report result = weft::explore(options, workload);
    if (!result.ok()) {
      state.SkipWithError("explore reported a failure");
      return;
    }
    benchmark::DoNotOptimize(result.stats().steps);
  }
  const double elapsed = now_ns() - started;
  const uint64_t allocations_counted = allocation_count() - allocations_before;
  floor.after();
  report(state, counts, floor, executions, elapsed, allocations_counted);
}
BENCHMARK_CAPTURE(BM_Explore, two_by_ten_pct, &two_by_ten, weft::Strategy::kPct)
    ->Arg(kExploreIterations)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Explore, two_by_ten_random, &two_by_ten, weft::Strategy::kRandom)
    ->Arg(kExploreIterations)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Explore, philosophers_pct, &philosophers, weft::Strategy::kPct)
    ->Arg(kExploreIterations)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Explore, philosophers_random, &philosophers, weft::Strategy::kRandom)
    ->Arg(kExploreIterations)
    ->UseRealTime();

// ---- the table ----------------------------------------------------------------

std::string floor_text(const Results& results, const std::string& name) {
  const auto floor = results.counter(name, "floor_ns");
  const auto switches = results.counter(name, "switches");
  const auto threads = results.counter(name, "threads");
  const auto decisions = results.counter(name, "decisions");
  if (!floor || !switches || !threads || !decisions) return "?";
  return format("floor %.0f ns (%.1f sw, %.0f fibers; %.1f decisions)", *floor, *switches, *threads,
                *decisions);
}

void summarize(const Results& results, Summary& summary) {
  struct Case {
    const char* key;
    const char* label;
    bool targeted;
  };
  const Case cases[] = {
      {"two_by_ten_pct", "2x10 lock/unlock, pct", true},
      {"two_by_ten_random", "2x10 lock/unlock, random", true},
      {"philosophers_pct", "philosophers 5, pct", false},
      {"philosophers_random", "philosophers 5, random", false},
  };
  for (const Case& c : cases) {
    const std::string direct = format("BM_Execution/%s/real_time", c.key);
    const std::string via_explore = format("BM_Explore/%s/%d/real_time", c.key, kExploreIterations);
    const auto direct_rate = results.counter(direct, "exec_per_s");
    const auto direct_ratio = results.counter(direct, "ratio");
    const std::string direct_figure = std::string(c.label) + ": Scheduler::run";
    if (direct_rate && direct_ratio) {
      const std::string ratio_note = format("%.2fx floor", *direct_ratio);
      if (c.targeted) {
        summary.rate_at_least(direct_figure + " exec/s", *direct_rate, "(one core)", "",
                              kTargetMinExecutionsPerSecond);
        summary.ratio_at_most(direct_figure + " vs floor", Summary::rate_text(*direct_rate),
                              floor_text(results, direct), *direct_ratio, kTargetMaxRatioToFloor);
      } else {
        summary.info(direct_figure + " vs floor", Summary::rate_text(*direct_rate),
                     floor_text(results, direct), format("%.2fx", *direct_ratio), "(no target)");
      }
    } else {
      summary.missing(direct_figure);
    }
    const auto explore_rate = results.counter(via_explore, "exec_per_s");
    const auto explore_ratio = results.counter(via_explore, "ratio");
    const std::string explore_figure =
        format("%s: weft::explore(iterations=%d)", c.label, kExploreIterations);
    if (explore_rate && explore_ratio) {
      summary.info(explore_figure + " vs floor", Summary::rate_text(*explore_rate),
                   floor_text(results, via_explore), format("%.2fx", *explore_ratio),
                   "(no target)");
      if (direct_rate) {
        summary.info(explore_figure + " vs Scheduler::run", Summary::rate_text(*explore_rate),
                     Summary::rate_text(*direct_rate) + " Scheduler::run",
                     format("%.2fx time", *direct_rate / *explore_rate), "(API overhead)");
      }
    } else {
      summary.missing(explore_figure);
    }
  }
}

}  // namespace
}  // namespace weft::bench

WEFT_BENCH_MAIN(weft::bench::summarize, "execution_benchmark");
