// Copyright 2026 The weft Authors.
//
// WEFT_PROP and weft::check (weft/property.h, weft/gtest.h): inputs and
// interleavings shrunk together, one replay line for both, gtest assertions
// inside workloads as workload failures, the report in gtest's XML.

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"
#include "tests/common/scoped_env.h"
#include "weft/gtest.h"
#include "weft/property.h"
#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A stack whose pop() checks for an item and takes it in two critical
// sections: two pops can both see the last item.
class CheckThenPopStack {
 public:
  void push(int value) {
    std::scoped_lock lock(mutex_);
    items_.push_back(value);
  }
  std::optional<int> pop() {
    bool empty;
    {
      std::scoped_lock lock(mutex_);
      empty = items_.empty();
    }
    if (empty) return std::nullopt;
    std::scoped_lock lock(mutex_);
    WEFT_ASSERT(!items_.empty(), "pop took an item that another pop took first");
    const int value = items_.back();
    items_.pop_back();
    return value;
  }

 private:
  Mutex mutex_{"stack"};
  std::vector<int> items_;
};

// The correct one: check and take under one lock.
class LockedStack {
 public:
  void push(int value) {
    std::scoped_lock lock(mutex_);
    items_.push_back(value);
  }
  std::optional<int> pop() {
    std::scoped_lock lock(mutex_);
    if (items_.empty()) return std::nullopt;
    const int value = items_.back();
    items_.pop_back();
    return value;
  }

 private:
  Mutex mutex_{"stack"};
  std::vector<int> items_;
};

template <class Stack>
void two_pops(const std::vector<int>& values) {
  Stack stack;
  for (int value : values) stack.push(value);
  Thread first("first pop", [&] { stack.pop(); });
  Thread second("second pop", [&] { stack.pop(); });
  first.join();
  second.join();
}

PropertyOptions quiet_options() {
  PropertyOptions options;
  options.rapidcheck_params = "max_success=100 seed=11";
  options.id = "weft_prop_test";
  return options;
}

TEST(Check, FindsShrinksAndReplaysABugThatNeedsOneItem) {
  const PropertyReport report =
      check(quiet_options(), [](std::vector<int> values) { two_pops<CheckThenPopStack>(values); });
  ASSERT_FALSE(report.ok()) << report.to_string();
  EXPECT_TRUE(report.error.empty()) << report.error;
  ASSERT_FALSE(report.report.ok());
  EXPECT_EQ(report.report.failure()->kind, FailureKind::kAssertion);
  EXPECT_THAT(report.report.failure()->message, HasSubstr("another pop took first"));
  // The input shrinks to the one item the bug needs, the smallest value.
  EXPECT_EQ(report.counterexample, "    std::tuple<std::vector<int>>: ([0])\n");
  // The schedule shrinks to its one preemption (between check and take).
  ASSERT_TRUE(report.report.shrink().has_value());
  EXPECT_EQ(report.report.preemptions(), 1u);
  EXPECT_TRUE(report.report.shrink()->minimal);
  EXPECT_THAT(report.rapidcheck_reproduce, StartsWith("reproduce="));
  const std::string text = report.to_string();
  EXPECT_THAT(text, HasSubstr("WEFT_REPLAY=" + report.report.repro() + " RC_PARAMS=\"" +
                              report.rapidcheck_reproduce + "\""));
  EXPECT_THAT(text, HasSubstr("std::tuple<std::vector<int>>: ([0])"));
  // Only one replay line.
  EXPECT_EQ(text.find("replay:"), text.rfind("replay:")) << text;

  // The two halves of the replay line re-run exactly that: one input, one
  // execution, the same failure on the same schedule.
  PropertyOptions again_options = quiet_options();
  again_options.rapidcheck_params = report.rapidcheck_reproduce;
  again_options.replay_token = report.report.repro();
  const PropertyReport again =
      check(again_options, [&](std::vector<int> values) { two_pops<CheckThenPopStack>(values); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.counterexample, report.counterexample);
  EXPECT_EQ(again.report.repro(), report.report.repro());
  EXPECT_EQ(again.report.schedule_hash(), report.report.schedule_hash());
  EXPECT_EQ(again.report.stats().executions, 1u);
}

TEST(Check, CorrectVersionPassesEveryInput) {
  int executions = 0;
  const PropertyReport report = check(quiet_options(), [&](std::vector<int> values) {
    ++executions;
    two_pops<LockedStack>(values);
  });
  EXPECT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.inputs_passed, 100);
  // Every input explored: 100 executions each (PropertyOptions' default).
  EXPECT_EQ(executions, 100 * 100);
}

TEST(Check, BadRapidcheckSettingsAreNamed) {
  PropertyOptions options = quiet_options();
  options.rapidcheck_params = "max_success=lots";
  const PropertyReport report = check(options, [](int) {});
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.to_string(), HasSubstr("bad rapidcheck settings"));
}

// ---- gtest integration ----------------------------------------------------

WEFT_PROP(WeftProp, LockedStackPops, (std::vector<int> values)) { two_pops<LockedStack>(values); }

// Run by the tests below (and in the XML test, in a child process).
WEFT_PROP(WeftProp, DISABLED_CheckThenPopStackPops, (std::vector<int> values)) {
  two_pops<CheckThenPopStack>(values);
}

// EXPECT_* in a simulated thread: one failure of the execution, reported
// once with its schedule, not one gtest failure per execution.
void expect_in_a_thread() {
  Atomic<int> counter{0, "counter"};
  auto add = [&] { counter.store(counter.load() + 1); };
  Thread a("a", add);
  Thread b("b", add);
  a.join();
  b.join();
  EXPECT_EQ(counter.load(), 2) << "an increment was lost";
}

TEST(GtestAssertions, FailTheExecutionWithItsSchedule) {
  Report report;
  EXPECT_NONFATAL_FAILURE((report = testing::run_weft_test("Gtest", "Expect", &expect_in_a_thread)),
                          "gtest assertion failed at tests/properties/weft_prop_test.cc:");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  EXPECT_THAT(report.failure()->message, HasSubstr("in thread 0 \"main\""));
  EXPECT_THAT(report.failure()->details, HasSubstr("an increment was lost"));
  EXPECT_EQ(report.preemptions(), 1u);  // Shrunk: one increment split.
  // The token replays the gtest failure (plain replay() leaves gtest's
  // assertions to gtest; the forwarder makes them the execution's).
  testing::internal::GtestFailuresToWeft forward;
  const Report again = replay(report.repro(), &expect_in_a_thread);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->message, report.failure()->message);
}

void assert_in_a_thread() {
  Atomic<int> counter{0, "counter"};
  Thread a("a", [&] {
    counter.store(1);
    ASSERT_EQ(counter.load(), 1) << "someone stored in between";
    counter.store(3);
  });
  Thread b("b", [&] { counter.store(2); });
  a.join();
  b.join();
}

TEST(GtestAssertions, AssertReturnsAndFailsTheExecution) {
  Report report;
  EXPECT_NONFATAL_FAILURE((report = testing::run_weft_test("Gtest", "Assert", &assert_in_a_thread)),
                          "someone stored in between");
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.failure()->message, HasSubstr("in thread 1 \"a\""));
}

TEST(GtestAssertions, NestedForwardersEachRestoreTheirReporter) {
  EXPECT_NONFATAL_FAILURE(
      {
        testing::internal::GtestFailuresToWeft outer;
        {
          testing::internal::GtestFailuresToWeft inner;
          ADD_FAILURE() << "inner failure";
        }
      },
      "inner failure");
  EXPECT_NONFATAL_FAILURE(
      {
        testing::internal::GtestFailuresToWeft outer;
        { testing::internal::GtestFailuresToWeft inner; }
        ADD_FAILURE() << "after the inner one";
      },
      "after the inner one");
}

TEST(GtestAssertions, OutsideASimulationTheyReachGtest) {
  EXPECT_NONFATAL_FAILURE(
      {
        testing::internal::GtestFailuresToWeft forward;
        ADD_FAILURE() << "plain failure";
      },
      "plain failure");
}

TEST(WeftPropGtest, FailingPropertyReportsBothHalves) {
  EXPECT_NONFATAL_FAILURE(
      testing::run_weft_prop("WeftProp", "CheckThenPopStackPops",
                             [](std::vector<int> values) { two_pops<CheckThenPopStack>(values); }),
      "RC_PARAMS=\"reproduce=");
}

TEST(WeftPropGtest, WeftRuntimeRealIsRefused) {
  testing::ScopedEnv env({{"WEFT_RUNTIME", "real"}});
  EXPECT_NONFATAL_FAILURE(testing::run_weft_prop("WeftProp", "Real", [](int) {}),
                          "WEFT_RUNTIME=real does not apply to WEFT_PROP");
}

// --gtest_output=xml carries the report: the failure message holds it and
// the test case has the token as a property.
TEST(WeftPropGtest, XmlOutputCarriesTheReport) {
  const std::string xml =
      ::testing::TempDir() + "weft_prop_test_" + std::to_string(getpid()) + ".xml";
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(length, 0);
  self[length] = '\0';
  const std::string command =
      absl::StrCat("'", self, "' --gtest_also_run_disabled_tests ",
                   "--gtest_filter=WeftProp.DISABLED_CheckThenPopStackPops --gtest_output=xml:'",
                   xml, "' > /dev/null 2>&1");
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);  // The property fails.
  std::ifstream file(xml);
  ASSERT_TRUE(file.good()) << xml;
  std::stringstream contents;
  contents << file.rdbuf();
  const std::string text = contents.str();
  EXPECT_THAT(text, HasSubstr("<failure message="));
  EXPECT_THAT(text, HasSubstr("WEFT_REPLAY=weft1:sched:"));
  EXPECT_THAT(text, HasSubstr("RC_PARAMS=&quot;reproduce="));
  EXPECT_THAT(text, HasSubstr("another pop took first"));
  EXPECT_THAT(text, HasSubstr("name=\"weft_repro\" value=\"weft1:sched:"));
  EXPECT_THAT(text, HasSubstr("name=\"rapidcheck_reproduce\" value=\"reproduce="));
  EXPECT_THAT(text, HasSubstr("name=\"weft_trace\" value=\""));
  EXPECT_THAT(text, HasSubstr(".trace.json"));
  std::remove(xml.c_str());
}

}  // namespace
}  // namespace weft
