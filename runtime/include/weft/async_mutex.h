// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: async_mutex.h
// -----------------------------------------------------------------------------
//
// weft::AsyncMutex is asyncio.Lock for weft::Task: a mutex whose lock() is
// co_awaited, so a task that finds it held suspends and the loop runs others
// meanwhile. Use it to keep a critical section that itself co_awaits (a
// read-modify-write with a sleep or a channel operation in the middle) from
// interleaving with the same section in another task. Code with no co_await
// in it needs no lock at all: tasks of one loop never interleave between
// suspension points.
//
//   weft::AsyncMutex accounts_lock("accounts");
//
//   weft::Task<void> transfer(Accounts& accounts, int amount) {
//     auto guard = co_await accounts_lock.lock();  // unlocks when it goes
//     const int balance = co_await accounts.read();
//     co_await accounts.write(balance - amount);
//   }
//
// Fair: unlock() hands the mutex straight to the task that has waited longest
// (FIFO), so a task that keeps relocking cannot starve the others. lock() is a
// cancellation point; a task cancelled while it waits does not get the mutex,
// and one cancelled after being handed it (but before it ran again) passes it
// on to the next waiter, so cancellation never leaks a lock.
//
// The mutex records which task holds it (and keeps that task's record alive
// while it does), so a waiting task's wait names its holder. Under simulation
// tasks taking AsyncMutexes in opposite orders are then reported as a
// deadlock with the wait-for cycle, each task's co_await site and the
// mutexes by name; on the real loop weft::run throws weft::LoopDeadlock once
// every task waits.
//
// Not recursive: a task that locks a mutex it holds waits forever (the loop
// reports the deadlock). Not thread-safe: for the tasks of one event loop.
// Tasks may still be waiting when the mutex is destroyed (weft::run cancels
// the tasks left when the main task returns), but none may hold it, or have
// been handed it and not run yet.

#ifndef WEFT_ASYNC_MUTEX_H_
#define WEFT_ASYNC_MUTEX_H_

#include <coroutine>
#include <source_location>
#include <utility>

#include "weft/internal/async_waiter.h"
#include "weft/internal/task_state.h"

namespace weft {

class AsyncMutex {
 public:
  class Guard;
  class LockAwaiter;

  // `name` (a string literal, or anything that outlives the mutex) appears in
  // deadlock reports.
  explicit AsyncMutex(const char* name = nullptr,
                      std::source_location created = std::source_location::current()) noexcept
      : name_(name), created_(created) {}
  ~AsyncMutex();
  AsyncMutex(const AsyncMutex&) = delete;
  AsyncMutex& operator=(const AsyncMutex&) = delete;

  // AsyncMutex::lock()
  //
  // `auto guard = co_await mutex.lock();` waits until the mutex is free (or
  // handed over), takes it and returns a Guard that unlocks it. Throws
  // weft::Cancelled, without the mutex, if the task is cancelled first.
  // REQUIRES: awaited in a task (std::logic_error otherwise).
  [[nodiscard]] LockAwaiter lock(std::source_location where = std::source_location::current());

  // AsyncMutex::try_lock()
  //
  // Takes the mutex if it is free, without suspending. The caller unlocks it
  // with unlock().
  bool try_lock();

  // AsyncMutex::unlock()
  //
  // Releases the mutex: the longest waiter, if any, gets it next. Any task
  // may unlock (as in asyncio). Throws std::logic_error if it is not locked.
  void unlock();

  bool locked() const noexcept { return locked_; }
  const char* name() const noexcept { return name_; }

 private:
  void take(internal::TaskState* task) noexcept;
  // unlock() without the check: the mutex is locked.
  void release() noexcept;

  const char* name_;
  std::source_location created_;
  bool locked_ = false;
  // The task that locked it (one reference, so deadlock reports can name it
  // even after it finished); null if locked outside a task.
  internal::TaskState* holder_ = nullptr;
  internal::AsyncWaiterList waiters_;
};

// AsyncMutex::Guard: owns a locked AsyncMutex and unlocks it when destroyed
// (or on unlock()). Move-only, like std::unique_lock without the deferred
// modes. Unlocking the guarded mutex by hand while the guard owns it is a bug
// (the guard would then unlock whoever locked it next).
class [[nodiscard]] AsyncMutex::Guard {
 public:
  Guard() noexcept = default;
  Guard(Guard&& other) noexcept : mutex_(std::exchange(other.mutex_, nullptr)) {}
  Guard& operator=(Guard&& other) noexcept {
    if (this != &other) {
      reset();
      mutex_ = std::exchange(other.mutex_, nullptr);
    }
    return *this;
  }
  ~Guard() { reset(); }

  // Unlocks early. Throws std::logic_error if the guard owns nothing.
  void unlock();
  bool owns_lock() const noexcept { return mutex_ != nullptr; }
  explicit operator bool() const noexcept { return owns_lock(); }
  AsyncMutex* mutex() const noexcept { return mutex_; }

 private:
  friend class AsyncMutex;
  explicit Guard(AsyncMutex& mutex) noexcept : mutex_(&mutex) {}
  void reset() noexcept;

  AsyncMutex* mutex_ = nullptr;
};

// What lock() returns; co_await it at once. Not copyable or movable: while
// its task waits, the mutex's queue points into it.
class [[nodiscard]] AsyncMutex::LockAwaiter {
 public:
  LockAwaiter(const LockAwaiter&) = delete;
  LockAwaiter& operator=(const LockAwaiter&) = delete;
  ~LockAwaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> at);
  Guard await_resume();

 private:
  friend class AsyncMutex;
  LockAwaiter(AsyncMutex& mutex, std::source_location where) noexcept
      : mutex_(mutex), where_(where) {}

  AsyncMutex& mutex_;
  std::source_location where_;
  internal::AsyncWaiter node_;
};

inline AsyncMutex::LockAwaiter AsyncMutex::lock(std::source_location where) {
  return LockAwaiter(*this, where);
}

}  // namespace weft

#endif  // WEFT_ASYNC_MUTEX_H_
