// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: event_loop.h
// -----------------------------------------------------------------------------
//
// Running coroutine tasks, asyncio-style:
//
//   weft::Task<int> work(int x) { co_await weft::sleep_for(1ms); co_return x * 2; }
//
//   weft::Task<int> main_task() {
//     weft::JoinHandle<int> a = weft::spawn(work(1), "a");  // create_task
//     weft::JoinHandle<int> b = weft::spawn(work(2), "b");
//     co_return co_await a + co_await b;                    // await
//   }
//   int result = weft::run(main_task());                    // asyncio.run
//
// weft::run(task) runs an event loop on the calling thread until `task` is
// done and returns its value (or rethrows its exception). Tasks it leaves
// unfinished are cancelled and run to completion before run() returns; an
// exception of a task that nobody awaited is reported (real runtime: run()
// throws weft::UnawaitedTaskError; simulated: a failure with its repro).
//
// Real runtime: an epoll loop with a timerfd on the steady clock and an
// eventfd for work posted by other threads. Simulated: every task is an
// entity of the scheduler, every pick of the next ready task a decision the
// strategy makes, timers fire in virtual time, and a set of tasks that wait
// on each other is a deadlock reported with their co_await sites.
//
// Not thread-safe, except LoopHandle::post.

#ifndef WEFT_EVENT_LOOP_H_
#define WEFT_EVENT_LOOP_H_

#include <coroutine>
#include <memory>
#include <source_location>
#include <stdexcept>
#include <string>
#include <utility>

#include "weft/internal/event_loop.h"
#include "weft/internal/task_state.h"
#include "weft/task.h"

namespace weft {

// Thrown by weft::run (real runtime) when a task failed and nobody awaited
// its JoinHandle. what() names the tasks and their exceptions.
class UnawaitedTaskError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by weft::run (real runtime) when every task waits on another and
// nothing (timer, thread) can wake them. what() lists the waits.
class LoopDeadlock : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace internal {

template <typename T>
class SpawnedTask final : public TaskState {
 public:
  SpawnedTask(Task<T> task, std::string name, std::source_location created)
      : TaskState(task.handle(), task.handle().promise(), std::move(name), created),
        task_(std::move(task)) {}
  typename Task<T>::promise_type& promise() { return task_.handle().promise(); }
  void destroy_frames() noexcept override { task_ = Task<T>(); }

 private:
  Task<T> task_;  // Owns the frames.
};

template <typename T>
SpawnedTask<T>& make_spawned(Task<T> task, std::string name, std::source_location created) {
  if (!task.valid()) throw std::invalid_argument("weft: spawning a moved-from Task");
  return *new SpawnedTask<T>(std::move(task), std::move(name), created);
}

}  // namespace internal

// JoinHandle<T>: a spawned task, asyncio's Task object. co_await it for the
// task's value (or its exception); cancel() it; detach() it to let it run on
// unobserved. Move-only; dropping a handle detaches the task (the loop still
// reports its exception if nobody awaited it).
template <typename T>
class [[nodiscard]] JoinHandle {
  class Awaiter;

 public:
  JoinHandle() noexcept = default;
  explicit JoinHandle(internal::SpawnedTask<T>& task) noexcept : task_(&task) { task.retain(); }
  JoinHandle(JoinHandle&& other) noexcept : task_(std::exchange(other.task_, nullptr)) {}
  JoinHandle& operator=(JoinHandle&& other) noexcept {
    if (this != &other) {
      reset();
      task_ = std::exchange(other.task_, nullptr);
    }
    return *this;
  }
  ~JoinHandle() { reset(); }

  bool valid() const noexcept { return task_ != nullptr; }
  // Whether the task has finished (value, exception or cancelled).
  bool done() const noexcept { return task_ != nullptr && task_->done(); }
  // Whether cancel() was called on the task.
  bool cancel_requested() const noexcept { return task_ != nullptr && task_->cancel_requested; }
  // Delivers weft::Cancelled at the task's next suspension point; a task that
  // is done is not affected. Await the handle to wait until it has finished.
  void cancel() {
    if (task_ != nullptr && !task_->done()) task_->loop->cancel(*task_);
  }
  // Gives up the handle; the task runs on.
  void detach() noexcept { reset(); }

  // co_await handle: waits until the task is done, then returns its value or
  // rethrows its exception (weft::Cancelled if it was cancelled). Once.
  // `co_await handle.join()` does the same and lets reports name the line.
  Awaiter operator co_await() noexcept { return Awaiter(task_, std::source_location()); }
  Awaiter join(std::source_location where = std::source_location::current()) noexcept {
    return Awaiter(task_, where);
  }

  // For weft internals (when_all, timeout).
  internal::SpawnedTask<T>* state() const noexcept { return task_; }

 private:
  class Awaiter {
   public:
    Awaiter(internal::SpawnedTask<T>* awaited, std::source_location site) noexcept
        : task(awaited), where(site) {}
    Awaiter(const Awaiter&) = delete;
    Awaiter& operator=(const Awaiter&) = delete;
    ~Awaiter() {
      if (task != nullptr) internal::unlink_joiner(*task, node);
      internal::forget_wait(self, wait);
    }

    internal::SpawnedTask<T>* task;
    internal::JoinWaiter node;
    std::source_location where;
    internal::TaskState* self = nullptr;
    internal::TaskWait wait;

    bool await_ready() {
      if (task == nullptr) throw std::logic_error("weft: awaiting an empty JoinHandle");
      self = &internal::require_current_task("co_await JoinHandle");
      return task->done() || self->cancel_pending;
    }
    void await_suspend(std::coroutine_handle<> at) {
      node.waiter = self;
      internal::link_joiner(*task, node);
      wait.what = "JoinHandle";
      wait.where = where;
      wait.awaited = task;
      wait.cancel = &Awaiter::cancel_wait;
      wait.context = this;
      internal::suspend_task(*self, at, wait);
    }
    static void cancel_wait(void* context, internal::TaskState&) {
      auto& awaiter = *static_cast<Awaiter*>(context);
      internal::unlink_joiner(*awaiter.task, awaiter.node);
    }
    T await_resume() {
      internal::resume_task(*self);
      if (task->observed && !task->promise().exception) {
        throw std::logic_error("weft: a JoinHandle's value was already taken");
      }
      task->observed = true;
      return task->promise().take();
    }
  };

  void reset() noexcept {
    if (task_ != nullptr) std::exchange(task_, nullptr)->release();
  }

  internal::SpawnedTask<T>* task_ = nullptr;
};

// weft::spawn()
//
// Starts `task` as a new task of the calling task's loop (it runs at the
// loop's next pick, not now) and returns its handle. `name` appears in
// failure reports. REQUIRES: called from a task (throws std::logic_error
// otherwise).
template <typename T>
JoinHandle<T> spawn(Task<T> task, std::string name = "",
                    std::source_location created = std::source_location::current()) {
  internal::EventLoop* loop = internal::EventLoop::current();
  if (loop == nullptr) throw std::logic_error("weft::spawn called outside a task of weft::run");
  auto& spawned = internal::make_spawned(std::move(task), std::move(name), created);
  JoinHandle<T> handle(spawned);
  loop->adopt(spawned);
  return handle;
}

// weft::run()
//
// Runs an event loop on the calling thread until `task` is done; returns its
// value or rethrows its exception. See the file comment.
template <typename T>
T run(Task<T> task, std::string name = "main",
      std::source_location created = std::source_location::current());

// LoopHandle: lets other threads hand work to a running loop. Copyable.
//
// While a LoopHandle exists (in a thread, a to_thread call, or anywhere), a
// real loop whose tasks all wait keeps waiting for posts instead of throwing
// weft::LoopDeadlock, since one may come; drop handles you no longer need.
// (The simulator sees every thread, so it reports such deadlocks anyway.)
class LoopHandle {
 public:
  // Starts `task` on the loop as if spawned there (detached). Returns false,
  // dropping the task, if the loop has finished. Thread-safe.
  bool post(Task<void> task, std::string name = "posted",
            std::source_location created = std::source_location::current());

 private:
  friend LoopHandle this_loop();
  explicit LoopHandle(std::shared_ptr<internal::Mailbox> mailbox) : mailbox_(std::move(mailbox)) {}
  std::shared_ptr<internal::Mailbox> mailbox_;
};

// The loop of the calling task. REQUIRES: called from a task.
LoopHandle this_loop();

// ---- implementation ------------------------------------------------------

namespace internal {
std::unique_ptr<LoopDriver> make_loop_driver(std::source_location where);
}  // namespace internal

template <typename T>
T run(Task<T> task, std::string name, std::source_location created) {
  internal::EventLoop loop(internal::make_loop_driver(created));
  auto& root = internal::make_spawned(std::move(task), std::move(name), created);
  JoinHandle<T> handle(root);
  loop.run(root);
  if (root.top == nullptr) {
    // Its frames were destroyed: it suspended on a foreign awaitable (reported).
    throw std::logic_error("weft::run: the main task can never finish");
  }
  return root.promise().take();
}

}  // namespace weft

#endif  // WEFT_EVENT_LOOP_H_
