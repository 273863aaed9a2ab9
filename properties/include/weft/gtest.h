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
// Environment variables override the defaults for every WEFT_TEST and
// WEFT_PROP in the process (an unknown or malformed value fails the test,
// naming the variable and what it accepts; README.md has the full table):
//
//   WEFT_ITERATIONS        executions to explore (WEFT_PROP: per input)  (1000; WEFT_PROP 100)
//   WEFT_SEED              exploration seed                              (1)
//   WEFT_STRATEGY          random | pct | dfs                            (pct)
//   WEFT_PCT_DEPTH         PCT depth d                                   (3)
//   WEFT_PREEMPTION_BOUND  dfs: most preemptions per schedule            (2)
//   WEFT_MAX_STEPS         decisions per execution                       (1000000)
//   WEFT_SHRINK            0 | 1: shrink a failing schedule              (1)
//   WEFT_SHRINK_RUNS       executions the shrinker may spend             (20000)
//   WEFT_TRACE_DIR         where failure traces go, or off  ($TEST_UNDECLARED_OUTPUTS_DIR
//                                                                         or ./weft-traces)
//   WEFT_REPLAY            a replay token: run that one execution instead
//   WEFT_RUNTIME           sim | real: real runs a WEFT_TEST body on OS
//                          threads, WEFT_REAL_REPEATS times              (sim)
//   WEFT_REAL_REPEATS                                                    (20)
//   RC_PARAMS              rapidcheck's settings for WEFT_PROP (max_success=100 inputs, seed,
//                          reproduce=... from a report)
//
// Inside a workload, gtest's EXPECT_* and ASSERT_* fail the execution (not
// the test directly): weft reports the first one with the schedule that
// caused it, once. With --gtest_output=xml the failure message holds the
// report, and the test case gets the properties weft_repro, weft_failure
// (and rapidcheck_reproduce for WEFT_PROP).

#ifndef WEFT_GTEST_H_
#define WEFT_GTEST_H_

#include <memory>
#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "weft/property.h"
#include "weft/weft.h"

namespace weft::testing {

// Runs `body` as the WEFT_TEST `suite`.`name` under the configuration from
// the environment; reports any failure to gtest. Returns the report.
Report run_weft_test(const char* suite, const char* name, void (*body)(),
                     ExploreOptions defaults = ExploreOptions{});

namespace internal {

// While alive, a gtest assertion (EXPECT_*, ASSERT_*) failing on this OS
// thread inside a simulated execution fails that execution instead of the
// test: weft reports it once, with its schedule. Outside a simulation
// failures reach gtest as usual.
class GtestFailuresToWeft {
 public:
  GtestFailuresToWeft();
  ~GtestFailuresToWeft();
  GtestFailuresToWeft(const GtestFailuresToWeft&) = delete;
  GtestFailuresToWeft& operator=(const GtestFailuresToWeft&) = delete;

 private:
  class Interceptor;
  // gtest failures outside any simulation while installed, reported when
  // this is destroyed.
  std::unique_ptr<::testing::TestPartResultArray> outside_;
  std::unique_ptr<Interceptor> interceptor_;
};

// The WEFT_PROP configuration from the environment (defaults: 100
// executions per input), or nullopt after reporting a bad setting to gtest.
std::optional<PropertyOptions> property_options_from_env(const char* suite, const char* name);
// Reports `report` to gtest (a failure with the report; XML properties).
void report_property(const PropertyReport& report);

}  // namespace internal

// Runs `property` as the WEFT_PROP `suite`.`name`.
template <class F>
PropertyReport run_weft_prop(const char* suite, const char* name, F property) {
  const std::optional<PropertyOptions> options = internal::property_options_from_env(suite, name);
  if (!options) return PropertyReport{};
  PropertyReport report;
  {
    internal::GtestFailuresToWeft forward;
    report = check(*options, property);
  }
  internal::report_property(report);
  return report;
}

}  // namespace weft::testing

// WEFT_PROP(Suite, Name, (args...)) { body } defines a GoogleTest test
// that checks `body` as a property (weft/property.h): rapidcheck generates
// the arguments, weft explores each input's interleavings (100 executions
// per input unless WEFT_ITERATIONS says otherwise), and a failure is shrunk
// in both and reported with one replay line (WEFT_REPLAY=... RC_PARAMS=...).
//
//   WEFT_PROP(Stack, PopsWhatWasPushed, (std::vector<int> values)) {
//     ConcurrentStack stack;
//     weft::Thread pusher("pusher", [&] { for (int v : values) stack.push(v); });
//     weft::Thread popper("popper", [&] { stack.pop(); });
//     pusher.join();
//     popper.join();
//     EXPECT_LE(stack.size(), values.size());
//   }
#define WEFT_PROP(suite, name, args)                                               \
  static void WeftPropBody_##suite##_##name args;                                  \
  TEST(suite, name) {                                                              \
    ::weft::testing::run_weft_prop(#suite, #name, &WeftPropBody_##suite##_##name); \
  }                                                                                \
  static void WeftPropBody_##suite##_##name args

#define WEFT_TEST(suite, name)                                                     \
  static void WeftTestBody_##suite##_##name();                                     \
  TEST(suite, name) {                                                              \
    ::weft::testing::run_weft_test(#suite, #name, &WeftTestBody_##suite##_##name); \
  }                                                                                \
  static void WeftTestBody_##suite##_##name()

#endif  // WEFT_GTEST_H_
