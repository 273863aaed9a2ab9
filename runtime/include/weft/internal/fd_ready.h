// Copyright 2026 The weft Authors.
//
// FdReady: co_await it in a task to wait, without blocking the loop's
// thread, until a descriptor is ready to read (or to write up to PIPE_BUF
// bytes), at EOF, or in error. The awaitable I/O of PipeReader/PipeWriter is
// built on it. Real runtime: poll(0) first, then the loop's epoll; simulated:
// the pipe's or socket's state, and a wake-up from the simulator when it
// changes (a socket's may come before it is ready: await until
// fd_ready_now). A cancelled task stops watching and throws weft::Cancelled.

#ifndef WEFT_INTERNAL_FD_READY_H_
#define WEFT_INTERNAL_FD_READY_H_

#include <coroutine>
#include <source_location>

#include "weft/internal/descriptor.h"
#include "weft/internal/event_loop.h"
#include "weft/internal/task_state.h"

namespace weft::internal {

// Whether `fd` is ready now (real runtime: poll with a zero timeout).
bool os_fd_ready(int fd, bool for_write);

// Whether `descriptor` is ready now, on its runtime; a closed one is (the
// I/O call reports it).
inline bool fd_ready_now(const Descriptor& descriptor, bool for_write) {
  if (!descriptor.is_open()) return true;
  Backend* backend = descriptor.backend();
  return backend != nullptr ? backend->fd_ready(descriptor.fd(), for_write)
                            : os_fd_ready(descriptor.fd(), for_write);
}

class [[nodiscard]] FdReady {
 public:
  FdReady(const Descriptor& descriptor, bool for_write, const char* what,
          std::source_location where) noexcept
      : descriptor_(descriptor), for_write_(for_write) {
    wait_.what = what;
    wait_.where = where;
    wait_.cancel = &FdReady::cancel;
    wait_.context = this;
  }
  FdReady(const FdReady&) = delete;
  FdReady& operator=(const FdReady&) = delete;
  ~FdReady() {
    if (watching_) unwatch();
    forget_wait(task_, wait_);
  }

  bool await_ready() {
    task_ = &require_current_task(wait_.what);
    return task_->cancel_pending || fd_ready_now(descriptor_, for_write_);
  }
  void await_suspend(std::coroutine_handle<> at) {
    suspend_task(*task_, at, wait_);
    task_->loop->driver().watch_fd(*task_, descriptor_.fd(), for_write_);
    watching_ = true;
  }
  void await_resume() {
    watching_ = false;    // A watch fires once; a cancel undid it.
    resume_task(*task_);  // Throws Cancelled.
  }

 private:
  static void cancel(void* context, TaskState& task) {
    (void)task;
    static_cast<FdReady*>(context)->unwatch();
  }
  void unwatch() {
    watching_ = false;
    task_->loop->driver().unwatch_fd(*task_, descriptor_.fd());
  }

  const Descriptor& descriptor_;
  const bool for_write_;
  TaskState* task_ = nullptr;
  bool watching_ = false;
  TaskWait wait_;
};

}  // namespace weft::internal

#endif  // WEFT_INTERNAL_FD_READY_H_
