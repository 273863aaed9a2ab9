// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: gtest.h
// -----------------------------------------------------------------------------
//
// WEFT_TEST(Suite, Name) { body } defines a GoogleTest test whose body is a
// workload: weft explores its interleavings (PCT, 1000 executions by
// default) and the test fails with the report, replay line included, if any
// execution fails.
//
//   WEFT_TEST(Bank, TransfersDoNotDeadlock) {
//     weft::Mutex a{"a"}, b{"b"};
//     weft::Thread t1("t1", [&] { std::scoped_lock both(a, b); });
//     weft::Thread t2("t2", [&] { std::scoped_lock both(b, a); });
//     t1.join();
//     t2.join();
//   }
//
// Environment variables override the defaults for every WEFT_TEST in the
// process (an unknown or malformed value fails the test, naming the variable
// and what it accepts):
//
//   WEFT_ITERATIONS  executions to explore              (default 1000)
//   WEFT_SEED        exploration seed                    (default 1)
//   WEFT_STRATEGY    random | pct                        (default pct)
//   WEFT_PCT_DEPTH   PCT depth d                         (default 3)
//   WEFT_MAX_STEPS   decisions per execution             (default 1000000)
//   WEFT_REPLAY      a replay token: run that one execution instead
//   WEFT_RUNTIME     sim | real: real runs the body on OS threads,
//                    WEFT_REAL_REPEATS times             (default sim)
//   WEFT_REAL_REPEATS                                     (default 20)

#ifndef WEFT_GTEST_H_
#define WEFT_GTEST_H_

#include <string>

#include "gtest/gtest.h"
#include "weft/weft.h"

namespace weft::testing {

// Runs `body` as the WEFT_TEST `suite`.`name` under the configuration from
// the environment; reports any failure to gtest. Returns the report.
Report run_weft_test(const char* suite, const char* name, void (*body)(),
                     ExploreOptions defaults = ExploreOptions{});

}  // namespace weft::testing

#define WEFT_TEST(suite, name)                                                     \
  static void WeftTestBody_##suite##_##name();                                     \
  TEST(suite, name) {                                                              \
    ::weft::testing::run_weft_test(#suite, #name, &WeftTestBody_##suite##_##name); \
  }                                                                                \
  static void WeftTestBody_##suite##_##name()

#endif  // WEFT_GTEST_H_
