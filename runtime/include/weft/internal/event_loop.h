// Copyright 2026 The weft Authors.
//
// EventLoop: the part of an event loop both runtimes share. It owns the live
// tasks, resumes them one at a time, delivers cancellation, wakes joiners and
// keeps the exceptions nobody awaited; which task runs next, and when timers
// fire, is the LoopDriver's business (real: epoll + timerfd; simulated: the
// scheduler). One EventLoop per weft::run call, used by its own thread only
// (other threads reach it through a Mailbox).
//
// The helpers at the end are what every awaitable uses to suspend the current
// task and to come back from a suspension (throwing weft::Cancelled if the
// task was cancelled meanwhile).

#ifndef WEFT_INTERNAL_EVENT_LOOP_H_
#define WEFT_INTERNAL_EVENT_LOOP_H_

#include <coroutine>
#include <memory>
#include <mutex>
#include <source_location>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "weft/clock.h"
#include "weft/internal/task_state.h"

namespace weft {

// Thrown at a task's suspension point after JoinHandle::cancel() (or a
// timeout, or a sibling's failure in when_all). Like asyncio's CancelledError
// it does not derive from std::exception, so `catch (const std::exception&)`
// lets it pass; RAII cleanup runs as it unwinds.
struct Cancelled {
  const char* what() const noexcept { return "weft::Cancelled"; }
};

}  // namespace weft

namespace weft::internal {

class EventLoop;

// Where threads post work to a loop. Outlives the loop (shared_ptr): a post
// after the loop has finished is refused, not a crash.
class Mailbox {
 public:
  explicit Mailbox(LoopDriver* driver) : driver_(driver) {}
  // Hands `task` to the loop (`spawn`: a new task; else: wake a waiting one).
  // Returns false if the loop has finished (the caller keeps `task`).
  bool deliver(TaskState& task, bool spawn);
  void close();
  bool open();

 private:
  std::mutex mutex_;
  LoopDriver* driver_;  // Null once closed.
};

class EventLoop {
 public:
  explicit EventLoop(std::unique_ptr<LoopDriver> driver);
  // Destroys the frames of tasks that never finished (the loop was unwound).
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // The loop of the calling task; null outside a task.
  static EventLoop* current();
  // The task the calling thread is running; null outside a task.
  static TaskState* current_task();

  // Runs `root` and everything it spawns: until root is done, then cancels
  // the tasks still live and runs until they finish, then reports exceptions
  // nobody awaited. The loop owns `root` (one reference) from here on.
  void run(TaskState& root);

  // Takes `task` (one reference) as a new, ready task of this loop.
  void adopt(TaskState& task);
  // A waiting task becomes ready (no-op in any other state).
  void wake(TaskState& task);
  // Requests cancellation: delivered at the task's next suspension point
  // (at once if it is waiting now).
  void cancel(TaskState& task);
  // Wakes `task` at `deadline`; cancelling the wait disarms it.
  void sleep_until(TaskState& task, Clock::time_point deadline);

  LoopDriver& driver() { return *driver_; }
  const std::shared_ptr<Mailbox>& mailbox() { return mailbox_; }
  Clock::time_point now() { return driver_->now(); }

 private:
  void drive_until(absl::FunctionRef<bool()> done);
  void resume(TaskState& task);
  void finish(TaskState& task);
  void report_unobserved_exceptions();
  void release_finished();
  void report(std::string message, std::string details);

  std::unique_ptr<LoopDriver> driver_;
  std::shared_ptr<Mailbox> mailbox_;
  TaskState* live_head_ = nullptr;
  TaskState* live_tail_ = nullptr;
  size_t live_count_ = 0;
  TaskState* previous_ = nullptr;
  // A finished task whose last reference was the loop's: released after the
  // driver's next call, which still looks at it as `previous`.
  TaskState* release_after_next_ = nullptr;
  // ~EventLoop is destroying frames: their destructors may cancel, wake or
  // spawn; none of that may touch a task whose frames are gone.
  bool tearing_down_ = false;
  uint32_t spawned_ = 0;
  // Finished with an exception that nobody had awaited yet (one reference each).
  std::vector<TaskState*> failed_;
};

// ---- for awaitables -----------------------------------------------------

// The calling task; a clear std::logic_error naming `operation` outside one.
TaskState& require_current_task(const char* operation);

// Call from await_suspend: the task waits for `wait` until woken; its
// `cancel` hook (if any) undoes the wait when the task is cancelled before
// that. REQUIRES: `wait` lives until the task resumes (an awaiter member).
inline void suspend_task(TaskState& task, std::coroutine_handle<> at, TaskWait& wait) {
  task.resume_at = at;
  task.wait = &wait;
  task.run = TaskRun::kWaiting;
}

// Call first thing in await_resume: forgets the wait; throws weft::Cancelled
// if a cancellation is pending.
inline void resume_task(TaskState& task) {
  task.wait = nullptr;
  if (task.take_cancel()) throw Cancelled{};
}

// For an awaiter's destructor (its frame is destroyed while the task waits,
// as a loop unwinds): the task must not point into the dying frame.
inline void forget_wait(TaskState* task, const TaskWait& wait) noexcept {
  if (task != nullptr && task->wait == &wait) task->wait = nullptr;
}

// Adds `node` to the tasks that `awaited`'s completion wakes.
inline void link_joiner(TaskState& awaited, JoinWaiter& node) {
  node.next = awaited.joiners;
  awaited.joiners = &node;
  node.linked = true;
}

// Takes `node` out of `awaited`'s list if it is still there.
inline void unlink_joiner(TaskState& awaited, JoinWaiter& node) {
  if (!node.linked) return;
  node.linked = false;
  for (JoinWaiter** link = &awaited.joiners; *link != nullptr; link = &(*link)->next) {
    if (*link == &node) {
      *link = node.next;
      return;
    }
  }
}

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_EVENT_LOOP_H_
