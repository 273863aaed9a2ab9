// Copyright 2026 The weft Authors.
//
// Real-mode weft::Mutex and weft::Atomic<int> against std::mutex and
// std::atomic<int>.
//
// Goal: DESIGN.md promises that in real mode a primitive costs what the std
// equivalent costs, plus one thread-local check; the target is at most
// 5% overhead of weft::Mutex over std::mutex. weft::Atomic<int>::fetch_add is
// held to the same 5% here (the DESIGN.md promise; the issue names no number
// for it).
//
// Method (no simulation is active: every call takes the real path):
//  * BM_LockUnlock<M>: lock(); ++counter; unlock(); on one mutex shared by the
//    benchmark's threads, uncontended (threads:1) and contended (threads:2).
//  * BM_ScopedLock<M>: the same through std::scoped_lock (weft specializes it
//    to record the caller's source location, see weft/internal/located_lock.h).
//  * BM_FetchAdd<A>: fetch_add(1) on one atomic, threads:1 and threads:2.
//  * The ratio weft/std is the ratio of the two rows' median times (same
//    process, same run). Running with --benchmark_enable_random_interleaving=true
//    spreads the repetitions of the rows over the run, so that drift hits both.
//  * BM_Interleaved*: uncontended only, the two contenders alternate in chunks
//    of 4096 operations (ABBA order) inside one benchmark, each chunk timed, so
//    the ratio is immune to drift; the ratio is a counter.
//  * The process starts one thread and joins it before any benchmark runs.
//    Measured here: while a process has never had a second thread, an
//    uncontended std::mutex lock+unlock costs ~5 ns (glibc skips the atomic
//    read-modify-writes in single-threaded processes), ~20 ns once any thread
//    was created, and that state never reverts. Without this, whichever
//    benchmark ran before the first threads:2 row would look 4x cheaper.
//    WEFT_BENCH_SINGLE_THREADED_PROCESS=1 skips it, to measure that cheap path
//    (with --benchmark_filter selecting only threads:1 / interleaved rows).

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "bench/bench_summary.h"
#include "benchmark/benchmark.h"
#include "weft/weft.h"

namespace weft::bench {
namespace {

constexpr double kTargetMaxRatio = 1.05;

// See the file comment: every benchmark runs in a process that has had a
// second thread, as every program that needs a mutex has.
const bool process_had_a_thread = [] {
  if (std::getenv("WEFT_BENCH_SINGLE_THREADED_PROCESS") != nullptr) return false;
  std::thread([] {}).join();
  return true;
}();

template <typename MutexType>
struct Shared {
  static MutexType mutex;
  static int64_t counter;
};
template <typename MutexType>
MutexType Shared<MutexType>::mutex;
template <typename MutexType>
int64_t Shared<MutexType>::counter = 0;

template <typename AtomicType>
struct SharedAtomic {
  static AtomicType value;
};
template <typename AtomicType>
AtomicType SharedAtomic<AtomicType>::value{0};

template <typename MutexType>
void BM_LockUnlock(benchmark::State& state) {
  MutexType& mutex = Shared<MutexType>::mutex;
  for (auto _ : state) {
    mutex.lock();
    ++Shared<MutexType>::counter;
    mutex.unlock();
  }
}
BENCHMARK_TEMPLATE(BM_LockUnlock, std::mutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_LockUnlock, weft::Mutex)->Threads(1)->Threads(2)->UseRealTime();

template <typename MutexType>
void BM_ScopedLock(benchmark::State& state) {
  MutexType& mutex = Shared<MutexType>::mutex;
  for (auto _ : state) {
    std::scoped_lock lock(mutex);
    ++Shared<MutexType>::counter;
  }
}
BENCHMARK_TEMPLATE(BM_ScopedLock, std::mutex)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_ScopedLock, weft::Mutex)->Threads(1)->Threads(2)->UseRealTime();

template <typename AtomicType>
void BM_FetchAdd(benchmark::State& state) {
  AtomicType& value = SharedAtomic<AtomicType>::value;
  for (auto _ : state) benchmark::DoNotOptimize(value.fetch_add(1));
}
BENCHMARK_TEMPLATE(BM_FetchAdd, std::atomic<int>)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK_TEMPLATE(BM_FetchAdd, weft::Atomic<int>)->Threads(1)->Threads(2)->UseRealTime();

// ---- interleaved, uncontended ---------------------------------------------------

constexpr int kChunk = 4096;

template <typename MutexType>
[[gnu::noinline]] double lock_unlock_chunk(MutexType& mutex, int64_t& counter) {
  const double started = now_ns();
  for (int index = 0; index < kChunk; ++index) {
    mutex.lock();
    ++counter;
    mutex.unlock();
    benchmark::ClobberMemory();
  }
  return now_ns() - started;
}

template <typename AtomicType>
[[gnu::noinline]] double fetch_add_chunk(AtomicType& value) {
  const double started = now_ns();
  for (int index = 0; index < kChunk; ++index) benchmark::DoNotOptimize(value.fetch_add(1));
  return now_ns() - started;
}

// Runs `baseline` and `subject` chunks in ABBA order; reports ns per operation
// of each and their ratio.
template <typename Baseline, typename Subject>
void interleave(benchmark::State& state, Baseline baseline, Subject subject) {
  double baseline_ns = 0;
  double subject_ns = 0;
  bool baseline_first = true;
  for (auto _ : state) {
    if (baseline_first) {
      baseline_ns += baseline();
      subject_ns += subject();
    } else {
      subject_ns += subject();
      baseline_ns += baseline();
    }
    baseline_first = !baseline_first;
  }
  const double operations = static_cast<double>(state.iterations()) * kChunk;
  state.counters["std_ns"] = baseline_ns / operations;
  state.counters["weft_ns"] = subject_ns / operations;
  state.counters["ratio"] = subject_ns / baseline_ns;
}

void BM_InterleavedLockUnlock(benchmark::State& state) {
  std::mutex std_mutex;
  weft::Mutex weft_mutex;
  int64_t std_counter = 0;
  int64_t weft_counter = 0;
  interleave(
      state, [&] { return lock_unlock_chunk(std_mutex, std_counter); },
      [&] { return lock_unlock_chunk(weft_mutex, weft_counter); });
  benchmark::DoNotOptimize(std_counter + weft_counter);
}
BENCHMARK(BM_InterleavedLockUnlock)->UseRealTime();

void BM_InterleavedFetchAdd(benchmark::State& state) {
  std::atomic<int> std_value{0};
  weft::Atomic<int> weft_value{0};
  interleave(
      state, [&] { return fetch_add_chunk(std_value); },
      [&] { return fetch_add_chunk(weft_value); });
}
BENCHMARK(BM_InterleavedFetchAdd)->UseRealTime();

// ---- the table ----------------------------------------------------------------

void compare_rows(const Results& results, Summary& summary, const std::string& figure,
                  const std::string& std_row, const std::string& weft_row) {
  const auto std_ns = results.time_ns(std_row);
  const auto weft_ns = results.time_ns(weft_row);
  if (!std_ns || !weft_ns) {
    summary.missing(figure);
    return;
  }
  summary.ratio_at_most(figure, Summary::ns_text(*weft_ns), Summary::ns_text(*std_ns) + " std",
                        *weft_ns / *std_ns, kTargetMaxRatio);
}

void compare_interleaved(const Results& results, Summary& summary, const std::string& figure,
                         const std::string& row) {
  const auto std_ns = results.counter(row, "std_ns");
  const auto weft_ns = results.counter(row, "weft_ns");
  const auto ratio = results.counter(row, "ratio");
  if (!std_ns || !weft_ns || !ratio) {
    summary.missing(figure);
    return;
  }
  summary.ratio_at_most(figure, Summary::ns_text(*weft_ns), Summary::ns_text(*std_ns) + " std",
                        *ratio, kTargetMaxRatio);
}

void summarize(const Results& results, Summary& summary) {
  summary.info("process state during the runs",
               process_had_a_thread ? "had a 2nd thread" : "single-threaded", "", "",
               process_had_a_thread ? "(the usual case)" : "(WEFT_BENCH_SINGLE_THREADED_PROCESS)");
  for (int threads : {1, 2}) {
    const char* contention = threads == 1 ? "uncontended" : "contended, 2 threads";
    compare_rows(results, summary, format("Mutex lock+unlock, %s", contention),
                 format("BM_LockUnlock<std::mutex>/real_time/threads:%d", threads),
                 format("BM_LockUnlock<weft::Mutex>/real_time/threads:%d", threads));
    compare_rows(results, summary, format("Mutex via std::scoped_lock, %s", contention),
                 format("BM_ScopedLock<std::mutex>/real_time/threads:%d", threads),
                 format("BM_ScopedLock<weft::Mutex>/real_time/threads:%d", threads));
    compare_rows(results, summary, format("Atomic<int>::fetch_add, %s", contention),
                 format("BM_FetchAdd<std::atomic<int>>/real_time/threads:%d", threads),
                 format("BM_FetchAdd<weft::Atomic<int>>/real_time/threads:%d", threads));
  }
  compare_interleaved(results, summary, "Mutex lock+unlock, uncontended, interleaved",
                      "BM_InterleavedLockUnlock/real_time");
  compare_interleaved(results, summary, "Atomic<int>::fetch_add, uncontended, interleaved",
                      "BM_InterleavedFetchAdd/real_time");
}

}  // namespace
}  // namespace weft::bench

WEFT_BENCH_MAIN(weft::bench::summarize, "mutex_benchmark");
