// Copyright 2026 The weft Authors.
//
// Goal: weft::net keeps one contract on both runtimes -- streams carry bytes
// in order and end with EOF, datagrams arrive with their sender's address,
// timeouts expire, bad addresses and refused connections are error values --
// and, under simulation, the network's faults (latency, loss, duplication,
// partitions, buggify) happen as configured and replay from the token.
// Method: workloads that check themselves with WEFT_ASSERT run explored and on
// real processes with real (Unix domain) sockets; the fault tests are
// simulator-only and measure what arrived.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <span>
#include <string>

#include "tests/common/go_signal.h"
#include "tests/common/open_fds.h"
#include "tests/common/run_both.h"
#include "weft/weft.h"

namespace weft {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using testing::explore_with;
using testing::run_real_times;

constexpr uint64_t kSimIterations = 200;
constexpr int kRealRepeats = 5;

// A client process connects, sends a request, reads the echo until EOF.
void stream_echo() {
  net::Listener listener = net::Listener::listen("echo:7000").value();
  Process client = Process::spawn(
      [] {
        net::Stream server = net::connect("echo:7000").value();
        if (!server.send("hello ").ok() || !server.send("echo").ok()) return 1;
        std::string echoed;
        for (;;) {
          std::string got = server.receive_some().value();
          if (got.empty()) break;  // EOF: the server closed.
          echoed += got;
        }
        return echoed == "hello echo" ? 0 : 2;
      },
      {.name = "client"});
  net::Stream connection = listener.accept().value();
  std::string request;
  while (request.size() < 10) request += connection.receive_some().value();
  WEFT_ASSERT(connection.send(request).ok(), "echo");
  connection.close();
  const ExitStatus status = client.wait();
  WEFT_ASSERT(status.success(), status.to_string());
}

// Datagrams: the parent pings until a pong comes back (a datagram sent before
// the child is bound is lost, as with UDP), and the pong names its sender.
void datagram_ping_pong() {
  net::DatagramSocket socket = net::DatagramSocket::bind("pinger:1").value();
  Process child = Process::spawn(
      [] {
        net::DatagramSocket mine = net::DatagramSocket::bind("ponger:1").value();
        const absl::StatusOr<net::Datagram> ping = mine.receive();
        if (!ping.ok() || ping->payload != "ping" || ping->from != "pinger:1") return 1;
        return mine.send_to(ping->from, "pong").ok() ? 0 : 2;
      },
      {.name = "ponger"});
  absl::StatusOr<net::Datagram> pong;
  for (int attempt = 0; attempt < 1000; ++attempt) {
    WEFT_ASSERT(socket.send_to("ponger:1", "ping").ok(), "send_to");
    pong = socket.receive_for(5ms);
    if (pong.ok()) break;
    WEFT_ASSERT(absl::IsDeadlineExceeded(pong.status()), pong.status().ToString());
  }
  WEFT_ASSERT(pong.ok() && pong->payload == "pong" && pong->from == "ponger:1", "a pong");
  WEFT_ASSERT(child.wait().success(), "the ponger failed");
}

// Errors are values, the same on both runtimes.
void errors_are_values() {
  WEFT_ASSERT(absl::IsInvalidArgument(net::Listener::listen("no-port").status()), "no port");
  WEFT_ASSERT(absl::IsInvalidArgument(net::connect("bad host:1").status()), "a space");
  WEFT_ASSERT(absl::IsInvalidArgument(net::DatagramSocket::bind("h:70000").status()), "port");
  WEFT_ASSERT(absl::IsUnavailable(net::connect("nobody:1").status()), "refused");
  net::Listener first = net::Listener::listen("taken:1").value();
  WEFT_ASSERT(absl::IsAlreadyExists(net::Listener::listen("taken:1").status()), "in use");
  net::DatagramSocket socket = net::DatagramSocket::bind("quiet:1").value();
  const absl::Status big = socket.send_to("quiet:1", std::string(net::kDatagramMax + 1, 'x'));
  WEFT_ASSERT(absl::IsInvalidArgument(big), big.ToString());
  WEFT_ASSERT(socket.send_to("nobody:2", "lost").ok(), "a datagram to nobody is just lost");
  const Clock::time_point before = now();
  WEFT_ASSERT(absl::IsDeadlineExceeded(socket.receive_for(20ms).status()), "timeout");
  WEFT_ASSERT(now() - before >= 20ms, "the timeout waited");
}

// A killed server's client sees its stream end (EOF or reset), not a hang.
void killed_peer_ends_the_stream() {
  net::Listener listener = net::Listener::listen("doomed:1").value();
  Process server = Process::spawn(
      [listener = std::move(listener)]() mutable {
        net::Stream client = listener.accept().value();
        std::byte byte[1];
        while (client.receive(byte).value_or(0) > 0) {
        }  // Reads until killed (the client never closes first).
      },
      {.name = "doomed"});
  net::Stream stream = net::connect("doomed:1").value();
  WEFT_ASSERT(stream.send("x").ok(), "send");
  server.kill();
  WEFT_ASSERT(server.wait().signaled(), "killed");
  std::byte byte[1];
  const absl::StatusOr<size_t> got = stream.receive(byte);
  WEFT_ASSERT((got.ok() && *got == 0) || absl::IsUnavailable(got.status()),
              "EOF or reset after the peer died");
}

// A task accepts and echoes with the async_ forms while another task of
// its loop goes on: the client connects only once that other task has run,
// so an accept or a receive that blocked the loop's thread would hang here.
void async_stream_echo() {
  constexpr size_t kBytes = 20'000;  // Several receives, and a send in chunks.
  Pipe go = Pipe::create();
  net::Listener listener = net::Listener::listen("echo:2").value();
  Process client = Process::spawn(
      [go = std::move(go.reader)]() mutable {
        std::byte signal[1];
        if (go.read(signal).value_or(0) != 1) return 2;
        net::Stream server = net::connect("echo:2").value();
        const std::string message(kBytes, 'm');
        if (!server.send(message).ok()) return 3;
        std::string back(kBytes, '\0');
        if (!server.receive_exact(std::as_writable_bytes(std::span<char>(back))).ok()) return 4;
        return back == message ? 0 : 5;
      },
      {.name = "client"});
  const size_t echoed = run([&]() -> Task<size_t> {
    JoinHandle<void> starter = spawn(testing::send_go(go.writer), "starter");
    absl::StatusOr<net::Stream> peer = co_await listener.async_accept();
    WEFT_ASSERT(peer.ok(), peer.status().ToString());
    size_t total = 0;
    while (total < kBytes) {
      absl::StatusOr<std::string> part = co_await peer->async_receive_some();
      WEFT_ASSERT(part.ok() && !part->empty(), "bytes before EOF");
      total += part->size();
      const absl::Status sent = co_await peer->async_send(*part);
      WEFT_ASSERT(sent.ok(), sent.ToString());
    }
    co_await starter;
    co_return total;
  }());
  WEFT_ASSERT(echoed == kBytes, "every byte echoed");
  WEFT_ASSERT(client.join().success(), "the client saw its bytes back");
}

// A task waiting for datagrams is woken when one arrives -- also when the
// simulated network woke it first for one still on its way -- and only
// then: a second datagram arriving while the task sleeps does not cut the
// sleep short (a wake that left the task on the socket's watch list would).
void async_datagrams() {
  net::DatagramSocket receiver = net::DatagramSocket::bind("async-rx:1").value();
  net::DatagramSocket sender = net::DatagramSocket::bind("async-tx:1").value();
  run([&]() -> Task<void> {
    JoinHandle<void> sending = spawn(
        [](net::DatagramSocket& from) -> Task<void> {
          (void)from.send_to("async-rx:1", "one");
          co_await sleep_for(std::chrono::milliseconds(2));
          (void)from.send_to("async-rx:1", "two");
        }(sender),
        "sender");
    absl::StatusOr<net::Datagram> first = co_await receiver.async_receive();
    WEFT_ASSERT(first.ok() && first->payload == "one", first.status().ToString());
    const auto slept_at = Clock::now();
    co_await sleep_for(std::chrono::milliseconds(20));
    WEFT_ASSERT(Clock::now() - slept_at >= std::chrono::milliseconds(20), "a full sleep");
    absl::StatusOr<net::Datagram> second = co_await receiver.async_receive();
    WEFT_ASSERT(second.ok() && second->payload == "two", second.status().ToString());
    WEFT_ASSERT(second->from == "async-tx:1", second->from);
    co_await sending;
  }());
}

#define BOTH_RUNTIMES(Name, workload) \
  WEFT_TEST_BOTH_RUNTIMES(Net, Name, workload, kSimIterations, kRealRepeats)

BOTH_RUNTIMES(AsyncStreamEcho, async_stream_echo)
BOTH_RUNTIMES(AsyncDatagrams, async_datagrams)

BOTH_RUNTIMES(StreamEcho, stream_echo)
BOTH_RUNTIMES(DatagramPingPong, datagram_ping_pong)
BOTH_RUNTIMES(ErrorsAreValues, errors_are_values)
BOTH_RUNTIMES(KilledPeerEndsTheStream, killed_peer_ends_the_stream)

// ---- simulator only: faults -------------------------------------------------

// Counts how many of `sent` datagrams from "a:1" reach "b:1" (each is
// numbered), with `faults`, over one virtual second.
struct Counted {
  int received = 0;
  int distinct = 0;
  Clock::duration first_latency{};
};

Counted count_datagrams(const Faults& faults, int sent) {
  WEFT_ASSERT(set_faults(faults), "simulated");
  net::DatagramSocket a = net::DatagramSocket::bind("a:1").value();
  net::DatagramSocket b = net::DatagramSocket::bind("b:1").value();
  const Clock::time_point start = now();
  for (int i = 0; i < sent; ++i) (void)a.send_to("b:1", std::to_string(i));
  Counted counted;
  std::vector<bool> seen(sent, false);
  for (;;) {
    absl::StatusOr<net::Datagram> got = b.receive_for(1s);
    if (!got.ok()) break;
    if (counted.received == 0) counted.first_latency = now() - start;
    ++counted.received;
    const int index = std::stoi(got->payload);
    if (!seen[index]) ++counted.distinct;
    seen[index] = true;
  }
  return counted;
}

TEST(NetFaults, LatencyDropAndDuplicateHappenAsConfigured) {
  Counted plain, lossy, doubled;
  ExploreOptions options;
  options.iterations = 1;
  EXPECT_TRUE(explore(options, [&] {
                plain = count_datagrams({.latency_min = 5ms, .latency_max = 5ms}, 100);
              }).ok());
  EXPECT_EQ(plain.received, 100);
  EXPECT_EQ(plain.first_latency, 5ms);
  EXPECT_TRUE(explore(options, [&] { lossy = count_datagrams({.drop = 0.5}, 1000); }).ok());
  EXPECT_GT(lossy.received, 400);  // Binomial(1000, 0.5): 400..600 with p > 0.9999.
  EXPECT_LT(lossy.received, 600);
  EXPECT_EQ(lossy.distinct, lossy.received);
  EXPECT_TRUE(explore(options, [&] { doubled = count_datagrams({.duplicate = 1.0}, 100); }).ok());
  EXPECT_EQ(doubled.received, 200);
  EXPECT_EQ(doubled.distinct, 100);
}

TEST(NetFaults, PartitionLosesDatagramsAndHoldsStreamsUntilHeal) {
  const Report report = explore_with(
      [] {
        net::DatagramSocket a = net::DatagramSocket::bind("a:1").value();
        net::DatagramSocket b = net::DatagramSocket::bind("b:1").value();
        net::Listener listener = net::Listener::listen("b:2").value();
        Process client = Process::spawn(
            [] {
              net::Stream stream = net::connect("b:2").value();
              sleep_for(10ms);  // The partition comes now.
              return stream.send("held").ok() ? 0 : 1;
            },
            {.name = "a"});
        net::Stream accepted = listener.accept().value();
        sleep_for(5ms);
        WEFT_ASSERT(net::partition({"a"}, {"b"}), "simulated");
        WEFT_ASSERT(a.send_to("b:1", "lost").ok(), "send_to");
        WEFT_ASSERT(absl::IsDeadlineExceeded(b.receive_for(50ms).status()), "lost in the cut");
        std::byte buffer[8];
        WEFT_ASSERT(absl::IsDeadlineExceeded(accepted.receive_for(buffer, 50ms).status()),
                    "held in the cut");
        WEFT_ASSERT(net::heal(), "simulated");
        const size_t got = accepted.receive_for(buffer, 50ms).value();
        WEFT_ASSERT(got == 4, "delivered after heal");
        WEFT_ASSERT(a.send_to("b:1", "after").ok(), "send_to");
        WEFT_ASSERT(b.receive_for(50ms).value().payload == "after", "datagrams flow again");
        WEFT_ASSERT(client.wait().success(), "client");
      },
      kSimIterations);
  EXPECT_TRUE(report.ok()) << report.to_string();
}

// A request sent once over a lossy network: the simulator finds the run
// where it is lost, and its token replays the same loss.
void request_without_retry() {
  set_faults({.drop = 0.2});
  net::DatagramSocket client = net::DatagramSocket::bind("client:1").value();
  net::DatagramSocket server = net::DatagramSocket::bind("server:1").value();
  (void)client.send_to("server:1", "request");
  WEFT_ASSERT(server.receive_for(100ms).ok(), "the request was lost");
}

TEST(NetFaults, LossIsFoundAndItsTokenReplaysTheSameLoss) {
  const Report report = explore_with(request_without_retry, 100);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kAssertion);
  EXPECT_THAT(report.failure()->message, HasSubstr("the request was lost"));
  const Report again = replay(report.repro(), request_without_retry);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.failure()->message, report.failure()->message);
  EXPECT_EQ(again.schedule_hash(), report.schedule_hash());
}

TEST(NetFaults, BuggifyPartitionsAtRandomAndRepeatsPerSeed) {
  // Two hosts exchange numbered datagrams; buggify cuts and heals them.
  auto exchange = [](int* lost) {
    return [lost] {
      set_faults({.buggify = true});
      net::DatagramSocket a = net::DatagramSocket::bind("a:1").value();
      net::DatagramSocket b = net::DatagramSocket::bind("b:1").value();
      int received = 0;
      for (int i = 0; i < 200; ++i) {
        (void)a.send_to("b:1", "x");
        if (b.receive_for(10ms).ok()) ++received;
      }
      *lost = 200 - received;
    };
  };
  int lost_first = -1, lost_again = -1;
  ExploreOptions options;
  options.iterations = 1;
  options.seed = 7;
  EXPECT_TRUE(explore(options, exchange(&lost_first)).ok());
  EXPECT_TRUE(explore(options, exchange(&lost_again)).ok());
  EXPECT_GT(lost_first, 0) << "buggify never partitioned in 200 sends";
  EXPECT_LT(lost_first, 200);
  EXPECT_EQ(lost_first, lost_again) << "the same seed, the same faults";
}

// The real loop holds one waiter per descriptor; the simulator says so
// rather than pass what the real runtime would refuse.
TEST(NetSim, TwoTasksOfOneLoopWaitingOnOneSocketIsAMisuse) {
  const Report report = testing::explore_with(
      [] {
        net::DatagramSocket socket = net::DatagramSocket::bind("twice:1").value();
        run([&]() -> Task<void> {
          auto receive = [](net::DatagramSocket& from) -> Task<void> {
            (void)co_await from.async_receive();
          };
          JoinHandle<void> first = spawn(receive(socket), "first");
          JoinHandle<void> second = spawn(receive(socket), "second");
          co_await first;
          co_await second;
        }());
      },
      10);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kMisuse) << report.to_string();
  EXPECT_THAT(report.failure()->message, HasSubstr("one waiter per descriptor"));
}

TEST(NetSim, WaitingForADatagramNobodySendsIsADeadlock) {
  const Report report = explore_with(
      [] {
        net::DatagramSocket socket = net::DatagramSocket::bind("lonely:1").value();
        (void)socket.receive();
      },
      5);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.failure()->kind, FailureKind::kDeadlock);
  EXPECT_THAT(report.failure()->details, HasSubstr("datagram socket lonely:1"));
}

TEST(NetReal, FaultPlansDoNothingOnTheRealRuntime) {
  EXPECT_FALSE(net::partition({"a"}, {"b"}));
  EXPECT_FALSE(net::heal());
  EXPECT_FALSE(set_faults({.drop = 1.0}));
  EXPECT_THROW(set_faults({.drop = 2.0}), std::invalid_argument);
}

TEST(NetReal, NoDescriptorLeaks) {
  const int before = testing::open_fd_count();
  for (auto workload :
       {stream_echo, datagram_ping_pong, errors_are_values, killed_peer_ends_the_stream}) {
    const Report report = run_real(workload);
    EXPECT_TRUE(report.ok()) << report.to_string();
  }
  EXPECT_EQ(testing::open_fd_count(), before);
}

}  // namespace
}  // namespace weft
