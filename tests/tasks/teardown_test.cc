// Copyright 2026 The weft Authors.
//
// Goal: the edges of a loop's life hold up — found in review, each test
// failed before its fix: an execution that ends while tasks are blocked or
// sleeping unwinds cleanly even when destructors cancel other tasks; a post
// that LoopHandle::post accepted always runs; a disarmed timer does not keep
// a deadlocked real loop waiting; running out of file descriptors is an
// error, not undefined behaviour.
// Method: gtest on both runtimes; under ASan/UBSan in CI.

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <system_error>
#include <thread>

#include "gtest/gtest.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using namespace std::chrono_literals;

// RAII "cancel the child on scope exit", a structured-concurrency habit.
struct CancelOnExit {
  JoinHandle<void>* handle;
  ~CancelOnExit() { handle->cancel(); }
};

Task<void> sleeper() { co_await sleep_for(1h); }

TEST(Teardown, DestructorsMayCancelTasksWhileASimulatedLoopUnwinds) {
  const Report report = testing::explore_with(
      [] {
        Thread host("host", [] {
          run([]() -> Task<void> {
            JoinHandle<void> child = spawn(sleeper(), "sleeper");
            CancelOnExit guard{&child};
            co_await sleep_for(5ms);
            co_await child;
          }());
        });
        sleep_for(10ms);  // The child sleeps (1 h), its parent awaits it.
        WEFT_ASSERT(false, "end the execution");
        host.join();
      },
      5);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.failure()->message.find("end the execution"), std::string::npos);
}

TEST(Teardown, DestructorsMayCancelTasksWhileARealLoopUnwinds) {
  // A foreign awaitable makes run() throw with a child still asleep.
  EXPECT_THROW(run([]() -> Task<void> {
                 JoinHandle<void> child = spawn(sleeper());
                 CancelOnExit guard{&child};
                 co_await sleep_for(1ms);
                 co_await std::suspend_always{};
               }()),
               UnawaitedTaskError);
}

// to_thread joins its thread from inside the task: a failure elsewhere that
// ends the execution during that join must unwind, for every schedule.
TEST(Teardown, AnExecutionEndingDuringAToThreadJoinUnwinds) {
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const Report report = testing::explore_with(
        [] {
          Atomic<int> x{0};
          Thread host("host", [&] {
            run([](Atomic<int>& x) -> Task<void> {
              auto child = spawn([](Atomic<int>& x) -> Task<void> {
                co_await to_thread([&x] { x.store(1); });
              }(x));
              co_await child;
            }(x));
          });
          while (x.load() == 0) yield();
          yield();
          WEFT_ASSERT(false, "a failure elsewhere");
          host.join();
        },
        1, Strategy::kRandom, seed);
    ASSERT_FALSE(report.ok());
    EXPECT_NE(report.failure()->message.find("a failure elsewhere"), std::string::npos);
  }
}

TEST(Teardown, EveryAcceptedPostRuns) {
  for (int round = 0; round < 50; ++round) {
    std::atomic<int> accepted{0};
    std::atomic<int> ran{0};
    std::thread poster;
    run([](std::atomic<int>& accepted, std::atomic<int>& ran, std::thread& poster) -> Task<void> {
      LoopHandle loop = this_loop();
      poster = std::thread([loop, &accepted, &ran]() mutable {
        // Posts until the loop refuses: some land while it winds down.
        while (loop.post([](std::atomic<int>& ran) -> Task<void> {
          ran.fetch_add(1);
          co_return;
        }(ran))) {
          accepted.fetch_add(1);
        }
      });
      while (accepted.load() < 20) co_await sleep_for(0ms);
    }(accepted, ran, poster));
    poster.join();
    ASSERT_EQ(accepted.load(), ran.load()) << "round " << round;
  }
}

// A timeout whose task finished at once disarms its timer: the loop must
// report the deadlock now, not sleep until the stale deadline (a day).
TEST(Teardown, ADisarmedTimerDoesNotHideARealDeadlock) {
  EXPECT_THROW(run([]() -> Task<void> {
                 co_await timeout(24h, []() -> Task<void> { co_return; }());
                 Event never;
                 co_await never.wait();
               }()),
               LoopDeadlock);
}

// Not under the sanitizers: their runtimes need file descriptors of their own
// at the throw (UBSan's vptr check reports a false "invalid vptr" when it
// cannot get one), so the starved process cannot tell us anything there.
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
TEST(Teardown, RunningOutOfFileDescriptorsIsAnError) {
  const int probe = dup(0);
  ASSERT_GE(probe, 0);
  close(probe);
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
  rlimit tight = old;
  tight.rlim_cur = static_cast<rlim_t>(probe) + 1;  // Room for the epoll fd only.
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  bool threw = false;
  try {
    run([]() -> Task<void> { co_return; }());
  } catch (const std::system_error&) {
    threw = true;
  }
  setrlimit(RLIMIT_NOFILE, &old);
  EXPECT_TRUE(threw);
}
#endif

}  // namespace
}  // namespace weft
