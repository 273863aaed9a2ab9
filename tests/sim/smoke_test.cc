// Copyright 2026 The weft Authors.

#include <gtest/gtest.h>

#include "examples/workloads/catalogue.h"
#include "weft/weft.h"

namespace weft {
namespace {

TEST(Smoke, FindsBankDeadlock) {
  ExploreOptions options;
  options.iterations = 1000;
  Report report = explore(options, &examples::bank_deadlock);
  ASSERT_FALSE(report.ok());
  std::cerr << report.to_string();
  EXPECT_EQ(report.failure()->kind, FailureKind::kDeadlock);
  Report again = replay(report.repro(), &examples::bank_deadlock);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
}

TEST(Smoke, FixedBankPasses) {
  ExploreOptions options;
  options.iterations = 1000;
  Report report = explore(options, &examples::bank_fixed);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft
