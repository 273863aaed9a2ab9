// Copyright 2026 The weft Authors.
//
// BareFibers: the simulator's mechanism with nothing on top, the floor under
// every simulator figure. It uses the same weft::sim::Fiber (the same
// hand-written switch in sim/fiber/context_switch_x86_64.S, the same
// out-of-line Fiber::switch_to, the same stack size) that sim::Scheduler uses
// for each simulated thread, but no scheduler, strategy or bookkeeping:
//
//  * switches(n): n one-way switches, the driver and one fiber ping-ponging
//    (n / 2 round trips);
//  * creations(n): n times prepare() a fiber, switch into it, and let its
//    entry function exit_to() the driver at once: what starting and finishing
//    a simulated thread costs at least.
//
// Not thread-safe: use one BareFibers per OS thread.

#ifndef WEFT_BENCH_BARE_FIBERS_H_
#define WEFT_BENCH_BARE_FIBERS_H_

#include <cstdint>

#include "bench/bench_summary.h"
#include "sim/fiber/fiber.h"
#include "sim/limits.h"

namespace weft::bench {

class BareFibers {
 public:
  BareFibers() : partner_(sim::kFiberStackBytes), fresh_(sim::kFiberStackBytes) {
    partner_.prepare(&BareFibers::partner_entry, this);
    // Enter once so the partner's first-switch path is out of the way, and
    // touch the fresh fiber's stack so later creations see warm pages.
    sim::Fiber::switch_to(driver_, partner_);
    creations(16);
  }
  ~BareFibers() {
    stop_ = true;
    sim::Fiber::switch_to(driver_, partner_);  // The partner exits to us.
  }
  BareFibers(const BareFibers&) = delete;
  BareFibers& operator=(const BareFibers&) = delete;

  // BareFibers::switches()
  //
  // Performs `count` one-way switches (rounded up to an even number).
  void switches(uint64_t count) {
    for (uint64_t round = 0; round < (count + 1) / 2; ++round) {
      sim::Fiber::switch_to(driver_, partner_);
    }
  }

  // BareFibers::creations()
  //
  // Prepares a fiber, enters it and lets it exit, `count` times.
  void creations(uint64_t count) {
    for (uint64_t index = 0; index < count; ++index) {
      fresh_.prepare(&BareFibers::exit_at_once_entry, this);
      sim::Fiber::switch_to(driver_, fresh_);
    }
  }

  // Nanoseconds per one-way switch, timed over `count` switches.
  double ns_per_switch(uint64_t count) {
    count = count < 2 ? 2 : count;
    const double started = now_ns();
    switches(count);
    return (now_ns() - started) / static_cast<double>((count + 1) / 2 * 2);
  }

  // Nanoseconds per creation (prepare + first switch in + exit), over `count`.
  double ns_per_creation(uint64_t count) {
    count = count < 1 ? 1 : count;
    const double started = now_ns();
    creations(count);
    return (now_ns() - started) / static_cast<double>(count);
  }

 private:
  static void partner_entry(void* argument) {
    sim::Fiber::on_entry();
    auto* self = static_cast<BareFibers*>(argument);
    while (!self->stop_) sim::Fiber::switch_to(self->partner_, self->driver_);
    sim::Fiber::exit_to(self->partner_, self->driver_);
  }
  static void exit_at_once_entry(void* argument) {
    sim::Fiber::on_entry();
    auto* self = static_cast<BareFibers*>(argument);
    sim::Fiber::exit_to(self->fresh_, self->driver_);
  }

  sim::Fiber driver_;
  sim::Fiber partner_;
  sim::Fiber fresh_;
  // Read by the partner after each switch back; volatile so that the loop
  // re-reads it (the switch is an opaque call, but say so explicitly).
  volatile bool stop_ = false;
};

}  // namespace weft::bench

#endif  // WEFT_BENCH_BARE_FIBERS_H_
