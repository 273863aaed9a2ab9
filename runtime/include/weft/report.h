// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: report.h
// -----------------------------------------------------------------------------
//
// weft::Report is the outcome of running a workload: by `weft::explore` or
// `weft::replay` under simulation (weft/explore.h), or by `weft::run_real` on
// OS threads. It holds the first failure found, if any, with everything needed
// to understand and reproduce it, and statistics about the run.
//
//   weft::Report report = weft::explore(options, workload);
//   if (!report.ok()) {
//     std::cerr << report.to_string();            // what went wrong, and how to replay
//     weft::Report again = weft::replay(report.repro(), workload);
//   }
//
// A Report is a value; it is not thread-safe to mutate, safe to read anywhere.

#ifndef WEFT_REPORT_H_
#define WEFT_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft {

// What kind of bug a failure is. Names are stable; they appear in reports.
enum class FailureKind {
  kDeadlock,          // No thread can run, some have not finished.
  kAssertion,         // A WEFT_ASSERT failed.
  kException,         // An exception escaped a thread.
  kStepLimit,         // More scheduling decisions than ExploreOptions::max_steps.
  kLeakedThread,      // A thread was never joined (or outlived the workload).
  kLeakedProcess,     // A child process was never waited for (an unreaped child).
  kProcessFailed,     // A process ended with a status nobody expected (Process::join).
  kMisuse,            // Unlocking a mutex one does not hold, and the like.
  kNonDeterministic,  // The failure did not replay identically.
  kInvalidArgument,   // Not a workload bug: bad options or a malformed replay token.
};

// "DEADLOCK", "ASSERTION FAILED", ... as printed in a report's first line.
std::string_view failure_kind_name(FailureKind kind);

struct Failure {
  FailureKind kind = FailureKind::kAssertion;
  // One line: what went wrong, with the user's source location.
  std::string message;
  // Further lines (a deadlock's wait-for cycle, a divergence), each ending '\n'.
  std::string details;
  // For a failed check (WEFT_ASSERT, a gtest assertion): its file:line.
  // Shrinking keeps a failure at the same check, whatever its message says.
  std::string location;
  // The thread the failure was detected in (for a deadlock: the last to block).
  uint32_t thread_id = 0;
  std::string thread_name;
  // Scheduling decisions made before the failure.
  uint64_t step = 0;
};

struct Stats {
  uint64_t executions = 0;          // Executions run (including the failing one).
  uint64_t distinct_schedules = 0;  // Distinct schedule hashes among them.
  uint64_t steps = 0;               // Scheduling decisions, summed.
  double wall_seconds = 0;
  double steps_per_second() const { return wall_seconds > 0 ? steps / wall_seconds : 0; }
};

// How the reported schedule was shrunk (ExploreOptions::shrink).
struct ShrinkSummary {
  // The schedule as the explorer found it.
  uint64_t preemptions_before = 0;
  uint64_t steps_before = 0;
  // Executions the shrinker ran.
  uint64_t runs = 0;
  // Every smaller preemption bound was searched to the end: the reported
  // schedule has the fewest preemptions of any that fails this way.
  bool minimal = false;
};

class Report {
 public:
  // Report::ok()
  //
  // True if no failure was found.
  bool ok() const { return !failure_.has_value(); }

  // Report::failure()
  //
  // The first failure found, or nullptr.
  const Failure* failure() const { return failure_ ? &*failure_ : nullptr; }

  // Report::repro()
  //
  // The replay token of the failing execution ("" if ok() or a real run).
  // Pass it to weft::replay(), or set WEFT_REPLAY=<token> for a WEFT_TEST.
  const std::string& repro() const { return repro_; }

  // Report::trace()
  //
  // The schedule of the failing execution (or of the last one if ok()): the
  // id of the thread picked at each scheduling decision.
  const std::vector<uint32_t>& trace() const { return schedule_; }
  // A hash of trace(); equal schedules have equal hashes.
  uint64_t schedule_hash() const { return schedule_hash_; }
  // Decisions in trace() that switched away from a thread that could go on.
  uint64_t preemptions() const { return preemptions_; }

  const Stats& stats() const { return stats_; }

  // Report::trace_file()
  //
  // The failing execution as a Chrome trace-event JSON file (open it in
  // https://ui.perfetto.dev or chrome://tracing), if one was written
  // (ExploreOptions::trace_dir); "" otherwise.
  const std::string& trace_file() const { return trace_file_; }

  // Report::diagram()
  //
  // The last steps of the failing execution drawn for a terminal: one
  // column per thread or task, blocked waits marked. Part of to_string().
  const std::string& diagram() const { return diagram_; }

  // Report::shrink()
  //
  // Set if the failing schedule was shrunk: trace(), preemptions() and
  // repro() then describe the shrunk schedule, this the one found first.
  const std::optional<ShrinkSummary>& shrink() const { return shrink_; }

  // Report::to_string()
  //
  // The multi-line report shown to users: the headline, the failure's
  // details, the schedule, and the replay line (built from replay_command(),
  // e.g. "WEFT_REPLAY=<token> ./bank_test --gtest_filter=Bank.Transfers").
  std::string to_string() const;

  // ---- building a report (used by the runtimes) ----
  void set_failure(Failure failure) { failure_ = std::move(failure); }
  void set_repro(std::string token) { repro_ = std::move(token); }
  void set_schedule(std::vector<uint32_t> schedule, uint64_t hash, uint64_t preemptions) {
    schedule_ = std::move(schedule);
    schedule_hash_ = hash;
    preemptions_ = preemptions;
  }
  Stats& mutable_stats() { return stats_; }
  void set_shrink(ShrinkSummary summary) { shrink_ = summary; }
  // A path, or a note saying why none was written.
  void set_trace_file(std::string path) { trace_file_ = std::move(path); }
  void set_diagram(std::string diagram) { diagram_ = std::move(diagram); }
  // "execution 1,204 of 10,000; strategy pct d=3, seed 42"; shown in the headline.
  void set_context(std::string context) { context_ = std::move(context); }
  const std::string& context() const { return context_; }
  // The command that WEFT_REPLAY=<token> is prefixed to in to_string().
  void set_replay_command(std::string command) { replay_command_ = std::move(command); }
  const std::string& replay_command() const { return replay_command_; }

 private:
  std::optional<Failure> failure_;
  std::string repro_;
  std::vector<uint32_t> schedule_;
  uint64_t schedule_hash_ = 0;
  uint64_t preemptions_ = 0;
  Stats stats_;
  std::optional<ShrinkSummary> shrink_;
  std::string trace_file_;
  std::string diagram_;
  std::string context_;
  std::string replay_command_;
};

}  // namespace weft

#endif  // WEFT_REPORT_H_
