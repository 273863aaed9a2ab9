// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: process.h
// -----------------------------------------------------------------------------
//
// weft::Process runs a function in a process of its own, as Python's
// multiprocessing.Process does: it shares nothing with its parent but what
// the function captured by value and the weft pipes and sockets it holds.
//
//   weft::Pipe pipe = weft::Pipe::create();
//   weft::Process child = weft::Process::spawn(
//       [out = std::move(pipe.writer)]() mutable { return out.write("hi").ok() ? 0 : 1; },
//       {.name = "greeter"});
//   std::string got = pipe.reader.read_all().value();   // "hi", then EOF
//   weft::ExitStatus status = child.wait();             // exit code 0
//
// The function returns void (exit code 0) or int (the exit code).
//
// Real runtime: fork(). The child runs the function and _exit()s with its
// code; a failure inside it (an exception, a failed WEFT_ASSERT) is sent to
// the parent and reported by the parent's wait(), so run_real's report has
// it. wait() reaps the child; a Process destroyed without wait() is reported
// (an unreaped child) and then killed and reaped, so no zombie remains.
//
// Descriptors, on both runtimes: the child gets the weft pipe ends and
// sockets its function captured (by move), and no other weft descriptor of
// the parent (as subprocess's close_fds); the parent no longer holds those.
//
// Simulated runtime: a process is a group of simulated threads and tasks with
// its own pid and its own descriptor table, scheduled in the same decision space as everything
// else. kill() stops it at its current scheduling point: its threads never run again, its
// descriptors close (pipe readers see EOF, writers get "broken pipe"), and
// wait() says it was killed by SIGKILL. A failure inside it fails the
// execution, with the process named in the report.
//
// Capture by value: under simulation a child runs in its parent's address
// space, so a reference into the parent's memory would be shared there and
// copied on the real runtime. Capture pipe ends and sockets themselves, by
// move: one held inside a container or behind a pointer is not handed over
// (the move of a vector or a unique_ptr does not move its elements). A child
// that uses one anyway fails: under simulation with a MISUSE report naming
// the descriptor and the process that holds it (simulated descriptor numbers
// are never reused, so it cannot reach another descriptor by accident). On
// the real runtime the child closed it after fork(): an error -- or, if the
// child has since opened a descriptor that took its number, that one. Run
// the workload under the simulator to catch this.
//
// Not thread-safe: one thread uses a Process object at a time.

#ifndef WEFT_PROCESS_H_
#define WEFT_PROCESS_H_

#include <algorithm>
#include <array>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <source_location>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "weft/clock.h"
#include "weft/exit_status.h"
#include "weft/internal/backend.h"
#include "weft/internal/descriptor.h"

namespace weft {

struct ProcessOptions {
  // Shown in reports and traces (and, real runtime, as the process's comm).
  // Under simulation it is also the process's host name for weft::net.
  std::string name;
  // A node that may crash: under simulation, with Faults::crash set, the
  // explorer may kill it at any scheduling point and, restart_delay later,
  // start its function again from a fresh copy as a new process (a new pid).
  // What it held in memory is gone; what it put elsewhere survives. wait()
  // then waits for the last incarnation; kill() ends the node for good.
  // REQUIRES: the function is copyable (std::invalid_argument otherwise).
  // The real runtime never injects crashes.
  bool crashes = false;
  Clock::duration restart_delay = std::chrono::milliseconds(10);
};

class Process {
 public:
  // A Process that represents no process.
  Process() noexcept = default;

  // Process::spawn()
  //
  // Starts `fn` in a new process. Throws std::system_error if the OS refuses
  // (fork() failed).
  template <typename Fn>
  requires std::invocable<Fn&> &&
      (std::is_void_v<std::invoke_result_t<Fn&>> ||
       std::is_convertible_v<std::invoke_result_t<Fn&>, int>)static Process
      spawn(Fn fn, ProcessOptions options = {},
            std::source_location where = std::source_location::current()) {
    // The handover ends before start(), a scheduling point where other
    // simulated threads may move descriptors of their own.
    std::array<int, internal::DescriptorHandover::kMax> handed_over;
    size_t handed_over_count = 0;
    absl::AnyInvocable<int()> body;
    std::function<int()> restart;  // Set for ProcessOptions::crashes.
    if (options.crashes) {
      if constexpr (std::is_copy_constructible_v<Fn>) {
        restart = [recipe = std::make_shared<const Fn>(fn)]() -> int {
          Fn fresh = *recipe;  // Each incarnation starts from the captures spawn saw.
          return run_as_process(fresh);
        };
      } else {
        throw_not_restartable();
      }
    }
    if constexpr (std::is_trivially_copyable_v<Fn>) {
      // Holds no descriptor (a descriptor's move is not trivial), so there
      // is nothing to hand over -- and no thread-local page to write, which
      // costs the real runtime a page fault per spawn after a fork().
      body = [fn = std::move(fn)]() mutable -> int { return run_as_process(fn); };
    } else {
      internal::DescriptorHandover handover;
      body = [fn = std::move(fn)]() mutable -> int { return run_as_process(fn); };
      if (handover.overflowed()) throw_too_many_descriptors();
      handed_over_count = handover.fds().size();
      std::copy(handover.fds().begin(), handover.fds().end(), handed_over.begin());
    }
    return start(std::move(body), std::move(restart), std::move(options),
                 std::span<const int>(handed_over.data(), handed_over_count), where);
  }

  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  // Reports an unreaped child if wait() was never called, then kills and
  // reaps it.
  ~Process();

  // Process::wait()
  //
  // Blocks until the process has ended and reaps it; returns how it ended.
  // Later calls return the same status. REQUIRES: valid().
  ExitStatus wait(std::source_location where = std::source_location::current());

  // Process::join()
  //
  // wait(), and reports a failure of the workload unless the process exited
  // with code 0 or was ended by this object's kill().
  ExitStatus join(std::source_location where = std::source_location::current());

  // Process::kill()
  //
  // Ends the process at once (SIGKILL). Does nothing if it has been reaped.
  // REQUIRES: valid().
  void kill(std::source_location where = std::source_location::current());

  bool valid() const noexcept { return pid_ > 0; }
  // The process id: an OS pid, or the simulated pid. 0 if !valid().
  int pid() const noexcept { return pid_; }
  const std::string& name() const noexcept { return name_; }

 private:
  // A process's exit code from its function: what it returns, or 0.
  template <typename Fn>
  static int run_as_process(Fn& fn) {
    if constexpr (std::is_void_v<std::invoke_result_t<Fn&>>) {
      fn();
      return 0;
    } else {
      return static_cast<int>(fn());
    }
  }
  static Process start(absl::AnyInvocable<int()> body, std::function<int()> restart,
                       ProcessOptions options, std::span<const int> handed_over,
                       std::source_location where);
  void release() noexcept;
  [[noreturn]] static void throw_too_many_descriptors();
  [[noreturn]] static void throw_not_restartable();

  std::string name_;
  std::source_location created_;
  internal::Backend* backend_ = nullptr;  // Null on the real runtime.
  int pid_ = 0;
  uint64_t report_nonce_ = 0;  // Real runtime: keys the child's failure report.
  bool reaped_ = false;
  bool killed_ = false;
  ExitStatus status_;
};

namespace this_process {

// The calling process's pid (simulated pid under simulation).
int pid();

}  // namespace this_process

}  // namespace weft

#endif  // WEFT_PROCESS_H_
