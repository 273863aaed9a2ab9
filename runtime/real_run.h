// Copyright 2026 The weft Authors.
//
// The real runtime's failure sink: where weft::Thread and WEFT_ASSERT put the
// failures of a weft::run_real call. Each OS thread started by weft::Thread
// inherits its creator's sink, so concurrent run_real calls stay apart.

#ifndef WEFT_RUNTIME_REAL_RUN_H_
#define WEFT_RUNTIME_REAL_RUN_H_

#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

#include "weft/report.h"

namespace weft::internal {

class RealRun {
 public:
  // Keeps the first failure; later ones are counted only.
  void record(Failure failure);
  std::optional<Failure> take_failure();
  // Whether record() has been called: a check without the lock (a child
  // process that succeeded calls nothing it has not yet bound).
  bool has_failure() const { return any_failure_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> any_failure_{false};
  std::mutex mutex_;
  std::optional<Failure> first_;
  int later_failures_ = 0;
};

// The sink of the calling OS thread (nullptr outside run_real).
RealRun* current_real_run();
void set_current_real_run(RealRun* run);

// Turns the exception in flight (inside a catch block) into a Failure of
// thread `thread_name`.
Failure failure_from_current_exception(const std::string& thread_name);

// Records `failure` in the calling thread's sink, or, outside run_real, prints
// it and aborts (what std::thread would have done with the exception).
void report_real_failure(Failure failure);

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_REAL_RUN_H_
