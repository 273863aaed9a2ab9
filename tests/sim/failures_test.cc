// Copyright 2026 The weft Authors.
//
// Goal: each kind of failure the simulator detects is reported with its
// kind, the thread's name, the user's source line, and a repro that replays
// it; and the harness survives it (the next exploration runs normally).
// Method: small workloads that fail on every (or some) interleaving, explored
// and replayed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using testing::explore_with;
using ::testing::HasSubstr;

// Explores `workload`, expects a failure of `kind`, checks that its token
// replays to the same kind and schedule, and returns the report.
Report expect_failure(void (*workload)(), FailureKind kind, uint64_t iterations = 200) {
  Report report = explore_with(workload, iterations);
  EXPECT_FALSE(report.ok());
  if (report.ok()) return report;
  EXPECT_EQ(report.failure()->kind, kind) << report.to_string();
  EXPECT_FALSE(report.repro().empty());
  const Report again = replay(report.repro(), workload);
  EXPECT_FALSE(again.ok());
  if (!again.ok()) {
    EXPECT_EQ(again.failure()->kind, kind);
    EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
    EXPECT_EQ(again.trace(), report.trace());
    EXPECT_EQ(again.failure()->message, report.failure()->message);
  }
  return report;
}

void assertion_in_named_thread() {
  Thread worker("worker", [] { WEFT_ASSERT(false, "the invariant"); });
  worker.join();
}

TEST(Failures, AssertionNamesThreadLineAndMessage) {
  const Report report = expect_failure(&assertion_in_named_thread, FailureKind::kAssertion);
  EXPECT_THAT(report.failure()->message, HasSubstr("the invariant"));
  EXPECT_THAT(report.failure()->message, HasSubstr("tests/sim/failures_test.cc:"));
  EXPECT_EQ(report.failure()->thread_name, "worker");
  EXPECT_THAT(report.to_string(), HasSubstr("ASSERTION FAILED"));
  EXPECT_THAT(report.to_string(), HasSubstr("replay:   WEFT_REPLAY=weft1:"));
}

void exception_in_thread() {
  Thread thrower("thrower", [] { throw std::out_of_range("index 7"); });
  thrower.join();
}

TEST(Failures, UncaughtExceptionIsReported) {
  const Report report = expect_failure(&exception_in_thread, FailureKind::kException);
  EXPECT_THAT(report.failure()->message, HasSubstr("index 7"));
  EXPECT_THAT(report.failure()->message, HasSubstr("thrower"));
}

void exception_in_main() { throw std::runtime_error("main gave up"); }

TEST(Failures, ExceptionInTheWorkloadItselfIsReported) {
  const Report report = expect_failure(&exception_in_main, FailureKind::kException);
  EXPECT_THAT(report.failure()->message, HasSubstr("main gave up"));
}

void spin_with_yield_forever() {
  Atomic<bool> never{false};
  Thread spinner("spinner", [&] {
    while (!never.load()) yield();
  });
  spinner.join();
}

TEST(Failures, LivelockHitsTheStepLimit) {
  ExploreOptions options;
  options.iterations = 3;
  options.max_steps = 5000;
  const Report report = explore(options, &spin_with_yield_forever);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kStepLimit);
  EXPECT_EQ(report.failure()->step, 5000u);
  const Report again = replay(report.repro(), &spin_with_yield_forever);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->kind, FailureKind::kStepLimit);
  EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
}

// A spin on atomics alone never reaches a call that can unwind it; the
// simulator must still end the execution (abandoning the thread).
void spin_on_atomics_forever() {
  Atomic<int> never{0};
  Thread spinner("spinner", [&] {
    while (never.load() == 0) {
    }
  });
  spinner.join();
}

TEST(Failures, AtomicOnlySpinEndsAtTheStepLimit) {
  ExploreOptions options;
  options.iterations = 2;
  options.max_steps = 2000;
  const Report report = explore(options, &spin_on_atomics_forever);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kStepLimit);
}

void destroys_joinable_thread() {
  Thread forgotten("forgotten", [] {});
}

TEST(Failures, ThreadDestroyedWithoutJoinIsLeaked) {
  const Report report = expect_failure(&destroys_joinable_thread, FailureKind::kLeakedThread);
  EXPECT_THAT(report.failure()->message, HasSubstr("forgotten"));
  EXPECT_THAT(report.failure()->message, HasSubstr("without join"));
}

void detached_thread_outlives_workload() {
  auto gate = std::make_shared<Semaphore>(0);
  Thread background("background", [gate] { gate->acquire(); });
  background.detach();
}

TEST(Failures, DetachedThreadStillRunningAtTheEndIsLeaked) {
  const Report report =
      expect_failure(&detached_thread_outlives_workload, FailureKind::kLeakedThread);
  EXPECT_THAT(report.failure()->details, HasSubstr("background"));
  EXPECT_THAT(report.failure()->details, HasSubstr("detached"));
}

void unlock_not_held() {
  Mutex mutex{"m"};
  mutex.unlock();
}

TEST(Failures, UnlockingAMutexNotHeldIsMisuse) {
  const Report report = expect_failure(&unlock_not_held, FailureKind::kMisuse);
  EXPECT_THAT(report.failure()->message, HasSubstr("Mutex m"));
}

void relock() {
  Mutex mutex{"m"};
  std::scoped_lock first(mutex);
  std::scoped_lock second(mutex);
}

TEST(Failures, RelockingAHeldMutexIsADeadlock) {
  const Report report = expect_failure(&relock, FailureKind::kDeadlock);
  EXPECT_THAT(report.failure()->message, HasSubstr("already holds"));
}

void wait_forever_on_condvar() {
  Mutex mutex{"m"};
  CondVar nobody{"nobody"};
  std::unique_lock lock(mutex);
  nobody.wait(lock);
}

TEST(Failures, WaitingWithNobodyToNotifyIsADeadlock) {
  const Report report = expect_failure(&wait_forever_on_condvar, FailureKind::kDeadlock);
  EXPECT_THAT(report.failure()->details, HasSubstr("CondVar nobody"));
  EXPECT_THAT(report.failure()->details, HasSubstr("tests/sim/failures_test.cc:"));
}

TEST(Failures, HarnessKeepsWorkingAfterAFailure) {
  for (int round = 0; round < 3; ++round) {
    EXPECT_FALSE(explore_with(&assertion_in_named_thread, 10).ok());
    const Report clean = explore_with(
        [] {
          Thread quiet("quiet", [] {});
          quiet.join();
        },
        50);
    EXPECT_TRUE(clean.ok()) << clean.to_string();
    EXPECT_EQ(clean.stats().executions, 50u);
  }
}

// Objects that live across executions (a global, a fixture member) get a
// fresh identity in each execution: a mutex left locked by an execution that
// ended early must not poison the next one.
Mutex& global_mutex() {
  static Mutex mutex{"global"};
  return mutex;
}

void uses_global_mutex() {
  Thread holder("holder", [] {
    std::scoped_lock guard(global_mutex());
    WEFT_ASSERT(weft::random(4) != 0, "sometimes fail while holding the global mutex");
  });
  holder.join();
}

TEST(Failures, ObjectsOutlivingAnExecutionStartFreshInTheNext) {
  ExploreOptions options;
  options.iterations = 200;
  options.strategy = Strategy::kRandom;
  const Report report = explore(options, &uses_global_mutex);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion) << report.to_string();
  EXPECT_GT(report.stats().executions, 1u);  // It took some executions; the earlier ones passed.
}

TEST(Failures, InvalidOptionsAreNamed) {
  ExploreOptions options;
  options.iterations = 0;
  Report report = explore(options, [] {});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kInvalidArgument);
  EXPECT_THAT(report.failure()->message, HasSubstr("iterations"));
  options.iterations = 1;
  options.pct_depth = 0;
  report = explore(options, [] {});
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.failure()->message, HasSubstr("pct_depth"));
}

// A workload that is not deterministic (it reads state an earlier execution
// left behind) is caught by the replay check before the failure is reported.
int executions_seen = 0;
void depends_on_outside_state() {
  ++executions_seen;
  Thread a("a", [] {});
  if (executions_seen % 2 == 1) {
    Thread b("b", [] {});
    b.join();
  }
  a.join();
  WEFT_ASSERT(executions_seen < 5, "fail on the fifth execution");
}

TEST(Failures, NonDeterministicWorkloadIsCalledOut) {
  executions_seen = 0;
  const Report report = explore_with(&depends_on_outside_state, 100);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kNonDeterministic) << report.to_string();
  EXPECT_THAT(report.failure()->details, HasSubstr("diverge at decision"));
}

// Exception state is per simulated thread: while one thread is switched out
// in the middle of unwinding (an unlock in a destructor is a scheduling
// point), the others must not see its exception in flight.
void one_thread_unwinds_while_another_runs() {
  Mutex mutex{"m"};
  Thread observer("observer", [] {
    for (int i = 0; i < 3; ++i) {
      WEFT_ASSERT(std::uncaught_exceptions() == 0, "saw another thread's exception in flight");
      yield();
    }
  });
  try {
    std::lock_guard guard(mutex);
    throw std::runtime_error("handled below");
  } catch (const std::runtime_error&) {
    WEFT_ASSERT(std::uncaught_exceptions() == 0);
  }
  observer.join();
}

TEST(Failures, ExceptionStateIsPerSimulatedThread) {
  for (Strategy strategy : {Strategy::kRandom, Strategy::kPct}) {
    const Report report = explore_with(&one_thread_unwinds_while_another_runs, 2000, strategy);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
  EXPECT_EQ(std::uncaught_exceptions(), 0);
}

struct AssertsWhenDestroyed {
  ~AssertsWhenDestroyed() { WEFT_ASSERT(false, "checked in a destructor"); }
};

void assertion_in_destructor_during_unwinding() {
  try {
    AssertsWhenDestroyed checker;
    throw std::runtime_error("unwinds through the checker");
  } catch (const std::runtime_error&) {
  }
}

TEST(Failures, AssertionInADestructorDuringUnwindingIsReportedNotFatal) {
  const Report report =
      expect_failure(&assertion_in_destructor_during_unwinding, FailureKind::kAssertion);
  EXPECT_THAT(report.failure()->message, HasSubstr("checked in a destructor"));
}

// A thread spinning on atomics in a destructor after its execution ended is
// abandoned mid-unwind; that must not leave an exception "in flight" on the
// OS thread for later explorations.
struct SpinsWhenDestroyed {
  Atomic<bool>& flag;
  ~SpinsWhenDestroyed() {
    while (!flag.load()) {
    }
  }
};

void abandons_a_spinning_destructor() {
  Atomic<bool> never{false};
  Mutex mutex{"m"};
  std::unique_lock held(mutex);
  Thread spinner("spinner", [&] {
    SpinsWhenDestroyed spin{never};
    std::scoped_lock wait_forever(mutex);
  });
  sleep_for(std::chrono::milliseconds(1));
  WEFT_ASSERT(false, "end the execution while the spinner waits");
  held.unlock();
  spinner.join();
}

TEST(Failures, AbandonedThreadDoesNotPoisonLaterExplorations) {
  const Report first = explore_with(&abandons_a_spinning_destructor, 5);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.failure()->kind, FailureKind::kAssertion);
  EXPECT_EQ(std::uncaught_exceptions(), 0);
  const Report later = explore_with(&wait_forever_on_condvar, 5);
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.failure()->kind, FailureKind::kDeadlock);
}

}  // namespace
}  // namespace weft
