// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: net.h
// -----------------------------------------------------------------------------
//
// weft::net: stream and datagram sockets between threads and processes, on
// named addresses "host:port" (any host name, any port number).
//
//   // a server process
//   weft::net::Listener listener = weft::net::Listener::listen("kv:7000").value();
//   weft::net::Stream client = listener.accept().value();
//   std::string request = client.receive_some().value();
//
//   // a client process
//   weft::net::Stream server = weft::net::connect("kv:7000").value();
//   server.send("get x").IgnoreError();
//
//   // datagrams: fire and forget; may be lost, duplicated or reordered
//   weft::net::DatagramSocket socket = weft::net::DatagramSocket::bind("a:1").value();
//   socket.send_to("b:1", "ping").IgnoreError();
//   absl::StatusOr<weft::net::Datagram> reply = socket.receive_for(std::chrono::seconds(1));
//
// Real runtime: Unix domain sockets in the abstract namespace, named after
// the address and the test process (so parallel tests never collide and no
// traffic leaves the machine); streams are SOCK_STREAM, datagrams
// SOCK_DGRAM. Send never raises SIGPIPE.
//
// Simulated runtime: a network inside the simulator. Every segment and
// datagram takes a latency drawn from the execution's seed (weft::set_faults);
// datagrams may be dropped or duplicated, and so reordered;
// partition() cuts hosts apart until heal(). A stream across a partition
// holds its bytes until the heal (TCP retransmits); a datagram is lost. When
// a process dies, its streams' peers see a connection reset. The host of a
// socket is the host part of its address; a stream opened by connect() is on
// its process's host (ProcessOptions::name; "main" for the workload).
//
// Errors (absl::Status): kUnavailable for refused, reset or unreachable
// connections and broken streams; kDeadlineExceeded when a receive_for
// times out; kAlreadyExists for an address in use; kInvalidArgument for a
// malformed address or a datagram over kDatagramMax bytes.
//
// Tasks (weft/task.h) use the async_ forms, which suspend the task, not
// its loop's thread:
//
//   weft::Task<void> serve(weft::net::Listener& listener) {
//     weft::net::Stream client = (co_await listener.async_accept()).value();
//     std::string request = (co_await client.async_receive_some()).value();
//     (co_await client.async_send("ok")).IgnoreError();
//   }
//
// Objects are move-only and close when destroyed; like pipe ends, a child
// process gets the sockets its function captured (weft/process.h).

#ifndef WEFT_NET_H_
#define WEFT_NET_H_

#include <cstddef>
#include <initializer_list>
#include <source_location>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "weft/clock.h"
#include "weft/faults.h"
#include "weft/internal/descriptor.h"
#include "weft/task.h"

namespace weft::net {

inline constexpr size_t kDatagramMax = 65'000;

class Stream {
 public:
  Stream() = default;
  Stream(internal::Descriptor descriptor, std::string peer)
      : descriptor_(std::move(descriptor)), peer_(std::move(peer)) {}

  // Sends all of `data`. kUnavailable if the connection is reset or the
  // peer has closed it.
  absl::Status send(std::string_view data,
                    std::source_location where = std::source_location::current());
  // Receives up to buffer.size() bytes, blocking until one is there; 0 is
  // EOF (the peer closed its end).
  absl::StatusOr<size_t> receive(std::span<std::byte> buffer,
                                 std::source_location where = std::source_location::current());
  // The same, giving up with kDeadlineExceeded after `timeout`.
  absl::StatusOr<size_t> receive_for(std::span<std::byte> buffer, Clock::duration timeout,
                                     std::source_location where = std::source_location::current());
  // Fills `buffer`; kOutOfRange if EOF comes first.
  absl::Status receive_exact(std::span<std::byte> buffer,
                             std::source_location where = std::source_location::current());
  // Whatever is there, up to `max` bytes ("" at EOF).
  absl::StatusOr<std::string> receive_some(
      size_t max = 4096, std::source_location where = std::source_location::current());

  // Stream::async_send(), Stream::async_receive_some()
  //
  // send() and receive_some() for a task: they wait for room or for bytes
  // (or EOF, or a reset) with the task suspended, not its loop's thread
  // (real runtime: the loop's epoll; simulated: the network wakes the task,
  // and what is on its way wakes it when it arrives). Cancellable.
  Task<absl::Status> async_send(std::string_view data,
                                std::source_location where = std::source_location::current());
  Task<absl::StatusOr<std::string>> async_receive_some(
      size_t max = 4096, std::source_location where = std::source_location::current());

  void close(std::source_location where = std::source_location::current()) {
    descriptor_.close(where);
  }
  bool is_open() const { return descriptor_.is_open(); }
  // The address connected to (connect), or "" for an accepted stream.
  const std::string& peer() const { return peer_; }

 private:
  absl::StatusOr<size_t> receive_until(std::span<std::byte> buffer, internal::Deadline deadline,
                                       std::source_location where);

  internal::Descriptor descriptor_;
  std::string peer_;
};

class Listener {
 public:
  Listener() = default;

  // Listens on `address` ("host:port").
  static absl::StatusOr<Listener> listen(
      std::string_view address, std::source_location where = std::source_location::current());

  // Blocks until a client connects.
  absl::StatusOr<Stream> accept(std::source_location where = std::source_location::current());
  // accept() for a task: suspends the task, not its loop's thread.
  Task<absl::StatusOr<Stream>> async_accept(
      std::source_location where = std::source_location::current());

  void close(std::source_location where = std::source_location::current()) {
    descriptor_.close(where);
  }
  bool is_open() const { return descriptor_.is_open(); }
  const std::string& address() const { return address_; }

 private:
  Listener(internal::Descriptor descriptor, std::string address)
      : descriptor_(std::move(descriptor)), address_(std::move(address)) {}

  internal::Descriptor descriptor_;
  std::string address_;
};

// Connects to a Listener on `address`. kUnavailable if nobody listens there
// or a partition is in the way.
absl::StatusOr<Stream> connect(std::string_view address,
                               std::source_location where = std::source_location::current());

struct Datagram {
  std::string from;  // The sender's bound address.
  std::string payload;
};

class DatagramSocket {
 public:
  DatagramSocket() = default;

  // A socket that receives datagrams sent to `address`.
  static absl::StatusOr<DatagramSocket> bind(
      std::string_view address, std::source_location where = std::source_location::current());

  // Sends one datagram. OK does not mean it arrives (nobody may be bound
  // there, the network may lose it): protocols that need it must retry.
  absl::Status send_to(std::string_view address, std::string_view payload,
                       std::source_location where = std::source_location::current());
  // Blocks until a datagram arrives.
  absl::StatusOr<Datagram> receive(std::source_location where = std::source_location::current());
  // receive() for a task: suspends the task, not its loop's thread.
  Task<absl::StatusOr<Datagram>> async_receive(
      std::source_location where = std::source_location::current());
  // The same, giving up with kDeadlineExceeded after `timeout`.
  absl::StatusOr<Datagram> receive_for(
      Clock::duration timeout, std::source_location where = std::source_location::current());

  void close(std::source_location where = std::source_location::current()) {
    descriptor_.close(where);
  }
  bool is_open() const { return descriptor_.is_open(); }
  const std::string& address() const { return address_; }

 private:
  DatagramSocket(internal::Descriptor descriptor, std::string address)
      : descriptor_(std::move(descriptor)), address_(std::move(address)) {}
  absl::StatusOr<Datagram> receive_until(internal::Deadline deadline, std::source_location where);

  internal::Descriptor descriptor_;
  std::string address_;
};

// ---- faults (the simulated network only) ------------------------------------
//
// A fault plan is ordinary workload code, e.g. a "nemesis" thread:
//
//   weft::sleep_for(50ms);
//   weft::net::partition({"a"}, {"b", "c"});
//   weft::sleep_for(200ms);
//   weft::net::heal();
//
// On the real runtime these do nothing and return false (loopback cannot be
// partitioned without privileges); under simulation they return true.

// Cuts every host in `side_a` off from every host in `side_b` (both ways).
bool partition(std::initializer_list<std::string_view> side_a,
               std::initializer_list<std::string_view> side_b,
               std::source_location where = std::source_location::current());
// Removes every partition; held stream bytes go on their way.
bool heal(std::source_location where = std::source_location::current());

}  // namespace weft::net

#endif  // WEFT_NET_H_
