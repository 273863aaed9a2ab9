// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: cond_var.h
// -----------------------------------------------------------------------------
//
// weft::CondVar is a condition variable for weft::Mutex with
// std::condition_variable's member names.
//
//   weft::Mutex m;
//   weft::CondVar ready_changed;
//   bool ready = false;
//   // waiter:
//   std::unique_lock lock(m);
//   ready_changed.wait(lock, [&] { return ready; });
//   // notifier:
//   { std::scoped_lock guard(m); ready = true; }
//   ready_changed.notify_one();
//
// Real runtime: a std::condition_variable. Under simulation: wait releases the
// mutex, blocks until notified, then reacquires it; a notification with no
// waiter is lost (so a wait without a predicate after the notify is a lost
// wake-up, reported as a deadlock); notify_one wakes the longest waiter. Timed
// waits time out in virtual time, when nothing else can run. wait, notify_one
// and notify_all are scheduling points.
//
// Thread-safe.

#ifndef WEFT_COND_VAR_H_
#define WEFT_COND_VAR_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <source_location>

#include "weft/clock.h"
#include "weft/internal/backend.h"
#include "weft/internal/sim_object.h"
#include "weft/mutex.h"

namespace weft {

class CondVar {
 public:
  explicit CondVar(const char* name = nullptr,
                   std::source_location created = std::source_location::current())
      : sim_(internal::ObjectKind::kCondVar, name, created) {}
  ~CondVar() {
    if (internal::Backend* backend = internal::active_backend()) backend->object_destroyed(sim_);
  }
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // CondVar::wait()
  //
  // Atomically releases `lock`'s mutex and blocks until notified, then
  // reacquires it. May wake spuriously on the real runtime; prefer the
  // predicate form. REQUIRES: `lock` owns its mutex.
  void wait(std::unique_lock<Mutex>& lock,
            std::source_location where = std::source_location::current()) {
    wait_impl(lock, std::nullopt, where);
  }

  // Waits until `stop_waiting()` is true; checks it before the first wait.
  template <typename Predicate>
  void wait(std::unique_lock<Mutex>& lock, Predicate stop_waiting,
            std::source_location where = std::source_location::current()) {
    while (!stop_waiting()) wait_impl(lock, std::nullopt, where);
  }

  // CondVar::wait_until()
  //
  // As wait(), but gives up at `deadline`; returns std::cv_status::timeout if
  // it did.
  std::cv_status wait_until(std::unique_lock<Mutex>& lock, Clock::time_point deadline,
                            std::source_location where = std::source_location::current()) {
    return wait_impl(lock, deadline, where) ? std::cv_status::no_timeout : std::cv_status::timeout;
  }

  // Returns stop_waiting() as of the last check (false only on timeout).
  template <typename Predicate>
  bool wait_until(std::unique_lock<Mutex>& lock, Clock::time_point deadline, Predicate stop_waiting,
                  std::source_location where = std::source_location::current()) {
    while (!stop_waiting()) {
      if (!wait_impl(lock, deadline, where)) return stop_waiting();
    }
    return true;
  }

  // CondVar::wait_for()
  //
  // wait_until(now() + timeout).
  template <typename Rep, typename Period>
  std::cv_status wait_for(std::unique_lock<Mutex>& lock, std::chrono::duration<Rep, Period> timeout,
                          std::source_location where = std::source_location::current()) {
    return wait_until(lock, deadline_after(timeout), where);
  }
  template <typename Rep, typename Period, typename Predicate>
  bool wait_for(std::unique_lock<Mutex>& lock, std::chrono::duration<Rep, Period> timeout,
                Predicate stop_waiting,
                std::source_location where = std::source_location::current()) {
    return wait_until(lock, deadline_after(timeout), std::move(stop_waiting), where);
  }

  // CondVar::notify_one() / notify_all()
  //
  // Wakes one waiter / all waiters. Need not hold the mutex.
  void notify_one(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->condvar_notify(sim_, /*all=*/false, where);
    } else {
      os_.notify_one();
    }
  }
  void notify_all(std::source_location where = std::source_location::current()) {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->condvar_notify(sim_, /*all=*/true, where);
    } else {
      os_.notify_all();
    }
  }

 private:
  template <typename Rep, typename Period>
  static Clock::time_point deadline_after(std::chrono::duration<Rep, Period> timeout) {
    return Clock::now() + std::chrono::ceil<Clock::duration>(timeout);
  }

  // Returns false if `deadline` passed before a notification.
  bool wait_impl(std::unique_lock<Mutex>& lock, internal::Deadline deadline,
                 std::source_location where);

  std::condition_variable os_;
  internal::SimObject sim_;
};

}  // namespace weft

#endif  // WEFT_COND_VAR_H_
