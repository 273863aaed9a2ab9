// Copyright 2026 The weft Authors.
//
// A primary-backup register that serves stale data after a partition heals.
// A client writes a value to the primary, then reads it back from the backup.
// The primary applies the write, forwards it to the backup once, and
// acknowledges the client at once. The network partitions random pairs of
// hosts and heals them (buggify): when the forward is sent across a cut it
// is lost, and once the cut heals the backup answers reads with the old
// value. The client retries until it is answered, so it does get through,
// to stale data. The fix: the primary acknowledges a write only after the
// backup has acknowledged it, forwarding again until it has.
//
// Every message is "<id> <body>"; an answer repeats its request's id, so a
// late answer to an earlier try is never taken for the current one.

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr auto kRetry = 20ms;
constexpr int kTries = 1000;
constexpr auto kIdle = 30s;  // A replica stops after this long without a request.

struct Caller {
  weft::net::DatagramSocket socket;
  int next_id = 0;

  // Sends `body` to `to` until the answer to it comes; returns its body.
  absl::StatusOr<std::string> call(std::string_view to, std::string_view body) {
    const std::string id = absl::StrCat(++next_id, " ");
    const std::string request = id + std::string(body);
    for (int i = 0; i < kTries; ++i) {
      (void)socket.send_to(to, request);
      absl::StatusOr<weft::net::Datagram> answer = socket.receive_for(kRetry);
      while (answer.ok() && !answer->payload.starts_with(id)) answer = socket.receive_for(kRetry);
      if (answer.ok()) return answer->payload.substr(id.size());
    }
    return absl::UnavailableError(std::string(to) + " never answered " + std::string(body));
  }
};

// Serves get/set/stop on `address`; `on_set` runs before a set is
// acknowledged (the primary forwards it there).
template <typename OnSet>
int replica(std::string_view address, OnSet on_set) {
  weft::net::DatagramSocket socket = weft::net::DatagramSocket::bind(address).value();
  std::string value = "0";
  for (;;) {
    absl::StatusOr<weft::net::Datagram> request = socket.receive_for(kIdle);
    if (!request.ok()) return 0;
    const size_t space = request->payload.find(' ');
    const std::string id = request->payload.substr(0, space + 1);
    const std::string body = request->payload.substr(space + 1);
    std::string answer = "ok";
    if (body.starts_with("set ")) {
      if (value != body.substr(4) && !on_set(body)) return 1;
      value = body.substr(4);
    } else if (body == "get") {
      answer = value;
    }
    (void)socket.send_to(request->from, id + answer);
    if (body == "stop") return 0;
  }
}

void write_then_read_backup(bool forward_synchronously) {
  weft::set_faults({.buggify = true});
  weft::Process primary = weft::Process::spawn(
      [forward_synchronously] {
        Caller to_backup{weft::net::DatagramSocket::bind("primary:2").value()};
        return replica("primary:1", [&](std::string_view set) {
          if (forward_synchronously) return to_backup.call("backup:1", set).ok();
          (void)to_backup.socket.send_to("backup:1", "0 " + std::string(set));  // Once, no ack.
          return true;
        });
      },
      {.name = "primary"});
  weft::Process backup = weft::Process::spawn(
      [] { return replica("backup:1", [](std::string_view) { return true; }); },
      {.name = "backup"});
  Caller client{weft::net::DatagramSocket::bind("main:1").value()};
  WEFT_ASSERT(client.call("primary:1", "set 1").ok(), "the write was never acknowledged");
  absl::StatusOr<std::string> read = client.call("backup:1", "get");
  WEFT_ASSERT(read.ok(), "the backup never answered");
  WEFT_ASSERT(*read == "1",
              "stale read: the backup answered " + *read + " after an acknowledged write of 1");
  (void)client.call("primary:1", "stop");
  (void)client.call("backup:1", "stop");
  primary.join();
  backup.join();
}

}  // namespace

void stale_read_buggy() { write_then_read_backup(/*forward_synchronously=*/false); }
void stale_read_fixed() { write_then_read_backup(/*forward_synchronously=*/true); }

}  // namespace weft::examples
