// Copyright 2026 The weft Authors.
//
// A bounded buffer (capacity 1) shared by two producers and two consumers,
// with ONE condition variable for both "not full" and "not empty" and
// notify_one. The waits are correct `while` loops, yet notify_one can wake a
// thread of the wrong kind: a consumer takes the item and its notification
// wakes the other consumer (the buffer is empty, it waits again) instead of
// the waiting producer. Nobody is left to notify: everyone waits, a deadlock.
// The fix: one condition variable per condition (not_full for producers,
// not_empty for consumers), so every notification reaches a thread that can
// use it.

#include <array>
#include <deque>
#include <mutex>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr size_t kCapacity = 1;
constexpr int kItemsPerThread = 1;

class BoundedBuffer {
 public:
  explicit BoundedBuffer(bool one_condvar) : one_condvar_(one_condvar) {}

  void put(int item) {
    std::unique_lock lock(mutex_);
    weft::CondVar& wait_on = one_condvar_ ? changed_ : not_full_;
    while (items_.size() == kCapacity) wait_on.wait(lock);
    items_.push_back(item);
    lock.unlock();
    (one_condvar_ ? changed_ : not_empty_).notify_one();
  }

  int take() {
    std::unique_lock lock(mutex_);
    weft::CondVar& wait_on = one_condvar_ ? changed_ : not_empty_;
    while (items_.empty()) wait_on.wait(lock);
    const int item = items_.front();
    items_.pop_front();
    lock.unlock();
    (one_condvar_ ? changed_ : not_full_).notify_one();
    return item;
  }

 private:
  const bool one_condvar_;
  weft::Mutex mutex_{"buffer"};
  weft::CondVar changed_{"changed"};      // The buggy design: both conditions.
  weft::CondVar not_full_{"not full"};    // The fix: producers wait here...
  weft::CondVar not_empty_{"not empty"};  // ...and consumers here.
  std::deque<int> items_;                 // Guarded by mutex_.
};

void run_buffer(bool one_condvar) {
  BoundedBuffer buffer(one_condvar);
  std::array<int, 2> taken_sums{};
  weft::Thread producer1("producer 1", [&] {
    for (int i = 0; i < kItemsPerThread; ++i) buffer.put(1);
  });
  weft::Thread producer2("producer 2", [&] {
    for (int i = 0; i < kItemsPerThread; ++i) buffer.put(10);
  });
  weft::Thread consumer1("consumer 1", [&] {
    for (int i = 0; i < kItemsPerThread; ++i) taken_sums[0] += buffer.take();
  });
  weft::Thread consumer2("consumer 2", [&] {
    for (int i = 0; i < kItemsPerThread; ++i) taken_sums[1] += buffer.take();
  });
  producer1.join();
  producer2.join();
  consumer1.join();
  consumer2.join();
  WEFT_ASSERT(taken_sums[0] + taken_sums[1] == 11 * kItemsPerThread,
              "an item was lost or taken twice");
}

}  // namespace

void bounded_buffer_buggy() { run_buffer(/*one_condvar=*/true); }
void bounded_buffer_fixed() { run_buffer(/*one_condvar=*/false); }

}  // namespace weft::examples
