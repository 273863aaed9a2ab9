// Copyright 2026 The weft Authors.
//
// Coroutine tasks (weft::Task, weft::run, weft::spawn), each figure beside a
// baseline measured in the same run.
//
// Goal: what a task costs, in time and memory, on both runtimes:
//  1. a task switch (a task suspends, its loop resumes another), simulated
//     and on the real loop, against the bare C++20 coroutine mechanism;
//  2. whole simulated executions per second of a small task workload, against
//     the thread workload the issue uses as its reference;
//  3. the memory of an idle simulated task with 100,000 tasks asleep at once:
//     at most 256 bytes per task beyond its coroutine frame (the one
//     target here);
//  4. the real loop's timers and cross-thread wake-ups, against a raw epoll
//     loop making the same system calls.
//
// Method:
//  * The bare floor (BareResumes): a minimal hand-written coroutine type, no
//    weft. Two coroutines loop on `co_await std::suspend_always{}` and a
//    driver resumes them in turn; one resume() (in, run to the next
//    suspension, back out) is the least a loop does per task switch.
//    Symmetric transfer between two coroutines is shown for context.
//  * BM_SimulatedTaskSwitch: weft::run of a root task that spawns two tasks
//    each doing N `co_await weft::sleep_for(0ms)` (a due sleep re-queues the
//    task, so every suspension is one scheduling decision) and awaits both.
//    One sim::Scheduler is reused across executions, with AlternatingStrategy
//    (the next runnable id after the one picked last, as in switch_benchmark),
//    so the two sleepers alternate. Figure: the execution's time over its
//    decisions, counted in a separate CountingStrategy pass (creating the
//    loop and 3 tasks and the joins are included, ~0.5% at N=1000).
//  * BM_RealTaskSwitch: the same workload through weft::run on the calling
//    OS thread, no simulator. Figure: time over the 2N sleeps (the loop's
//    setup, epoll + eventfd + timerfd, included: ~1% at N=10000). It also
//    times weft::Clock::now(), which a zero sleep reads twice.
//    Both switch benchmarks time the bare floor themselves, half just before
//    and half just after their timed loop, and report the ratio.
//  * BM_TaskExecution/channel_{pct,random}: one execution is weft::run of a
//    2-task weft::Channel<int> ping-pong (capacity 1, 10 round trips, then
//    close), one sim::Scheduler reused, PCT (d=3) or random from
//    sim::make_strategy with explore's defaults (seed 1), as in
//    execution_benchmark. Baseline: execution_benchmark's "2x10" (2 threads x
//    10 lock/unlock), run the same way on a second scheduler in the same
//    benchmark, half before and half after the timed loop, over the same
//    execution indices. It is the reference execution (>= 1 M/s),
//    with the same shape (two actors, 10 interactions each), so the ratio
//    says what a task workload costs against a thread workload. A bare-switch
//    floor would say little here: a task has no fiber, so the fiber floor of
//    execution_benchmark does not apply, and decisions x one bare resume
//    (shown for context) is 1-3% of an execution.
//  * BM_IdleTaskMemory: this program replaces the global operator new and
//    delete with versions that prefix each block with its requested size and
//    track the live requested bytes (and, for context, the glibc chunk bytes
//    the same blocks would take). On a fresh sim::Scheduler, a root task reads
//    the live bytes, spawns K tasks that each count themselves started and
//    co_await sleep_for(10ms + i us), then co_awaits sleep_for(1ms). Virtual
//    time advances only when nothing can run, so when the root wakes every
//    sleeper has started and is suspended (checked). (live bytes then - before)
//    / K is the memory of one idle task: its frame, its SpawnedTask, its
//    scheduler record and its share of the scheduler's vectors, growth slack
//    included. The frame alone is what creating one such Task (not started)
//    allocates; the target is (per task) - (frame) <= 256 B.
//    "one_at_a_time": the root yields after each spawn and NewestFirstStrategy
//    runs the new task first, so it falls asleep before the next is spawned;
//    distinct deadlines wake the sleepers one by one. This keeps the loop's
//    ready set small, and the 100,000-task execution takes well under a
//    second; the same execution again on the same scheduler (records and
//    vectors reused) is shown for context, with the wall time.
//    "all_at_once" (asyncio.gather's pattern: spawn all, then yield) at 1,000
//    and 4,000 tasks shows how the simulation time grows with the size of the
//    ready set: every pick moves the whole ready set in and out of the
//    runnable set, so 100,000 at once is impractical to simulate (README).
//  * BM_RealTimer/T: T tasks share 1024 sequential `co_await
//    sleep_for(1us)` per weft::run; figure: time per sleep. Baseline
//    (RawTimerLoop): arm a timerfd 1 us ahead (TFD_TIMER_ABSTIME), epoll_wait,
//    read it: the system calls the real loop makes per expiration when one
//    task sleeps. Raw chunks run before and after every iteration (timing
//    paused). With T=64 timers fall due while the loop runs the others and
//    need no system call at all: that figure is the loop's timer bookkeeping,
//    far below the raw expiration, not a like-for-like ratio.
//  * BM_PostWakeup: the benchmark thread hands a loop running on another OS
//    thread a task (LoopHandle::post) and blocks reading an eventfd until that
//    task, run by the loop, writes it: one cross-thread round trip. Baseline
//    (RawEventfdRoundTrip): the same round trip with no weft, a thread blocked
//    in epoll_wait on an eventfd, woken by a write, reading it and writing the
//    same kind of acknowledgement. The way back is identical, so the
//    difference is the loop's own work (the task's allocations, the mailbox,
//    adopting, running and freeing it). Raw chunks run before and after every
//    iteration (timing paused).
//  * Run the whole program pinned (taskset -c 0): the simulator figures are
//    single-core figures, and the cross-thread round trip is then two context
//    switches on one CPU, not two hypervisor wake-ups of an idle vCPU.

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <coroutine>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "bench/bench_summary.h"
#include "bench/bench_workloads.h"
#include "bench/counting_strategy.h"
#include "benchmark/benchmark.h"
#include "sim/scheduler/records.h"
#include "sim/scheduler/scheduler.h"
#include "sim/strategy/strategy.h"
#include "weft/channel.h"
#include "weft/weft.h"

// ---- counting allocator -------------------------------------------------------
// Each block carries a 16-byte header (keeping malloc's 16-byte alignment) that
// holds the requested size, so operator delete knows what it frees whatever
// form it is called in. A relaxed load + store (not a locked increment) keeps
// the counts nearly free; they are read only by the single-threaded memory
// benchmark, as differences taken within it.

namespace {
constexpr std::size_t kHeaderBytes = 16;
std::atomic<uint64_t> allocations{0};
std::atomic<int64_t> live_bytes{0};
// What the same blocks would occupy in glibc's heap without the header: a
// chunk of max(32, requested + 8 rounded up to 16) bytes.
std::atomic<int64_t> live_chunk_bytes{0};

int64_t chunk_bytes(std::size_t requested) {
  return static_cast<int64_t>(std::max<std::size_t>(32, (requested + 8 + 15) & ~std::size_t{15}));
}

void add_live(int64_t bytes, int64_t chunk) {
  live_bytes.store(live_bytes.load(std::memory_order_relaxed) + bytes, std::memory_order_relaxed);
  live_chunk_bytes.store(live_chunk_bytes.load(std::memory_order_relaxed) + chunk,
                         std::memory_order_relaxed);
}

void* counted_allocation(std::size_t bytes) {
  void* raw = std::malloc(kHeaderBytes + bytes);
  if (raw == nullptr) throw std::bad_alloc();
  *static_cast<std::size_t*>(raw) = bytes;
  allocations.store(allocations.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  add_live(static_cast<int64_t>(bytes), chunk_bytes(bytes));
  return static_cast<char*>(raw) + kHeaderBytes;
}

void counted_free(void* memory) noexcept {
  if (memory == nullptr) return;
  void* raw = static_cast<char*>(memory) - kHeaderBytes;
  const std::size_t bytes = *static_cast<std::size_t*>(raw);
  add_live(-static_cast<int64_t>(bytes), -chunk_bytes(bytes));
  std::free(raw);
}
}  // namespace

void* operator new(std::size_t bytes) { return counted_allocation(bytes); }
void* operator new[](std::size_t bytes) { return counted_allocation(bytes); }
void operator delete(void* memory) noexcept { counted_free(memory); }
void operator delete[](void* memory) noexcept { counted_free(memory); }
void operator delete(void* memory, std::size_t) noexcept { counted_free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { counted_free(memory); }

namespace weft::bench {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr int kSimulatedSleepsPerTask = 1000;
constexpr int kRealSleepsPerTask = 10000;
constexpr int kIdleTasks = 100'000;
constexpr int kAllAtOnceTasks = 1000;
constexpr double kTargetMaxBytesBeyondFrame = 256;
constexpr int kTimerSleeps = 1024;  // Per benchmark iteration, over all tasks.
constexpr uint64_t kRawExpirationsPerIteration = 256;
constexpr microseconds kTimerDelay{1};
constexpr int kPostsPerIteration = 256;
constexpr int kChannelRoundTrips = 10;

// ---- the bare mechanism ---------------------------------------------------------

// A coroutine type with nothing in it: the language's resume/suspend and a
// frame, nothing of weft.
class BareCoroutine {
 public:
  struct promise_type {
    BareCoroutine get_return_object() noexcept {
      return BareCoroutine(std::coroutine_handle<promise_type>::from_promise(*this));
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  explicit BareCoroutine(Handle handle) noexcept : handle_(handle) {}
  BareCoroutine(BareCoroutine&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  BareCoroutine& operator=(BareCoroutine&&) = delete;
  ~BareCoroutine() {
    if (handle_) handle_.destroy();
  }
  Handle handle() const noexcept { return handle_; }

 private:
  Handle handle_;
};

// Suspends back to whoever resumed it, forever, counting its turns.
BareCoroutine bare_turns(uint64_t& turns) {
  for (;;) {
    ++turns;
    co_await std::suspend_always{};
  }
}

// Hands control straight to `partner` (symmetric transfer).
struct TransferTo {
  std::coroutine_handle<>& partner;
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<>) const noexcept { return partner; }
  void await_resume() const noexcept {}
};

// Transfers to `partner` until `remaining` runs out, then returns to the
// driver (final suspend).
BareCoroutine bare_transfers(std::coroutine_handle<>& partner, uint64_t& remaining) {
  while (remaining > 0) {
    --remaining;
    co_await TransferTo{partner};
  }
}

// The floor: ns per resume() of a task by a loop that alternates between two.
class BareResumes {
 public:
  BareResumes() : first_(bare_turns(turns_)), second_(bare_turns(turns_)) { resumes(64); }

  void resumes(uint64_t count) {
    for (uint64_t round = 0; round < (count + 1) / 2; ++round) {
      first_.handle().resume();
      second_.handle().resume();
    }
    benchmark::DoNotOptimize(turns_);
  }
  double ns_per_resume(uint64_t count) {
    count = std::max<uint64_t>(count, 2);
    const double started = now_ns();
    resumes(count);
    return (now_ns() - started) / static_cast<double>((count + 1) / 2 * 2);
  }

 private:
  uint64_t turns_ = 0;
  BareCoroutine first_;
  BareCoroutine second_;
};

// ns per symmetric transfer between two coroutines, over `count` transfers
// (creating the two frames included).
double ns_per_transfer(uint64_t count) {
  uint64_t remaining = count;
  std::coroutine_handle<> to_first;
  std::coroutine_handle<> to_second;
  const double started = now_ns();
  BareCoroutine first = bare_transfers(to_second, remaining);
  BareCoroutine second = bare_transfers(to_first, remaining);
  to_first = first.handle();
  to_second = second.handle();
  first.handle().resume();
  const double elapsed = now_ns() - started;
  return elapsed / static_cast<double>(count);
}

void BM_BareResume(benchmark::State& state) {
  BareResumes bare;
  const double started = now_ns();
  for (auto _ : state) bare.resumes(2);
  const double elapsed = now_ns() - started;
  state.counters["ns_per_resume"] = elapsed / (2.0 * static_cast<double>(state.iterations()));
}
BENCHMARK(BM_BareResume)->UseRealTime();

void BM_BareSymmetricTransfer(benchmark::State& state) {
  constexpr uint64_t kTransfers = 10'000;
  double sum = 0;
  for (auto _ : state) sum += ns_per_transfer(kTransfers);
  state.counters["ns_per_transfer"] = sum / static_cast<double>(state.iterations());
}
BENCHMARK(BM_BareSymmetricTransfer)->UseRealTime();

// ---- 1. task switches -------------------------------------------------------------

weft::Task<void> sleep_zero_turns(int turns) {
  for (int turn = 0; turn < turns; ++turn) co_await weft::sleep_for(milliseconds(0));
}

weft::Task<void> ping_pong_root(int turns) {
  weft::JoinHandle<void> ping = weft::spawn(sleep_zero_turns(turns), "ping");
  weft::JoinHandle<void> pong = weft::spawn(sleep_zero_turns(turns), "pong");
  co_await ping;
  co_await pong;
}

void BM_SimulatedTaskSwitch(benchmark::State& state) {
  const int turns = static_cast<int>(state.range(0));
  auto workload = [turns] { weft::run(ping_pong_root(turns)); };
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  AlternatingStrategy strategy;

  // Every execution is the same; count one (it also warms the scheduler).
  CountingStrategy counting(strategy);
  counting.begin_execution(0);
  const sim::ExecutionResult counted = scheduler.run(counting, workload);
  counting.end_execution(counted.steps);
  if (counted.failure) {
    state.SkipWithError(("workload failed: " + counted.failure->message).c_str());
    return;
  }
  const auto decisions = static_cast<double>(counting.counts().decisions);

  BareResumes bare;
  const auto bare_count =
      static_cast<uint64_t>(static_cast<double>(state.max_iterations) * decisions / 2);
  const double bare_before = bare.ns_per_resume(bare_count);
  uint64_t index = 1;
  const double started = now_ns();
  for (auto _ : state) {
    strategy.begin_execution(index++);
    const sim::ExecutionResult result = scheduler.run(strategy, workload);
    benchmark::DoNotOptimize(result.steps);
  }
  const double elapsed = now_ns() - started;
  const double bare_after = bare.ns_per_resume(bare_count);

  const double switch_ns = elapsed / (static_cast<double>(state.iterations()) * decisions);
  const double bare_ns = (bare_before + bare_after) / 2;
  state.counters["decisions"] = decisions;
  state.counters["switch_ns"] = switch_ns;
  state.counters["bare_ns"] = bare_ns;
  state.counters["ratio"] = switch_ns / bare_ns;
}
BENCHMARK(BM_SimulatedTaskSwitch)->Arg(kSimulatedSleepsPerTask)->UseRealTime();

// ns per weft::Clock::now() outside a simulation (a zero sleep reads it twice:
// sleep_for's deadline, then the loop's "is it due").
double ns_per_clock_read(int count) {
  const double started = now_ns();
  for (int index = 0; index < count; ++index) benchmark::DoNotOptimize(weft::Clock::now());
  return (now_ns() - started) / count;
}

void BM_RealTaskSwitch(benchmark::State& state) {
  const int turns = static_cast<int>(state.range(0));
  weft::run(ping_pong_root(turns));  // Warm up.
  const double switches = 2.0 * turns;

  BareResumes bare;
  const auto bare_count =
      static_cast<uint64_t>(static_cast<double>(state.max_iterations) * switches / 2);
  const double bare_before = bare.ns_per_resume(bare_count);
  const double started = now_ns();
  for (auto _ : state) weft::run(ping_pong_root(turns));
  const double elapsed = now_ns() - started;
  const double bare_after = bare.ns_per_resume(bare_count);

  const double switch_ns = elapsed / (static_cast<double>(state.iterations()) * switches);
  const double bare_ns = (bare_before + bare_after) / 2;
  state.counters["switch_ns"] = switch_ns;
  state.counters["bare_ns"] = bare_ns;
  state.counters["ratio"] = switch_ns / bare_ns;
  state.counters["clock_ns"] = ns_per_clock_read(10'000);
}
BENCHMARK(BM_RealTaskSwitch)->Arg(kRealSleepsPerTask)->UseRealTime();

// ---- 2. whole executions ----------------------------------------------------------

ExploreOptions options_for(weft::Strategy strategy) {
  ExploreOptions options;
  options.strategy = strategy;
  options.seed = 1;
  options.pct_depth = 3;
  return options;
}

// Sends 0..rounds-1 and waits for each to come back, then closes.
weft::Task<void> pinger(weft::Channel<int>& requests, weft::Channel<int>& replies, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    co_await requests.send(round);
    const std::optional<int> reply = co_await replies.recv();
    WEFT_ASSERT(reply == round);
  }
  requests.close();
}

// Echoes every request until the channel is closed.
weft::Task<void> ponger(weft::Channel<int>& requests, weft::Channel<int>& replies) {
  while (const std::optional<int> request = co_await requests.recv()) {
    co_await replies.send(*request);
  }
}

weft::Task<void> channel_root(int rounds) {
  weft::Channel<int> requests(1, "requests");
  weft::Channel<int> replies(1, "replies");
  weft::JoinHandle<void> ping = weft::spawn(pinger(requests, replies, rounds), "ping");
  weft::JoinHandle<void> pong = weft::spawn(ponger(requests, replies), "pong");
  co_await ping;
  co_await pong;
}

void channel_ping_pong() { weft::run(channel_root(kChannelRoundTrips)); }

// Executions first..first+count-1 of `workload`, timed; ns per execution.
class Executions {
 public:
  Executions(const ExploreOptions& options, void (*workload)())
      : scheduler_(sim::SchedulerConfig{.max_steps = options.max_steps}),
        strategy_(sim::make_strategy(options)),
        workload_(workload) {}

  // Counts executions 0..count-1 (decisions, failures) in a separate pass.
  ExecutionCounts count(uint64_t count) {
    CountingStrategy counting(*strategy_);
    for (uint64_t index = 0; index < count; ++index) {
      counting.begin_execution(index);
      const sim::ExecutionResult result = scheduler_.run(counting, workload_);
      if (result.failure) ++counting.counts().failures;
      counting.end_execution(result.steps);
    }
    return counting.counts();
  }
  double ns_per_execution(uint64_t first, uint64_t count) {
    count = std::max<uint64_t>(count, 1);
    const double started = now_ns();
    for (uint64_t index = first; index < first + count; ++index) run(index);
    return (now_ns() - started) / static_cast<double>(count);
  }
  void run(uint64_t index) {
    strategy_->begin_execution(index);
    const sim::ExecutionResult result = scheduler_.run(*strategy_, workload_);
    strategy_->end_execution(result.steps);
    benchmark::DoNotOptimize(result.schedule_hash);
  }

 private:
  sim::Scheduler scheduler_;
  std::unique_ptr<sim::Strategy> strategy_;
  void (*workload_)();
};

void BM_TaskExecution(benchmark::State& state, weft::Strategy kind) {
  const ExploreOptions options = options_for(kind);
  const auto executions = static_cast<uint64_t>(state.max_iterations);
  Executions tasks(options, &channel_ping_pong);
  Executions threads(options, &two_by_ten);
  const ExecutionCounts task_counts = tasks.count(executions);
  const ExecutionCounts thread_counts = threads.count(executions);
  if (task_counts.failures > 0 || thread_counts.failures > 0) {
    state.SkipWithError("a workload failed under simulation");
    return;
  }
  const double decisions = task_counts.per_execution(task_counts.decisions);
  BareResumes bare;
  const auto bare_count = static_cast<uint64_t>(static_cast<double>(executions) * decisions / 2);

  // The baseline and the floor, half before and half after the timed loop,
  // over the same execution indices.
  const double thread_before = threads.ns_per_execution(0, executions / 2);
  const double bare_before = bare.ns_per_resume(bare_count);
  uint64_t index = 0;
  const uint64_t allocations_before = allocations.load(std::memory_order_relaxed);
  const double started = now_ns();
  for (auto _ : state) tasks.run(index++);
  const double elapsed = now_ns() - started;
  const auto allocations_counted =
      static_cast<double>(allocations.load(std::memory_order_relaxed) - allocations_before);
  const double bare_after = bare.ns_per_resume(bare_count);
  const double thread_after = threads.ns_per_execution(executions / 2, executions - executions / 2);

  const double task_ns = elapsed / static_cast<double>(state.iterations());
  const double thread_ns = (thread_before + thread_after) / 2;
  const double floor_ns = decisions * (bare_before + bare_after) / 2;
  state.counters["exec_per_s"] = 1e9 / task_ns;
  state.counters["ns_per_exec"] = task_ns;
  state.counters["decisions"] = decisions;
  state.counters["ns_per_decision"] = task_ns / decisions;
  state.counters["thread_exec_per_s"] = 1e9 / thread_ns;
  state.counters["thread_decisions"] = thread_counts.per_execution(thread_counts.decisions);
  state.counters["ratio"] = task_ns / thread_ns;
  state.counters["floor_ns"] = floor_ns;
  state.counters["floor_ratio"] = task_ns / floor_ns;
  state.counters["allocs"] = allocations_counted / static_cast<double>(state.iterations());
}
BENCHMARK_CAPTURE(BM_TaskExecution, channel_pct, weft::Strategy::kPct)->UseRealTime();
BENCHMARK_CAPTURE(BM_TaskExecution, channel_random, weft::Strategy::kRandom)->UseRealTime();

// ---- 3. memory of idle simulated tasks ----------------------------------------------

// Picks the runnable entity with the highest id: the task spawned last.
class NewestFirstStrategy final : public sim::Strategy {
 public:
  bool begin_execution(uint64_t index) override {
    index_ = index;
    return true;
  }
  sim::ThreadId pick(std::span<const sim::ThreadId> runnable, sim::ThreadId current,
                     bool yielding) override {
    (void)current;
    (void)yielding;
    return runnable.back();
  }
  uint64_t next_u64() override { return ++draws_; }
  ExecutionSpec spec() const override {
    ExecutionSpec spec;
    spec.execution = index_;
    return spec;
  }
  std::string describe() const override { return "newest first (benchmark)"; }

 private:
  uint64_t index_ = 0;
  uint64_t draws_ = 0;
};

enum class Spawning { kOneAtATime, kAllAtOnce };

struct IdleProbe {
  int tasks = 0;
  Spawning spawning = Spawning::kOneAtATime;
  int started = 0;
  int started_at_probe = -1;
  int64_t bytes_before = 0;
  int64_t bytes_during = 0;
  int64_t chunks_before = 0;
  int64_t chunks_during = 0;
  uint64_t allocations_before = 0;
  uint64_t allocations_during = 0;
};

// Sleeper i sleeps 10 ms + i us: distinct deadlines, so they wake one by one.
weft::Task<void> idle_sleeper(int& started, microseconds sleep) {
  ++started;
  co_await weft::sleep_for(sleep);
}

weft::Task<void> idle_root(IdleProbe& probe) {
  probe.bytes_before = live_bytes.load(std::memory_order_relaxed);
  probe.chunks_before = live_chunk_bytes.load(std::memory_order_relaxed);
  probe.allocations_before = allocations.load(std::memory_order_relaxed);
  for (int index = 0; index < probe.tasks; ++index) {
    weft::spawn(idle_sleeper(probe.started, milliseconds(10) + microseconds(index))).detach();
    // One at a time: the new task (the newest) runs and falls asleep before
    // the root spawns the next one.
    if (probe.spawning == Spawning::kOneAtATime) co_await weft::sleep_for(milliseconds(0));
  }
  // Virtual time reaches 1 ms only once nothing can run: every sleeper has
  // started and sleeps until 10 ms or later.
  co_await weft::sleep_for(milliseconds(1));
  probe.bytes_during = live_bytes.load(std::memory_order_relaxed);
  probe.chunks_during = live_chunk_bytes.load(std::memory_order_relaxed);
  probe.allocations_during = allocations.load(std::memory_order_relaxed);
  probe.started_at_probe = probe.started;
  co_await weft::sleep_for(milliseconds(10) + microseconds(probe.tasks));  // All finish.
}

// Bytes allocated by creating one idle_sleeper Task (its coroutine frame).
int64_t idle_frame_bytes() {
  int started = 0;
  const int64_t before = live_bytes.load(std::memory_order_relaxed);
  weft::Task<void> task = idle_sleeper(started, milliseconds(10));
  const int64_t frame = live_bytes.load(std::memory_order_relaxed) - before;
  benchmark::DoNotOptimize(task);
  return frame;
}

struct IdleRun {
  double bytes_per_task = 0;
  double chunk_bytes_per_task = 0;
  double allocations_per_task = 0;
  double wall_ms = 0;
  bool ok = false;
  std::string error;
};

IdleRun run_idle_execution(sim::Scheduler& scheduler, int tasks, Spawning spawning) {
  NewestFirstStrategy strategy;
  IdleProbe probe;
  probe.tasks = tasks;
  probe.spawning = spawning;
  strategy.begin_execution(0);
  const double started = now_ns();
  const sim::ExecutionResult result =
      scheduler.run(strategy, [&probe] { weft::run(idle_root(probe)); });
  IdleRun run;
  run.wall_ms = (now_ns() - started) / 1e6;
  if (result.failure) {
    run.error = "workload failed: " + result.failure->message;
    return run;
  }
  if (probe.started_at_probe != tasks) {
    run.error =
        format("only %d of %d tasks had started at the probe", probe.started_at_probe, tasks);
    return run;
  }
  const auto count = static_cast<double>(tasks);
  run.bytes_per_task = static_cast<double>(probe.bytes_during - probe.bytes_before) / count;
  run.chunk_bytes_per_task = static_cast<double>(probe.chunks_during - probe.chunks_before) / count;
  // Allocations made by the tasks' start, whether still live or not.
  run.allocations_per_task =
      static_cast<double>(probe.allocations_during - probe.allocations_before) / count;
  run.ok = true;
  return run;
}

// One iteration: a fresh scheduler, one execution (and, spawning one at a
// time, the same execution again on the same scheduler).
void BM_IdleTaskMemory(benchmark::State& state, Spawning spawning) {
  const int tasks = static_cast<int>(state.range(0));
  IdleRun fresh;
  IdleRun reused;
  for (auto _ : state) {
    sim::Scheduler scheduler(sim::SchedulerConfig{});
    fresh = run_idle_execution(scheduler, tasks, spawning);
    if (fresh.ok && spawning == Spawning::kOneAtATime) {
      reused = run_idle_execution(scheduler, tasks, spawning);
    }
  }
  if (!fresh.ok || (spawning == Spawning::kOneAtATime && !reused.ok)) {
    state.SkipWithError((fresh.error + reused.error).c_str());
    return;
  }
  const auto frame = static_cast<double>(idle_frame_bytes());
  state.counters["bytes_per_task"] = fresh.bytes_per_task;
  state.counters["frame_bytes"] = frame;
  state.counters["beyond_frame"] = fresh.bytes_per_task - frame;
  state.counters["heap_per_task"] = fresh.chunk_bytes_per_task;
  state.counters["allocs_per_task"] = fresh.allocations_per_task;
  state.counters["wall_ms"] = fresh.wall_ms;
  if (spawning == Spawning::kOneAtATime) state.counters["reused_per_task"] = reused.bytes_per_task;
}
BENCHMARK_CAPTURE(BM_IdleTaskMemory, one_at_a_time, Spawning::kOneAtATime)
    ->Arg(kIdleTasks)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
// Spawning all before any runs (asyncio.gather's pattern) is far slower to
// simulate (see the README); two small sizes show how it grows.
BENCHMARK_CAPTURE(BM_IdleTaskMemory, all_at_once, Spawning::kAllAtOnce)
    ->Arg(kAllAtOnceTasks)
    ->Arg(4 * kAllAtOnceTasks)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// ---- 4. the real loop's timers and wake-ups -----------------------------------------

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// The system calls of one timer expiration, with no loop around them.
class RawTimerLoop {
 public:
  RawTimerLoop() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (epoll_fd_ < 0 || timer_fd_ < 0) throw_errno("RawTimerLoop");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = timer_fd_;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, timer_fd_, &event) != 0) throw_errno("epoll_ctl");
  }
  ~RawTimerLoop() {
    ::close(timer_fd_);
    ::close(epoll_fd_);
  }
  RawTimerLoop(const RawTimerLoop&) = delete;
  RawTimerLoop& operator=(const RawTimerLoop&) = delete;

  // ns per expiration, each armed `delay` after the previous one was read.
  double ns_per_expiration(uint64_t count, std::chrono::nanoseconds delay) {
    count = std::max<uint64_t>(count, 1);
    const double started = now_ns();
    for (uint64_t index = 0; index < count; ++index) {
      timespec now{};
      clock_gettime(CLOCK_MONOTONIC, &now);
      const int64_t deadline = int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec + delay.count();
      itimerspec spec{};
      spec.it_value.tv_sec = deadline / 1'000'000'000;
      spec.it_value.tv_nsec = deadline % 1'000'000'000;
      if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME, &spec, nullptr) != 0) {
        throw_errno("timerfd_settime");
      }
      epoll_event event{};
      int count_ready;
      do {
        count_ready = epoll_wait(epoll_fd_, &event, 1, -1);
      } while (count_ready < 0 && errno == EINTR);
      uint64_t expirations = 0;
      if (::read(timer_fd_, &expirations, sizeof expirations) < 0 && errno != EAGAIN) {
        throw_errno("read timerfd");
      }
    }
    return (now_ns() - started) / static_cast<double>(count);
  }

 private:
  int epoll_fd_ = -1;
  int timer_fd_ = -1;
};

weft::Task<void> timer_sleeper(int sleeps) {
  for (int index = 0; index < sleeps; ++index) co_await weft::sleep_for(kTimerDelay);
}

weft::Task<void> timers_root(int tasks, int sleeps_each) {
  std::vector<weft::JoinHandle<void>> handles;
  handles.reserve(static_cast<size_t>(tasks));
  for (int index = 0; index < tasks; ++index) {
    handles.push_back(weft::spawn(timer_sleeper(sleeps_each), "sleeper"));
  }
  for (weft::JoinHandle<void>& handle : handles) co_await handle;
}

void BM_RealTimer(benchmark::State& state) {
  const int tasks = static_cast<int>(state.range(0));
  const int sleeps_each = kTimerSleeps / tasks;
  const double sleeps = static_cast<double>(tasks) * sleeps_each;
  // The raw loop costs the same per expiration whatever T is; T tasks'
  // expirations are far cheaper when T > 1, so time fewer raw ones then.
  const uint64_t raw_half = std::max<uint64_t>(2, kRawExpirationsPerIteration / tasks / 2);
  RawTimerLoop raw;
  weft::run(timers_root(tasks, sleeps_each));  // Warm up.
  raw.ns_per_expiration(raw_half, kTimerDelay);

  double weft_ns = 0;
  double raw_ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    raw_ns += raw.ns_per_expiration(raw_half, kTimerDelay);
    state.ResumeTiming();
    const double started = now_ns();
    weft::run(timers_root(tasks, sleeps_each));
    weft_ns += (now_ns() - started) / sleeps;
    state.PauseTiming();
    raw_ns += raw.ns_per_expiration(raw_half, kTimerDelay);
    state.ResumeTiming();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["sleep_ns"] = weft_ns / iterations;
  state.counters["raw_ns"] = raw_ns / (2 * iterations);
  state.counters["ratio"] = (weft_ns / iterations) / (raw_ns / (2 * iterations));
}
BENCHMARK(BM_RealTimer)->Arg(1)->Arg(64)->UseRealTime();

// An eventfd the poster blocks on (read) until the loop side signals (write):
// the way back of a round trip, the same for weft and the raw baseline.
class Acknowledgement {
 public:
  Acknowledgement() : fd_(eventfd(0, EFD_CLOEXEC)) {
    if (fd_ < 0) throw_errno("eventfd");
  }
  ~Acknowledgement() { ::close(fd_); }
  Acknowledgement(const Acknowledgement&) = delete;
  Acknowledgement& operator=(const Acknowledgement&) = delete;

  void signal() const {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(fd_, &one, sizeof one);
  }
  void wait() const {
    uint64_t value = 0;
    while (::read(fd_, &value, sizeof value) < 0 && errno == EINTR) {
    }
  }

 private:
  int fd_;
};

// A thread blocked in epoll_wait on an eventfd: each write wakes it, it reads
// the eventfd and signals the acknowledgement.
class RawEventfdRoundTrip {
 public:
  RawEventfdRoundTrip() {
    epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
    event_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (epoll_fd_ < 0 || event_fd_ < 0) throw_errno("RawEventfdRoundTrip");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = event_fd_;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, event_fd_, &event) != 0) throw_errno("epoll_ctl");
    thread_ = std::thread([this] { serve(); });
  }
  ~RawEventfdRoundTrip() {
    stop_.store(true, std::memory_order_release);
    wake();
    thread_.join();
    ::close(event_fd_);
    ::close(epoll_fd_);
  }
  RawEventfdRoundTrip(const RawEventfdRoundTrip&) = delete;
  RawEventfdRoundTrip& operator=(const RawEventfdRoundTrip&) = delete;

  double ns_per_round_trip(uint64_t count) {
    count = std::max<uint64_t>(count, 1);
    const double started = now_ns();
    for (uint64_t index = 0; index < count; ++index) {
      wake();
      acknowledgement_.wait();
    }
    return (now_ns() - started) / static_cast<double>(count);
  }

 private:
  void wake() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = ::write(event_fd_, &one, sizeof one);
  }
  void serve() {
    for (;;) {
      epoll_event event{};
      if (epoll_wait(epoll_fd_, &event, 1, -1) <= 0) continue;
      uint64_t wakes = 0;
      if (::read(event_fd_, &wakes, sizeof wakes) != sizeof wakes) continue;
      if (stop_.load(std::memory_order_acquire)) return;
      acknowledgement_.signal();
    }
  }

  int epoll_fd_ = -1;
  int event_fd_ = -1;
  Acknowledgement acknowledgement_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// A weft loop on its own OS thread, kept alive by a task asleep for an hour
// until the destructor's stop task cancels it; each round trip posts a task
// (LoopHandle::post) that signals the acknowledgement.
class PostedLoop {
 public:
  PostedLoop() {
    thread_ = std::thread([this] { weft::run(root()); });
    acknowledgement_.wait();  // The root has published the handle.
  }
  ~PostedLoop() {
    handle_->post(stop_task(), "stop");
    thread_.join();
  }
  PostedLoop(const PostedLoop&) = delete;
  PostedLoop& operator=(const PostedLoop&) = delete;

  double ns_per_round_trip(uint64_t count) {
    count = std::max<uint64_t>(count, 1);
    const double started = now_ns();
    for (uint64_t index = 0; index < count; ++index) {
      if (!handle_->post(acknowledge(acknowledgement_), "ack")) {
        throw std::runtime_error("the loop has finished");
      }
      acknowledgement_.wait();
    }
    return (now_ns() - started) / static_cast<double>(count);
  }

 private:
  static weft::Task<void> sleep_an_hour() { co_await weft::sleep_for(std::chrono::hours(1)); }
  static weft::Task<void> acknowledge(const Acknowledgement& acknowledgement) {
    acknowledgement.signal();
    co_return;
  }
  weft::Task<void> root() {
    weft::JoinHandle<void> keeper = weft::spawn(sleep_an_hour(), "keeper");
    keeper_ = &keeper;
    handle_.emplace(weft::this_loop());
    acknowledgement_.signal();
    try {
      co_await keeper;
    } catch (const weft::Cancelled&) {
    }
  }
  weft::Task<void> stop_task() {
    keeper_->cancel();
    co_return;
  }

  Acknowledgement acknowledgement_;
  std::optional<weft::LoopHandle> handle_;
  weft::JoinHandle<void>* keeper_ = nullptr;  // In root's frame; used on the loop only.
  std::thread thread_;
};

void BM_PostWakeup(benchmark::State& state) {
  PostedLoop loop;
  RawEventfdRoundTrip raw;
  loop.ns_per_round_trip(100);  // Warm up.
  raw.ns_per_round_trip(100);
  double post_ns = 0;
  double raw_ns = 0;
  for (auto _ : state) {
    state.PauseTiming();
    raw_ns += raw.ns_per_round_trip(kPostsPerIteration / 2);
    state.ResumeTiming();
    post_ns += loop.ns_per_round_trip(kPostsPerIteration);
    state.PauseTiming();
    raw_ns += raw.ns_per_round_trip(kPostsPerIteration / 2);
    state.ResumeTiming();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["post_ns"] = post_ns / iterations;
  state.counters["raw_ns"] = raw_ns / (2 * iterations);
  state.counters["ratio"] = (post_ns / iterations) / (raw_ns / (2 * iterations));
}
BENCHMARK(BM_PostWakeup)->UseRealTime();

// ---- the table ----------------------------------------------------------------

constexpr const char* kNoTarget = "(no target)";

void summarize_switches(const Results& results, Summary& summary) {
  const auto resume = results.counter("BM_BareResume/real_time", "ns_per_resume");
  const auto transfer = results.counter("BM_BareSymmetricTransfer/real_time", "ns_per_transfer");
  if (resume) {
    summary.info("bare coroutine resume() by a loop (own benchmark)", Summary::ns_text(*resume), "",
                 "", "(the baseline)");
  } else {
    summary.missing("bare coroutine resume() by a loop");
  }
  if (transfer) {
    summary.info("bare symmetric transfer (own benchmark)", Summary::ns_text(*transfer), "", "",
                 "(context)");
  } else {
    summary.missing("bare symmetric transfer");
  }
  struct Case {
    std::string name;
    std::string figure;
  };
  const Case cases[] = {
      {format("BM_SimulatedTaskSwitch/%d/real_time", kSimulatedSleepsPerTask),
       format("simulated task switch, 2 tasks x %d sleep_for(0)", kSimulatedSleepsPerTask)},
      {format("BM_RealTaskSwitch/%d/real_time", kRealSleepsPerTask),
       format("real-loop task switch, 2 tasks x %d sleep_for(0)", kRealSleepsPerTask)},
  };
  for (const Case& c : cases) {
    const auto measured = results.counter(c.name, "switch_ns");
    const auto bare = results.counter(c.name, "bare_ns");
    const auto ratio = results.counter(c.name, "ratio");
    if (!measured || !bare || !ratio) {
      summary.missing(c.figure);
      continue;
    }
    std::string note = kNoTarget;
    if (const auto clock = results.counter(c.name, "clock_ns")) {
      note = format("(no target; 2 clock reads: %.0f ns)", 2 * *clock);
    }
    summary.info(c.figure, Summary::ns_text(*measured), Summary::ns_text(*bare) + " bare resume",
                 format("%.2fx", *ratio), note);
  }
}

void summarize_executions(const Results& results, Summary& summary) {
  for (const char* kind : {"pct", "random"}) {
    const std::string name = format("BM_TaskExecution/channel_%s/real_time", kind);
    const std::string figure =
        format("channel ping-pong, 2 tasks x %d, %s: exec/s", kChannelRoundTrips, kind);
    const auto rate = results.counter(name, "exec_per_s");
    const auto thread_rate = results.counter(name, "thread_exec_per_s");
    const auto ratio = results.counter(name, "ratio");
    const auto decisions = results.counter(name, "decisions");
    const auto thread_decisions = results.counter(name, "thread_decisions");
    const auto floor = results.counter(name, "floor_ns");
    const auto floor_ratio = results.counter(name, "floor_ratio");
    if (!rate || !thread_rate || !ratio || !decisions || !thread_decisions || !floor ||
        !floor_ratio) {
      summary.missing(figure);
      continue;
    }
    summary.info(figure, Summary::rate_text(*rate) + format(" (%.1f decisions)", *decisions),
                 format("2x10 threads %s (%.1f decisions)",
                        Summary::rate_text(*thread_rate).c_str(), *thread_decisions),
                 format("%.2fx time", *ratio), kNoTarget);
    summary.info(figure + " vs floor", Summary::rate_text(*rate),
                 format("floor %.0f ns (decisions x bare resume)", *floor),
                 format("%.2fx", *floor_ratio), kNoTarget);
  }
}

void summarize_memory(const Results& results, Summary& summary) {
  const std::string name = format("BM_IdleTaskMemory/one_at_a_time/%d/iterations:1", kIdleTasks);
  const std::string figure = format("idle simulated task, %dk asleep", kIdleTasks / 1000);
  const auto per_task = results.counter(name, "bytes_per_task");
  const auto frame = results.counter(name, "frame_bytes");
  const auto beyond = results.counter(name, "beyond_frame");
  const auto heap = results.counter(name, "heap_per_task");
  const auto reused = results.counter(name, "reused_per_task");
  const auto wall = results.counter(name, "wall_ms");
  if (!per_task || !frame || !beyond || !heap || !reused || !wall) {
    summary.missing(figure);
  } else {
    summary.ratio_at_most(
        figure + ": bytes beyond the frame", format("%.0f B", *beyond),
        format("budget %.0f B (frame %.0f B)", kTargetMaxBytesBeyondFrame, *frame),
        *beyond / kTargetMaxBytesBeyondFrame, 1.0, " of 256 B");
    summary.info(figure + ": bytes per task",
                 format("%.0f B (heap chunks %.0f B)", *per_task, *heap),
                 format("scheduler reused: %.0f B", *reused), format("%.2fx", *per_task / *reused),
                 "(context)");
    // What a sleeping task holds beyond its frame, by type: its two records
    // and its entries in the scheduler's timer heap, record pool (a
    // unique_ptr per record), fibers_ (a Fiber* per entity) and schedule (4 B
    // per decision, ~2 decisions per task here); vectors also hold growth
    // slack, up to 2x.
    summary.info(figure + ": records (sizeof)",
                 format("SpawnedTask %zu + SimThread %zu + TimerEntry %zu B",
                        sizeof(internal::SpawnedTask<void>), sizeof(sim::SimThread),
                        sizeof(sim::TimerEntry)),
                 format("+ %zu + %zu + 2x%zu B in vectors", sizeof(std::unique_ptr<sim::SimThread>),
                        sizeof(sim::Fiber*), sizeof(sim::ThreadId)),
                 "", "(context)");
    summary.info(figure + ": execution wall time", format("%.0f ms", *wall),
                 format("%.2f us per task", *wall * 1e3 / kIdleTasks), "", "(context)");
  }
  const std::string small =
      format("BM_IdleTaskMemory/all_at_once/%d/iterations:1", kAllAtOnceTasks);
  const std::string large =
      format("BM_IdleTaskMemory/all_at_once/%d/iterations:1", 4 * kAllAtOnceTasks);
  const auto small_wall = results.counter(small, "wall_ms");
  const auto large_wall = results.counter(large, "wall_ms");
  const auto large_beyond = results.counter(large, "beyond_frame");
  const std::string growth =
      format("%d tasks spawned at once: execution wall time", 4 * kAllAtOnceTasks);
  if (small_wall && large_wall && large_beyond) {
    // Time ~ tasks^exponent between the two sizes.
    const double exponent = std::log(*large_wall / *small_wall) / std::log(4.0);
    summary.info(growth, format("%.1f ms (%.0f B beyond frame)", *large_wall, *large_beyond),
                 format("%.1f ms for %d tasks", *small_wall, kAllAtOnceTasks),
                 format("%.1fx", *large_wall / *small_wall),
                 format("(4x tasks: time ~ tasks^%.1f)", exponent));
  } else {
    summary.missing(growth);
  }
}

void summarize_real_loop(const Results& results, Summary& summary) {
  for (const int tasks : {1, 64}) {
    const std::string name = format("BM_RealTimer/%d/real_time", tasks);
    const std::string figure =
        format("real loop, %d task%s sleep_for(1us), per sleep", tasks, tasks == 1 ? "" : "s");
    const auto measured = results.counter(name, "sleep_ns");
    const auto raw = results.counter(name, "raw_ns");
    const auto ratio = results.counter(name, "ratio");
    if (!measured || !raw || !ratio) {
      summary.missing(figure);
      continue;
    }
    summary.info(figure, Summary::ns_text(*measured),
                 Summary::ns_text(*raw) + " raw timerfd+epoll expiration", format("%.2fx", *ratio),
                 tasks == 1 ? kNoTarget : "(no target; due timers share epoll_waits)");
  }
  const std::string name = "BM_PostWakeup/real_time";
  const std::string figure = "cross-thread LoopHandle::post round trip";
  const auto measured = results.counter(name, "post_ns");
  const auto raw = results.counter(name, "raw_ns");
  const auto ratio = results.counter(name, "ratio");
  if (!measured || !raw || !ratio) {
    summary.missing(figure);
    return;
  }
  summary.info(figure, Summary::ns_text(*measured),
               Summary::ns_text(*raw) + " raw eventfd+epoll_wait round trip",
               format("%.2fx", *ratio), kNoTarget);
}

// ---- an hour of virtual time ---------------------------------------------------
// The workload of tests/tasks/virtual_time_test.cc: 1,000 tasks, task i
// waking every (i % 97 + 1) virtual seconds for one virtual hour (~190,000
// timer expirations), one simulated execution per iteration. The issue asks
// that it finish "in well under a second of wall time"; the same-run figure
// beside it is the virtual hour itself.

weft::Task<void> periodic_waker(weft::Clock::duration period, weft::Clock::time_point end,
                                int64_t& wakeups) {
  for (weft::Clock::time_point next = weft::now() + period; next <= end; next += period) {
    co_await weft::sleep_until(next);
    ++wakeups;
  }
}

weft::Task<void> staggered_hour(int64_t& wakeups) {
  const weft::Clock::time_point end = weft::now() + std::chrono::hours(1);
  std::vector<weft::Task<void>> tasks;
  for (int i = 0; i < 1000; ++i) {
    tasks.push_back(periodic_waker(std::chrono::seconds(i % 97 + 1), end, wakeups));
  }
  co_await weft::when_all(std::move(tasks));
}

void BM_VirtualHour(benchmark::State& state) {
  int64_t wakeups = 0;
  weft::Clock::duration virtual_time{};
  weft::ExploreOptions options;
  options.iterations = 1;
  options.max_steps = 10'000'000;
  for (auto _ : state) {
    wakeups = 0;
    const weft::Report report = weft::explore(options, [&] {
      const weft::Clock::time_point start = weft::now();
      weft::run(staggered_hour(wakeups));
      virtual_time = weft::now() - start;
    });
    if (!report.ok()) state.SkipWithError(report.to_string().c_str());
  }
  state.counters["wakeups"] = static_cast<double>(wakeups);
  state.counters["virtual_s"] = std::chrono::duration<double>(virtual_time).count();
}
BENCHMARK(BM_VirtualHour)->Unit(benchmark::kMillisecond)->UseRealTime();

void summarize_virtual_hour(const Results& results, Summary& summary) {
  const std::string figure = "one virtual hour, 1000 tasks, staggered timers: wall";
  const auto wall_ns = results.time_ns("BM_VirtualHour/real_time");
  const auto wakeups = results.counter("BM_VirtualHour/real_time", "wakeups");
  const auto virtual_s = results.counter("BM_VirtualHour/real_time", "virtual_s");
  if (!wall_ns || !wakeups || !virtual_s) {
    summary.missing(figure);
    return;
  }
  summary.info(figure, format("%.0f ms (%.0f wake-ups)", *wall_ns / 1e6, *wakeups),
               format("%.0f s of virtual time", *virtual_s),
               format("%.0fx faster", *virtual_s * 1e9 / *wall_ns), "(issue: well under 1 s)");
}

void summarize(const Results& results, Summary& summary) {
  summarize_switches(results, summary);
  summarize_executions(results, summary);
  summarize_memory(results, summary);
  summarize_real_loop(results, summary);
  summarize_virtual_hour(results, summary);
}

}  // namespace
}  // namespace weft::bench

WEFT_BENCH_MAIN(weft::bench::summarize, "task_benchmark");
