// Copyright 2026 The weft Authors.
//
// The simulator's books for one execution: a record per simulated thread and
// per primitive object, indexed by dense ids (0, 1, 2, ... in order of
// creation or first use). Records are pooled: an execution reuses the records,
// and so the fibers and stacks, of the executions before it, so steady-state
// executions allocate nothing here.

#ifndef WEFT_SIM_SCHEDULER_RECORDS_H_
#define WEFT_SIM_SCHEDULER_RECORDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <source_location>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "sim/fiber/fiber.h"
#include "sim/strategy/strategy.h"
#include "weft/clock.h"
#include "weft/exit_status.h"
#include "weft/internal/backend.h"
#include "weft/internal/check.h"
#include "weft/internal/sim_object.h"
#include "weft/internal/task_state.h"

namespace weft::sim {

using internal::Location;

// Threads and tasks share one id space and one record type: both are
// entities the strategy picks among. A task has no fiber of its own; it runs
// on the fiber of the thread that hosts its event loop. A runnable task is
// eligible only while its loop is idle, or if it is the loop's running task.
// kKilled: its process ended (killed, or its main thread returned) while it
// was unfinished. It never runs again in the execution; its stack is unwound
// when the execution ends, like a blocked thread's.
enum class ThreadState : uint8_t { kRunnable, kBlocked, kFinished, kKilled };

// What a blocked thread waits for.
enum class WaitKind : uint8_t {
  kNone,
  kMutex,        // exclusive lock of object `wait_target`
  kMutexShared,  // shared lock of object `wait_target`
  kCondVar,      // notification on object `wait_target`
  kSemaphore,    // a positive count of object `wait_target`
  kJoin,         // thread `wait_target` to finish
  kSleep,        // its deadline only
  kTask,         // a task suspended on a weft awaitable (TaskState::wait says which)
  kLoop,         // a thread running weft::run while none of its tasks is running
  kProcess,      // process `wait_target` (an index) to end
  kPipeRead,     // bytes or EOF in pipe `wait_target`
  kPipeWrite,    // room in pipe `wait_target`, or its last reader gone
  kSocket,       // socket `wait_target`: data, a connection, EOF, or its timer
};

inline constexpr uint32_t kNoLoop = UINT32_MAX;

// A FIFO of blocked threads, linked through SimThread::queue_{prev,next}.
struct WaitQueue {
  ThreadId head = kNoThread;
  ThreadId tail = kNoThread;
  uint32_t size = 0;
};

// What only threads have: a fiber with its stack, the body to run, the
// threads waiting to join. Kept apart from SimThread so that a task's record
// stays small (a workload may keep 100,000 tasks asleep at once).
struct ThreadExtras {
  ThreadExtras() = default;
  ~ThreadExtras() {
    if (fiber) FiberCache::give_back(std::move(fiber));
  }
  ThreadExtras(const ThreadExtras&) = delete;
  ThreadExtras& operator=(const ThreadExtras&) = delete;

  std::unique_ptr<Fiber> fiber;  // Taken on first use, kept while pooled.
  std::string name;
  absl::AnyInvocable<void()> body;
  WaitQueue joiners;
};

inline constexpr uint32_t kNoExtras = UINT32_MAX;

// One entity: a thread, or a task (which runs on its loop host's fiber).
struct SimThread {
  // Tasks only, while the task is unfinished (its loop frees it after).
  internal::TaskState* task = nullptr;
  ThreadId id = kNoThread;
  // A task: its loop. A thread: the loop it runs (weft::run), if any.
  uint32_t loop = kNoLoop;
  uint32_t timer_generation = 0;  // Invalidates queued timers (see TimerEntry).
  uint32_t extras = kNoExtras;    // Threads: their ThreadExtras.
  uint32_t process = 0;           // Index of its process (0: the workload's).
  Location created;
  ThreadState state = ThreadState::kRunnable;
  WaitKind wait_kind = WaitKind::kNone;
  bool is_task = false;
  bool started = false;
  bool detached = false;
  bool timed_out = false;
  bool has_deadline = false;  // A timed wait (deadline is meaningful).
  uint32_t wait_target = 0;
  // A task in FdReady on a socket: which one (its watcher list holds the
  // task until a wake of any kind -- data, close, timer -- takes it out).
  uint32_t watched_socket = UINT32_MAX;
  Location wait_where;
  Clock::duration deadline{};  // Virtual time.
  ThreadId queue_prev = kNoThread;
  ThreadId queue_next = kNoThread;
};

// An event loop (one weft::run) under simulation. It runs one task at a
// time: while it is busy, its other ready tasks stay in the runnable set but
// are hidden from the strategy (Scheduler::hidden_).
struct SimLoop {
  ThreadId host = kNoThread;
  internal::EventLoop* event_loop = nullptr;
  bool idle = false;
  bool open = false;
  ThreadId running = kNoThread;  // The task it runs while busy.
  uint32_t ready = 0;            // Runnable tasks other than `running`.
};

// ---- processes and pipes ----------------------------------------------------

enum class FdKind : uint8_t { kFree, kPipeRead, kPipeWrite, kSocket };

// One slot of a process's descriptor table (the index is the descriptor).
struct FdSlot {
  FdKind kind = FdKind::kFree;
  uint32_t id = 0;  // The pipe's or the socket's.
};

enum class ProcessState : uint8_t { kRunning, kEnded };

// A simulated process: a pid, a descriptor table, the threads and tasks
// whose SimThread::process is its index. pid = index + 1.
struct SimProcess {
  std::string name;
  Location created;
  uint32_t parent = 0;
  ThreadId main = kNoThread;
  ProcessState state = ProcessState::kRunning;
  ExitStatus status;
  int exit_code = 0;        // What the main thread's function returned.
  bool reaped = false;      // wait() returned its status.
  bool dropped = false;     // Its weft::Process went away without wait().
  std::vector<FdSlot> fds;  // By number; kept (capacity) across executions.
  uint32_t open_fds = 0;    // Slots of `fds` in use (kFdsPerProcessMax).
  WaitQueue waiters;        // Threads in wait() for it.
  // ProcessOptions::crashes: how it restarts after a crash (Faults::crash).
  std::function<int()> recipe;
  Clock::duration restart_delay{};
  uint32_t successor = UINT32_MAX;  // Its next incarnation, once it crashed.
  bool incarnation = false;         // A restart (its first incarnation has the handle).
};

// A pipe's buffer and the descriptors open on its ends, in every process.
struct SimPipe {
  std::vector<std::byte> ring;  // kPipeCapacityBytes once first written to.
  size_t head = 0;              // Index of the oldest byte.
  size_t size = 0;
  uint32_t readers = 0;  // Open descriptors on the read end.
  uint32_t writers = 0;
  Location created;
  WaitQueue read_waiters;
  WaitQueue write_waiters;
  std::vector<ThreadId> read_watchers;  // Tasks awaiting readiness (FdReady).
  std::vector<ThreadId> write_watchers;
};

// Bytes (a stream's) or one datagram on its way to a socket, readable from
// `deliver_at` (virtual time) on. A stream's segments arrive in order.
struct Segment {
  Clock::duration deliver_at{};
  uint64_t sequence = 0;  // Ties in deliver_at go in send order.
  std::string bytes;
  std::string from;   // Datagrams: the sender's address.
  bool held = false;  // Sent across a partition: waits for heal (streams).
  bool end = false;   // A stream's FIN: EOF once read up to here.
};

enum class SocketKind : uint8_t { kListener, kStream, kDatagram };

// A simulated socket. Streams come in connected pairs (`peer`).
struct SimSocket {
  SocketKind kind = SocketKind::kStream;
  std::string address;  // Listener/datagram: bound; stream: local end.
  std::string host;     // For partitions: the host part of `address`.
  std::string peer_address;
  uint32_t peer = UINT32_MAX;
  uint32_t descriptors = 0;       // Open descriptors on it, in every process.
  bool reset = false;             // Its peer's process died: ECONNRESET.
  bool peer_gone = false;         // Its peer closed: sends get EPIPE.
  std::vector<Segment> inbox;     // Not yet read, in (deliver_at, sequence) order.
  size_t consumed = 0;            // Bytes of inbox.front() a stream has read.
  std::vector<uint32_t> backlog;  // Listener: connected stream sockets to accept.
  WaitQueue waiters;
  std::vector<ThreadId> task_watchers;  // Tasks awaiting readiness (FdReady).
};

// A deadline in the timer heap. Entries are never removed early: one is stale
// when its entity's timer_generation has moved on.
struct TimerEntry {
  Clock::duration deadline;
  uint64_t sequence;
  ThreadId id;
  uint32_t generation;
  // Min-heap order under std::push_heap: earliest deadline, then FIFO.
  bool operator<(const TimerEntry& other) const {
    if (deadline != other.deadline) return deadline > other.deadline;
    return sequence > other.sequence;
  }
};

struct ObjectState {
  internal::ObjectKind kind = internal::ObjectKind::kMutex;
  const char* name = nullptr;
  Location created;
  ThreadId owner = kNoThread;  // Exclusive holder.
  Location owner_where;
  uint32_t shared_holders = 0;
  int64_t count = 0;  // Semaphore count.
  WaitQueue waiters;
};

// Records that keep their addresses while the pool grows, and are reused
// from one execution to the next. Stored in chunks of 64 (one allocation per
// chunk, not per record; a shift and a mask to index, not a deque's divide).
template <typename Record>
class RecordPool {
 public:
  // Returns the next record (a reused one if any), default-constructed the
  // first time; the caller resets the fields it uses.
  Record& acquire() {
    if (live_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Record[]>(kChunk));
    return (*this)[live_++];
  }
  void release_all() { live_ = 0; }

  Record& operator[](size_t index) {
    WEFT_DCHECK(index < live_);
    return chunks_[index >> kChunkBits][index & (kChunk - 1)];
  }
  const Record& operator[](size_t index) const {
    WEFT_DCHECK(index < live_);
    return chunks_[index >> kChunkBits][index & (kChunk - 1)];
  }
  size_t size() const { return live_; }

 private:
  static constexpr size_t kChunkBits = 6;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;

  std::vector<std::unique_ptr<Record[]>> chunks_;
  size_t live_ = 0;
};

}  // namespace weft::sim

#endif  // WEFT_SIM_SCHEDULER_RECORDS_H_
