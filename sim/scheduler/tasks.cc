// Copyright 2026 The weft Authors.
//
// Coroutine tasks under simulation: event loops whose every pick of the next
// ready task is a scheduling decision, in one decision space with threads.
//
// A task is an entity like a thread (same ids, same runnable set, same
// strategy) without a fiber: it runs on the fiber of the thread hosting its
// loop. While the host is between tasks (in loop_next) the loop is idle and
// its ready tasks are eligible; once the strategy picks one, the loop is busy
// and the others are hidden until the running task suspends. So a task is
// never interleaved with its loop-mates between two suspension points,
// exactly as on a real loop, but it is with every other thread and loop.
// Idle/busy is a flag and a count per loop, not a move of its ready tasks in
// and out of the runnable set: a step costs the same with 2 or 100,000 ready.

#include <algorithm>
#include <stdexcept>

#include "absl/strings/str_format.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"
#include "weft/internal/event_loop.h"

namespace weft::sim {
namespace {

class SimLoopDriver final : public internal::LoopDriver {
 public:
  SimLoopDriver(Scheduler& scheduler, uint32_t loop) : scheduler_(scheduler), loop_(loop) {}

  void attach(internal::EventLoop& loop) override {
    event_loop_ = &loop;
    scheduler_.loop_attach(loop_, loop);
  }
  void task_created(internal::TaskState& task) override {
    task.id = scheduler_.task_create(loop_, task);
  }
  void task_ready(internal::TaskState& task) override { scheduler_.task_wake(task.id); }
  void deliver_from_thread(internal::TaskState& task, bool spawn) override {
    // Every simulated thread shares the scheduler's OS thread: no mail needed.
    if (spawn) {
      event_loop_->adopt(task);
    } else {
      event_loop_->wake(task);
      task.release();
    }
  }
  void arm_timer(internal::TaskState& task, Clock::time_point deadline) override {
    scheduler_.task_timer(task.id, deadline);
  }
  void disarm_timer(internal::TaskState& task) override { scheduler_.task_timer_cancel(task.id); }
  void watch_fd(internal::TaskState& task, int fd, bool for_write) override {
    scheduler_.task_watch_fd(task.id, fd, for_write);
  }
  void unwatch_fd(internal::TaskState& task, int fd) override {
    scheduler_.task_unwatch_fd(task.id, fd);
  }
  internal::TaskState* next(internal::TaskState* previous, bool mail_expected) override {
    (void)previous;
    (void)mail_expected;
    return scheduler_.loop_next(loop_);
  }
  bool mail_pending() override { return false; }  // Delivered at once.
  void close(internal::TaskState* previous) override {
    (void)previous;
    scheduler_.loop_close(loop_);
  }
  Clock::time_point now() override { return scheduler_.now(); }

 private:
  Scheduler& scheduler_;
  const uint32_t loop_;
  internal::EventLoop* event_loop_ = nullptr;
};

}  // namespace

std::unique_ptr<internal::LoopDriver> Scheduler::loop_driver(Location where) {
  if (ended_ && !unwinding()) throw_execution_aborted();
  if (me().task != nullptr) {
    throw std::logic_error(
        "weft::run called from inside a task: a task awaits, it does not start another loop");
  }
  if (loops_.size() >= kLoopsMax) {
    fail_and_throw(
        FailureKind::kMisuse,
        absl::StrFormat("%s starts an event loop at %s:%d: more than %d weft::run "
                        "calls in one execution (sim/limits.h kLoopsMax)",
                        describe_thread(current_), where.file_name(), where.line(), kLoopsMax));
  }
  const auto id = static_cast<uint32_t>(loops_.size());
  SimLoop& loop = loops_.acquire();
  loop.host = current_;
  loop.event_loop = nullptr;
  loop.idle = false;
  loop.open = true;
  loop.running = kNoThread;
  loop.ready = 0;
  return std::make_unique<SimLoopDriver>(*this, id);
}

void Scheduler::loop_attach(uint32_t loop, internal::EventLoop& event_loop) {
  loops_[loop].event_loop = &event_loop;
}

bool Scheduler::hidden(const SimThread& record) const {
  if (!record.is_task || record.state != ThreadState::kRunnable) return false;
  const SimLoop& loop = loops_[record.loop];
  return !loop.idle && loop.running != record.id;
}

std::span<const ThreadId> Scheduler::eligible_without_hidden() {
  eligible_.clear();
  for (ThreadId id : runnable_) {
    if (!hidden(thread(id))) eligible_.push_back(id);
  }
  WEFT_DCHECK(eligible_.size() == runnable_.size() - hidden_);
  return eligible_;
}

ThreadId Scheduler::task_create(uint32_t loop_id, internal::TaskState& task) {
  SimLoop& loop = loops_[loop_id];
  WEFT_CHECK(loop.open);
  if (threads_.size() - thread_count_ >= kTasksMax) {
    fail_and_throw(
        FailureKind::kMisuse,
        absl::StrFormat("more than %d tasks in one execution (sim/limits.h kTasksMax)", kTasksMax));
  }
  SimThread& record = create_entity();
  record.task = &task;
  record.is_task = true;
  record.loop = loop_id;
  record.created = task.created;
  record.started = true;
  fibers_[record.id] = fibers_[loop.host];
  make_task_ready(record.id);
  if (log_ != nullptr) [[unlikely]]
    note_entity(record.id, task.name());
  return record.id;
}

void Scheduler::make_task_ready(ThreadId id) {
  SimLoop& loop = loops_[thread(id).loop];
  make_runnable(id);
  ++loop.ready;
  if (!loop.idle) ++hidden_;
}

void Scheduler::task_wake(ThreadId id) {
  SimThread& record = thread(id);
  WEFT_CHECK(record.task != nullptr);
  // The running task readied itself (a sleep that is already due): loop_next
  // reads that from its TaskState when it suspends.
  if (id == current_) return;
  if (record.state != ThreadState::kBlocked || record.wait_kind != WaitKind::kTask) return;
  unwatch_socket(record);
  make_task_ready(id);
  note_for(id, EventKind::kWoken, current_);
}

void Scheduler::task_timer(ThreadId id, Clock::time_point deadline) {
  arm_timer(id, std::max(deadline.time_since_epoch(), now_));
}

void Scheduler::task_timer_cancel(ThreadId id) { ++thread(id).timer_generation; }

internal::TaskState* Scheduler::loop_next(uint32_t loop_id) {
  SimLoop& loop = loops_[loop_id];
  WEFT_CHECK(loop.open);
  if (ended_) {
    // The execution ended (perhaps while a task of this loop was blocked on
    // a thread primitive): the host unwinds; the books no longer matter.
    current_ = loop.host;
    if (!unwinding()) throw_execution_aborted();
    return nullptr;
  }
  if (current_ != loop.host) {
    // The task that ran last has suspended or finished.
    SimThread& last = me();
    WEFT_CHECK(last.task != nullptr && last.loop == loop_id && loop.running == current_);
    WEFT_CHECK(last.state == ThreadState::kRunnable && !loop.idle);
    switch (last.task->run) {
      case internal::TaskRun::kDone:
        note(EventKind::kFinished);
        make_unrunnable(current_);
        last.state = ThreadState::kFinished;
        last.task = nullptr;  // The loop frees the TaskState now.
        break;
      case internal::TaskRun::kReady:
        ++last.timer_generation;
        ++loop.ready;  // Stays runnable, among the loop's ready tasks.
        ++hidden_;     // Until the loop goes idle, just below.
        break;
      case internal::TaskRun::kWaiting:
        make_unrunnable(current_);
        last.state = ThreadState::kBlocked;
        last.wait_kind = WaitKind::kTask;
        WEFT_CHECK(last.task->wait != nullptr);
        last.wait_where = last.task->wait->where;
        if (log_ != nullptr) [[unlikely]]
          note_blocked(current_);
        break;
      case internal::TaskRun::kRunning:
        internal::check_failed(__FILE__, __LINE__, "a task suspended while running", "");
    }
    loop.running = kNoThread;
    current_ = loop.host;
  } else {
    // The host enters its loop.
    SimThread& host = me();
    WEFT_CHECK(host.state == ThreadState::kRunnable);
    make_unrunnable(current_);
    host.state = ThreadState::kBlocked;
    host.wait_kind = WaitKind::kLoop;
    host.wait_target = loop_id;
    host.loop = loop_id;
    if (log_ != nullptr) [[unlikely]]
      note_blocked(current_);
  }
  // Idle: the loop's ready tasks become eligible.
  WEFT_CHECK(!loop.idle);
  WEFT_CHECK_GE(hidden_, loop.ready);
  loop.idle = true;
  hidden_ -= loop.ready;
  run_other(/*exiting=*/false);
  if (ended_) {
    // Resumed to unwind: the host, not a task, is the one unwinding.
    current_ = loop.host;
    if (!unwinding()) throw_execution_aborted();
    return nullptr;
  }
  const ThreadId picked = current_;
  SimThread& task = thread(picked);
  WEFT_CHECK(task.task != nullptr && task.loop == loop_id);
  WEFT_CHECK(task.state == ThreadState::kRunnable && loop.idle);
  WEFT_CHECK_GT(loop.ready, 0u);
  // Busy: the others are hidden until this one suspends.
  loop.idle = false;
  loop.running = picked;
  --loop.ready;
  hidden_ += loop.ready;
  if (log_ != nullptr && !task.task->started) [[unlikely]]
    note(EventKind::kStarted);
  return task.task;
}

void Scheduler::loop_close(uint32_t loop_id) {
  SimLoop& loop = loops_[loop_id];
  WEFT_CHECK(loop.open);
  if (current_ != loop.host) {
    SimThread& last = me();
    WEFT_CHECK(last.task != nullptr && last.task->run == internal::TaskRun::kDone);
    WEFT_CHECK(loop.running == current_);
    note(EventKind::kFinished);
    if (last.state == ThreadState::kRunnable) make_unrunnable(current_);
    last.state = ThreadState::kFinished;
    last.task = nullptr;
    loop.running = kNoThread;
    current_ = loop.host;
  }
  WEFT_CHECK_EQ(loop.ready, 0u);
  loop.open = false;
  SimThread& host = me();
  host.loop = kNoLoop;
  if (host.state == ThreadState::kBlocked) {
    make_runnable(current_);
    // The host goes on without a decision: its weft::run returns.
    note(EventKind::kWoken);
    note(EventKind::kResumed, kNoEventTarget, Location(), kResumedLoopClosed);
  }
}

void Scheduler::workload_failed(FailureKind kind, std::string message,
                                std::string details) noexcept {
  if (ended_) return;
  fail(kind, std::move(message), std::move(details));
}

}  // namespace weft::sim
