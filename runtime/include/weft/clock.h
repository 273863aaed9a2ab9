// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: clock.h
// -----------------------------------------------------------------------------
//
// weft::Clock is the one clock a workload reads. On the real runtime it is the
// steady clock; under simulation it is virtual time, which starts at zero for
// every execution and advances only when every unfinished thread is blocked and
// at least one of them waits for a deadline (sleep_for, a timed wait).
//
//   auto start = weft::now();
//   weft::sleep_for(std::chrono::milliseconds(5));
//   auto waited = weft::now() - start;   // exactly 5ms under simulation
//
// Thread-safe.

#ifndef WEFT_CLOCK_H_
#define WEFT_CLOCK_H_

#include <chrono>

namespace weft {

// weft::Clock
//
// Meets the C++ Clock requirements, so `std::chrono` arithmetic works on its
// time points. `Clock::now()` is the same as `weft::now()`.
struct Clock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<Clock, duration>;
  static constexpr bool is_steady = true;

  // Under simulation: the execution's virtual time. Not a scheduling point.
  static time_point now();
};

// weft::now()
//
// Shorthand for `weft::Clock::now()`.
inline Clock::time_point now() { return Clock::now(); }

}  // namespace weft

#endif  // WEFT_CLOCK_H_
