// Copyright 2026 The weft Authors.
//
// The queue of tasks waiting on an async primitive (AsyncMutex,
// AsyncSemaphore, Event, Channel): an intrusive FIFO of nodes that live in the
// awaiters, that is in the waiting coroutines' frames, so waiting never
// allocates. One node per co_await; it is linked while its task waits and
// unlinked by whoever ends the wait: the primitive (hand-off, set, close), the
// loop (cancellation, through unlink_waiter as the CancelWait hook) or the
// awaiter's destructor (the frame was destroyed while suspended).
//
// Not thread-safe: the tasks of one loop.

#ifndef WEFT_INTERNAL_ASYNC_WAITER_H_
#define WEFT_INTERNAL_ASYNC_WAITER_H_

#include <coroutine>
#include <cstdint>
#include <source_location>

#include "weft/internal/event_loop.h"
#include "weft/internal/task_state.h"

namespace weft::internal {

class AsyncWaiterList;

// How a wait ended, as the primitive saw it; read by await_resume.
enum class WaitOutcome : uint8_t {
  kNone,     // Still waiting, cancelled, or never waited.
  kGranted,  // Handed the resource (lock, permit, slot, item) or the event.
  kClosed,   // The channel was closed under it.
};

struct AsyncWaiter {
  AsyncWaiter() = default;
  AsyncWaiter(const AsyncWaiter&) = delete;
  AsyncWaiter& operator=(const AsyncWaiter&) = delete;

  bool linked() const noexcept { return list != nullptr; }

  TaskState* task = nullptr;
  AsyncWaiter* prev = nullptr;
  AsyncWaiter* next = nullptr;
  AsyncWaiterList* list = nullptr;  // Non-null while queued.
  WaitOutcome outcome = WaitOutcome::kNone;
  TaskWait wait;  // What the task points to while it waits.
};

class AsyncWaiterList {
 public:
  AsyncWaiterList() = default;
  AsyncWaiterList(const AsyncWaiterList&) = delete;
  AsyncWaiterList& operator=(const AsyncWaiterList&) = delete;
  // The primitive is going away with tasks still queued (their frames will be
  // destroyed later, when the loop unwinds): let their awaiters' destructors
  // know not to touch this list.
  ~AsyncWaiterList() {
    while (head_ != nullptr) pop_front();
  }

  bool empty() const noexcept { return head_ == nullptr; }
  AsyncWaiter* head() const noexcept { return head_; }

  void push_back(AsyncWaiter& waiter) noexcept {
    waiter.list = this;
    waiter.next = nullptr;
    waiter.prev = tail_;
    if (tail_ == nullptr) {
      head_ = &waiter;
    } else {
      tail_->next = &waiter;
    }
    tail_ = &waiter;
  }

  // REQUIRES: !empty().
  AsyncWaiter& pop_front() noexcept {
    AsyncWaiter& waiter = *head_;
    remove(waiter);
    return waiter;
  }

  // REQUIRES: waiter.list == this.
  void remove(AsyncWaiter& waiter) noexcept {
    if (waiter.prev == nullptr) {
      head_ = waiter.next;
    } else {
      waiter.prev->next = waiter.next;
    }
    if (waiter.next == nullptr) {
      tail_ = waiter.prev;
    } else {
      waiter.next->prev = waiter.prev;
    }
    waiter.prev = waiter.next = nullptr;
    waiter.list = nullptr;
  }

 private:
  AsyncWaiter* head_ = nullptr;
  AsyncWaiter* tail_ = nullptr;
};

// The CancelWait hook of every async primitive: `context` is the AsyncWaiter.
// The cancelled task gets nothing; the primitive's state is otherwise as if
// it had never queued.
inline void unlink_waiter(void* context, TaskState& task) {
  (void)task;
  auto& waiter = *static_cast<AsyncWaiter*>(context);
  if (waiter.linked()) waiter.list->remove(waiter);
}

// Ends `waiter`'s wait with `outcome` and makes its task ready.
// REQUIRES: waiter is linked (its task waits).
inline void finish_wait(AsyncWaiter& waiter, WaitOutcome outcome) {
  waiter.list->remove(waiter);
  waiter.outcome = outcome;
  waiter.task->loop->wake(*waiter.task);
}

// The wait description of a task queued on the primitive `name` (created at
// `created`) by the co_await at `where`.
inline TaskWait make_wait(const char* what, const char* name, std::source_location created,
                          std::source_location where) {
  TaskWait wait;
  wait.what = what;
  wait.object_name = name;
  wait.object_created = created;
  wait.where = where;
  return wait;
}

// Queues `waiter` on `list` and suspends its task (from await_suspend).
inline void wait_on(AsyncWaiterList& list, AsyncWaiter& waiter, std::coroutine_handle<> at,
                    const TaskWait& wait) {
  waiter.outcome = WaitOutcome::kNone;
  list.push_back(waiter);
  waiter.wait = wait;
  waiter.wait.cancel = &unlink_waiter;
  waiter.wait.context = &waiter;
  suspend_task(*waiter.task, at, waiter.wait);
}

// For an awaiter's destructor: if its task is still queued (the frame is
// being destroyed while suspended, as the loop unwinds), unlinks it and drops
// the task's cancel hook, which points into the dying frame. Returns whether
// it was queued.
inline bool abandon_wait(AsyncWaiter& waiter) noexcept {
  if (!waiter.linked()) return false;
  waiter.list->remove(waiter);
  forget_wait(waiter.task, waiter.wait);
  return true;
}

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_ASYNC_WAITER_H_
