// Copyright 2026 The weft Authors.
//
// weft::Pipe on both runtimes. Real runtime: pipe2(); writes block SIGPIPE
// for their duration and consume the one they raise, so a broken pipe is an
// error value and never ends the process.

#include "weft/pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <system_error>

#include "absl/strings/str_format.h"
#include "runtime/os_descriptors.h"
#include "weft/internal/fd_ready.h"

namespace weft {
namespace {

absl::Status error_status(int error, const char* operation) {
  if (error == EPIPE) {
    return absl::UnavailableError(
        absl::StrFormat("%s: broken pipe (every read end is closed)", operation));
  }
  if (error == EBADF) {
    return absl::FailedPreconditionError(absl::StrFormat("%s: the end is closed", operation));
  }
  return absl::InternalError(absl::StrFormat("%s: %s", operation, std::strerror(error)));
}

absl::Status closed_end(const char* operation) {
  return absl::FailedPreconditionError(absl::StrFormat("%s: the end is closed", operation));
}

// write(2) with SIGPIPE blocked; a SIGPIPE it raised is taken off the pending
// set before the mask is restored (unless one was pending already).
ssize_t write_without_sigpipe(int fd, const std::byte* data, size_t size) {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t pending;
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &pipe_only, &previous);
  ssize_t written;
  do {
    written = ::write(fd, data, size);
  } while (written < 0 && errno == EINTR);
  const int error = errno;
  if (written < 0 && error == EPIPE && !was_pending) {
    const timespec zero{};
    while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = error;
  return written;
}

}  // namespace

Pipe Pipe::create(std::source_location where) {
  Pipe pipe;
  if (internal::Backend* backend = internal::active_backend()) {
    const auto [read_end, write_end] = backend->pipe_create(where);
    pipe.reader = PipeReader(internal::Descriptor(backend, read_end));
    pipe.writer = PipeWriter(internal::Descriptor(backend, write_end));
    return pipe;
  }
  int fds[2];
  if (!internal::open_os_descriptors([&] { return ::pipe2(fds, O_CLOEXEC) == 0; }, fds)) {
    throw std::system_error(errno, std::generic_category(), "weft::Pipe::create: pipe2");
  }
  pipe.reader = PipeReader(internal::Descriptor(nullptr, fds[0]));
  pipe.writer = PipeWriter(internal::Descriptor(nullptr, fds[1]));
  return pipe;
}

absl::StatusOr<size_t> PipeReader::read(std::span<std::byte> buffer, std::source_location where) {
  if (!descriptor_.is_open()) return closed_end("PipeReader::read");
  if (internal::Backend* backend = descriptor_.backend()) {
    const int64_t got = backend->fd_read(descriptor_.fd(), buffer, where);
    if (got < 0) return error_status(static_cast<int>(-got), "PipeReader::read");
    return static_cast<size_t>(got);
  }
  for (;;) {
    const ssize_t got = ::read(descriptor_.fd(), buffer.data(), buffer.size());
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return error_status(errno, "PipeReader::read");
  }
}

absl::Status PipeReader::read_exact(std::span<std::byte> buffer, std::source_location where) {
  size_t done = 0;
  while (done < buffer.size()) {
    absl::StatusOr<size_t> got = read(buffer.subspan(done), where);
    if (!got.ok()) return got.status();
    if (*got == 0) {
      return absl::OutOfRangeError(
          absl::StrFormat("PipeReader::read_exact: EOF after %d of %d bytes", done, buffer.size()));
    }
    done += *got;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PipeReader::read_all(std::source_location where) {
  std::string all;
  std::byte chunk[4096];
  for (;;) {
    absl::StatusOr<size_t> got = read(chunk, where);
    if (!got.ok()) return got.status();
    if (*got == 0) return all;
    all.append(reinterpret_cast<const char*>(chunk), *got);
  }
}

absl::Status PipeWriter::write(std::span<const std::byte> data, std::source_location where) {
  if (!descriptor_.is_open()) return closed_end("PipeWriter::write");
  if (internal::Backend* backend = descriptor_.backend()) {
    const int64_t wrote = backend->fd_write(descriptor_.fd(), data, where);
    if (wrote < 0) return error_status(static_cast<int>(-wrote), "PipeWriter::write");
    return absl::OkStatus();
  }
  while (!data.empty()) {
    const ssize_t wrote = write_without_sigpipe(descriptor_.fd(), data.data(), data.size());
    if (wrote < 0) return error_status(errno, "PipeWriter::write");
    data = data.subspan(static_cast<size_t>(wrote));
  }
  return absl::OkStatus();
}

Task<absl::StatusOr<size_t>> PipeReader::async_read(std::span<std::byte> buffer,
                                                    std::source_location where) {
  do {
    co_await internal::FdReady(descriptor_, /*for_write=*/false, "PipeReader::async_read", where);
  } while (!internal::fd_ready_now(descriptor_, /*for_write=*/false));
  co_return read(buffer, where);
}

Task<absl::Status> PipeWriter::async_write(std::string_view data, std::source_location where) {
  while (!data.empty()) {
    // A wake is a change, not a promise (a read made some room, maybe less
    // than PIPE_BUF): wait until a chunk fits.
    do {
      co_await internal::FdReady(descriptor_, /*for_write=*/true, "PipeWriter::async_write", where);
    } while (!internal::fd_ready_now(descriptor_, /*for_write=*/true));
    // At most PIPE_BUF bytes: what a ready pipe takes without blocking.
    const std::string_view chunk = data.substr(0, PIPE_BUF);
    if (absl::Status wrote = write(chunk, where); !wrote.ok()) co_return wrote;
    data.remove_prefix(chunk.size());
  }
  co_return absl::OkStatus();
}

namespace internal {

bool os_fd_ready(int fd, bool for_write) {
  pollfd poll_fd{fd, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
  int ready;
  do {
    ready = ::poll(&poll_fd, 1, 0);
  } while (ready < 0 && errno == EINTR);
  return ready != 0;  // Ready, hung up, or an error the I/O call will report.
}

}  // namespace internal

}  // namespace weft
