// Copyright 2026 The weft Authors.
//
// A worker pool that leaks a child: a supervisor starts two worker
// processes, each of which computes one result and sends it back through a
// pipe. A watchdog thread kills any worker still marked busy when it looks.
// When the supervisor reads EOF instead of a result (the worker was killed
// before it wrote), it restarts the worker by assigning a fresh Process over
// the old one -- and never wait()s for the killed one, which stays an
// unreaped child (a zombie, on the real runtime). Whether the watchdog gets
// there before the worker answers is up to the interleaving. The fix: reap
// the killed worker before replacing it.

#include <string>
#include <vector>

#include "examples/workloads/catalogue.h"

namespace weft::examples {
namespace {

constexpr int kWorkers = 2;

struct Worker {
  weft::Process process;
  weft::PipeReader results;
  bool busy = true;
};

// Starts a worker that sends `answer` through a new pipe.
void start(Worker& worker, char answer) {
  weft::Pipe pipe = weft::Pipe::create();
  worker.process = weft::Process::spawn(
      [out = std::move(pipe.writer), answer]() mutable {
        return out.write({&answer, 1}).ok() ? 0 : 1;
      },
      {.name = "worker"});
  worker.results = std::move(pipe.reader);
}

void run_pool(bool reap_before_restart) {
  weft::Mutex mutex{"pool"};
  std::vector<Worker> pool(kWorkers);
  for (int i = 0; i < kWorkers; ++i) start(pool[i], static_cast<char>('0' + i));
  weft::Thread watchdog("watchdog", [&] {
    std::scoped_lock lock(mutex);
    for (Worker& worker : pool) {
      if (worker.busy) worker.process.kill();
    }
  });
  std::string results;
  for (int i = 0; i < kWorkers; ++i) {
    Worker& worker = pool[i];
    char answer;
    while (!worker.results.read_exact(std::as_writable_bytes(std::span(&answer, 1))).ok()) {
      // Killed before it answered: restart it.
      std::scoped_lock lock(mutex);
      if (reap_before_restart) worker.process.wait();
      start(worker, static_cast<char>('0' + i));
    }
    std::scoped_lock lock(mutex);
    worker.busy = false;
    results += answer;
  }
  watchdog.join();
  for (Worker& worker : pool) worker.process.wait();
  WEFT_ASSERT(results == "01", "every worker's result arrived, in order");
}

}  // namespace

void leaked_child_buggy() { run_pool(/*reap_before_restart=*/false); }
void leaked_child_fixed() { run_pool(/*reap_before_restart=*/true); }

}  // namespace weft::examples
