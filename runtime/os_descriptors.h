// Copyright 2026 The weft Authors.
//
// The real runtime's registry of the OS descriptors weft opened (pipe ends,
// sockets). A child process keeps only the descriptors its function
// captured, on both runtimes: after fork() the child closes every other
// registered descriptor, so an end the parent kept open cannot hold back a
// reader's EOF in the child. Opening, closing and fork() serialise on the
// registry's lock, so no descriptor slips in between the snapshot and the fork.

#ifndef WEFT_RUNTIME_OS_DESCRIPTORS_H_
#define WEFT_RUNTIME_OS_DESCRIPTORS_H_

#include <mutex>
#include <span>
#include <vector>

#include "absl/functional/function_ref.h"

namespace weft::internal {

// Runs `open`, which opens descriptors into `fds` and returns whether it did,
// and registers them. Returns open's result (errno as it left it).
bool open_os_descriptors(absl::FunctionRef<bool()> open, std::span<const int> fds);

// Unregisters and closes `fd`.
void close_os_descriptor(int fd) noexcept;

// Holds the registry's lock from before fork() until both processes have
// released it (the child's copy is locked by its only thread).
class ForkLock {
 public:
  ForkLock();
  ~ForkLock();
  ForkLock(const ForkLock&) = delete;
  ForkLock& operator=(const ForkLock&) = delete;

  // In the child: closes every registered descriptor not in `kept`, and
  // forgets them.
  void close_all_but(std::span<const int> kept);
  void unlock() { lock_.unlock(); }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_OS_DESCRIPTORS_H_
