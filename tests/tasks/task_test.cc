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
#include <coroutine>
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
// The sanitizers instrument function exits, which turns the tail call of
// symmetric transfer into a real call: under them the chain is kept shallow.
TEST(Task, DeepAwaitChainsDoNotGrowTheStack) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
  constexpr int kDepth = 1'000;
#else
  constexpr int kDepth = 1'000'000;
#endif
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

// ---- cancellation --------------------------------------------------------

struct Cleanup {
  int& count;
  ~Cleanup() { ++count; }
};

Task<int> long_sleeper(int& cleanups, bool& finished) {
  Cleanup cleanup{cleanups};
  co_await sleep_for(std::chrono::hours(1));
  finished = true;
  co_return 1;
}

Task<bool> cancel_a_sleeper(int& cleanups, bool& finished) {
  auto handle = spawn(long_sleeper(cleanups, finished), "sleeper");
  co_await sleep_for(milliseconds(1));  // Let it start and suspend.
  handle.cancel();
  try {
    co_await handle.join();
  } catch (const Cancelled&) {
    co_return true;
  }
  co_return false;
}

TEST(Task, CancelDeliversCancelledAtTheSuspensionPointAndRunsCleanup) {
  int cleanups = 0;
  bool finished = false;
  EXPECT_TRUE(run(cancel_a_sleeper(cleanups, finished)));
  EXPECT_EQ(cleanups, 1);
  EXPECT_FALSE(finished);

  const Report report = testing::explore_with(
      [] {
        int cleanups = 0;
        bool finished = false;
        const auto start = now();
        WEFT_ASSERT(run(cancel_a_sleeper(cleanups, finished)));
        WEFT_ASSERT(cleanups == 1 && !finished);
        // The hour-long timer was disarmed: virtual time did not jump to it.
        WEFT_ASSERT(now() - start == milliseconds(1));
      },
      100);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// A task cancelled before it first runs never runs at all (asyncio too).
Task<int> busy(int& steps) {
  for (int i = 0; i < 1000; ++i) ++steps;
  co_return steps;
}

// Awaits `handle`; whether the task ended cancelled.
template <typename T>
Task<bool> ended_cancelled(JoinHandle<T>& handle) {
  try {
    co_await handle;
  } catch (const Cancelled&) {
    co_return true;
  }
  co_return false;
}

Task<bool> cancel_before_start(int& steps) {
  auto handle = spawn(busy(steps));
  handle.cancel();
  co_return co_await ended_cancelled(handle);
}

TEST(Task, ATaskCancelledBeforeItStartsNeverRuns) {
  int steps = 0;
  EXPECT_TRUE(run(cancel_before_start(steps)));
  EXPECT_EQ(steps, 0);
  const Report report = testing::explore_with(
      [] {
        int steps = 0;
        WEFT_ASSERT(run(cancel_before_start(steps)) && steps == 0);
      },
      50);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// Between suspension points a task is not interrupted: cancelling a started
// task that is ready to run is delivered when it next reaches a weft awaitable.
Task<int> counts_between_suspensions(int& steps) {
  co_await sleep_for(milliseconds(0));
  for (int i = 0; i < 1000; ++i) ++steps;  // Not interrupted.
  co_await sleep_for(milliseconds(0));     // Cancelled here.
  co_return -1;
}

// Returns whether the task was cancelled (it may also finish first).
Task<bool> cancel_while_ready(int& steps) {
  auto handle = spawn(counts_between_suspensions(steps));
  co_await sleep_for(milliseconds(0));  // It may start and suspend, ready again.
  handle.cancel();
  co_return co_await ended_cancelled(handle);
}

TEST(Task, CancellationArrivesAtTheNextSuspensionPoint) {
  int steps = 0;
  EXPECT_TRUE(run(cancel_while_ready(steps)));  // FIFO: cancelled as it resumes its first sleep.
  EXPECT_EQ(steps, 0);
  const Report report = testing::explore_with(
      [] {
        int steps = 0;
        const bool cancelled = run(cancel_while_ready(steps));
        // Cancelled somewhere, or finished first: never cut between suspensions.
        WEFT_ASSERT(cancelled ? (steps == 0 || steps == 1000) : steps == 1000,
                    "a task was interrupted between suspensions");
      },
      200);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// An execution that ends (a failure elsewhere) while a spawned task is
// blocked on a thread primitive unwinds the loop's host cleanly (found in
// review: the task used to keep the simulator's abort as its own exception).
Task<void> locks_a_thread_mutex(Mutex& mutex) {
  std::scoped_lock lock(mutex);
  co_return;
}

Task<void> blocked_when_the_execution_ends(Mutex& mutex) {
  auto handle = spawn(locks_a_thread_mutex(mutex));
  co_await handle;
}

TEST(Task, AnExecutionEndingWhileATaskBlocksOnAThreadMutexUnwinds) {
  const Report report = testing::explore_with(
      [] {
        Mutex mutex;
        mutex.lock();
        Thread failing("failing", [] { WEFT_ASSERT(false, "a failure elsewhere"); });
        run(blocked_when_the_execution_ends(mutex));
        mutex.unlock();
        failing.join();
      },
      100);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.failure()->message.find("a failure elsewhere"), std::string::npos)
      << report.to_string();
}

// A task can catch Cancelled, clean up with more awaits, and finish.
Task<int> stubborn(bool& cleaned) {
  try {
    co_await sleep_for(std::chrono::hours(1));
  } catch (const Cancelled&) {
    cleaned = true;
  }
  co_await sleep_for(milliseconds(5));  // Awaiting again after catching works.
  co_return 7;
}

Task<int> cancel_stubborn(bool& cleaned) {
  auto handle = spawn(stubborn(cleaned));
  co_await sleep_for(milliseconds(1));
  handle.cancel();
  co_return co_await handle;
}

TEST(Task, ACancelledTaskMayCatchAndFinish) {
  bool cleaned = false;
  EXPECT_EQ(run(cancel_stubborn(cleaned)), 7);
  EXPECT_TRUE(cleaned);
  const Report report = testing::explore_with(
      [] {
        bool cleaned = false;
        WEFT_ASSERT(run(cancel_stubborn(cleaned)) == 7 && cleaned);
      },
      50);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// weft::run cancels what the root task left running, and lets it clean up.
Task<void> leave_one_running(int& cleanups, bool& finished) {
  auto handle = spawn(long_sleeper(cleanups, finished), "orphan");
  handle.detach();
  co_await sleep_for(milliseconds(1));
}

TEST(Task, RunCancelsTasksLeftRunning) {
  int cleanups = 0;
  bool finished = false;
  run(leave_one_running(cleanups, finished));
  EXPECT_EQ(cleanups, 1);
  EXPECT_FALSE(finished);
}

// ---- exceptions nobody awaited ----------------------------------------------

Task<void> fails_later() {
  co_await sleep_for(milliseconds(1));
  throw std::runtime_error("lost failure");
}

Task<int> drop_a_failing_task() {
  spawn(fails_later(), "dropped").detach();
  co_await sleep_for(milliseconds(5));
  co_return 1;
}

TEST(Task, AnExceptionNobodyAwaitedIsReportedOnTheRealLoop) {
  try {
    run(drop_a_failing_task());
    FAIL() << "weft::run returned";
  } catch (const UnawaitedTaskError& error) {
    EXPECT_NE(std::string(error.what()).find("lost failure"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("\"dropped\""), std::string::npos) << error.what();
  }
}

TEST(Task, AnExceptionNobodyAwaitedIsAFailureUnderSimulation) {
  const Report report = testing::explore_with([] { run(drop_a_failing_task()); }, 10);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kException);
  EXPECT_NE(report.failure()->details.find("lost failure"), std::string::npos)
      << report.to_string();
  const Report again = replay(report.repro(), [] { run(drop_a_failing_task()); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->message, report.failure()->message);
}

Task<int> await_a_failing_task() {
  auto handle = spawn(fails_later());
  try {
    co_await handle;
  } catch (const std::runtime_error&) {
    co_return 2;
  }
  co_return 0;
}

TEST(Task, AnAwaitedExceptionIsNotReportedAgain) {
  EXPECT_EQ(run(await_a_failing_task()), 2);
  const Report report =
      testing::explore_with([] { WEFT_ASSERT(run(await_a_failing_task()) == 2); }, 20);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// ---- misuse -------------------------------------------------------------------

TEST(Task, SpawnOutsideATaskIsAClearError) {
  try {
    auto handle = spawn(add_one(1));
    FAIL() << "spawn outside a loop returned";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("outside a task"), std::string::npos);
  }
}

Task<int> nested_run() { co_return run(add_one(1)); }

TEST(Task, RunInsideATaskIsAClearError) { EXPECT_THROW(run(nested_run()), std::logic_error); }

Task<void> awaits_foreign() { co_await std::suspend_always{}; }

TEST(Task, SuspendingOnAForeignAwaitableIsReported) {
  EXPECT_THROW(run(awaits_foreign()), UnawaitedTaskError);
  const Report report = testing::explore_with([] { run(awaits_foreign()); }, 1);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.failure()->message.find("awaitable weft does not know"), std::string::npos)
      << report.to_string();
}

// ---- every order of ready tasks is explored -----------------------------------

Task<void> append(std::vector<int>& order, int id) {
  order.push_back(id);
  co_return;
}

Task<void> three_ready(std::vector<int>& order) {
  auto a = spawn(append(order, 1));
  auto b = spawn(append(order, 2));
  auto c = spawn(append(order, 3));
  co_await a;
  co_await b;
  co_await c;
}

TEST(Task, TheSimulatorTriesEveryOrderOfReadyTasks) {
  // The real loop is FIFO.
  std::vector<int> order;
  run(three_ready(order));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  // The explorer finds the orders a FIFO loop never shows.
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    ExploreOptions options;
    options.strategy = strategy;
    options.iterations = 2000;
    const Report report = explore(options, [] {
      std::vector<int> order;
      run(three_ready(order));
      WEFT_ASSERT(order != (std::vector<int>{3, 2, 1}), "found the reverse order");
    });
    ASSERT_FALSE(report.ok()) << "strategy " << static_cast<int>(strategy);
    EXPECT_NE(report.failure()->message.find("found the reverse order"), std::string::npos);
  }
}

}  // namespace
}  // namespace weft
