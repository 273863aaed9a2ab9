// Copyright 2026 The weft Authors.

#include "weft/env_options.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace weft {
namespace {

absl::Status bad_value(const char* variable, const char* value, const std::string& accepted) {
  return absl::InvalidArgumentError(
      absl::StrFormat("%s='%s' is not valid: %s", variable, value, accepted));
}

// Parses an unsigned integer in [low, high] from `value`.
absl::StatusOr<uint64_t> parse_number(const char* variable, const char* value, uint64_t low,
                                      uint64_t high) {
  uint64_t number = 0;
  const std::string text = value;
  if (text.empty() || text[0] == '-' || text[0] == '+' || !absl::SimpleAtoi(text, &number) ||
      number < low || number > high) {
    return bad_value(variable, value,
                     absl::StrFormat("expected a whole number in [%d, %d]", low, high));
  }
  return number;
}

}  // namespace

absl::StatusOr<EnvConfig> config_from_env(const ExploreOptions& defaults,
                                          const std::function<const char*(const char*)>& getenv) {
  auto read = [&](const char* name) -> const char* {
    return getenv ? getenv(name) : std::getenv(name);
  };
  EnvConfig config;
  config.explore = defaults;
  if (const char* value = read("WEFT_ITERATIONS")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_ITERATIONS", value, 1, uint64_t{1} << 40);
    if (!number.ok()) return number.status();
    config.explore.iterations = *number;
  }
  if (const char* value = read("WEFT_SEED")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_SEED", value, 0, UINT64_MAX);
    if (!number.ok()) return number.status();
    config.explore.seed = *number;
  }
  if (const char* value = read("WEFT_STRATEGY")) {
    absl::StatusOr<Strategy> strategy = parse_strategy(value);
    if (!strategy.ok()) {
      return bad_value("WEFT_STRATEGY", value, std::string(strategy.status().message()));
    }
    config.explore.strategy = *strategy;
  }
  if (const char* value = read("WEFT_PCT_DEPTH")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_PCT_DEPTH", value, 1, 64);
    if (!number.ok()) return number.status();
    config.explore.pct_depth = static_cast<int>(*number);
  }
  if (const char* value = read("WEFT_MAX_STEPS")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_MAX_STEPS", value, 1, 100'000'000);
    if (!number.ok()) return number.status();
    config.explore.max_steps = *number;
  }
  if (const char* value = read("WEFT_PREEMPTION_BOUND")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_PREEMPTION_BOUND", value, 0, 64);
    if (!number.ok()) return number.status();
    config.explore.preemption_bound = static_cast<int>(*number);
  }
  if (const char* value = read("WEFT_SHRINK")) {
    const std::string shrink = value;
    if (shrink != "0" && shrink != "1") return bad_value("WEFT_SHRINK", value, "expected 0 or 1");
    config.explore.shrink = shrink == "1";
  }
  if (const char* value = read("WEFT_SHRINK_RUNS")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_SHRINK_RUNS", value, 1, 100'000'000);
    if (!number.ok()) return number.status();
    config.explore.shrink_max_runs = *number;
  }
  // Failure traces: under Bazel into the test's undeclared outputs (kept
  // as an artifact), else ./weft-traces.
  if (config.explore.trace_dir.empty()) {
    const char* outputs = read("TEST_UNDECLARED_OUTPUTS_DIR");
    config.explore.trace_dir = outputs && *outputs ? outputs : "weft-traces";
  }
  if (const char* value = read("WEFT_TRACE_DIR")) {
    const std::string dir = value;
    if (dir.empty()) {
      return bad_value("WEFT_TRACE_DIR", value,
                       "expected a directory, or 'off' for no trace files");
    }
    config.explore.trace_dir = dir == "off" ? "" : dir;
  }
  if (const char* value = read("WEFT_REPLAY")) {
    if (std::string(value).empty()) {
      return bad_value("WEFT_REPLAY", value, "expected a replay token (weft1:...)");
    }
    absl::StatusOr<ExecutionSpec> spec = decode_repro_token(value);
    if (!spec.ok())
      return absl::InvalidArgumentError(absl::StrCat("WEFT_REPLAY: ", spec.status().message()));
    config.replay_token = value;
  }
  if (const char* value = read("WEFT_RUNTIME")) {
    const std::string runtime = value;
    if (runtime == "sim") {
      config.runtime = Runtime::kSim;
    } else if (runtime == "real") {
      config.runtime = Runtime::kReal;
    } else {
      return bad_value("WEFT_RUNTIME", value, "expected 'sim' or 'real'");
    }
  }
  if (const char* value = read("WEFT_REAL_REPEATS")) {
    absl::StatusOr<uint64_t> number = parse_number("WEFT_REAL_REPEATS", value, 1, 1'000'000);
    if (!number.ok()) return number.status();
    config.real_repeats = *number;
  }
  if (config.replay_token && config.runtime == Runtime::kReal) {
    return absl::InvalidArgumentError(
        "WEFT_REPLAY and WEFT_RUNTIME=real conflict: a replay runs under the simulator");
  }
  return config;
}

}  // namespace weft
