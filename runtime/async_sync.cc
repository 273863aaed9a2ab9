// Copyright 2026 The weft Authors.
//
// The out-of-line half of the async primitives for tasks: AsyncMutex,
// AsyncSemaphore, Event, and Channel's error messages.

#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_format.h"
#include "weft/async_mutex.h"
#include "weft/async_semaphore.h"
#include "weft/channel.h"
#include "weft/event.h"
#include "weft/internal/check.h"
#include "weft/internal/event_loop.h"

namespace weft {
namespace {

// "AsyncMutex \"a\"" or "AsyncMutex (created at x.cc:12)".
std::string describe(const char* kind, const char* name, std::source_location created) {
  if (name != nullptr) return absl::StrFormat("%s \"%s\"", kind, name);
  return absl::StrFormat("%s (created at %s:%d)", kind, created.file_name(), created.line());
}

}  // namespace

// ---- AsyncMutex -------------------------------------------------------------

AsyncMutex::~AsyncMutex() {
  // Tasks still queued (their frames go when the loop unwinds) must not keep
  // pointing at a holder this mutex no longer keeps alive.
  for (internal::AsyncWaiter* waiter = waiters_.head(); waiter != nullptr; waiter = waiter->next) {
    waiter->wait.holder = nullptr;
  }
  if (holder_ != nullptr) std::exchange(holder_, nullptr)->release();
}

void AsyncMutex::take(internal::TaskState* task) noexcept {
  locked_ = true;
  holder_ = task;
  if (task != nullptr) task->retain();
}

bool AsyncMutex::try_lock() {
  if (locked_) return false;
  take(internal::EventLoop::current_task());
  return true;
}

void AsyncMutex::unlock() {
  if (!locked_) {
    throw std::logic_error(absl::StrFormat("weft::AsyncMutex::unlock: %s is not locked",
                                           describe("AsyncMutex", name_, created_)));
  }
  release();
}

void AsyncMutex::release() noexcept {
  internal::TaskState* const previous = std::exchange(holder_, nullptr);
  locked_ = false;
  if (!waiters_.empty()) {
    internal::AsyncWaiter& next = *waiters_.head();
    take(next.task);
    internal::finish_wait(next, internal::WaitOutcome::kGranted);
    // The others now wait for the new holder: keep their wait-for edges true
    // for the deadlock detector.
    for (internal::AsyncWaiter* waiter = waiters_.head(); waiter != nullptr;
         waiter = waiter->next) {
      waiter->wait.holder = holder_;
    }
  }
  // Last: dropping the reference may destroy a finished task's frame, and
  // with it whatever its parameters hold.
  if (previous != nullptr) previous->release();
}

void AsyncMutex::Guard::unlock() {
  if (mutex_ == nullptr) {
    throw std::logic_error("weft::AsyncMutex::Guard::unlock: the guard owns no lock");
  }
  std::exchange(mutex_, nullptr)->unlock();
}

void AsyncMutex::Guard::reset() noexcept {
  AsyncMutex* const mutex = std::exchange(mutex_, nullptr);
  // Not locked means someone unlocked it behind the guard's back; throwing
  // from a destructor would only turn that bug into std::terminate.
  if (mutex != nullptr && mutex->locked_) mutex->release();
}

AsyncMutex::LockAwaiter::~LockAwaiter() {
  if (internal::abandon_wait(node_)) return;
  // Handed the mutex but destroyed before it ran (the loop was torn down).
  if (node_.outcome == internal::WaitOutcome::kGranted) mutex_.release();
}

bool AsyncMutex::LockAwaiter::await_ready() {
  node_.task = &internal::require_current_task("co_await AsyncMutex::lock");
  if (node_.task->cancel_pending) return true;
  if (mutex_.locked_) return false;
  mutex_.take(node_.task);
  node_.outcome = internal::WaitOutcome::kGranted;
  return true;
}

void AsyncMutex::LockAwaiter::await_suspend(std::coroutine_handle<> at) {
  internal::TaskWait wait =
      internal::make_wait("AsyncMutex", mutex_.name_, mutex_.created_, where_);
  wait.holder = mutex_.holder_;
  internal::wait_on(mutex_.waiters_, node_, at, wait);
}

AsyncMutex::Guard AsyncMutex::LockAwaiter::await_resume() {
  internal::TaskState& task = *node_.task;
  const bool granted =
      std::exchange(node_.outcome, internal::WaitOutcome::kNone) == internal::WaitOutcome::kGranted;
  // Cancelled after it was handed the mutex: pass it on, as asyncio does.
  if (granted && task.cancel_pending) mutex_.release();
  internal::resume_task(task);  // Throws Cancelled.
  WEFT_CHECK(granted);
  return Guard(mutex_);
}

// ---- AsyncSemaphore ---------------------------------------------------------

AsyncSemaphore::AsyncSemaphore(int64_t initial, const char* name, std::source_location created)
    : name_(name), created_(created), count_(initial) {
  if (initial < 0) {
    throw std::invalid_argument(
        absl::StrFormat("weft::AsyncSemaphore: %s needs a non-negative initial count, got %d",
                        describe("AsyncSemaphore", name, created), initial));
  }
}

bool AsyncSemaphore::try_acquire() noexcept {
  if (count_ <= 0) return false;
  --count_;
  return true;
}

void AsyncSemaphore::release(int64_t n) {
  if (n < 0) {
    throw std::invalid_argument(
        absl::StrFormat("weft::AsyncSemaphore::release: %s released a negative count (%d)",
                        describe("AsyncSemaphore", name_, created_), n));
  }
  give(n);
}

void AsyncSemaphore::give(int64_t n) noexcept {
  count_ += n;
  while (count_ > 0 && !waiters_.empty()) {
    --count_;
    internal::finish_wait(*waiters_.head(), internal::WaitOutcome::kGranted);
  }
}

AsyncSemaphore::AcquireAwaiter::~AcquireAwaiter() {
  if (internal::abandon_wait(node_)) return;
  if (node_.outcome == internal::WaitOutcome::kGranted) semaphore_.give(1);
}

bool AsyncSemaphore::AcquireAwaiter::await_ready() {
  node_.task = &internal::require_current_task("co_await AsyncSemaphore::acquire");
  if (node_.task->cancel_pending) return true;
  // A positive count means nobody waits (release() serves waiters first).
  if (semaphore_.count_ <= 0) return false;
  --semaphore_.count_;
  node_.outcome = internal::WaitOutcome::kGranted;
  return true;
}

void AsyncSemaphore::AcquireAwaiter::await_suspend(std::coroutine_handle<> at) {
  internal::wait_on(
      semaphore_.waiters_, node_, at,
      internal::make_wait("AsyncSemaphore", semaphore_.name_, semaphore_.created_, where_));
}

void AsyncSemaphore::AcquireAwaiter::await_resume() {
  internal::TaskState& task = *node_.task;
  const bool granted =
      std::exchange(node_.outcome, internal::WaitOutcome::kNone) == internal::WaitOutcome::kGranted;
  // Cancelled after it was handed a permit: pass it on.
  if (granted && task.cancel_pending) semaphore_.give(1);
  internal::resume_task(task);  // Throws Cancelled.
  WEFT_CHECK(granted);
}

// ---- Event ------------------------------------------------------------------

void Event::set() noexcept {
  set_ = true;
  while (!waiters_.empty()) {
    internal::finish_wait(*waiters_.head(), internal::WaitOutcome::kGranted);
  }
}

Event::WaitAwaiter::~WaitAwaiter() { internal::abandon_wait(node_); }

bool Event::WaitAwaiter::await_ready() {
  node_.task = &internal::require_current_task("co_await Event::wait");
  return node_.task->cancel_pending || event_.set_;
}

void Event::WaitAwaiter::await_suspend(std::coroutine_handle<> at) {
  internal::wait_on(event_.waiters_, node_, at,
                    internal::make_wait("Event", event_.name_, event_.created_, where_));
}

void Event::WaitAwaiter::await_resume() {
  node_.outcome = internal::WaitOutcome::kNone;
  internal::resume_task(*node_.task);  // Throws Cancelled.
}

// ---- Channel ----------------------------------------------------------------

namespace internal {

void throw_channel_closed(const char* name, std::source_location created) {
  throw ChannelClosed(
      absl::StrFormat("weft::Channel: send on closed %s", describe("Channel", name, created)));
}

void throw_channel_capacity(const char* name, std::source_location created) {
  throw std::invalid_argument(
      absl::StrFormat("weft::Channel: %s has capacity 0; a channel needs room for at least one "
                      "item",
                      describe("Channel", name, created)));
}

}  // namespace internal
}  // namespace weft
