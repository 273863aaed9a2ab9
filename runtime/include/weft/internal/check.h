// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: internal/check.h
// -----------------------------------------------------------------------------
//
// WEFT_CHECK and friends: assertions about weft's own invariants. They stay on
// in every build type, because the simulator is the judge of the workload and
// must not lie; a failed check is a bug inside weft and aborts the process with
// both operand values printed. Workload bugs never reach these macros: they go
// into a `weft::Report` instead (see weft/explore.h).
//
// WEFT_DCHECK is for the real runtime's hot path only; it compiles away in
// NDEBUG builds.

#ifndef WEFT_INTERNAL_CHECK_H_
#define WEFT_INTERNAL_CHECK_H_

#include <sstream>
#include <string>

namespace weft::internal {

// Prints "weft: internal check failed at file:line: text (detail)" and aborts.
[[noreturn]] void check_failed(const char* file, int line, const char* text,
                               const std::string& detail);

template <typename A, typename B>
std::string describe_operands(const A& a, const B& b) {
  std::ostringstream out;
  out << a << " vs " << b;
  return out.str();
}

}  // namespace weft::internal

#define WEFT_CHECK(cond)                                             \
  do {                                                               \
    if (!(cond)) [[unlikely]]                                        \
      ::weft::internal::check_failed(__FILE__, __LINE__, #cond, ""); \
  } while (false)

#define WEFT_CHECK_OP_(a, op, b)                                              \
  do {                                                                        \
    const auto& weft_check_a_ = (a);                                          \
    const auto& weft_check_b_ = (b);                                          \
    if (!(weft_check_a_ op weft_check_b_)) [[unlikely]]                       \
      ::weft::internal::check_failed(                                         \
          __FILE__, __LINE__, #a " " #op " " #b,                              \
          ::weft::internal::describe_operands(weft_check_a_, weft_check_b_)); \
  } while (false)

#define WEFT_CHECK_EQ(a, b) WEFT_CHECK_OP_(a, ==, b)
#define WEFT_CHECK_NE(a, b) WEFT_CHECK_OP_(a, !=, b)
#define WEFT_CHECK_LT(a, b) WEFT_CHECK_OP_(a, <, b)
#define WEFT_CHECK_LE(a, b) WEFT_CHECK_OP_(a, <=, b)
#define WEFT_CHECK_GT(a, b) WEFT_CHECK_OP_(a, >, b)
#define WEFT_CHECK_GE(a, b) WEFT_CHECK_OP_(a, >=, b)

#ifdef NDEBUG
#define WEFT_DCHECK(cond) \
  do {                    \
  } while (false && (cond))
#else
#define WEFT_DCHECK(cond) WEFT_CHECK(cond)
#endif

#endif  // WEFT_INTERNAL_CHECK_H_
