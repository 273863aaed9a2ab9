// Copyright 2026 The weft Authors.
//
// ScopedEnv: sets environment variables for one scope (tests of the WEFT_*
// configuration), restoring what was there before.

#ifndef WEFT_TESTS_COMMON_SCOPED_ENV_H_
#define WEFT_TESTS_COMMON_SCOPED_ENV_H_

#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace weft::testing {

class ScopedEnv {
 public:
  explicit ScopedEnv(std::initializer_list<std::pair<const std::string, std::string>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

}  // namespace weft::testing

#endif  // WEFT_TESTS_COMMON_SCOPED_ENV_H_
