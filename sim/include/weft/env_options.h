// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: env_options.h
// -----------------------------------------------------------------------------
//
// The WEFT_* environment variables, read in one place. Every variable has a
// default; a malformed value is an InvalidArgument error that names the
// variable, the value, and what is accepted.
//
//   absl::StatusOr<weft::EnvConfig> config = weft::config_from_env(defaults);
//   if (!config.ok()) { std::cerr << config.status().message(); return 2; }

#ifndef WEFT_ENV_OPTIONS_H_
#define WEFT_ENV_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "weft/explore.h"

namespace weft {

enum class Runtime { kSim, kReal };

struct EnvConfig {
  ExploreOptions explore;  // WEFT_ITERATIONS, _SEED, _STRATEGY, _PCT_DEPTH, _MAX_STEPS
  std::optional<std::string> replay_token;  // WEFT_REPLAY
  Runtime runtime = Runtime::kSim;          // WEFT_RUNTIME
  uint64_t real_repeats = 20;               // WEFT_REAL_REPEATS
};

// Reads the WEFT_* variables through `getenv` (the process environment by
// default), starting from `defaults`.
absl::StatusOr<EnvConfig> config_from_env(
    const ExploreOptions& defaults,
    const std::function<const char*(const char*)>& getenv = nullptr);

}  // namespace weft

#endif  // WEFT_ENV_OPTIONS_H_
