// Copyright 2026 The weft Authors.
//
// How the scheduler describes the failures it detects itself: deadlocks (with
// the wait-for cycle: who holds what, who waits for what, where) and threads
// left running when the workload returned. Names and source lines are the
// user's: thread names, object names, and the std::source_location of each
// call.

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"

namespace weft::sim {
namespace {

std::string at(Location where) {
  if (where.line() == 0) return "co_await site unknown";
  return absl::StrFormat("%s:%d", where.file_name(), where.line());
}

}  // namespace

std::string Scheduler::describe_thread(ThreadId id) const {
  const SimThread& record = threads_[id];
  if (record.is_task) {
    // A finished task's name went with its TaskState; its spawn site stays.
    if (record.task != nullptr && !record.task->name().empty()) {
      return absl::StrFormat("task %d \"%s\"", id, record.task->name());
    }
    return absl::StrFormat("task %d (spawned at %s)", id, at(record.created));
  }
  const std::string& name = thread_extras_[record.extras].name;
  std::string thread = name.empty()
                           ? absl::StrFormat("thread %d (created at %s)", id, at(record.created))
                           : absl::StrFormat("thread %d \"%s\"", id, name);
  if (record.process == 0) return thread;
  // A process's main thread is the process, as a user sees it.
  if (processes_[record.process].main == id) return describe_process(record.process);
  return absl::StrFormat("%s of %s", thread, describe_process(record.process));
}

namespace {

// The one process other than none in `holders`, for a wait-for edge.
std::optional<uint32_t> sole(const std::vector<uint32_t>& holders) {
  if (holders.size() != 1) return std::nullopt;
  return holders.front();
}

}  // namespace

std::string Scheduler::describe_pipe_wait(const SimThread& waiter) const {
  const bool reading = waiter.wait_kind == WaitKind::kPipeRead;
  const std::vector<uint32_t> holders = pipe_end_holders(waiter.wait_target, reading);
  std::vector<std::string> names;
  for (uint32_t holder : holders) {
    names.push_back(holder == waiter.process ? "its own process" : describe_process(holder));
  }
  return absl::StrFormat("%s %s (%s), whose %s end is open in %s",
                         reading ? "waits to read" : "waits to write to full",
                         describe_pipe(waiter.wait_target), at(waiter.wait_where),
                         reading ? "write" : "read",
                         names.empty() ? "no running process" : absl::StrJoin(names, " and "));
}

namespace {

// "AsyncMutex a" or "AsyncMutex (created at x.cc:12)".
std::string describe_awaited_object(const internal::TaskWait& wait) {
  if (wait.object_name != nullptr) return absl::StrFormat("%s %s", wait.what, wait.object_name);
  if (wait.object_created.line() != 0) {
    return absl::StrFormat("%s (created at %s)", wait.what, at(wait.object_created));
  }
  return wait.what;
}

}  // namespace

std::string Scheduler::describe_task_wait(ThreadId id) const {
  const internal::TaskWait& wait = *threads_[id].task->wait;
  if (wait.awaited != nullptr) {
    return absl::StrFormat("waits for %s to finish (%s)", describe_thread(wait.awaited->id),
                           at(wait.where));
  }
  if (wait.holder != nullptr) {
    return absl::StrFormat("waits for %s, held by %s (%s)", describe_awaited_object(wait),
                           describe_thread(wait.holder->id), at(wait.where));
  }
  return absl::StrFormat("waits on %s (%s)", describe_awaited_object(wait), at(wait.where));
}

std::string Scheduler::describe_object(uint32_t id) const {
  const ObjectState& state = objects_[id];
  const char* kind = internal::object_kind_name(state.kind);
  if (state.name != nullptr) return absl::StrFormat("%s %s", kind, state.name);
  return absl::StrFormat("%s #%d (created at %s)", kind, id, at(state.created));
}

void Scheduler::report_deadlock() {
  const size_t thread_count = threads_.size();
  // The thread each blocked thread waits for, where that is one thread.
  std::vector<ThreadId> waits_for(thread_count, kNoThread);
  std::vector<ThreadId> blocked;
  std::vector<ThreadId> hosts;   // Threads in weft::run, between tasks.
  std::vector<ThreadId> queued;  // Ready tasks behind a loop that is stuck.
  for (size_t index = 0; index < thread_count; ++index) {
    const SimThread& record = threads_[index];
    if (hidden(record)) queued.push_back(record.id);
    if (record.state != ThreadState::kBlocked) continue;
    WEFT_CHECK(!record.has_deadline);  // Timers would have fired first.
    if (record.wait_kind == WaitKind::kLoop) {
      hosts.push_back(record.id);
      continue;
    }
    blocked.push_back(record.id);
    if (record.wait_kind == WaitKind::kMutex) {
      waits_for[index] = objects_[record.wait_target].owner;
    } else if (record.wait_kind == WaitKind::kJoin) {
      waits_for[index] = record.wait_target;
    } else if (record.wait_kind == WaitKind::kTask) {
      const internal::TaskWait& wait = *record.task->wait;
      if (wait.awaited != nullptr) waits_for[index] = wait.awaited->id;
      if (wait.holder != nullptr) waits_for[index] = wait.holder->id;
    } else if (record.wait_kind == WaitKind::kProcess) {
      waits_for[index] = process_representative(record.wait_target);
    } else if (record.wait_kind == WaitKind::kPipeRead ||
               record.wait_kind == WaitKind::kPipeWrite) {
      // Whoever could write (read) next: the process holding the other end,
      // if only one does.
      const bool reading = record.wait_kind == WaitKind::kPipeRead;
      if (std::optional<uint32_t> holder = sole(pipe_end_holders(record.wait_target, reading))) {
        waits_for[index] = process_representative(*holder);
      }
    }
  }
  WEFT_CHECK(!blocked.empty() || !hosts.empty());

  // Find a cycle by walking wait-for edges from each blocked thread in id order.
  std::vector<ThreadId> cycle;
  for (ThreadId start : blocked) {
    std::vector<ThreadId> path;
    std::vector<bool> on_path(thread_count, false);
    ThreadId walker = start;
    while (walker != kNoThread && !on_path[walker] && path.size() <= thread_count) {
      on_path[walker] = true;
      path.push_back(walker);
      walker = waits_for[walker];
    }
    if (walker != kNoThread && on_path[walker]) {
      const auto first = std::find(path.begin(), path.end(), walker);
      cycle.assign(first, path.end());
      break;
    }
  }

  // Cycle members first, then the other blocked threads, each in id order.
  std::vector<ThreadId> order = cycle;
  for (ThreadId id : blocked) {
    if (std::find(cycle.begin(), cycle.end(), id) == cycle.end()) order.push_back(id);
  }
  std::string details;
  for (ThreadId id : order) {
    const SimThread& record = threads_[id];
    std::vector<std::string> held;
    // Async locks a task holds: what the tasks waiting for them say.
    for (ThreadId other : blocked) {
      const SimThread& waiter = threads_[other];
      if (waiter.wait_kind != WaitKind::kTask || waiter.task->wait->holder == nullptr) continue;
      if (waiter.task->wait->holder->id != id) continue;
      held.push_back(describe_awaited_object(*waiter.task->wait));
    }
    std::sort(held.begin(), held.end());
    held.erase(std::unique(held.begin(), held.end()), held.end());
    for (size_t object_id = 0; object_id < objects_.size(); ++object_id) {
      const ObjectState& state = objects_[object_id];
      if (state.owner == id) {
        held.push_back(absl::StrFormat("%s (%s)", describe_object(static_cast<uint32_t>(object_id)),
                                       at(state.owner_where)));
      }
    }
    std::string waits;
    switch (record.wait_kind) {
      case WaitKind::kMutex:
        waits = absl::StrFormat("waits for %s (%s)", describe_object(record.wait_target),
                                at(record.wait_where));
        break;
      case WaitKind::kMutexShared:
        waits = absl::StrFormat("waits to share %s (%s)", describe_object(record.wait_target),
                                at(record.wait_where));
        break;
      case WaitKind::kCondVar:
        waits = absl::StrFormat("waits on %s (%s), which no running thread can notify",
                                describe_object(record.wait_target), at(record.wait_where));
        break;
      case WaitKind::kSemaphore:
        waits =
            absl::StrFormat("waits on %s with count %d (%s)", describe_object(record.wait_target),
                            objects_[record.wait_target].count, at(record.wait_where));
        break;
      case WaitKind::kJoin:
        waits = absl::StrFormat("waits to join %s (%s)", describe_thread(record.wait_target),
                                at(record.wait_where));
        break;
      case WaitKind::kTask:
        waits = describe_task_wait(id);
        break;
      case WaitKind::kProcess:
        waits = absl::StrFormat("waits for %s to end (%s)", describe_process(record.wait_target),
                                at(record.wait_where));
        break;
      case WaitKind::kPipeRead:
      case WaitKind::kPipeWrite:
        waits = describe_pipe_wait(record);
        break;
      case WaitKind::kSocket:
        waits = absl::StrFormat("waits on %s, where nothing is on its way (%s)",
                                describe_socket(record.wait_target), at(record.wait_where));
        break;
      case WaitKind::kLoop:
      case WaitKind::kSleep:
      case WaitKind::kNone:
        internal::check_failed(__FILE__, __LINE__, "a blocked thread waits for nothing", "");
    }
    details +=
        absl::StrFormat("%s %s%s\n", describe_thread(id),
                        held.empty() ? "" : "holds " + absl::StrJoin(held, ", ") + ", ", waits);
  }

  for (ThreadId id : queued) {
    details += absl::StrFormat("%s is ready, but its loop's running task is blocked\n",
                               describe_thread(id));
  }
  for (ThreadId id : hosts) {
    details += absl::StrFormat("%s runs an event loop (weft::run) whose tasks all wait\n",
                               describe_thread(id));
  }

  std::string message;
  if (!cycle.empty()) {
    std::vector<std::string> names;
    for (ThreadId id : cycle) names.push_back(describe_thread(id));
    names.push_back(describe_thread(cycle.front()));
    message = absl::StrFormat("wait-for cycle: %s", absl::StrJoin(names, " -> "));
  } else {
    message = absl::StrFormat("nothing can run: %d blocked, none can be woken", blocked.size());
  }
  fail(FailureKind::kDeadlock, std::move(message), std::move(details));
}

void Scheduler::report_leaked_threads() {
  // Threads of other processes are the business of their processes: a child
  // still running is reported as a leaked process.
  std::string details;
  int leaked = 0;
  for (size_t index = 1; index < threads_.size(); ++index) {
    const SimThread& record = threads_[index];
    if (record.state == ThreadState::kFinished || record.state == ThreadState::kKilled) continue;
    if (record.process != 0) continue;
    ++leaked;
    if (record.is_task) continue;  // Tasks end with their loop.
    details += absl::StrFormat("%s, created at %s, %s\n", describe_thread(record.id),
                               at(record.created), record.detached ? "detached" : "not joined");
  }
  if (leaked == 0) {
    report_leaked_processes();
    return;
  }
  fail(FailureKind::kLeakedThread,
       absl::StrFormat("the workload returned while %d thread%s still running", leaked,
                       leaked == 1 ? " was" : "s were"),
       std::move(details));
}

void Scheduler::report_leaked_processes() {
  std::string details;
  int leaked = 0;
  for (uint32_t index = 1; index < processes_.size(); ++index) {
    const SimProcess& child = processes_[index];
    if (child.reaped || child.dropped || child.incarnation) continue;
    // An orphan (its parent ended first) is init's to reap, as on Linux.
    if (processes_[child.parent].state != ProcessState::kRunning && child.parent != 0) continue;
    ++leaked;
    details += absl::StrFormat("%s, spawned at %s, %s, never waited for\n", describe_process(index),
                               at(child.created),
                               child.state == ProcessState::kRunning ? "still running" : "ended");
  }
  if (leaked == 0) return;
  fail(FailureKind::kLeakedProcess,
       absl::StrFormat("the workload returned while %d child process%s unreaped", leaked,
                       leaked == 1 ? " was" : "es were"),
       std::move(details));
}

}  // namespace weft::sim
