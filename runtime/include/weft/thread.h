// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: thread.h
// -----------------------------------------------------------------------------
//
// weft::Thread runs a callable on a new thread of the active runtime, like
// std::thread, and carries a name that failure reports print.
//
//   weft::Thread worker("worker", [&] { drain(queue); });
//   ...
//   worker.join();
//
// Real runtime: a std::thread (named with pthread_setname_np). Under
// simulation: a fiber scheduled by the simulator; creating and joining are
// scheduling points.
//
// Unlike std::thread, destroying a joinable Thread does not terminate the
// process: under simulation it is reported as a leaked thread (a failure with
// a repro); on the real runtime the destructor joins and `run_real` reports it.
// An exception escaping the callable, or a failed WEFT_ASSERT, is reported as a
// failure of the workload rather than calling std::terminate.
//
// Not thread-safe: one Thread object is used by one thread at a time.

#ifndef WEFT_THREAD_H_
#define WEFT_THREAD_H_

#include <concepts>
#include <cstdint>
#include <source_location>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "weft/internal/backend.h"

namespace weft {

class Thread {
 public:
  // A Thread that represents no thread.
  Thread() noexcept = default;

  // Starts `body` on a new thread named `name` (may be empty).
  template <typename Body>
  requires std::invocable < std::decay_t<Body>
  & > Thread(std::string name, Body&& body,
             std::source_location created = std::source_location::current())
      : name_(std::move(name)),
  created_(created) {
    start(absl::AnyInvocable<void()>(std::forward<Body>(body)));
  }

  // Starts `body` on a new, unnamed thread.
  template <typename Body>
  requires std::invocable < std::decay_t<Body>
  & > explicit Thread(Body&& body, std::source_location created = std::source_location::current())
      : created_(created) {
    start(absl::AnyInvocable<void()>(std::forward<Body>(body)));
  }

  Thread(Thread&& other) noexcept;
  Thread& operator=(Thread&& other) noexcept;
  ~Thread();

  // Thread::join()
  //
  // Blocks until the thread has finished. REQUIRES: joinable().
  void join(std::source_location where = std::source_location::current());

  // Thread::detach()
  //
  // Lets the thread run on without a Thread object. Under simulation, a
  // detached thread still running when the workload returns is reported as
  // leaked. REQUIRES: joinable().
  void detach(std::source_location where = std::source_location::current());

  bool joinable() const noexcept { return joinable_; }
  const std::string& name() const noexcept { return name_; }

 private:
  void start(absl::AnyInvocable<void()> body);
  void release_joinable() noexcept;

  std::string name_;
  std::source_location created_;
  bool joinable_ = false;
  // Set when the thread was created under simulation; the runtime is fixed at
  // creation.
  internal::Backend* backend_ = nullptr;
  uint32_t sim_id_ = 0;
  std::thread os_;
};

}  // namespace weft

#endif  // WEFT_THREAD_H_
