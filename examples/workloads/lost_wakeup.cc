// Copyright 2026 The weft Authors.
//
// The lost wake-up: a worker waits on a condition variable for the "start"
// signal, calling wait() without checking whether the signal was already
// given. A notification reaches only threads already waiting, so if the
// starter signals before the worker begins to wait, the worker sleeps forever
// (and the main thread with it, in join): a deadlock. The fix: the predicate
// form of wait(), which checks the state under the lock before sleeping (and
// also survives spurious wake-ups).

#include <mutex>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

struct StartSignal {
  weft::Mutex mutex{"start mutex"};
  weft::CondVar started_changed{"start signal"};
  bool started = false;  // Guarded by mutex.
};

void run_start(bool wait_with_predicate) {
  StartSignal signal;
  int work_done = 0;
  weft::Thread worker("worker", [&] {
    std::unique_lock lock(signal.mutex);
    if (wait_with_predicate) {
      signal.started_changed.wait(lock, [&] { return signal.started; });
    } else {
      signal.started_changed.wait(lock);
    }
    WEFT_ASSERT(signal.started, "the worker woke without the start signal");
    ++work_done;
  });
  weft::Thread starter("starter", [&] {
    {
      std::scoped_lock guard(signal.mutex);
      signal.started = true;
    }
    signal.started_changed.notify_one();
  });
  worker.join();
  starter.join();
  WEFT_ASSERT(work_done == 1, "the worker did not run");
}

}  // namespace

void lost_wakeup_buggy() { run_start(/*wait_with_predicate=*/false); }
void lost_wakeup_fixed() { run_start(/*wait_with_predicate=*/true); }

}  // namespace weft::examples
