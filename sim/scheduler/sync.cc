// Copyright 2026 The weft Authors.
//
// The semantics of weft's primitives under simulation: what each operation
// does to the books, where it blocks, whom it wakes. Every operation starts
// with a scheduling point, so the strategy can run another thread between any
// two operations of a thread.
//
// Wake-ups wake every waiter and let the strategy decide who gets the lock or
// the count (the OS promises no order either); condition variables wake the
// longest waiter for notify_one.

#include "absl/strings/str_format.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"

namespace weft::sim {

namespace {
std::string at(Location where) { return absl::StrFormat("%s:%d", where.file_name(), where.line()); }
}  // namespace

// ---- threads ----------------------------------------------------------------

uint32_t Scheduler::thread_spawn(absl::AnyInvocable<void()> body, std::string name,
                                 Location where) {
  if (ended_ && !unwinding()) throw_execution_aborted();
  if (thread_count_ >= kThreadsMax) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s creates a thread at %s: more than %d threads in one "
                                   "execution (sim/limits.h kThreadsMax)",
                                   describe_thread(current_), at(where), kThreadsMax));
  }
  const ThreadId id = create_thread(std::move(body), std::move(name), where);
  if (ended_) {
    // Unwinding: the thread never runs.
    extras(id).body = nullptr;
    make_unrunnable(id);
    thread(id).state = ThreadState::kFinished;
    --unfinished_;
    return id;
  }
  point();
  return id;
}

void Scheduler::thread_join(uint32_t id, Location where) {
  point();
  if (ended_) return;
  WEFT_CHECK_LT(id, threads_.size());
  if (id == current_) {
    fail_and_throw(FailureKind::kDeadlock,
                   absl::StrFormat("%s joins itself at %s", describe_thread(id), at(where)));
  }
  while (thread(id).state != ThreadState::kFinished) {
    enqueue(extras(id).joiners, current_);
    block(WaitKind::kJoin, id, where, std::nullopt);
    if (ended_after_wait()) return;
  }
  note(EventKind::kJoined, id, where);
}

void Scheduler::thread_detach(uint32_t id, Location where) {
  (void)where;
  WEFT_CHECK_LT(id, threads_.size());
  thread(id).detached = true;
}

void Scheduler::thread_dropped(uint32_t id, Location where) noexcept {
  if (ended_) return;
  WEFT_CHECK_LT(id, threads_.size());
  fail(FailureKind::kLeakedThread,
       absl::StrFormat("%s (created at %s) was destroyed without join() or detach()",
                       describe_thread(id), at(where)));
}

void Scheduler::yield(Location where) {
  note(EventKind::kYield, kNoEventTarget, where);
  point(/*yielding=*/true);
}

void Scheduler::sleep_until(Clock::time_point deadline, Location where) {
  point();
  if (ended_) return;
  const Clock::duration wake_at = deadline.time_since_epoch();
  note(EventKind::kSleep, kNoEventTarget, where);
  if (wake_at <= now_) return;
  block(WaitKind::kSleep, 0, where, wake_at);
  ended_after_wait();
}

// ---- mutexes ------------------------------------------------------------------

void Scheduler::fail_relock(uint32_t id, Location where, bool shared) {
  fail_and_throw(FailureKind::kDeadlock,
                 shared ? absl::StrFormat("%s locks %s shared at %s while holding it exclusively",
                                          describe_thread(current_), describe_object(id), at(where))
                        : absl::StrFormat("%s locks %s at %s, which it already holds (since %s)",
                                          describe_thread(current_), describe_object(id), at(where),
                                          at(object(id).owner_where)));
}

void Scheduler::fail_unlock_not_held(uint32_t id, Location where, bool shared) {
  fail(FailureKind::kMisuse,
       shared ? absl::StrFormat("%s unlocks %s (shared) at %s, which nobody holds shared",
                                describe_thread(current_), describe_object(id), at(where))
              : absl::StrFormat("%s unlocks %s at %s, which it does not hold",
                                describe_thread(current_), describe_object(id), at(where)));
}

void Scheduler::acquire_exclusive(uint32_t id, Location where) {
  for (;;) {
    ObjectState& state = object(id);
    if (state.owner == kNoThread && state.shared_holders == 0) {
      state.owner = current_;
      state.owner_where = where;
      note(EventKind::kLock, id, where);
      return;
    }
    if (state.owner == current_) fail_relock(id, where, /*shared=*/false);
    enqueue(state.waiters, current_);
    block(WaitKind::kMutex, id, where, std::nullopt);
    if (ended_after_wait()) return;
  }
}

void Scheduler::acquire_shared(uint32_t id, Location where) {
  for (;;) {
    ObjectState& state = object(id);
    if (state.owner == kNoThread) {
      ++state.shared_holders;
      state.owner_where = where;
      note(EventKind::kLockShared, id, where);
      return;
    }
    if (state.owner == current_) fail_relock(id, where, /*shared=*/true);
    enqueue(state.waiters, current_);
    block(WaitKind::kMutexShared, id, where, std::nullopt);
    if (ended_after_wait()) return;
  }
}

void Scheduler::mutex_lock(const internal::SimObject& mutex, Location where) {
  point();
  if (ended_) return;  // Unwinding: pretend; nothing checks ownership any more.
  acquire_exclusive(resolve(mutex), where);
}

bool Scheduler::mutex_try_lock(const internal::SimObject& mutex, Location where) {
  point();
  if (ended_) return true;
  const uint32_t id = resolve(mutex);
  ObjectState& state = object(id);
  if (state.owner != kNoThread || state.shared_holders > 0) {
    note(EventKind::kTryLockFailed, id, where);
    return false;
  }
  state.owner = current_;
  state.owner_where = where;
  note(EventKind::kLock, id, where, kViaTryLock);
  return true;
}

void Scheduler::mutex_unlock(const internal::SimObject& mutex, Location where) {
  const bool live = quiet_point();
  const uint32_t id = resolve(mutex);
  ObjectState& state = object(id);
  if (state.owner != current_) [[unlikely]] {
    if (live) fail_unlock_not_held(id, where, /*shared=*/false);
    return;
  }
  state.owner = kNoThread;
  note(EventKind::kUnlock, id, where);
  if (live) wake_all(state.waiters);
}

void Scheduler::mutex_lock_shared(const internal::SimObject& mutex, Location where) {
  point();
  if (ended_) return;
  acquire_shared(resolve(mutex), where);
}

bool Scheduler::mutex_try_lock_shared(const internal::SimObject& mutex, Location where) {
  point();
  if (ended_) return true;
  const uint32_t id = resolve(mutex);
  ObjectState& state = object(id);
  if (state.owner != kNoThread) {
    note(EventKind::kTryLockFailed, id, where, kShared);
    return false;
  }
  ++state.shared_holders;
  state.owner_where = where;
  note(EventKind::kLockShared, id, where, kViaTryLock);
  return true;
}

void Scheduler::mutex_unlock_shared(const internal::SimObject& mutex, Location where) {
  const bool live = quiet_point();
  const uint32_t id = resolve(mutex);
  ObjectState& state = object(id);
  if (state.shared_holders == 0) [[unlikely]] {
    if (live) fail_unlock_not_held(id, where, /*shared=*/true);
    return;
  }
  --state.shared_holders;
  note(EventKind::kUnlockShared, id, where);
  if (live && state.shared_holders == 0) wake_all(state.waiters);
}

// ---- condition variables ---------------------------------------------------------

bool Scheduler::condvar_wait(const internal::SimObject& condvar, const internal::SimObject& mutex,
                             internal::Deadline deadline, Location where) {
  point();
  if (ended_) return true;
  const uint32_t condvar_id = resolve(condvar);
  const uint32_t mutex_id = resolve(mutex);
  if (object(mutex_id).owner != current_) {
    fail_and_throw(
        FailureKind::kMisuse,
        absl::StrFormat("%s waits on %s at %s without holding %s", describe_thread(current_),
                        describe_object(condvar_id), at(where), describe_object(mutex_id)));
  }
  object(mutex_id).owner = kNoThread;
  note(EventKind::kUnlock, mutex_id, where, kViaCondVarWait);
  note(EventKind::kCondVarWait, condvar_id, where);
  wake_all(object(mutex_id).waiters);
  std::optional<Clock::duration> wake_at;
  if (deadline) wake_at = std::max(deadline->time_since_epoch(), now_);
  enqueue(object(condvar_id).waiters, current_);
  block(WaitKind::kCondVar, condvar_id, where, wake_at);
  if (ended_after_wait()) return true;
  const bool notified = !me().timed_out;
  acquire_exclusive(mutex_id, where);
  return notified;
}

void Scheduler::condvar_notify(const internal::SimObject& condvar, bool all, Location where) {
  if (!quiet_point()) return;
  const uint32_t id = resolve(condvar);
  note(all ? EventKind::kNotifyAll : EventKind::kNotifyOne, id, where);
  ObjectState& state = object(id);
  if (all) {
    wake_all(state.waiters);
  } else {
    wake_first(state.waiters);
  }
}

// ---- semaphores ---------------------------------------------------------------------

bool Scheduler::semaphore_acquire(const internal::SimObject& semaphore, int64_t initial,
                                  internal::Deadline deadline, Location where) {
  point();
  if (ended_) return true;
  const uint32_t id = resolve(semaphore, initial);
  for (;;) {
    ObjectState& state = object(id);
    if (state.count > 0) {
      --state.count;
      note(EventKind::kSemaphoreAcquire, id, where);
      return true;
    }
    if (deadline && deadline->time_since_epoch() <= now_) {
      note(EventKind::kSemaphoreAcquire, id, where, kTimedOut);
      return false;
    }
    std::optional<Clock::duration> wake_at;
    if (deadline) wake_at = deadline->time_since_epoch();
    enqueue(state.waiters, current_);
    block(WaitKind::kSemaphore, id, where, wake_at);
    if (ended_after_wait()) return true;
    if (me().timed_out) {
      note(EventKind::kSemaphoreAcquire, id, where, kTimedOut);
      return false;
    }
  }
}

void Scheduler::semaphore_release(const internal::SimObject& semaphore, int64_t initial,
                                  int64_t update, Location where) {
  const bool live = quiet_point();
  const uint32_t id = resolve(semaphore, initial);
  if (update < 0) {
    if (live) {
      fail(FailureKind::kMisuse,
           absl::StrFormat("%s releases %s at %s with a negative update %d",
                           describe_thread(current_), describe_object(id), at(where), update));
    }
    return;
  }
  object(id).count += update;
  note(EventKind::kSemaphoreRelease, id, where);
  if (live && update > 0) wake_all(object(id).waiters);
}

// ---- atomics and the rest ---------------------------------------------------------

void Scheduler::atomic_access(const internal::SimObject& atomic, internal::AccessKind access,
                              Location where) {
  if (!quiet_point()) return;
  const uint32_t id = resolve(atomic);
  note(access == internal::AccessKind::kLoad    ? EventKind::kAtomicLoad
       : access == internal::AccessKind::kStore ? EventKind::kAtomicStore
                                                : EventKind::kAtomicReadModifyWrite,
       id, where);
}

void Scheduler::assertion_failed(const char* condition, const std::string& message,
                                 Location where) {
  if (ended_) {
    if (unwinding()) return;
    throw_execution_aborted();
  }
  std::string what =
      absl::StrFormat("WEFT_ASSERT(%s) failed at %s in %s%s%s", condition, at(where),
                      describe_thread(current_), message.empty() ? "" : ": ", message);
  if (unwinding()) {
    // In a destructor run by another exception, where a throw would
    // terminate: end the execution; the thread unwinds at its next blocking
    // call.
    fail(FailureKind::kAssertion, std::move(what), "", at(where));
    return;
  }
  fail_and_throw(FailureKind::kAssertion, std::move(what), at(where));
}

void Scheduler::test_assertion_failed(const char* file, int line,
                                      const std::string& message) noexcept {
  if (ended_) return;
  // gtest's message: a summary line ("Expected equality of these values:"),
  // then the values; the first line goes in the headline.
  const size_t end_of_line = message.find('\n');
  std::string details =
      end_of_line == std::string::npos ? std::string() : message.substr(end_of_line + 1);
  if (!details.empty() && details.back() != '\n') details.push_back('\n');
  fail(FailureKind::kAssertion,
       absl::StrFormat("gtest assertion failed at %s:%d in %s: %s", file, line,
                       describe_thread(current_), message.substr(0, end_of_line)),
       std::move(details), absl::StrFormat("%s:%d", file, line));
}

void Scheduler::object_destroyed(const internal::SimObject& object_handle) noexcept {
  if (object_handle.epoch != epoch_ || ended_) return;
  const uint32_t id = object_handle.id;
  ObjectState& state = object(id);
  if (state.owner != kNoThread || state.shared_holders > 0) {
    fail(FailureKind::kMisuse,
         absl::StrFormat("%s is destroyed while locked (by %s since %s)", describe_object(id),
                         state.owner == kNoThread ? "(shared)" : describe_thread(state.owner),
                         at(state.owner_where)));
  } else if (state.waiters.size > 0) {
    fail(FailureKind::kMisuse, absl::StrFormat("%s is destroyed while %d threads wait on it",
                                               describe_object(id), state.waiters.size));
  }
}

}  // namespace weft::sim
