// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: sleep.h
// -----------------------------------------------------------------------------
//
// weft::Sleep is what weft::sleep_for and weft::sleep_until (this_thread.h)
// return, so one name serves threads and tasks:
//
//   weft::sleep_for(10ms);             // a thread: blocks (in the destructor)
//   co_await weft::sleep_for(10ms);    // a task: suspends; other tasks run
//
// Awaited, it suspends the task until the deadline (a deadline already passed
// still lets the loop's other ready tasks run first, like asyncio.sleep(0)),
// and it is a cancellation point. Not awaited, it blocks the calling thread
// when the full expression ends, like std::this_thread::sleep_until — inside a
// task that blocks the whole loop, as time.sleep would in asyncio.
//
// Under simulation the time is virtual: sleeping costs no wall time and a
// timer fires when nothing else can run.

#ifndef WEFT_SLEEP_H_
#define WEFT_SLEEP_H_

#include <coroutine>
#include <source_location>

#include "weft/clock.h"
#include "weft/internal/task_state.h"

namespace weft {
namespace internal {
// Blocks the calling thread until `deadline` (either runtime).
void sleep_thread_until(Clock::time_point deadline, std::source_location where);
}  // namespace internal

class Sleep {
 public:
  Sleep(Clock::time_point deadline, std::source_location where) noexcept
      : deadline_(deadline), where_(where) {}
  Sleep(const Sleep&) = delete;
  Sleep& operator=(const Sleep&) = delete;
  // Not awaited: a blocking sleep. May throw (the simulator unwinds a thread
  // whose execution has ended from its blocking calls).
  ~Sleep() noexcept(false) {
    if (!awaited_) {
      internal::sleep_thread_until(deadline_, where_);
    } else if (task_ != nullptr && task_->wait == &wait_) {
      task_->wait = nullptr;  // Destroyed while suspended (its loop unwinds).
    }
  }

  bool await_ready();
  void await_suspend(std::coroutine_handle<> at);
  void await_resume();

 private:
  static void cancel_wait(void* context, internal::TaskState& task);

  Clock::time_point deadline_;
  std::source_location where_;
  bool awaited_ = false;
  internal::TaskState* task_ = nullptr;
  internal::TaskWait wait_;
};

}  // namespace weft

#endif  // WEFT_SLEEP_H_
