// Copyright 2026 The weft Authors.
//
// weft::net::Faults: how the simulated network misbehaves. A workload sets
// them itself (weft::net::set_faults, in weft/net.h), so the replay of a
// token sees the same network as the execution it came from.

#ifndef WEFT_NET_FAULTS_H_
#define WEFT_NET_FAULTS_H_

#include <chrono>

#include "weft/clock.h"

namespace weft::net {

struct Faults {
  // Each segment and datagram takes a latency drawn uniformly from
  // [latency_min, latency_max] (virtual time).
  Clock::duration latency_min = std::chrono::microseconds(100);
  Clock::duration latency_max = std::chrono::milliseconds(1);
  // Probabilities, per datagram, that it is lost, or delivered twice.
  double drop = 0.0;
  double duplicate = 0.0;
  // The explorer partitions random pairs of hosts and heals them at random
  // sends (about one send in 32), as FoundationDB's BUGGIFY does.
  bool buggify = false;
};

}  // namespace weft::net

#endif  // WEFT_NET_FAULTS_H_
