// Copyright 2026 The weft Authors.
//
// The step loop: creating, switching, blocking, waking and unwinding
// simulated threads. The primitives' semantics live in sync.cc, failure
// descriptions in sim/detect/.

#include "sim/scheduler/scheduler.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "weft/assert.h"
#include "weft/internal/check.h"
#include "weft/internal/event_loop.h"

namespace weft::sim {
namespace {

// Epochs are process-wide so that an object used by two schedulers in turn
// (a global mutex, two explorations) never mistakes an old id for a new one.
std::atomic<uint32_t> next_epoch{1};

}  // namespace

Scheduler::Scheduler(SchedulerConfig config) : config_(config) {
  WEFT_CHECK_GT(config.max_steps, 0u);
  WEFT_CHECK_LE(config.max_steps, kStepsMaxCeiling);
  runnable_.reserve(kThreadsMax);
  eligible_.reserve(kThreadsMax);
  fibers_.reserve(kThreadsMax);
}

Scheduler::~Scheduler() { WEFT_CHECK(internal::active_backend() != this); }

// ---------------------------------------------------------------------------
// One execution

void Scheduler::reset_for_execution(Strategy& strategy) {
  strategy_ = &strategy;
  threads_.release_all();
  thread_extras_.release_all();
  objects_.release_all();
  loops_.release_all();
  processes_.release_all();
  pipes_.release_all();
  sockets_.release_all();
  listeners_.clear();
  bound_.clear();
  cuts_.clear();
  faults_ = Faults();
  crash_probability_ = 0.0;
  segment_sequence_ = 0;
  next_fd_ = 3;
  killed_ = 0;
  timers_.clear();
  timer_sequence_ = 0;
  thread_count_ = 0;
  hidden_ = 0;
  runnable_.clear();
  schedule_.clear();
  current_ = kNoThread;
  unfinished_ = 0;
  epoch_ = next_epoch.fetch_add(1, std::memory_order_relaxed);
  WEFT_CHECK_NE(epoch_, 0u);  // 2^32 executions in one process: the tag wrapped.
  steps_ = 0;
  preemptions_ = 0;
  schedule_hash_ = kHashSeed;
  now_ = Clock::duration::zero();
  failure_.reset();
  ended_ = false;
  abort_operations_ = 0;
}

ExecutionResult Scheduler::run(Strategy& strategy, absl::FunctionRef<void()> workload) {
  WEFT_CHECK(internal::active_backend() == nullptr);
  reset_for_execution(strategy);
  if (log_ != nullptr) note_run_start();
  workload_ = &workload;
  internal::ScopedBackend installed(this);
  WEFT_CHECK_EQ(create_process("", std::source_location::current(), 0), 0u);
  const ThreadId main =
      create_thread([this] { (*workload_)(); }, "main", std::source_location::current());
  WEFT_CHECK_EQ(main, kMainThread);
  current_ = kMainThread;
  note(EventKind::kResumed, kNoEventTarget, Location(), kResumedAtStart);
  Fiber::switch_to(driver_, *fibers_[kMainThread]);
  // Back on the driver: every thread finished, or the execution ended early.
  // Threads of killed processes unwind too; nothing they do counts any more.
  if (killed_ > 0) ended_ = true;
  unwind_unfinished_threads();
  WEFT_CHECK_EQ(unfinished_, 0u);
  workload_ = nullptr;
  current_ = kNoThread;
  // A restart recipe holds a copy of the process's captures: destroy them in
  // this execution, not whenever the record is reused.
  for (size_t index = 0; index < processes_.size(); ++index) processes_[index].recipe = nullptr;
  if (log_ != nullptr) note_run_end();

  ExecutionResult result;
  result.failure = failure_;
  result.steps = steps_;
  result.preemptions = preemptions_;
  result.schedule_hash = schedule_hash_;
  result.virtual_time = now_;
  result.schedule = &schedule_;
  return result;
}

SimThread& Scheduler::create_entity() {
  const auto id = static_cast<ThreadId>(threads_.size());
  WEFT_CHECK_LT(id, kEntitiesMax);
  SimThread& record = threads_.acquire();
  record.id = id;
  record.created = Location();
  record.extras = kNoExtras;
  record.task = nullptr;
  record.is_task = false;
  record.loop = kNoLoop;
  record.process = current_ == kNoThread ? 0 : thread(current_).process;
  record.state = ThreadState::kRunnable;
  record.started = false;
  record.detached = false;
  record.wait_kind = WaitKind::kNone;
  record.wait_target = 0;
  record.watched_socket = UINT32_MAX;
  record.has_deadline = false;
  record.timed_out = false;
  record.queue_prev = record.queue_next = kNoThread;
  if (fibers_.size() <= id) fibers_.resize(id + 1, nullptr);
  return record;
}

ThreadId Scheduler::create_thread(absl::AnyInvocable<void()> body, std::string name,
                                  Location created, std::optional<uint32_t> process_index) {
  WEFT_CHECK_LT(thread_count_, kThreadsMax);
  SimThread& record = create_entity();
  record.created = created;
  if (process_index) record.process = *process_index;
  record.extras = static_cast<uint32_t>(thread_extras_.size());
  ThreadExtras& extras = thread_extras_.acquire();
  extras.name = std::move(name);
  extras.body = std::move(body);
  extras.joiners = WaitQueue{};
  if (!extras.fiber) extras.fiber = FiberCache::take(config_.stack_bytes);
  extras.fiber->prepare(&Scheduler::thread_entry, this);
  fibers_[record.id] = extras.fiber.get();
  ++thread_count_;
  ++unfinished_;
  make_runnable(record.id);
  if (log_ != nullptr) [[unlikely]]
    note_entity(record.id, extras.name);
  return record.id;
}

void Scheduler::thread_entry(void* scheduler) {
  Fiber::on_entry();
  static_cast<Scheduler*>(scheduler)->run_current_thread();
}

void Scheduler::run_current_thread() {
  SimThread& self = me();
  WEFT_CHECK(!self.started);
  self.started = true;
  note(EventKind::kStarted);
  ThreadExtras& extras = this->extras(current_);
  try {
    extras.body();
    // Destroy the captures here, on the thread itself, as std::thread does.
    extras.body = nullptr;
  } catch (const internal::ExecutionAborted&) {
  } catch (...) {
    if (!ended_) {
      std::string what = "a non-std exception";
      try {
        throw;
      } catch (const std::exception& exception) {
        what = absl::StrFormat("%s: %s", typeid(exception).name(), exception.what());
      } catch (...) {
      }
      fail(FailureKind::kException,
           absl::StrFormat("%s threw %s", describe_thread(current_), what));
    }
  }
  // Also after an exception: captures left in a pooled record would be
  // destroyed by a later execution, in the wrong books.
  extras.body = nullptr;
  finish_current_thread();
}

void Scheduler::finish_current_thread() {
  SimThread& self = me();
  WEFT_CHECK(self.state != ThreadState::kFinished);
  if (self.state == ThreadState::kKilled) {
    // Unwound after the execution ended (its process was killed before).
    WEFT_CHECK(ended_);
    WEFT_CHECK_GT(killed_, 0u);
    --killed_;
    self.state = ThreadState::kFinished;
    switch_to_driver(/*exiting=*/true);
  }
  if (self.state == ThreadState::kRunnable) make_unrunnable(current_);
  self.state = ThreadState::kFinished;
  WEFT_CHECK_GT(unfinished_, 0u);
  --unfinished_;
  if (!ended_) {
    note(EventKind::kFinished);
    wake_all(extras(current_).joiners);
    const uint32_t process_index = self.process;
    if (process_index != 0 && process(process_index).main == current_) {
      // A process's main thread returned: the process exits (its other
      // threads end with it, as after exit()).
      end_process(process_index, ExitStatus::from_code(process(process_index).exit_code));
    }
    if (current_ == kMainThread) report_leaked_threads();
  }
  if (ended_ || unfinished_ == 0) switch_to_driver(/*exiting=*/true);
  run_other(/*exiting=*/true);
  internal::check_failed(__FILE__, __LINE__, "a finished thread was resumed", "");
}

void Scheduler::unwind_unfinished_threads() {
  if (unfinished_ == 0 && killed_ == 0) return;
  WEFT_CHECK(ended_);
  // Newest first: a thread's captures usually point into its creator's stack,
  // which must still be alive while it unwinds.
  for (size_t index = threads_.size(); index-- > 0;) {
    SimThread& record = thread(static_cast<ThreadId>(index));
    if (record.state == ThreadState::kFinished) continue;
    if (record.is_task) {
      // A task has no stack of its own: it unwinds with its loop's host.
      if (record.state == ThreadState::kRunnable) make_unrunnable(record.id);
      record.state = ThreadState::kFinished;
      continue;
    }
    if (!record.started) {
      current_ = record.id;  // Its captures close their descriptors in its process.
      extras(record.id).body = nullptr;
      if (record.state == ThreadState::kKilled) {
        --killed_;
      } else {
        --unfinished_;
      }
      record.state = ThreadState::kFinished;
      continue;
    }
    current_ = record.id;
    abort_operations_ = 0;
    Fiber::switch_to(driver_, *fibers_[record.id]);
    WEFT_CHECK(record.state == ThreadState::kFinished);
  }
}

// ---------------------------------------------------------------------------
// Scheduling points

bool Scheduler::unwinding() const { return std::uncaught_exceptions() > 0; }

void Scheduler::throw_execution_aborted() { throw internal::ExecutionAborted{}; }

void Scheduler::point_after_end() {
  WEFT_CHECK(ended_);
  if (!unwinding()) throw_execution_aborted();
  count_operation_after_end();
}

bool Scheduler::quiet_point_after_end() {
  WEFT_CHECK(ended_);
  count_operation_after_end();
  return false;
}

void Scheduler::count_operation_after_end() {
  // After the end, operations complete without blocking. A thread that keeps
  // calling them without finishing (a spin on atomics in a destructor, a wait
  // loop in a destructor run by unwinding) is abandoned, not resumed forever.
  if (++abort_operations_ <= kAbortOperationsMax) return;
  SimThread& self = me();
  if (self.state == ThreadState::kKilled) {
    --killed_;
  } else {
    if (self.state == ThreadState::kRunnable) make_unrunnable(current_);
    --unfinished_;
  }
  self.state = ThreadState::kFinished;
  switch_to_driver(/*exiting=*/true);
}

bool Scheduler::ended_after_wait() {
  if (!ended_) return false;
  if (!unwinding()) throw_execution_aborted();
  return true;
}

void Scheduler::report_step_limit() {
  fail(FailureKind::kStepLimit,
       absl::StrFormat("more than %d scheduling decisions: a livelock, or a loop that never "
                       "blocks (raise ExploreOptions::max_steps / WEFT_MAX_STEPS if the "
                       "workload is just long)",
                       config_.max_steps));
}

void Scheduler::block(WaitKind kind, uint32_t target, Location where,
                      std::optional<Clock::duration> deadline) {
  SimThread& self = me();
  WEFT_CHECK(self.state == ThreadState::kRunnable);
  WEFT_CHECK(kind != WaitKind::kNone);
  make_unrunnable(current_);
  self.state = ThreadState::kBlocked;
  self.wait_kind = kind;
  self.wait_target = target;
  self.wait_where = where;
  self.has_deadline = deadline.has_value();
  self.deadline = deadline.value_or(Clock::duration::zero());
  self.timed_out = false;
  if (log_ != nullptr) [[unlikely]]
    note_blocked(current_);
  if (deadline) arm_timer(current_, *deadline);
  run_other(/*exiting=*/false);
}

void Scheduler::run_other(bool exiting) {
  while (runnable_.size() == hidden_) {
    if (!advance_virtual_time()) {
      report_deadlock();
      switch_to_driver(exiting);
      return;  // Resumed only to unwind.
    }
  }
  if (!count_step()) {
    switch_to_driver(exiting);
    return;
  }
  const ThreadId next = strategy_->pick(eligible(), kNoThread, /*yielding=*/false);
  WEFT_DCHECK(std::binary_search(runnable_.begin(), runnable_.end(), next));
  record(next, kNoThread, /*yielding=*/false);
  if (log_ != nullptr) [[unlikely]]
    note_pick(next, /*current_could_run=*/false, /*yielding=*/false);
  if (exiting) exit_to(next);
  // The blocked thread itself may be next (its timer fired), or a loop's idle
  // host may pick one of its own tasks, which runs on the host's fiber.
  if (next == current_) return;
  if (fibers_[next] == fibers_[current_]) {
    current_ = next;
    return;
  }
  switch_to(next);
}

void Scheduler::exit_to(ThreadId next) {
  SimThread& from = me();
  SimThread& to = thread(next);
  WEFT_CHECK(to.state == ThreadState::kRunnable);
  WEFT_CHECK(from.state == ThreadState::kFinished);
  WEFT_CHECK(!from.is_task);  // A task finishes by returning to its loop.
  current_ = next;
  Fiber::exit_to(*fibers_[from.id], *fibers_[next]);
}

void Scheduler::switch_to_driver(bool exiting) {
  // fibers_, not me().fiber: the current entity may be a task on its host's fiber.
  if (exiting) Fiber::exit_to(*fibers_[current_], driver_);
  Fiber::switch_to(*fibers_[current_], driver_);
}

// ---------------------------------------------------------------------------
// Waiting and waking

void Scheduler::make_runnable(ThreadId id) {
  SimThread& record = thread(id);
  record.state = ThreadState::kRunnable;
  record.wait_kind = WaitKind::kNone;
  record.has_deadline = false;
  ++record.timer_generation;
  const auto position = std::lower_bound(runnable_.begin(), runnable_.end(), id);
  WEFT_DCHECK(position == runnable_.end() || *position != id);
  runnable_.insert(position, id);
}

void Scheduler::make_unrunnable(ThreadId id) {
  const auto position = std::lower_bound(runnable_.begin(), runnable_.end(), id);
  WEFT_CHECK(position != runnable_.end() && *position == id);
  runnable_.erase(position);
}

void Scheduler::enqueue(WaitQueue& queue, ThreadId id) {
  SimThread& record = thread(id);
  record.queue_prev = queue.tail;
  record.queue_next = kNoThread;
  if (queue.tail == kNoThread) {
    queue.head = id;
  } else {
    thread(queue.tail).queue_next = id;
  }
  queue.tail = id;
  ++queue.size;
}

void Scheduler::dequeue(WaitQueue& queue, ThreadId id) {
  SimThread& record = thread(id);
  WEFT_CHECK_GT(queue.size, 0u);
  if (record.queue_prev == kNoThread) {
    WEFT_CHECK_EQ(queue.head, id);
    queue.head = record.queue_next;
  } else {
    thread(record.queue_prev).queue_next = record.queue_next;
  }
  if (record.queue_next == kNoThread) {
    WEFT_CHECK_EQ(queue.tail, id);
    queue.tail = record.queue_prev;
  } else {
    thread(record.queue_next).queue_prev = record.queue_prev;
  }
  record.queue_prev = record.queue_next = kNoThread;
  --queue.size;
}

void Scheduler::wake_first(WaitQueue& queue) {
  const ThreadId first = queue.head;
  if (first == kNoThread) return;
  dequeue(queue, first);
  WEFT_CHECK(thread(first).state == ThreadState::kBlocked);
  note_for(first, EventKind::kWoken, current_);
  make_runnable(first);
}

void Scheduler::wake_every_waiter(WaitQueue& queue) {
  while (queue.head != kNoThread) wake_first(queue);
  WEFT_CHECK_EQ(queue.size, 0u);
}

WaitQueue* Scheduler::queue_of_waiter(const SimThread& waiter) {
  switch (waiter.wait_kind) {
    case WaitKind::kMutex:
    case WaitKind::kMutexShared:
    case WaitKind::kCondVar:
    case WaitKind::kSemaphore:
      return &object(waiter.wait_target).waiters;
    case WaitKind::kJoin:
      return &extras(waiter.wait_target).joiners;
    case WaitKind::kProcess:
      return &process(waiter.wait_target).waiters;
    case WaitKind::kPipeRead:
      return &pipes_[waiter.wait_target].read_waiters;
    case WaitKind::kPipeWrite:
      return &pipes_[waiter.wait_target].write_waiters;
    case WaitKind::kSocket:
      return &sockets_[waiter.wait_target].waiters;
    case WaitKind::kSleep:
    case WaitKind::kTask:
    case WaitKind::kLoop:
    case WaitKind::kNone:
      return nullptr;
  }
  return nullptr;
}

void Scheduler::arm_timer(ThreadId id, Clock::duration deadline) {
  SimThread& record = thread(id);
  timers_.push_back(TimerEntry{deadline, timer_sequence_++, id, ++record.timer_generation});
  std::push_heap(timers_.begin(), timers_.end());
}

bool Scheduler::advance_virtual_time() {
  // Fires every live timer due at the earliest deadline. Entries are stale
  // once their entity was woken otherwise (its generation moved on).
  auto live = [&](const TimerEntry& entry) {
    const SimThread& record = thread(entry.id);
    return record.state == ThreadState::kBlocked && record.timer_generation == entry.generation;
  };
  while (!timers_.empty() && !live(timers_.front())) {
    std::pop_heap(timers_.begin(), timers_.end());
    timers_.pop_back();
  }
  if (timers_.empty()) return false;
  const Clock::duration earliest = timers_.front().deadline;
  WEFT_CHECK_GE(earliest, now_);
  now_ = earliest;
  while (!timers_.empty() && timers_.front().deadline == earliest) {
    std::pop_heap(timers_.begin(), timers_.end());
    const TimerEntry entry = timers_.back();
    timers_.pop_back();
    if (!live(entry)) continue;
    SimThread& record = thread(entry.id);
    note_for(entry.id, EventKind::kTimerFired);
    if (record.task != nullptr && record.wait_kind == WaitKind::kTask) {
      // A sleeping task: its loop wakes it (it may stay queued behind a busy loop).
      record.task->loop->wake(*record.task);
      continue;
    }
    if (WaitQueue* queue = queue_of_waiter(record)) dequeue(*queue, record.id);
    make_runnable(record.id);
    record.timed_out = true;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Objects and failures

uint32_t Scheduler::register_object(const internal::SimObject& object, int64_t initial_count) {
  WEFT_CHECK_NE(object.epoch, epoch_);
  object.epoch = epoch_;
  object.id = static_cast<uint32_t>(objects_.size());
  ObjectState& state = objects_.acquire();
  state = ObjectState{};
  state.kind = object.kind;
  state.name = object.name;
  state.created = object.created;
  state.count = initial_count;
  if (log_ != nullptr) [[unlikely]]
    note_object(object.id);
  return object.id;
}

void Scheduler::fail(FailureKind kind, std::string message, std::string details,
                     std::string location) {
  if (!failure_) {
    Failure failure;
    failure.kind = kind;
    failure.message = std::move(message);
    failure.details = std::move(details);
    failure.location = std::move(location);
    failure.thread_id = current_;
    failure.thread_name = current_ == kNoThread      ? ""
                          : me().task != nullptr     ? me().task->name()
                          : me().extras != kNoExtras ? extras(current_).name
                                                     : "";
    failure.step = steps_;
    failure_ = std::move(failure);
    note(EventKind::kFailure, kNoEventTarget, Location(), static_cast<uint8_t>(kind));
  }
  ended_ = true;
}

void Scheduler::fail_and_throw(FailureKind kind, std::string message, std::string location) {
  fail(kind, std::move(message), "", std::move(location));
  throw_execution_aborted();
}

// ---------------------------------------------------------------------------
// Event recording (set_event_log): reached only through the one-branch hooks
// in scheduler.h, so none of this runs, or costs, while no log is set.

static_assert(kNoThread == kNoEventTarget, "an event's absent entity is kNoThread");

void Scheduler::note_run_start() {
  WEFT_CHECK(log_ != nullptr);
  log_->clear();
}

void Scheduler::note_run_end() {
  WEFT_CHECK_EQ(log_->entities.size(), threads_.size());
  WEFT_CHECK_EQ(log_->objects.size(), objects_.size());
  log_->steps = steps_;
  log_->end_virtual_time_ns = now_.count();
  log_->schedule_hash = schedule_hash_;
  log_->failure = failure_;
}

void Scheduler::note_event(EventKind kind, ThreadId entity, uint32_t target, Location where,
                           uint8_t detail) {
  WEFT_DCHECK(log_ != nullptr);
  if (ended_) return;  // Unwinding after the end: nothing the workload did.
  Event event;
  event.step = steps_;
  event.virtual_time_ns = now_.count();
  event.where = where;
  event.entity = entity;
  event.target = target;
  event.kind = kind;
  event.detail = detail;
  log_->add(event);
}

void Scheduler::note_pick(ThreadId next, bool current_could_run, bool yielding) {
  WEFT_DCHECK(!schedule_.empty() && schedule_.back() == next);
  const auto detail = static_cast<uint8_t>((current_could_run ? kPickedCurrentCouldRun : 0) |
                                           (yielding ? kPickedYielding : 0));
  note_event(EventKind::kPicked, next, current_, Location(), detail);
}

namespace {

WaitReason wait_reason(WaitKind kind) {
  switch (kind) {
    case WaitKind::kMutex:
      return WaitReason::kMutex;
    case WaitKind::kMutexShared:
      return WaitReason::kMutexShared;
    case WaitKind::kCondVar:
      return WaitReason::kCondVar;
    case WaitKind::kSemaphore:
      return WaitReason::kSemaphore;
    case WaitKind::kJoin:
      return WaitReason::kJoin;
    case WaitKind::kSleep:
      return WaitReason::kSleep;
    case WaitKind::kTask:
      return WaitReason::kTask;
    case WaitKind::kLoop:
      return WaitReason::kLoop;
    case WaitKind::kProcess:
    case WaitKind::kPipeRead:
    case WaitKind::kPipeWrite:
    case WaitKind::kSocket:
      return WaitReason::kLabelled;
    case WaitKind::kNone:
      break;
  }
  internal::check_failed(__FILE__, __LINE__, "a blocked entity waits for nothing", "");
}

}  // namespace

void Scheduler::note_blocked(ThreadId id) {
  const SimThread& record = thread(id);
  WEFT_CHECK(record.state == ThreadState::kBlocked);
  const WaitReason reason = wait_reason(record.wait_kind);
  uint32_t target = record.wait_target;
  Location where = record.wait_where;
  if (reason == WaitReason::kSleep) target = kNoEventTarget;
  if (reason == WaitReason::kLoop) where = Location();
  if (reason == WaitReason::kLabelled) {
    if (record.wait_kind == WaitKind::kSocket) {
      target = log_->intern_label(absl::StrCat("socket ", sockets_[record.wait_target].address));
    } else if (record.wait_kind == WaitKind::kProcess) {
      target = log_->intern_label(absl::StrCat("wait ", describe_process(record.wait_target)));
    } else {
      target = log_->intern_label(
          absl::StrFormat("%s pipe #%d", record.wait_kind == WaitKind::kPipeRead ? "read" : "write",
                          record.wait_target));
    }
  }
  if (reason == WaitReason::kTask) {
    // What the task awaits, as the deadlock report words it.
    WEFT_CHECK(record.task != nullptr && record.task->wait != nullptr);
    const internal::TaskWait& wait = *record.task->wait;
    std::string label;
    if (wait.awaited != nullptr) {
      label = "join " + describe_thread(wait.awaited->id);
    } else {
      label = wait.what != nullptr ? wait.what : "an awaitable";
      if (wait.object_name != nullptr) absl::StrAppend(&label, " ", wait.object_name);
      if (wait.holder != nullptr) {
        absl::StrAppend(&label, " (held by ", describe_thread(wait.holder->id), ")");
      }
    }
    target = log_->intern_label(label);
    where = wait.where;
  }
  note_event(EventKind::kBlocked, id, target, where, static_cast<uint8_t>(reason));
}

void Scheduler::note_entity(ThreadId id, std::string_view name) {
  WEFT_CHECK_EQ(log_->entities.size(), id);  // Dense, in creation order.
  const SimThread& record = thread(id);
  EntityInfo& entity = log_->entities.emplace_back();
  entity.name = std::string(name);
  entity.is_task = record.is_task;
  entity.creator = current_;
  entity.pid = record.process + 1;
  entity.created = record.created;
  if (current_ != kNoThread) note_event(EventKind::kSpawned, current_, id, record.created, 0);
}

void Scheduler::note_object(uint32_t id) {
  WEFT_CHECK_EQ(log_->objects.size(), id);  // Dense, in order of first use.
  const ObjectState& state = object(id);
  ObjectInfo& info = log_->objects.emplace_back();
  info.kind = internal::object_kind_name(state.kind);
  info.name = state.name != nullptr ? state.name : "";
  info.created = state.created;
}

}  // namespace weft::sim
