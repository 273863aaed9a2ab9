// Copyright 2026 The weft Authors.

#include "runtime/child_reports.h"

#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <system_error>

#include "weft/internal/check.h"

namespace weft::internal {
namespace {

constexpr size_t kSlots = 64;
constexpr size_t kSlotBytes = 64 << 10;
static_assert(kChildReportMax <= kSlotBytes);

// The slot headers share the region's first page, so a parent looking for
// its child's report reads one page (mapped once, never write-protected by
// fork: the region is shared).
struct SlotHeader {
  std::atomic<pid_t> pid;       // 0: free
  std::atomic<uint64_t> nonce;  // Written by the claimant before `stored`.
  // 0: being written (or the writer died); else the report's size + 1. A
  // freed slot is reset to 0 before its pid, so a new owner's slot reads as
  // "being written" until the report is in.
  std::atomic<uint32_t> stored;
};
static_assert(std::atomic<pid_t>::is_always_lock_free &&
              std::atomic<uint32_t>::is_always_lock_free &&
              std::atomic<uint64_t>::is_always_lock_free);  // shared between processes

// The slot headers in the first page, then one kSlotBytes buffer per slot.
struct Region {
  SlotHeader* headers;
  char* data;
  char* slot_data(size_t slot) const { return data + slot * kSlotBytes; }
};
constexpr size_t kHeaderBytes = 4096;
static_assert(sizeof(SlotHeader) * kSlots <= kHeaderBytes);

Region map_region() {
  const size_t bytes = kHeaderBytes + kSlots * kSlotBytes;
  void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) {
    throw std::system_error(errno, std::generic_category(),
                            "weft::Process::spawn: mmap of the child report region");
  }
  // Only the headers are constructed (every slot free); a data page is
  // committed when a failing child first writes to it.
  return Region{new (memory) SlotHeader[kSlots](), static_cast<char*>(memory) + kHeaderBytes};
}

// Inherited by children: a descendant posts to the region its parent reads.
const Region& region() {
  static const Region instance = map_region();  // Never unmapped: children use it to the end.
  return instance;
}

}  // namespace

void prepare_child_reports() { region(); }

uint64_t child_report_nonce() noexcept {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(now.tv_nsec);
}

bool post_child_report(uint64_t nonce, std::string_view report) noexcept {
  if (report.size() > kChildReportMax) return false;
  const Region& reports = region();
  const pid_t me = ::getpid();
  for (size_t slot = 0; slot < kSlots; ++slot) {
    SlotHeader& header = reports.headers[slot];
    pid_t expected = 0;
    if (!header.pid.compare_exchange_strong(expected, me, std::memory_order_acquire)) continue;
    WEFT_CHECK_EQ(header.stored.load(std::memory_order_relaxed), 0u);
    header.nonce.store(nonce, std::memory_order_relaxed);
    std::memcpy(reports.slot_data(slot), report.data(), report.size());
    header.stored.store(static_cast<uint32_t>(report.size()) + 1, std::memory_order_release);
    return true;
  }
  return false;
}

namespace {

// Finds the slot `pid` (reaped, so no longer writing) posted under `nonce`,
// and frees every other slot of that pid: left by an earlier process with
// the same pid, orphaned before its parent could take it. (A child killed
// between claiming a slot and stamping its nonce leaves one that cannot be
// told from such a leftover: freed, not reported; its status says it died.)
template <typename Take>
void take_slot(pid_t pid, uint64_t nonce, Take take) {
  WEFT_CHECK_GT(pid, 0);
  const Region& reports = region();
  for (size_t slot = 0; slot < kSlots; ++slot) {
    SlotHeader& header = reports.headers[slot];
    if (header.pid.load(std::memory_order_acquire) != pid) continue;
    const uint32_t stored = header.stored.load(std::memory_order_acquire);
    WEFT_CHECK_LE(stored, kChildReportMax + 1);
    if (header.nonce.load(std::memory_order_relaxed) == nonce) take(slot, stored);
    header.stored.store(0, std::memory_order_relaxed);
    header.nonce.store(0, std::memory_order_relaxed);
    header.pid.store(0, std::memory_order_release);
  }
}

}  // namespace

std::optional<ChildReport> take_child_report(pid_t pid, uint64_t nonce) {
  std::optional<ChildReport> report;
  take_slot(pid, nonce, [&](size_t slot, uint32_t stored) {
    report.emplace();
    if (stored == 0) {
      report->complete = false;
    } else {
      report->text.assign(region().slot_data(slot), stored - 1);
    }
  });
  return report;
}

void discard_child_report(pid_t pid, uint64_t nonce) noexcept {
  take_slot(pid, nonce, [](size_t, uint32_t) {});
}

}  // namespace weft::internal
