// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: sim/trace/event_log.h
// -----------------------------------------------------------------------------
//
// EventLog: what happened in one simulated execution, event by event, so that
// it can be drawn afterwards (chrome_trace.h: a Perfetto / chrome://tracing
// file; diagram.h: a terminal interleaving diagram).
//
// The scheduler fills a log only when asked (Scheduler::set_event_log); then
// every decision, every blocking and waking and every primitive operation of
// the execution becomes one Event, a small POD. Names (of threads, tasks and
// objects) are kept once, in `entities` and `objects`, indexed by the dense
// ids the events carry.
//
//   EventLog log;
//   scheduler.set_event_log(&log);
//   scheduler.run(*strategy, workload);          // clears, then fills `log`
//   std::string json = chrome_trace_json(log, "bank");
//   std::cerr << interleaving_diagram(log);
//
// Steps. The coordinate of every event is its `step`: the number of
// scheduling decisions made so far. Step 0 is the start (main runs before the
// first decision); the k-th decision (schedule[k - 1]) is a kPicked event with
// step k, and what the picked entity then does, up to the next decision, has
// step k too. A failure's step is Failure::step. Events are in the order they
// happened, so their steps never decrease.
//
// Limits: at most `events_max` events (kEventsMaxDefault) are kept; past it the
// log stops recording events, sets `truncated` and counts `events_dropped`.
// Entities, objects and the failure are always complete.
//
// Not thread-safe (one scheduler fills it, on one OS thread).

#ifndef WEFT_SIM_TRACE_EVENT_LOG_H_
#define WEFT_SIM_TRACE_EVENT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "weft/report.h"

namespace weft::sim {

// The most events one log keeps by default (about 40 MB of them).
inline constexpr size_t kEventsMaxDefault = 1'000'000;
// An event's `entity` or `target` when there is none.
inline constexpr uint32_t kNoEventTarget = std::numeric_limits<uint32_t>::max();

enum class EventKind : uint8_t {
  // ---- entities (threads and tasks share one id space) ----
  kSpawned,   // `entity` created entity `target` (a thread, or a task) at `where`.
  kStarted,   // `entity` starts running its body.
  kFinished,  // `entity` finished (its body returned; a task: its top frame).
  // ---- who runs ----
  kPicked,      // Decision number `step` picked `entity`. `target`: the entity at
                // the scheduling point; `detail`: kPickedCurrentCouldRun | kPickedYielding.
  kResumed,     // `entity` runs without a decision. `detail`: kResumedAtStart
                // (main, step 0) or kResumedLoopClosed (a host whose weft::run ended).
  kBlocked,     // `entity` blocks. `detail`: a WaitReason; `target`: see WaitReason.
  kWoken,       // `entity` can run again; `target`: who woke it.
  kTimerFired,  // `entity`'s deadline came (virtual time is the deadline); it is woken.
  // ---- operations of the running `entity`, on object `target`, at `where` ----
  kLock,           // Exclusive lock taken (`detail` kViaTryLock: by try_lock).
  kLockShared,     // Shared lock taken (`detail` kViaTryLock: by try_lock_shared).
  kTryLockFailed,  // try_lock (`detail` kShared: try_lock_shared) found it taken.
  kUnlock,         // Exclusive lock released (`detail` kViaCondVarWait: by a wait).
  kUnlockShared,   // Shared lock released.
  kCondVarWait,    // Waits on a condition variable (then kBlocked).
  kNotifyOne,
  kNotifyAll,
  kSemaphoreAcquire,  // `detail` kTimedOut: the deadline passed first.
  kSemaphoreRelease,
  kAtomicLoad,
  kAtomicStore,
  kAtomicReadModifyWrite,
  kJoined,  // `entity` joined thread `target`.
  kYield,
  kSleep,    // Sleeps (then kBlocked with WaitReason::kSleep).
  kFailure,  // The execution's failure (EventLog::failure) was found in `entity`.
  // ---- processes (`target`: a process index; its pid is index + 1) ----
  kKill,           // `entity` kills process `target`.
  kProcessEnded,   // Process `target` ended (exit or kill); `entity` is the caller.
  kProcessReaped,  // `entity`'s wait() reaped process `target`.
  kKilled,         // `entity` stops for good: its process ended.
  // ---- the network ----
  kPartition,     // `entity` (or buggify, in its send) cut hosts apart.
  kHeal,          // `entity` healed every partition.
  kDatagramLost,  // `entity`'s datagram to socket `target` was dropped.
  kCrash,         // The explorer crashed process `target` (Faults::crash).
};

// Why a kBlocked entity waits, and what its event's `target` is then.
enum class WaitReason : uint8_t {
  kMutex,        // exclusive lock of object `target`
  kMutexShared,  // shared lock of object `target`
  kCondVar,      // notification on object `target`
  kSemaphore,    // a positive count of object `target`
  kJoin,         // thread `target` to finish
  kSleep,        // its deadline (`target` unused)
  kTask,         // a task awaiting something: `target` indexes EventLog::labels
  kLoop,         // a thread in weft::run while its tasks run: `target` is the loop
  kLabelled,     // a process or a pipe: `target` indexes EventLog::labels
};

// Event::detail bits.
inline constexpr uint8_t kPickedCurrentCouldRun = 1;  // kPicked: a decide(), not a block.
inline constexpr uint8_t kPickedYielding = 2;         // kPicked: the current entity yielded.
inline constexpr uint8_t kResumedAtStart = 1;
inline constexpr uint8_t kResumedLoopClosed = 2;
inline constexpr uint8_t kViaTryLock = 1;
inline constexpr uint8_t kViaCondVarWait = 2;
inline constexpr uint8_t kShared = 4;
inline constexpr uint8_t kTimedOut = 8;

struct Event {
  uint64_t step = 0;  // Decisions made so far (see the file comment).
  int64_t virtual_time_ns = 0;
  std::source_location where;  // The user's call; line() == 0 if none.
  uint32_t entity = kNoEventTarget;
  uint32_t target = kNoEventTarget;
  EventKind kind = EventKind::kPicked;
  uint8_t detail = 0;
};
static_assert(sizeof(Event) <= 40, "an event should stay small: logs hold a million");

struct EntityInfo {
  std::string name;  // "t1", "fetch"; may be empty.
  bool is_task = false;
  uint32_t pid = 1;  // The simulated process (one for now).
  uint32_t creator = kNoEventTarget;
  std::source_location created;
};

struct ObjectInfo {
  std::string kind;  // "Mutex", "CondVar", ...
  std::string name;  // The user's name; may be empty.
  std::source_location created;
};

struct EventLog {
  // EventLog::clear()
  //
  // Empties the log for a new execution; keeps `events_max` and capacity.
  void clear();

  // EventLog::add()
  //
  // Appends `event`, or drops it (and notes the truncation) once the log
  // holds `events_max` events. Returns whether it was kept.
  bool add(const Event& event) {
    if (events.size() >= events_max) [[unlikely]] {
      truncated = true;
      ++events_dropped;
      return false;
    }
    events.push_back(event);
    return true;
  }

  // The index of `label` in `labels`, adding it if new.
  uint32_t intern_label(std::string_view label);

  // ---- descriptions shared by the renderers ----

  // `thread 1 "t1"`, `task 4 "fetch"`, `task 4` (unnamed), `thread 1`.
  std::string entity_label(uint32_t id) const;
  // "Mutex a", or "Mutex #3" for an unnamed one.
  std::string object_label(uint32_t id) const;
  // "a", or "Mutex#3" for an unnamed one: what an operation cell shows.
  std::string object_short_name(uint32_t id) const;
  // What a kBlocked event waits for: "Mutex b", "CondVar cv", "join thread 2",
  // "sleep", "Channel::recv replies", "weft::run (loop 0)".
  std::string wait_label(const Event& blocked) const;
  // What an operation event did, in a few words: "lock a", "unlock b",
  // "notify_one cv", "x.load", "spawn 2", "start", "finish", "yield".
  // Empty for the kinds that are not operations (kPicked, kResumed,
  // kBlocked, kWoken, kTimerFired, kFailure) and for the release of a
  // mutex by a condition-variable wait (the wait says it).
  std::string operation_text(const Event& event) const;

  std::vector<Event> events;
  std::vector<EntityInfo> entities;  // By entity id.
  std::vector<ObjectInfo> objects;   // By object id.
  std::vector<std::string> labels;   // WaitReason::kTask descriptions.
  std::optional<Failure> failure;    // The execution's failure, if any.
  uint64_t steps = 0;                // Decisions the execution made.
  int64_t end_virtual_time_ns = 0;
  uint64_t schedule_hash = 0;
  size_t events_max = kEventsMaxDefault;
  bool truncated = false;
  uint64_t events_dropped = 0;

 private:
  absl::flat_hash_map<std::string, uint32_t> label_index_;  // Lookups only.
};

// "picked", "lock", ...: the kind's name (stable; used in trace args).
std::string_view event_kind_name(EventKind kind);

// The length of the well-formed UTF-8 sequence of a non-ASCII code point at
// `text[index]`, or 0 if there is none (a stray byte, an overlong form, a
// surrogate, past U+10FFFF): how the renderers keep user text (thread names)
// valid.
size_t utf8_sequence_length(std::string_view text, size_t index);

}  // namespace weft::sim

#endif  // WEFT_SIM_TRACE_EVENT_LOG_H_
