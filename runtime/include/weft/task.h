// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: task.h
// -----------------------------------------------------------------------------
//
// weft::Task<T> is a lazily started C++20 coroutine, asyncio's `async def`:
//
//   weft::Task<int> fetch(Channel<int>& replies) {
//     co_await weft::sleep_for(std::chrono::milliseconds(5));
//     std::optional<int> reply = co_await replies.recv();
//     co_return reply.value_or(-1);
//   }
//   weft::Task<void> client(Channel<int>& replies) {
//     int value = co_await fetch(replies);   // runs fetch, returns its value
//   }
//   int main() { return weft::run(client(replies)); }   // event_loop.h
//
// A Task does nothing until it is co_awaited (it then runs as part of the
// awaiting task, and returns its value or rethrows its exception) or handed to
// weft::run / weft::spawn (it then becomes a task of the event loop). Awaiting
// uses symmetric transfer, so a chain of a million nested co_awaits does not
// grow the stack.
//
// Every suspension (sleep, a lock that is held, a full channel, a JoinHandle
// that is not done) is where other tasks of the loop run; under simulation it
// is a scheduling decision, so the explorer tries every order of ready tasks.
// Code between two suspensions runs without interruption by tasks of the same
// loop, as on asyncio.
//
// Move-only. A Task destroyed without being awaited destroys its (never
// started) coroutine.

#ifndef WEFT_TASK_H_
#define WEFT_TASK_H_

#include <concepts>
#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "weft/internal/backend.h"
#include "weft/internal/task_state.h"

namespace weft {

template <typename T = void>
class Task;

namespace internal {

struct FinalAwaiter {
  bool await_ready() const noexcept { return false; }
  template <typename Promise>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> self) noexcept {
    PromiseBase& promise = self.promise();
    promise.finished = true;
    if (promise.continuation) return promise.continuation;
    return std::noop_coroutine();  // The top frame: back to the loop.
  }
  void await_resume() const noexcept {}
};

struct PromiseCommon : PromiseBase {
  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  // The simulator's ExecutionAborted unwinds the whole simulated thread (the
  // loop's host), frames and all: it must not become the task's result.
  void unhandled_exception() {
    try {
      throw;
    } catch (const internal::ExecutionAborted&) {
      throw;
    } catch (...) {
      exception = std::current_exception();
    }
  }
};

template <typename T>
struct TaskPromise : PromiseCommon {
  using value_type = T;
  Task<T> get_return_object() noexcept {
    return Task<T>(std::coroutine_handle<TaskPromise>::from_promise(*this));
  }
  template <typename U>
  requires std::convertible_to<U&&, T>
  void return_value(U&& value) { result.emplace(std::forward<U>(value)); }
  // Moves the result out, or rethrows the task's exception.
  T take() {
    if (this->exception) std::rethrow_exception(this->exception);
    return std::move(*result);
  }
  std::optional<T> result;
};

template <>
struct TaskPromise<void> : PromiseCommon {
  using value_type = void;
  Task<void> get_return_object() noexcept;
  void return_void() const noexcept {}
  void take() const {
    if (this->exception) std::rethrow_exception(this->exception);
  }
};

}  // namespace internal

template <typename T>
class [[nodiscard]] Task {
 public:
  using value_type = T;
  using promise_type = internal::TaskPromise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() noexcept = default;
  explicit Task(Handle handle) noexcept : handle_(handle) {}
  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~Task() { destroy(); }

  // Whether this Task holds a coroutine (not moved from).
  bool valid() const noexcept { return static_cast<bool>(handle_); }

  // co_await task: runs it to completion as part of the awaiting task.
  auto operator co_await() && noexcept {
    struct Awaiter {
      Handle handle;
      bool await_ready() const noexcept { return false; }
      std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        handle.promise().continuation = awaiting;
        return handle;  // Symmetric transfer: no stack growth.
      }
      T await_resume() { return handle.promise().take(); }
    };
    return Awaiter{handle_};
  }

  // For the loop: the coroutine (still owned by this Task).
  Handle handle() const noexcept { return handle_; }

 private:
  void destroy() noexcept {
    if (handle_) std::exchange(handle_, nullptr).destroy();
  }

  Handle handle_;
};

inline Task<void> internal::TaskPromise<void>::get_return_object() noexcept {
  return Task<void>(std::coroutine_handle<TaskPromise>::from_promise(*this));
}

}  // namespace weft

#endif  // WEFT_TASK_H_
