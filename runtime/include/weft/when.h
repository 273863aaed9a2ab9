// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: when.h
// -----------------------------------------------------------------------------
//
// Running tasks side by side, asyncio's gather / wait(FIRST_COMPLETED) /
// wait_for:
//
//   auto [user, posts] = co_await weft::when_all(fetch_user(id), fetch_posts(id));
//   auto [index, reply] = co_await weft::when_any(ask(primary), ask(backup));
//   Reply r = co_await weft::timeout(std::chrono::seconds(1), ask(primary));
//
// when_all runs every task as a task of its own and returns their values in
// order (std::monostate for Task<void>). The first one to fail cancels the
// others; when all have finished, its exception is rethrown. Cancelling the
// task that awaits when_all cancels every child, waits for them, and
// rethrows weft::Cancelled.
//
// when_any returns the index and value of the first task to finish and
// cancels (and waits for) the rest; if that first task threw, the exception
// is rethrown.
//
// timeout(d, task) returns task's value if it finishes within d; otherwise it
// cancels it, waits for it to finish, and throws weft::TimedOut (unless the
// task finished with a value or another exception anyway: then that).
//
// Not thread-safe (tasks of one loop).

#ifndef WEFT_WHEN_H_
#define WEFT_WHEN_H_

#include <coroutine>
#include <cstddef>
#include <exception>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "weft/event_loop.h"
#include "weft/task.h"

namespace weft {

// Thrown by weft::timeout when the task did not finish in time.
class TimedOut : public std::runtime_error {
 public:
  TimedOut() : std::runtime_error("weft::TimedOut: the task did not finish in time") {}
};

namespace internal {

// The value a task of T contributes to a result tuple.
template <typename T>
using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// Awaits `task` and stores its value (or monostate) in `slot`.
template <typename T>
Task<void> store_value(Task<T> task, std::optional<Value<T>>& slot) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(task);
    slot.emplace();
  } else {
    slot.emplace(co_await std::move(task));
  }
}

// The books of one when_all / when_any: the children's handles and the
// first outcome. Lives in the awaiting coroutine's frame, which outlives the
// children (it waits for every one of them).
struct Siblings {
  std::vector<JoinHandle<void>> children;
  std::exception_ptr first_error;
  std::optional<size_t> winner;

  void cancel_all_but(size_t keep) {
    for (size_t i = 0; i < children.size(); ++i) {
      if (i != keep) children[i].cancel();
    }
  }
};

// One child: runs `body` (which stores the value); records the first failure
// (when_all) or the first finisher (when_any) and cancels the siblings. It
// never throws, so awaiting it never does either.
inline Task<void> sibling(Task<void> body, Siblings& siblings, size_t index, bool first_wins) {
  std::exception_ptr error;
  try {
    co_await std::move(body);
  } catch (...) {
    error = std::current_exception();
  }
  if (first_wins) {
    if (!siblings.winner) {
      siblings.winner = index;
      siblings.first_error = error;
      siblings.cancel_all_but(index);
    }
  } else if (error && !siblings.first_error) {
    siblings.first_error = error;
    siblings.cancel_all_but(index);
  }
}

// Waits for every child; if the awaiting task is cancelled meanwhile,
// cancels the children, still waits for all of them, then rethrows.
inline Task<void> join_siblings(Siblings& siblings) {
  // The children never throw: a Cancelled here is the awaiting task's own.
  bool cancelled = false;
  for (size_t i = 0; i < siblings.children.size(); ++i) {
    for (;;) {
      try {
        co_await siblings.children[i];
        break;
      } catch (const Cancelled&) {
        cancelled = true;
        siblings.cancel_all_but(siblings.children.size());
      }
      if (siblings.children[i].done()) break;
    }
  }
  if (cancelled) throw Cancelled{};
}

// Waits until `task` is done or `deadline` passes; true if done. Takes
// nothing from the task. A cancellation point.
class DoneOrDeadline {
 public:
  DoneOrDeadline(TaskState& task, Clock::time_point deadline, std::source_location where)
      : task_(task), deadline_(deadline), where_(where) {}
  ~DoneOrDeadline();
  DoneOrDeadline(const DoneOrDeadline&) = delete;
  DoneOrDeadline& operator=(const DoneOrDeadline&) = delete;
  bool await_ready();
  void await_suspend(std::coroutine_handle<> at);
  bool await_resume();

 private:
  static void cancel_wait(void* context, TaskState& self);

  TaskState& task_;
  Clock::time_point deadline_;
  std::source_location where_;
  TaskState* self_ = nullptr;
  JoinWaiter node_;
  TaskWait wait_;
};

}  // namespace internal

// weft::when_all() over Tasks of any value types: a tuple of their values.
template <typename... Ts>
Task<std::tuple<internal::Value<Ts>...>> when_all(Task<Ts>... tasks) {
  std::tuple<std::optional<internal::Value<Ts>>...> slots;
  internal::Siblings siblings;
  [&]<size_t... I>(std::index_sequence<I...>) {
    (siblings.children.push_back(
         spawn(internal::sibling(internal::store_value(std::move(tasks), std::get<I>(slots)),
                                 siblings, I, /*first_wins=*/false),
               "when_all")),
     ...);
  }
  (std::index_sequence_for<Ts...>{});
  co_await internal::join_siblings(siblings);
  if (siblings.first_error) std::rethrow_exception(siblings.first_error);
  co_return std::apply([](auto&... slot) { return std::make_tuple(std::move(*slot)...); }, slots);
}

// weft::when_all() over a vector of Tasks: their values, in order.
template <typename T>
Task<std::vector<internal::Value<T>>> when_all(std::vector<Task<T>> tasks) {
  std::vector<std::optional<internal::Value<T>>> slots(tasks.size());
  internal::Siblings siblings;
  for (size_t i = 0; i < tasks.size(); ++i) {
    siblings.children.push_back(
        spawn(internal::sibling(internal::store_value(std::move(tasks[i]), slots[i]), siblings, i,
                                /*first_wins=*/false),
              "when_all"));
  }
  co_await internal::join_siblings(siblings);
  if (siblings.first_error) std::rethrow_exception(siblings.first_error);
  std::vector<internal::Value<T>> values;
  values.reserve(slots.size());
  for (auto& slot : slots) values.push_back(std::move(*slot));
  co_return values;
}

// weft::when_any() over a vector of Tasks: {index, value} of the first to
// finish. REQUIRES: !tasks.empty() (std::invalid_argument otherwise).
template <typename T>
Task<std::pair<size_t, internal::Value<T>>> when_any(std::vector<Task<T>> tasks) {
  if (tasks.empty()) throw std::invalid_argument("weft::when_any of no tasks");
  std::vector<std::optional<internal::Value<T>>> slots(tasks.size());
  internal::Siblings siblings;
  for (size_t i = 0; i < tasks.size(); ++i) {
    siblings.children.push_back(
        spawn(internal::sibling(internal::store_value(std::move(tasks[i]), slots[i]), siblings, i,
                                /*first_wins=*/true),
              "when_any"));
  }
  co_await internal::join_siblings(siblings);
  if (siblings.first_error) std::rethrow_exception(siblings.first_error);
  const size_t winner = *siblings.winner;
  co_return std::pair<size_t, internal::Value<T>>(winner, std::move(*slots[winner]));
}

// weft::when_any() over Tasks of one value type.
template <typename T, typename... More>
requires(std::is_same_v<Task<T>, More>&&...) Task<std::pair<size_t, internal::Value<T>>> when_any(
    Task<T> first, More... more) {
  std::vector<Task<T>> tasks;
  tasks.push_back(std::move(first));
  (tasks.push_back(std::move(more)), ...);
  return when_any(std::move(tasks));
}

// weft::timeout()
//
// `task`'s value if it finishes within `limit`; else cancels it, waits for
// it, and throws weft::TimedOut. See the file comment.
template <typename T>
Task<T> timeout(Clock::duration limit, Task<T> task,
                std::source_location where = std::source_location::current()) {
  JoinHandle<T> child = spawn(std::move(task), "timeout");
  const Clock::time_point deadline = Clock::now() + limit;
  bool in_time = false;
  bool cancelled = false;
  try {
    in_time = co_await internal::DoneOrDeadline(*child.state(), deadline, where);
  } catch (const Cancelled&) {
    cancelled = true;
  }
  if (!in_time) {
    // Too late, or the awaiting task was cancelled: cancel the child and
    // wait for its cleanup to finish before leaving.
    child.cancel();
    while (!child.done()) {
      try {
        co_await internal::DoneOrDeadline(*child.state(), Clock::time_point::max(), where);
      } catch (const Cancelled&) {
        cancelled = true;
      }
    }
    if (cancelled) throw Cancelled{};
    bool timed_out = false;
    try {
      co_return co_await child;
    } catch (const Cancelled&) {
      timed_out = true;
    }
    if (timed_out) throw TimedOut();
  }
  co_return co_await child;
}

}  // namespace weft

#endif  // WEFT_WHEN_H_
