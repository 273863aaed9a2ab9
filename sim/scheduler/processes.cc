// Copyright 2026 The weft Authors.
//
// Simulated processes: a pid, a descriptor table, and the threads and tasks
// whose SimThread::process names it. A process ends when its main thread
// returns (exit) or when it is killed; either way its other threads and
// tasks stop where they are (kKilled: never run again, unwound when the
// execution ends), its descriptors close, and its wait()ers wake.

#include <signal.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_format.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"

namespace weft::sim {
namespace {
std::string at(Location where) { return absl::StrFormat("%s:%d", where.file_name(), where.line()); }
}  // namespace

uint32_t Scheduler::create_process(std::string name, Location created, uint32_t parent) {
  const auto index = static_cast<uint32_t>(processes_.size());
  SimProcess& record = processes_.acquire();
  record.name = std::move(name);
  record.created = created;
  record.parent = parent;
  record.main = kNoThread;
  record.state = ProcessState::kRunning;
  record.status = ExitStatus();
  record.exit_code = 0;
  record.reaped = false;
  record.dropped = false;
  record.fds.clear();
  record.open_fds = 0;
  record.waiters = WaitQueue{};
  record.recipe = nullptr;
  record.restart_delay = Clock::duration::zero();
  record.successor = UINT32_MAX;
  record.incarnation = false;
  return index;
}

SimProcess* Scheduler::find_process(int pid) {
  if (pid < 1 || static_cast<size_t>(pid) > processes_.size()) return nullptr;
  return &processes_[static_cast<size_t>(pid) - 1];
}

std::string Scheduler::describe_process(uint32_t index) const {
  const SimProcess& record = processes_[index];
  if (record.name.empty()) return absl::StrFormat("process %d", index + 1);
  return absl::StrFormat("process %d \"%s\"", index + 1, record.name);
}

ThreadId Scheduler::process_representative(uint32_t index) const {
  const SimProcess& record = processes_[index];
  auto live = [&](ThreadId id) {
    const ThreadState state = threads_[id].state;
    return state == ThreadState::kRunnable || state == ThreadState::kBlocked;
  };
  if (record.main != kNoThread && live(record.main)) return record.main;
  for (size_t id = 0; id < threads_.size(); ++id) {
    if (threads_[id].process == index && !threads_[id].is_task && live(static_cast<ThreadId>(id))) {
      return static_cast<ThreadId>(id);
    }
  }
  return kNoThread;
}

int Scheduler::process_spawn(absl::AnyInvocable<int()> body, std::string name,
                             std::span<const int> handed_over,
                             const internal::RestartPolicy* restart, Location where) {
  if (ended_ && !unwinding()) throw_execution_aborted();
  if (processes_.size() >= kProcessesMax || thread_count_ >= kThreadsMax) {
    fail_and_throw(
        FailureKind::kMisuse,
        absl::StrFormat("%s spawns a process at %s: more than %d processes or %d "
                        "threads in one execution (sim/limits.h)",
                        describe_thread(current_), at(where), kProcessesMax, kThreadsMax));
  }
  const uint32_t parent = me().process;
  const uint32_t child = create_process(std::move(name), where, parent);
  if (restart != nullptr) {
    process(child).recipe = restart->recipe;
    process(child).restart_delay = restart->delay;
  }
  // The descriptors the function captured move to the child, under the
  // same numbers; it inherits no others (on the real runtime the child
  // closes the rest after fork()).
  for (int fd : handed_over) {
    std::vector<FdSlot>& from = process(parent).fds;
    if (fd < 0 || static_cast<size_t>(fd) >= from.size() || from[fd].kind == FdKind::kFree)
      continue;
    std::vector<FdSlot>& to = process(child).fds;
    if (to.size() <= static_cast<size_t>(fd)) to.resize(static_cast<size_t>(fd) + 1);
    to[fd] = std::exchange(from[fd], FdSlot{});
    --process(parent).open_fds;
    ++process(child).open_fds;
  }
  const ThreadId main = create_thread(
      // Only the low 8 bits of an exit code reach a parent, as with _exit().
      [this, child, body = std::move(body)]() mutable { process(child).exit_code = body() & 0xff; },
      process(child).name.empty() ? absl::StrFormat("process %d", child + 1) : process(child).name,
      where, child);
  process(child).main = main;
  if (ended_) {
    // Unwinding: the process never runs.
    extras(main).body = nullptr;
    make_unrunnable(main);
    thread(main).state = ThreadState::kFinished;
    --unfinished_;
    process(child).state = ProcessState::kEnded;
    process(child).reaped = true;
    close_all_fds(child);
    return static_cast<int>(child) + 1;
  }
  point();
  return static_cast<int>(child) + 1;
}

void Scheduler::kill_entity(ThreadId id) {
  SimThread& record = thread(id);
  if (record.state == ThreadState::kFinished || record.state == ThreadState::kKilled) return;
  if (record.state == ThreadState::kRunnable) {
    if (hidden(record)) {
      WEFT_CHECK_GT(hidden_, 0u);
      --hidden_;
    }
    make_unrunnable(id);
  } else if (WaitQueue* queue = queue_of_waiter(record); queue != nullptr) {
    dequeue(*queue, id);
  }
  ++record.timer_generation;  // Its pending timer, if any, is stale.
  record.state = ThreadState::kKilled;
  if (!record.is_task) {
    WEFT_CHECK_GT(unfinished_, 0u);
    --unfinished_;
    ++killed_;
    if (record.loop != kNoLoop) loops_[record.loop].ready = 0;
  }
  note_for(id, EventKind::kKilled);
}

void Scheduler::end_process(uint32_t index, ExitStatus status) {
  SimProcess& record = process(index);
  WEFT_CHECK(record.state == ProcessState::kRunning);
  WEFT_CHECK_NE(index, 0u);  // The workload's own process ends with the execution.
  record.state = ProcessState::kEnded;
  record.status = status;
  // Newest first, like the unwinding at the end; the caller (its main
  // thread returning, or a thread killing its own process) is left to its
  // caller.
  for (size_t id = threads_.size(); id-- > 0;) {
    if (id == current_ || threads_[id].process != index) continue;
    kill_entity(static_cast<ThreadId>(id));
  }
  close_all_fds(index, /*died=*/status.signaled());
  note(EventKind::kProcessEnded, index);
  wake_all(record.waiters);
}

ExitStatus Scheduler::process_wait(int pid, Location where) {
  point();
  if (ended_) return ExitStatus();
  SimProcess* child = find_process(pid);
  WEFT_CHECK(child != nullptr);
  const auto index = static_cast<uint32_t>(pid - 1);
  if (child->parent != me().process || child->reaped) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s waits at %s for %s, which is not its unreaped child",
                                   describe_thread(current_), at(where), describe_process(index)));
  }
  // A node that crashed and restarted ends with its last incarnation.
  uint32_t live = index;
  for (;;) {
    live = latest_incarnation(live);
    if (process(live).state != ProcessState::kRunning) break;
    enqueue(process(live).waiters, current_);
    block(WaitKind::kProcess, live, where, std::nullopt);
    if (ended_after_wait()) return ExitStatus();
  }
  for (uint32_t at = index; at != UINT32_MAX; at = process(at).successor) process(at).reaped = true;
  note(EventKind::kProcessReaped, live, where);
  return process(live).status;
}

void Scheduler::process_kill(int pid, Location where) {
  point();
  if (ended_) return;
  SimProcess* target = find_process(pid);
  WEFT_CHECK(target != nullptr);
  auto index = static_cast<uint32_t>(pid - 1);
  if (index == 0) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s kills the workload's own process at %s",
                                   describe_thread(current_), at(where)));
  }
  index = latest_incarnation(index);
  target = &process(index);
  target->recipe = nullptr;  // Killed by the workload: ended for good.
  if (target->state != ProcessState::kRunning) return;
  note(EventKind::kKill, index, where);
  const bool suicide = me().process == index;
  end_process(index, ExitStatus::from_signal(SIGKILL));
  if (suicide) {
    // The caller's own process: it stops here, like the rest of it.
    kill_entity(current_);
    run_other(/*exiting=*/false);
    // Resumed only to unwind, after the execution ended.
    if (!unwinding()) throw_execution_aborted();
  }
}

uint32_t Scheduler::latest_incarnation(uint32_t index) const {
  while (processes_[index].successor != UINT32_MAX) index = processes_[index].successor;
  return index;
}

bool Scheduler::maybe_crash() {
  if (!draw(crash_probability_)) return false;
  std::vector<uint32_t> candidates;
  for (uint32_t index = 1; index < processes_.size(); ++index) {
    const SimProcess& record = processes_[index];
    if (record.state == ProcessState::kRunning && record.recipe) candidates.push_back(index);
  }
  // A restart needs a process and a thread: at the limits, no more crashes.
  if (candidates.empty() || processes_.size() >= kProcessesMax || thread_count_ >= kThreadsMax) {
    return false;
  }
  const uint32_t victim = candidates[random_u64() % candidates.size()];
  note(EventKind::kCrash, victim);
  const bool own = me().process == victim;
  end_process(victim, ExitStatus::from_signal(SIGKILL));
  // The node reboots: a new process (a new pid) whose main thread waits out
  // the restart delay, then runs a fresh copy of the function.
  SimProcess& crashed = process(victim);
  const uint32_t next = create_process(crashed.name, crashed.created, crashed.parent);
  SimProcess& reborn = process(next);
  const SimProcess& old = process(victim);
  reborn.recipe = old.recipe;
  reborn.restart_delay = old.restart_delay;
  reborn.incarnation = true;
  process(victim).successor = next;
  const ThreadId main = create_thread(
      [this, next] {
        sleep_until(Clock::time_point(now_ + process(next).restart_delay),
                    std::source_location::current());
        process(next).exit_code = process(next).recipe() & 0xff;
      },
      process(next).name.empty() ? absl::StrFormat("process %d", next + 1) : process(next).name,
      old.created, next);
  process(next).main = main;
  if (own) {
    kill_entity(current_);
    run_other(/*exiting=*/false);
    return true;  // Resumed only to unwind.
  }
  return false;
}

void Scheduler::process_dropped(int pid, Location where) noexcept {
  SimProcess* target = find_process(pid);
  if (target == nullptr) return;
  target->dropped = true;
  const auto head = static_cast<uint32_t>(pid - 1);
  const uint32_t index = latest_incarnation(head);
  target = &process(index);
  if (ended_) return;
  fail(FailureKind::kLeakedProcess,
       absl::StrFormat("%s (spawned at %s) was destroyed without wait(): an unreaped child%s",
                       describe_process(index), at(where),
                       target->state == ProcessState::kRunning ? " (still running)" : ""));
}

}  // namespace weft::sim
