// Copyright 2026 The weft Authors.

#include "runtime/real_run.h"

#include <cstdio>
#include <cstdlib>
#include <typeinfo>

#include "absl/strings/str_format.h"
#include "weft/assert.h"
#include "weft/internal/backend.h"
#include "weft/internal/check.h"
#include "weft/run_real.h"

namespace weft::internal {
namespace {
constinit thread_local RealRun* tls_real_run = nullptr;
}  // namespace

void RealRun::record(Failure failure) {
  std::scoped_lock lock(mutex_);
  if (first_) {
    ++later_failures_;
    return;
  }
  first_ = std::move(failure);
  any_failure_.store(true, std::memory_order_release);
}

std::optional<Failure> RealRun::take_failure() {
  std::scoped_lock lock(mutex_);
  if (first_ && later_failures_ > 0) {
    first_->details += absl::StrFormat("(and %d more failures in this run)\n", later_failures_);
  }
  return std::move(first_);
}

RealRun* current_real_run() { return tls_real_run; }
void set_current_real_run(RealRun* run) { tls_real_run = run; }

Failure failure_from_current_exception(const std::string& thread_name) {
  Failure failure;
  failure.thread_name = thread_name;
  try {
    throw;
  } catch (const AssertionFailure& assertion) {
    failure.kind = FailureKind::kAssertion;
    failure.message = assertion.what();
  } catch (const std::exception& exception) {
    failure.kind = FailureKind::kException;
    failure.message = absl::StrFormat("thread \"%s\" threw %s: %s", thread_name,
                                      typeid(exception).name(), exception.what());
  } catch (...) {
    failure.kind = FailureKind::kException;
    failure.message = absl::StrFormat("thread \"%s\" threw a non-std exception", thread_name);
  }
  return failure;
}

void report_real_failure(Failure failure) {
  if (RealRun* run = current_real_run()) {
    run->record(std::move(failure));
    return;
  }
  Report report;
  report.set_failure(std::move(failure));
  std::fputs(report.to_string().c_str(), stderr);
  std::abort();
}

}  // namespace weft::internal

namespace weft {

Report run_real(absl::FunctionRef<void()> workload) {
  WEFT_CHECK(internal::active_backend() == nullptr);
  internal::RealRun run;
  internal::RealRun* const previous = internal::current_real_run();
  internal::set_current_real_run(&run);
  try {
    workload();
  } catch (...) {
    run.record(internal::failure_from_current_exception("main"));
  }
  internal::set_current_real_run(previous);
  Report report;
  if (std::optional<Failure> failure = run.take_failure()) report.set_failure(*std::move(failure));
  report.mutable_stats().executions = 1;
  report.set_context("real runtime");
  return report;
}

}  // namespace weft
