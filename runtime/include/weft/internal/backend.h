// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: internal/backend.h
// -----------------------------------------------------------------------------
//
// The seam between weft's primitives and the runtime that carries them out.
//
// Every weft primitive asks one thread-local question first: is a Backend
// installed on the calling OS thread? If not, the primitive runs on the OS (its
// embedded std::mutex, std::thread, the steady clock: the real runtime, inline,
// so real mode costs one thread-local load more than std). If one is, every
// operation is forwarded to it. The simulator (sim/) installs its Backend on the
// OS thread that runs an exploration; every simulated thread is a fiber on that
// one OS thread, so they all see it.
//
// runtime/ never includes sim/: the simulator reaches the primitives only
// through this interface, and the primitives reach the simulator only through
// `active_backend()`. A BackendWrapper-style decorator can sit in between for
// fault injection.
//
// Contract for implementations:
//  * Every method is called on the OS thread the backend is installed on, from
//    inside a simulated thread, never concurrently.
//  * "Scheduling point" means: the backend may switch to another simulated
//    thread before the call returns.
//  * Methods that "may abort" throw ExecutionAborted to unwind the calling
//    simulated thread when its execution has ended (a failure elsewhere, a
//    deadlock). Workload code must let it pass; weft catches it at the thread's
//    entry. Methods a destructor may call (unlock, notify, release, atomic
//    access) never throw: once the execution has ended they only keep the
//    books, and the thread unwinds at its next blocking call.
//  * Workload misuse (unlocking a mutex one does not hold, a failed WEFT_ASSERT)
//    becomes a failure in the execution's Report, not a crash.

#ifndef WEFT_INTERNAL_BACKEND_H_
#define WEFT_INTERNAL_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <source_location>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "weft/clock.h"
#include "weft/exit_status.h"
#include "weft/faults.h"
#include "weft/internal/sim_object.h"
#include "weft/internal/task_state.h"
#include "weft/report.h"

namespace weft::internal {

using Location = std::source_location;

// Thrown by a backend to unwind a simulated thread whose execution has ended
// (a failure, a deadlock, the step limit). Deliberately not derived from
// std::exception so that `catch (const std::exception&)` in workload code lets
// it pass.
struct ExecutionAborted {};
using Deadline = std::optional<Clock::time_point>;

// How an atomic operation touches its object; the seed of race detection and
// DPOR's dependence relation.
enum class AccessKind : uint8_t { kLoad, kStore, kReadModifyWrite };

// How a crashed process (ProcessOptions::crashes) comes back: `recipe` runs
// a fresh copy of its function, `delay` after the crash.
struct RestartPolicy {
  std::function<int()> recipe;
  Clock::duration delay{};
};

class Backend {
 public:
  virtual ~Backend() = default;

  // ---- threads -------------------------------------------------------------

  // Creates a simulated thread that will run `body`, and returns its id.
  // Scheduling point (after the thread exists). May abort.
  virtual uint32_t thread_spawn(absl::AnyInvocable<void()> body, std::string name,
                                Location where) = 0;
  // Blocks until thread `id` has finished. Scheduling point. May abort.
  // REQUIRES: `id` came from thread_spawn in this execution, not joined yet.
  virtual void thread_join(uint32_t id, Location where) = 0;
  // Gives up the right to join `id`. Not a scheduling point.
  virtual void thread_detach(uint32_t id, Location where) = 0;
  // A weft::Thread was destroyed while still joinable: a workload failure.
  // Never throws (it is called from a destructor).
  virtual void thread_dropped(uint32_t id, Location where) noexcept = 0;
  // The id of the calling simulated thread (0 is the workload's main thread).
  virtual uint32_t current_thread_id() = 0;

  // Scheduling point that also says "I am waiting for someone else" (strategies
  // such as PCT demote a yielding thread). May abort.
  virtual void yield(Location where) = 0;
  // Blocks until virtual time reaches `deadline`. Scheduling point. May abort.
  virtual void sleep_until(Clock::time_point deadline, Location where) = 0;
  // Virtual time now. Not a scheduling point.
  virtual Clock::time_point now() = 0;
  // 64 bits drawn from the execution's seeded generator.
  virtual uint64_t random_u64() = 0;

  // ---- mutexes (Mutex, and the exclusive side of SharedMutex) -------------

  // Blocks until the calling thread owns `mutex`. Scheduling point. May abort.
  virtual void mutex_lock(const SimObject& mutex, Location where) = 0;
  // Takes `mutex` if it is free; returns whether it did. Scheduling point.
  virtual bool mutex_try_lock(const SimObject& mutex, Location where) = 0;
  // REQUIRES: the calling thread owns `mutex` (otherwise a workload failure).
  // Scheduling point. May abort.
  virtual void mutex_unlock(const SimObject& mutex, Location where) = 0;
  // The shared (reader) side of SharedMutex, same rules.
  virtual void mutex_lock_shared(const SimObject& mutex, Location where) = 0;
  virtual bool mutex_try_lock_shared(const SimObject& mutex, Location where) = 0;
  virtual void mutex_unlock_shared(const SimObject& mutex, Location where) = 0;

  // ---- condition variables -------------------------------------------------

  // Releases `mutex`, waits for a notification on `condvar` (or `deadline`),
  // then takes `mutex` again. Returns false if the deadline passed first.
  // REQUIRES: the calling thread owns `mutex`. Scheduling point. May abort.
  virtual bool condvar_wait(const SimObject& condvar, const SimObject& mutex, Deadline deadline,
                            Location where) = 0;
  // Wakes one (the longest-waiting) or all waiters. Scheduling point.
  virtual void condvar_notify(const SimObject& condvar, bool all, Location where) = 0;

  // ---- counting semaphores -------------------------------------------------
  // `initial` is the count the semaphore was constructed with; the simulator
  // uses it when it first sees the object in an execution.

  // Blocks until the count is positive (or `deadline`), then decrements it.
  // Returns false on timeout. Scheduling point. May abort.
  virtual bool semaphore_acquire(const SimObject& semaphore, int64_t initial, Deadline deadline,
                                 Location where) = 0;
  // Adds `update` to the count and wakes waiters. Scheduling point.
  virtual void semaphore_release(const SimObject& semaphore, int64_t initial, int64_t update,
                                 Location where) = 0;

  // ---- atomics ---------------------------------------------------------------

  // Called just before an atomic operation on `atomic`. Scheduling point.
  virtual void atomic_access(const SimObject& atomic, AccessKind access, Location where) = 0;

  // ---- workload failures ------------------------------------------------------

  // WEFT_ASSERT failed. Records the failure and aborts the execution (throws);
  // returns only if the calling thread is already unwinding.
  virtual void assertion_failed(const char* condition, const std::string& message,
                                Location where) = 0;
  // A GoogleTest assertion (EXPECT_*, ASSERT_*) failed in the workload at
  // file:line with gtest's `message`. Records a kAssertion failure and ends
  // the execution without throwing: the gtest macro goes on as it would (an
  // ASSERT returns from its function), and the thread unwinds at its next
  // scheduling point.
  virtual void test_assertion_failed(const char* file, int line,
                                     const std::string& message) noexcept = 0;
  // A primitive is being destroyed; the simulator checks it is not in use
  // (a locked mutex, waiters on a condition variable). Never throws.
  virtual void object_destroyed(const SimObject& object) noexcept = 0;
  // A failure found by weft's own runtime code (a task exception nobody
  // awaited, a task suspended on an awaitable weft cannot resume). Records
  // it and ends the execution. Never throws.
  virtual void workload_failed(FailureKind kind, std::string message,
                               std::string details) noexcept = 0;

  // ---- processes ---------------------------------------------------------------
  // Simulated processes: groups of simulated threads and tasks with a pid and a
  // descriptor table each. The workload's main thread runs in the first one.

  // Starts a process whose main thread runs `body` (its return value is the
  // exit code). The child's descriptor table is a copy of the caller's; then
  // the descriptors in `handed_over` (moved into `body`) are closed in the
  // caller's. Returns the child's pid. Scheduling point. May abort.
  // `restart` (or null): the process may crash (Faults::crash) and restart.
  virtual int process_spawn(absl::AnyInvocable<int()> body, std::string name,
                            std::span<const int> handed_over, const RestartPolicy* restart,
                            Location where) = 0;
  // Blocks until process `pid` has ended; reaps it and returns its status.
  // REQUIRES: `pid` is a child of the caller, not reaped. Scheduling point.
  // May abort.
  virtual ExitStatus process_wait(int pid, Location where) = 0;
  // Ends process `pid` as SIGKILL would (no-op if it has ended). Scheduling
  // point. May abort.
  virtual void process_kill(int pid, Location where) = 0;
  // A weft::Process was destroyed without wait(): a workload failure (an
  // unreaped child); the process is killed and reaped. Never throws.
  virtual void process_dropped(int pid, Location where) noexcept = 0;
  // The pid of the calling thread's process. Not a scheduling point.
  virtual int current_pid() = 0;

  // ---- descriptors (pipes) ---------------------------------------------------------
  // Descriptor numbers index the calling process's table. Errors are returned
  // as -errno: EBADF (not open), EPIPE (no reader left).

  // A new pipe: {read end, write end}. Not a scheduling point.
  virtual std::pair<int, int> pipe_create(Location where) = 0;
  // Reads up to into.size() bytes, blocking until one is there; 0 is EOF.
  // Scheduling point. May abort.
  virtual int64_t fd_read(int fd, std::span<std::byte> into, Location where) = 0;
  // Writes all of `from`, blocking while the pipe is full; returns from.size()
  // or -EPIPE. Scheduling point. May abort.
  virtual int64_t fd_write(int fd, std::span<const std::byte> from, Location where) = 0;
  // Closes `fd` in the calling process (no-op if its process has ended).
  // Scheduling point. Never throws.
  virtual void fd_close(int fd, Location where) noexcept = 0;
  // Whether a read (for_write: a write of up to PIPE_BUF bytes) on pipe end
  // or socket `fd` would return without blocking (bytes, EOF, a connection
  // to accept, or an error). Not a scheduling point. May abort: a descriptor
  // another process holds (MISUSE), or a second task of one loop waiting on
  // the same socket (the real loop holds one waiter per descriptor).
  virtual bool fd_ready(int fd, bool for_write) = 0;

  // ---- network (weft::net) ------------------------------------------------------
  // Sockets are descriptors in the calling process's table (fd_close closes
  // them). Errors are -errno: EADDRINUSE, EINVAL (a malformed address),
  // ECONNREFUSED (nobody listens), ENETUNREACH (a partition), ECONNRESET (the
  // peer's process died), EPIPE (the peer closed), ETIMEDOUT (the deadline),
  // EMSGSIZE. Every call is a scheduling point; those that block may abort.

  virtual int net_listen(std::string_view address, Location where) = 0;
  // Blocks until a connection is there; returns the new stream's descriptor.
  virtual int net_accept(int fd, Location where) = 0;
  virtual int net_connect(std::string_view address, Location where) = 0;
  // Sends all of `data` (never blocks: the simulated network buffers it).
  virtual int64_t net_send(int fd, std::span<const std::byte> data, Location where) = 0;
  // Receives up to into.size() bytes, blocking until one is there or the
  // deadline; 0 is EOF.
  virtual int64_t net_receive(int fd, std::span<std::byte> into, Deadline deadline,
                              Location where) = 0;
  virtual int net_bind(std::string_view address, Location where) = 0;
  virtual int net_send_to(int fd, std::string_view address, std::span<const std::byte> payload,
                          Location where) = 0;
  // Blocks until a datagram is there (or the deadline); fills `payload` and
  // `from`; returns 0.
  virtual int net_receive_from(int fd, std::string& payload, std::string& from, Deadline deadline,
                               Location where) = 0;
  virtual void net_partition(std::span<const std::string_view> side_a,
                             std::span<const std::string_view> side_b, Location where) = 0;
  virtual void net_heal(Location where) = 0;
  // The faults of the simulated network from here on. Not a scheduling point.
  virtual void set_faults(const Faults& faults, Location where) = 0;

  // ---- event loops (coroutine tasks) -----------------------------------------

  // The driver of an event loop that the calling thread is about to run
  // (weft::run): it makes each pick of a ready task a scheduling decision
  // and keeps the loop's timers in virtual time. Not a scheduling point.
  virtual std::unique_ptr<LoopDriver> loop_driver(Location where) = 0;
  // The task the caller is running, or null for a plain thread.
  virtual TaskState* current_task() = 0;
};

// The Backend installed on the calling OS thread, or nullptr for the OS.
extern constinit thread_local Backend* tls_backend;

inline Backend* active_backend() { return tls_backend; }

// Installs `backend` on the calling OS thread for the lifetime of the scope.
class ScopedBackend {
 public:
  explicit ScopedBackend(Backend* backend) : previous_(tls_backend) { tls_backend = backend; }
  ~ScopedBackend() { tls_backend = previous_; }
  ScopedBackend(const ScopedBackend&) = delete;
  ScopedBackend& operator=(const ScopedBackend&) = delete;

 private:
  Backend* previous_;
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_BACKEND_H_
