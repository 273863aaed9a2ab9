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
  record.waiters = WaitQueue{};
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
                             std::span<const int> handed_over, Location where) {
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
  }
  const ThreadId main = create_thread(
      [this, child, body = std::move(body)]() mutable { process(child).exit_code = body(); },
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
  close_all_fds(index);
  note(EventKind::kProcessEnded, index);
  wake_all(record.waiters);
}

ExitStatus Scheduler::process_wait(int pid, Location where) {
  point();
  if (ended_) return ExitStatus();
  SimProcess* child = find_process(pid);
  WEFT_CHECK(child != nullptr);
  const auto index = static_cast<uint32_t>(child - &processes_[0]);
  if (child->parent != me().process || child->reaped) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s waits at %s for %s, which is not its unreaped child",
                                   describe_thread(current_), at(where), describe_process(index)));
  }
  while (process(index).state == ProcessState::kRunning) {
    enqueue(process(index).waiters, current_);
    block(WaitKind::kProcess, index, where, std::nullopt);
    if (ended_after_wait()) return ExitStatus();
  }
  process(index).reaped = true;
  note(EventKind::kProcessReaped, index, where);
  return process(index).status;
}

void Scheduler::process_kill(int pid, Location where) {
  point();
  if (ended_) return;
  SimProcess* target = find_process(pid);
  WEFT_CHECK(target != nullptr);
  const auto index = static_cast<uint32_t>(target - &processes_[0]);
  if (index == 0) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s kills the workload's own process at %s",
                                   describe_thread(current_), at(where)));
  }
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

void Scheduler::process_dropped(int pid, Location where) noexcept {
  SimProcess* target = find_process(pid);
  if (target == nullptr) return;
  target->dropped = true;
  const auto index = static_cast<uint32_t>(target - &processes_[0]);
  if (ended_) return;
  fail(FailureKind::kLeakedProcess,
       absl::StrFormat("%s (spawned at %s) was destroyed without wait(): an unreaped child%s",
                       describe_process(index), at(where),
                       target->state == ProcessState::kRunning ? " (still running)" : ""));
}

}  // namespace weft::sim
