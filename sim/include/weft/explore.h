// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: explore.h
// -----------------------------------------------------------------------------
//
// weft::explore() runs a workload many times under the deterministic
// simulator, one seeded schedule per execution, and reports the first failure
// it finds; weft::replay() re-runs exactly one execution from the token that
// report printed.
//
//   void bank_workload() {
//     weft::Mutex a{"a"}, b{"b"};
//     weft::Thread t1("t1", [&] { std::scoped_lock l1(a); std::scoped_lock l2(b); });
//     weft::Thread t2("t2", [&] { std::scoped_lock l1(b); std::scoped_lock l2(a); });
//     t1.join();
//     t2.join();
//   }
//
//   weft::ExploreOptions options;
//   options.strategy = weft::Strategy::kPct;
//   options.iterations = 10'000;
//   weft::Report report = weft::explore(options, bank_workload);
//   // report.failure()->kind == weft::FailureKind::kDeadlock
//   weft::Report again = weft::replay(report.repro(), bank_workload);
//   // the same failure, the same schedule_hash()
//
// Determinism: the same workload binary and the same token give the same
// scheduling decisions, virtual times, failure and schedule hash. A workload
// that reads the real clock, calls std::rand, or shares memory outside weft's
// primitives across threads may not; before a failure is reported it is
// replayed once, and if that differs the report says so (kNonDeterministic)
// with the first decision where the runs diverged.
//
// Call from an OS thread with no simulation running on it. Different OS
// threads may explore concurrently.

#ifndef WEFT_EXPLORE_H_
#define WEFT_EXPLORE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "weft/report.h"

namespace weft {

// A scheduling strategy. Names round-trip through strategy_name() and
// parse_strategy(); they appear in tokens and in WEFT_STRATEGY.
enum class Strategy {
  // "random": at every decision, each runnable thread is equally likely.
  kRandom,
  // "pct": probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010):
  // random thread priorities, the highest runnable runs, and pct_depth - 1
  // random decisions lower the running thread's priority. Finds any bug of
  // depth d with probability >= 1 / (n * k^(d-1)).
  kPct,
  // "dfs": every schedule with at most ExploreOptions::preemption_bound
  // preemptions, depth first (iterative context bounding, as in CHESS):
  // exhaustive for small workloads, then it stops. Without preemptions a
  // thread runs until it blocks, finishes or yields, and the next one is
  // chosen among all runnable threads.
  kDfs,
};

std::string_view strategy_name(Strategy strategy);
absl::StatusOr<Strategy> parse_strategy(std::string_view name);

struct ExploreOptions {
  Strategy strategy = Strategy::kPct;
  // Executions to run (fewer if a failure is found or time_budget runs out).
  uint64_t iterations = 1000;
  // Execution i runs with a seed derived from (seed, i).
  uint64_t seed = 1;
  // PCT's depth d: bugs needing up to d - 1 preemptions at the right places.
  int pct_depth = 3;
  // Scheduling decisions allowed in one execution; more is a kStepLimit
  // failure (a livelock, or a loop that never blocks).
  uint64_t max_steps = 1'000'000;
  // Wall-clock budget for the whole exploration; no limit if unset. Stops
  // between executions, never changes what an execution does.
  std::optional<std::chrono::milliseconds> time_budget;
  // Replay a failure once before reporting it, to check determinism.
  bool verify_replay = true;
  // kDfs: schedules with more preemptions than this are not explored.
  int preemption_bound = 2;
  // After a failure, look for a schedule that fails the same way with fewer
  // preemptions, then fewer steps, and report that one (see weft::shrink()
  // below). At most shrink_max_runs executions are spent on it.
  bool shrink = true;
  uint64_t shrink_max_runs = 20'000;
  // A failure's trace file (Chrome trace-event JSON, for Perfetto or
  // chrome://tracing) goes into this directory, created if missing, as
  // <trace_name>.trace.json; none if empty.
  std::string trace_dir;
  std::string trace_name = "weft";
  // Printed after "WEFT_REPLAY=<token>" in the report's replay line.
  std::string replay_command;
};

// weft::explore()
//
// Runs `workload` up to options.iterations times under the simulator. Stops at
// the first failure. Invalid options give a kInvalidArgument failure naming the
// field.
Report explore(const ExploreOptions& options, absl::FunctionRef<void()> workload);

// weft::replay()
//
// Runs the one execution that `token` (Report::repro()) names. A malformed or
// foreign token gives a kInvalidArgument failure saying what is wrong with it;
// never a different run.
Report replay(std::string_view token, absl::FunctionRef<void()> workload,
              std::string replay_command = "");
// The same, with the replay command, trace_dir and trace_name taken from
// `options` (the rest of it is ignored: the token fixes the execution).
Report replay(std::string_view token, absl::FunctionRef<void()> workload,
              const ExploreOptions& options);

// One departure from the default schedule: when thread (or task) `decider`
// reaches its `index`-th scheduling decision (0-based, counting the decisions
// made while it was the one running), run `next`. The default is: the running
// thread goes on; if it blocked, finished or yielded, the next runnable id
// after it (wrapping around). A schedule is the list of its departures, so a
// schedule with few preemptions has a short description.
struct ScheduleChoice {
  uint32_t decider = 0;
  uint32_t index = 0;
  uint32_t next = 0;
  friend bool operator==(const ScheduleChoice&, const ScheduleChoice&) = default;
};

// A schedule written out rather than drawn from a seed: what a shrunk
// schedule, or one the kDfs strategy found, replays from.
struct ScheduleChoices {
  // Seeds weft::random's data (not the schedule).
  uint64_t data_seed = 0;
  // In the order the decisions happen.
  std::vector<ScheduleChoice> choices;
};

// weft::shrink()
//
// The failure in `failing` (from explore() or replay() of this workload) on
// the shortest schedule the shrinker finds: fewest preemptions, then fewest
// steps (ExploreOptions::shrink_max_runs bounds the effort). Returns
// `failing` unchanged if there is nothing to shrink: no failure, already
// shrunk, or a token that does not replay this workload's failure.
Report shrink(const Report& failing, absl::FunctionRef<void()> workload,
              const ExploreOptions& options);

// Everything that determines one execution; what a replay token encodes.
struct ExecutionSpec {
  Strategy strategy = Strategy::kPct;
  uint64_t seed = 1;
  uint64_t execution = 0;
  uint64_t max_steps = 1'000'000;
  int pct_depth = 3;
  // PCT's estimate k of the execution length, used to place change points.
  uint64_t pct_steps_estimate = 0;
  // If set, the execution follows this schedule; strategy, seed, execution
  // and the PCT fields are then not part of the token.
  std::optional<ScheduleChoices> schedule;
};


// weft::encode_repro_token() / weft::decode_repro_token()
//
// "weft1:pct:d=3:k=57:steps=1000000:seed=42:exec=1204:sum=3f0a", or for a
// written-out schedule "weft1:sched:steps=1000000:data=77:picks=0.3@1,1.2@2:sum=…"
// (each pick is decider.index@next). The sum catches truncation and edits. decode returns InvalidArgument naming the
// problem (format version, strategy, field, number, checksum).
std::string encode_repro_token(const ExecutionSpec& spec);
absl::StatusOr<ExecutionSpec> decode_repro_token(std::string_view token);

}  // namespace weft

#endif  // WEFT_EXPLORE_H_
