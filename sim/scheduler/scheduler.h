// Copyright 2026 The weft Authors.
//
// Scheduler: the simulated runtime. It is the internal::Backend that weft's
// primitives forward to during an exploration, and it runs one execution of a
// workload at a time, on the calling OS thread:
//
//   Scheduler scheduler(SchedulerConfig{});
//   strategy->begin_execution(i);
//   ExecutionResult result = scheduler.run(*strategy, workload);
//
// Every simulated thread is a Fiber. Every primitive operation is a
// scheduling point: the strategy picks the next thread among the runnable
// ones and the running fiber switches straight to it (no scheduler fiber in
// between). A thread that blocks is taken off the runnable set until a wake-up
// puts it back. When no thread can run, virtual time jumps to the earliest
// deadline; if there is none, that is a deadlock.
//
// When an execution ends early (a failure, a deadlock, the step limit), the
// threads still alive are unwound one by one, newest first, by throwing
// internal::ExecutionAborted from their pending blocking call, so that their
// destructors run and no memory leaks from one execution into the next.
//
// The scheduler is the judge of the workload; it checks its own invariants
// with WEFT_CHECK (always on), and its decisions depend only on the strategy:
// ids are dense, sets are sorted vectors, nothing is ordered by address.
//
// Not thread-safe: one scheduler per OS thread.

#ifndef WEFT_SIM_SCHEDULER_SCHEDULER_H_
#define WEFT_SIM_SCHEDULER_SCHEDULER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "sim/fiber/fiber.h"
#include "sim/limits.h"
#include "sim/scheduler/records.h"
#include "sim/strategy/strategy.h"
#include "sim/trace/event_log.h"
#include "weft/internal/backend.h"
#include "weft/report.h"

namespace weft::sim {

struct SchedulerConfig {
  uint64_t max_steps = kStepsMaxDefault;
  size_t stack_bytes = kFiberStackBytes;
};

// The outcome of one execution. `schedule` points into the scheduler and is
// valid until its next run().
struct ExecutionResult {
  std::optional<Failure> failure;
  uint64_t steps = 0;
  uint64_t preemptions = 0;
  uint64_t schedule_hash = 0;
  Clock::duration virtual_time{};
  const std::vector<ThreadId>* schedule = nullptr;
};

class Scheduler final : public internal::Backend {
 public:
  explicit Scheduler(SchedulerConfig config);
  ~Scheduler() override;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Scheduler::run()
  //
  // Runs `workload` once as thread 0 ("main") with `strategy` deciding.
  // REQUIRES: strategy.begin_execution() was called for this execution; no
  // other simulation runs on this OS thread.
  ExecutionResult run(Strategy& strategy, absl::FunctionRef<void()> workload);

  // Scheduler::set_event_log()
  //
  // Records each later run() into `log` (cleared at the start of every run),
  // or nothing if `log` is null, the default. Recording changes no decision,
  // step count or schedule hash; off, it costs one predictable branch per
  // hook. REQUIRES: `log` outlives the runs it records; not called during a run.
  void set_event_log(EventLog* log) { log_ = log; }

  // ---- internal::Backend ----
  uint32_t thread_spawn(absl::AnyInvocable<void()> body, std::string name, Location where) override;
  void thread_join(uint32_t id, Location where) override;
  void thread_detach(uint32_t id, Location where) override;
  void thread_dropped(uint32_t id, Location where) noexcept override;
  uint32_t current_thread_id() override { return current_; }
  void yield(Location where) override;
  void sleep_until(Clock::time_point deadline, Location where) override;
  Clock::time_point now() override { return Clock::time_point(now_); }
  uint64_t random_u64() override { return strategy_->next_u64(); }
  void mutex_lock(const internal::SimObject& mutex, Location where) override;
  bool mutex_try_lock(const internal::SimObject& mutex, Location where) override;
  void mutex_unlock(const internal::SimObject& mutex, Location where) override;
  void mutex_lock_shared(const internal::SimObject& mutex, Location where) override;
  bool mutex_try_lock_shared(const internal::SimObject& mutex, Location where) override;
  void mutex_unlock_shared(const internal::SimObject& mutex, Location where) override;
  bool condvar_wait(const internal::SimObject& condvar, const internal::SimObject& mutex,
                    internal::Deadline deadline, Location where) override;
  void condvar_notify(const internal::SimObject& condvar, bool all, Location where) override;
  bool semaphore_acquire(const internal::SimObject& semaphore, int64_t initial,
                         internal::Deadline deadline, Location where) override;
  void semaphore_release(const internal::SimObject& semaphore, int64_t initial, int64_t update,
                         Location where) override;
  void atomic_access(const internal::SimObject& atomic, internal::AccessKind access,
                     Location where) override;
  void assertion_failed(const char* condition, const std::string& message, Location where) override;
  void test_assertion_failed(const char* file, int line,
                             const std::string& message) noexcept override;
  void object_destroyed(const internal::SimObject& object) noexcept override;
  void workload_failed(FailureKind kind, std::string message,
                       std::string details) noexcept override;
  int process_spawn(absl::AnyInvocable<int()> body, std::string name,
                    std::span<const int> handed_over, const internal::RestartPolicy* restart,
                    Location where) override;
  ExitStatus process_wait(int pid, Location where) override;
  void process_kill(int pid, Location where) override;
  void process_dropped(int pid, Location where) noexcept override;
  int current_pid() override { return static_cast<int>(me().process) + 1; }
  std::pair<int, int> pipe_create(Location where) override;
  int64_t fd_read(int fd, std::span<std::byte> into, Location where) override;
  int64_t fd_write(int fd, std::span<const std::byte> from, Location where) override;
  void fd_close(int fd, Location where) noexcept override;
  bool fd_ready(int fd, bool for_write) override;
  int net_listen(std::string_view address, Location where) override;
  int net_accept(int fd, Location where) override;
  int net_connect(std::string_view address, Location where) override;
  int64_t net_send(int fd, std::span<const std::byte> data, Location where) override;
  int64_t net_receive(int fd, std::span<std::byte> into, internal::Deadline deadline,
                      Location where) override;
  int net_bind(std::string_view address, Location where) override;
  int net_send_to(int fd, std::string_view address, std::span<const std::byte> payload,
                  Location where) override;
  int net_receive_from(int fd, std::string& payload, std::string& from, internal::Deadline deadline,
                       Location where) override;
  void net_partition(std::span<const std::string_view> side_a,
                     std::span<const std::string_view> side_b, Location where) override;
  void net_heal(Location where) override;
  void set_faults(const Faults& faults, Location where) override;
  std::unique_ptr<internal::LoopDriver> loop_driver(Location where) override;
  internal::TaskState* current_task() override {
    return current_ == kNoThread ? nullptr : me().task;
  }

  // ---- event loops and tasks (tasks.cc), for SimLoopDriver ----
  //
  // A loop's host thread calls loop_next() whenever the loop is between
  // tasks: the task it ran last is put where its TaskState says (waiting,
  // ready, done), the loop's ready tasks join the runnable set, and the host
  // blocks until the strategy picks one of them, which loop_next() returns.
  // While that task runs it is the current entity, on the host's fiber, and
  // its loop's other ready tasks are hidden from the strategy.
  void loop_attach(uint32_t loop, internal::EventLoop& event_loop);
  ThreadId task_create(uint32_t loop, internal::TaskState& task);
  // A waiting task became ready (the caller may be any entity).
  void task_wake(ThreadId id);
  void task_timer(ThreadId id, Clock::time_point deadline);
  void task_timer_cancel(ThreadId id);
  // Task `id` waits (weft::internal::FdReady) until pipe descriptor `fd` of
  // its process is ready; the pipe wakes it once.
  void task_watch_fd(ThreadId id, int fd, bool for_write);
  void task_unwatch_fd(ThreadId id, int fd);
  internal::TaskState* loop_next(uint32_t loop);
  void loop_close(uint32_t loop);

 private:
  static constexpr ThreadId kMainThread = 0;
  static constexpr uint64_t kHashSeed = 0xcbf29ce484222325ULL;  // FNV-1a over decisions.
  static constexpr uint64_t kHashPrime = 0x100000001b3ULL;

  // ---- the step loop (scheduler.cc) ----
  void reset_for_execution(Strategy& strategy);
  // The thread joins the creator's process unless `process_index` says.
  ThreadId create_thread(absl::AnyInvocable<void()> body, std::string name, Location created,
                         std::optional<uint32_t> process_index = std::nullopt);
  // A fresh record with the next id (threads and tasks alike).
  SimThread& create_entity();
  static void thread_entry(void* scheduler);
  [[noreturn]] void run_current_thread();
  [[noreturn]] void finish_current_thread();
  // The hot path (point, quiet_point, decide, switch_to) is inline, below
  // the class: a primitive reaches the stack switch in one frame.
  //
  // A scheduling point in an operation that may throw ExecutionAborted.
  void point(bool yielding = false);
  // A scheduling point in an operation a destructor may call: never throws.
  // Returns false once the execution has ended (only bookkeeping remains).
  bool quiet_point();
  // Throws internal::ExecutionAborted; the one place that does (a thread
  // abandoned mid-unwind leaks the exception object: see tests/lsan.supp).
  [[noreturn]] [[gnu::noinline]] [[gnu::cold]] static void throw_execution_aborted();
  // point() after the execution ended: throws unless already unwinding.
  void point_after_end();
  // quiet_point() after the execution ended: counts, maybe abandons; false.
  bool quiet_point_after_end();
  void count_operation_after_end();
  // After a wait: throws if the execution ended, unless already unwinding.
  // Returns true if the caller should give up its operation (unwinding).
  bool ended_after_wait();
  bool unwinding() const;
  // Asks the strategy and switches; `current_` stays runnable.
  void decide(bool yielding);
  // Faults::crash: maybe kills a running crashable process (which restarts).
  // Returns true if that was the caller's own: it has been switched away
  // from, and comes back only to unwind.
  [[gnu::cold]] bool maybe_crash();
  // The live incarnation of the node whose first process is `index`.
  uint32_t latest_incarnation(uint32_t index) const;
  // Takes the current thread off the runnable set and runs someone else.
  // Returns when the current thread is woken (or resumed to unwind).
  void block(WaitKind kind, uint32_t target, Location where,
             std::optional<Clock::duration> deadline);
  // Picks and switches to a runnable thread; the current one cannot run.
  // Advances virtual time or reports a deadlock if no thread is runnable.
  void run_other(bool exiting);
  // What the strategy may pick: runnable_, less the hidden tasks.
  std::span<const ThreadId> eligible() {
    if (hidden_ == 0) [[likely]]
      return runnable_;
    return eligible_without_hidden();
  }
  std::span<const ThreadId> eligible_without_hidden();
  bool hidden(const SimThread& record) const;
  // Counts one decision; false (and the execution ends) past max_steps.
  bool count_step() {
    if (steps_ >= config_.max_steps) [[unlikely]] {
      report_step_limit();
      return false;
    }
    ++steps_;
    return true;
  }
  void report_step_limit();
  // A preemption is a switch away from a thread that could go on and did not
  // ask to yield: what schedule shrinking minimises.
  void record(ThreadId next, ThreadId current, bool yielding) {
    schedule_.push_back(next);
    schedule_hash_ = (schedule_hash_ ^ next) * kHashPrime;
    preemptions_ += static_cast<uint64_t>(current != kNoThread && next != current && !yielding);
  }
  // Suspends the current thread and resumes `next`.
  void switch_to(ThreadId next);
  // The current thread is finished: resumes `next`, never to come back.
  [[noreturn]] void exit_to(ThreadId next);
  void switch_to_driver(bool exiting);
  void unwind_unfinished_threads();

  // ---- waiting and waking (scheduler.cc) ----
  void make_runnable(ThreadId id);
  void make_unrunnable(ThreadId id);
  void enqueue(WaitQueue& queue, ThreadId id);
  void dequeue(WaitQueue& queue, ThreadId id);
  void wake_all(WaitQueue& queue) {
    if (queue.head != kNoThread) wake_every_waiter(queue);
  }
  void wake_every_waiter(WaitQueue& queue);
  void wake_first(WaitQueue& queue);
  WaitQueue* queue_of_waiter(const SimThread& thread);
  bool advance_virtual_time();
  // Queues a timer for entity `id` at `deadline` (virtual time).
  void arm_timer(ThreadId id, Clock::duration deadline);
  // The task of a loop becomes runnable (loop idle) or queued (loop busy).
  void make_task_ready(ThreadId id);

  // ---- processes and pipes (processes.cc, pipes.cc) ----
  SimProcess& process(uint32_t index) { return processes_[index]; }
  // The process with `pid`, or null if there is none in this execution.
  SimProcess* find_process(int pid);
  uint32_t create_process(std::string name, Location created, uint32_t parent);
  // Ends process `index` with `status`: every unfinished thread and task of
  // it but the caller is killed, its descriptors close, wait()ers wake.
  void end_process(uint32_t index, ExitStatus status);
  // Entity `id` never runs again (its process ended).
  void kill_entity(ThreadId id);
  // A thread of the process, for wait-for edges: its main thread while that
  // is unfinished, else its lowest unfinished thread.
  ThreadId process_representative(uint32_t index) const;
  std::string describe_process(uint32_t index) const;
  // The open slot `fd` of the current process, or null (EBADF). A number
  // that another process holds open is a misuse, failed here: numbers are
  // never reused within an execution, so it can only be a descriptor this
  // process never got (not captured by move into its function).
  FdSlot* fd_slot(int fd);
  // The same without the misuse check (closing, unwatching: noexcept paths).
  FdSlot* own_fd_slot(int fd);
  // The running process holding `fd` open, or UINT32_MAX.
  uint32_t fd_holder(int fd) const;
  std::string describe_fd(const FdSlot& slot) const;
  int allocate_fd(uint32_t process_index, FdSlot slot);
  // Closes `fd` in process `index`; wakes the pipe's other side when this
  // was its last reader or writer.
  // `died`: the process is being killed (its sockets may reset their peers).
  void close_fd(uint32_t process_index, int fd, bool died = false);
  void close_all_fds(uint32_t process_index, bool died = false);
  // Whether process `index` may open one more descriptor.
  bool fd_available(uint32_t process_index);
  // Wakes the tasks watching one side of a pipe (task_watch_fd), once.
  void wake_watchers(std::vector<ThreadId>& watchers);
  // Processes (other than `except`) with a descriptor on pipe `id`'s read
  // (or write) end, ascending.
  std::vector<uint32_t> pipe_end_holders(uint32_t id, bool write_end) const;
  // "pipe #0 (created at x.cc:12)".
  std::string describe_pipe(uint32_t id) const;
  void report_leaked_processes();

  // ---- the network (network.cc) ----
  // The socket behind `fd` in the current process, of `kind`, or null.
  SimSocket* socket_at(int fd, SocketKind kind, uint32_t* id = nullptr);
  uint32_t create_socket(SocketKind kind, std::string address, std::string host);
  // A descriptor on socket `id` closed; `died`: its process ended.
  void socket_descriptor_closed(uint32_t id, bool died);
  // Puts `segment` in socket `id`'s inbox (kept in delivery order) and
  // wakes its waiters, who re-arm their timers for the earliest arrival.
  void deliver(uint32_t id, Segment segment);
  // Waits on socket `id` until woken, its next arrival, or `deadline`.
  void wait_on_socket(uint32_t id, std::optional<Clock::duration> deadline, Location where);
  // Wakes a socket's waiting threads and watching tasks.
  void wake_socket(SimSocket& socket);
  // Whether a receive (accept) or send on it would go ahead now.
  bool socket_ready(const SimSocket& socket, bool for_write) const;
  // A task in FdReady on the socket, until any wake (task_wake) or cancel.
  void watch_socket(ThreadId id, uint32_t socket_id);
  void unwatch_socket(SimThread& record);
  Clock::duration draw_latency();
  bool draw(double probability);
  bool cut(std::string_view host_a, std::string_view host_b) const;
  std::string process_host(uint32_t process_index) const;
  void maybe_buggify();
  std::string describe_socket(uint32_t id) const;

  // ---- objects and failures ----
  // The object's id in this execution, registering it on first use.
  uint32_t resolve(const internal::SimObject& object, int64_t initial_count = 0) {
    if (object.epoch == epoch_) [[likely]]
      return object.id;
    return register_object(object, initial_count);
  }
  uint32_t register_object(const internal::SimObject& object, int64_t initial_count);
  ObjectState& object(uint32_t id) { return objects_[id]; }
  SimThread& thread(ThreadId id) { return threads_[id]; }
  ThreadExtras& extras(ThreadId id) {
    WEFT_DCHECK(threads_[id].extras != kNoExtras);
    return thread_extras_[threads_[id].extras];
  }
  SimThread& me() { return threads_[current_]; }
  // Records the execution's first failure and ends the execution (the
  // callers throw or return as their contract allows).
  // `location`: the failed check's file:line (Failure::location).
  void fail(FailureKind kind, std::string message, std::string details = "",
            std::string location = "");
  [[noreturn]] void fail_and_throw(FailureKind kind, std::string message,
                                   std::string location = "");
  void report_deadlock();
  void report_leaked_threads();
  std::string describe_object(uint32_t id) const;
  // "thread 1 \"t1\"" or "task 4 \"fetch\"".
  std::string describe_thread(ThreadId id) const;
  std::string describe_task_wait(ThreadId id) const;
  std::string describe_pipe_wait(const SimThread& waiter) const;

  // ---- misuse found by the primitives (cold; sync.cc) ----
  [[gnu::cold]] [[noreturn]] void fail_relock(uint32_t id, Location where, bool shared);
  [[gnu::cold]] void fail_unlock_not_held(uint32_t id, Location where, bool shared);

  // ---- mutex internals (sync.cc) ----
  void acquire_exclusive(uint32_t id, Location where);
  void acquire_shared(uint32_t id, Location where);

  // ---- event recording (scheduler.cc, "Event recording") ----
  // Each hook is one predictable branch on log_ when no log is set; the work
  // is out of line. Events are recorded until the execution ends (the
  // failure is the last), never while it unwinds.
  void note(EventKind kind, uint32_t target = kNoEventTarget, Location where = Location(),
            uint8_t detail = 0) {
    if (log_ != nullptr) [[unlikely]]
      note_event(kind, current_, target, where, detail);
  }
  // The same, for an entity other than the current one.
  void note_for(ThreadId entity, EventKind kind, uint32_t target = kNoEventTarget) {
    if (log_ != nullptr) [[unlikely]]
      note_event(kind, entity, target, Location(), 0);
  }
  [[gnu::cold]] [[gnu::noinline]] void note_event(EventKind kind, ThreadId entity, uint32_t target,
                                                  Location where, uint8_t detail);
  [[gnu::cold]] [[gnu::noinline]] void note_pick(ThreadId next, bool current_could_run,
                                                 bool yielding);
  // Entity `id` was just blocked (its wait_kind and wait_target are set).
  [[gnu::cold]] [[gnu::noinline]] void note_blocked(ThreadId id);
  [[gnu::cold]] [[gnu::noinline]] void note_entity(ThreadId id, std::string_view name);
  [[gnu::cold]] [[gnu::noinline]] void note_object(uint32_t id);
  [[gnu::cold]] void note_run_start();
  [[gnu::cold]] void note_run_end();

  const SchedulerConfig config_;
  Fiber driver_;
  Strategy* strategy_ = nullptr;
  absl::FunctionRef<void()>* workload_ = nullptr;
  RecordPool<SimThread> threads_;  // Entities: threads and tasks.
  RecordPool<ThreadExtras> thread_extras_;
  // threads_[id].fiber.get() by id: one load on the switch path, not three.
  std::vector<Fiber*> fibers_;
  RecordPool<ObjectState> objects_;
  RecordPool<SimLoop> loops_;
  RecordPool<SimProcess> processes_;
  RecordPool<SimPipe> pipes_;
  RecordPool<SimSocket> sockets_;
  absl::flat_hash_map<std::string, uint32_t> listeners_;  // Lookups only, never iterated.
  absl::flat_hash_map<std::string, uint32_t> bound_;
  std::vector<std::pair<std::string, std::string>> cuts_;  // Partitioned host pairs, a < b.
  Faults faults_;
  double crash_probability_ = 0.0;  // faults_.crash, read on the hot path.
  uint64_t segment_sequence_ = 0;
  int next_fd_ = 3;  // Descriptor numbers: unique within an execution.
  // Threads stopped by the end of their process; unwound after the others.
  uint32_t killed_ = 0;
  std::vector<TimerEntry> timers_;  // A heap (see TimerEntry::operator<).
  uint64_t timer_sequence_ = 0;
  uint32_t thread_count_ = 0;
  // Ascending ids of the runnable threads.
  std::vector<ThreadId> runnable_;
  // Runnable tasks of busy loops (not their running task): in runnable_ but
  // not eligible. Nonzero only while a loop's task blocks on a thread
  // primitive, or while one loop runs and another loop has ready tasks.
  uint32_t hidden_ = 0;
  std::vector<ThreadId> eligible_;  // Scratch: runnable_ without the hidden.
  ThreadId current_ = kNoThread;
  uint32_t unfinished_ = 0;
  uint32_t epoch_ = 0;
  uint64_t steps_ = 0;
  uint64_t preemptions_ = 0;
  uint64_t schedule_hash_ = 0;
  std::vector<ThreadId> schedule_;
  Clock::duration now_{};
  std::optional<Failure> failure_;
  // Set once the execution has ended; every thread still alive unwinds.
  bool ended_ = false;
  uint32_t abort_operations_ = 0;
  EventLog* log_ = nullptr;  // Recording is on while set (set_event_log).
};

inline void Scheduler::point(bool yielding) {
  if (ended_) [[unlikely]] {
    point_after_end();
    return;
  }
  decide(yielding);
  if (ended_) [[unlikely]]
    point_after_end();
}

inline bool Scheduler::quiet_point() {
  if (ended_) [[unlikely]]
    return quiet_point_after_end();
  decide(/*yielding=*/false);
  return !ended_;
}

inline void Scheduler::decide(bool yielding) {
  WEFT_DCHECK(me().state == ThreadState::kRunnable);
  if (!count_step()) [[unlikely]]
    return;
  if (crash_probability_ > 0.0) [[unlikely]] {
    if (maybe_crash()) return;
  }
  const ThreadId next = strategy_->pick(eligible(), current_, yielding);
  WEFT_DCHECK(std::binary_search(runnable_.begin(), runnable_.end(), next));
  record(next, current_, yielding);
  if (log_ != nullptr) [[unlikely]]
    note_pick(next, /*current_could_run=*/true, yielding);
  if (next != current_) switch_to(next);
}

inline void Scheduler::switch_to(ThreadId next) {
  WEFT_DCHECK(thread(next).state == ThreadState::kRunnable);
  Fiber& from = *fibers_[current_];
  WEFT_DCHECK(&from != fibers_[next]);  // run_other handles a host picking its own task.
  current_ = next;
  Fiber::switch_to(from, *fibers_[next]);
}

}  // namespace weft::sim

#endif  // WEFT_SIM_SCHEDULER_SCHEDULER_H_
