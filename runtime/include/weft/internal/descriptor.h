// Copyright 2026 The weft Authors.
//
// Descriptor: the file descriptor inside every weft I/O end (PipeReader,
// PipeWriter, sockets). It is fixed to the runtime it was opened on: an OS
// descriptor on the real runtime, a number in the calling simulated process's
// descriptor table under simulation (so the same number means the same pipe
// end in a parent and in the child it was handed to).
//
// DescriptorHandover collects the descriptors that Process::spawn's function
// captured (moved into it as spawn wraps the function). A child process
// keeps exactly those, under the same numbers, on both runtimes: under
// simulation they move to the child's table; on the real runtime the child
// closes every other descriptor weft opened after fork(), and the parent's
// copies close when its copy of the function is destroyed. So an end the
// parent kept can never hold back a child reader's EOF.

#ifndef WEFT_INTERNAL_DESCRIPTOR_H_
#define WEFT_INTERNAL_DESCRIPTOR_H_

#include <array>
#include <cstddef>
#include <source_location>
#include <span>
#include <utility>

#include "weft/internal/backend.h"

namespace weft::internal {

class DescriptorHandover;
extern constinit thread_local DescriptorHandover* tls_handover;

// Collects descriptors moved while it is in scope (on the calling OS thread).
class DescriptorHandover {
 public:
  // Descriptors one process may be handed at spawn.
  static constexpr size_t kMax = 64;

  DescriptorHandover() : previous_(tls_handover) { tls_handover = this; }
  ~DescriptorHandover() { tls_handover = previous_; }
  DescriptorHandover(const DescriptorHandover&) = delete;
  DescriptorHandover& operator=(const DescriptorHandover&) = delete;

  // Once per descriptor (wrapping a function may move its captures twice).
  void add(int fd) {
    for (size_t i = 0; i < size_; ++i) {
      if (fds_[i] == fd) return;
    }
    if (size_ == kMax) {
      overflowed_ = true;
      return;
    }
    fds_[size_++] = fd;
  }
  std::span<const int> fds() const { return {fds_.data(), size_}; }
  // More than kMax descriptors were moved.
  bool overflowed() const { return overflowed_; }

 private:
  DescriptorHandover* previous_;
  std::array<int, kMax> fds_{};
  size_t size_ = 0;
  bool overflowed_ = false;
};

class Descriptor {
 public:
  Descriptor() = default;
  Descriptor(Backend* backend, int fd) : backend_(backend), fd_(fd) {}
  Descriptor(Descriptor&& other) noexcept
      : backend_(other.backend_), fd_(std::exchange(other.fd_, -1)) {
    if (tls_handover != nullptr && fd_ >= 0) [[unlikely]]
      tls_handover->add(fd_);
  }
  Descriptor& operator=(Descriptor&& other) noexcept {
    if (this != &other) {
      close();
      backend_ = other.backend_;
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Descriptor() { close(); }

  // Closes the descriptor (if open). Never throws; a simulated descriptor
  // whose process has ended is already closed.
  void close(std::source_location where = std::source_location::current()) noexcept;

  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  // The simulator the descriptor belongs to, or null for an OS descriptor.
  Backend* backend() const { return backend_; }

 private:
  Backend* backend_ = nullptr;
  int fd_ = -1;
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_DESCRIPTOR_H_
