// Copyright 2026 The weft Authors.
//
// Goal: weft::lin::check() accepts exactly the linearizable histories, says
// why the others are not with the shortest non-linearizable prefix, stays
// within its limits (an error or `undecided`, never a crash or a guess), and
// memoisation keeps highly concurrent histories cheap; History records
// consistently from many threads. Method: hand-written histories on FIFO
// queue, LIFO stack, register and set models, each failing case paired with a
// passing twin that differs only in the decisive result; exact state counts
// where the search space can be counted by hand; recording from std::threads
// and from weft's simulated threads.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "weft/explore.h"
#include "weft/linearizability.h"
#include "weft/weft.h"

namespace weft::lin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// -----------------------------------------------------------------------------
// Models
// -----------------------------------------------------------------------------

struct ContainerOp {
  enum Kind { kPush, kPop } kind;
  int value = 0;
};
std::string describe(const ContainerOp& op) {
  return op.kind == ContainerOp::kPush ? absl::StrCat("push(", op.value, ")") : "pop()";
}
ContainerOp push(int value) { return {ContainerOp::kPush, value}; }
ContainerOp pop() { return {ContainerOp::kPop, 0}; }

// What a container or register operation returns: nothing (push, write), a
// value (pop, read), or "empty" (pop on an empty container).
struct Reply {
  enum Kind { kNothing, kValue, kEmpty } kind = kNothing;
  int value = 0;
  friend bool operator==(const Reply&, const Reply&) = default;
};
std::string describe(const Reply& reply) {
  switch (reply.kind) {
    case Reply::kNothing:
      return "";
    case Reply::kValue:
      return absl::StrCat(reply.value);
    case Reply::kEmpty:
      return "empty";
  }
  return "?";
}
Reply nothing() { return {Reply::kNothing, 0}; }
Reply got(int value) { return {Reply::kValue, value}; }
Reply empty() { return {Reply::kEmpty, 0}; }

struct QueueModel {
  using Op = ContainerOp;
  using Result = Reply;
  static constexpr std::string_view kName = "QueueModel";
  std::deque<int> items;

  Result apply(const Op& op) {
    if (op.kind == Op::kPush) {
      items.push_back(op.value);
      return nothing();
    }
    if (items.empty()) return empty();
    const int front = items.front();
    items.pop_front();
    return got(front);
  }
  friend bool operator==(const QueueModel&, const QueueModel&) = default;
  template <class H>
  friend H AbslHashValue(H h, const QueueModel& m) {
    return H::combine(std::move(h), m.items);
  }
};

struct StackModel {
  using Op = ContainerOp;
  using Result = Reply;
  static constexpr std::string_view kName = "StackModel";
  std::vector<int> items;

  Result apply(const Op& op) {
    if (op.kind == Op::kPush) {
      items.push_back(op.value);
      return nothing();
    }
    if (items.empty()) return empty();
    const int top = items.back();
    items.pop_back();
    return got(top);
  }
  friend bool operator==(const StackModel&, const StackModel&) = default;
  template <class H>
  friend H AbslHashValue(H h, const StackModel& m) {
    return H::combine(std::move(h), m.items);
  }
};

struct RegisterOp {
  enum Kind { kWrite, kRead } kind;
  int value = 0;
};
std::string describe(const RegisterOp& op) {
  return op.kind == RegisterOp::kWrite ? absl::StrCat("write(", op.value, ")") : "read()";
}
RegisterOp write(int value) { return {RegisterOp::kWrite, value}; }
RegisterOp read() { return {RegisterOp::kRead, 0}; }

struct RegisterModel {
  using Op = RegisterOp;
  using Result = Reply;
  static constexpr std::string_view kName = "RegisterModel";
  int value = 0;

  Result apply(const Op& op) {
    if (op.kind == Op::kWrite) {
      value = op.value;
      return nothing();
    }
    return got(value);
  }
  friend bool operator==(const RegisterModel&, const RegisterModel&) = default;
  template <class H>
  friend H AbslHashValue(H h, const RegisterModel& m) {
    return H::combine(std::move(h), m.value);
  }
};

// A set of small ints (0..255): add(x) returns 1 if x was new, else 0; size()
// the size. A bitmask, so that copies are cheap and the memoisation tests
// measure the search, not std::set. Its Result is a plain int, printed by
// weft::lin's built-in describe(), and it has no kName.
struct SetOp {
  enum Kind { kAdd, kSize } kind;
  int value = 0;
};
std::string describe(const SetOp& op) {
  return op.kind == SetOp::kAdd ? absl::StrCat("add(", op.value, ")") : "size()";
}

struct SetModel {
  using Op = SetOp;
  using Result = int;
  std::array<uint64_t, 4> bits = {};

  Result apply(const Op& op) {
    if (op.kind == Op::kSize) {
      int size = 0;
      for (uint64_t word : bits) size += std::popcount(word);
      return size;
    }
    uint64_t& word = bits.at(static_cast<size_t>(op.value) / 64);
    const uint64_t bit = uint64_t{1} << (op.value % 64);
    const bool added = (word & bit) == 0;
    word |= bit;
    return added ? 1 : 0;
  }
  friend bool operator==(const SetModel&, const SetModel&) = default;
  template <class H>
  friend H AbslHashValue(H h, const SetModel& m) {
    return H::combine(std::move(h), m.bits);
  }
};

static_assert(SequentialModel<QueueModel>);
static_assert(SequentialModel<SetModel>);
static_assert(!SequentialModel<int>);

TEST(DescribeTest, BuiltInDescriptionsCoverPlainTypes) {
  static_assert(Describable<std::optional<int>>);
  static_assert(!Describable<ContainerOp*>);  // no conversion to bool
  static_assert(!Describable<ContainerOp::Kind>);
  // Qualified: the describe() overloads of this file hide weft::lin's.
  EXPECT_EQ(lin::describe(42), "42");
  EXPECT_EQ(lin::describe(2.5), "2.5");
  EXPECT_EQ(lin::describe(true), "true");
  EXPECT_EQ(lin::describe(std::string("a")), "\"a\"");
  EXPECT_EQ(lin::describe(std::monostate{}), "");
  EXPECT_EQ(lin::describe(std::optional<int>()), "none");
  EXPECT_EQ(lin::describe(std::optional<int>(3)), "3");
  EXPECT_EQ(lin::describe(std::optional<ContainerOp>(push(3))), "push(3)");  // ADL inside
}

// Invokes and immediately responds: a call that overlaps nothing.
template <class Model>
void run(History<Model>& history, uint32_t client, typename Model::Op op,
         typename Model::Result result) {
  history.respond(history.invoke(client, std::move(op)), std::move(result));
}

// -----------------------------------------------------------------------------
// Sequential histories
// -----------------------------------------------------------------------------

TEST(LinearizabilityTest, EmptyHistoryIsLinearizable) {
  History<QueueModel> history;
  const LinearizabilityResult result = check(history, QueueModel{});
  EXPECT_TRUE(result.linearizable) << result.to_string();
  EXPECT_FALSE(result.undecided);
  EXPECT_EQ(result.states_visited, 0u);
  EXPECT_THAT(result.to_string(), HasSubstr("linearizable with respect to QueueModel"));
}

TEST(LinearizabilityTest, CorrectSequentialHistoryPasses) {
  History<QueueModel> history;
  run(history, 0, push(1), nothing());
  run(history, 1, push(2), nothing());
  run(history, 0, pop(), got(1));
  run(history, 1, pop(), got(2));
  run(history, 0, pop(), empty());
  const LinearizabilityResult result = check(history, QueueModel{});
  EXPECT_TRUE(result.linearizable) << result.to_string();
  EXPECT_EQ(result.states_visited, 5u);  // one call at a time, no backtracking
  EXPECT_EQ(result.operation_count, 5u);
  EXPECT_FALSE(result.witness.has_value());
}

TEST(LinearizabilityTest, SequentialHistoryWithAWrongResultFails) {
  History<QueueModel> history;
  run(history, 0, push(1), nothing());
  run(history, 1, push(2), nothing());
  run(history, 0, pop(), got(2));  // FIFO: must be 1
  run(history, 1, pop(), got(1));
  run(history, 0, push(3), nothing());
  const LinearizabilityResult result = check(history, QueueModel{});
  ASSERT_TRUE(result.status.ok());
  EXPECT_FALSE(result.linearizable);
  EXPECT_FALSE(result.undecided);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->operations.size(), 3u);  // cut just after the wrong pop
  EXPECT_EQ(result.witness->events.size(), 6u);
  EXPECT_TRUE(result.witness->minimal);
  EXPECT_THAT(result.witness->longest_linearization, ElementsAre("push(1)", "push(2)"));
  EXPECT_THAT(result.to_string(), HasSubstr("the longest consistent prefix linearizes push(1), "
                                            "push(2)"));
}

TEST(LinearizabilityTest, InitialStateIsTheModelPassedToCheck) {
  History<QueueModel> history;
  run(history, 0, pop(), got(7));
  EXPECT_FALSE(check(history, QueueModel{}).linearizable);
  EXPECT_TRUE(check(history, QueueModel{{7}}).linearizable);
}

// -----------------------------------------------------------------------------
// FIFO queue
// -----------------------------------------------------------------------------

// push(1) overlaps pop(): the pop may see the item or not.
void overlapping_push_and_pop(History<QueueModel>& history, Reply popped) {
  const Call pushed = history.invoke(0, push(1));
  const Call popping = history.invoke(1, pop());
  history.respond(pushed, nothing());
  history.respond(popping, popped);
}

TEST(QueueLinearizabilityTest, OverlappingPushAndPopMayTakeEffectInEitherOrder) {
  History<QueueModel> pop_first;
  overlapping_push_and_pop(pop_first, empty());
  EXPECT_TRUE(check(pop_first, QueueModel{}).linearizable);
  History<QueueModel> push_first;
  overlapping_push_and_pop(push_first, got(1));
  EXPECT_TRUE(check(push_first, QueueModel{}).linearizable);
  History<QueueModel> neither;
  overlapping_push_and_pop(neither, got(2));
  EXPECT_FALSE(check(neither, QueueModel{}).linearizable);
}

TEST(QueueLinearizabilityTest, PopOfAValuePushedAfterThePopReturnedFails) {
  History<QueueModel> history;
  run(history, 1, pop(), got(1));
  run(history, 0, push(1), nothing());
  const LinearizabilityResult result = check(history, QueueModel{});
  EXPECT_FALSE(result.linearizable);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->operations.size(), 1u);  // the pop alone is already wrong
  EXPECT_THAT(result.to_string(), HasSubstr("none of them can take effect first"));

  History<QueueModel> twin;  // the push overlaps the pop: fine
  const Call pushed = twin.invoke(0, push(1));
  run(twin, 1, pop(), got(1));
  twin.respond(pushed, nothing());
  EXPECT_TRUE(check(twin, QueueModel{}).linearizable);
}

TEST(QueueLinearizabilityTest, PopReturningEmptyWhileACompletedPushsItemIsQueuedFails) {
  History<QueueModel> history;
  run(history, 0, push(1), nothing());
  const Call pushed = history.invoke(0, push(2));  // overlaps the pop; cannot help it
  run(history, 1, pop(), empty());
  history.respond(pushed, nothing());
  EXPECT_FALSE(check(history, QueueModel{}).linearizable);

  History<QueueModel> twin;  // the first push overlaps the pop instead
  const Call overlapping = twin.invoke(0, push(1));
  run(twin, 1, pop(), empty());
  twin.respond(overlapping, nothing());
  EXPECT_TRUE(check(twin, QueueModel{}).linearizable);
}

TEST(QueueLinearizabilityTest, CompletedPushesAreDequeuedInOrderConcurrentOnesInAny) {
  History<QueueModel> sequential;
  run(sequential, 0, push(1), nothing());
  run(sequential, 1, push(2), nothing());
  run(sequential, 2, pop(), got(2));
  EXPECT_FALSE(check(sequential, QueueModel{}).linearizable);

  History<QueueModel> concurrent;
  const Call first = concurrent.invoke(0, push(1));
  const Call second = concurrent.invoke(1, push(2));
  concurrent.respond(first, nothing());
  concurrent.respond(second, nothing());
  run(concurrent, 2, pop(), got(2));
  run(concurrent, 2, pop(), got(1));
  EXPECT_TRUE(check(concurrent, QueueModel{}).linearizable);
}

TEST(QueueLinearizabilityTest, PendingPushMayTakeEffectOrNot) {
  History<QueueModel> taken;  // took effect before the pop
  taken.invoke(0, push(1));
  run(taken, 1, pop(), got(1));
  EXPECT_TRUE(check(taken, QueueModel{}).linearizable);

  History<QueueModel> not_taken;
  not_taken.invoke(0, push(1));
  run(not_taken, 1, pop(), empty());
  const LinearizabilityResult result = check(not_taken, QueueModel{});
  EXPECT_TRUE(result.linearizable);
  EXPECT_EQ(result.pending_count, 1u);

  History<QueueModel> later;  // took effect between the two pops
  later.invoke(0, push(1));
  run(later, 1, pop(), empty());
  run(later, 1, pop(), got(1));
  EXPECT_TRUE(check(later, QueueModel{}).linearizable);

  History<QueueModel> twice;  // but only once
  twice.invoke(0, push(1));
  run(twice, 1, pop(), got(1));
  run(twice, 1, pop(), got(1));
  EXPECT_FALSE(check(twice, QueueModel{}).linearizable);
}

TEST(QueueLinearizabilityTest, PendingPushInvokedAfterAPopCannotExplainIt) {
  History<QueueModel> history;
  run(history, 1, pop(), got(1));
  history.invoke(0, push(1));
  EXPECT_FALSE(check(history, QueueModel{}).linearizable);
}

// -----------------------------------------------------------------------------
// LIFO stack
// -----------------------------------------------------------------------------

TEST(StackLinearizabilityTest, CompletedPushesArePoppedInReverseOrder) {
  History<StackModel> wrong;
  run(wrong, 0, push(1), nothing());
  run(wrong, 1, push(2), nothing());
  run(wrong, 2, pop(), got(1));
  EXPECT_FALSE(check(wrong, StackModel{}).linearizable);

  History<StackModel> right;
  run(right, 0, push(1), nothing());
  run(right, 1, push(2), nothing());
  run(right, 2, pop(), got(2));
  run(right, 2, pop(), got(1));
  run(right, 2, pop(), empty());
  EXPECT_TRUE(check(right, StackModel{}).linearizable);

  // The FIFO history is not a LIFO one, and the other way round.
  History<QueueModel> fifo;
  run(fifo, 0, push(1), nothing());
  run(fifo, 1, push(2), nothing());
  run(fifo, 2, pop(), got(1));
  EXPECT_TRUE(check(fifo, QueueModel{}).linearizable);
}

TEST(StackLinearizabilityTest, ConcurrentPushesMayBePoppedInEitherOrder) {
  History<StackModel> history;
  const Call first = history.invoke(0, push(1));
  const Call second = history.invoke(1, push(2));
  history.respond(second, nothing());
  history.respond(first, nothing());
  run(history, 2, pop(), got(1));
  run(history, 2, pop(), got(2));
  EXPECT_TRUE(check(history, StackModel{}).linearizable);
}

TEST(StackLinearizabilityTest, OverlappingPopMaySeeThePushOrNot) {
  for (const Reply popped : {empty(), got(5)}) {
    History<StackModel> history;
    run(history, 0, push(4), nothing());
    const Call pushing = history.invoke(0, push(5));
    const Call popping = history.invoke(1, pop());
    history.respond(popping, popped == empty() ? got(4) : popped);
    history.respond(pushing, nothing());
    EXPECT_TRUE(check(history, StackModel{}).linearizable) << describe(popped);
  }
  History<StackModel> history;  // 4 was certainly pushed: the pop cannot see an empty stack
  run(history, 0, push(4), nothing());
  const Call pushing = history.invoke(0, push(5));
  run(history, 1, pop(), empty());
  history.respond(pushing, nothing());
  EXPECT_FALSE(check(history, StackModel{}).linearizable);
}

// -----------------------------------------------------------------------------
// Register
// -----------------------------------------------------------------------------

TEST(RegisterLinearizabilityTest, NewOldInversionFails) {
  // A write of 1 overlaps two reads, the second after the first returned. The
  // first sees the new value, the second the old one: no order explains it.
  History<RegisterModel> history;
  run(history, 0, write(0), nothing());
  const Call writing = history.invoke(0, write(1));
  run(history, 1, read(), got(1));
  run(history, 2, read(), got(0));
  history.respond(writing, nothing());
  const LinearizabilityResult result = check(history, RegisterModel{});
  EXPECT_FALSE(result.linearizable);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_EQ(result.witness->operations.size(), 4u);
  EXPECT_EQ(result.witness->pending_count(), 1u);  // the write, pending at the cut

  History<RegisterModel> twin;  // old then new: fine
  run(twin, 0, write(0), nothing());
  const Call write_twin = twin.invoke(0, write(1));
  run(twin, 1, read(), got(0));
  run(twin, 2, read(), got(1));
  twin.respond(write_twin, nothing());
  EXPECT_TRUE(check(twin, RegisterModel{}).linearizable);
}

TEST(RegisterLinearizabilityTest, ConcurrentReadsMayDisagreeAboutAnOverlappingWrite) {
  History<RegisterModel> history;
  const Call writing = history.invoke(0, write(1));
  const Call first = history.invoke(1, read());
  const Call second = history.invoke(2, read());
  history.respond(second, got(1));
  history.respond(first, got(0));  // overlaps `second`: may take effect before it
  history.respond(writing, nothing());
  EXPECT_TRUE(check(history, RegisterModel{}).linearizable);
}

TEST(RegisterLinearizabilityTest, StaleOrInventedReadsFail) {
  History<RegisterModel> stale;
  run(stale, 0, write(1), nothing());
  run(stale, 1, read(), got(0));
  EXPECT_FALSE(check(stale, RegisterModel{}).linearizable);

  History<RegisterModel> invented;
  const Call writing = invented.invoke(0, write(1));
  run(invented, 1, read(), got(2));
  invented.respond(writing, nothing());
  EXPECT_FALSE(check(invented, RegisterModel{}).linearizable);
}

// -----------------------------------------------------------------------------
// Memoisation
// -----------------------------------------------------------------------------

constexpr uint32_t kClients = 8;
constexpr int kRounds = 25;

// kRounds rounds in which all kClients clients invoke add(distinct value),
// then all respond: 200 calls, each overlapping the 7 others of its round. A
// final size() returns `size`.
void concurrent_adds(History<SetModel>& history, int size) {
  for (int round = 0; round < kRounds; ++round) {
    std::vector<Call> calls;
    for (uint32_t client = 0; client < kClients; ++client) {
      calls.push_back(
          history.invoke(client, SetOp{SetOp::kAdd, round * int{kClients} + int(client)}));
    }
    for (uint32_t client = kClients; client-- > 0;) history.respond(calls[client], 1);
  }
  run(history, 0, SetOp{SetOp::kSize, 0}, size);
}

TEST(MemoisationTest, LinearizableConcurrentHistoryIsFoundWithoutBacktracking) {
  History<SetModel> history;
  concurrent_adds(history, kRounds * kClients);
  const LinearizabilityResult result = check(history, SetModel{});
  EXPECT_TRUE(result.linearizable) << result.to_string();
  EXPECT_EQ(result.states_visited, uint64_t{kRounds * kClients + 1});
  EXPECT_THAT(result.to_string(), HasSubstr("the sequential model"));  // SetModel has no kName
}

TEST(MemoisationTest, ExhaustiveSearchVisitsEachSubsetOfARoundOnce) {
  // The final size() is wrong, so the search must rule out every order of
  // the 200 adds: (8!)^25 orders. With memoisation it visits each state
  // once: the earlier rounds all linearized plus a non-empty subset of the
  // current round (the state is the set of values, fixed by the subset).
  History<SetModel> history;
  concurrent_adds(history, kRounds * kClients - 1);
  CheckOptions options;
  options.minimize_witness = false;
  const LinearizabilityResult result = check(history, SetModel{}, options);
  EXPECT_FALSE(result.linearizable);
  EXPECT_FALSE(result.undecided);
  EXPECT_EQ(result.states_visited, uint64_t{kRounds * ((1u << kClients) - 1)});  // 6375

  // Without it, the same search blows through the default budget, 150 times
  // larger.
  options.memoize = false;
  const LinearizabilityResult unmemoised = check(history, SetModel{}, options);
  EXPECT_TRUE(unmemoised.undecided);
  EXPECT_FALSE(unmemoised.linearizable);
  EXPECT_EQ(unmemoised.states_visited, kStatesMaxDefault);
}

// -----------------------------------------------------------------------------
// Witness
// -----------------------------------------------------------------------------

// push(2) overlaps everything up to the second pop(), which returns 2 again:
// the shortest non-linearizable prefix ends there, with push(2) pending.
void double_pop(History<QueueModel>& history) {
  const Call first = history.invoke(0, push(1));
  const Call second = history.invoke(1, push(2));
  history.respond(first, nothing());
  run(history, 2, pop(), got(2));
  run(history, 2, pop(), got(2));  // the cut: event 7
  history.respond(second, nothing());
  run(history, 0, pop(), got(1));
  run(history, 0, push(3), nothing());
  run(history, 1, pop(), got(3));
}

TEST(WitnessTest, IsTheShortestNonLinearizablePrefix) {
  History<QueueModel> history;
  double_pop(history);
  const LinearizabilityResult result = check(history, QueueModel{});
  ASSERT_FALSE(result.linearizable);
  ASSERT_FALSE(result.undecided);
  ASSERT_TRUE(result.witness.has_value());
  const Witness& witness = *result.witness;
  EXPECT_TRUE(witness.minimal);
  EXPECT_EQ(result.operation_count, 7u);
  EXPECT_EQ(witness.operations.size(), 4u);
  EXPECT_EQ(witness.events.size(), 7u);
  EXPECT_EQ(witness.pending_count(), 1u);
  EXPECT_FALSE(witness.operations[1].result.has_value());  // push(2): pending at the cut
  EXPECT_THAT(witness.longest_linearization,
              ElementsAre("push(2) (pending)", "push(1)", "pop() -> 2"));
  EXPECT_GT(witness.minimization_states_visited, 0u);
}

TEST(WitnessTest, ToStringShowsOneColumnPerClientAndEveryOperation) {
  History<QueueModel> history;
  double_pop(history);
  const std::string report = check(history, QueueModel{}).to_string();
  EXPECT_THAT(report, HasSubstr("NOT linearizable with respect to QueueModel"));
  EXPECT_THAT(report, HasSubstr("shortest non-linearizable prefix: the first 7 events, 4 of the "
                                "7 operations"));
  EXPECT_THAT(report, HasSubstr("event | client 0 | client 1  | client 2"));
  EXPECT_THAT(report, HasSubstr("      1 | push(1)"));
  EXPECT_THAT(report, HasSubstr("      3 | returned | |         |"));
  EXPECT_THAT(report, HasSubstr("      7 |          | |         | -> 2"));
  EXPECT_THAT(report, HasSubstr("    cut |          | (pending)"));
  EXPECT_THAT(report, HasSubstr("no order of these 4 operations (1 pending: each may take effect "
                                "or not) is consistent with QueueModel; the longest consistent "
                                "prefix linearizes push(2) (pending), push(1), pop() -> 2"));
  EXPECT_THAT(report, ::testing::Not(HasSubstr("push(3)")));  // after the cut
}

TEST(WitnessTest, WithoutMinimisationIsTheHistoryUpToItsLastResponse) {
  History<QueueModel> history;
  double_pop(history);
  history.invoke(2, pop());  // pending, after the last response
  CheckOptions options;
  options.minimize_witness = false;
  const LinearizabilityResult result = check(history, QueueModel{}, options);
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_FALSE(result.witness->minimal);
  EXPECT_EQ(result.witness->operations.size(), 7u);
  EXPECT_EQ(result.witness->events.size(), 14u);
  EXPECT_EQ(result.witness->minimization_states_visited, 0u);
  EXPECT_THAT(result.to_string(), HasSubstr("a shorter one may exist"));
}

TEST(WitnessTest, CheckIsDeterministic) {
  History<SetModel> history;
  concurrent_adds(history, 3);
  const LinearizabilityResult first = check(history, SetModel{});
  const LinearizabilityResult second = check(history, SetModel{});
  EXPECT_EQ(first.states_visited, second.states_visited);
  EXPECT_EQ(first.to_string(), second.to_string());
}

// -----------------------------------------------------------------------------
// Limits and misuse
// -----------------------------------------------------------------------------

TEST(LimitsTest, TooManyOperationsIsAnErrorNotACrash) {
  History<QueueModel> history;
  for (size_t i = 0; i < kOperationsMax; ++i) run(history, 0, push(1), nothing());
  EXPECT_TRUE(history.status().ok());
  const Call dropped = history.invoke(0, push(2));
  EXPECT_EQ(dropped.index(), Call::kDropped);
  history.respond(dropped, nothing());  // a no-op, not a second error
  EXPECT_EQ(history.size(), kOperationsMax);
  EXPECT_EQ(history.status().code(), absl::StatusCode::kResourceExhausted);

  const LinearizabilityResult result = check(history, QueueModel{});
  EXPECT_EQ(result.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_FALSE(result.linearizable);
  EXPECT_FALSE(result.undecided);
  EXPECT_THAT(result.to_string(), HasSubstr("the history has 4097 operations; weft::lin checks "
                                            "at most 4096"));
}

TEST(LimitsTest, MisuseOfRespondIsReportedByCheck) {
  History<QueueModel> twice;
  const Call call = twice.invoke(3, push(1));
  twice.respond(call, nothing());
  twice.respond(call, nothing());
  const LinearizabilityResult result = check(twice, QueueModel{});
  EXPECT_EQ(result.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(result.linearizable);
  EXPECT_THAT(result.to_string(), HasSubstr("called twice for call 0 (push(1) by client 3)"));
  EXPECT_EQ(twice.events().size(), 2u);  // the second response was not recorded

  History<QueueModel> unknown;
  unknown.respond(Call(), nothing());
  EXPECT_THAT(unknown.status().message(), HasSubstr("default-constructed Call"));

  History<QueueModel> other;
  other.respond(call, nothing());
  EXPECT_THAT(other.status().message(), HasSubstr("a Call from another History"));
}

TEST(LimitsTest, ExhaustedStateBudgetIsUndecidedWithTheCount) {
  History<SetModel> history;
  concurrent_adds(history, 0);
  CheckOptions options;
  options.states_max = 100;
  const LinearizabilityResult result = check(history, SetModel{}, options);
  EXPECT_TRUE(result.status.ok());
  EXPECT_TRUE(result.undecided);
  EXPECT_FALSE(result.linearizable);
  EXPECT_FALSE(result.witness.has_value());
  EXPECT_EQ(result.states_visited, 100u);
  EXPECT_THAT(result.to_string(), HasSubstr("undecided: the search visited 100 states, the limit "
                                            "(CheckOptions::states_max = 100)"));
}

// Eight adds overlap a size() that returns 0; then all eight return 0
// ("already there"), which no order explains. The whole search fails at once
// (no add can take effect), but in a prefix where some adds are still pending
// the search tries every subset of those first.
void adds_that_cannot_return_zero(History<SetModel>& history) {
  std::vector<Call> adds;
  for (uint32_t client = 0; client < kClients; ++client) {
    adds.push_back(history.invoke(client, SetOp{SetOp::kAdd, int(client)}));
  }
  run(history, kClients, SetOp{SetOp::kSize, 0}, 0);
  for (const Call& add : adds) history.respond(add, 0);
}

TEST(LimitsTest, WitnessMinimisationOutOfBudgetIsNotClaimedMinimal) {
  History<SetModel> history;
  adds_that_cannot_return_zero(history);
  const LinearizabilityResult result = check(history, SetModel{});
  EXPECT_EQ(result.states_visited, 1u);  // size() first; then no add can return 0
  ASSERT_TRUE(result.witness.has_value());
  EXPECT_TRUE(result.witness->minimal);
  EXPECT_EQ(result.witness->operations.size(), 9u);  // cut after the first add's response
  EXPECT_EQ(result.witness->pending_count(), 7u);

  CheckOptions options;
  options.states_max = 10;  // enough for the whole search, not for the prefixes
  const LinearizabilityResult tight = check(history, SetModel{}, options);
  EXPECT_FALSE(tight.linearizable);
  EXPECT_FALSE(tight.undecided);
  ASSERT_TRUE(tight.witness.has_value());
  EXPECT_FALSE(tight.witness->minimal);
  EXPECT_GT(tight.witness->operations.size(), 9u - 7u);
  EXPECT_THAT(tight.to_string(), HasSubstr("non-linearizable prefix (a shorter one may exist)"));
}

// -----------------------------------------------------------------------------
// Recording from threads
// -----------------------------------------------------------------------------

TEST(HistoryThreadsTest, RecordingFromManyOsThreadsIsConsistentAndLinearizable) {
  // Four threads push distinct values into a mutex-protected deque and pop,
  // recording every call; under ThreadSanitizer this also checks History's
  // locking. The recorded intervals contain the real ones, so the history of
  // a correct queue must be linearizable.
  constexpr uint32_t kThreads = 4;
  constexpr int kCallsPerThread = 100;
  History<QueueModel> history;
  std::mutex queue_mutex;
  std::deque<int> queue;
  std::vector<std::thread> threads;
  for (uint32_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (i % 2 == 0) {
          const int value = static_cast<int>(t) * 1000 + i;
          const Call call = history.invoke(t, push(value));
          std::lock_guard<std::mutex> lock(queue_mutex);
          queue.push_back(value);
          history.respond(call, nothing());
          continue;
        }
        const Call call = history.invoke(t, pop());
        Reply reply = empty();
        {
          std::lock_guard<std::mutex> lock(queue_mutex);
          if (!queue.empty()) {
            reply = got(queue.front());
            queue.pop_front();
          }
        }
        history.respond(call, reply);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  const History<QueueModel>::Snapshot snapshot = history.snapshot();
  ASSERT_TRUE(snapshot.status.ok());
  ASSERT_EQ(snapshot.operations.size(), size_t{kThreads * kCallsPerThread});
  ASSERT_EQ(snapshot.events.size(), 2 * snapshot.operations.size());
  std::vector<int> seen(snapshot.operations.size(), 0);  // 1 after the invoke, 2 after
  std::vector<int> open_per_client(kThreads, 0);
  for (const Event& event : snapshot.events) {
    const uint32_t client = snapshot.operations[event.operation].client;
    if (event.kind == EventKind::kInvoke) {
      EXPECT_EQ(seen[event.operation]++, 0);
      EXPECT_EQ(open_per_client[client]++, 0);  // each thread has one call at a time
    } else {
      EXPECT_EQ(seen[event.operation]++, 1);
      EXPECT_EQ(open_per_client[client]--, 1);
    }
  }
  const LinearizabilityResult result = check(history, QueueModel{});
  EXPECT_TRUE(result.linearizable) << result.to_string();
}

// A counter whose increment returns the new value.
struct CounterModel {
  using Op = std::monostate;  // increment
  using Result = int;
  int value = 0;
  Result apply(const Op&) { return ++value; }
  friend bool operator==(const CounterModel&, const CounterModel&) = default;
  template <class H>
  friend H AbslHashValue(H h, const CounterModel& m) {
    return H::combine(std::move(h), m.value);
  }
};

// Two simulated threads increment a counter, recording into a History; with
// `atomic`, under a weft::Mutex, else as a read, a yield and a write.
void counter_workload(bool atomic) {
  History<CounterModel> history;
  weft::Mutex mutex{"counter"};
  int counter = 0;
  auto increment = [&](uint32_t client) {
    const Call call = history.invoke(client, std::monostate{});
    int result = 0;
    if (atomic) {
      std::scoped_lock lock(mutex);
      result = ++counter;
    } else {
      const int read = counter;
      weft::yield();
      counter = read + 1;
      result = counter;
    }
    history.respond(call, result);
  };
  weft::Thread first("first", [&] { increment(0); });
  weft::Thread second("second", [&] { increment(1); });
  first.join();
  second.join();
  const LinearizabilityResult result = check(history, CounterModel{});
  WEFT_ASSERT(result.linearizable, result.to_string());
}

TEST(HistoryThreadsTest, RecordingFromSimulatedThreadsWorks) {
  ExploreOptions options;
  options.iterations = 200;
  const Report atomic = explore(options, [] { counter_workload(true); });
  EXPECT_TRUE(atomic.ok()) << atomic.to_string();
  const Report racy = explore(options, [] { counter_workload(false); });
  ASSERT_FALSE(racy.ok());
  EXPECT_THAT(racy.to_string(), HasSubstr("NOT linearizable"));
  EXPECT_THAT(racy.to_string(), HasSubstr("call 0"));  // an Op that describes as ""
}

}  // namespace
}  // namespace weft::lin
