// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: mutex.h
// -----------------------------------------------------------------------------
//
// weft::Mutex is a non-recursive mutual-exclusion lock with std::mutex's
// member names, so std::scoped_lock, std::lock_guard and std::unique_lock work
// with it. Use it wherever a workload would use std::mutex.
//
//   weft::Mutex accounts_lock{"accounts"};   // the name appears in reports
//   {
//     std::scoped_lock guard(accounts_lock);
//     balance += amount;
//   }
//
// Real runtime: a std::mutex (one thread-local check more per call).
// Under simulation: lock, try_lock and unlock are each a scheduling point;
// lock blocks while another thread owns the mutex; unlocking wakes every
// waiter and the scheduler decides who wins. Relocking a mutex one holds is
// reported as a deadlock; unlocking one that one does not hold as misuse.
//
// Thread-safe. lock() synchronizes with the previous unlock().

#ifndef WEFT_MUTEX_H_
#define WEFT_MUTEX_H_

#include <mutex>
#include <source_location>

#include "weft/internal/backend.h"
#include "weft/internal/located_lock.h"
#include "weft/internal/sim_object.h"

namespace weft {

class CondVar;

class Mutex {
 public:
  // `name` (a string literal, or any string that outlives the mutex) labels
  // the mutex in failure reports.
  explicit Mutex(const char* name = nullptr,
                 std::source_location created = std::source_location::current())
      : sim_(internal::ObjectKind::kMutex, name, created) {}
  ~Mutex() {
    if (internal::Backend* backend = internal::active_backend()) backend->object_destroyed(sim_);
  }
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  // Mutex::lock()
  //
  // Blocks until the calling thread owns the mutex.
  // REQUIRES: the calling thread does not own it.
  void lock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_lock(sim_, where);
    } else {
      os_.lock();
    }
  }

  // Mutex::try_lock()
  //
  // Takes the mutex if it is free, without blocking; returns whether it did.
  bool try_lock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      return backend->mutex_try_lock(sim_, where);
    }
    return os_.try_lock();
  }

  // Mutex::unlock()
  //
  // REQUIRES: the calling thread owns the mutex.
  void unlock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_unlock(sim_, where);
    } else {
      os_.unlock();
    }
  }

 private:
  friend class CondVar;
  std::mutex os_;
  internal::SimObject sim_;
};

}  // namespace weft

// std::scoped_lock, std::lock_guard and std::unique_lock over weft::Mutex
// report the user's line, not the standard header's (see located_lock.h).
WEFT_INTERNAL_LOCATED_STD_LOCKS(weft::Mutex);

#endif  // WEFT_MUTEX_H_
