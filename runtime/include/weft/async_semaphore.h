// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: async_semaphore.h
// -----------------------------------------------------------------------------
//
// weft::AsyncSemaphore is asyncio.Semaphore for weft::Task: a counter of
// permits whose acquire() is co_awaited, so a task that finds none suspends
// and the loop runs others meanwhile. Use it to bound how many tasks are
// inside a section that co_awaits (requests in flight, open connections).
//
//   weft::AsyncSemaphore in_flight(4, "in_flight");  // at most four at once
//
//   weft::Task<Reply> fetch(Request request) {
//     co_await in_flight.acquire();
//     Reply reply = co_await send_and_wait(request);
//     in_flight.release();
//     co_return reply;
//   }
//
// Fair: release() hands permits straight to the tasks that have waited
// longest (FIFO), so a task that acquires in a loop cannot starve the others.
// acquire() is a cancellation point; a task cancelled while it waits takes no
// permit, and one cancelled after being handed a permit (before it ran again)
// passes it on, so cancellation never leaks a permit. Like asyncio's (and
// unlike BoundedSemaphore) release() may raise the count above its initial
// value.
//
// Not thread-safe: for the tasks of one event loop (weft::Semaphore is the
// one for threads). Tasks may still be waiting when the semaphore is
// destroyed (weft::run cancels the tasks left when the main task returns),
// but none may have been handed a permit and not run yet.

#ifndef WEFT_ASYNC_SEMAPHORE_H_
#define WEFT_ASYNC_SEMAPHORE_H_

#include <coroutine>
#include <cstdint>
#include <source_location>

#include "weft/internal/async_waiter.h"

namespace weft {

class AsyncSemaphore {
 public:
  class AcquireAwaiter;

  // `name` (a string literal, or anything that outlives the semaphore)
  // appears in deadlock reports. Throws std::invalid_argument if initial < 0.
  explicit AsyncSemaphore(int64_t initial, const char* name = nullptr,
                          std::source_location created = std::source_location::current());
  AsyncSemaphore(const AsyncSemaphore&) = delete;
  AsyncSemaphore& operator=(const AsyncSemaphore&) = delete;

  // AsyncSemaphore::acquire()
  //
  // `co_await semaphore.acquire();` waits for a permit and takes it. Throws
  // weft::Cancelled, with no permit taken, if the task is cancelled first.
  // REQUIRES: awaited in a task (std::logic_error otherwise).
  [[nodiscard]] AcquireAwaiter acquire(
      std::source_location where = std::source_location::current());

  // AsyncSemaphore::try_acquire()
  //
  // Takes a permit if one is free, without suspending.
  bool try_acquire() noexcept;

  // AsyncSemaphore::release()
  //
  // Returns `n` permits; waiting tasks get them first, in arrival order.
  // Throws std::invalid_argument if n < 0.
  void release(int64_t n = 1);

  // Free permits (not counting those handed to tasks that have not run yet).
  int64_t count() const noexcept { return count_; }
  const char* name() const noexcept { return name_; }

 private:
  void give(int64_t n) noexcept;

  const char* name_;
  std::source_location created_;
  int64_t count_;
  internal::AsyncWaiterList waiters_;
};

// What acquire() returns; co_await it at once. Not copyable or movable: while
// its task waits, the semaphore's queue points into it.
class [[nodiscard]] AsyncSemaphore::AcquireAwaiter {
 public:
  AcquireAwaiter(const AcquireAwaiter&) = delete;
  AcquireAwaiter& operator=(const AcquireAwaiter&) = delete;
  ~AcquireAwaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> at);
  void await_resume();

 private:
  friend class AsyncSemaphore;
  AcquireAwaiter(AsyncSemaphore& semaphore, std::source_location where) noexcept
      : semaphore_(semaphore), where_(where) {}

  AsyncSemaphore& semaphore_;
  std::source_location where_;
  internal::AsyncWaiter node_;
};

inline AsyncSemaphore::AcquireAwaiter AsyncSemaphore::acquire(std::source_location where) {
  return AcquireAwaiter(*this, where);
}

}  // namespace weft

#endif  // WEFT_ASYNC_SEMAPHORE_H_
