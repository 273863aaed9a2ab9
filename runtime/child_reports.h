// Copyright 2026 The weft Authors.
//
// How a real child process tells the parent that reaps it why it failed.
//
// One shared memory region, mapped once (before the first fork()) and
// inherited by every descendant, holds a table of report slots keyed by pid.
// A child whose function failed claims a free slot, writes its report and
// marks it complete; the parent that reaps it takes the slot by the pid it
// reaped. Pids are unique among live processes, and a slot is freed when its
// child is reaped, before the pid can be reused.
//
// Why not a pipe per child: a pipe costs the parent pipe2, two closes, a
// read and registry bookkeeping per spawn -- and writes to pages the fork
// has just write-protected, each a page fault of tens of microseconds on some
// VMs. A child that succeeds touches nothing here, and the parent reads one
// already-mapped page after reaping.

#ifndef WEFT_RUNTIME_CHILD_REPORTS_H_
#define WEFT_RUNTIME_CHILD_REPORTS_H_

#include <sys/types.h>

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
bool post_child_report(std::string_view report) noexcept;

inline constexpr size_t kChildReportMax = (64 << 10) - 64;

// What a reaped child left.
struct ChildReport {
  std::string text;
  bool complete = true;  // False if the child died while writing it.
};

// In the parent, after reaping `pid`: takes (and frees) what it posted.
std::optional<ChildReport> take_child_report(pid_t pid);

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_CHILD_REPORTS_H_
