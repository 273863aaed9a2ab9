// Copyright 2026 The weft Authors.
//
// Goal: every primitive keeps its contract on both runtimes. Method: each
// workload below checks its own outcome with WEFT_ASSERT and runs twice,
// explored under the simulator (every interleaving it tries must pass) and
// repeatedly on OS threads (run_real), as the _Sim and _Real tests.

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using testing::explore_with;
using testing::run_real_times;

constexpr uint64_t kSimIterations = 300;
constexpr int kRealRepeats = 20;

// Four threads increment a counter under a Mutex; no update is lost.
void mutex_counter() {
  Mutex mutex{"counter"};
  int counter = 0;
  std::vector<Thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back("worker", [&] {
      for (int i = 0; i < 5; ++i) {
        std::scoped_lock guard(mutex);
        ++counter;
      }
    });
  }
  for (Thread& thread : threads) thread.join();
  WEFT_ASSERT(counter == 20, "an increment under the mutex was lost");
}

// try_lock fails while another thread holds the mutex, succeeds after.
void mutex_try_lock() {
  Mutex mutex{"m"};
  Semaphore held(0);
  Semaphore done(0);
  Thread holder("holder", [&] {
    std::unique_lock lock(mutex);
    held.release();
    done.acquire();
  });
  held.acquire();
  WEFT_ASSERT(!mutex.try_lock(), "try_lock took a held mutex");
  done.release();
  holder.join();
  WEFT_ASSERT(mutex.try_lock(), "try_lock failed on a free mutex");
  mutex.unlock();
}

// A producer hands values to a consumer through a CondVar with a predicate.
void condvar_handoff() {
  Mutex mutex{"queue"};
  CondVar changed{"changed"};
  std::vector<int> queue;
  int received = 0;
  Thread consumer("consumer", [&] {
    for (int i = 0; i < 3; ++i) {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return !queue.empty(); });
      WEFT_ASSERT(queue.front() == i, "values arrived out of order");
      queue.erase(queue.begin());
      ++received;
    }
  });
  for (int i = 0; i < 3; ++i) {
    {
      std::scoped_lock guard(mutex);
      queue.push_back(i);
    }
    changed.notify_one();
  }
  consumer.join();
  WEFT_ASSERT(received == 3);
}

// A Semaphore of 2 never admits a third thread.
void semaphore_bounds_concurrency() {
  Semaphore slots(2, "slots");
  Atomic<int> inside{0, "inside"};
  std::vector<Thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back("user", [&] {
      slots.acquire();
      const int now_inside = inside.fetch_add(1) + 1;
      WEFT_ASSERT(now_inside <= 2, "more threads inside than slots");
      inside.fetch_sub(1);
      slots.release();
    });
  }
  for (Thread& thread : threads) thread.join();
}

// Readers may share; a writer excludes everyone.
void shared_mutex_excludes_writers() {
  SharedMutex table{"table"};
  Atomic<int> readers{0}, writers{0};
  std::vector<Thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back("reader", [&] {
      std::shared_lock lock(table);
      readers.fetch_add(1);
      WEFT_ASSERT(writers.load() == 0, "a reader saw a writer inside");
      readers.fetch_sub(1);
    });
  }
  threads.emplace_back("writer", [&] {
    std::unique_lock lock(table);
    writers.fetch_add(1);
    WEFT_ASSERT(readers.load() == 0, "a writer saw a reader inside");
    WEFT_ASSERT(writers.load() == 1, "two writers inside");
    writers.fetch_sub(1);
  });
  for (Thread& thread : threads) thread.join();
}

// compare_exchange, exchange and fetch_* behave as std::atomic's.
void atomic_operations() {
  Atomic<int> value{5};
  int expected = 4;
  WEFT_ASSERT(!value.compare_exchange_strong(expected, 9));
  WEFT_ASSERT(expected == 5, "a failed CAS must load the current value");
  WEFT_ASSERT(value.compare_exchange_strong(expected, 9));
  WEFT_ASSERT(value.exchange(3) == 9);
  WEFT_ASSERT(value.fetch_add(4) == 3);
  WEFT_ASSERT(value.fetch_or(16) == 7);
  WEFT_ASSERT(value.fetch_and(6) == 23);
  WEFT_ASSERT(value.fetch_xor(1) == 6);
  WEFT_ASSERT(value.load() == 7);
  ++value;
  value += 2;
  WEFT_ASSERT(value == 10);
}

// A timed wait with nobody to notify times out; sleep_for moves the clock.
void timed_waits() {
  Mutex mutex;
  CondVar never;
  std::unique_lock lock(mutex);
  const Clock::time_point before = now();
  const bool woke = never.wait_for(lock, std::chrono::milliseconds(5), [] { return false; });
  WEFT_ASSERT(!woke, "a wait nobody notifies reported success");
  WEFT_ASSERT(now() - before >= std::chrono::milliseconds(5), "the wait did not wait");
  lock.unlock();
  Semaphore empty(0);
  WEFT_ASSERT(!empty.try_acquire_for(std::chrono::milliseconds(1)));
  WEFT_ASSERT(!empty.try_acquire());
  const Clock::time_point slept_from = now();
  sleep_for(std::chrono::milliseconds(2));
  WEFT_ASSERT(now() - slept_from >= std::chrono::milliseconds(2));
}

struct Case {
  const char* name;
  void (*workload)();
};

class Primitives : public ::testing::TestWithParam<Case> {};

TEST_P(Primitives, HoldUnderSimulation_Sim) {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = explore_with(GetParam().workload, kSimIterations, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
    EXPECT_EQ(report.stats().executions, kSimIterations);
  }
}

TEST_P(Primitives, HoldOnOsThreads_Real) {
  const Report report = run_real_times(GetParam().workload, kRealRepeats);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

INSTANTIATE_TEST_SUITE_P(
    All, Primitives,
    ::testing::Values(Case{"MutexCounter", &mutex_counter}, Case{"MutexTryLock", &mutex_try_lock},
                      Case{"CondVarHandoff", &condvar_handoff},
                      Case{"SemaphoreBoundsConcurrency", &semaphore_bounds_concurrency},
                      Case{"SharedMutexExcludesWriters", &shared_mutex_excludes_writers},
                      Case{"AtomicOperations", &atomic_operations},
                      Case{"TimedWaits", &timed_waits}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// The checks above must be able to fail: a broken workload is reported on
// both runtimes, with the assertion's message and line.
void broken_counter() {
  Atomic<int> counter{0};
  Thread a("a", [&] { counter.store(counter.load() + 1); });
  Thread b("b", [&] { counter.store(counter.load() + 1); });
  a.join();
  b.join();
  WEFT_ASSERT(counter.load() == 2, "lost update");
}

TEST(Primitives, AssertionFailureIsReported_Sim) {
  const Report report = explore_with(&broken_counter, 1000);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  EXPECT_NE(report.failure()->message.find("lost update"), std::string::npos);
  EXPECT_NE(report.failure()->message.find("primitives_test.cc"), std::string::npos);
}

TEST(Primitives, AssertionFailureIsReported_Real) {
  const Report report = run_real([] { WEFT_ASSERT(1 + 1 == 3, "arithmetic"); });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  EXPECT_NE(report.failure()->message.find("arithmetic"), std::string::npos);
}

TEST(Primitives, ExceptionInThreadIsReported_Real) {
  const Report report = run_real([] {
    Thread thrower("thrower", [] { throw std::runtime_error("boom"); });
    thrower.join();
  });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kException);
  EXPECT_NE(report.failure()->message.find("boom"), std::string::npos);
  EXPECT_EQ(report.failure()->thread_name, "thrower");
}

TEST(Primitives, ThreadDestroyedWithoutJoinIsReported_Real) {
  const Report report = run_real([] { Thread forgotten("forgotten", [] {}); });
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kLeakedThread);
  EXPECT_NE(report.failure()->message.find("forgotten"), std::string::npos);
}

}  // namespace
}  // namespace weft
