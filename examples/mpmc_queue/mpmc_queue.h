// Copyright 2026 The weft Authors.
//
// A bounded multi-producer multi-consumer queue as an application would
// write one: a ring buffer, a weft::Mutex, and two weft::CondVars (not
// full, not empty). push() waits while the queue is full, pop() while it is
// empty.
//
//   weft::examples::BoundedQueue queue(/*capacity=*/4);
//   queue.push(7);           // in producers
//   int item = queue.pop();  // in consumers
//
// BasicBoundedQueue<kWaitOnce = true> (OnceWaitingQueue) has the classic
// bug: it waits with `if` instead of `while`. With notify_all, two
// consumers wake for one item; the second takes a slot that holds nothing
// (an item popped twice, a count below zero).

#ifndef WEFT_EXAMPLES_MPMC_QUEUE_MPMC_QUEUE_H_
#define WEFT_EXAMPLES_MPMC_QUEUE_MPMC_QUEUE_H_

#include <cstddef>
#include <mutex>
#include <vector>

#include "weft/weft.h"

namespace weft::examples {

template <bool kWaitOnce>
class BasicBoundedQueue {
 public:
  explicit BasicBoundedQueue(size_t capacity) : slots_(capacity) {}

  void push(int item) {
    std::unique_lock lock(mutex_);
    wait_until(not_full_, lock,
               [&] { return count_ < static_cast<std::ptrdiff_t>(slots_.size()); });
    slots_[(head_ + count_) % slots_.size()] = item;
    ++count_;
    not_empty_.notify_all();
  }

  int pop() {
    std::unique_lock lock(mutex_);
    wait_until(not_empty_, lock, [&] { return count_ > 0; });
    const int item = slots_[head_];
    head_ = (head_ + 1) % slots_.size();
    --count_;
    not_full_.notify_all();
    return item;
  }

 private:
  template <class Ready>
  void wait_until(CondVar& condition, std::unique_lock<Mutex>& lock, Ready ready) {
    if constexpr (kWaitOnce) {
      if (!ready()) condition.wait(lock);  // BUG: woken does not mean ready.
    } else {
      while (!ready()) condition.wait(lock);
    }
  }

  Mutex mutex_{"queue"};
  CondVar not_full_{"not full"};
  CondVar not_empty_{"not empty"};
  std::vector<int> slots_;
  size_t head_ = 0;
  // Signed on purpose: the buggy queue drives it below zero, not to 2^64.
  std::ptrdiff_t count_ = 0;
};

using BoundedQueue = BasicBoundedQueue<false>;
using OnceWaitingQueue = BasicBoundedQueue<true>;

}  // namespace weft::examples

#endif  // WEFT_EXAMPLES_MPMC_QUEUE_MPMC_QUEUE_H_
