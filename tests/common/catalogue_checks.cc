// Copyright 2026 The weft Authors.

#include "tests/common/catalogue_checks.h"

#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "examples/workloads/catalogue.h"

namespace weft::testing {
namespace {

ExploreOptions options_for(Strategy strategy, uint64_t seed, uint64_t executions) {
  ExploreOptions options;
  options.strategy = strategy;
  options.seed = seed;
  options.iterations = executions;
  return options;
}

std::string describe(const Failure& failure) {
  return absl::StrFormat("%s (thread %d \"%s\", step %d): %s\n%s", failure_kind_name(failure.kind),
                         failure.thread_id, failure.thread_name, failure.step, failure.message,
                         failure.details);
}

// The catalogue entry called `name`, or an AssertionFailure saying it is not
// registered.
const examples::Workload* lookup(std::string_view name, ::testing::AssertionResult& error) {
  const examples::Workload* workload = examples::find_workload(name);
  if (workload == nullptr) {
    error = ::testing::AssertionFailure()
            << "no workload called \"" << name
            << "\" in the catalogue (examples/workloads/catalogue.cc)";
  }
  return workload;
}

}  // namespace

::testing::AssertionResult finds_bug_for_every_seed(std::string_view name, Strategy strategy,
                                                    uint64_t budget,
                                                    std::string_view expected_text) {
  ::testing::AssertionResult error = ::testing::AssertionSuccess();
  const examples::Workload* workload = lookup(name, error);
  if (workload == nullptr) return error;

  std::vector<std::string> problems;
  uint64_t worst = 0;
  uint64_t worst_seed = 0;
  for (uint64_t seed = kFirstSeed; seed <= kLastSeed; ++seed) {
    const Report report = explore(options_for(strategy, seed, budget), workload->buggy);
    if (report.ok()) {
      problems.push_back(
          absl::StrFormat("seed %d: no failure in %d executions", seed, report.stats().executions));
      continue;
    }
    const Failure& failure = *report.failure();
    const uint64_t executions = report.stats().executions;
    if (executions > worst) {
      worst = executions;
      worst_seed = seed;
    }
    if (failure.kind != workload->expected) {
      problems.push_back(absl::StrFormat("seed %d: expected %s, found:\n%s", seed,
                                         failure_kind_name(workload->expected),
                                         report.to_string()));
    } else if (failure.message.find(expected_text) == std::string::npos &&
               failure.details.find(expected_text) == std::string::npos) {
      problems.push_back(absl::StrFormat("seed %d: the failure does not mention \"%s\":\n%s", seed,
                                         expected_text, report.to_string()));
    }
  }
  ::testing::Test::RecordProperty("worst_executions_to_find", static_cast<int>(worst));
  std::cout << absl::StrFormat(
      "[ measured ] %s under %s: worst %d executions to find the bug over seeds %d..%d (seed "
      "%d); budget %d\n",
      name, strategy_name(strategy), worst, kFirstSeed, kLastSeed, worst_seed, budget);
  if (!problems.empty()) {
    return ::testing::AssertionFailure()
           << name << " under " << strategy_name(strategy) << " with a budget of " << budget
           << " executions, seeds " << kFirstSeed << ".." << kLastSeed << ":\n"
           << absl::StrJoin(problems, "\n");
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult replays_exactly(std::string_view name, Strategy strategy,
                                           uint64_t budget) {
  ::testing::AssertionResult error = ::testing::AssertionSuccess();
  const examples::Workload* workload = lookup(name, error);
  if (workload == nullptr) return error;

  const Report found = explore(options_for(strategy, kFirstSeed, budget), workload->buggy);
  if (found.ok()) {
    return ::testing::AssertionFailure() << name << ": no failure to replay in " << budget
                                         << " executions under " << strategy_name(strategy);
  }
  if (found.repro().empty()) {
    return ::testing::AssertionFailure() << name << ": the failure has no repro token:\n"
                                         << found.to_string();
  }
  const Report again = replay(found.repro(), workload->buggy);
  if (again.ok()) {
    return ::testing::AssertionFailure()
           << name << ": " << found.repro() << " replayed without a failure; the original:\n"
           << found.to_string();
  }
  std::vector<std::string> differences;
  const std::string original = describe(*found.failure());
  const std::string replayed = describe(*again.failure());
  if (original != replayed) {
    differences.push_back(
        absl::StrCat("failure:\n  original: ", original, "  replayed: ", replayed));
  }
  if (again.trace() != found.trace()) {
    differences.push_back(absl::StrCat("trace: original ", absl::StrJoin(found.trace(), " "),
                                       "; replayed ", absl::StrJoin(again.trace(), " ")));
  }
  if (again.schedule_hash() != found.schedule_hash()) {
    differences.push_back(absl::StrFormat("schedule_hash: original %x, replayed %x",
                                          found.schedule_hash(), again.schedule_hash()));
  }
  if (again.preemptions() != found.preemptions()) {
    differences.push_back(absl::StrFormat("preemptions: original %d, replayed %d",
                                          found.preemptions(), again.preemptions()));
  }
  if (!differences.empty()) {
    return ::testing::AssertionFailure()
           << name << ": replaying " << found.repro() << " differs from the original run:\n"
           << absl::StrJoin(differences, "\n");
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult fixed_passes_exploration(std::string_view name, Strategy strategy,
                                                    uint64_t executions) {
  ::testing::AssertionResult error = ::testing::AssertionSuccess();
  const examples::Workload* workload = lookup(name, error);
  if (workload == nullptr) return error;

  const Report report = explore(options_for(strategy, kFirstSeed, executions), workload->fixed);
  if (!report.ok()) {
    return ::testing::AssertionFailure()
           << "the fixed " << name << " failed under " << strategy_name(strategy) << ":\n"
           << report.to_string();
  }
  if (report.stats().executions != executions) {
    return ::testing::AssertionFailure()
           << "the fixed " << name << " ran " << report.stats().executions << " executions, not "
           << executions;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult fixed_passes_on_real_runtime(std::string_view name, int runs) {
  ::testing::AssertionResult error = ::testing::AssertionSuccess();
  const examples::Workload* workload = lookup(name, error);
  if (workload == nullptr) return error;

  for (int run = 1; run <= runs; ++run) {
    const Report report = run_real(workload->fixed);
    if (!report.ok()) {
      return ::testing::AssertionFailure() << "the fixed " << name << " failed on run " << run
                                           << " of " << runs << " on the real runtime:\n"
                                           << report.to_string();
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace weft::testing
