// Copyright 2026 The weft Authors.
//
// The catalogue of known-buggy workloads, each beside its fixed twin. The
// explorer must find every bug (tests/buggy/ states the budget) and must pass
// every twin; `weft_examples` runs them for a newcomer.
//
//   for (const weft::examples::Workload& workload : weft::examples::catalogue()) {
//     weft::Report buggy = weft::explore(options, workload.buggy);
//     weft::Report fixed = weft::explore(options, workload.fixed);
//   }

#ifndef WEFT_EXAMPLES_WORKLOADS_CATALOGUE_H_
#define WEFT_EXAMPLES_WORKLOADS_CATALOGUE_H_

#include <span>
#include <string_view>

#include "weft/weft.h"

namespace weft::examples {

struct Workload {
  std::string_view name;         // "bank", as on the command line
  std::string_view description;  // one line: the bug
  void (*buggy)();
  void (*fixed)();
  FailureKind expected;  // what the buggy version is reported as
};

// Every workload, in a fixed order.
std::span<const Workload> catalogue();

// The workload called `name`, or nullptr.
const Workload* find_workload(std::string_view name);

// Each workload, declared here so that tests and benchmarks can call them.
void bank_deadlock();
void bank_fixed();
void philosophers_deadlock();
void philosophers_fixed();
void lost_update_buggy();
void lost_update_fixed();
void check_then_act_buggy();
void check_then_act_fixed();
void order_violation_buggy();
void order_violation_fixed();
void lost_wakeup_buggy();
void lost_wakeup_fixed();
void bounded_buffer_buggy();
void bounded_buffer_fixed();
void async_lock_order_deadlock();
void async_lock_order_fixed();
void async_check_then_act_buggy();
void async_check_then_act_fixed();
void lost_last_message_buggy();
void lost_last_message_fixed();
void timeout_half_update_buggy();
void timeout_half_update_fixed();
void channel_cycle_deadlock();
void channel_cycle_fixed();
void pipe_deadlock_buggy();
void pipe_deadlock_fixed();
void leaked_child_buggy();
void leaked_child_fixed();
void lost_request_buggy();
void lost_request_fixed();
void stale_read_buggy();
void stale_read_fixed();
void two_leaders_buggy();
void two_leaders_fixed();

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_WORKLOADS_CATALOGUE_H_
