// Copyright 2026 The weft Authors.
//
// How a real child process tells the parent that reaps it why it failed.
//
// One shared memory region, mapped once (before the first fork()) and
// inherited by every descendant, holds a table of report slots keyed by pid
// and a nonce the parent drew before the fork (pids are reused: a failed
// grandchild orphaned before its parent waited leaves a slot behind, which a
// later process with its pid must not be blamed for). A child whose function
// failed claims a free slot, writes its report and marks it complete; the
// parent that reaps it takes the slot by pid and nonce, and frees any stale
// slot of that pid.
//
// Why not a pipe per child: a pipe costs the parent pipe2, two closes, a
// read and registry bookkeeping per spawn -- and writes to pages the fork
// has just write-protected, each a page fault of tens of microseconds on some
// VMs. A child that succeeds touches nothing here, and the parent reads one
// already-mapped page after reaping.

#ifndef WEFT_RUNTIME_CHILD_REPORTS_H_
#define WEFT_RUNTIME_CHILD_REPORTS_H_

#include <sys/types.h>

#include <cstdint>

#include <optional>
#include <string>
#include <string_view>

namespace weft::internal {

// Maps the region if this process tree has none yet. Call before fork().
// Throws std::system_error if it cannot be mapped.
void prepare_child_reports();

// In a child: posts `report` under this process's pid. Returns false if every
// slot is taken (64 failed children not yet reaped) or the report is larger
// than a slot (kChildReportMax bytes).
bool post_child_report(uint64_t nonce, std::string_view report) noexcept;

// A nonce for the next spawn: the monotonic clock in nanoseconds (read from
// the vDSO: no page written), unique per pid within a boot.
uint64_t child_report_nonce() noexcept;

inline constexpr size_t kChildReportMax = (64 << 10) - 64;

// What a reaped child left.
struct ChildReport {
  std::string text;
  bool complete = true;  // False if the child died while writing it.
};

// In the parent, after reaping `pid`: takes (and frees) what it posted.
std::optional<ChildReport> take_child_report(pid_t pid, uint64_t nonce);
// The same, discarding it (no allocation: for noexcept paths).
void discard_child_report(pid_t pid, uint64_t nonce) noexcept;

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_CHILD_REPORTS_H_
