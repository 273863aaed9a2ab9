// Copyright 2026 The weft Authors.
//
// Goal: threads and tasks work together, in one decision space under the
// simulator: to_thread runs a blocking call on a thread while the loop runs
// other tasks, a thread posts tasks to a running loop, two loops on two
// threads run side by side, and a task touching thread primitives
// interleaves with threads — so a race between a task and a thread is found.
// Method: real loop + OS threads once, then explored (random and PCT).

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using std::chrono::milliseconds;

using testing::on_both_runtimes;

Task<int> ticker(Atomic<int>& ticks) {
  for (int i = 0; i < 3; ++i) {
    co_await sleep_for(milliseconds(1));
    ticks.fetch_add(1);
  }
  co_return 3;
}

TEST(ToThread, RunsTheCallableOnAThreadAndReturnsItsValue) {
  on_both_runtimes([] {
    Atomic<int> ticks{0};
    const int result = run([](Atomic<int>& ticks) -> Task<int> {
      auto ticking = spawn(ticker(ticks));
      const int computed = co_await to_thread([] {
        int sum = 0;
        for (int i = 1; i <= 10; ++i) sum += i;
        return sum;
      });
      co_return computed + co_await ticking;
    }(ticks));
    WEFT_ASSERT(result == 58);
    WEFT_ASSERT(ticks.load() == 3);
  });
}

TEST(ToThread, RethrowsTheCallablesException) {
  on_both_runtimes([] {
    bool caught = false;
    run([](bool& caught) -> Task<void> {
      try {
        co_await to_thread([] { throw std::runtime_error("in thread"); });
      } catch (const std::runtime_error&) {
        caught = true;
      }
    }(caught));
    WEFT_ASSERT(caught);
  });
}

TEST(LoopHandle, AThreadPostsTasksToARunningLoop) {
  on_both_runtimes([] {
    Atomic<int> ran{0};
    Mutex mutex;
    std::vector<int> seen;
    run([](Atomic<int>& ran, Mutex& mutex, std::vector<int>& seen) -> Task<void> {
      LoopHandle loop = this_loop();
      Thread poster("poster", [&, loop]() mutable {
        for (int i = 0; i < 3; ++i) {
          WEFT_ASSERT(loop.post(
              [](Atomic<int>& ran, Mutex& mutex, std::vector<int>& seen, int i) -> Task<void> {
                std::scoped_lock lock(mutex);
                seen.push_back(i);
                ran.fetch_add(1);
                co_return;
              }(ran, mutex, seen, i)));
        }
      });
      while (ran.load() < 3) co_await sleep_for(milliseconds(1));
      poster.join();
    }(ran, mutex, seen));
    // Posted tasks are concurrent: the simulator runs them in any order.
    std::sort(seen.begin(), seen.end());
    WEFT_ASSERT(seen == (std::vector<int>{0, 1, 2}));
  });
}

TEST(LoopHandle, PostingToAFinishedLoopIsRefused) {
  LoopHandle handle = run([]() -> Task<LoopHandle> { co_return this_loop(); }());
  EXPECT_FALSE(handle.post([]() -> Task<void> { co_return; }()));
}

TEST(Loops, TwoThreadsRunALoopEach) {
  on_both_runtimes([] {
    Atomic<int> total{0};
    auto body = [&total] {
      const int value = run([](Atomic<int>& total) -> Task<int> {
        std::vector<Task<int>> tasks;
        for (int i = 0; i < 3; ++i) tasks.push_back(ticker(total));
        const std::vector<int> values = co_await when_all(std::move(tasks));
        co_return values[0] + values[1] + values[2];
      }(total));
      WEFT_ASSERT(value == 9);
    };
    Thread a("loop a", body);
    Thread b("loop b", body);
    a.join();
    b.join();
    WEFT_ASSERT(total.load() == 18);
  });
}

// A task and a thread race on a counter through a weft::Atomic read and
// write (not a fetch_add): the explorer finds the lost update.
Task<void> racy_increment(Atomic<int>& counter) {
  const int seen = counter.load();
  co_await sleep_for(milliseconds(0));
  counter.store(seen + 1);
}

TEST(Interleaving, ARaceBetweenATaskAndAThreadIsFound) {
  ExploreOptions options;
  options.strategy = Strategy::kRandom;
  options.iterations = 500;
  const Report report = explore(options, [] {
    Atomic<int> counter{0};
    Thread other("other", [&] { counter.store(counter.load() + 1); });
    run(racy_increment(counter));
    other.join();
    WEFT_ASSERT(counter.load() == 2, "lost update");
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  const Report again = replay(report.repro(), [] {
    Atomic<int> counter{0};
    Thread other("other", [&] { counter.store(counter.load() + 1); });
    run(racy_increment(counter));
    other.join();
    WEFT_ASSERT(counter.load() == 2, "lost update");
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.trace(), report.trace());
}

}  // namespace
}  // namespace weft
