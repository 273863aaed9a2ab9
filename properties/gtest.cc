// Copyright 2026 The weft Authors.

#include "weft/gtest.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "weft/env_options.h"

namespace weft::testing {
namespace {

// The command that re-runs test `suite`.`name` when WEFT_REPLAY=<token> is
// put in front of it, written to be pasted at the repository root: under
// Bazel, `bazel test <target> --test_filter=...`; otherwise this binary's path
// relative to the root (the nearest ancestor with a WORKSPACE file), or its
// absolute path if there is none.
std::string replay_command(const char* suite, const char* name) {
  if (const char* target = std::getenv("TEST_TARGET")) {
    return absl::StrFormat("bazel test %s --test_filter=%s.%s", target, suite, name);
  }
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  std::string binary =
      length > 0 ? std::string(path, static_cast<size_t>(length)) : std::string("<test binary>");
  for (std::filesystem::path dir = std::filesystem::path(binary).parent_path();
       dir.has_relative_path(); dir = dir.parent_path()) {
    std::error_code error;
    if (std::filesystem::exists(dir / "WORKSPACE", error)) {
      binary = std::filesystem::path(binary).lexically_relative(dir).string();
      break;
    }
  }
  return absl::StrFormat("%s --gtest_filter=%s.%s", binary, suite, name);
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

Report run_weft_test(const char* suite, const char* name, void (*body)(), ExploreOptions defaults) {
  absl::StatusOr<EnvConfig> config = config_from_env(defaults);
  if (!config.ok()) {
    ADD_FAILURE() << "weft: " << config.status().message();
    return Report{};
  }
  const std::string command = replay_command(suite, name);
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
