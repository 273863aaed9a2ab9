// Copyright 2026 The weft Authors.

#include "weft/report.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace weft {

std::string_view failure_kind_name(FailureKind kind) {
  switch (kind) {
    case FailureKind::kDeadlock:
      return "DEADLOCK";
    case FailureKind::kAssertion:
      return "ASSERTION FAILED";
    case FailureKind::kException:
      return "UNCAUGHT EXCEPTION";
    case FailureKind::kStepLimit:
      return "STEP LIMIT EXCEEDED";
    case FailureKind::kLeakedThread:
      return "LEAKED THREAD";
    case FailureKind::kLeakedProcess:
      return "LEAKED PROCESS";
    case FailureKind::kProcessFailed:
      return "PROCESS FAILED";
    case FailureKind::kMisuse:
      return "MISUSE";
    case FailureKind::kNonDeterministic:
      return "NON-DETERMINISTIC WORKLOAD";
    case FailureKind::kInvalidArgument:
      return "INVALID ARGUMENT";
  }
  return "FAILURE";
}

namespace {

// The last `shown` decisions of `schedule`, "… 1 1 2 2 1".
std::string schedule_tail(const std::vector<uint32_t>& schedule, size_t shown) {
  std::string out;
  const size_t first = schedule.size() > shown ? schedule.size() - shown : 0;
  if (first > 0) out += "… ";
  for (size_t i = first; i < schedule.size(); ++i) {
    absl::StrAppend(&out, schedule[i], i + 1 < schedule.size() ? " " : "");
  }
  return out;
}

}  // namespace

std::string Report::to_string() const {
  if (!failure_) {
    return absl::StrFormat("weft: ok (%d executions, %d distinct schedules, %d steps; %s)\n",
                           stats_.executions, stats_.distinct_schedules, stats_.steps, context_);
  }
  if (failure_->kind == FailureKind::kInvalidArgument) {
    return absl::StrFormat("weft: INVALID ARGUMENT: %s\n", failure_->message);
  }
  std::string out =
      absl::StrFormat("weft: %s after %d steps (%s)\n",
                      std::string(failure_kind_name(failure_->kind)), failure_->step, context_);
  absl::StrAppend(&out, "  ", failure_->message, "\n");
  for (absl::string_view line : absl::StrSplit(failure_->details, '\n', absl::SkipEmpty())) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  if (!diagram_.empty()) {
    for (absl::string_view line : absl::StrSplit(diagram_, '\n', absl::SkipEmpty())) {
      absl::StrAppend(&out, "  ", line, "\n");
    }
  }
  if (!schedule_.empty()) {
    std::string shrunk;
    if (shrink_) {
      shrunk = absl::StrFormat(
          "; shrunk from %d preemption%s and %d steps in %d runs%s", shrink_->preemptions_before,
          shrink_->preemptions_before == 1 ? "" : "s", shrink_->steps_before, shrink_->runs,
          shrink_->minimal ? ", the fewest that fail this way" : "");
    }
    absl::StrAppend(
        &out, "  schedule: ", schedule_tail(schedule_, 40),
        absl::StrFormat("   (%d decision%s, %d preemption%s%s; hash %016x)\n", schedule_.size(),
                        schedule_.size() == 1 ? "" : "s", preemptions_,
                        preemptions_ == 1 ? "" : "s", shrunk, schedule_hash_));
  }
  if (!trace_file_.empty()) {
    absl::StrAppend(&out, "  trace:    ", trace_file_,
                    absl::EndsWith(trace_file_, ".json")
                        ? "   (open in https://ui.perfetto.dev or chrome://tracing)"
                        : "",
                    "\n");
  }
  if (!repro_.empty()) {
    absl::StrAppend(&out, "  replay:   WEFT_REPLAY=", repro_, replay_command_.empty() ? "" : " ",
                    replay_command_, "\n");
  }
  return out;
}

}  // namespace weft
