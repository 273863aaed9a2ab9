// Copyright 2026 The weft Authors.

#include "runtime/os_descriptors.h"

#include <sched.h>
#include <sys/single_threaded.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <new>
#include <system_error>
#include <type_traits>
#include <utility>

#include "weft/internal/check.h"
#include "weft/internal/descriptor.h"

namespace weft::internal {
namespace {

// The lock and the descriptors in one page: a child process that writes
// one writes both (reset, forget), and each page written after fork() costs
// a copy-on-write fault, which on some VMs costs tens of microseconds.
struct alignas(4096) Registry {
  static constexpr size_t kMax = 1000;  // weft descriptors open at once

  std::mutex mutex;
  // The process `mutex` belongs to (0 before the first use). In a forked
  // child it is the parent's pid (or minus the child's own, while one thread
  // resets the lock) until the child first uses the registry: the copy
  // fork() made may be held by the parent's forking thread, which does not
  // exist here.
  std::atomic<pid_t> owner{0};
  size_t count = 0;
  std::array<int, kMax> fds{};

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
// Constant-initialised and never destroyed (used at exit): no guard or
// allocation on first use, which a child would otherwise pay in faults.
static_assert(std::is_trivially_destructible_v<Registry>);
constinit Registry the_registry;

Registry& registry() { return the_registry; }

// Locks the registry, first resetting a lock this process inherited from
// its parent.
std::unique_lock<std::mutex> lock_registry() {
  Registry& books = registry();
  const pid_t me = ::getpid();
  for (;;) {
    pid_t seen = books.owner.load(std::memory_order_acquire);
    if (seen == me) break;
    if (seen == -me) {  // Another thread of this process is resetting it.
      ::sched_yield();
      continue;
    }
    if (books.owner.compare_exchange_weak(seen, -me, std::memory_order_acq_rel)) {
      new (&books.mutex) std::mutex;  // Unlocked; nobody here can hold the old one.
      books.owner.store(me, std::memory_order_release);
      break;
    }
  }
  return std::unique_lock<std::mutex>(books.mutex);
}

}  // namespace

constinit thread_local DescriptorHandover* tls_handover = nullptr;

bool open_os_descriptors(absl::FunctionRef<bool()> open, std::span<const int> fds) {
  std::unique_lock<std::mutex> lock = lock_registry();
  Registry& books = registry();
  if (books.count + fds.size() > Registry::kMax) {
    errno = EMFILE;
    return false;
  }
  if (!open()) return false;
  for (int fd : fds) books.add(fd);
  return true;
}

void close_os_descriptor(int fd) noexcept {
  std::unique_lock<std::mutex> lock = lock_registry();
  registry().remove(fd);
  ::close(fd);  // EINTR: Linux has closed it anyway; retrying could close another's.
}

ForkLock::ForkLock() {
  if (!__libc_single_threaded) lock_ = lock_registry();
  registered_ = registry().count;
}
ForkLock::~ForkLock() = default;

void ForkLock::in_child_close_all_but(std::span<const int> kept) {
  // lock_ stays as it is: the child never returns to release it (a write
  // to the forking frame's page), and lock_registry() resets the child's
  // copy of the registry's lock when it is next used.
  if (registered_ == 0) return;
  Registry& books = registry();
  WEFT_CHECK_EQ(books.count, registered_);
  const auto is_kept = [&](int fd) {
    return std::find(kept.begin(), kept.end(), fd) != kept.end();
  };
  if (std::all_of(books.fds.data(), books.fds.data() + books.count, is_kept)) return;
  size_t kept_count = 0;
  for (size_t i = 0; i < books.count; ++i) {
    const int fd = books.fds[i];
    if (is_kept(fd)) {
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
