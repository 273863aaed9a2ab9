// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: faults.h
// -----------------------------------------------------------------------------
//
// weft::Faults: how the simulated world misbehaves -- the network's latency,
// loss, duplication and random partitions, and crashes of processes spawned
// with ProcessOptions::crashes. A workload sets them itself, first thing:
//
//   weft::set_faults({.drop = 0.1, .buggify = true, .crash = 0.001});
//
// so that the replay of a token meets the same faults as the execution it
// came from (every fault is drawn from the execution's seed). On the real
// runtime set_faults does nothing and returns false.

#ifndef WEFT_FAULTS_H_
#define WEFT_FAULTS_H_

#include <chrono>
#include <source_location>

#include "weft/clock.h"

namespace weft {

struct Faults {
  // Each stream segment and datagram takes a latency drawn uniformly from
  // [latency_min, latency_max] (virtual time).
  Clock::duration latency_min = std::chrono::microseconds(100);
  Clock::duration latency_max = std::chrono::milliseconds(1);
  // Probabilities, per datagram, that it is lost, or delivered twice.
  double drop = 0.0;
  double duplicate = 0.0;
  // The explorer partitions random pairs of hosts and heals them at random
  // sends (about one send in 32), as FoundationDB's BUGGIFY does.
  bool buggify = false;
  // The probability, at each scheduling decision, that the explorer kills one
  // running process spawned with ProcessOptions::crashes (which restarts
  // ProcessOptions::restart_delay later, as a new process).
  double crash = 0.0;
};

// Sets the simulated world's faults from here on; returns false on the real
// runtime (where it does nothing). REQUIRES: drop, duplicate and crash in
// [0, 1], 0 <= latency_min <= latency_max (else std::invalid_argument).
bool set_faults(const Faults& faults, std::source_location where = std::source_location::current());

}  // namespace weft

#endif  // WEFT_FAULTS_H_
