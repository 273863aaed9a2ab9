// Copyright 2026 The weft Authors.
//
// weft::net on both runtimes. Real runtime: Unix domain sockets in the
// abstract namespace, "\0weft-<a random id per program>/<address>", so that
// tests running in parallel never share a name and nothing leaves the host.

#include "weft/net.h"

#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "runtime/os_descriptors.h"
#include "weft/internal/fd_ready.h"

namespace weft::net {
namespace {

// Names this program's sockets apart from every other's: a random number
// drawn before main, which child processes inherit, so the whole process
// tree shares one namespace. (Not the pid: sandboxes that give each test a
// pid namespace of its own may share one network namespace.)
uint64_t namespace_id() {
  uint64_t id = 0;
  if (::getrandom(&id, sizeof id, 0) != sizeof id) id = static_cast<uint64_t>(::getpid());
  return id;
}
const uint64_t kNamespace = namespace_id();

absl::Status check_address(std::string_view address) {
  const size_t colon = address.rfind(':');
  uint32_t port = 0;
  const bool valid =
      colon != std::string_view::npos && colon > 0 &&
      absl::SimpleAtoi(absl::string_view(address.data() + colon + 1, address.size() - colon - 1),
                       &port) &&
      port > 0 && port <= 65535 && address.size() <= 64;
  bool host_ok = valid;
  for (size_t i = 0; host_ok && i < colon; ++i) {
    const char c = address[i];
    host_ok =
        absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
  }
  if (!host_ok) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "weft::net: malformed address \"%s\" (want host:port, host of [A-Za-z0-9._-], port "
        "1..65535, at most 64 characters)",
        std::string(address)));
  }
  return absl::OkStatus();
}

absl::Status status_from_errno(int error, std::string_view operation, std::string_view address) {
  const std::string what = std::string(operation) + " " + std::string(address);
  switch (error) {
    case ECONNREFUSED:
    case ENOENT:
      return absl::UnavailableError(absl::StrCat(what, ": connection refused (nobody listens)"));
    case ENETUNREACH:
      return absl::UnavailableError(absl::StrCat(what, ": unreachable (partitioned)"));
    case ECONNRESET:
      return absl::UnavailableError(absl::StrCat(what, ": connection reset by peer"));
    case EPIPE:
      return absl::UnavailableError(absl::StrCat(what, ": broken stream (the peer closed it)"));
    case ETIMEDOUT:
    case EAGAIN:
      return absl::DeadlineExceededError(absl::StrCat(what, ": timed out"));
    case EADDRINUSE:
      return absl::AlreadyExistsError(absl::StrCat(what, ": address in use"));
    case EBADF:
      return absl::FailedPreconditionError(absl::StrCat(what, ": the socket is closed"));
    case EMSGSIZE:
      return absl::InvalidArgumentError(
          absl::StrFormat("%s: a datagram holds at most %d bytes", what, kDatagramMax));
    default:
      return absl::InternalError(absl::StrFormat("%s: %s", what, std::strerror(error)));
  }
}

// ---- the real runtime ----------------------------------------------------------

constexpr std::string_view kNamePrefix = "weft-";

socklen_t os_name(std::string_view address, sockaddr_un& name) {
  std::memset(&name, 0, sizeof name);
  name.sun_family = AF_UNIX;
  const std::string path =
      std::string(kNamePrefix) + std::to_string(kNamespace) + "/" + std::string(address);
  std::memcpy(name.sun_path + 1, path.data(), path.size());  // [0] = '\0': abstract
  return static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + path.size());
}

// The weft address in an abstract name of this namespace, or "".
std::string address_of(const sockaddr_un& name, socklen_t length) {
  const size_t offset = offsetof(sockaddr_un, sun_path) + 1;
  if (length <= offset || name.sun_path[0] != '\0') return "";
  std::string_view path(name.sun_path + 1, length - offset);
  const size_t slash = path.find('/');
  return slash == std::string_view::npos ? "" : std::string(path.substr(slash + 1));
}

// A new socket of `type`, registered (a child keeps only those it captured).
int open_socket(int type) {
  int fd = -1;
  const bool opened = internal::open_os_descriptors(
      [&] {
        fd = ::socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
        return fd >= 0;
      },
      std::span<const int>(&fd, 1));
  return opened ? fd : -1;
}

// A new registered socket of `type` bound to `address`, or errno's status
// naming `what`.
absl::StatusOr<internal::Descriptor> bound_os_socket(int type, std::string_view address,
                                                     const char* what) {
  const int fd = open_socket(type);
  if (fd < 0) return status_from_errno(errno, what, address);
  internal::Descriptor descriptor(nullptr, fd);
  sockaddr_un name;
  const socklen_t length = os_name(address, name);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&name), length) != 0) {
    return status_from_errno(errno, what, address);
  }
  return descriptor;
}

// Waits until `fd` is readable or `deadline` passes (false, errno ETIMEDOUT).
bool wait_readable(int fd, internal::Deadline deadline) {
  if (!deadline) return true;
  for (;;) {
    const auto left = *deadline - Clock::now();
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    pollfd poll_fd{fd, POLLIN, 0};
    const int ready = ::poll(&poll_fd, 1, ms < 0 ? 0 : static_cast<int>(ms));
    if (ready > 0) return true;
    if (ready == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    if (errno != EINTR) return false;
  }
}

internal::Deadline deadline_after(Clock::duration timeout, internal::Backend* backend) {
  const Clock::time_point now = backend != nullptr ? backend->now() : Clock::now();
  return now + timeout;
}

}  // namespace

// ---- Stream --------------------------------------------------------------------

absl::Status Stream::send(std::string_view data, std::source_location where) {
  if (!descriptor_.is_open()) return status_from_errno(EBADF, "send to", peer_);
  const auto bytes = std::as_bytes(std::span<const char>(data.data(), data.size()));
  if (internal::Backend* backend = descriptor_.backend()) {
    const int64_t sent = backend->net_send(descriptor_.fd(), bytes, where);
    if (sent < 0) return status_from_errno(static_cast<int>(-sent), "send to", peer_);
    return absl::OkStatus();
  }
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t sent =
        ::send(descriptor_.fd(), data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) return status_from_errno(errno, "send to", peer_);
    done += static_cast<size_t>(sent);
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Stream::receive_until(std::span<std::byte> buffer,
                                             internal::Deadline deadline,
                                             std::source_location where) {
  if (!descriptor_.is_open()) return status_from_errno(EBADF, "receive from", peer_);
  if (internal::Backend* backend = descriptor_.backend()) {
    const int64_t got = backend->net_receive(descriptor_.fd(), buffer, deadline, where);
    if (got < 0) return status_from_errno(static_cast<int>(-got), "receive from", peer_);
    return static_cast<size_t>(got);
  }
  if (!wait_readable(descriptor_.fd(), deadline)) {
    return status_from_errno(errno, "receive from", peer_);
  }
  for (;;) {
    const ssize_t got = ::recv(descriptor_.fd(), buffer.data(), buffer.size(), 0);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return status_from_errno(errno, "receive from", peer_);
  }
}

absl::StatusOr<size_t> Stream::receive(std::span<std::byte> buffer, std::source_location where) {
  return receive_until(buffer, std::nullopt, where);
}

absl::StatusOr<size_t> Stream::receive_for(std::span<std::byte> buffer, Clock::duration timeout,
                                           std::source_location where) {
  return receive_until(buffer, deadline_after(timeout, descriptor_.backend()), where);
}

absl::Status Stream::receive_exact(std::span<std::byte> buffer, std::source_location where) {
  size_t done = 0;
  while (done < buffer.size()) {
    absl::StatusOr<size_t> got = receive(buffer.subspan(done), where);
    if (!got.ok()) return got.status();
    if (*got == 0) {
      return absl::OutOfRangeError(absl::StrFormat(
          "Stream::receive_exact: EOF after %d of %d bytes from %s", done, buffer.size(), peer_));
    }
    done += *got;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Stream::receive_some(size_t max, std::source_location where) {
  std::string out(max, '\0');
  absl::StatusOr<size_t> got =
      receive(std::as_writable_bytes(std::span<char>(out.data(), out.size())), where);
  if (!got.ok()) return got.status();
  out.resize(*got);
  return out;
}

// ---- Listener and connect --------------------------------------------------------------

absl::StatusOr<Listener> Listener::listen(std::string_view address, std::source_location where) {
  if (absl::Status valid = check_address(address); !valid.ok()) return valid;
  if (internal::Backend* backend = internal::active_backend()) {
    const int fd = backend->net_listen(address, where);
    if (fd < 0) return status_from_errno(-fd, "listen on", address);
    return Listener(internal::Descriptor(backend, fd), std::string(address));
  }
  absl::StatusOr<internal::Descriptor> bound = bound_os_socket(SOCK_STREAM, address, "listen on");
  if (!bound.ok()) return bound.status();
  if (::listen(bound->fd(), SOMAXCONN) != 0) return status_from_errno(errno, "listen on", address);
  return Listener(*std::move(bound), std::string(address));
}

absl::StatusOr<Stream> Listener::accept(std::source_location where) {
  if (!descriptor_.is_open()) return status_from_errno(EBADF, "accept on", address_);
  if (internal::Backend* backend = descriptor_.backend()) {
    const int fd = backend->net_accept(descriptor_.fd(), where);
    if (fd < 0) return status_from_errno(-fd, "accept on", address_);
    return Stream(internal::Descriptor(backend, fd), "");
  }
  // Not under the registry's lock: accept blocks, and every other thread's
  // open, close and spawn would wait for it. (A spawn between accept4 and
  // the registration lets that child keep a copy of this connection.)
  int fd;
  do {
    fd = ::accept4(descriptor_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return status_from_errno(errno, "accept on", address_);
  if (!internal::open_os_descriptors([] { return true; }, std::span<const int>(&fd, 1))) {
    const int error = errno;
    ::close(fd);
    return status_from_errno(error, "accept on", address_);
  }
  return Stream(internal::Descriptor(nullptr, fd), "");
}

absl::StatusOr<Stream> connect(std::string_view address, std::source_location where) {
  if (absl::Status valid = check_address(address); !valid.ok()) return valid;
  if (internal::Backend* backend = internal::active_backend()) {
    const int fd = backend->net_connect(address, where);
    if (fd < 0) return status_from_errno(-fd, "connect to", address);
    return Stream(internal::Descriptor(backend, fd), std::string(address));
  }
  const int fd = open_socket(SOCK_STREAM);
  if (fd < 0) return status_from_errno(errno, "connect to", address);
  internal::Descriptor descriptor(nullptr, fd);
  sockaddr_un name;
  const socklen_t length = os_name(address, name);
  int result;
  do {
    result = ::connect(fd, reinterpret_cast<const sockaddr*>(&name), length);
  } while (result != 0 && errno == EINTR);
  if (result != 0) return status_from_errno(errno, "connect to", address);
  return Stream(std::move(descriptor), std::string(address));
}

// ---- datagrams -------------------------------------------------------------------

absl::StatusOr<DatagramSocket> DatagramSocket::bind(std::string_view address,
                                                    std::source_location where) {
  if (absl::Status valid = check_address(address); !valid.ok()) return valid;
  if (internal::Backend* backend = internal::active_backend()) {
    const int fd = backend->net_bind(address, where);
    if (fd < 0) return status_from_errno(-fd, "bind", address);
    return DatagramSocket(internal::Descriptor(backend, fd), std::string(address));
  }
  absl::StatusOr<internal::Descriptor> bound = bound_os_socket(SOCK_DGRAM, address, "bind");
  if (!bound.ok()) return bound.status();
  return DatagramSocket(*std::move(bound), std::string(address));
}

absl::Status DatagramSocket::send_to(std::string_view address, std::string_view payload,
                                     std::source_location where) {
  if (absl::Status valid = check_address(address); !valid.ok()) return valid;
  if (!descriptor_.is_open()) return status_from_errno(EBADF, "send_to", address);
  if (payload.size() > kDatagramMax) return status_from_errno(EMSGSIZE, "send_to", address);
  const auto bytes = std::as_bytes(std::span<const char>(payload.data(), payload.size()));
  if (internal::Backend* backend = descriptor_.backend()) {
    const int result = backend->net_send_to(descriptor_.fd(), address, bytes, where);
    if (result < 0) return status_from_errno(-result, "send_to", address);
    return absl::OkStatus();
  }
  sockaddr_un name;
  const socklen_t length = os_name(address, name);
  ssize_t sent;
  do {
    sent = ::sendto(descriptor_.fd(), payload.data(), payload.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                    reinterpret_cast<const sockaddr*>(&name), length);
  } while (sent < 0 && errno == EINTR);
  // Nobody bound there, or the receiver's queue is full: lost, as UDP would.
  if (sent < 0 && errno != ECONNREFUSED && errno != ENOENT && errno != EAGAIN) {
    return status_from_errno(errno, "send_to", address);
  }
  return absl::OkStatus();
}

absl::StatusOr<Datagram> DatagramSocket::receive_until(internal::Deadline deadline,
                                                       std::source_location where) {
  if (!descriptor_.is_open()) return status_from_errno(EBADF, "receive on", address_);
  Datagram datagram;
  if (internal::Backend* backend = descriptor_.backend()) {
    const int result = backend->net_receive_from(descriptor_.fd(), datagram.payload, datagram.from,
                                                 deadline, where);
    if (result < 0) return status_from_errno(-result, "receive on", address_);
    return datagram;
  }
  if (!wait_readable(descriptor_.fd(), deadline)) {
    return status_from_errno(errno, "receive on", address_);
  }
  std::vector<char> buffer(kDatagramMax);
  sockaddr_un name;
  for (;;) {
    socklen_t length = sizeof name;
    const ssize_t got = ::recvfrom(descriptor_.fd(), buffer.data(), buffer.size(), 0,
                                   reinterpret_cast<sockaddr*>(&name), &length);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return status_from_errno(errno, "receive on", address_);
    datagram.payload.assign(buffer.data(), static_cast<size_t>(got));
    datagram.from = address_of(name, length);
    return datagram;
  }
}

absl::StatusOr<Datagram> DatagramSocket::receive(std::source_location where) {
  return receive_until(std::nullopt, where);
}

absl::StatusOr<Datagram> DatagramSocket::receive_for(Clock::duration timeout,
                                                     std::source_location where) {
  return receive_until(deadline_after(timeout, descriptor_.backend()), where);
}

// ---- tasks -------------------------------------------------------------------------
//
// Each waits with FdReady until the socket is ready, then makes the blocking
// call, which then goes ahead at once. A simulated socket may wake its
// watchers before it is ready (something changed; what arrives next is
// still on its way): hence the loops.

namespace {

// Bytes a task sends per readiness: a ready Unix stream socket has at least
// 3/4 of its send buffer (~200 KiB) free, so this never blocks.
constexpr size_t kAsyncSendChunk = 4096;

}  // namespace

Task<absl::Status> Stream::async_send(std::string_view data, std::source_location where) {
  do {
    co_await internal::FdReady(descriptor_, /*for_write=*/true, "Stream::async_send", where);
    if (!internal::fd_ready_now(descriptor_, /*for_write=*/true)) continue;
    const std::string_view chunk = data.substr(0, kAsyncSendChunk);
    if (absl::Status sent = send(chunk, where); !sent.ok()) co_return sent;
    data.remove_prefix(chunk.size());
  } while (!data.empty());
  co_return absl::OkStatus();
}

Task<absl::StatusOr<std::string>> Stream::async_receive_some(size_t max,
                                                             std::source_location where) {
  do {
    co_await internal::FdReady(descriptor_, /*for_write=*/false, "Stream::async_receive_some",
                               where);
  } while (!internal::fd_ready_now(descriptor_, /*for_write=*/false));
  co_return receive_some(max, where);
}

Task<absl::StatusOr<Stream>> Listener::async_accept(std::source_location where) {
  do {
    co_await internal::FdReady(descriptor_, /*for_write=*/false, "Listener::async_accept", where);
  } while (!internal::fd_ready_now(descriptor_, /*for_write=*/false));
  co_return accept(where);
}

Task<absl::StatusOr<Datagram>> DatagramSocket::async_receive(std::source_location where) {
  do {
    co_await internal::FdReady(descriptor_, /*for_write=*/false, "DatagramSocket::async_receive",
                               where);
  } while (!internal::fd_ready_now(descriptor_, /*for_write=*/false));
  co_return receive(where);
}

// ---- faults ----------------------------------------------------------------------

bool partition(std::initializer_list<std::string_view> side_a,
               std::initializer_list<std::string_view> side_b, std::source_location where) {
  internal::Backend* backend = internal::active_backend();
  if (backend == nullptr) return false;
  backend->net_partition(std::span<const std::string_view>(side_a.begin(), side_a.size()),
                         std::span<const std::string_view>(side_b.begin(), side_b.size()), where);
  return true;
}

bool heal(std::source_location where) {
  internal::Backend* backend = internal::active_backend();
  if (backend == nullptr) return false;
  backend->net_heal(where);
  return true;
}

}  // namespace weft::net

namespace weft {

bool set_faults(const Faults& faults, std::source_location where) {
  if (!(faults.drop >= 0.0 && faults.drop <= 1.0 && faults.duplicate >= 0.0 &&
        faults.duplicate <= 1.0 && faults.crash >= 0.0 && faults.crash <= 1.0 &&
        faults.latency_min >= Clock::duration::zero() &&
        faults.latency_min <= faults.latency_max)) {
    throw std::invalid_argument(
        "weft::set_faults: drop, duplicate and crash must be probabilities in [0, 1], and "
        "0 <= latency_min <= latency_max");
  }
  internal::Backend* backend = internal::active_backend();
  if (backend == nullptr) return false;
  backend->set_faults(faults, where);
  return true;
}

}  // namespace weft
