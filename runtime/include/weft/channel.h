// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: channel.h
// -----------------------------------------------------------------------------
//
// weft::Channel<T> is a bounded FIFO queue between weft::Tasks, asyncio.Queue
// with Go's close(): send() suspends while the channel is full, recv()
// suspends while it is empty, and close() ends the stream. Use it to hand
// work or results from producer tasks to consumer tasks with backpressure:
// the bound keeps a fast producer from running arbitrarily far ahead.
//
//   weft::Channel<Job> jobs(16, "jobs");
//
//   weft::Task<void> producer() {
//     for (Job& job : make_jobs()) co_await jobs.send(std::move(job));
//     jobs.close();                       // consumers drain, then stop
//   }
//   weft::Task<void> consumer() {
//     while (std::optional<Job> job = co_await jobs.recv()) co_await run(*job);
//   }
//
// Order: items come out in the order they went in. Waiting senders are
// served in arrival order, and so are waiting receivers.
//
// Close: after close(), send() and try_send() throw weft::ChannelClosed (so
// do sends that were waiting, or had been given room but had not run yet);
// recv() still returns the items already in the channel, then std::nullopt.
//
// Cancellation: send() and recv() are cancellation points. A cancelled send
// has not sent its value; a cancelled recv has taken nothing (an item it was
// handed before it could run stays in the channel for the next receiver).
//
// Memory: the ring of `capacity` slots is allocated once, at construction;
// sending and receiving never allocate.
//
// Not thread-safe: for the tasks of one event loop. Tasks may still be
// waiting when the channel is destroyed (weft::run cancels the tasks left
// when the main task returns), but none may have been handed an item or a
// slot and not run yet.

#ifndef WEFT_CHANNEL_H_
#define WEFT_CHANNEL_H_

#include <coroutine>
#include <cstddef>
#include <memory>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <utility>

#include "weft/internal/async_waiter.h"
#include "weft/internal/event_loop.h"
#include "weft/internal/task_state.h"

namespace weft {

// Thrown by sending on a closed Channel. what() names the channel.
class ChannelClosed : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace internal {
[[noreturn]] void throw_channel_closed(const char* name, std::source_location created);
[[noreturn]] void throw_channel_capacity(const char* name, std::source_location created);
}  // namespace internal

template <typename T>
class Channel {
 public:
  class SendAwaiter;
  class RecvAwaiter;

  // A channel holding up to `capacity` items. `name` (a string literal, or
  // anything that outlives the channel) appears in errors and deadlock
  // reports. Throws std::invalid_argument if capacity is 0 (an unbuffered
  // rendezvous channel is not supported).
  explicit Channel(size_t capacity, const char* name = nullptr,
                   std::source_location created = std::source_location::current())
      : name_(name), created_(created), capacity_(capacity) {
    if (capacity == 0) internal::throw_channel_capacity(name, created);
    slots_ = std::make_unique<std::optional<T>[]>(capacity);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  // Channel::send()
  //
  // `co_await channel.send(value);` waits for room, then appends `value`.
  // Throws weft::ChannelClosed if the channel is closed before the value is
  // in, weft::Cancelled if the task is cancelled first (the value is then
  // dropped with the awaiter). REQUIRES: awaited in a task.
  [[nodiscard]] SendAwaiter send(T value,
                                 std::source_location where = std::source_location::current()) {
    return SendAwaiter(*this, std::move(value), where);
  }

  // Channel::recv()
  //
  // `std::optional<T> item = co_await channel.recv();` waits for an item and
  // takes it; std::nullopt once the channel is closed and empty. Throws
  // weft::Cancelled if the task is cancelled first. REQUIRES: awaited in a
  // task.
  [[nodiscard]] RecvAwaiter recv(std::source_location where = std::source_location::current()) {
    return RecvAwaiter(*this, where);
  }

  // Channel::try_send()
  //
  // Appends `value` (moving from it) if there is room now; otherwise returns
  // false and leaves `value` alone. Throws weft::ChannelClosed if closed.
  bool try_send(T& value) {
    if (closed_) internal::throw_channel_closed(name_, created_);
    if (free_slots() == 0) return false;
    push(std::move(value));
    return true;
  }
  bool try_send(T&& value) { return try_send(value); }

  // Channel::try_recv()
  //
  // Takes the first item if there is one now (closed or not).
  std::optional<T> try_recv() {
    if (available_items() == 0) return std::nullopt;
    return pop();
  }

  // Channel::close()
  //
  // Ends the stream: waiting senders throw weft::ChannelClosed, waiting
  // receivers get the remaining items (none, as they waited), then
  // std::nullopt. Idempotent.
  void close() noexcept {
    closed_ = true;
    while (!senders_.empty())
      internal::finish_wait(*senders_.head(), internal::WaitOutcome::kClosed);
    while (!receivers_.empty()) {
      internal::finish_wait(*receivers_.head(), internal::WaitOutcome::kClosed);
    }
  }

  bool closed() const noexcept { return closed_; }
  // Items in the channel, including those handed to receivers that have not
  // run yet.
  size_t size() const noexcept { return size_; }
  size_t capacity() const noexcept { return capacity_; }
  const char* name() const noexcept { return name_; }

 private:
  // Room and items not promised to a woken task that has yet to run: a
  // waiting sender (receiver) is handed a slot (an item) when it is woken,
  // so a task that comes along before it runs cannot take it, and waiting
  // order is serving order.
  size_t free_slots() const noexcept { return capacity_ - size_ - reserved_slots_; }
  size_t available_items() const noexcept { return size_ - reserved_items_; }

  // REQUIRES: free_slots() > 0.
  void push(T&& value) {
    size_t index = head_ + size_;
    if (index >= capacity_) index -= capacity_;
    slots_[index].emplace(std::move(value));
    ++size_;
    serve_receivers();
  }

  // REQUIRES: available_items() > 0.
  T pop() {
    std::optional<T>& slot = slots_[head_];
    T value = std::move(*slot);
    slot.reset();
    if (++head_ == capacity_) head_ = 0;
    --size_;
    serve_senders();
    return value;
  }

  void serve_senders() noexcept {
    while (!senders_.empty() && free_slots() > 0) {
      ++reserved_slots_;
      internal::finish_wait(*senders_.head(), internal::WaitOutcome::kGranted);
    }
  }

  void serve_receivers() noexcept {
    while (!receivers_.empty() && available_items() > 0) {
      ++reserved_items_;
      internal::finish_wait(*receivers_.head(), internal::WaitOutcome::kGranted);
    }
  }

  internal::TaskWait wait_for(const char* what, std::source_location where) const noexcept {
    return internal::make_wait(what, name_, created_, where);
  }

  const char* name_;
  std::source_location created_;
  std::unique_ptr<std::optional<T>[]> slots_;
  size_t capacity_;
  size_t head_ = 0;
  size_t size_ = 0;
  size_t reserved_items_ = 0;  // Handed to woken receivers.
  size_t reserved_slots_ = 0;  // Handed to woken senders.
  bool closed_ = false;
  internal::AsyncWaiterList senders_;
  internal::AsyncWaiterList receivers_;
};

// What send() returns; co_await it at once. Holds the value until it is in
// the channel. Not copyable or movable: while its task waits, the channel's
// queue points into it.
template <typename T>
class [[nodiscard]] Channel<T>::SendAwaiter {
 public:
  SendAwaiter(const SendAwaiter&) = delete;
  SendAwaiter& operator=(const SendAwaiter&) = delete;
  ~SendAwaiter() {
    if (internal::abandon_wait(node_)) return;
    if (node_.outcome == internal::WaitOutcome::kGranted) {
      // Handed a slot but destroyed before it ran (the loop was torn down).
      --channel_.reserved_slots_;
      channel_.serve_senders();
    }
  }

  bool await_ready() {
    node_.task = &internal::require_current_task("co_await Channel::send");
    return node_.task->cancel_pending || channel_.closed_ || channel_.free_slots() > 0;
  }
  void await_suspend(std::coroutine_handle<> at) {
    internal::wait_on(channel_.senders_, node_, at, channel_.wait_for("Channel::send", where_));
  }
  void await_resume() {
    internal::TaskState& task = *node_.task;
    if (std::exchange(node_.outcome, internal::WaitOutcome::kNone) ==
        internal::WaitOutcome::kGranted) {
      --channel_.reserved_slots_;  // The slot is ours to fill, or to pass on.
      if (task.cancel_pending || channel_.closed_) channel_.serve_senders();
    }
    internal::resume_task(task);  // Throws Cancelled.
    if (channel_.closed_) internal::throw_channel_closed(channel_.name_, channel_.created_);
    channel_.push(std::move(value_));
  }

 private:
  friend class Channel;
  SendAwaiter(Channel& channel, T&& value, std::source_location where)
      : channel_(channel), value_(std::move(value)), where_(where) {}

  Channel& channel_;
  T value_;
  std::source_location where_;
  internal::AsyncWaiter node_;
};

// What recv() returns; co_await it at once. Not copyable or movable: while
// its task waits, the channel's queue points into it.
template <typename T>
class [[nodiscard]] Channel<T>::RecvAwaiter {
 public:
  RecvAwaiter(const RecvAwaiter&) = delete;
  RecvAwaiter& operator=(const RecvAwaiter&) = delete;
  ~RecvAwaiter() {
    if (internal::abandon_wait(node_)) return;
    if (node_.outcome == internal::WaitOutcome::kGranted) {
      // Handed an item but destroyed before it ran: it stays in the channel.
      --channel_.reserved_items_;
      channel_.serve_receivers();
    }
  }

  bool await_ready() {
    node_.task = &internal::require_current_task("co_await Channel::recv");
    return node_.task->cancel_pending || channel_.closed_ || channel_.available_items() > 0;
  }
  void await_suspend(std::coroutine_handle<> at) {
    internal::wait_on(channel_.receivers_, node_, at, channel_.wait_for("Channel::recv", where_));
  }
  std::optional<T> await_resume() {
    internal::TaskState& task = *node_.task;
    if (std::exchange(node_.outcome, internal::WaitOutcome::kNone) ==
        internal::WaitOutcome::kGranted) {
      --channel_.reserved_items_;  // The item is ours to take, or to pass on.
      if (task.cancel_pending) channel_.serve_receivers();
    }
    internal::resume_task(task);  // Throws Cancelled.
    if (channel_.available_items() > 0) return channel_.pop();
    return std::nullopt;  // Closed and drained.
  }

 private:
  friend class Channel;
  RecvAwaiter(Channel& channel, std::source_location where) noexcept
      : channel_(channel), where_(where) {}

  Channel& channel_;
  std::source_location where_;
  internal::AsyncWaiter node_;
};

}  // namespace weft

#endif  // WEFT_CHANNEL_H_
