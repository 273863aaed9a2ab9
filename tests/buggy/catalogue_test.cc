// Copyright 2026 The weft Authors.
//
// Goal: the catalogue of buggy workloads (examples/workloads/catalogue.cc) is
// well formed: every registered name is found by find_workload(), names are
// unique and usable on a command line, every entry has both versions and a
// one-line description, and the workloads tests/buggy/ checks are registered.
//
// Method: walk catalogue() and look each entry up by name; the per-workload
// behaviour (bug found, replay, fixed twin) is tested in
// tests/buggy/<name>_test.cc.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

TEST(Catalogue, FindWorkloadFindsEveryRegisteredName) {
  ASSERT_FALSE(catalogue().empty());
  for (const Workload& workload : catalogue()) {
    const Workload* found = find_workload(workload.name);
    ASSERT_NE(found, nullptr) << workload.name;
    EXPECT_EQ(found, &workload) << workload.name;
  }
}

TEST(Catalogue, NamesAreUnique) {
  std::set<std::string_view> seen;
  for (const Workload& workload : catalogue()) {
    EXPECT_TRUE(seen.insert(workload.name).second) << "duplicate name " << workload.name;
  }
}

TEST(Catalogue, NamesAreLowercaseIdentifiers) {
  for (const Workload& workload : catalogue()) {
    EXPECT_THAT(std::string(workload.name), ::testing::MatchesRegex("[a-z][a-z0-9_]*"));
  }
}

TEST(Catalogue, FindWorkloadReturnsNullForUnknownName) {
  EXPECT_EQ(find_workload("no_such_workload"), nullptr);
  EXPECT_EQ(find_workload(""), nullptr);
  EXPECT_EQ(find_workload("Bank"), nullptr);  // Names are case-sensitive.
}

TEST(Catalogue, EveryEntryHasBothVersionsAndOneLineDescription) {
  for (const Workload& workload : catalogue()) {
    EXPECT_NE(workload.buggy, nullptr) << workload.name;
    EXPECT_NE(workload.fixed, nullptr) << workload.name;
    EXPECT_NE(workload.buggy, workload.fixed) << workload.name;
    EXPECT_FALSE(workload.description.empty()) << workload.name;
    EXPECT_EQ(workload.description.find('\n'), std::string_view::npos) << workload.name;
  }
}

TEST(Catalogue, RegistersEveryWorkloadTestedInTestsBuggy) {
  std::vector<std::string_view> names;
  for (const Workload& workload : catalogue()) names.push_back(workload.name);
  EXPECT_THAT(names,
              ::testing::IsSupersetOf(
                  {"bank", "philosophers", "lost_update", "check_then_act", "order_violation",
                   "lost_wakeup", "bounded_buffer", "async_lock_order", "async_check_then_act",
                   "lost_last_message", "timeout_half_update", "channel_cycle"}));
}

TEST(Catalogue, ExpectedKindsMatchTheBugs) {
  const std::vector<std::pair<std::string_view, FailureKind>> expected = {
      {"bank", FailureKind::kDeadlock},
      {"philosophers", FailureKind::kDeadlock},
      {"lost_update", FailureKind::kAssertion},
      {"check_then_act", FailureKind::kAssertion},
      {"order_violation", FailureKind::kAssertion},
      {"lost_wakeup", FailureKind::kDeadlock},
      {"bounded_buffer", FailureKind::kDeadlock},
      {"async_lock_order", FailureKind::kDeadlock},
      {"async_check_then_act", FailureKind::kAssertion},
      {"lost_last_message", FailureKind::kAssertion},
      {"timeout_half_update", FailureKind::kAssertion},
      {"channel_cycle", FailureKind::kDeadlock},
  };
  for (const auto& [name, kind] : expected) {
    const Workload* workload = find_workload(name);
    ASSERT_NE(workload, nullptr) << name;
    EXPECT_EQ(workload->expected, kind)
        << name << " is registered as " << failure_kind_name(workload->expected);
  }
}

TEST(Catalogue, ExpectedKindsAreWorkloadBugs) {
  for (const Workload& workload : catalogue()) {
    EXPECT_NE(workload.expected, FailureKind::kNonDeterministic) << workload.name;
    EXPECT_NE(workload.expected, FailureKind::kInvalidArgument) << workload.name;
  }
}

}  // namespace
}  // namespace weft::examples
