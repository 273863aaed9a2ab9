// Copyright 2026 The weft Authors.

#include "runtime/os_descriptors.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>
#include <utility>

#include "weft/internal/descriptor.h"

namespace weft::internal {
namespace {

// The lock and the descriptors in one page: a child process after fork()
// writes both (unlock, forget), and each page it writes costs a
// copy-on-write fault, which on some VMs costs tens of microseconds.
struct alignas(4096) Registry {
  static constexpr size_t kMax = 1000;  // weft descriptors open at once

  std::mutex mutex;
  size_t count = 0;
  std::array<int, kMax> fds;

  void add(int fd) {
    if (count == kMax) {
      throw std::system_error(EMFILE, std::generic_category(),
                              "weft: more than 1000 pipe ends and sockets open at once");
    }
    fds[count++] = fd;
  }
  void remove(int fd) {
    int* const end = fds.data() + count;
    int* const found = std::find(fds.data(), end, fd);
    if (found == end) return;
    *found = end[-1];
    --count;
  }
};
static_assert(sizeof(Registry) == 4096);

Registry& registry() {
  static Registry* const instance = new Registry;  // Never destroyed: used at exit.
  return *instance;
}

}  // namespace

constinit thread_local DescriptorHandover* tls_handover = nullptr;

bool open_os_descriptors(absl::FunctionRef<bool()> open, std::span<const int> fds) {
  Registry& books = registry();
  std::scoped_lock lock(books.mutex);
  if (books.count + fds.size() > Registry::kMax) {
    errno = EMFILE;
    return false;
  }
  if (!open()) return false;
  for (int fd : fds) books.add(fd);
  return true;
}

void close_os_descriptor(int fd) noexcept {
  Registry& books = registry();
  std::scoped_lock lock(books.mutex);
  books.remove(fd);
  ::close(fd);  // EINTR: Linux has closed it anyway; retrying could close another's.
}

ForkLock::ForkLock() : lock_(registry().mutex) {}
ForkLock::~ForkLock() = default;

void ForkLock::close_all_but(std::span<const int> kept) {
  Registry& books = registry();
  size_t kept_count = 0;
  for (size_t i = 0; i < books.count; ++i) {
    const int fd = books.fds[i];
    if (std::find(kept.begin(), kept.end(), fd) != kept.end()) {
      books.fds[kept_count++] = fd;
    } else {
      ::close(fd);
    }
  }
  books.count = kept_count;
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
