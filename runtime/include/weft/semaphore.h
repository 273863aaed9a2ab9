// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: semaphore.h
// -----------------------------------------------------------------------------
//
// weft::Semaphore is a counting semaphore (std::counting_semaphore's member
// names): acquire() waits for a positive count and takes one; release(n) adds n.
//
//   weft::Semaphore slots(4, "slots");   // at most four at once
//   slots.acquire();
//   use_slot();
//   slots.release();
//
// Real runtime: a std::counting_semaphore. Under simulation: acquire,
// try_acquire* and release are scheduling points; release wakes every waiter
// and the scheduler decides who takes the count. Timed acquires time out in
// virtual time.
//
// Thread-safe. release() synchronizes with the acquire() that takes its count.

#ifndef WEFT_SEMAPHORE_H_
#define WEFT_SEMAPHORE_H_

#include <chrono>
#include <cstdint>
#include <semaphore>
#include <source_location>

#include "weft/clock.h"
#include "weft/internal/backend.h"
#include "weft/internal/sim_object.h"

namespace weft {

class Semaphore {
 public:
  // REQUIRES: 0 <= initial.
  explicit Semaphore(int64_t initial, const char* name = nullptr,
                     std::source_location created = std::source_location::current())
      : os_(static_cast<std::ptrdiff_t>(initial)),
        initial_(initial),
        sim_(internal::ObjectKind::kSemaphore, name, created) {}
  ~Semaphore() {
    if (internal::Backend* backend = internal::active_backend()) backend->object_destroyed(sim_);
  }
  Semaphore(const Semaphore&) = delete;
  Semaphore& operator=(const Semaphore&) = delete;

  // Semaphore::acquire()
  //
  // Blocks until the count is positive, then decrements it.
  void acquire(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->semaphore_acquire(sim_, initial_, std::nullopt, where);
    } else {
      os_.acquire();
    }
  }

  // Semaphore::try_acquire()
  //
  // Decrements the count if it is positive, without blocking.
  bool try_acquire(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      return backend->semaphore_acquire(sim_, initial_, backend->now(), where);
    }
    return os_.try_acquire();
  }

  // Semaphore::try_acquire_until() / try_acquire_for()
  //
  // As acquire(), but gives up at the deadline; returns whether it acquired.
  bool try_acquire_until(Clock::time_point deadline,
                         std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      return backend->semaphore_acquire(sim_, initial_, deadline, where);
    }
    return os_.try_acquire_until(std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            deadline.time_since_epoch())));
  }
  template <typename Rep, typename Period>
  bool try_acquire_for(std::chrono::duration<Rep, Period> timeout,
                       std::source_location where = std::source_location::current()) {
    return try_acquire_until(Clock::now() + std::chrono::ceil<Clock::duration>(timeout), where);
  }

  // Semaphore::release()
  //
  // Adds `update` to the count. REQUIRES: update >= 0.
  void release(int64_t update = 1, std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->semaphore_release(sim_, initial_, update, where);
    } else {
      os_.release(static_cast<std::ptrdiff_t>(update));
    }
  }

 private:
  std::counting_semaphore<> os_;
  const int64_t initial_;
  internal::SimObject sim_;
};

}  // namespace weft

#endif  // WEFT_SEMAPHORE_H_
