// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: this_thread.h
// -----------------------------------------------------------------------------
//
// Free functions for the calling thread: yield, sleep, and seeded randomness.
//
//   while (!flag.load()) weft::yield();          // a polite spin
//   weft::sleep_for(std::chrono::seconds(1));    // one virtual second
//   if (weft::random(4) == 0) inject_fault();    // replays under simulation
//
// Thread-safe.

#ifndef WEFT_THIS_THREAD_H_
#define WEFT_THIS_THREAD_H_

#include <chrono>
#include <cstdint>
#include <source_location>

#include "weft/clock.h"
#include "weft/sleep.h"

namespace weft {

// weft::yield()
//
// Lets other threads run. Under simulation: a scheduling point that tells the
// strategy the caller is waiting for someone (PCT lowers its priority), so a
// spin loop with yield() makes progress; without yield() it would be reported
// as a step-limit livelock.
void yield(std::source_location where = std::source_location::current());

// weft::sleep_until()
//
// Blocks until `deadline`; in a task, `co_await weft::sleep_until(t)` suspends
// the task instead (see sleep.h). Under simulation: virtual time; the sleeper
// wakes when everything else is blocked and its deadline is the earliest.
inline Sleep sleep_until(Clock::time_point deadline,
                         std::source_location where = std::source_location::current()) {
  return Sleep(deadline, where);
}

// weft::sleep_for()
//
// sleep_until(now() + duration).
template <typename Rep, typename Period>
Sleep sleep_for(std::chrono::duration<Rep, Period> duration,
                std::source_location where = std::source_location::current()) {
  // A zero sleep (asyncio's sleep(0), "let the others run") is due now: no
  // clock read, which is most of its cost on the real loop.
  if (duration <= duration.zero()) return Sleep(Clock::time_point::min(), where);
  return Sleep(Clock::now() + std::chrono::ceil<Clock::duration>(duration), where);
}

// weft::random()
//
// 64 random bits. Under simulation they come from the execution's seed, so a
// failure that depends on them replays; on the real runtime, from a per-thread
// generator seeded by the OS.
uint64_t random();

// A uniform number in [0, bound). REQUIRES: 0 < bound <= 2^32.
uint32_t random(uint64_t bound);

}  // namespace weft

#endif  // WEFT_THIS_THREAD_H_
