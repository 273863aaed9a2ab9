// Copyright 2026 The weft Authors.

#include "weft/thread.h"

#include <pthread.h>

#include "absl/strings/str_format.h"
#include "runtime/real_run.h"
#include "weft/internal/check.h"

namespace weft {

void Thread::start(absl::AnyInvocable<void()> body) {
  if (internal::Backend* backend = internal::active_backend()) {
    backend_ = backend;
    sim_id_ = backend->thread_spawn(std::move(body), name_, created_);
    joinable_ = true;
    return;
  }
  internal::RealRun* const run = internal::current_real_run();
  os_ = std::thread([body = std::move(body), run, name = name_]() mutable {
    internal::set_current_real_run(run);
    if (!name.empty()) {
      // The kernel keeps 15 characters.
      pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    }
    try {
      body();
    } catch (...) {
      internal::report_real_failure(internal::failure_from_current_exception(name));
    }
  });
  joinable_ = true;
}

Thread::Thread(Thread&& other) noexcept
    : name_(std::move(other.name_)),
      created_(other.created_),
      joinable_(std::exchange(other.joinable_, false)),
      backend_(std::exchange(other.backend_, nullptr)),
      sim_id_(other.sim_id_),
      os_(std::move(other.os_)) {}

Thread& Thread::operator=(Thread&& other) noexcept {
  if (this != &other) {
    release_joinable();
    name_ = std::move(other.name_);
    created_ = other.created_;
    joinable_ = std::exchange(other.joinable_, false);
    backend_ = std::exchange(other.backend_, nullptr);
    sim_id_ = other.sim_id_;
    os_ = std::move(other.os_);
  }
  return *this;
}

Thread::~Thread() { release_joinable(); }

void Thread::release_joinable() noexcept {
  if (!joinable_) return;
  joinable_ = false;
  if (backend_ != nullptr) {
    backend_->thread_dropped(sim_id_, created_);
    return;
  }
  // std::thread would terminate the process here; joining keeps the workload's
  // memory valid and lets run_real report the leak.
  os_.join();
  Failure failure;
  failure.kind = FailureKind::kLeakedThread;
  failure.thread_name = name_;
  failure.message = absl::StrFormat("thread \"%s\" (created at %s:%d) was destroyed without join()",
                                    name_, created_.file_name(), created_.line());
  internal::report_real_failure(std::move(failure));
}

void Thread::join(std::source_location where) {
  WEFT_CHECK(joinable_);
  joinable_ = false;
  if (backend_ != nullptr) {
    backend_->thread_join(sim_id_, where);
  } else {
    os_.join();
  }
}

void Thread::detach(std::source_location where) {
  WEFT_CHECK(joinable_);
  joinable_ = false;
  if (backend_ != nullptr) {
    backend_->thread_detach(sim_id_, where);
  } else {
    os_.detach();
  }
}

}  // namespace weft
