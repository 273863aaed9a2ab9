// Copyright 2026 The weft Authors.
//
// Simulated descriptors and pipes. Each process has a descriptor table;
// numbers are handed out from 3 (0-2 are stdio) and never reused within an
// execution, so a number names one descriptor: one used by a process that
// does not hold it is a misuse, reported, never another descriptor by
// accident (Linux hands out the lowest free number). A pipe is a ring
// buffer of kPipeCapacityBytes with a count of descriptors open on each end,
// across processes. EOF is "no writer left"; a write with no reader left is
// EPIPE. Reads, writes and closes are scheduling points, and each wakes the
// other side's waiters only when it changes what they wait for.

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "absl/strings/str_format.h"
#include "sim/scheduler/scheduler.h"
#include "weft/internal/check.h"
#include "weft/internal/event_loop.h"

namespace weft::sim {
namespace {

std::string at(Location where) { return absl::StrFormat("%s:%d", where.file_name(), where.line()); }

}  // namespace

std::string Scheduler::describe_pipe(uint32_t id) const {
  return absl::StrFormat("pipe #%d (created at %s)", id, at(pipes_[id].created));
}

int Scheduler::allocate_fd(uint32_t process_index, FdSlot slot) {
  SimProcess& record = process(process_index);
  if (record.open_fds >= kFdsPerProcessMax) {
    throw std::system_error(EMFILE, std::generic_category(),
                            "weft::Pipe::create: the simulated process has "
                            "kFdsPerProcessMax descriptors open");
  }
  // Every pipe end and socket ever opened has its own number.
  WEFT_CHECK_LT(next_fd_, static_cast<int>(3 + 2 * kPipesMax + 2 * kSocketsMax));
  const int fd = next_fd_++;
  if (record.fds.size() <= static_cast<size_t>(fd)) record.fds.resize(static_cast<size_t>(fd) + 1);
  record.fds[static_cast<size_t>(fd)] = slot;
  ++record.open_fds;
  return fd;
}

bool Scheduler::fd_available(uint32_t process_index) {
  return process(process_index).open_fds < kFdsPerProcessMax;
}

FdSlot* Scheduler::own_fd_slot(int fd) {
  std::vector<FdSlot>& table = process(me().process).fds;
  if (fd < 0 || static_cast<size_t>(fd) >= table.size() || table[fd].kind == FdKind::kFree) {
    return nullptr;
  }
  return &table[fd];
}

uint32_t Scheduler::fd_holder(int fd) const {
  for (uint32_t index = 0; index < processes_.size(); ++index) {
    const SimProcess& record = processes_[index];
    if (record.state == ProcessState::kRunning && fd >= 0 &&
        static_cast<size_t>(fd) < record.fds.size() && record.fds[fd].kind != FdKind::kFree) {
      return index;
    }
  }
  return UINT32_MAX;
}

std::string Scheduler::describe_fd(const FdSlot& slot) const {
  switch (slot.kind) {
    case FdKind::kPipeRead:
      return "the read end of " + describe_pipe(slot.id);
    case FdKind::kPipeWrite:
      return "the write end of " + describe_pipe(slot.id);
    case FdKind::kSocket:
      return describe_socket(slot.id);
    case FdKind::kFree:
      break;
  }
  return "a closed descriptor";
}

FdSlot* Scheduler::fd_slot(int fd) {
  if (FdSlot* slot = own_fd_slot(fd)) return slot;
  if (ended_) return nullptr;
  const uint32_t holder = fd_holder(fd);
  if (holder == UINT32_MAX) return nullptr;  // Closed: EBADF.
  std::string message = absl::StrFormat(
      "%s uses descriptor %d, %s, which %s holds and its own process never got: a child "
      "process gets the pipe ends and sockets its function captured by move, and only those "
      "-- not one inside a container or behind a pointer, nor one captured by reference "
      "(weft/process.h)",
      describe_thread(current_), fd, describe_fd(process(holder).fds[fd]),
      describe_process(holder));
  if (unwinding()) {
    // A destructor during an exception's unwinding: throwing would end the
    // program. The failure stands; the call sees EBADF.
    fail(FailureKind::kMisuse, std::move(message));
    return nullptr;
  }
  fail_and_throw(FailureKind::kMisuse, std::move(message));
}

std::pair<int, int> Scheduler::pipe_create(Location where) {
  if (ended_ && !unwinding()) throw_execution_aborted();
  if (pipes_.size() >= kPipesMax) {
    fail_and_throw(FailureKind::kMisuse,
                   absl::StrFormat("%s creates a pipe at %s: more than %d pipes in one "
                                   "execution (sim/limits.h kPipesMax)",
                                   describe_thread(current_), at(where), kPipesMax));
  }
  const auto id = static_cast<uint32_t>(pipes_.size());
  SimPipe& pipe = pipes_.acquire();
  pipe.head = 0;
  pipe.size = 0;
  pipe.readers = 0;
  pipe.writers = 0;
  pipe.created = where;
  pipe.read_waiters = WaitQueue{};
  pipe.write_waiters = WaitQueue{};
  pipe.read_watchers.clear();
  pipe.write_watchers.clear();
  const uint32_t owner = me().process;
  const int read_end = allocate_fd(owner, FdSlot{FdKind::kPipeRead, id});
  pipe.readers = 1;
  int write_end;
  try {
    write_end = allocate_fd(owner, FdSlot{FdKind::kPipeWrite, id});
  } catch (...) {
    close_fd(owner, read_end);
    throw;
  }
  pipe.writers = 1;
  return {read_end, write_end};
}

int64_t Scheduler::fd_read(int fd, std::span<std::byte> into, Location where) {
  point();
  if (ended_) return 0;
  for (;;) {
    const FdSlot* slot = fd_slot(fd);
    if (slot == nullptr || slot->kind != FdKind::kPipeRead) return -EBADF;
    const uint32_t id = slot->id;
    SimPipe& pipe = pipes_[id];
    if (pipe.size > 0) {
      const size_t count = std::min(into.size(), pipe.size);
      for (size_t copied = 0; copied < count;) {
        const size_t run = std::min(count - copied, kPipeCapacityBytes - pipe.head);
        std::memcpy(into.data() + copied, pipe.ring.data() + pipe.head, run);
        pipe.head = (pipe.head + run) % kPipeCapacityBytes;
        copied += run;
      }
      pipe.size -= count;
      wake_all(pipe.write_waiters);
      wake_watchers(pipe.write_watchers);
      return static_cast<int64_t>(count);
    }
    if (pipe.writers == 0 || into.empty()) return 0;
    enqueue(pipe.read_waiters, current_);
    block(WaitKind::kPipeRead, id, where, std::nullopt);
    if (ended_after_wait()) return 0;
  }
}

int64_t Scheduler::fd_write(int fd, std::span<const std::byte> from, Location where) {
  point();
  if (ended_) return static_cast<int64_t>(from.size());
  size_t written = 0;
  for (;;) {
    const FdSlot* slot = fd_slot(fd);
    if (slot == nullptr || slot->kind != FdKind::kPipeWrite) return -EBADF;
    const uint32_t id = slot->id;
    SimPipe& pipe = pipes_[id];
    if (pipe.readers == 0) return -EPIPE;
    if (written == from.size()) return static_cast<int64_t>(written);
    const size_t room = kPipeCapacityBytes - pipe.size;
    const size_t remaining = from.size() - written;
    // Up to PIPE_BUF bytes go in at once or not at all.
    if (room > 0 && (remaining > kPipeAtomicBytes || remaining <= room)) {
      if (pipe.ring.size() != kPipeCapacityBytes) pipe.ring.resize(kPipeCapacityBytes);
      const size_t count = std::min(room, remaining);
      size_t tail = (pipe.head + pipe.size) % kPipeCapacityBytes;
      for (size_t copied = 0; copied < count;) {
        const size_t run = std::min(count - copied, kPipeCapacityBytes - tail);
        std::memcpy(pipe.ring.data() + tail, from.data() + written + copied, run);
        tail = (tail + run) % kPipeCapacityBytes;
        copied += run;
      }
      pipe.size += count;
      written += count;
      wake_all(pipe.read_waiters);
      wake_watchers(pipe.read_watchers);
      continue;
    }
    enqueue(pipe.write_waiters, current_);
    block(WaitKind::kPipeWrite, id, where, std::nullopt);
    if (ended_after_wait()) return static_cast<int64_t>(from.size());
  }
}

void Scheduler::fd_close(int fd, Location where) noexcept {
  if (current_ == kNoThread) return;  // After the execution: its books are gone.
  const uint32_t owner = me().process;
  if (process(owner).state != ProcessState::kRunning) return;  // Closed with its process.
  if (!ended_) quiet_point();
  // The process may have been killed, and its table closed, meanwhile.
  if (process(owner).state != ProcessState::kRunning) return;
  if (own_fd_slot(fd) == nullptr) {
    const uint32_t holder = fd_holder(fd);
    if (holder != UINT32_MAX && !ended_) {
      fail(FailureKind::kMisuse,
           absl::StrFormat("%s closes descriptor %d, %s, which %s holds and its own process "
                           "never got (see weft/process.h: capture descriptors by move)",
                           describe_thread(current_), fd, describe_fd(process(holder).fds[fd]),
                           describe_process(holder)),
           "", absl::StrFormat("%s:%d", where.file_name(), where.line()));
    }
    return;
  }
  close_fd(owner, fd);
}

void Scheduler::close_fd(uint32_t process_index, int fd, bool died) {
  FdSlot& slot = process(process_index).fds[static_cast<size_t>(fd)];
  WEFT_CHECK(slot.kind != FdKind::kFree);
  const FdSlot closing = std::exchange(slot, FdSlot{});
  WEFT_CHECK_GT(process(process_index).open_fds, 0u);
  --process(process_index).open_fds;
  if (closing.kind == FdKind::kSocket) {
    socket_descriptor_closed(closing.id, died);
    return;
  }
  SimPipe& pipe = pipes_[closing.id];
  if (closing.kind == FdKind::kPipeWrite) {
    WEFT_CHECK_GT(pipe.writers, 0u);
    // The last writer gone: readers see EOF.
    if (--pipe.writers == 0 && !ended_) {
      wake_all(pipe.read_waiters);
      wake_watchers(pipe.read_watchers);
    }
  } else {
    WEFT_CHECK_GT(pipe.readers, 0u);
    // The last reader gone: writers get EPIPE.
    if (--pipe.readers == 0 && !ended_) {
      wake_all(pipe.write_waiters);
      wake_watchers(pipe.write_watchers);
    }
  }
}

void Scheduler::wake_watchers(std::vector<ThreadId>& watchers) {
  // Swap out first: a woken task may watch again before this returns.
  std::vector<ThreadId> woken;
  woken.swap(watchers);
  for (ThreadId id : woken) {
    // Through its loop, which marks the task ready and tells the scheduler.
    // A killed task (its process ended) is not woken.
    SimThread& record = thread(id);
    if (record.state == ThreadState::kBlocked && record.task != nullptr) {
      record.task->loop->wake(*record.task);
    }
  }
}

bool Scheduler::fd_ready(int fd, bool for_write) {
  const FdSlot* slot = fd_slot(fd);
  if (slot == nullptr) return true;  // The read or write reports EBADF at once.
  if (slot->kind == FdKind::kSocket) {
    const SimSocket& socket = sockets_[slot->id];
    if (socket_ready(socket, for_write)) return true;
    for (ThreadId watcher : socket.task_watchers) {
      if (me().task != nullptr && thread(watcher).loop == me().loop) {
        fail_and_throw(
            FailureKind::kMisuse,
            absl::StrFormat("%s waits on %s, which %s of the same loop already waits on: the "
                            "real runtime's loop holds one waiter per descriptor",
                            describe_thread(current_), describe_socket(slot->id),
                            describe_thread(watcher)));
      }
    }
    return false;
  }
  // A pipe end says which way.
  const SimPipe& pipe = pipes_[slot->id];
  if (slot->kind == FdKind::kPipeRead) return pipe.size > 0 || pipe.writers == 0;
  if (slot->kind == FdKind::kPipeWrite) {
    return pipe.readers == 0 || kPipeCapacityBytes - pipe.size >= kPipeAtomicBytes;
  }
  return true;
}

void Scheduler::task_watch_fd(ThreadId id, int fd, bool for_write) {
  WEFT_CHECK(thread(id).task != nullptr);
  const FdSlot* slot = own_fd_slot(fd);
  WEFT_CHECK(slot != nullptr);  // fd_ready said: not ready.
  if (slot->kind == FdKind::kSocket) {
    WEFT_CHECK(!for_write);  // Sends never wait.
    watch_socket(id, slot->id);
    return;
  }
  WEFT_CHECK_EQ(for_write, slot->kind == FdKind::kPipeWrite);
  SimPipe& pipe = pipes_[slot->id];
  (for_write ? pipe.write_watchers : pipe.read_watchers).push_back(id);
}

void Scheduler::task_unwatch_fd(ThreadId id, int fd) {
  const FdSlot* slot = own_fd_slot(fd);
  if (slot == nullptr) return;
  if (slot->kind == FdKind::kSocket) {
    unwatch_socket(thread(id));
    return;
  }
  SimPipe& pipe = pipes_[slot->id];
  for (std::vector<ThreadId>* watchers : {&pipe.read_watchers, &pipe.write_watchers}) {
    watchers->erase(std::remove(watchers->begin(), watchers->end(), id), watchers->end());
  }
}

void Scheduler::close_all_fds(uint32_t process_index, bool died) {
  std::vector<FdSlot>& table = process(process_index).fds;
  for (size_t fd = 0; fd < table.size(); ++fd) {
    if (table[fd].kind != FdKind::kFree) close_fd(process_index, static_cast<int>(fd), died);
  }
}

std::vector<uint32_t> Scheduler::pipe_end_holders(uint32_t id, bool write_end) const {
  std::vector<uint32_t> holders;
  for (uint32_t index = 0; index < processes_.size(); ++index) {
    const SimProcess& record = processes_[index];
    if (record.state != ProcessState::kRunning) continue;
    for (const FdSlot& slot : record.fds) {
      if (slot.id == id && slot.kind == (write_end ? FdKind::kPipeWrite : FdKind::kPipeRead)) {
        holders.push_back(index);
        break;
      }
    }
  }
  return holders;
}

}  // namespace weft::sim
