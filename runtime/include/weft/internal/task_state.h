// Copyright 2026 The weft Authors.
//
// The books of one spawned task (a weft::Task started by weft::run or
// weft::spawn) and the interface between the event loop and what runs it.
//
// A "task" is the unit the loop schedules: its top coroutine frame plus every
// Task it co_awaits inline (they share the task's identity, its cancellation
// and its place in the ready queue). A TaskState is reference counted: the
// loop holds one reference while the task is unfinished, each JoinHandle one.
//
// EventLoop (event_loop.h beside this file) is shared by both runtimes; what
// differs, picking the next ready task and keeping timers, sits behind
// LoopDriver: the real runtime's epoll + timerfd driver (runtime/), the
// simulator's, which makes every pick a scheduling decision (sim/).

#ifndef WEFT_INTERNAL_TASK_STATE_H_
#define WEFT_INTERNAL_TASK_STATE_H_

#include <coroutine>
#include <cstdint>
#include <exception>
#include <memory>
#include <source_location>
#include <string>

#include "weft/clock.h"

namespace weft::internal {

class EventLoop;
class TaskState;

// The part of every weft::Task promise the loop reads.
struct PromiseBase {
  // Who co_awaited this frame; null for the top frame of a task.
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  bool finished = false;
};

// Where a task is in its life.
enum class TaskRun : uint8_t {
  kReady,    // queued to run (or to start)
  kRunning,  // the loop is resuming it
  kWaiting,  // suspended on a weft awaitable until someone wakes it
  kDone,     // its top frame finished (value or exception)
};

// Undoes a pending wait when its task is cancelled (unlinks the waiter from
// the primitive's queue). Runs on the loop's thread.
using CancelWait = void (*)(void* context, TaskState& task);

// What a waiting task waits for (failure reports, deadlock cycles) and how to
// undo the wait. Lives in the awaiter, in the waiting coroutine's frame, for
// as long as the task waits: the task only points to it, which keeps an idle
// task small.
struct TaskWait {
  const char* what = nullptr;         // "AsyncMutex", "Channel::recv", ...
  const char* object_name = nullptr;  // The object's user-given name, if any.
  std::source_location object_created;
  std::source_location where;          // The co_await.
  const TaskState* holder = nullptr;   // AsyncMutex: the task that holds it.
  const TaskState* awaited = nullptr;  // JoinHandle: the task awaited.
  // Null: the wait cannot be interrupted (cancellation waits for its end).
  CancelWait cancel = nullptr;
  void* context = nullptr;
};

class TaskState {
 public:
  TaskState(std::coroutine_handle<> frame, PromiseBase& top, std::string name,
            std::source_location created)
      : resume_at(frame), top(&top), created(created) {
    // Most tasks have no name: keep the empty case to one null pointer.
    if (!name.empty()) name_ = std::make_unique<std::string>(std::move(name));
  }
  virtual ~TaskState() = default;
  // Destroys the task's coroutine frames now (the loop is being torn down
  // with the task unfinished); the TaskState lives on for its handles.
  virtual void destroy_frames() noexcept = 0;
  TaskState(const TaskState&) = delete;
  TaskState& operator=(const TaskState&) = delete;

  void retain() noexcept { ++references_; }
  // Deletes the task (and its frames) with the last reference.
  void release() noexcept {
    if (--references_ == 0) delete this;
  }

  bool done() const noexcept { return run == TaskRun::kDone; }
  // Consumes a pending cancellation: true once per cancel().
  bool take_cancel() noexcept {
    const bool pending = cancel_pending;
    cancel_pending = false;
    return pending;
  }
  const std::exception_ptr& exception() const noexcept { return top->exception; }
  const std::string& name() const noexcept {
    static const std::string kUnnamed;
    return name_ ? *name_ : kUnnamed;
  }

  EventLoop* loop = nullptr;
  // The innermost suspended coroutine of the task: what the loop resumes.
  std::coroutine_handle<> resume_at;
  PromiseBase* top;
  std::source_location created;
  // Real runtime: spawn order; simulator: the scheduler's entity id.
  uint32_t id = 0;
  TaskRun run = TaskRun::kReady;
  bool cancel_pending = false;
  bool cancel_requested = false;  // cancel() was called at least once.
  bool started = false;           // Resumed at least once.
  // Someone took the result or exception (a JoinHandle was awaited).
  bool observed = false;
  // While kWaiting (and until it resumes): what it waits for; see TaskWait.
  TaskWait* wait = nullptr;
  // Tasks co_awaiting this one's completion (JoinWaiter nodes).
  struct JoinWaiter* joiners = nullptr;
  // The loop's list of live tasks, in spawn order.
  TaskState* live_prev = nullptr;
  TaskState* live_next = nullptr;
  uint32_t timer_generation = 0;  // The real driver's timers.

 private:
  uint32_t references_ = 1;  // The loop's.
  std::unique_ptr<std::string> name_;
};

// A task co_awaiting another's completion; lives in the awaiter's frame.
struct JoinWaiter {
  TaskState* waiter = nullptr;
  JoinWaiter* next = nullptr;
  bool linked = false;  // In the awaited task's list (finish() unlinks all).
};

// What differs between the real and the simulated loop. Every call is made on
// the loop's own thread except wake_from_thread.
class LoopDriver {
 public:
  virtual ~LoopDriver() = default;
  // A task was spawned on the loop (already kReady).
  virtual void task_created(TaskState& task) = 0;
  // A task went from kWaiting (or new) to kReady.
  virtual void task_ready(TaskState& task) = 0;
  // Hands `task` over from another thread (Mailbox, under its lock): a new
  // task if `spawn`, else a waiting task to wake. Thread-safe.
  virtual void deliver_from_thread(TaskState& task, bool spawn) = 0;
  // Wakes the waiting `task` at `deadline` unless disarmed first.
  virtual void arm_timer(TaskState& task, Clock::time_point deadline) = 0;
  virtual void disarm_timer(TaskState& task) = 0;
  // Wakes the waiting `task` once descriptor `fd` (in the calling process)
  // is ready to read (`for_write`: to write), has reached EOF or an error;
  // once. unwatch_fd undoes it (a cancelled wait). Real: epoll; simulated:
  // the pipe's or socket's state in the simulator -- a simulated socket may
  // wake it early (something changed, what comes next is still on its way),
  // so callers re-check with fd_ready_now.
  virtual void watch_fd(TaskState& task, int fd, bool for_write) = 0;
  virtual void unwatch_fd(TaskState& task, int fd) = 0;
  // Returns the next task to resume, blocking (on I/O, timers, mail or,
  // simulated, the scheduler) until one is ready. `previous` is the task
  // resumed last (null the first time); its `run` says whether it waits, is
  // ready or is done. Returns null if nothing can ever become ready (every
  // task waits on another, no timer is armed and `mail_expected` is false):
  // a deadlock the loop reports. The simulated driver never returns null.
  virtual TaskState* next(TaskState* previous, bool mail_expected) = 0;
  // Whether work posted from other threads is waiting to be taken.
  virtual bool mail_pending() = 0;
  // Called once, after the last next(), with the task resumed last.
  virtual void close(TaskState* previous) = 0;
  virtual Clock::time_point now() = 0;
  // Called once, before anything else.
  virtual void attach(EventLoop& loop) = 0;
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_TASK_STATE_H_
