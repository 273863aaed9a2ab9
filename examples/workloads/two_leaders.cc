// Copyright 2026 The weft Authors.
//
// A leader election that elects two leaders under a partition. Three nodes,
// n1 < n2 < n3, each announce themselves to the others for a while; a node
// that has heard from no higher node declares itself leader (the bully rule,
// without a quorum). The network partitions random pairs of hosts (buggify):
// when n2 and n3 are cut apart, n2 never hears n3, and both declare
// themselves leader of the same term. The fix: a node that has heard from
// no higher node only stands as a candidate, and becomes leader only with
// the votes of a majority (itself and one more); a node votes once per term,
// for the highest node it has heard from, so two majorities cannot both say
// yes. Each node tells the parent through a pipe whether it leads.

#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr int kNodes = 3;
constexpr int kRounds = 4;
constexpr auto kRound = 10ms;

std::string address(int node) { return absl::StrCat("n", node, ":1"); }

// Node `self` runs one term; returns whether it leads.
bool elect(int self, bool quorum) {
  weft::net::DatagramSocket socket = weft::net::DatagramSocket::bind(address(self)).value();
  int highest_heard = self;  // Including itself.
  int voted_for = 0;
  int votes = 0;
  bool candidate = false;
  auto handle = [&](const weft::net::Datagram& message) {
    int from = 0;
    if (!absl::SimpleAtoi(absl::string_view(message.payload).substr(2), &from)) return;
    if (message.payload.starts_with("a ")) {  // alive
      highest_heard = std::max(highest_heard, from);
    } else if (message.payload.starts_with("v ")) {  // vote request
      highest_heard = std::max(highest_heard, from);
      if (voted_for == 0 && from == highest_heard) {
        voted_for = from;
        (void)socket.send_to(message.from, absl::StrCat("y ", self));
      }
    } else if (message.payload.starts_with("y ") && candidate) {  // vote granted
      ++votes;
    }
  };
  auto listen_for = [&](weft::Clock::duration span) {
    const weft::Clock::time_point until = weft::now() + span;
    for (weft::Clock::time_point at = weft::now(); at < until; at = weft::now()) {
      absl::StatusOr<weft::net::Datagram> message = socket.receive_for(until - at);
      if (message.ok()) handle(*message);
    }
  };
  for (int round = 0; round < kRounds; ++round) {
    for (int other = 1; other <= kNodes; ++other) {
      if (other != self) (void)socket.send_to(address(other), absl::StrCat("a ", self));
    }
    listen_for(kRound);
  }
  if (highest_heard != self) return false;
  if (!quorum) return true;
  candidate = true;
  voted_for = self;
  votes = 1;
  for (int round = 0; round < kRounds && votes <= kNodes / 2; ++round) {
    for (int other = 1; other <= kNodes; ++other) {
      if (other != self) (void)socket.send_to(address(other), absl::StrCat("v ", self));
    }
    listen_for(kRound);
  }
  return votes > kNodes / 2;
}

void elect_leaders(bool quorum) {
  weft::set_faults({.buggify = true});
  std::vector<weft::Process> nodes;
  std::vector<weft::PipeReader> reports;
  for (int node = 1; node <= kNodes; ++node) {
    weft::Pipe pipe = weft::Pipe::create();
    nodes.push_back(weft::Process::spawn(
        [node, quorum, report = std::move(pipe.writer)]() mutable {
          return report.write(elect(node, quorum) ? "L" : "F").ok() ? 0 : 1;
        },
        {.name = absl::StrCat("n", node)}));
    reports.push_back(std::move(pipe.reader));
  }
  int leader_count = 0;
  std::string leaders;
  for (int node = 1; node <= kNodes; ++node) {
    if (reports[node - 1].read_all().value_or("") != "L") continue;
    ++leader_count;
    absl::StrAppend(&leaders, " n", node);
  }
  for (weft::Process& node : nodes) node.join();
  WEFT_ASSERT(leader_count <= 1, "two leaders in one term:" + leaders);
}

}  // namespace

void two_leaders_buggy() { elect_leaders(/*quorum=*/false); }
void two_leaders_fixed() { elect_leaders(/*quorum=*/true); }

}  // namespace weft::examples
