// Copyright 2026 The weft Authors.
//
// The shared half of weft's event loops (see weft/internal/event_loop.h),
// weft::Sleep's awaitable side, and LoopHandle.

#include "weft/internal/event_loop.h"

#include <exception>
#include <stdexcept>
#include <typeinfo>

#include "absl/strings/str_format.h"
#include "runtime/real_loop_driver.h"
#include "runtime/real_run.h"
#include "weft/event_loop.h"
#include "weft/internal/backend.h"
#include "weft/internal/check.h"
#include "weft/sleep.h"
#include "weft/when.h"

namespace weft::internal {
namespace {

// Real runtime: the task the loop on this OS thread is resuming. (Under
// simulation every task shares one OS thread; the scheduler knows instead.)
constinit thread_local TaskState* tls_current_task = nullptr;

std::string at(std::source_location where) {
  return absl::StrFormat("%s:%d", where.file_name(), where.line());
}

std::string describe_task(const TaskState& task) {
  if (!task.name().empty()) return absl::StrFormat("task \"%s\"", task.name());
  return absl::StrFormat("task spawned at %s", at(task.created));
}

std::string describe_exception(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const std::exception& error) {
    return absl::StrFormat("%s: %s", typeid(error).name(), error.what());
  } catch (const Cancelled&) {
    return "weft::Cancelled";
  } catch (...) {
    return "a non-std exception";
  }
}

bool is_cancellation(const std::exception_ptr& exception) {
  try {
    std::rethrow_exception(exception);
  } catch (const Cancelled&) {
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

std::unique_ptr<LoopDriver> make_loop_driver(std::source_location where) {
  if (Backend* backend = active_backend()) return backend->loop_driver(where);
  return std::make_unique<RealLoopDriver>();
}

TaskState& require_current_task(const char* operation) {
  TaskState* task = EventLoop::current_task();
  if (task == nullptr) {
    throw std::logic_error(
        absl::StrFormat("weft: %s outside a task (use it inside a coroutine run by weft::run "
                        "or weft::spawn)",
                        operation));
  }
  return *task;
}

// ---- Mailbox ----------------------------------------------------------------

bool Mailbox::deliver(TaskState& task, bool spawn) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (driver_ == nullptr) return false;
  if (!spawn) task.retain();  // Until the loop has woken it.
  driver_->deliver_from_thread(task, spawn);
  return true;
}

void Mailbox::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  driver_ = nullptr;
}

bool Mailbox::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  return driver_ != nullptr;
}

// ---- EventLoop --------------------------------------------------------------

EventLoop* EventLoop::current() {
  TaskState* task = current_task();
  return task == nullptr ? nullptr : task->loop;
}

TaskState* EventLoop::current_task() {
  if (Backend* backend = active_backend()) return backend->current_task();
  return tls_current_task;
}

EventLoop::EventLoop(std::unique_ptr<LoopDriver> driver)
    : driver_(std::move(driver)), mailbox_(std::make_shared<Mailbox>(driver_.get())) {
  if (current_task() != nullptr) {
    throw std::logic_error(
        "weft::run called from inside a task: a task awaits, it does not start another loop");
  }
  driver_->attach(*this);
}

EventLoop::~EventLoop() {
  mailbox_->close();
  release_finished();
  // Unwound with tasks unfinished: destroy their frames, newest first (a
  // task's frame may point into its spawner's), each task done at once so
  // that older frames' destructors (which may cancel or wake it) leave it
  // alone; then drop the loop's references.
  tearing_down_ = true;
  std::vector<TaskState*> unfinished;
  for (TaskState* task = live_head_; task != nullptr; task = task->live_next) {
    unfinished.push_back(task);
  }
  for (auto it = unfinished.rbegin(); it != unfinished.rend(); ++it) {
    TaskState& task = **it;
    task.destroy_frames();
    task.wait = nullptr;  // It pointed into a destroyed frame.
    task.run = TaskRun::kDone;
    task.top = nullptr;
  }
  for (TaskState* task : unfinished) task->release();
  live_head_ = live_tail_ = nullptr;
  live_count_ = 0;
  for (TaskState* task : failed_) task->release();
}

void EventLoop::adopt(TaskState& task) {
  if (tearing_down_) {
    // Spawned by a destructor of a frame being destroyed: it never runs.
    task.destroy_frames();
    task.release();
    return;
  }
  WEFT_CHECK(task.loop == nullptr);
  WEFT_CHECK(task.run == TaskRun::kReady);
  task.loop = this;
  task.live_prev = live_tail_;
  task.live_next = nullptr;
  if (live_tail_ == nullptr) {
    live_head_ = &task;
  } else {
    live_tail_->live_next = &task;
  }
  live_tail_ = &task;
  ++live_count_;
  task.id = spawned_++;
  driver_->task_created(task);
}

void EventLoop::wake(TaskState& task) {
  if (task.run != TaskRun::kWaiting || tearing_down_) return;
  WEFT_CHECK(task.loop == this);
  task.run = TaskRun::kReady;
  driver_->task_ready(task);
}

void EventLoop::cancel(TaskState& task) {
  if (task.done() || tearing_down_) return;
  task.cancel_requested = true;
  task.cancel_pending = true;
  // A wait with no undo (a thread working for to_thread) is not interrupted:
  // the cancellation is delivered when it completes.
  if (task.run == TaskRun::kWaiting && task.wait != nullptr && task.wait->cancel != nullptr) {
    task.wait->cancel(task.wait->context, task);
    wake(task);
  }
}

void EventLoop::sleep_until(TaskState& task, Clock::time_point deadline) {
  driver_->arm_timer(task, deadline);
}

void EventLoop::run(TaskState& root) {
  root.observed = true;  // weft::run takes its value or exception.
  adopt(root);
  drive_until([&] { return root.done(); });
  // asyncio.run's epilogue: refuse further posts, cancel what is left and
  // let it clean up; work posted before the close still runs.
  mailbox_->close();
  for (TaskState* task = live_head_; task != nullptr; task = task->live_next) cancel(*task);
  drive_until([&] { return live_count_ == 0 && !driver_->mail_pending(); });
  driver_->close(previous_);
  release_finished();
  report_unobserved_exceptions();
}

void EventLoop::drive_until(absl::FunctionRef<bool()> done) {
  while (!done()) {
    // Mail may come while a LoopHandle exists outside the loop's books (a
    // thread, a to_thread call); the real loop then waits for it rather
    // than report a deadlock.
    const bool mail_expected = mailbox_.use_count() > 1 && mailbox_->open();
    TaskState* task = driver_->next(previous_, mail_expected);
    release_finished();
    if (task == nullptr) {
      std::string details;
      for (TaskState* live = live_head_; live != nullptr; live = live->live_next) {
        const TaskWait* wait = live->wait;
        details += absl::StrFormat("  %s waits on %s at %s\n", describe_task(*live),
                                   wait != nullptr && wait->what != nullptr ? wait->what : "?",
                                   wait != nullptr ? at(wait->where) : "?");
      }
      throw weft::LoopDeadlock(
          absl::StrFormat("weft::run: every task waits and nothing can wake them:\n%s", details));
    }
    previous_ = task;
    resume(*task);
  }
}

void EventLoop::resume(TaskState& task) {
  WEFT_CHECK(task.run == TaskRun::kReady);
  WEFT_CHECK(task.loop == this);
  if (!task.started && task.cancel_pending) {
    // Cancelled before it ever ran: like asyncio, it never runs at all.
    task.top->exception = std::make_exception_ptr(Cancelled{});
    task.top->finished = true;
    finish(task);
    return;
  }
  task.started = true;
  task.run = TaskRun::kRunning;
  if (active_backend() != nullptr) {
    // The simulator knows the current task itself. Its fibers share this OS
    // thread's thread_locals, and their saves and restores would not nest
    // (a stale task left behind would refuse the next real weft::run).
    task.resume_at.resume();
  } else {
    struct Restore {  // Restored on every exit, exceptions included.
      TaskState* outer;
      ~Restore() { tls_current_task = outer; }
    } restore{tls_current_task};
    tls_current_task = &task;
    task.resume_at.resume();
  }
  if (task.top->finished) {
    finish(task);
    return;
  }
  if (task.run == TaskRun::kRunning) {
    // It suspended on something that is not a weft awaitable: nothing will
    // ever resume it. Treat it as done with an error.
    report(absl::StrFormat("%s suspended on an awaitable weft does not know (only weft's "
                           "awaitables may suspend a weft::Task); it can never be resumed",
                           describe_task(task)),
           "");
    task.destroy_frames();
    task.run = TaskRun::kDone;
    task.top = nullptr;
    finish(task);
  }
}

void EventLoop::finish(TaskState& task) {
  task.run = TaskRun::kDone;
  if (task.live_prev == nullptr) {
    live_head_ = task.live_next;
  } else {
    task.live_prev->live_next = task.live_next;
  }
  if (task.live_next == nullptr) {
    live_tail_ = task.live_prev;
  } else {
    task.live_next->live_prev = task.live_prev;
  }
  task.live_prev = task.live_next = nullptr;
  --live_count_;
  for (JoinWaiter* joiner = std::exchange(task.joiners, nullptr); joiner != nullptr;) {
    JoinWaiter* following = joiner->next;
    joiner->next = nullptr;
    joiner->linked = false;
    wake(*joiner->waiter);
    joiner = following;
  }
  if (task.top != nullptr && task.exception() && !is_cancellation(task.exception())) {
    failed_.push_back(&task);  // Keeps the loop's reference until the end.
    return;
  }
  WEFT_CHECK(release_after_next_ == nullptr);
  release_after_next_ = &task;
}

void EventLoop::release_finished() {
  if (release_after_next_ == nullptr) return;
  if (previous_ == release_after_next_) previous_ = nullptr;
  std::exchange(release_after_next_, nullptr)->release();
}

void EventLoop::report_unobserved_exceptions() {
  std::string details;
  int count = 0;
  for (TaskState* task : failed_) {
    if (task->observed) continue;
    ++count;
    details += absl::StrFormat("%s (spawned at %s) threw %s\n", describe_task(*task),
                               at(task->created), describe_exception(task->exception()));
  }
  if (count == 0) return;
  report(absl::StrFormat("%d task%s failed and nobody awaited %s", count, count == 1 ? "" : "s",
                         count == 1 ? "it" : "them"),
         details);
}

void EventLoop::report(std::string message, std::string details) {
  if (Backend* backend = active_backend()) {
    backend->workload_failed(FailureKind::kException, std::move(message), std::move(details));
    return;
  }
  throw weft::UnawaitedTaskError(message + "\n" + details);
}

}  // namespace weft::internal

namespace weft {

// ---- Sleep ------------------------------------------------------------------

bool Sleep::await_ready() {
  awaited_ = true;
  task_ = &internal::require_current_task("co_await weft::sleep_for/sleep_until");
  return task_->cancel_pending;
}

void Sleep::await_suspend(std::coroutine_handle<> at) {
  wait_.what = "sleep";
  wait_.where = where_;
  wait_.cancel = &Sleep::cancel_wait;
  wait_.context = this;
  internal::suspend_task(*task_, at, wait_);
  internal::EventLoop& loop = *task_->loop;
  if (deadline_ == Clock::time_point::min() || deadline_ <= loop.now()) {
    loop.wake(*task_);  // Let the other ready tasks run first.
  } else {
    loop.sleep_until(*task_, deadline_);
  }
}

void Sleep::await_resume() { internal::resume_task(*task_); }

void Sleep::cancel_wait(void* context, internal::TaskState& task) {
  (void)context;
  task.loop->driver().disarm_timer(task);
}

// ---- LoopHandle ---------------------------------------------------------------

bool LoopHandle::post(Task<void> task, std::string name, std::source_location created) {
  auto& spawned = internal::make_spawned(std::move(task), std::move(name), created);
  if (mailbox_->deliver(spawned, /*spawn=*/true)) return true;
  spawned.release();
  return false;
}

LoopHandle this_loop() {
  internal::TaskState& task = internal::require_current_task("weft::this_loop");
  return LoopHandle(task.loop->mailbox());
}

}  // namespace weft

namespace weft::internal {

// ---- DoneOrDeadline -----------------------------------------------------------

DoneOrDeadline::~DoneOrDeadline() {
  unlink_joiner(task_, node_);
  forget_wait(self_, wait_);
}

bool DoneOrDeadline::await_ready() {
  self_ = &require_current_task("co_await weft::timeout");
  return task_.done() || self_->cancel_pending;
}

void DoneOrDeadline::await_suspend(std::coroutine_handle<> at) {
  node_.waiter = self_;
  link_joiner(task_, node_);
  wait_.what = "timeout";
  wait_.where = where_;
  wait_.awaited = &task_;
  wait_.cancel = &DoneOrDeadline::cancel_wait;
  wait_.context = this;
  suspend_task(*self_, at, wait_);
  if (deadline_ != Clock::time_point::max()) self_->loop->sleep_until(*self_, deadline_);
}

bool DoneOrDeadline::await_resume() {
  unlink_joiner(task_, node_);
  self_->loop->driver().disarm_timer(*self_);
  resume_task(*self_);
  return task_.done();
}

void DoneOrDeadline::cancel_wait(void* context, TaskState& self) {
  auto& awaiter = *static_cast<DoneOrDeadline*>(context);
  unlink_joiner(awaiter.task_, awaiter.node_);
  self.loop->driver().disarm_timer(self);
}

}  // namespace weft::internal
