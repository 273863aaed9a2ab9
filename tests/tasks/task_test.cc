// Copyright 2026 The weft Authors.
//
// Goal: weft::Task, weft::run, weft::spawn, JoinHandle and the sleep
// awaitables behave like asyncio's counterparts on both runtimes: values and
// exceptions come back through co_await, spawned tasks run concurrently,
// cancellation arrives at the next suspension, exceptions nobody awaited are
// reported, and deep await chains do not grow the stack.
// Method: each workload runs under weft::run on the real loop and under the
// simulator (explored, so every order of ready tasks is tried).

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using std::chrono::milliseconds;

Task<int> add_one(int x) { co_return x + 1; }

Task<int> chain(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await chain(depth - 1);
}

Task<int> twice(int x) {
  const int a = co_await add_one(x);
  const int b = co_await add_one(a);
  co_return b;
}

TEST(Task, RunReturnsTheValueOnTheRealLoop) { EXPECT_EQ(run(twice(5)), 7); }

TEST(Task, RunReturnsTheValueUnderSimulation) {
  const Report report = testing::explore_with([] { WEFT_ASSERT(run(twice(5)) == 7); }, 50);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

Task<void> thrower() {
  co_await sleep_for(milliseconds(1));
  throw std::runtime_error("boom");
}

Task<std::string> catches() {
  try {
    co_await thrower();
  } catch (const std::runtime_error& error) {
    co_return error.what();
  }
  co_return "no exception";
}

TEST(Task, ExceptionsPropagateThroughCoAwait) {
  EXPECT_EQ(run(catches()), "boom");
  EXPECT_THROW(run(thrower()), std::runtime_error);
  const Report report = testing::explore_with([] { WEFT_ASSERT(run(catches()) == "boom"); }, 20);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// A million nested co_awaits: symmetric transfer keeps the stack flat (a
// simulated thread has a 256 KiB stack, so recursion would overflow it).
TEST(Task, DeepAwaitChainsDoNotGrowTheStack) {
  constexpr int kDepth = 1'000'000;
  EXPECT_EQ(run(chain(kDepth)), kDepth);
  const Report report = testing::explore_with([] { WEFT_ASSERT(run(chain(kDepth)) == kDepth); }, 1);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

Task<int> sleeper(int id, milliseconds delay, std::vector<int>& order) {
  co_await sleep_for(delay);
  order.push_back(id);
  co_return id;
}

Task<int> three_sleepers(std::vector<int>& order) {
  auto a = spawn(sleeper(1, milliseconds(30), order), "a");
  auto b = spawn(sleeper(2, milliseconds(10), order), "b");
  auto c = spawn(sleeper(3, milliseconds(20), order), "c");
  const int sum = co_await a + co_await b + co_await c;
  co_return sum;
}

TEST(Task, SpawnedTasksSleepConcurrently) {
  std::vector<int> order;
  EXPECT_EQ(run(three_sleepers(order)), 6);
  EXPECT_EQ(order, (std::vector<int>{2, 3, 1}));

  const Report report = testing::explore_with(
      [] {
        std::vector<int> order;
        const auto start = now();
        WEFT_ASSERT(run(three_sleepers(order)) == 6);
        WEFT_ASSERT(order == (std::vector<int>{2, 3, 1}));
        WEFT_ASSERT(now() - start == milliseconds(30));  // Virtual time: exact.
      },
      200);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

}  // namespace
}  // namespace weft
