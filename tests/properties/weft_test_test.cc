// Copyright 2026 The weft Authors.
//
// Goal: WEFT_TEST explores its body and fails the gtest test with the report
// (replay line included) when an execution fails; the WEFT_* environment
// variables steer it, and a bad value fails the test with a message naming
// the variable. Method: WEFT_TESTs on passing bodies, and run_weft_test on
// failing ones inside EXPECT_NONFATAL_FAILURE, with the environment set per
// test (and restored).

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "examples/workloads/catalogue.h"
#include "tests/common/scoped_env.h"
#include "weft/env_options.h"
#include "weft/gtest.h"

namespace weft {
namespace {

using ::testing::HasSubstr;

WEFT_TEST(WeftTest, FixedBankPassesEveryExploredSchedule) { examples::bank_fixed(); }

int body_runs = 0;
void counted_body() {
  ++body_runs;
  Mutex mutex;
  Thread worker("worker", [&] { std::scoped_lock guard(mutex); });
  worker.join();
}

TEST(WeftTest, DefaultIsAThousandPctExecutionsOfTheBody) {
  body_runs = 0;
  const Report report = testing::run_weft_test("WeftTest", "Counted", &counted_body);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(body_runs, 1000);
  EXPECT_EQ(report.stats().executions, 1000u);
  EXPECT_THAT(report.to_string(), HasSubstr("strategy pct d=3"));
}

using testing::ScopedEnv;

Report last_report;
void run_bank_deadlock() {
  last_report = testing::run_weft_test("Bank", "Deadlock", &examples::bank_deadlock);
}

TEST(WeftTest, FailingBodyFailsTheTestWithTheReport) {
  EXPECT_NONFATAL_FAILURE(run_bank_deadlock(), "DEADLOCK");
  EXPECT_NONFATAL_FAILURE(run_bank_deadlock(), "_filter=Bank.Deadlock");
  // The shrunk schedule, written out: one preemption, the fewest possible.
  EXPECT_NONFATAL_FAILURE(run_bank_deadlock(), "WEFT_REPLAY=weft1:sched:");
  EXPECT_NONFATAL_FAILURE(run_bank_deadlock(), "1 preemption; shrunk from");
  // The replay command names this binary (relative to the repository root
  // outside Bazel, so that it can be pasted there) or this Bazel target.
  const std::string& command = last_report.replay_command();
  if (std::getenv("TEST_TARGET") != nullptr) {
    EXPECT_THAT(command, ::testing::StartsWith("bazel test //tests:properties_weft_test_test"));
  } else {
    EXPECT_THAT(command, ::testing::HasSubstr("properties_weft_test_test --gtest_filter="));
    EXPECT_NE(command.front(), '/') << "expected a path relative to the repository root";
  }
}

TEST(WeftTest, ReplayVariableRunsThatExecution) {
  const Report found = testing::run_weft_test("Bank", "Deadlock", &examples::bank_fixed);
  ExploreOptions options;
  const Report failing = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(failing.ok());
  ScopedEnv env({{"WEFT_REPLAY", failing.repro()}});
  Report replayed;
  EXPECT_NONFATAL_FAILURE(
      (replayed = testing::run_weft_test("Bank", "Deadlock", &examples::bank_deadlock)),
      "replay of a written-out schedule");
  ASSERT_FALSE(replayed.ok());
  EXPECT_EQ(replayed.schedule_hash(), failing.schedule_hash());
  EXPECT_EQ(replayed.stats().executions, 1u);
  EXPECT_TRUE(found.ok());
}

TEST(WeftTest, EnvironmentChoosesStrategySeedAndIterations) {
  ScopedEnv env({{"WEFT_STRATEGY", "random"}, {"WEFT_SEED", "7"}, {"WEFT_ITERATIONS", "33"}});
  const Report report = testing::run_weft_test("Bank", "Fixed", &examples::bank_fixed);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.stats().executions, 33u);
  EXPECT_THAT(report.to_string(), HasSubstr("random, seed 7"));
}

TEST(WeftTest, RealRuntimeRunsOnOsThreads) {
  ScopedEnv env({{"WEFT_RUNTIME", "real"}, {"WEFT_REAL_REPEATS", "5"}});
  const Report report = testing::run_weft_test("Bank", "Fixed", &examples::bank_fixed);
  EXPECT_TRUE(report.ok()) << report.to_string();
  EXPECT_EQ(report.stats().executions, 5u);
}

void run_with_bad_strategy() {
  ScopedEnv env({{"WEFT_STRATEGY", "bogus"}});
  testing::run_weft_test("Bank", "Fixed", &examples::bank_fixed);
}

TEST(WeftTest, UnknownValueFailsNamingTheVariable) {
  EXPECT_NONFATAL_FAILURE(run_with_bad_strategy(), "WEFT_STRATEGY='bogus' is not valid");
}

// config_from_env on its own, with a fake environment.
absl::StatusOr<EnvConfig> config_with(std::map<std::string, std::string> values) {
  return config_from_env(ExploreOptions{}, [values](const char* name) -> const char* {
    auto found = values.find(name);
    return found == values.end() ? nullptr : found->second.c_str();
  });
}

TEST(EnvOptions, DefaultsWhenNothingIsSet) {
  const absl::StatusOr<EnvConfig> config = config_with({});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->explore.iterations, 1000u);
  EXPECT_EQ(config->explore.strategy, Strategy::kPct);
  EXPECT_EQ(config->runtime, Runtime::kSim);
  EXPECT_FALSE(config->replay_token.has_value());
  EXPECT_TRUE(config->explore.shrink);
  EXPECT_EQ(config->explore.shrink_max_runs, 20'000u);
  EXPECT_EQ(config->explore.preemption_bound, 2);
  EXPECT_EQ(config->explore.trace_dir, "weft-traces");
}

TEST(EnvOptions, TraceDirectory) {
  // Under Bazel: the test's undeclared outputs, which Bazel keeps.
  absl::StatusOr<EnvConfig> config = config_with({{"TEST_UNDECLARED_OUTPUTS_DIR", "/out"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->explore.trace_dir, "/out");
  config = config_with({{"WEFT_TRACE_DIR", "off"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->explore.trace_dir, "");
  config = config_with({{"WEFT_STRATEGY", "dfs"}});
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->explore.strategy, Strategy::kDfs);
}

TEST(EnvOptions, ReadsEveryVariable) {
  const absl::StatusOr<EnvConfig> config = config_with({{"WEFT_ITERATIONS", "5"},
                                                        {"WEFT_SEED", "9"},
                                                        {"WEFT_STRATEGY", "random"},
                                                        {"WEFT_PCT_DEPTH", "4"},
                                                        {"WEFT_MAX_STEPS", "77"},
                                                        {"WEFT_RUNTIME", "real"},
                                                        {"WEFT_REAL_REPEATS", "3"},
                                                        {"WEFT_PREEMPTION_BOUND", "0"},
                                                        {"WEFT_SHRINK", "0"},
                                                        {"WEFT_SHRINK_RUNS", "12"},
                                                        {"WEFT_TRACE_DIR", "/tmp/traces"}});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->explore.preemption_bound, 0);
  EXPECT_FALSE(config->explore.shrink);
  EXPECT_EQ(config->explore.shrink_max_runs, 12u);
  EXPECT_EQ(config->explore.trace_dir, "/tmp/traces");
  EXPECT_EQ(config->explore.iterations, 5u);
  EXPECT_EQ(config->explore.seed, 9u);
  EXPECT_EQ(config->explore.strategy, Strategy::kRandom);
  EXPECT_EQ(config->explore.pct_depth, 4);
  EXPECT_EQ(config->explore.max_steps, 77u);
  EXPECT_EQ(config->runtime, Runtime::kReal);
  EXPECT_EQ(config->real_repeats, 3u);
}

TEST(EnvOptions, RejectsBadValuesByName) {
  const std::map<std::string, std::string> bad[] = {
      {{"WEFT_ITERATIONS", "0"}},        {{"WEFT_ITERATIONS", "ten"}},
      {{"WEFT_ITERATIONS", "-5"}},       {{"WEFT_SEED", "1.5"}},
      {{"WEFT_STRATEGY", "dpor"}},       {{"WEFT_PCT_DEPTH", "65"}},
      {{"WEFT_MAX_STEPS", ""}},          {{"WEFT_RUNTIME", "fast"}},
      {{"WEFT_REPLAY", "weft1:oops"}},   {{"WEFT_REAL_REPEATS", "0"}},
      {{"WEFT_SHRINK", "yes"}},          {{"WEFT_SHRINK_RUNS", "0"}},
      {{"WEFT_PREEMPTION_BOUND", "65"}}, {{"WEFT_TRACE_DIR", ""}},
  };
  for (const auto& values : bad) {
    const absl::StatusOr<EnvConfig> config = config_with(values);
    ASSERT_FALSE(config.ok()) << values.begin()->first << "=" << values.begin()->second;
    EXPECT_THAT(std::string(config.status().message()), HasSubstr(values.begin()->first));
  }
}

}  // namespace
}  // namespace weft
