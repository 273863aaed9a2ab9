// Copyright 2026 The weft Authors.

#include "weft/property.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "rapidcheck/detail/TestListenerAdapter.h"

namespace weft {
namespace internal {
namespace {

// rapidcheck reports through us, not on stderr.
class QuietListener final : public rc::detail::TestListenerAdapter {};

// The property's exception message (RC_FAIL's) is weft's whole report; the
// PropertyReport prints that report itself.
std::string counterexample_lines(const rc::detail::Example& example) {
  std::string out;
  for (const auto& [type, value] : example) absl::StrAppend(&out, "    ", type, ": ", value, "\n");
  return out;
}

}  // namespace

std::optional<Report> PropertyRun::run_input(absl::FunctionRef<void()> workload) {
  ExploreOptions explore = options_.explore;
  // The input is shrunk first; the schedule once, at the end.
  explore.shrink = false;
  explore.trace_dir.clear();
  if (options_.replay_token) {
    Report replayed = replay(*options_.replay_token, workload, explore.replay_command);
    if (replayed.ok()) return std::nullopt;
    ++failing_inputs_;
    last_failure_ = replayed;
    return replayed;
  }
  if (last_failure_ && !last_failure_->repro().empty()) {
    // A smaller input usually fails on the schedule the larger one did.
    Report again = replay(last_failure_->repro(), workload, explore.replay_command);
    if (!again.ok() && again.failure()->kind != FailureKind::kInvalidArgument) {
      // Found by the exploration of a larger input.
      again.set_context(last_failure_->context());
      ++failing_inputs_;
      last_failure_ = again;
      return again;
    }
  }
  Report explored = weft::explore(explore, workload);
  if (explored.ok()) return std::nullopt;
  ++failing_inputs_;
  last_failure_ = explored;
  return explored;
}

PropertyReport PropertyRun::finish(const rc::detail::TestResult& result) {
  PropertyReport report;
  report.replay_command = options_.explore.replay_command;
  if (result.is<rc::detail::SuccessResult>()) {
    report.inputs_passed = result.get<rc::detail::SuccessResult>().numSuccess;
    return report;
  }
  if (result.is<rc::detail::GaveUpResult>()) {
    const auto& gave_up = result.get<rc::detail::GaveUpResult>();
    report.inputs_passed = gave_up.numSuccess;
    report.error = absl::StrCat("rapidcheck gave up: ", gave_up.description);
    return report;
  }
  if (result.is<rc::detail::Error>()) {
    report.error = absl::StrCat("rapidcheck error: ", result.get<rc::detail::Error>().description);
    return report;
  }
  const auto& failure = result.get<rc::detail::FailureResult>();
  report.inputs_passed = failure.numSuccess;
  // Every failing input after the first is a shrink rapidcheck accepted.
  report.input_shrinks = failing_inputs_ > 0 ? failing_inputs_ - 1 : 0;
  report.counterexample = counterexample_lines(failure.counterExample);
  rc::detail::Configuration reproduce;
  reproduce.reproduce[options_.id] = failure.reproduce;
  report.rapidcheck_reproduce = rc::detail::configToMinimalString(reproduce);
  if (!last_failure_ || !last_failing_workload_) {
    // The property failed, but not in weft's exploration: an input
    // generator threw, or the property itself outside any execution.
    report.error =
        absl::StrCat("the property failed outside weft's exploration: ", failure.description);
    return report;
  }
  report.report = *last_failure_;
  if (options_.explore.shrink && !options_.replay_token) {
    report.report = weft::shrink(*last_failure_, last_failing_workload_, options_.explore);
  } else {
    // Once more, to draw it and write its trace.
    Report drawn = weft::replay(last_failure_->repro(), last_failing_workload_, options_.explore);
    if (drawn.schedule_hash() == last_failure_->schedule_hash()) {
      report.report.set_diagram(drawn.diagram());
      report.report.set_trace_file(drawn.trace_file());
    }
  }
  return report;
}

RapidcheckSetup rapidcheck_setup(const PropertyOptions& options) {
  RapidcheckSetup setup;
  try {
    // Validate RC_PARAMS here: rapidcheck's own loader exits the process.
    const char* environment = std::getenv("RC_PARAMS");
    rc::detail::Configuration config =
        rc::detail::configFromString(environment ? environment : "", rc::detail::Configuration());
    config = rc::detail::configFromString(options.rapidcheck_params, config);
    setup.params = config.testParams;
    setup.reproduce = config.reproduce;
  } catch (const rc::detail::ConfigurationException& error) {
    setup.error =
        absl::StrCat("bad rapidcheck settings (RC_PARAMS or rapidcheck_params): ", error.what());
  }
  return setup;
}

rc::detail::TestResult run_rapidcheck(const rc::detail::Property& property,
                                      const PropertyOptions& options,
                                      const RapidcheckSetup& setup) {
  rc::detail::TestMetadata metadata;
  metadata.id = options.id;
  metadata.description = options.id;
  QuietListener listener;
  return rc::detail::checkProperty(property, metadata, setup.params, listener, setup.reproduce);
}

}  // namespace internal

std::string PropertyReport::to_string() const {
  if (!error.empty()) return absl::StrCat("weft: PROPERTY ERROR: ", error, "\n");
  if (report.ok()) {
    return absl::StrFormat("weft: ok (%d inputs, each explored)\n", inputs_passed);
  }
  std::string out = report.to_string();
  // The replay line needs rapidcheck's half as well: rebuild it.
  const std::string weft_only =
      absl::StrCat("  replay:   WEFT_REPLAY=", report.repro(), replay_command.empty() ? "" : " ",
                   replay_command, "\n");
  const std::string both = absl::StrCat("  replay:   WEFT_REPLAY=", report.repro(), " RC_PARAMS=\"",
                                        rapidcheck_reproduce, "\"",
                                        replay_command.empty() ? "" : " ", replay_command, "\n");
  absl::StrReplaceAll({{weft_only, ""}}, &out);
  absl::StrAppend(&out, "  input:    (after ", inputs_passed, " passing inputs and ", input_shrinks,
                  " input shrinks)\n", counterexample, both);
  return out;
}

}  // namespace weft
