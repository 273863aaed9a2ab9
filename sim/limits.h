// Copyright 2026 The weft Authors.
//
// Every bound the simulator keeps, in one place. A workload that reaches one
// gets a failure in its Report (kStepLimit, or a clear message), never a hang
// and never silent truncation.

#ifndef WEFT_SIM_LIMITS_H_
#define WEFT_SIM_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace weft::sim {

// Simulated threads alive in one execution (the main thread included).
inline constexpr uint32_t kThreadsMax = 1024;
// Tasks (weft::spawn, weft::run) created in one execution.
inline constexpr uint32_t kTasksMax = uint32_t{1} << 21;
// Entities (threads and tasks share one id space).
inline constexpr uint32_t kEntitiesMax = kThreadsMax + kTasksMax;
// Event loops (weft::run calls) in one execution.
inline constexpr uint32_t kLoopsMax = uint32_t{1} << 16;
// Default bound on scheduling decisions per execution (ExploreOptions::max_steps).
inline constexpr uint64_t kStepsMaxDefault = 1'000'000;
// Hard ceiling on ExploreOptions::max_steps: the recorded schedule of one
// execution is kept in memory (4 bytes a decision).
inline constexpr uint64_t kStepsMaxCeiling = 100'000'000;
// Usable bytes of a simulated thread's stack (plus one guard page below).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr size_t kFiberStackBytes = size_t{1} << 20;  // ASan frames are larger.
#else
inline constexpr size_t kFiberStackBytes = size_t{256} << 10;
#endif
// Fibers (with their stacks) kept per OS thread for the next scheduler.
inline constexpr size_t kFibersCachedMax = 256;
// Operations a thread may perform after its execution ended without reaching
// a call that unwinds it (a spin on atomics inside a destructor); past this,
// the thread is abandoned rather than resumed forever.
inline constexpr uint32_t kAbortOperationsMax = 100'000;
// PCT's depth (number of priority change points + 1).
inline constexpr int kPctDepthMax = 64;
// The dfs strategy's preemption bound (ExploreOptions::preemption_bound).
inline constexpr int kPreemptionBoundMax = 64;
// Scheduling decisions the shrinker may spend on one failure in all (a
// second or two): long executions get fewer shrinking runs.
inline constexpr uint64_t kShrinkStepsMax = 50'000'000;
// Simulated processes in one execution (restarts count: each has a new pid).
inline constexpr uint32_t kProcessesMax = 256;
// weft descriptors open at once in one simulated process (RLIMIT_NOFILE's
// default; stdio is not counted).
inline constexpr uint32_t kFdsPerProcessMax = 1024;
// Pipes created in one execution.
inline constexpr uint32_t kPipesMax = 4096;
// A simulated pipe holds this much, as a Linux pipe does by default; writes
// of at most kPipeAtomicBytes are never split (PIPE_BUF).
inline constexpr size_t kPipeCapacityBytes = 65536;
inline constexpr size_t kPipeAtomicBytes = 4096;
// Sockets opened in one execution (listeners, bound datagram sockets, and
// both ends of every connection).
inline constexpr uint32_t kSocketsMax = 4096;
// Iterations of one exploration.
inline constexpr uint64_t kIterationsMax = uint64_t{1} << 40;

static_assert(kThreadsMax >= 2 && kThreadsMax <= (uint32_t{1} << 16));
static_assert(kFiberStackBytes % 4096 == 0);
static_assert(kStepsMaxDefault <= kStepsMaxCeiling);

}  // namespace weft::sim

#endif  // WEFT_SIM_LIMITS_H_
