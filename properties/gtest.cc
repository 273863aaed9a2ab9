// Copyright 2026 The weft Authors.

#include "weft/gtest.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest-spi.h"
#include "weft/env_options.h"
#include "weft/internal/backend.h"

namespace weft::testing {
namespace {

// The command that re-runs test `suite`.`name` when WEFT_REPLAY=<token> is
// put in front of it, written to be pasted at the repository root: under
// Bazel, `bazel test <target> --test_filter=...`; otherwise this binary's path
// relative to the root (the nearest ancestor with a WORKSPACE file), or its
// absolute path if there is none.
std::string replay_command(const char* suite, const char* name) {
  if (const char* target = std::getenv("TEST_TARGET")) {
    return absl::StrFormat(
        "bazel test %s --test_filter=%s.%s%s", target, suite, name,
        absl::StartsWith(name, "DISABLED_") ? " --test_arg=--gtest_also_run_disabled_tests" : "");
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
  // A disabled test runs only when asked for.
  const bool disabled = absl::StartsWith(name, "DISABLED_");
  return absl::StrFormat("%s --gtest_filter=%s.%s%s", binary, suite, name,
                         disabled ? " --gtest_also_run_disabled_tests" : "");
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

// The report's token (and trace file) as test properties: in the XML
// (--gtest_output=xml) beside the failure message that holds the report.
void record_report_properties(const Report& report) {
  if (report.ok()) return;
  if (!report.repro().empty()) ::testing::Test::RecordProperty("weft_repro", report.repro());
  if (!report.trace_file().empty()) {
    ::testing::Test::RecordProperty("weft_trace", report.trace_file());
  }
  ::testing::Test::RecordProperty("weft_failure",
                                  std::string(failure_kind_name(report.failure()->kind)));
}

}  // namespace

namespace internal {

class GtestFailuresToWeft::Interceptor final : public ::testing::ScopedFakeTestPartResultReporter {
 public:
  explicit Interceptor(::testing::TestPartResultArray* outside)
      : ScopedFakeTestPartResultReporter(INTERCEPT_ONLY_CURRENT_THREAD, outside) {}

  void ReportTestPartResult(const ::testing::TestPartResult& result) override {
    weft::internal::Backend* backend = weft::internal::active_backend();
    if (backend == nullptr || !result.failed()) {
      ScopedFakeTestPartResultReporter::ReportTestPartResult(result);
      return;
    }
    backend->test_assertion_failed(result.file_name() ? result.file_name() : "<unknown file>",
                                   result.line_number(), result.message());
  }
};

GtestFailuresToWeft::GtestFailuresToWeft()
    : outside_(std::make_unique<::testing::TestPartResultArray>()),
      interceptor_(std::make_unique<Interceptor>(outside_.get())) {}

GtestFailuresToWeft::~GtestFailuresToWeft() {
  interceptor_.reset();  // gtest's reporter is back: hand it what we held.
  for (int i = 0; i < outside_->size(); ++i) {
    const ::testing::TestPartResult& result = outside_->GetTestPartResult(i);
    ADD_FAILURE_AT(result.file_name() ? result.file_name() : "<unknown file>", result.line_number())
        << result.message();
  }
}

std::optional<PropertyOptions> property_options_from_env(const char* suite, const char* name) {
  PropertyOptions options;
  absl::StatusOr<EnvConfig> config = config_from_env(options.explore);
  if (!config.ok()) {
    ADD_FAILURE() << "weft: " << config.status().message();
    return std::nullopt;
  }
  if (config->runtime == Runtime::kReal) {
    ADD_FAILURE() << "weft: WEFT_RUNTIME=real does not apply to WEFT_PROP (its inputs are "
                     "explored under the simulator); run it with WEFT_RUNTIME=sim";
    return std::nullopt;
  }
  options.explore = config->explore;
  options.explore.replay_command = replay_command(suite, name);
  options.explore.trace_name = absl::StrCat(suite, ".", name);
  options.replay_token = config->replay_token;
  options.id = absl::StrCat(suite, "/", name);
  return options;
}

void report_property(const PropertyReport& report) {
  if (report.ok()) return;
  record_report_properties(report.report);
  if (!report.rapidcheck_reproduce.empty()) {
    ::testing::Test::RecordProperty("rapidcheck_reproduce", report.rapidcheck_reproduce);
  }
  ADD_FAILURE() << report.to_string();
}

}  // namespace internal

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
  } else {
    internal::GtestFailuresToWeft forward;
    config->explore.replay_command = command;
    config->explore.trace_name = absl::StrCat(suite, ".", name);
    if (config->replay_token) {
      report = replay(*config->replay_token, body, config->explore);
    } else {
      report = explore(config->explore, body);
    }
  }
  record_report_properties(report);
  if (!report.ok()) ADD_FAILURE() << report.to_string();
  return report;
}

}  // namespace weft::testing
