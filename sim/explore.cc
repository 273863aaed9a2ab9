// Copyright 2026 The weft Authors.
//
// weft::explore() and weft::replay(): the loop over executions, and the
// determinism check every failure passes before it is reported.

#include "weft/explore.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "sim/limits.h"
#include "sim/scheduler/scheduler.h"
#include "sim/shrink/shrink.h"
#include "sim/strategy/departure_recorder.h"
#include "sim/strategy/strategy.h"
#include "sim/trace/chrome_trace.h"
#include "sim/trace/diagram.h"
#include "sim/trace/event_log.h"
#include "weft/internal/check.h"
#include "weft/internal/prng.h"

namespace weft {
namespace {

Report invalid_argument(std::string message) {
  Report report;
  Failure failure;
  failure.kind = FailureKind::kInvalidArgument;
  failure.message = std::move(message);
  report.set_failure(std::move(failure));
  report.set_context("nothing was run");
  return report;
}

absl::Status validate(const ExploreOptions& options) {
  if (options.iterations == 0 || options.iterations > sim::kIterationsMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ExploreOptions::iterations = %d; it must be in [1, %d]",
                        options.iterations, sim::kIterationsMax));
  }
  if (options.max_steps == 0 || options.max_steps > sim::kStepsMaxCeiling) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ExploreOptions::max_steps = %d; it must be in [1, %d]", options.max_steps,
                        sim::kStepsMaxCeiling));
  }
  if (options.pct_depth < 1 || options.pct_depth > sim::kPctDepthMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ExploreOptions::pct_depth = %d; it must be in [1, %d]", options.pct_depth,
                        sim::kPctDepthMax));
  }
  if (options.preemption_bound < 0 || options.preemption_bound > sim::kPreemptionBoundMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("ExploreOptions::preemption_bound = %d; it must be in [0, %d]",
                        options.preemption_bound, sim::kPreemptionBoundMax));
  }
  if (options.time_budget && options.time_budget->count() <= 0) {
    return absl::InvalidArgumentError("ExploreOptions::time_budget must be positive");
  }
  return absl::OkStatus();
}

// Replays `spec` and compares it with the run being reported. Returns a
// kNonDeterministic failure if they differ. `departures` receives the run as
// a written-out schedule (for shrinking).
std::optional<Failure> check_replays(sim::Scheduler& scheduler, const ExecutionSpec& spec,
                                     const sim::ExecutionResult& first,
                                     const std::vector<sim::ThreadId>& first_schedule,
                                     absl::FunctionRef<void()> workload,
                                     std::vector<ScheduleChoice>& departures) {
  std::unique_ptr<sim::Strategy> replaying = sim::make_replay_strategy(spec);
  sim::DepartureRecorder strategy(*replaying);
  WEFT_CHECK(strategy.begin_execution(spec.execution));
  const sim::ExecutionResult again = scheduler.run(strategy, workload);
  departures = strategy.departures();
  const bool same_failure = again.failure.has_value() == first.failure.has_value() &&
                            (!again.failure || again.failure->kind == first.failure->kind);
  if (same_failure && again.schedule_hash == first.schedule_hash) return std::nullopt;

  const std::vector<sim::ThreadId>& second = *again.schedule;
  const auto mismatch =
      std::mismatch(first_schedule.begin(), first_schedule.end(), second.begin(), second.end());
  const size_t diverged = static_cast<size_t>(mismatch.first - first_schedule.begin());
  Failure failure;
  failure.kind = FailureKind::kNonDeterministic;
  failure.step = diverged;
  failure.message = absl::StrFormat(
      "the failure did not replay: the workload depends on something outside weft (the real "
      "clock, std::rand, memory shared without weft primitives, global state left by an "
      "earlier execution)");
  std::string first_pick = mismatch.first == first_schedule.end()
                               ? "ended"
                               : absl::StrFormat("picked thread %d", *mismatch.first);
  std::string second_pick = mismatch.second == second.end()
                                ? "ended"
                                : absl::StrFormat("picked thread %d", *mismatch.second);
  failure.details = absl::StrFormat(
      "the runs diverge at decision %d: the first run %s, the replay %s\n"
      "first run: %s after %d decisions; replay: %s after %d decisions\n",
      diverged, first_pick, second_pick,
      first.failure ? failure_kind_name(first.failure->kind) : "ok", first.steps,
      again.failure ? failure_kind_name(again.failure->kind) : "ok", again.steps);
  if (first.failure) failure.details += "original failure: " + first.failure->message + "\n";
  return failure;
}

// 1204 -> "1,204".
std::string grouped(uint64_t number) {
  const std::string digits = absl::StrCat(number);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string context_line(const ExecutionSpec& spec, uint64_t iterations,
                         const sim::Strategy& strategy) {
  return absl::StrFormat("execution %s of %s; strategy %s", grouped(spec.execution + 1),
                         grouped(iterations), strategy.describe());
}

uint64_t data_seed_of(const ExecutionSpec& spec) {
  return spec.schedule ? spec.schedule->data_seed : internal::data_seed(spec.seed, spec.execution);
}

// Shrinks the failing schedule `start` and puts the result in `report`,
// after checking that its token replays it.
void shrink_into(Report& report, sim::Scheduler& scheduler, absl::FunctionRef<void()> workload,
                 ScheduleChoices start, const Failure& failure, uint64_t max_runs,
                 uint64_t max_steps) {
  const sim::ShrunkSchedule shrunk =
      sim::shrink_schedule(scheduler, workload, start, failure,
                           sim::ShrinkOptions{.max_runs = max_runs, .max_steps = max_steps});
  ExecutionSpec spec;
  spec.max_steps = max_steps;
  spec.schedule = shrunk.schedule;
  const std::string token = encode_repro_token(spec);
  std::unique_ptr<sim::Strategy> replaying = sim::make_replay_strategy(spec);
  WEFT_CHECK(replaying->begin_execution(0));
  const sim::ExecutionResult again = scheduler.run(*replaying, workload);
  if (!again.failure || !sim::same_failure(failure, *again.failure) ||
      again.schedule_hash != shrunk.schedule_hash) {
    // The shrunk schedule did not replay from its token: report the
    // schedule as found (its token replays; check_replays said so).
    return;
  }
  ShrinkSummary summary;
  summary.preemptions_before = report.preemptions();
  summary.steps_before = report.failure()->step;
  summary.runs = shrunk.runs + 1;
  summary.minimal = shrunk.minimal_preemptions;
  report.set_failure(shrunk.failure);
  report.set_schedule(shrunk.decisions, shrunk.schedule_hash, shrunk.preemptions);
  report.set_repro(token);
  report.set_shrink(summary);
}

constexpr size_t kTraceEventsMax = 200'000;

// A file name from a test name: anything but [A-Za-z0-9._-] becomes '_'.
std::string file_name_for(std::string_view name) {
  std::string out = name.empty() ? std::string("weft") : std::string(name);
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!plain) c = '_';
  }
  return out;
}

// Writes `json` to <dir>/<name>.trace.json. Returns the path, or a note
// saying why it could not.
std::string write_trace(const std::string& dir, std::string_view name, const std::string& json) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::StrFormat("not written: cannot create %s: %s", dir, error.message());
  const std::filesystem::path path =
      std::filesystem::path(dir) / (file_name_for(name) + ".trace.json");
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << json;
  file.close();
  if (!file) return absl::StrFormat("not written: cannot write %s", path.string());
  return path.string();
}

// Runs the reported execution once more with the event log on, and puts
// its picture in the report: the diagram, and the trace file if asked for.
// A run that does not match the report (it should: the token replayed)
// adds nothing.
void draw_failure(Report& report, absl::FunctionRef<void()> workload, const std::string& trace_dir,
                  std::string_view trace_name) {
  if (report.ok() || report.repro().empty()) return;
  const FailureKind kind = report.failure()->kind;
  if (kind == FailureKind::kInvalidArgument || kind == FailureKind::kNonDeterministic) return;
  absl::StatusOr<ExecutionSpec> spec = decode_repro_token(report.repro());
  if (!spec.ok()) return;
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = spec->max_steps});
  sim::EventLog log;
  // ~170 bytes of JSON an event: a step-limit failure would otherwise write
  // ~170 MB. The diagram says when the log stopped short.
  log.events_max = kTraceEventsMax;
  scheduler.set_event_log(&log);
  std::unique_ptr<sim::Strategy> strategy = sim::make_replay_strategy(*spec);
  WEFT_CHECK(strategy->begin_execution(spec->execution));
  const sim::ExecutionResult result = scheduler.run(*strategy, workload);
  if (result.schedule_hash != report.schedule_hash()) return;
  report.set_diagram(sim::interleaving_diagram(log));
  if (!trace_dir.empty()) {
    report.set_trace_file(
        write_trace(trace_dir, trace_name, sim::chrome_trace_json(log, trace_name)));
  }
}

}  // namespace

Report explore(const ExploreOptions& options, absl::FunctionRef<void()> workload) {
  if (absl::Status valid = validate(options); !valid.ok()) {
    return invalid_argument(std::string(valid.message()));
  }
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = options.max_steps});
  std::unique_ptr<sim::Strategy> strategy = sim::make_strategy(options);
  // Wall time only bounds how many executions run; no decision depends on it.
  const absl::Time started = absl::Now();
  const std::optional<absl::Time> give_up_at =
      options.time_budget
          ? std::optional<absl::Time>(started + absl::FromChrono(*options.time_budget))
          : std::nullopt;
  absl::flat_hash_set<uint64_t> distinct_schedules;
  Report report;
  report.set_replay_command(options.replay_command);
  Stats& stats = report.mutable_stats();

  for (uint64_t index = 0; index < options.iterations; ++index) {
    if (give_up_at && absl::Now() >= *give_up_at) break;
    if (!strategy->begin_execution(index)) break;
    const sim::ExecutionResult result = scheduler.run(*strategy, workload);
    strategy->end_execution(result.steps);
    ++stats.executions;
    stats.steps += result.steps;
    distinct_schedules.insert(result.schedule_hash);
    if (!result.failure) continue;

    const ExecutionSpec spec = strategy->spec();
    WEFT_CHECK_EQ(spec.execution, index);
    std::vector<sim::ThreadId> schedule = *result.schedule;
    report.set_context(context_line(spec, options.iterations, *strategy));
    report.set_repro(encode_repro_token(spec));
    report.set_failure(*result.failure);
    report.set_schedule(schedule, result.schedule_hash, result.preemptions);
    if (!options.verify_replay) break;
    std::vector<ScheduleChoice> departures;
    if (std::optional<Failure> divergence =
            check_replays(scheduler, spec, result, schedule, workload, departures)) {
      report.set_failure(*std::move(divergence));
      break;
    }
    if (options.shrink) {
      shrink_into(report, scheduler, workload, ScheduleChoices{data_seed_of(spec), departures},
                  *result.failure, options.shrink_max_runs, spec.max_steps);
    }
    break;
  }
  stats.distinct_schedules = distinct_schedules.size();
  stats.wall_seconds = absl::ToDoubleSeconds(absl::Now() - started);
  if (report.ok()) {
    report.set_context(absl::StrFormat("strategy %s", strategy->describe()));
  }
  draw_failure(report, workload, options.trace_dir, options.trace_name);
  return report;
}

Report replay(std::string_view token, absl::FunctionRef<void()> workload,
              std::string replay_command) {
  ExploreOptions options;
  options.replay_command = std::move(replay_command);
  return replay(token, workload, options);
}

Report replay(std::string_view token, absl::FunctionRef<void()> workload,
              const ExploreOptions& options) {
  absl::StatusOr<ExecutionSpec> spec = decode_repro_token(token);
  if (!spec.ok()) return invalid_argument(std::string(spec.status().message()));
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = spec->max_steps});
  std::unique_ptr<sim::Strategy> strategy = sim::make_replay_strategy(*spec);
  WEFT_CHECK(strategy->begin_execution(spec->execution));
  const absl::Time started = absl::Now();
  const sim::ExecutionResult result = scheduler.run(*strategy, workload);

  Report report;
  report.set_replay_command(options.replay_command);
  report.set_context(spec->schedule ? absl::StrFormat("replay of a %s", strategy->describe())
                                    : absl::StrFormat("replay of execution %d; strategy %s",
                                                      spec->execution + 1, strategy->describe()));
  report.set_repro(std::string(token));
  if (result.failure) report.set_failure(*result.failure);
  report.set_schedule(*result.schedule, result.schedule_hash, result.preemptions);
  Stats& stats = report.mutable_stats();
  stats.executions = 1;
  stats.distinct_schedules = 1;
  stats.steps = result.steps;
  stats.wall_seconds = absl::ToDoubleSeconds(absl::Now() - started);
  draw_failure(report, workload, options.trace_dir, options.trace_name);
  return report;
}

Report shrink(const Report& failing, absl::FunctionRef<void()> workload,
              const ExploreOptions& options) {
  if (failing.ok() || failing.failure()->kind == FailureKind::kInvalidArgument ||
      failing.failure()->kind == FailureKind::kNonDeterministic || failing.shrink()) {
    return failing;
  }
  absl::StatusOr<ExecutionSpec> spec = decode_repro_token(failing.repro());
  if (!spec.ok()) return failing;
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = spec->max_steps});
  std::unique_ptr<sim::Strategy> replaying = sim::make_replay_strategy(*spec);
  sim::DepartureRecorder recorder(*replaying);
  WEFT_CHECK(recorder.begin_execution(spec->execution));
  const sim::ExecutionResult again = scheduler.run(recorder, workload);
  if (!again.failure || !sim::same_failure(*failing.failure(), *again.failure) ||
      again.schedule_hash != failing.schedule_hash()) {
    return failing;  // Not this workload's failure, or it does not replay.
  }
  Report report = failing;
  shrink_into(report, scheduler, workload,
              ScheduleChoices{data_seed_of(*spec), recorder.departures()}, *again.failure,
              options.shrink_max_runs, spec->max_steps);
  report.set_diagram("");
  report.set_trace_file("");
  draw_failure(report, workload, options.trace_dir, options.trace_name);
  return report;
}

}  // namespace weft
