// Copyright 2026 The weft Authors.
//
// The real runtime's LoopDriver: a FIFO of ready tasks, a min-heap of timers
// on the steady clock behind one timerfd, and an eventfd that other threads
// write to when they post work, all watched by one epoll instance. When no
// task is ready it sleeps in epoll_wait until a timer fires or mail comes.

#ifndef WEFT_RUNTIME_REAL_LOOP_DRIVER_H_
#define WEFT_RUNTIME_REAL_LOOP_DRIVER_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>
#include <vector>

#include "weft/internal/event_loop.h"
#include "weft/internal/task_state.h"

namespace weft::internal {

class RealLoopDriver final : public LoopDriver {
 public:
  RealLoopDriver();
  ~RealLoopDriver() override;

  void attach(EventLoop& loop) override { loop_ = &loop; }
  void task_created(TaskState& task) override;
  void task_ready(TaskState& task) override;
  void deliver_from_thread(TaskState& task, bool spawn) override;
  void arm_timer(TaskState& task, Clock::time_point deadline) override;
  void disarm_timer(TaskState& task) override;
  void watch_fd(TaskState& task, int fd, bool for_write) override;
  void unwatch_fd(TaskState& task, int fd) override;
  TaskState* next(TaskState* previous, bool mail_expected) override;
  bool mail_pending() override;
  void close(TaskState* previous) override { (void)previous; }
  Clock::time_point now() override { return Clock::now(); }

 private:
  struct Timer {
    Clock::time_point deadline;
    uint64_t sequence;  // FIFO among equal deadlines.
    TaskState* task;    // Holds a reference while queued.
    uint32_t generation;
  };
  struct Later {
    bool operator()(const Timer& a, const Timer& b) const {
      return std::pair(a.deadline, a.sequence) > std::pair(b.deadline, b.sequence);
    }
  };
  struct Mail {
    TaskState* task;
    bool spawn;
  };

  struct Watch {
    int fd;
    TaskState* task;  // Holds a reference while watched.
  };

  void close_fds() noexcept;
  // A watched descriptor is ready: its task wakes, the watch ends.
  void fire_watch(int fd);
  // Pops disarmed timers off the top of the heap.
  void drop_dead_timers();
  void push_ready(TaskState& task);
  TaskState* pop_ready();
  // Moves due timers and mail to the ready queue; true if any became ready.
  bool collect();
  void fire_due_timers();
  void take_mail();
  // Blocks in epoll_wait until the earliest timer or mail.
  void wait();

  EventLoop* loop_ = nullptr;
  std::deque<TaskState*> ready_;
  std::vector<Timer> timers_;  // A heap under Later.
  uint64_t timer_sequence_ = 0;
  Clock::time_point armed_deadline_ = Clock::time_point::max();
  std::vector<Watch> watches_;  // Few at once: a vector beats a map.
  int epoll_fd_ = -1;
  int mail_fd_ = -1;   // eventfd
  int timer_fd_ = -1;  // timerfd on CLOCK_MONOTONIC (the steady clock)
  std::mutex mail_mutex_;
  std::vector<Mail> mail_;
};

}  // namespace weft::internal

#endif  // WEFT_RUNTIME_REAL_LOOP_DRIVER_H_
