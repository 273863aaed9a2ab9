// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: shared_mutex.h
// -----------------------------------------------------------------------------
//
// weft::SharedMutex is a reader-writer lock with std::shared_mutex's member
// names (works with std::shared_lock and std::unique_lock): many threads may
// hold it shared, or one exclusively.
//
//   weft::SharedMutex table_lock{"table"};
//   { std::shared_lock reader(table_lock); lookup(); }
//   { std::unique_lock writer(table_lock); insert(); }
//
// Real runtime: a std::shared_mutex. Under simulation: every member is a
// scheduling point; an exclusive lock waits until there is no holder at all, a
// shared lock until there is no exclusive holder (no writer preference, so
// every order the OS could produce is explorable).
//
// Thread-safe.

#ifndef WEFT_SHARED_MUTEX_H_
#define WEFT_SHARED_MUTEX_H_

#include <shared_mutex>
#include <source_location>

#include "weft/internal/backend.h"
#include "weft/internal/located_lock.h"
#include "weft/internal/sim_object.h"

namespace weft {

class SharedMutex {
 public:
  explicit SharedMutex(const char* name = nullptr,
                       std::source_location created = std::source_location::current())
      : sim_(internal::ObjectKind::kSharedMutex, name, created) {}
  ~SharedMutex() {
    if (internal::Backend* backend = internal::active_backend()) backend->object_destroyed(sim_);
  }
  SharedMutex(const SharedMutex&) = delete;
  SharedMutex& operator=(const SharedMutex&) = delete;

  // SharedMutex::lock() / try_lock() / unlock(): the exclusive (writer) side.
  void lock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_lock(sim_, where);
    } else {
      os_.lock();
    }
  }
  bool try_lock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      return backend->mutex_try_lock(sim_, where);
    }
    return os_.try_lock();
  }
  void unlock(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_unlock(sim_, where);
    } else {
      os_.unlock();
    }
  }

  // SharedMutex::lock_shared() / try_lock_shared() / unlock_shared(): the
  // shared (reader) side.
  void lock_shared(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_lock_shared(sim_, where);
    } else {
      os_.lock_shared();
    }
  }
  bool try_lock_shared(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      return backend->mutex_try_lock_shared(sim_, where);
    }
    return os_.try_lock_shared();
  }
  void unlock_shared(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->mutex_unlock_shared(sim_, where);
    } else {
      os_.unlock_shared();
    }
  }

 private:
  std::shared_mutex os_;
  internal::SimObject sim_;
};

}  // namespace weft

// The standard guards over weft::SharedMutex report the user's line (see
// located_lock.h); std::shared_lock takes it shared.
WEFT_INTERNAL_LOCATED_STD_LOCKS(weft::SharedMutex);
template <>
class std::shared_lock<weft::SharedMutex>
    : public ::weft::internal::LocatedLock<weft::SharedMutex, true> {
 public:
  using LocatedLock::LocatedLock;
};

#endif  // WEFT_SHARED_MUTEX_H_
