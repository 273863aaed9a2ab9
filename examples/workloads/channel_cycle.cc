// Copyright 2026 The weft Authors.
//
// A task awaiting itself through a channel cycle: two replicas, east and
// west, each serve reads from one inbox, one request at a time. A client's
// read is answered with the local value plus the peer's, so the replica sends
// a lookup to the peer's inbox and awaits the reply; a peer's lookup is
// answered at once. When a client reads from each replica at the same time
// and both replicas take their client's read before the other's lookup, each
// waits for an answer that only the other can send, and the other is stuck
// in the same wait: east's read waits on west, which waits on east. No task
// holds a lock; the cycle runs through channels. The fix: each replica
// answers lookups from a queue of their own, served by a task of their own
// that never waits on the peer, so a replica busy with a read can still
// answer.

#include <optional>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr size_t kQueueCapacity = 4;

struct Request {
  bool lookup;                 // From the peer replica: answer with the local value.
  weft::Channel<int>* answer;  // Where the answer goes.
};

struct Replica {
  Replica(int local_value, const char* requests_name, const char* lookups_name,
          const char* peer_answers_name)
      : value(local_value),
        requests(kQueueCapacity, requests_name),
        lookups(kQueueCapacity, lookups_name),
        peer_answers(1, peer_answers_name) {}
  int value;
  weft::Channel<Request> requests;  // Clients' reads (and, buggy, the peer's lookups).
  weft::Channel<Request> lookups;   // The peer's lookups (fixed).
  weft::Channel<int> peer_answers;  // The peer's answers to this replica's lookups.
};

// Serves `self.requests` until it is closed. Lookups go to `peer_lookups`.
weft::Task<void> serve_requests(Replica& self, weft::Channel<Request>& peer_lookups) {
  while (std::optional<Request> request = co_await self.requests.recv()) {
    int answer = self.value;
    if (!request->lookup) {
      co_await peer_lookups.send(Request{true, &self.peer_answers});
      std::optional<int> peer_value = co_await self.peer_answers.recv();
      answer += *peer_value;
    }
    co_await request->answer->send(answer);
  }
}

// Answers `self.lookups` until it is closed (fixed: never waits on the peer).
weft::Task<void> serve_lookups(Replica& self) {
  while (std::optional<Request> request = co_await self.lookups.recv()) {
    co_await request->answer->send(self.value);
  }
}

weft::Task<int> read(Replica& replica) {
  weft::Channel<int> answer(1, "client answer");
  co_await replica.requests.send(Request{false, &answer});
  std::optional<int> value = co_await answer.recv();
  co_return *value;
}

weft::Task<void> run_replicas(bool separate_lookups) {
  Replica east(1, "east requests", "east lookups", "east peer answers");
  Replica west(2, "west requests", "west lookups", "west peer answers");
  weft::Channel<Request>& east_lookups = separate_lookups ? east.lookups : east.requests;
  weft::Channel<Request>& west_lookups = separate_lookups ? west.lookups : west.requests;
  weft::JoinHandle<void> east_server = weft::spawn(serve_requests(east, west_lookups), "east");
  weft::JoinHandle<void> west_server = weft::spawn(serve_requests(west, east_lookups), "west");
  weft::JoinHandle<void> east_lookup_server;
  weft::JoinHandle<void> west_lookup_server;
  if (separate_lookups) {
    east_lookup_server = weft::spawn(serve_lookups(east), "east lookups");
    west_lookup_server = weft::spawn(serve_lookups(west), "west lookups");
  }

  weft::JoinHandle<int> client1 = weft::spawn(read(east), "client 1");
  weft::JoinHandle<int> client2 = weft::spawn(read(west), "client 2");
  const int from_east = co_await client1.join();
  const int from_west = co_await client2.join();
  WEFT_ASSERT(from_east == 3 && from_west == 3, "a read missed the peer's value");

  east.requests.close();
  west.requests.close();
  co_await east_server.join();
  co_await west_server.join();
  if (separate_lookups) {
    east.lookups.close();
    west.lookups.close();
    co_await east_lookup_server.join();
    co_await west_lookup_server.join();
  }
}

}  // namespace

void channel_cycle_deadlock() { weft::run(run_replicas(/*separate_lookups=*/false)); }
void channel_cycle_fixed() { weft::run(run_replicas(/*separate_lookups=*/true)); }

}  // namespace weft::examples
