// Copyright 2026 The weft Authors.

#include "examples/workloads/catalogue.h"

#include <array>

namespace weft::examples {
namespace {

constexpr std::array kCatalogue = {
    Workload{"bank", "two transfers lock their accounts in opposite orders", &bank_deadlock,
             &bank_fixed, FailureKind::kDeadlock},
    Workload{"philosophers", "five philosophers each take their left fork, then their right",
             &philosophers_deadlock, &philosophers_fixed, FailureKind::kDeadlock},
    Workload{"lost_update", "two threads increment a counter by a load and a separate store",
             &lost_update_buggy, &lost_update_fixed, FailureKind::kAssertion},
    Workload{"check_then_act", "two customers check the balance, then withdraw, in two steps",
             &check_then_act_buggy, &check_then_act_fixed, FailureKind::kAssertion},
    Workload{"order_violation", "a handler reads the configuration without waiting for its loader",
             &order_violation_buggy, &order_violation_fixed, FailureKind::kAssertion},
    Workload{"lost_wakeup", "a worker waits without a predicate; the notify can come first",
             &lost_wakeup_buggy, &lost_wakeup_fixed, FailureKind::kDeadlock},
    Workload{"bounded_buffer", "producers and consumers share one condvar with notify_one",
             &bounded_buffer_buggy, &bounded_buffer_fixed, FailureKind::kDeadlock},
    Workload{"async_lock_order",
             "two transfer tasks lock their accounts' AsyncMutexes in opposite orders",
             &async_lock_order_deadlock, &async_lock_order_fixed, FailureKind::kDeadlock},
    Workload{"async_check_then_act",
             "two customers check the balance, co_await an audit write, then debit",
             &async_check_then_act_buggy, &async_check_then_act_fixed, FailureKind::kAssertion},
    Workload{"lost_last_message",
             "a consumer loops while the channel is open and drops what is buffered",
             &lost_last_message_buggy, &lost_last_message_fixed, FailureKind::kAssertion},
    Workload{"timeout_half_update", "a timeout cancels a transfer between its debit and credit",
             &timeout_half_update_buggy, &timeout_half_update_fixed, FailureKind::kAssertion},
    Workload{"channel_cycle", "two replicas each await the other's answer, one request at a time",
             &channel_cycle_deadlock, &channel_cycle_fixed, FailureKind::kDeadlock},
    Workload{"pipe_deadlock",
             "two processes each write a document bigger than a pipe before reading the other's",
             &pipe_deadlock_buggy, &pipe_deadlock_fixed, FailureKind::kDeadlock},
    Workload{"leaked_child",
             "a pool restarts a worker its watchdog killed without reaping the killed one",
             &leaked_child_buggy, &leaked_child_fixed, FailureKind::kLeakedProcess},
    Workload{"lost_request",
             "a client sends one request over a lossy network and waits for the answer forever",
             &lost_request_buggy, &lost_request_fixed, FailureKind::kDeadlock},
    Workload{"stale_read",
             "a primary acknowledges a write it forwarded to its backup once, across a partition",
             &stale_read_buggy, &stale_read_fixed, FailureKind::kAssertion},
    Workload{"two_leaders", "nodes that hear from no higher node lead, without a quorum",
             &two_leaders_buggy, &two_leaders_fixed, FailureKind::kAssertion},
};

}  // namespace

std::span<const Workload> catalogue() { return kCatalogue; }

const Workload* find_workload(std::string_view name) {
  for (const Workload& workload : kCatalogue) {
    if (workload.name == name) return &workload;
  }
  return nullptr;
}

}  // namespace weft::examples
