// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: atomic.h
// -----------------------------------------------------------------------------
//
// weft::Atomic<T> is std::atomic<T> with a scheduling point before every
// operation, so the simulator can interleave threads between a load and a
// store (the lost update) or between two loads (the check-then-act).
//
//   weft::Atomic<int> hits{0, "hits"};
//   hits.fetch_add(1);              // one indivisible step
//   int seen = hits.load();         // a separate step: another thread may
//   hits.store(seen + 1);           // run in between, and weft will try that
//
// Real runtime: the std::atomic<T> inside, with the memory order given.
// Under simulation: every operation is sequentially consistent for now (the
// memory_order argument is accepted and ignored), and is one scheduling point.
// Operators (++, +=, conversion) are there for convenience; reports locate them
// inside this header, so prefer the named members in code you want located.
//
// Thread-safe.

#ifndef WEFT_ATOMIC_H_
#define WEFT_ATOMIC_H_

#include <atomic>
#include <source_location>
#include <type_traits>

#include "weft/internal/backend.h"
#include "weft/internal/sim_object.h"

namespace weft {

template <typename T>
class Atomic {
  static_assert(std::is_trivially_copyable_v<T>, "weft::Atomic<T> needs a trivially copyable T");

 public:
  using Location = std::source_location;
  static constexpr std::memory_order kSeqCst = std::memory_order_seq_cst;

  explicit Atomic(T initial = T(), const char* name = nullptr,
                  Location created = Location::current())
      : value_(initial), sim_(internal::ObjectKind::kAtomic, name, created) {}
  ~Atomic() {
    if (internal::Backend* backend = internal::active_backend()) backend->object_destroyed(sim_);
  }
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T load(std::memory_order order = kSeqCst, Location where = Location::current()) const {
    return access(internal::AccessKind::kLoad, where, [&] { return value_.load(order); });
  }
  void store(T desired, std::memory_order order = kSeqCst, Location where = Location::current()) {
    access(internal::AccessKind::kStore, where, [&] { value_.store(desired, order); });
  }
  T exchange(T desired, std::memory_order order = kSeqCst, Location where = Location::current()) {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.exchange(desired, order); });
  }
  bool compare_exchange_strong(T& expected, T desired, std::memory_order order = kSeqCst,
                               Location where = Location::current()) {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.compare_exchange_strong(expected, desired, order); });
  }
  // Under simulation, never fails spuriously.
  bool compare_exchange_weak(T& expected, T desired, std::memory_order order = kSeqCst,
                             Location where = Location::current()) {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.compare_exchange_weak(expected, desired, order); });
  }

  T fetch_add(T arg, std::memory_order order = kSeqCst,
              Location where = Location::current()) requires std::is_integral_v<T> {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.fetch_add(arg, order); });
  }
  T fetch_sub(T arg, std::memory_order order = kSeqCst,
              Location where = Location::current()) requires std::is_integral_v<T> {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.fetch_sub(arg, order); });
  }
  T fetch_and(T arg, std::memory_order order = kSeqCst,
              Location where = Location::current()) requires std::is_integral_v<T> {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.fetch_and(arg, order); });
  }
  T fetch_or(T arg, std::memory_order order = kSeqCst,
             Location where = Location::current()) requires std::is_integral_v<T> {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.fetch_or(arg, order); });
  }
  T fetch_xor(T arg, std::memory_order order = kSeqCst,
              Location where = Location::current()) requires std::is_integral_v<T> {
    return access(internal::AccessKind::kReadModifyWrite, where,
                  [&] { return value_.fetch_xor(arg, order); });
  }

  operator T() const { return load(); }  // NOLINT(google-explicit-constructor)
  T operator=(T desired) {
    store(desired);
    return desired;
  }
  T operator++() requires std::is_integral_v<T> { return fetch_add(1) + 1; }
  T operator++(int) requires std::is_integral_v<T> { return fetch_add(1); }
  T operator--() requires std::is_integral_v<T> { return fetch_sub(1) - 1; }
  T operator--(int) requires std::is_integral_v<T> { return fetch_sub(1); }
  T operator+=(T arg) requires std::is_integral_v<T> { return fetch_add(arg) + arg; }
  T operator-=(T arg) requires std::is_integral_v<T> { return fetch_sub(arg) - arg; }

 private:
  // The one place that turns an operation into a scheduling point.
  template <typename Operation>
  decltype(auto) access(internal::AccessKind kind, Location where, Operation&& operation) const {
    if (internal::Backend* backend = internal::active_backend()) [[unlikely]] {
      backend->atomic_access(sim_, kind, where);
    }
    return operation();
  }

  std::atomic<T> value_;
  internal::SimObject sim_;
};

}  // namespace weft

#endif  // WEFT_ATOMIC_H_
