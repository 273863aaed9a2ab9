// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: event.h
// -----------------------------------------------------------------------------
//
// weft::Event is asyncio.Event for weft::Task: a flag tasks can co_await.
// wait() returns at once while the flag is set and otherwise suspends until
// set() raises it; set() wakes every waiting task. Use it to announce a
// one-off (or resettable) condition to any number of tasks: "started",
// "shutdown requested", "the config is loaded".
//
//   weft::Event ready("ready");
//
//   weft::Task<void> worker() {
//     co_await ready.wait();   // every worker proceeds once ready.set()
//     ...
//   }
//   weft::Task<void> setup() { co_await load(); ready.set(); }
//
// A task woken by set() returns from wait() even if clear() is called before
// it runs again (it saw the event happen), as in asyncio. wait() is a
// cancellation point: a cancelled waiter throws weft::Cancelled, and the
// event is unaffected.
//
// Not thread-safe: for the tasks of one event loop. Tasks may still be
// waiting when the event is destroyed (weft::run cancels the tasks left when
// the main task returns).

#ifndef WEFT_EVENT_H_
#define WEFT_EVENT_H_

#include <coroutine>
#include <source_location>

#include "weft/internal/async_waiter.h"

namespace weft {

class Event {
 public:
  class WaitAwaiter;

  // `name` (a string literal, or anything that outlives the event) appears in
  // deadlock reports.
  explicit Event(const char* name = nullptr,
                 std::source_location created = std::source_location::current()) noexcept
      : name_(name), created_(created) {}
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // Event::wait()
  //
  // `co_await event.wait();` returns once the event is set.
  // REQUIRES: awaited in a task (std::logic_error otherwise).
  [[nodiscard]] WaitAwaiter wait(std::source_location where = std::source_location::current());

  // Sets the flag and wakes every waiting task.
  void set() noexcept;
  // Clears the flag: later wait()s suspend until the next set().
  void clear() noexcept { set_ = false; }
  bool is_set() const noexcept { return set_; }
  const char* name() const noexcept { return name_; }

 private:
  const char* name_;
  std::source_location created_;
  bool set_ = false;
  internal::AsyncWaiterList waiters_;
};

// What wait() returns; co_await it at once. Not copyable or movable: while
// its task waits, the event's queue points into it.
class [[nodiscard]] Event::WaitAwaiter {
 public:
  WaitAwaiter(const WaitAwaiter&) = delete;
  WaitAwaiter& operator=(const WaitAwaiter&) = delete;
  ~WaitAwaiter();

  bool await_ready();
  void await_suspend(std::coroutine_handle<> at);
  void await_resume();

 private:
  friend class Event;
  WaitAwaiter(Event& event, std::source_location where) noexcept : event_(event), where_(where) {}

  Event& event_;
  std::source_location where_;
  internal::AsyncWaiter node_;
};

inline Event::WaitAwaiter Event::wait(std::source_location where) {
  return WaitAwaiter(*this, where);
}

}  // namespace weft

#endif  // WEFT_EVENT_H_
