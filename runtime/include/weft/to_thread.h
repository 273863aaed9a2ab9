// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: to_thread.h
// -----------------------------------------------------------------------------
//
// weft::to_thread(fn) runs a blocking callable on a weft::Thread of its own
// and lets the calling task await its result, asyncio's to_thread:
//
//   weft::Task<std::string> load(std::string path) {
//     co_return co_await weft::to_thread([path] { return read_file(path); });
//   }
//
// The loop runs other tasks meanwhile. The callable's exception is rethrown
// to the awaiting task. Under simulation the thread is a simulated thread:
// its steps interleave with the loop's tasks in one decision space.
//
// A thread cannot be interrupted: cancelling the awaiting task is delivered
// (as weft::Cancelled) once the callable has returned, and its result is
// dropped.

#ifndef WEFT_TO_THREAD_H_
#define WEFT_TO_THREAD_H_

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/any_invocable.h"
#include "weft/event_loop.h"
#include "weft/task.h"
#include "weft/thread.h"

namespace weft {
namespace internal {

// Starts the thread in await_suspend (after the task is registered as
// waiting, so its wake-up cannot be lost) and joins it in await_resume.
template <typename R>
class ThreadAwaiter {
 public:
  ThreadAwaiter(absl::AnyInvocable<R()> body, std::string name, std::source_location where)
      : body_(std::move(body)), name_(std::move(name)), where_(where) {}

  bool await_ready() {
    self_ = &require_current_task("co_await weft::to_thread");
    return self_->cancel_pending;
  }
  void await_suspend(std::coroutine_handle<> at) {
    wait_.what = "to_thread";
    wait_.where = where_;
    suspend_task(*self_, at, wait_);  // No cancel hook: a thread cannot be stopped.
    std::shared_ptr<Mailbox> mailbox = self_->loop->mailbox();
    TaskState* self = self_;
    thread_ = Thread(
        name_,
        [this, self, mailbox = std::move(mailbox)] {
          try {
            if constexpr (std::is_void_v<R>) {
              body_();
              result_.emplace();
            } else {
              result_.emplace(body_());
            }
          } catch (...) {
            error_ = std::current_exception();
          }
          mailbox->deliver(*self, /*spawn=*/false);
        },
        where_);
  }
  R await_resume() {
    if (thread_.joinable()) thread_.join(where_);
    resume_task(*self_);
    if (error_) std::rethrow_exception(error_);
    if constexpr (!std::is_void_v<R>) return std::move(*result_);
  }

 private:
  using Slot = std::conditional_t<std::is_void_v<R>, bool, R>;

  absl::AnyInvocable<R()> body_;
  std::string name_;
  std::source_location where_;
  TaskState* self_ = nullptr;
  TaskWait wait_;
  std::optional<Slot> result_;
  std::exception_ptr error_;
  Thread thread_;  // Last: destroyed (joined) before what it writes to.
};

}  // namespace internal

template <typename Fn>
requires std::invocable<Fn&>
auto to_thread(Fn fn, std::string name = "to_thread",
               std::source_location where = std::source_location::current())
    -> Task<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  co_return co_await internal::ThreadAwaiter<R>(absl::AnyInvocable<R()>(std::move(fn)),
                                                std::move(name), where);
}

}  // namespace weft

#endif  // WEFT_TO_THREAD_H_
