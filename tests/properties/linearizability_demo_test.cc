// Copyright 2026 The weft Authors.
//
// Goal: show weft::lin::check() as the oracle of a property test on two
// classic concurrent objects, each in a correct and a buggy version written
// against weft's primitives, and pin down what the property test finds on the
// buggy ones. Method: 2 or 3 clients (weft::Thread) run generated lists of at
// most 4 operations on one object while weft explores the interleavings;
// every call is recorded in a lin::History, and after the join the main
// thread looks at the object at rest (recorded too, as one more client), so
// a lost element shows even when no client looked for it. The history must be
// linearizable against a plain sequential model.
//
//   - TreiberStack: a lock-free stack (compare_exchange on the top index).
//     RacyPopStack pops with a plain store of the top instead of a CAS: a
//     push (or a pop) that lands between its load and its store is undone.
//   - LockedQueue: a FIFO queue under a weft::Mutex. RacyCountQueue keeps a
//     separate counter for size(), updated (load, then store) after the
//     critical section, so size() can disagree with every sequential order.
//
// The correct objects pass WEFT_PROP; the buggy ones are caught by
// weft::check() within the default budget (100 inputs x 100 executions per
// input) for each of the rapidcheck seeds 1..5, with an input of two to four
// operations and a schedule of one preemption.
//
// To see the buggy objects' reports as WEFT_PROP prints them, run this test
// with --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_Racy*'.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidcheck.h"
#include "weft/gtest.h"
#include "weft/linearizability.h"
#include "weft/property.h"
#include "weft/weft.h"

namespace weft::lin_demo {

// Generated inputs: 2 or 3 clients, each with at most 4 operations.
inline constexpr int kClientsMin = 2;
inline constexpr int kClientsMax = 3;
inline constexpr int kOpsPerClientMax = 4;

// -----------------------------------------------------------------------------
// Operations, results, inputs
// -----------------------------------------------------------------------------

struct StackOp {
  enum Kind { kPush, kPop } kind = kPush;
  int value = 0;  // push only
};

struct QueueOp {
  enum Kind { kPush, kPop, kSize } kind = kPush;
  int value = 0;  // push only
};

// What a call returns: nothing (push), a value (pop, size), or "empty" (pop
// on an empty container).
struct Reply {
  enum Kind { kNothing, kValue, kEmpty } kind = kNothing;
  int value = 0;
  friend bool operator==(const Reply&, const Reply&) = default;
};

Reply nothing() { return Reply{Reply::kNothing, 0}; }
Reply value(int value) { return Reply{Reply::kValue, value}; }
Reply empty() { return Reply{Reply::kEmpty, 0}; }
Reply from_optional(std::optional<int> popped) { return popped ? value(*popped) : empty(); }

std::string describe(const StackOp& op) {
  return op.kind == StackOp::kPush ? absl::StrCat("push(", op.value, ")") : "pop()";
}
std::string describe(const QueueOp& op) {
  switch (op.kind) {
    case QueueOp::kPush:
      return absl::StrCat("push(", op.value, ")");
    case QueueOp::kPop:
      return "pop()";
    case QueueOp::kSize:
      return "size()";
  }
  return "?";
}
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

// One generated input: client i runs ops[i], in order.
template <class Op>
struct Clients {
  std::vector<std::vector<Op>> ops;
};

// For rapidcheck's counterexamples: "[[push(0), pop()], [pop()]]".
template <class Op>
std::ostream& operator<<(std::ostream& out, const Clients<Op>& clients) {
  out << "[";
  for (size_t i = 0; i < clients.ops.size(); ++i) {
    out << (i == 0 ? "[" : ", [");
    for (size_t j = 0; j < clients.ops[i].size(); ++j) {
      out << (j == 0 ? "" : ", ") << describe(clients.ops[i][j]);
    }
    out << "]";
  }
  return out << "]";
}

}  // namespace weft::lin_demo

// The generators, declared before any property uses them. Values 0..2, so
// that shrinking ends at push(0) and equal values are common.
namespace rc {

template <>
struct Arbitrary<weft::lin_demo::StackOp> {
  static Gen<weft::lin_demo::StackOp> arbitrary() {
    using weft::lin_demo::StackOp;
    return gen::build<StackOp>(
        gen::set(&StackOp::kind, gen::element(StackOp::kPush, StackOp::kPop)),
        gen::set(&StackOp::value, gen::inRange(0, 3)));
  }
};

template <>
struct Arbitrary<weft::lin_demo::QueueOp> {
  static Gen<weft::lin_demo::QueueOp> arbitrary() {
    using weft::lin_demo::QueueOp;
    return gen::build<QueueOp>(
        gen::set(&QueueOp::kind, gen::element(QueueOp::kPush, QueueOp::kPop, QueueOp::kSize)),
        gen::set(&QueueOp::value, gen::inRange(0, 3)));
  }
};

// kClientsMin..kClientsMax clients; each list has 0..kOpsPerClientMax
// operations (a container's length is at most the generation size).
template <class Op>
struct Arbitrary<weft::lin_demo::Clients<Op>> {
  static Gen<weft::lin_demo::Clients<Op>> arbitrary() {
    using weft::lin_demo::Clients;
    return gen::map(
        gen::mapcat(gen::inRange(weft::lin_demo::kClientsMin, weft::lin_demo::kClientsMax + 1),
                    [](int clients) {
                      return gen::container<std::vector<std::vector<Op>>>(
                          static_cast<size_t>(clients),
                          gen::resize(weft::lin_demo::kOpsPerClientMax,
                                      gen::arbitrary<std::vector<Op>>()));
                    }),
        [](std::vector<std::vector<Op>> ops) { return Clients<Op>{std::move(ops)}; });
  }
};

}  // namespace rc

namespace weft::lin_demo {

// -----------------------------------------------------------------------------
// Sequential models
// -----------------------------------------------------------------------------

struct StackModel {
  using Op = StackOp;
  using Result = Reply;
  static constexpr std::string_view kName = "StackModel";

  std::vector<int> items;  // top at the back

  Result apply(const Op& op) {
    if (op.kind == StackOp::kPush) {
      items.push_back(op.value);
      return nothing();
    }
    if (items.empty()) return empty();
    const int top = items.back();
    items.pop_back();
    return value(top);
  }
  friend bool operator==(const StackModel&, const StackModel&) = default;
  template <class H>
  friend H AbslHashValue(H hash, const StackModel& model) {
    return H::combine(std::move(hash), model.items);
  }
};

struct QueueModel {
  using Op = QueueOp;
  using Result = Reply;
  static constexpr std::string_view kName = "QueueModel";

  std::deque<int> items;

  Result apply(const Op& op) {
    switch (op.kind) {
      case QueueOp::kPush:
        items.push_back(op.value);
        return nothing();
      case QueueOp::kPop: {
        if (items.empty()) return empty();
        const int front = items.front();
        items.pop_front();
        return value(front);
      }
      case QueueOp::kSize:
        return value(static_cast<int>(items.size()));
    }
    return nothing();
  }
  friend bool operator==(const QueueModel&, const QueueModel&) = default;
  template <class H>
  friend H AbslHashValue(H hash, const QueueModel& model) {
    return H::combine(std::move(hash), model.items);
  }
};

// -----------------------------------------------------------------------------
// Stacks
// -----------------------------------------------------------------------------

// Treiber's stack over a pool of nodes indexed by int. Nodes come from a bump
// allocator and are never reused, so there is no ABA problem; a node's value
// and next are written before the CAS that publishes it and never after, so
// they need not be atomic.
class TreiberStack {
 public:
  // Every push takes a node: enough for every push one input can make.
  static constexpr int kCapacity = kClientsMax * kOpsPerClientMax;

  void push(int value) {
    const int node = allocated_.fetch_add(1);
    WEFT_ASSERT(node < kCapacity, "node pool exhausted");
    nodes_[node].value = value;
    int top = top_.load();
    do {
      nodes_[node].next = top;
    } while (!top_.compare_exchange_strong(top, node));
  }

  std::optional<int> pop() {
    int top = top_.load();
    while (top != kNull) {
      // A failed CAS reloads `top`.
      if (top_.compare_exchange_strong(top, nodes_[top].next)) return nodes_[top].value;
    }
    return std::nullopt;
  }

 protected:
  static constexpr int kNull = -1;
  struct Node {
    int value = 0;
    int next = kNull;
  };

  std::array<Node, kCapacity> nodes_{};
  Atomic<int> allocated_{0, "allocated"};
  Atomic<int> top_{kNull, "top"};
};

// BUG: pop replaces the top with a plain store where it needs a CAS. A push
// between its load and its store is lost (the store writes back the old
// node's next, unlinking the new node); a pop in between returns the same
// value again.
class RacyPopStack : public TreiberStack {
 public:
  std::optional<int> pop() {
    const int top = top_.load();
    if (top == kNull) return std::nullopt;
    const int next = nodes_[top].next;
    top_.store(next);  // should be compare_exchange(top, next), retried
    return nodes_[top].value;
  }
};

// -----------------------------------------------------------------------------
// Queues
// -----------------------------------------------------------------------------

class LockedQueue {
 public:
  void push(int value) {
    std::lock_guard<Mutex> lock(mutex_);
    items_.push_back(value);
  }
  std::optional<int> pop() {
    std::lock_guard<Mutex> lock(mutex_);
    if (items_.empty()) return std::nullopt;
    const int front = items_.front();
    items_.pop_front();
    return front;
  }
  int size() {
    std::lock_guard<Mutex> lock(mutex_);
    return static_cast<int>(items_.size());
  }

 private:
  Mutex mutex_{"queue"};
  std::deque<int> items_;
};

// BUG: size() reads a counter kept outside the lock. push and pop update it
// after their critical sections, with a load and a store: size() can see an
// item before or after the count does, and two updates can overwrite each
// other.
class RacyCountQueue {
 public:
  void push(int value) {
    {
      std::lock_guard<Mutex> lock(mutex_);
      items_.push_back(value);
    }
    count_.store(count_.load() + 1);
  }
  std::optional<int> pop() {
    std::optional<int> front;
    {
      std::lock_guard<Mutex> lock(mutex_);
      if (items_.empty()) return std::nullopt;
      front = items_.front();
      items_.pop_front();
    }
    count_.store(count_.load() - 1);
    return front;
  }
  int size() { return count_.load(); }

 private:
  Mutex mutex_{"queue"};
  std::deque<int> items_;
  Atomic<int> count_{0, "count"};
};

// -----------------------------------------------------------------------------
// Workloads
// -----------------------------------------------------------------------------

template <class Stack>
Reply execute(Stack& stack, const StackOp& op) {
  if (op.kind == StackOp::kPush) {
    stack.push(op.value);
    return nothing();
  }
  return from_optional(stack.pop());
}

template <class Queue>
Reply execute(Queue& queue, const QueueOp& op) {
  switch (op.kind) {
    case QueueOp::kPush:
      queue.push(op.value);
      return nothing();
    case QueueOp::kPop:
      return from_optional(queue.pop());
    case QueueOp::kSize:
      return value(queue.size());
  }
  return nothing();
}

// Runs client i's operations on thread "client i", recording each call, and
// joins them.
template <class Model, class Object>
void run_clients(Object& object, lin::History<Model>& history,
                 const Clients<typename Model::Op>& clients) {
  std::vector<Thread> threads;
  threads.reserve(clients.ops.size());
  for (size_t i = 0; i < clients.ops.size(); ++i) {
    threads.emplace_back(absl::StrCat("client ", i), [&object, &history, &clients, i] {
      for (const typename Model::Op& op : clients.ops[i]) {
        const lin::Call call = history.invoke(static_cast<uint32_t>(i), op);
        history.respond(call, execute(object, op));
      }
    });
  }
  for (Thread& thread : threads) thread.join();
}

// Pops until empty as client `client`, recording each pop.
template <class Model, class Object, class Op>
void drain(Object& object, lin::History<Model>& history, uint32_t client, Op pop) {
  for (;;) {
    const lin::Call call = history.invoke(client, pop);
    const Reply reply = execute(object, pop);
    history.respond(call, reply);
    if (reply.kind == Reply::kEmpty) return;
  }
}

// The clients, then the main thread pops the stack empty.
template <class Stack>
void stack_workload(const Clients<StackOp>& clients) {
  Stack stack;
  lin::History<StackModel> history;
  run_clients(stack, history, clients);
  drain(stack, history, static_cast<uint32_t>(clients.ops.size()), StackOp{StackOp::kPop, 0});
  const lin::LinearizabilityResult result = lin::check(history, StackModel{});
  WEFT_ASSERT(result.linearizable, result.to_string());
}

// The clients, then the main thread asks the size and pops the queue empty.
template <class Queue>
void queue_workload(const Clients<QueueOp>& clients) {
  Queue queue;
  lin::History<QueueModel> history;
  run_clients(queue, history, clients);
  const auto main_client = static_cast<uint32_t>(clients.ops.size());
  const QueueOp size{QueueOp::kSize, 0};
  const lin::Call call = history.invoke(main_client, size);
  history.respond(call, execute(queue, size));
  drain(queue, history, main_client, QueueOp{QueueOp::kPop, 0});
  const lin::LinearizabilityResult result = lin::check(history, QueueModel{});
  WEFT_ASSERT(result.linearizable, result.to_string());
}

// -----------------------------------------------------------------------------
// Properties
// -----------------------------------------------------------------------------

WEFT_PROP(LinearizabilityDemo, TreiberStackIsLinearizable, (Clients<StackOp> clients)) {
  stack_workload<TreiberStack>(clients);
}

WEFT_PROP(LinearizabilityDemo, LockedQueueIsLinearizable, (Clients<QueueOp> clients)) {
  queue_workload<LockedQueue>(clients);
}

// The buggy objects' reports: run with --gtest_also_run_disabled_tests.
WEFT_PROP(LinearizabilityDemo, DISABLED_RacyPopStackIsLinearizable, (Clients<StackOp> clients)) {
  stack_workload<RacyPopStack>(clients);
}

WEFT_PROP(LinearizabilityDemo, DISABLED_RacyCountQueueIsLinearizable, (Clients<QueueOp> clients)) {
  queue_workload<RacyCountQueue>(clients);
}

// -----------------------------------------------------------------------------
// The buggy objects are caught
// -----------------------------------------------------------------------------
//
// Budget: PropertyOptions' default, 100 inputs (rapidcheck's max_success) x
// 100 executions per input (PCT, depth 3, exploration seed 1), with the
// rapidcheck seed fixed. Each check stops at its first failing input, then
// shrinks the input (rapidcheck) and the schedule (weft::shrink()).
//
// The schedule shrinker keeps a schedule only if it fails "the same way":
// at the same check (the WEFT_ASSERT's line), whatever witness its message
// shows; Report::shrink()->minimal says every smaller bound was searched.

// The reports are memoised per seed: the seed-1 tests and the seed loop
// share their runs (this matters under TSan, where an execution is slow).
const PropertyReport& check_racy_stack(int seed) {
  static std::map<int, PropertyReport>* const reports = new std::map<int, PropertyReport>();
  auto [it, inserted] = reports->try_emplace(seed);
  if (inserted) {
    PropertyOptions options;
    options.rapidcheck_params = absl::StrCat("seed=", seed);
    it->second =
        check(options, [](Clients<StackOp> clients) { stack_workload<RacyPopStack>(clients); });
  }
  return it->second;
}

const PropertyReport& check_racy_queue(int seed) {
  static std::map<int, PropertyReport>* const reports = new std::map<int, PropertyReport>();
  auto [it, inserted] = reports->try_emplace(seed);
  if (inserted) {
    PropertyOptions options;
    options.rapidcheck_params = absl::StrCat("seed=", seed);
    it->second =
        check(options, [](Clients<QueueOp> clients) { queue_workload<RacyCountQueue>(clients); });
  }
  return it->second;
}

// The operations in a counterexample line ("push(0)", "pop()", "size()").
size_t counted_operations(std::string_view counterexample) {
  size_t count = 0;
  for (std::string_view name : {"push(", "pop(", "size("}) {
    for (size_t at = counterexample.find(name); at != std::string_view::npos;
         at = counterexample.find(name, at + 1)) {
      ++count;
    }
  }
  return count;
}

// What every caught failure has in common: a workload failure (not a
// rapidcheck error), found by the checker, on a schedule shrunk to the fewest
// preemptions that fail this way.
void expect_caught(const PropertyReport& report) {
  ASSERT_FALSE(report.ok());
  EXPECT_TRUE(report.error.empty()) << report.error;
  ASSERT_NE(report.report.failure(), nullptr) << report.to_string();
  EXPECT_THAT(report.report.failure()->message, ::testing::HasSubstr("NOT linearizable"))
      << report.to_string();
  ASSERT_TRUE(report.report.shrink().has_value()) << report.to_string();
  EXPECT_TRUE(report.report.shrink()->minimal) << report.to_string();
}

TEST(LinearizabilityDemo, RacyPopStackIsCaught) {
  const PropertyReport& report = check_racy_stack(1);
  expect_caught(report);
  // A lost push. Client 1 pushes 0 and starts a pop: it loads the top (that
  // node) and is preempted; client 0 pushes 0 and finishes; client 1 stores
  // the old node's next (null) as the top, unlinking client 0's node, and
  // returns 0. The main thread's drain (client 2 in the witness) then finds
  // the stack empty, though one push(0) was never popped.
  //
  // Three operations, the fewest that can fail: with two (and the drain),
  // either the pushes are both correct, or a pop only ever races with one
  // push that must already have published the node it pops, or two pops
  // find the stack empty.
  EXPECT_EQ(report.counterexample,
            "    std::tuple<weft::lin_demo::Clients<weft::lin_demo::StackOp>>: "
            "([[push(0)], [push(0), pop()]])\n")
      << report.to_string();
  // One preemption, the fewest that can fail at all: without one, each
  // client runs its operations back to back (nothing here blocks, and when
  // the main thread blocks in join the choice of client is free), so no two
  // calls overlap and the history is sequential, hence linearizable. One is
  // the switch away from client 1 between its pop's load and store; the
  // switch back comes when client 0 finishes.
  EXPECT_EQ(report.report.preemptions(), 1u) << report.to_string();
  std::cout << report.to_string();
}

TEST(LinearizabilityDemo, RacyCountQueueIsCaught) {
  const PropertyReport& report = check_racy_queue(1);
  expect_caught(report);
  // A lost decrement. Client 0 invokes pop() and is preempted before taking
  // the lock; client 1's push(0) runs its critical section and loads the
  // count (0), and is preempted; client 0's pop takes the 0 and stores the
  // count -1; client 1 stores 0 + 1. Both calls have returned and the queue
  // is empty, but the main thread's size() (client 2) answers 1.
  //
  // Two operations, the fewest that can fail: with one, the history is
  // sequential (the main thread's calls come after the join).
  EXPECT_EQ(report.counterexample,
            "    std::tuple<weft::lin_demo::Clients<weft::lin_demo::QueueOp>>: "
            "([[pop()], [push(0)]])\n")
      << report.to_string();
  // One preemption, the fewest that can fail: without one the calls never
  // overlap (as for the stack). Client 1 runs first: its push's critical
  // section, then the count.load, and it is switched out while it could go
  // on (1); client 0's pop runs to the end (the item, the count 0 -> -1);
  // client 1 stores 0 + 1. The witness may show either client first.
  EXPECT_EQ(report.report.preemptions(), 1u) << report.to_string();
  std::cout << report.to_string();
}

// The budget above is not one lucky seed: every seed 1..5 catches both
// bugs, with a small input and a schedule of one or two preemptions,
// proven the fewest for that input.
TEST(LinearizabilityDemo, RacyObjectsAreCaughtForSeeds1To5) {
  for (int seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(absl::StrCat("rapidcheck seed=", seed));
    for (const PropertyReport* caught : {&check_racy_stack(seed), &check_racy_queue(seed)}) {
      const PropertyReport& report = *caught;
      expect_caught(report);
      // One preemption, or two for an input whose shape needs two (seed 5's
      // stack input pops twice around two pushes); proven the fewest either way.
      EXPECT_GE(report.report.preemptions(), 1u) << report.to_string();
      EXPECT_LE(report.report.preemptions(), 2u) << report.to_string();
      EXPECT_TRUE(report.report.shrink()->minimal) << report.to_string();
      EXPECT_GE(counted_operations(report.counterexample), 2u) << report.to_string();
      EXPECT_LE(counted_operations(report.counterexample), 4u) << report.to_string();
    }
  }
}

}  // namespace weft::lin_demo
