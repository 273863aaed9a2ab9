// Copyright 2026 The weft Authors.

#include "weft/cond_var.h"

#include "weft/internal/check.h"

namespace weft {

bool CondVar::wait_impl(std::unique_lock<Mutex>& lock, internal::Deadline deadline,
                        std::source_location where) {
  WEFT_CHECK(lock.owns_lock());
  Mutex& mutex = *lock.mutex();
  if (internal::Backend* backend = internal::active_backend()) {
    return backend->condvar_wait(sim_, mutex.sim_, deadline, where);
  }
  // Borrow the OS mutex for the duration of the wait; ownership stays with
  // `lock` afterwards.
  std::unique_lock<std::mutex> os_lock(mutex.os_, std::adopt_lock);
  bool notified = true;
  if (deadline) {
    const auto os_deadline = std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            deadline->time_since_epoch()));
    notified = os_.wait_until(os_lock, os_deadline) == std::cv_status::no_timeout;
  } else {
    os_.wait(os_lock);
  }
  os_lock.release();
  return notified;
}

}  // namespace weft
