// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: assert.h
// -----------------------------------------------------------------------------
//
// WEFT_ASSERT(condition) / WEFT_ASSERT(condition, message) checks an invariant
// of the workload. When it fails:
//  * under simulation, the execution ends and the failure (the condition, the
//    message, the source line, the thread) goes into the Report with a repro;
//  * on the real runtime, weft::AssertionFailure is thrown in the calling
//    thread; weft::Thread and weft::run_real turn it into a Report failure.
//
//   WEFT_ASSERT(balance >= 0, "an account went negative");
//
// `message` is anything std::string can be constructed from.

#ifndef WEFT_ASSERT_H_
#define WEFT_ASSERT_H_

#include <source_location>
#include <stdexcept>
#include <string>

namespace weft {

// Thrown by a failed WEFT_ASSERT on the real runtime.
class AssertionFailure : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace internal {

// Returns only when the simulated thread is already unwinding (its execution
// ended earlier), where a throw would terminate the process.
void assertion_failed(const char* condition, const std::string& message,
                      std::source_location where);

inline std::string assertion_message() { return std::string(); }
inline std::string assertion_message(std::string message) { return message; }

}  // namespace internal
}  // namespace weft

#define WEFT_ASSERT(condition, ...)                                                        \
  do {                                                                                     \
    if (!(condition)) [[unlikely]] {                                                       \
      ::weft::internal::assertion_failed(#condition,                                       \
                                         ::weft::internal::assertion_message(__VA_ARGS__), \
                                         std::source_location::current());                 \
    }                                                                                      \
  } while (false)

#endif  // WEFT_ASSERT_H_
