// Copyright 2026 The weft Authors.
//
// The small out-of-line pieces of the seam: the thread-local backend slot,
// WEFT_CHECK's failure path, names of object kinds, the clock, and the
// free functions of this_thread.h and assert.h. Each forwards to the active
// backend, or does the OS thing.

#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "weft/assert.h"
#include "weft/clock.h"
#include "weft/internal/backend.h"
#include "weft/internal/check.h"
#include "weft/internal/prng.h"
#include "weft/this_thread.h"

namespace weft::internal {

constinit thread_local Backend* tls_backend = nullptr;

void check_failed(const char* file, int line, const char* text, const std::string& detail) {
  std::fprintf(stderr, "weft: internal check failed at %s:%d: %s%s%s%s\n", file, line, text,
               detail.empty() ? "" : " (", detail.c_str(), detail.empty() ? "" : ")");
  std::fflush(stderr);
  std::abort();
}

const char* object_kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kMutex:
      return "Mutex";
    case ObjectKind::kSharedMutex:
      return "SharedMutex";
    case ObjectKind::kCondVar:
      return "CondVar";
    case ObjectKind::kSemaphore:
      return "Semaphore";
    case ObjectKind::kAtomic:
      return "Atomic";
  }
  return "object";
}

void assertion_failed(const char* condition, const std::string& message,
                      std::source_location where) {
  if (Backend* backend = active_backend()) {
    backend->assertion_failed(condition, message, where);
    return;
  }
  throw AssertionFailure(absl::StrFormat("WEFT_ASSERT(%s) failed at %s:%d%s%s", condition,
                                         where.file_name(), where.line(),
                                         message.empty() ? "" : ": ", message));
}

}  // namespace weft::internal

namespace weft {

Clock::time_point Clock::now() {
  if (internal::Backend* backend = internal::active_backend()) return backend->now();
  return time_point(
      std::chrono::duration_cast<duration>(std::chrono::steady_clock::now().time_since_epoch()));
}

void yield(std::source_location where) {
  if (internal::Backend* backend = internal::active_backend()) {
    backend->yield(where);
  } else {
    std::this_thread::yield();
  }
}

namespace internal {
void sleep_thread_until(Clock::time_point deadline, std::source_location where) {
  if (internal::Backend* backend = internal::active_backend()) {
    backend->sleep_until(deadline, where);
  } else {
    std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            deadline.time_since_epoch())));
  }
}
}  // namespace internal

uint64_t random() {
  if (internal::Backend* backend = internal::active_backend()) return backend->random_u64();
  // Real runs are not reproducible anyway; seed each OS thread from the OS.
  thread_local internal::Prng generator((static_cast<uint64_t>(std::random_device{}()) << 32) ^
                                        std::random_device{}());
  return generator.next_u64();
}

uint32_t random(uint64_t bound) {
  WEFT_CHECK_GT(bound, 0u);
  WEFT_CHECK_LE(bound, uint64_t{1} << 32);
  return static_cast<uint32_t>(((random() >> 32) * bound) >> 32);
}

}  // namespace weft
