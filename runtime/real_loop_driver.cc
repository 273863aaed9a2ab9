// Copyright 2026 The weft Authors.

#include "runtime/real_loop_driver.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <system_error>

#include "weft/internal/check.h"

namespace weft::internal {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int check_fd(int fd, const char* what) {
  if (fd < 0) throw_errno(what);
  return fd;
}

}  // namespace

RealLoopDriver::RealLoopDriver() {
  epoll_fd_ = check_fd(epoll_create1(EPOLL_CLOEXEC), "weft::run: epoll_create1");
  mail_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
  if (mail_fd_ < 0 || timer_fd_ < 0) {
    const int saved = errno;
    close_fds();
    errno = saved;
    throw_errno("weft::run: eventfd/timerfd_create");
  }
  for (int fd : {mail_fd_, timer_fd_}) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      const int saved = errno;
      close_fds();
      errno = saved;
      throw_errno("weft::run: epoll_ctl");
    }
  }
}

RealLoopDriver::~RealLoopDriver() {
  for (Timer& timer : timers_) timer.task->release();
  timers_.clear();
  for (const Watch& watch : watches_) watch.task->release();
  watches_.clear();
  // Mail the loop never took (it was unwound): new tasks never ran.
  for (const Mail& item : mail_) {
    if (item.spawn) item.task->destroy_frames();
    item.task->release();
  }
  mail_.clear();
  close_fds();
}

void RealLoopDriver::close_fds() noexcept {
  for (int* fd : {&epoll_fd_, &mail_fd_, &timer_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

bool RealLoopDriver::mail_pending() {
  std::lock_guard<std::mutex> lock(mail_mutex_);
  return !mail_.empty();
}

void RealLoopDriver::drop_dead_timers() {
  while (!timers_.empty() && timers_.front().generation != timers_.front().task->timer_generation) {
    std::pop_heap(timers_.begin(), timers_.end(), Later{});
    timers_.back().task->release();
    timers_.pop_back();
  }
}

void RealLoopDriver::task_created(TaskState& task) { push_ready(task); }

void RealLoopDriver::task_ready(TaskState& task) { push_ready(task); }

void RealLoopDriver::push_ready(TaskState& task) { ready_.push_back(&task); }

TaskState* RealLoopDriver::pop_ready() {
  if (ready_.empty()) return nullptr;
  TaskState* task = ready_.front();
  ready_.pop_front();
  return task;
}

void RealLoopDriver::deliver_from_thread(TaskState& task, bool spawn) {
  {
    std::lock_guard<std::mutex> lock(mail_mutex_);
    mail_.push_back(Mail{&task, spawn});
  }
  const uint64_t one = 1;
  // A full counter (2^64 - 2 unread posts) cannot happen: the loop drains it.
  [[maybe_unused]] const ssize_t written = ::write(mail_fd_, &one, sizeof one);
}

void RealLoopDriver::arm_timer(TaskState& task, Clock::time_point deadline) {
  task.retain();
  timers_.push_back(Timer{deadline, timer_sequence_++, &task, ++task.timer_generation});
  std::push_heap(timers_.begin(), timers_.end(), Later{});
}

void RealLoopDriver::disarm_timer(TaskState& task) { ++task.timer_generation; }

void RealLoopDriver::watch_fd(TaskState& task, int fd, bool for_write) {
  for (const Watch& watch : watches_) {
    if (watch.fd == fd) {
      throw std::logic_error("weft: two tasks of one loop wait on the same descriptor");
    }
  }
  epoll_event event{};
  event.events = (for_write ? EPOLLOUT : EPOLLIN) | EPOLLRDHUP | EPOLLONESHOT;
  event.data.fd = fd;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) throw_errno("weft: epoll_ctl(ADD)");
  task.retain();
  watches_.push_back(Watch{fd, &task});
}

void RealLoopDriver::unwatch_fd(TaskState& task, int fd) {
  for (auto it = watches_.begin(); it != watches_.end(); ++it) {
    if (it->fd != fd || it->task != &task) continue;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watches_.erase(it);
    task.release();
    return;
  }
}

void RealLoopDriver::fire_watch(int fd) {
  for (auto it = watches_.begin(); it != watches_.end(); ++it) {
    if (it->fd != fd) continue;
    TaskState* task = it->task;
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    watches_.erase(it);
    loop_->wake(*task);
    task->release();
    return;
  }
}

TaskState* RealLoopDriver::next(TaskState* previous, bool mail_expected) {
  (void)previous;
  for (;;) {
    if (TaskState* task = pop_ready()) return task;
    if (collect()) continue;
    drop_dead_timers();  // Disarmed timers must not look like pending work.
    if (timers_.empty() && watches_.empty() && !mail_expected) return nullptr;
    wait();
  }
}

bool RealLoopDriver::collect() {
  fire_due_timers();
  take_mail();
  return !ready_.empty();
}

void RealLoopDriver::fire_due_timers() {
  if (timers_.empty()) return;
  const Clock::time_point now = Clock::now();
  while (!timers_.empty() && timers_.front().deadline <= now) {
    std::pop_heap(timers_.begin(), timers_.end(), Later{});
    const Timer timer = timers_.back();
    timers_.pop_back();
    if (timer.generation == timer.task->timer_generation) {
      ++timer.task->timer_generation;
      loop_->wake(*timer.task);
    }
    timer.task->release();
  }
}

void RealLoopDriver::take_mail() {
  std::vector<Mail> mail;
  {
    std::lock_guard<std::mutex> lock(mail_mutex_);
    mail.swap(mail_);
  }
  for (const Mail& item : mail) {
    if (item.spawn) {
      loop_->adopt(*item.task);
    } else {
      loop_->wake(*item.task);
      item.task->release();  // The reference the poster took.
    }
  }
}

void RealLoopDriver::wait() {
  if (!timers_.empty() && timers_.front().deadline != armed_deadline_) {
    armed_deadline_ = timers_.front().deadline;
    const auto since_epoch = armed_deadline_.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    itimerspec spec{};
    spec.it_value.tv_sec = seconds.count();
    spec.it_value.tv_nsec =
        std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds).count();
    if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
    if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
      throw_errno("weft::run: timerfd_settime");
    }
  }
  epoll_event events[16];
  int count;
  do {
    count = epoll_wait(epoll_fd_, events, 16, -1);
  } while (count < 0 && errno == EINTR);
  if (count < 0) throw_errno("weft::run: epoll_wait");
  for (int i = 0; i < count; ++i) {
    if (events[i].data.fd != timer_fd_ && events[i].data.fd != mail_fd_) {
      fire_watch(events[i].data.fd);
      continue;
    }
    uint64_t value;
    [[maybe_unused]] const ssize_t got = ::read(events[i].data.fd, &value, sizeof value);
    if (events[i].data.fd == timer_fd_) armed_deadline_ = Clock::time_point::max();
  }
}

}  // namespace weft::internal
