// Copyright 2026 The weft Authors.
//
// weft_examples: the first program a newcomer runs. It explores every
// workload of the catalogue (examples/workloads/), prints the report of each
// bug it finds — a deadlock's wait-for cycle, a failed WEFT_ASSERT — with the
// line that replays it, and checks that every fixed twin passes.
//
//   build/weft_examples                  explore the whole catalogue
//   build/weft_examples bank lost_update explore these workloads only
//   build/weft_examples --list           list the workloads
//   WEFT_REPLAY=<token> build/weft_examples bank
//                                        replay one execution of bank's bug
//
// The WEFT_* environment variables of weft/env_options.h apply (strategy,
// iterations, seed, ...). Exit status: 0 if every bug was found and every
// fixed twin passed (or, when replaying, the failure reproduced); 1 if not;
// 2 for bad arguments.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "examples/workloads/catalogue.h"
#include "weft/env_options.h"
#include "weft/weft.h"

namespace {

using weft::examples::Workload;

constexpr uint64_t kDefaultIterations = 10'000;

int usage_error(const std::string& message) {
  std::fprintf(stderr, "weft_examples: %s\n", message.c_str());
  std::fprintf(stderr, "usage: weft_examples [--list] [workload ...]\n");
  return 2;
}

void list_workloads() {
  for (const Workload& workload : weft::examples::catalogue()) {
    std::printf("%-22s %s\n", std::string(workload.name).c_str(),
                std::string(workload.description).c_str());
  }
}

// Explores one workload's bug and its fixed twin; returns whether both came
// out as expected.
bool explore_workload(const Workload& workload, const weft::EnvConfig& config,
                      const std::string& program) {
  std::printf("== %s: %s\n", std::string(workload.name).c_str(),
              std::string(workload.description).c_str());
  weft::ExploreOptions options = config.explore;
  options.replay_command = absl::StrFormat("%s %s", program, std::string(workload.name));
  options.trace_name = std::string(workload.name);
  const weft::Report buggy = weft::explore(options, workload.buggy);
  std::fputs(buggy.to_string().c_str(), stdout);
  const bool found = !buggy.ok() && buggy.failure()->kind == workload.expected;
  if (!found) {
    std::printf("  !! expected %s, which was not found\n",
                std::string(weft::failure_kind_name(workload.expected)).c_str());
  }
  options.replay_command.clear();
  const weft::Report fixed = weft::explore(options, workload.fixed);
  std::printf("  fixed twin: %s", fixed.to_string().c_str());
  std::printf("\n");
  return found && fixed.ok();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string program = argv[0];
  std::vector<const Workload*> chosen;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--list") {
      list_workloads();
      return 0;
    }
    if (argument == "--help" || argument == "-h") {
      std::printf("usage: weft_examples [--list] [workload ...]\n");
      return 0;
    }
    if (argument.rfind("-", 0) == 0) return usage_error("unknown flag '" + argument + "'");
    const Workload* workload = weft::examples::find_workload(argument);
    if (workload == nullptr) {
      return usage_error("unknown workload '" + argument + "' (see --list)");
    }
    chosen.push_back(workload);
  }

  weft::ExploreOptions defaults;
  defaults.iterations = kDefaultIterations;
  const absl::StatusOr<weft::EnvConfig> config = weft::config_from_env(defaults);
  if (!config.ok()) return usage_error(std::string(config.status().message()));
  if (config->runtime == weft::Runtime::kReal) {
    return usage_error("WEFT_RUNTIME=real is not offered here: the buggy workloads would hang");
  }

  if (config->replay_token) {
    if (chosen.size() != 1) return usage_error("WEFT_REPLAY needs exactly one workload name");
    weft::ExploreOptions options = config->explore;
    options.replay_command = absl::StrFormat("%s %s", program, std::string(chosen[0]->name));
    options.trace_name = std::string(chosen[0]->name);
    const weft::Report report = weft::replay(*config->replay_token, chosen[0]->buggy, options);
    std::fputs(report.to_string().c_str(), stdout);
    return report.ok() || report.failure()->kind == weft::FailureKind::kInvalidArgument ? 1 : 0;
  }

  if (chosen.empty()) {
    for (const Workload& workload : weft::examples::catalogue()) chosen.push_back(&workload);
  }
  int unexpected = 0;
  for (const Workload* workload : chosen) {
    if (!explore_workload(*workload, *config, program)) ++unexpected;
  }
  std::printf("weft_examples: %zu workloads explored; %d did not behave as expected\n",
              chosen.size(), unexpected);
  return unexpected == 0 ? 0 : 1;
}
