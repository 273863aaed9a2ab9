// Copyright 2026 The weft Authors.
//
// A pipe deadlock between two processes: a client and a server exchange
// documents larger than a pipe holds (64 KiB), each writing all of its own
// before reading the other's. The first 64 KiB of each fill the pipe; each
// write then blocks until the other side reads, and neither ever does: the
// client waits to write to a full pipe that only the server reads, the server
// to write to one that only the client reads. The fix: each process writes
// from a thread of its own while its main thread reads, so both pipes drain.
// Every interleaving deadlocks here; what the simulator adds is the report
// (the cycle through both pipes, on the first execution), where the real
// runtime would just hang.

#include <string>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr size_t kDocumentBytes = 70'000;

// Sends `document` through `out` and returns all that arrives through `in`;
// the exit code says whether it got a whole document back.
int exchange(PipeReader& in, PipeWriter& out, char fill, bool write_from_a_thread) {
  const std::string document(kDocumentBytes, fill);
  std::string received;
  if (write_from_a_thread) {
    weft::Thread writer("writer", [&] {
      (void)out.write(document);
      out.close();
    });
    received = in.read_all().value_or("");
    writer.join();
  } else {
    (void)out.write(document);
    out.close();
    received = in.read_all().value_or("");
  }
  return received.size() == kDocumentBytes ? 0 : 1;
}

void swap_documents(bool write_from_a_thread) {
  weft::Pipe to_server = weft::Pipe::create();
  weft::Pipe to_client = weft::Pipe::create();
  auto side = [write_from_a_thread](PipeReader in, PipeWriter out, char fill) {
    return [in = std::move(in), out = std::move(out), fill, write_from_a_thread]() mutable {
      return exchange(in, out, fill, write_from_a_thread);
    };
  };
  weft::Process client = weft::Process::spawn(
      side(std::move(to_client.reader), std::move(to_server.writer), 'c'), {.name = "client"});
  weft::Process server = weft::Process::spawn(
      side(std::move(to_server.reader), std::move(to_client.writer), 's'), {.name = "server"});
  client.join();
  server.join();
}

}  // namespace

void pipe_deadlock_buggy() { swap_documents(/*write_from_a_thread=*/false); }
void pipe_deadlock_fixed() { swap_documents(/*write_from_a_thread=*/true); }

}  // namespace weft::examples
