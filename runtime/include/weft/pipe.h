// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: pipe.h
// -----------------------------------------------------------------------------
//
// weft::Pipe is a one-way byte stream between threads or processes: a
// PipeReader and a PipeWriter. Reads block until bytes arrive or every write
// end is closed (EOF); writes block while the pipe is full (64 KiB on both
// runtimes). A write whose read ends are all closed returns an error
// ("broken pipe"); it never raises SIGPIPE.
//
//   weft::Pipe pipe = weft::Pipe::create();
//   weft::Process child = weft::Process::spawn(
//       [in = std::move(pipe.reader)]() mutable {
//         std::string all = in.read_all().value();     // until the parent closes
//       });
//   pipe.writer.write("request").IgnoreError();
//   pipe.writer.close();                               // the child sees EOF
//   child.wait();
//
// Ends are move-only and close when destroyed. A child process holds the ends
// its function captured by move, and no others (see weft/process.h). A
// reader sees EOF once every write end is closed; a reader that holds the
// write end itself never does, which the simulator reports as a deadlock.
//
// Real runtime: pipe2(O_CLOEXEC). Under simulation: a buffer in the
// simulator; read, write and close are scheduling points, and a reader that
// waits for a writer that waits for it is a deadlock reported with the cycle.
//
// Threads call read/write, which block the thread; coroutine tasks co_await
// async_read/async_write, which suspend the task only (the loop's epoll on the
// real runtime).
//
// Errors are absl::Status values: kUnavailable for a broken pipe, kOutOfRange
// for EOF before read_exact's count, kFailedPrecondition for a closed end.

#ifndef WEFT_PIPE_H_
#define WEFT_PIPE_H_

#include <cstddef>
#include <source_location>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "weft/internal/descriptor.h"
#include "weft/task.h"

namespace weft {

class PipeReader {
 public:
  PipeReader() = default;
  explicit PipeReader(internal::Descriptor descriptor) : descriptor_(std::move(descriptor)) {}

  // PipeReader::read()
  //
  // Reads up to buffer.size() bytes; blocks until at least one is there.
  // Returns 0 at EOF (every write end closed).
  absl::StatusOr<size_t> read(std::span<std::byte> buffer,
                              std::source_location where = std::source_location::current());
  // Fills `buffer` completely; kOutOfRange if EOF comes first.
  absl::Status read_exact(std::span<std::byte> buffer,
                          std::source_location where = std::source_location::current());
  // Everything until EOF.
  absl::StatusOr<std::string> read_all(
      std::source_location where = std::source_location::current());

  // PipeReader::async_read()
  //
  // read() for a task: co_await it; the task (not its loop's thread) waits
  // for bytes or EOF. A cancellation point.
  Task<absl::StatusOr<size_t>> async_read(
      std::span<std::byte> buffer, std::source_location where = std::source_location::current());

  void close(std::source_location where = std::source_location::current()) {
    descriptor_.close(where);
  }
  bool is_open() const { return descriptor_.is_open(); }
  int fd() const { return descriptor_.fd(); }

 private:
  internal::Descriptor descriptor_;
};

class PipeWriter {
 public:
  PipeWriter() = default;
  explicit PipeWriter(internal::Descriptor descriptor) : descriptor_(std::move(descriptor)) {}

  // PipeWriter::write()
  //
  // Writes all of `data`, blocking while the pipe is full. kUnavailable
  // ("broken pipe") if every read end is closed; bytes written before that
  // may have been read.
  absl::Status write(std::span<const std::byte> data,
                     std::source_location where = std::source_location::current());
  absl::Status write(std::string_view data,
                     std::source_location where = std::source_location::current()) {
    return write(std::as_bytes(std::span<const char>(data.data(), data.size())), where);
  }

  // PipeWriter::async_write()
  //
  // write() for a task: co_await it; the task waits while the pipe is full,
  // its loop's thread does not. `data` must live until it completes. A
  // cancellation point (some of the bytes may have been written).
  Task<absl::Status> async_write(std::string_view data,
                                 std::source_location where = std::source_location::current());

  void close(std::source_location where = std::source_location::current()) {
    descriptor_.close(where);
  }
  bool is_open() const { return descriptor_.is_open(); }
  int fd() const { return descriptor_.fd(); }

 private:
  internal::Descriptor descriptor_;
};

struct Pipe {
  // Pipe::create()
  //
  // A new pipe. Throws std::system_error if the OS refuses (out of
  // descriptors).
  static Pipe create(std::source_location where = std::source_location::current());

  PipeReader reader;
  PipeWriter writer;
};

}  // namespace weft

#endif  // WEFT_PIPE_H_
