// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: linearizability.h
// -----------------------------------------------------------------------------
//
// This header defines a linearizability checker: record the calls that
// concurrent clients make on an object (a queue, a map, a register), then ask
// whether that history is explained by some sequential order of the same calls
// that respects real time and that a sequential model of the object agrees
// with (Herlihy & Wing 1990). It is the oracle for "my concurrent data
// structure behaves like the sequential one", and it needs no knowledge of the
// implementation: only a small model class you write.
//
// Main members:
//
//   weft::lin::History<Model>    thread-safe recorder of invoke / respond events
//   weft::lin::check()           the checker; returns a LinearizabilityResult
//   weft::lin::CheckOptions      search budget, memoisation, witness minimisation
//   weft::lin::LinearizabilityResult   verdict, states visited, witness, to_string()
//
// Use it when a test runs operations on a shared object from several threads
// (OS threads, or weft::Thread under the simulator) and each call returns a
// result that could betray a race: a lost push, a value popped twice, a read of
// a stale value. Record every call, check once the threads are joined.
//
// Example:
//
//   struct QueueOp { enum Kind { kPush, kPop } kind; int value; };
//   struct QueueResult {
//     enum Kind { kNothing, kValue, kEmpty } kind;   // push: kNothing
//     int value;
//     friend bool operator==(const QueueResult&, const QueueResult&) = default;
//   };
//   std::string describe(const QueueOp& op);          // "push(3)" / "pop()"
//   std::string describe(const QueueResult& result);  // "" / "3" / "empty"
//
//   struct QueueModel {
//     using Op = QueueOp;
//     using Result = QueueResult;
//     static constexpr std::string_view kName = "QueueModel";   // optional
//     std::deque<int> items;
//     Result apply(const Op& op);   // the sequential specification
//     friend bool operator==(const QueueModel&, const QueueModel&) = default;
//     template <class H> friend H AbslHashValue(H h, const QueueModel& m) {
//       return H::combine(std::move(h), m.items);
//     }
//   };
//
//   weft::lin::History<QueueModel> history;
//   // in worker `i`:
//   weft::lin::Call call = history.invoke(i, QueueOp{QueueOp::kPush, 3});
//   queue.push(3);
//   history.respond(call, QueueResult{QueueResult::kNothing, 0});
//   // after joining the workers:
//   weft::lin::LinearizabilityResult result = weft::lin::check(history, QueueModel{});
//   EXPECT_TRUE(result.linearizable) << result.to_string();
//
// The model. A Model is a copyable, equality-comparable class with
//   - `using Op = ...;` and `using Result = ...;` (Result equality-comparable);
//   - `Result apply(const Op&)`: runs the operation sequentially; it must be
//     deterministic (same state and op, same result and next state);
//   - an `AbslHashValue` overload (absl::Hash), used to memoise search states;
//   - optionally `static constexpr std::string_view kName`, its name in reports.
// Op and Result are printed in reports through ONE mechanism: a function
// `std::string describe(const T&)` found by argument-dependent lookup (declare
// it in T's namespace). weft::lin provides describe() for arithmetic types,
// bool, std::string, std::monostate ("") and std::optional<T>. A Result that
// describes as "" is not shown (push returns nothing); an Op that describes as
// "" is shown as "call <index>". AbslStringify is not used: Debian 12's Abseil
// (20220623) predates it. A model that misses a requirement fails to compile
// with a static_assert naming it.
//
// The algorithm is Wing & Gong's search with Lowe's memoisation ("Testing for
// linearizability", 2017), as in the porcupine checker: events sit in a doubly
// linked list in time order; the search repeatedly linearizes a call whose
// invocation precedes the first remaining response, or backtracks when it
// meets a response whose call is not linearized; a (set of linearized calls,
// model state) pair already seen is not explored again. The search order is
// the list order, so results never depend on hashing or addresses.
//
// Pending calls (invoked, never responded) may take effect at any point after
// their invocation, or not at all.
//
// Limits: a History records at most kOperationsMax calls (later invocations
// are counted and dropped, and check() returns an error status); a search
// visits at most CheckOptions::states_max states, after which the result is
// `undecided`, never a guess. Memory per visited state is about
// operations / 8 bytes plus sizeof(Model) and what the model owns.
//
// Thread-safety: History::invoke() and respond() may be called concurrently
// from any threads; they take a plain std::mutex (never a weft primitive, so
// recording adds no scheduling point under the simulator). check() is
// reentrant and takes a snapshot of the history under that mutex.
//
// Recording rule: call invoke() before the operation starts and respond()
// after it returns. The recorded interval then contains the real one, so a
// linearizable object always yields a linearizable history.

#ifndef WEFT_LINEARIZABILITY_H_
#define WEFT_LINEARIZABILITY_H_

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::lin {

// The most calls one History records. Large enough for any history a test can
// hope to check (the search is exponential in the worst case); small enough
// that the bitset of linearized calls stays at 512 bytes.
inline constexpr size_t kOperationsMax = 4096;

// The default search budget (CheckOptions::states_max).
inline constexpr uint64_t kStatesMaxDefault = 1'000'000;

static_assert(kOperationsMax <= std::numeric_limits<int32_t>::max() / 2,
              "event indices are int32_t");
static_assert(kStatesMaxDefault > kOperationsMax, "a sequential history must fit the budget");

// -----------------------------------------------------------------------------
// describe(): how operations and results are printed
// -----------------------------------------------------------------------------

namespace internal {

template <class T>
concept NonBoolArithmetic = std::is_arithmetic_v<T> && !std::is_same_v<T, bool>;

}  // namespace internal

// Built-in descriptions; user types provide their own by ADL.
template <internal::NonBoolArithmetic T>
std::string describe(T value) {
  return absl::StrCat(value);
}
// Exactly bool: a non-template overload would also take pointers and enums.
template <std::same_as<bool> T>
std::string describe(T value) {
  return value ? "true" : "false";
}
inline std::string describe(const std::string& value) { return absl::StrCat("\"", value, "\""); }
inline std::string describe(std::monostate) { return ""; }
// "none", or the value's description.
template <class T>
std::string describe(const std::optional<T>& value);

// Describable<T>: `describe(const T&)` is found and returns a std::string.
template <class T>
concept Describable = requires(const T& value) {
  { describe(value) } -> std::convertible_to<std::string>;
};

template <class T>
std::string describe(const std::optional<T>& value) {
  return value.has_value() ? std::string(describe(*value)) : std::string("none");
}

namespace internal {

template <class M>
concept HasOpAndResult = requires {
  typename M::Op;
  typename M::Result;
};

template <class M>
concept HasApply = requires(M& model, const typename M::Op& op) {
  { model.apply(op) } -> std::convertible_to<typename M::Result>;
};

// absl::Hash<M> is default-constructible exactly when M is hashable.
template <class M>
concept AbslHashable = std::is_default_constructible_v<absl::Hash<M>>;

}  // namespace internal

// SequentialModel<M>: what check() and History<M> require of a model (see the
// file comment). Each part is also asserted separately, with a message.
template <class M>
concept SequentialModel =
    internal::HasOpAndResult<M> && internal::HasApply<M> && std::copyable<M> &&
    std::equality_comparable<M> && internal::AbslHashable<M> && std::copyable<typename M::Op> &&
    std::copyable<typename M::Result> && std::equality_comparable<typename M::Result> &&
    Describable<typename M::Op> && Describable<typename M::Result>;

namespace internal {

// Instantiated by History<M> and check<M>: one static_assert per requirement,
// so a model that misses one gets a message naming it.
template <class M>
struct ModelRequirements {
  static_assert(HasOpAndResult<M>,
                "weft::lin: the model must declare `using Op = ...;` (the operation type) and "
                "`using Result = ...;` (the result type)");
  static_assert(std::copyable<M>, "weft::lin: the model must be copyable");
  static_assert(std::equality_comparable<M>,
                "weft::lin: the model needs operator== (search states are memoised)");
  static_assert(AbslHashable<M>,
                "weft::lin: the model needs `template <class H> friend H AbslHashValue(H, const "
                "Model&)` (search states are memoised in an absl::flat_hash_set)");
  static_assert(HasApply<M>, "weft::lin: the model needs `Result apply(const Op&)`");
  static_assert(std::copyable<typename M::Op> && std::copyable<typename M::Result>,
                "weft::lin: Op and Result must be copyable");
  static_assert(std::equality_comparable<typename M::Result>,
                "weft::lin: Result needs operator== (recorded and model results are compared)");
  static_assert(Describable<typename M::Op>,
                "weft::lin: declare `std::string describe(const Op&)` in Op's namespace (found "
                "by argument-dependent lookup); reports print operations with it");
  static_assert(Describable<typename M::Result>,
                "weft::lin: declare `std::string describe(const Result&)` in Result's namespace "
                "(found by argument-dependent lookup); return \"\" for results not worth showing");
  static constexpr bool kSatisfied = true;
};

}  // namespace internal

// -----------------------------------------------------------------------------
// History
// -----------------------------------------------------------------------------

// Call
//
// The handle History::invoke() returns, to pass to respond(). Cheap to copy. A
// default-constructed Call belongs to no history: responding with it is
// misuse, reported by check().
class Call {
 public:
  Call() = default;

  // The call's index in invocation order (0, 1, ...), or kDropped if the
  // history was full when it was invoked.
  uint32_t index() const { return index_; }

  static constexpr uint32_t kDropped = std::numeric_limits<uint32_t>::max();

 private:
  template <class Model>
  friend class History;
  Call(const void* history, uint32_t index) : history_(history), index_(index) {}

  const void* history_ = nullptr;  // compared for equality only, never ordered
  uint32_t index_ = kDropped;
};

enum class EventKind : uint8_t { kInvoke, kResponse };

// One event of a history: call `operation` (its index in invocation order)
// was invoked or responded.
struct Event {
  uint32_t operation;
  EventKind kind;
  friend bool operator==(const Event&, const Event&) = default;
};

// One recorded call. `result` is empty while the call is pending.
template <class Model>
struct RecordedOperation {
  uint32_t client;
  typename Model::Op op;
  std::optional<typename Model::Result> result;
};

// History<Model>
//
// The calls that clients made on one object, in real-time order: each call is
// an invoke event and, unless it is still pending, a response event. Clients
// are small integers the test chooses (a worker's index); they become the
// columns of the witness table.
//
// Thread-safe: invoke() and respond() may run concurrently on any threads, OS
// or simulated. The order of events is the order in which they take the
// internal std::mutex. Not copyable or movable (the handles point at it).
template <class Model>
class History {
  static_assert(internal::ModelRequirements<Model>::kSatisfied);

 public:
  using Op = typename Model::Op;
  using Result = typename Model::Result;
  using Operation = RecordedOperation<Model>;

  // A consistent copy of the history, taken under the mutex.
  struct Snapshot {
    std::vector<Operation> operations;  // in invocation order
    std::vector<Event> events;          // in time order
    absl::Status status;                // as History::status()
  };

  History() = default;
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // History::invoke()
  //
  // Records that `client` invoked `op`; returns the handle for respond(). Call
  // it just before the operation starts. If kOperationsMax calls are already
  // recorded, the call is counted but dropped (its handle's index() is
  // Call::kDropped, responding with it is a no-op) and status() is an error.
  Call invoke(uint32_t client, Op op) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (operations_.size() >= kOperationsMax) {
      ++dropped_;
      return Call(this, Call::kDropped);
    }
    const auto index = static_cast<uint32_t>(operations_.size());
    operations_.push_back(Operation{client, std::move(op), std::nullopt});
    events_.push_back(Event{index, EventKind::kInvoke});
    WEFT_CHECK_LE(operations_.size(), kOperationsMax);
    return Call(this, index);
  }

  // History::respond()
  //
  // Records that `call` returned `result`. Call it just after the operation
  // returns. REQUIRES: `call` came from this history's invoke() and was not
  // responded before; otherwise nothing is recorded and status() (and so
  // check()) reports the first such misuse.
  void respond(Call call, Result result) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (call.history_ == this && call.index_ == Call::kDropped) return;  // already counted
    if (call.history_ != this || call.index_ >= operations_.size()) {
      note_misuse_locked(absl::InvalidArgumentError(
          call.history_ == nullptr
              ? "weft::lin::History::respond() with a default-constructed Call"
              : "weft::lin::History::respond() with a Call from another History"));
      return;
    }
    Operation& operation = operations_[call.index_];
    if (operation.result.has_value()) {
      note_misuse_locked(absl::InvalidArgumentError(absl::StrFormat(
          "weft::lin::History::respond() called twice for call %d (%s by client %d)", call.index_,
          describe(operation.op), operation.client)));
      return;
    }
    operation.result = std::move(result);
    events_.push_back(Event{call.index_, EventKind::kResponse});
    WEFT_CHECK_LE(events_.size(), 2 * operations_.size());
  }

  // History::status()
  //
  // OK, or why the history cannot be checked: ResourceExhausted if more than
  // kOperationsMax calls were invoked; InvalidArgument for the first misuse of
  // respond().
  absl::Status status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_locked();
  }

  // Copies, for tests and reports. Safe while other threads record.
  Snapshot snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return Snapshot{operations_, events_, status_locked()};
  }
  std::vector<Event> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  std::vector<Operation> operations() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return operations_;
  }
  // The number of calls recorded (dropped ones excluded).
  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return operations_.size();
  }

 private:
  absl::Status status_locked() const {
    if (dropped_ > 0) {
      return absl::ResourceExhaustedError(absl::StrFormat(
          "the history has %d operations; weft::lin checks at most %d (kOperationsMax): check "
          "shorter histories",
          operations_.size() + dropped_, kOperationsMax));
    }
    return misuse_;
  }
  void note_misuse_locked(absl::Status status) {
    if (misuse_.ok()) misuse_ = std::move(status);
  }

  // A plain std::mutex, not weft::Mutex: recording must not be a scheduling
  // point, and nothing blocks while holding it.
  mutable std::mutex mutex_;
  std::vector<Operation> operations_;  // guarded by mutex_
  std::vector<Event> events_;          // guarded by mutex_
  uint64_t dropped_ = 0;               // guarded by mutex_: invocations past kOperationsMax
  absl::Status misuse_;                // guarded by mutex_: the first misuse of respond()
};

// -----------------------------------------------------------------------------
// check()
// -----------------------------------------------------------------------------

struct CheckOptions {
  // The most search states (distinct pairs of linearized set and model state;
  // without memoisation, every step forward) one search may visit. Beyond it
  // the result is undecided. Witness minimisation gives each of its prefix
  // searches the same budget.
  uint64_t states_max = kStatesMaxDefault;
  // Skip states already seen. Turn off only to measure what it saves.
  bool memoize = true;
  // Look for the shortest non-linearizable prefix (a binary search over cut
  // points: about log2(responses) more searches). If false, the witness is the
  // whole history up to its last response.
  bool minimize_witness = true;
};

// Why a history is not linearizable: a prefix of it that is already not.
struct Witness {
  struct Operation {
    uint32_t client;
    std::string call;                   // describe(op), e.g. "push(3)"
    std::optional<std::string> result;  // describe(result); empty if pending at the cut
  };
  // The calls invoked before the cut, in invocation order; Event::operation
  // indexes this vector (and the history's calls: the prefix keeps indices).
  std::vector<Operation> operations;
  // The prefix's events in time order; the last one is a response.
  std::vector<Event> events;
  // The longest sequence of these calls the model accepts (calls pending at
  // the cut marked so), e.g. {"push(1)", "pop() -> 1"}.
  std::vector<std::string> longest_linearization;
  // False if a shorter witness may exist: minimisation was off, or some
  // shorter prefix's search ran out of budget.
  bool minimal = true;
  // States visited by the prefix searches (not counted in states_visited).
  uint64_t minimization_states_visited = 0;

  size_t pending_count() const;
};

// LinearizabilityResult
//
// A report from to_string(), for the history of weft's witness test:
//
//   weft::lin: NOT linearizable with respect to QueueModel: 7 operations (0 pending), ...
//   shortest non-linearizable prefix: the first 7 events, 4 of the 7 operations
//     event | client 0 | client 1  | client 2
//     ------+----------+-----------+---------
//         1 | push(1)  |           |
//         2 | |        | push(2)   |
//         3 | returned | |         |
//         4 |          | |         | pop()
//         5 |          | |         | -> 2
//         6 |          | |         | pop()
//         7 |          | |         | -> 2
//       cut |          | (pending) |
//   no order of these 4 operations (1 pending: each may take effect or not) is
//   consistent with QueueModel; the longest consistent prefix linearizes push(2)
//   (pending), push(1), pop() -> 2
//
// (the last line is one line). "|" marks a call in progress, "returned" a
// response whose result describes as "", "cut" the calls still pending where
// the prefix ends.
//
// Exactly one of these holds:
//   !status.ok()                  the history was not checked (status says why)
//   linearizable                  some order of the calls satisfies the model
//   undecided                     the search budget ran out first
//   otherwise                     not linearizable; `witness` is set
struct LinearizabilityResult {
  absl::Status status;
  bool linearizable = false;
  bool undecided = false;
  uint64_t states_visited = 0;  // by the search of the whole history
  uint64_t states_max = 0;      // the budget it had
  size_t operation_count = 0;
  size_t pending_count = 0;
  std::string model_name;
  std::optional<Witness> witness;

  // The verdict in one line; when not linearizable, the witness as a table
  // (one column per client, one row per event in time order) and one line
  // saying why.
  std::string to_string() const;
};

namespace internal {

// A set of call indices, as a bitset of any size.
class OperationSet {
 public:
  explicit OperationSet(size_t size) : words_((size + 63) / 64, 0) {}

  bool contains(uint32_t index) const {
    WEFT_DCHECK(index / 64 < words_.size());
    return (words_[index / 64] >> (index % 64)) & 1;
  }
  void insert(uint32_t index) {
    WEFT_CHECK(!contains(index));
    words_[index / 64] |= uint64_t{1} << (index % 64);
  }
  void erase(uint32_t index) {
    WEFT_CHECK(contains(index));
    words_[index / 64] &= ~(uint64_t{1} << (index % 64));
  }

  friend bool operator==(const OperationSet& a, const OperationSet& b) {
    return a.words_ == b.words_;
  }
  template <class H>
  friend H AbslHashValue(H state, const OperationSet& set) {
    return H::combine_contiguous(std::move(state), set.words_.data(), set.words_.size());
  }

 private:
  absl::InlinedVector<uint64_t, 2> words_;
};

// The events of a history prefix as a doubly linked list with a head sentinel,
// from which a call's invoke and response nodes are lifted when it is
// linearized and relinked, in reverse order, when that is undone. Node i is
// event i of the prefix.
class EventList {
 public:
  static constexpr int32_t kEnd = -1;

  // The list of events[0, event_count). REQUIRES: every response follows its
  // invoke; every call index is below operation_count.
  EventList(std::span<const Event> events, size_t event_count, size_t operation_count);

  int32_t first() const { return next_[head()]; }
  int32_t next(int32_t node) const { return next_[node]; }
  bool is_invoke(int32_t node) const { return response_[node] != kNotInvoke; }
  bool has_response(int32_t invoke_node) const { return response_[invoke_node] >= 0; }
  uint32_t operation(int32_t node) const { return operation_[node]; }
  size_t responses_remaining() const { return responses_remaining_; }
  size_t size() const { return operation_.size(); }

  // Unlinks a call: its invoke node and its response node, if any.
  void lift(int32_t invoke_node) {
    WEFT_CHECK(is_invoke(invoke_node));
    unlink(invoke_node);
    if (has_response(invoke_node)) {
      unlink(response_[invoke_node]);
      WEFT_CHECK_GT(responses_remaining_, 0u);
      --responses_remaining_;
    }
  }
  // Undoes the last lift(), which must have been lift(invoke_node).
  void unlift(int32_t invoke_node) {
    WEFT_CHECK(is_invoke(invoke_node));
    if (has_response(invoke_node)) {
      relink(response_[invoke_node]);
      ++responses_remaining_;
    }
    relink(invoke_node);
  }

 private:
  static constexpr int32_t kNotInvoke = -2;  // response_[] of a response node
  int32_t head() const { return static_cast<int32_t>(operation_.size()); }
  void unlink(int32_t node) {
    next_[prev_[node]] = next_[node];
    if (next_[node] != kEnd) prev_[next_[node]] = prev_[node];
  }
  void relink(int32_t node) {
    next_[prev_[node]] = node;
    if (next_[node] != kEnd) prev_[next_[node]] = node;
  }

  std::vector<uint32_t> operation_;  // per node: its call
  std::vector<int32_t> response_;    // per invoke node: its response node or kEnd (pending)
  std::vector<int32_t> prev_;        // per node, and the head sentinel last
  std::vector<int32_t> next_;
  size_t responses_remaining_ = 0;
};

enum class Verdict { kLinearizable, kNotLinearizable, kUndecided };

struct SearchOutcome {
  Verdict verdict;
  uint64_t states_visited;
  std::vector<uint32_t> longest;  // the deepest linearization reached, call indices in order
};

// The bound on loop iterations of a search: every iteration advances along the
// list (at most size() times between two pushes or pops), pushes (at most
// states_max + 1 times) or pops (no more than it pushed).
uint64_t search_iterations_max(uint64_t states_max, size_t list_size);

template <class Model>
struct MemoKey {
  OperationSet linearized;
  Model state;
  friend bool operator==(const MemoKey&, const MemoKey&) = default;
  template <class H>
  friend H AbslHashValue(H hash, const MemoKey& key) {
    return H::combine(std::move(hash), key.linearized, key.state);
  }
};

// One search over the first `event_count` events of a history.
template <class Model>
class Search {
 public:
  Search(std::span<const RecordedOperation<Model>> operations, std::span<const Event> events,
         size_t event_count, const Model& initial, const CheckOptions& options)
      : operations_(operations),
        options_(options),
        list_(events, event_count, operations.size()),
        linearized_(operations.size()),
        state_(initial) {}

  SearchOutcome run() {
    const uint64_t iterations_max = search_iterations_max(options_.states_max, list_.size());
    int32_t node = list_.first();
    for (uint64_t iteration = 0; list_.responses_remaining() > 0; ++iteration) {
      WEFT_CHECK_LT(iteration, iterations_max);
      // A response remains, so the walk from the head meets one before the end.
      WEFT_CHECK_NE(node, EventList::kEnd);
      if (!list_.is_invoke(node)) {
        // The first remaining response: its call must be linearized before
        // anything later, and no choice so far allows it.
        if (stack_.empty()) return outcome(Verdict::kNotLinearizable);
        node = undo();
        continue;
      }
      switch (try_linearize(node)) {
        case Step::kSkipped:
          node = list_.next(node);
          break;
        case Step::kLinearized:
          node = list_.first();
          break;
        case Step::kBudgetExhausted:
          return outcome(Verdict::kUndecided);
      }
    }
    WEFT_CHECK_EQ(linearized_count(), stack_.size());
    return outcome(Verdict::kLinearizable);
  }

 private:
  enum class Step { kSkipped, kLinearized, kBudgetExhausted };
  struct Frame {
    int32_t node;
    Model state;  // the state before the call took effect
  };

  // Tries to make the call invoked at `node` take effect next.
  Step try_linearize(int32_t node) {
    const uint32_t index = list_.operation(node);
    const RecordedOperation<Model>& operation = operations_[index];
    Model next = state_;
    typename Model::Result result = next.apply(operation.op);
    if (list_.has_response(node)) {
      WEFT_CHECK(operation.result.has_value());
      if (!(result == *operation.result)) return Step::kSkipped;
    }
    linearized_.insert(index);
    if (options_.memoize && !memo_.insert(MemoKey<Model>{linearized_, next}).second) {
      linearized_.erase(index);  // an equivalent state was explored already
      return Step::kSkipped;
    }
    if (states_visited_ >= options_.states_max) return Step::kBudgetExhausted;
    ++states_visited_;
    stack_.push_back(Frame{node, std::move(state_)});
    order_.push_back(index);
    state_ = std::move(next);
    list_.lift(node);
    if (order_.size() > longest_.size()) longest_ = order_;
    return Step::kLinearized;
  }

  // Undoes the last linearized call; returns the node after its invoke, where
  // the search resumes.
  int32_t undo() {
    WEFT_CHECK(!stack_.empty());
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    WEFT_CHECK_EQ(order_.back(), list_.operation(frame.node));
    order_.pop_back();
    linearized_.erase(list_.operation(frame.node));
    list_.unlift(frame.node);
    state_ = std::move(frame.state);
    return list_.next(frame.node);
  }

  size_t linearized_count() const { return order_.size(); }

  SearchOutcome outcome(Verdict verdict) {
    return SearchOutcome{verdict, states_visited_, std::move(longest_)};
  }

  std::span<const RecordedOperation<Model>> operations_;
  const CheckOptions& options_;
  EventList list_;
  OperationSet linearized_;
  Model state_;
  std::vector<Frame> stack_;
  std::vector<uint32_t> order_;               // the calls of stack_, in order
  std::vector<uint32_t> longest_;             // the longest order_ so far
  absl::flat_hash_set<MemoKey<Model>> memo_;  // membership only, never iterated
  uint64_t states_visited_ = 0;
};

template <class Model>
SearchOutcome search(const typename History<Model>::Snapshot& snapshot, size_t event_count,
                     const Model& initial, const CheckOptions& options) {
  Search<Model> search(snapshot.operations, snapshot.events, event_count, initial, options);
  return search.run();
}

template <class Model>
std::string model_name() {
  if constexpr (requires {
                  { Model::kName } -> std::convertible_to<std::string_view>;
                }) {
    return std::string(std::string_view(Model::kName));
  } else {
    return "the sequential model";
  }
}

// "pop() -> 1"; just "push(1)" when the result describes as "".
std::string describe_call(std::string call, const std::string& result);

// The event counts after which a prefix ends with a response: the cut points.
std::vector<size_t> cut_points(std::span<const Event> events);

// Lists the witness's calls and events, and the longest linearization the
// search reached (replayed on the model for the results of pending calls).
template <class Model>
Witness make_witness(const typename History<Model>::Snapshot& snapshot, size_t event_count,
                     const Model& initial, const std::vector<uint32_t>& longest) {
  Witness witness;
  witness.events.assign(snapshot.events.begin(), snapshot.events.begin() + event_count);
  for (const Event& event : witness.events) {
    const RecordedOperation<Model>& operation = snapshot.operations[event.operation];
    if (event.kind == EventKind::kInvoke) {
      WEFT_CHECK_EQ(event.operation, witness.operations.size());
      std::string call = describe(operation.op);
      if (call.empty()) call = absl::StrCat("call ", event.operation);
      witness.operations.push_back(Witness::Operation{operation.client, std::move(call), {}});
    } else {
      WEFT_CHECK_LT(event.operation, witness.operations.size());
      witness.operations[event.operation].result = describe(*operation.result);
    }
  }
  Model model = initial;
  for (uint32_t index : longest) {
    std::string text = describe_call(witness.operations[index].call,
                                     describe(model.apply(snapshot.operations[index].op)));
    if (!witness.operations[index].result.has_value()) absl::StrAppend(&text, " (pending)");
    witness.longest_linearization.push_back(std::move(text));
  }
  return witness;
}

// Binary search for the shortest non-linearizable prefix cut after a
// response. Sound because linearizability is prefix-closed: a linearization
// of a longer prefix, cut after its last call that completed in the shorter
// one, linearizes the shorter one (later calls cannot precede those).
template <class Model>
Witness find_witness(const typename History<Model>::Snapshot& snapshot, const Model& initial,
                     const CheckOptions& options, SearchOutcome whole) {
  const std::vector<size_t> cuts = cut_points(snapshot.events);
  WEFT_CHECK(!cuts.empty());  // a history without responses is linearizable
  size_t low = 0;
  size_t high = cuts.size() - 1;  // cuts[high] is known not linearizable
  std::vector<uint32_t> longest = std::move(whole.longest);
  bool minimal = true;
  uint64_t states = 0;
  for (int round = 0; options.minimize_witness && low < high; ++round) {
    WEFT_CHECK_LT(round, 64);  // halves [low, high] every round
    const size_t middle = low + (high - low) / 2;
    SearchOutcome prefix = search<Model>(snapshot, cuts[middle], initial, options);
    states += prefix.states_visited;
    if (prefix.verdict == Verdict::kNotLinearizable) {
      high = middle;
      longest = std::move(prefix.longest);
    } else {
      minimal = minimal && prefix.verdict == Verdict::kLinearizable;
      low = middle + 1;
    }
  }
  Witness witness = make_witness<Model>(snapshot, cuts[high], initial, longest);
  witness.minimal = minimal && options.minimize_witness;
  witness.minimization_states_visited = states;
  return witness;
}

}  // namespace internal

// check()
//
// Checks `history` (a snapshot of it, so recording may continue) against the
// sequential model started in state `initial`. Deterministic: the same history
// gives the same result, states_visited and witness. Never crashes on a bad
// history: misuse and too many calls come back as result.status. The witness
// of a non-linearizable history is computed with the same budget per prefix.
template <class Model>
LinearizabilityResult check(const History<Model>& history, Model initial,
                            CheckOptions options = {}) {
  static_assert(internal::ModelRequirements<Model>::kSatisfied);
  const typename History<Model>::Snapshot snapshot = history.snapshot();
  LinearizabilityResult result;
  result.model_name = internal::model_name<Model>();
  result.states_max = options.states_max;
  result.operation_count = snapshot.operations.size();
  for (const RecordedOperation<Model>& operation : snapshot.operations) {
    if (!operation.result.has_value()) ++result.pending_count;
  }
  result.status = snapshot.status;
  if (!result.status.ok()) return result;

  internal::SearchOutcome whole =
      internal::search<Model>(snapshot, snapshot.events.size(), initial, options);
  result.states_visited = whole.states_visited;
  result.linearizable = whole.verdict == internal::Verdict::kLinearizable;
  result.undecided = whole.verdict == internal::Verdict::kUndecided;
  if (whole.verdict == internal::Verdict::kNotLinearizable) {
    result.witness = internal::find_witness<Model>(snapshot, initial, options, std::move(whole));
  }
  WEFT_CHECK(!(result.linearizable && result.undecided));
  return result;
}

}  // namespace weft::lin

#endif  // WEFT_LINEARIZABILITY_H_
