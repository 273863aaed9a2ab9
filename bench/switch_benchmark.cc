// Copyright 2026 The weft Authors.
//
// A simulated context switch against a bare fiber switch of the same
// mechanism.
//
// Goal: the simulator's price for one scheduling point that switches threads
// (the strategy's pick, the step count, the schedule record, the bookkeeping
// of the primitive, the switch) should stay within 2x of the switch alone
// (issue target: simulated switch <= 2x the bare switch).
//
// Method:
//  * Bare: the driver and one weft::sim::Fiber ping-pong through
//    Fiber::switch_to; one switch is one direction (bench/bare_fibers.h).
//  * Simulated: a workload of 2 weft::Thread each doing N weft::yield() (or
//    N weft::Atomic<int>::load()) runs under sim::Scheduler with
//    AlternatingStrategy, which always picks another thread, so every
//    scheduling point switches. One benchmark iteration is one execution; the
//    figure is the execution's time over its switching scheduling points
//    (setup, 3 thread creations and the joins are included, ~0.5% at N=1000).
//  * Each simulated benchmark times the bare switch itself, half just before
//    and half just after its timed loop, and reports the ratio as a counter;
//    the table at the end shows the median ratio with the target.

#include <cstdint>
#include <span>
#include <string>

#include "bench/bare_fibers.h"
#include "bench/bench_summary.h"
#include "bench/bench_workloads.h"
#include "bench/counting_strategy.h"
#include "benchmark/benchmark.h"
#include "sim/scheduler/scheduler.h"
#include "sim/strategy/strategy.h"
#include "weft/weft.h"

namespace weft::bench {
namespace {

constexpr double kTargetMaxRatio = 2.0;
constexpr int kOperationsPerThread = 1000;

void yield_workload(int operations) {
  auto body = [operations] {
    for (int index = 0; index < operations; ++index) weft::yield();
  };
  weft::Thread first(body);
  weft::Thread second(body);
  first.join();
  second.join();
}

void atomic_load_workload(int operations) {
  weft::Atomic<int> value{0};
  auto body = [&value, operations] {
    for (int index = 0; index < operations; ++index) benchmark::DoNotOptimize(value.load());
  };
  weft::Thread first(body);
  weft::Thread second(body);
  first.join();
  second.join();
}

// The floor on its own: ns per one-way Fiber::switch_to.
void BM_BareFiberSwitch(benchmark::State& state) {
  BareFibers fibers;
  const double started = now_ns();
  for (auto _ : state) fibers.switches(2);
  const double elapsed = now_ns() - started;
  state.counters["ns_per_switch"] = elapsed / (2.0 * static_cast<double>(state.iterations()));
}
BENCHMARK(BM_BareFiberSwitch)->UseRealTime();

void BM_SimulatedSwitch(benchmark::State& state, void (*workload)(int)) {
  const int operations = static_cast<int>(state.range(0));
  auto body = [&] { workload(operations); };
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  AlternatingStrategy strategy;

  // Every execution is the same; count one (it also warms the fibers).
  CountingStrategy counting(strategy);
  counting.begin_execution(0);
  const sim::ExecutionResult counted = scheduler.run(counting, body);
  counting.end_execution(counted.steps);
  if (counted.failure) {
    state.SkipWithError(("workload failed: " + counted.failure->message).c_str());
    return;
  }
  const ExecutionCounts counts = counting.counts();
  const auto switching_points = static_cast<double>(counts.switching_decisions);

  BareFibers bare;
  const auto bare_count =
      static_cast<uint64_t>(static_cast<double>(state.max_iterations) * switching_points / 2);
  const double bare_before = bare.ns_per_switch(bare_count);

  uint64_t index = 1;
  const double started = now_ns();
  for (auto _ : state) {
    strategy.begin_execution(index++);
    const sim::ExecutionResult result = scheduler.run(strategy, body);
    benchmark::DoNotOptimize(result.steps);
  }
  const double elapsed = now_ns() - started;
  const double bare_after = bare.ns_per_switch(bare_count);

  const double simulated_ns =
      elapsed / (static_cast<double>(state.iterations()) * switching_points);
  const double bare_ns = (bare_before + bare_after) / 2;
  state.counters["decisions"] = static_cast<double>(counts.decisions);
  state.counters["switch_points"] = switching_points;
  state.counters["sim_ns"] = simulated_ns;
  state.counters["bare_ns"] = bare_ns;
  state.counters["ratio"] = simulated_ns / bare_ns;
}
BENCHMARK_CAPTURE(BM_SimulatedSwitch, yield, &yield_workload)
    ->Arg(kOperationsPerThread)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_SimulatedSwitch, atomic_load, &atomic_load_workload)
    ->Arg(kOperationsPerThread)
    ->UseRealTime();

void summarize(const Results& results, Summary& summary) {
  const std::string bare_name = "BM_BareFiberSwitch/real_time";
  const std::optional<double> bare_alone = results.counter(bare_name, "ns_per_switch");
  if (bare_alone) {
    summary.info("bare fiber switch (own benchmark)", Summary::ns_text(*bare_alone), "", "",
                 "(the baseline)");
  } else {
    summary.missing("bare fiber switch (own benchmark)");
  }
  for (const char* kind : {"yield", "atomic_load"}) {
    const std::string name =
        format("BM_SimulatedSwitch/%s/%d/real_time", kind, kOperationsPerThread);
    const std::string figure =
        format("simulated switch, 2 threads x %d %s", kOperationsPerThread, kind);
    const std::optional<double> simulated = results.counter(name, "sim_ns");
    const std::optional<double> bare = results.counter(name, "bare_ns");
    const std::optional<double> ratio = results.counter(name, "ratio");
    if (!simulated || !bare || !ratio) {
      summary.missing(figure);
      continue;
    }
    summary.ratio_at_most(figure, Summary::ns_text(*simulated),
                          Summary::ns_text(*bare) + " bare switch", *ratio, kTargetMaxRatio);
  }
}

}  // namespace
}  // namespace weft::bench

WEFT_BENCH_MAIN(weft::bench::summarize, "switch_benchmark");
