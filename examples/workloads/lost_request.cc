// Copyright 2026 The weft Authors.
//
// A request/response protocol over datagrams that never retries: a client
// sends one request to a server process and waits for the response. The
// network loses one datagram in five; when it loses the request or the
// response, the client waits forever (a deadlock: nothing is on its way to
// its socket). The fix: wait with a timeout and send the request again; the
// server answers every copy, and the client takes the first answer.

#include <chrono>
#include <string>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

using namespace std::chrono_literals;

constexpr double kLoss = 0.2;
constexpr int kAttempts = 20;

// Answers "get" with "value=42" and "bye" with "bye", and stops after a
// "bye" (or, should every "bye" be lost, after a second of silence).
int serve() {
  weft::net::DatagramSocket socket = weft::net::DatagramSocket::bind("server:1").value();
  for (;;) {
    absl::StatusOr<weft::net::Datagram> request = socket.receive_for(1s);
    if (!request.ok()) return 0;
    const bool bye = request->payload == "bye";
    (void)socket.send_to(request->from, bye ? "bye" : "value=42");
    if (bye) return 0;
  }
}

void request_response(bool retry) {
  weft::set_faults({.drop = kLoss});
  weft::Process server = weft::Process::spawn(serve, {.name = "server"});
  weft::Process client = weft::Process::spawn(
      [retry] {
        weft::net::DatagramSocket socket = weft::net::DatagramSocket::bind("client:1").value();
        int code = 2;
        for (int attempt = 0; attempt < kAttempts; ++attempt) {
          (void)socket.send_to("server:1", "get");
          absl::StatusOr<weft::net::Datagram> response =
              retry ? socket.receive_for(50ms) : socket.receive();
          if (response.ok()) {
            code = response->payload == "value=42" ? 0 : 1;
            break;
          }
        }
        // Best effort: the server also stops after a second of silence.
        for (int attempt = 0; attempt < kAttempts; ++attempt) {
          (void)socket.send_to("server:1", "bye");
          absl::StatusOr<weft::net::Datagram> response = socket.receive_for(50ms);
          if (response.ok() && response->payload == "bye") break;
        }
        return code;
      },
      {.name = "client"});
  client.join();
  server.join();
}

}  // namespace

void lost_request_buggy() { request_response(/*retry=*/false); }
void lost_request_fixed() { request_response(/*retry=*/true); }

}  // namespace weft::examples
