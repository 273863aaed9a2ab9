// Copyright 2026 The weft Authors.
//
// The real runtime's registry of the OS descriptors weft opened (pipe ends,
// sockets). A child process keeps only the descriptors its function
// captured, on both runtimes: after fork() the child closes every other
// registered descriptor, so an end the parent kept open cannot hold back a
// reader's EOF in the child. Opening and closing serialise on the registry's
// lock, and so does fork() in a multi-threaded process (in a single-threaded
// one nothing else can open a descriptor meanwhile), so no descriptor slips
// in between the snapshot and the fork.

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

// Keeps descriptors from being opened or closed during a fork(): holds the
// registry's lock unless this process is single-threaded (then nothing else
// can open one), as glibc's fork() does with its own locks.
class ForkLock {
 public:
  ForkLock();
  ~ForkLock();
  ForkLock(const ForkLock&) = delete;
  ForkLock& operator=(const ForkLock&) = delete;

  // In the child, right after fork(): closes every registered descriptor not
  // in `kept`, and forgets them. Writes nothing when there is nothing to
  // close: the child's copy of the lock is left as fork() made it, and the
  // registry resets it when the child first uses it (its owner pid tells),
  // so a child that opens no descriptor pays no copy-on-write fault here.
  void in_child_close_all_but(std::span<const int> kept);

 private:
  std::unique_lock<std::mutex> lock_;
  // Registered descriptors at the fork, read before it: a child that has
  // none to close need not read the registry's page (a fault if the parent
  // never touched it).
  size_t registered_ = 0;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_OS_DESCRIPTORS_H_
