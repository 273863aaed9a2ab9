// Copyright 2026 The weft Authors.

#include "runtime/os_descriptors.h"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "weft/internal/descriptor.h"

namespace weft::internal {
namespace {

struct Registry {
  std::mutex mutex;
  absl::flat_hash_set<int> fds;
};

Registry& registry() {
  static Registry* const instance = new Registry;  // Never destroyed: used at exit.
  return *instance;
}

}  // namespace

constinit thread_local DescriptorHandover* tls_handover = nullptr;

bool open_os_descriptors(absl::FunctionRef<bool()> open, std::span<const int> fds) {
  std::scoped_lock lock(registry().mutex);
  if (!open()) return false;
  for (int fd : fds) registry().fds.insert(fd);
  return true;
}

void close_os_descriptor(int fd) noexcept {
  std::scoped_lock lock(registry().mutex);
  registry().fds.erase(fd);
  ::close(fd);  // EINTR: Linux has closed it anyway; retrying could close another's.
}

ForkLock::ForkLock() : lock_(registry().mutex) {}
ForkLock::~ForkLock() = default;

void ForkLock::close_all_but(std::span<const int> kept) {
  absl::flat_hash_set<int>& fds = registry().fds;
  for (auto it = fds.begin(); it != fds.end();) {
    if (std::find(kept.begin(), kept.end(), *it) != kept.end()) {
      ++it;
      continue;
    }
    ::close(*it);
    fds.erase(it++);
  }
}

void Descriptor::close(std::source_location where) noexcept {
  if (fd_ < 0) return;
  const int fd = std::exchange(fd_, -1);
  if (backend_ != nullptr) {
    backend_->fd_close(fd, where);
  } else {
    close_os_descriptor(fd);
  }
}

}  // namespace weft::internal
