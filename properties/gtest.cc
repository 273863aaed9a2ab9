// Copyright 2026 The weft Authors.

#include "weft/gtest.h"

#include <unistd.h>

#include <climits>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "weft/env_options.h"

namespace weft::testing {
namespace {

// This test binary as a path to paste: relative to the working directory
// when it lies below it.
std::string this_binary() {
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0) return "<test binary>";
  std::string binary(path, static_cast<size_t>(length));
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) != nullptr) {
    const std::string prefix = absl::StrCat(cwd, "/");
    if (absl::StartsWith(binary, prefix)) return "./" + binary.substr(prefix.size());
  }
  return binary;
}

Report run_real_repeatedly(void (*body)(), uint64_t repeats) {
  Report last;
  for (uint64_t i = 0; i < repeats; ++i) {
    last = run_real(body);
    if (!last.ok()) {
      last.set_context(absl::StrFormat("real runtime, run %d of %d", i + 1, repeats));
      return last;
    }
  }
  last.mutable_stats().executions = repeats;
  return last;
}

}  // namespace

Report run_weft_test(const char* suite, const char* name, void (*body)(),
                     ExploreOptions defaults) {
  absl::StatusOr<EnvConfig> config = config_from_env(defaults);
  if (!config.ok()) {
    ADD_FAILURE() << "weft: " << config.status().message();
    return Report{};
  }
  const std::string command =
      absl::StrFormat("%s --gtest_filter=%s.%s", this_binary(), suite, name);
  Report report;
  if (config->runtime == Runtime::kReal) {
    report = run_real_repeatedly(body, config->real_repeats);
  } else if (config->replay_token) {
    report = replay(*config->replay_token, body, command);
  } else {
    config->explore.replay_command = command;
    report = explore(config->explore, body);
  }
  if (!report.ok()) ADD_FAILURE() << report.to_string();
  return report;
}

}  // namespace weft::testing
