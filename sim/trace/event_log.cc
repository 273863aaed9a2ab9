// Copyright 2026 The weft Authors.

#include "sim/trace/event_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

void EventLog::clear() {
  events.clear();
  entities.clear();
  objects.clear();
  labels.clear();
  label_index_.clear();
  failure.reset();
  steps = 0;
  end_virtual_time_ns = 0;
  schedule_hash = 0;
  truncated = false;
  events_dropped = 0;
}

uint32_t EventLog::intern_label(std::string_view label) {
  const auto [position, inserted] =
      label_index_.try_emplace(std::string(label), static_cast<uint32_t>(labels.size()));
  if (inserted) labels.emplace_back(label);
  WEFT_CHECK_LT(position->second, labels.size());
  return position->second;
}

std::string EventLog::entity_label(uint32_t id) const {
  if (id >= entities.size()) return absl::StrFormat("entity %d", id);
  const EntityInfo& entity = entities[id];
  const char* what = entity.is_task ? "task" : "thread";
  if (entity.name.empty()) return absl::StrFormat("%s %d", what, id);
  return absl::StrFormat("%s %d \"%s\"", what, id, entity.name);
}

std::string EventLog::object_label(uint32_t id) const {
  if (id >= objects.size()) return absl::StrFormat("object #%d", id);
  const ObjectInfo& object = objects[id];
  if (object.name.empty()) return absl::StrFormat("%s #%d", object.kind, id);
  return absl::StrCat(object.kind, " ", object.name);
}

std::string EventLog::object_short_name(uint32_t id) const {
  if (id >= objects.size()) return absl::StrFormat("#%d", id);
  const ObjectInfo& object = objects[id];
  if (object.name.empty()) return absl::StrFormat("%s#%d", object.kind, id);
  return object.name;
}

std::string EventLog::wait_label(const Event& blocked) const {
  WEFT_CHECK(blocked.kind == EventKind::kBlocked);
  switch (static_cast<WaitReason>(blocked.detail)) {
    case WaitReason::kMutex:
    case WaitReason::kCondVar:
    case WaitReason::kSemaphore:
      return object_label(blocked.target);
    case WaitReason::kMutexShared:
      return absl::StrCat(object_label(blocked.target), " (shared)");
    case WaitReason::kJoin:
      return absl::StrCat("join ", entity_label(blocked.target));
    case WaitReason::kSleep:
      return "sleep";
    case WaitReason::kTask:
      return blocked.target < labels.size() ? labels[blocked.target] : "a task wait";
    case WaitReason::kLabelled:
      return blocked.target < labels.size() ? labels[blocked.target] : "?";
    case WaitReason::kLoop:
      return absl::StrFormat("weft::run (loop %d)", blocked.target);
  }
  return "?";
}

std::string EventLog::operation_text(const Event& event) const {
  const std::string object = object_short_name(event.target);
  switch (event.kind) {
    case EventKind::kSpawned:
      return absl::StrFormat("spawn %d", event.target);
    case EventKind::kStarted:
      return "start";
    case EventKind::kFinished:
      return "finish";
    case EventKind::kLock:
      return absl::StrCat((event.detail & kViaTryLock) != 0 ? "try_lock " : "lock ", object);
    case EventKind::kLockShared:
      return absl::StrCat((event.detail & kViaTryLock) != 0 ? "try_lock_shared " : "lock_shared ",
                          object);
    case EventKind::kTryLockFailed:
      return absl::StrCat((event.detail & kShared) != 0 ? "try_lock_shared " : "try_lock ", object,
                          ": busy");
    case EventKind::kUnlock:
      if ((event.detail & kViaCondVarWait) != 0) return "";
      return absl::StrCat("unlock ", object);
    case EventKind::kUnlockShared:
      return absl::StrCat("unlock_shared ", object);
    case EventKind::kCondVarWait:
      return absl::StrCat("wait ", object);
    case EventKind::kNotifyOne:
      return absl::StrCat("notify_one ", object);
    case EventKind::kNotifyAll:
      return absl::StrCat("notify_all ", object);
    case EventKind::kSemaphoreAcquire:
      return absl::StrCat("acquire ", object, (event.detail & kTimedOut) != 0 ? ": timeout" : "");
    case EventKind::kSemaphoreRelease:
      return absl::StrCat("release ", object);
    case EventKind::kAtomicLoad:
      return absl::StrCat(object, ".load");
    case EventKind::kAtomicStore:
      return absl::StrCat(object, ".store");
    case EventKind::kAtomicReadModifyWrite:
      return absl::StrCat(object, ".rmw");
    case EventKind::kJoined:
      return absl::StrFormat("join %d", event.target);
    case EventKind::kYield:
      return "yield";
    case EventKind::kSleep:
      return "sleep";
    case EventKind::kKill:
      return absl::StrFormat("kill process %d", event.target + 1);
    case EventKind::kProcessEnded:
      return absl::StrFormat("process %d ends", event.target + 1);
    case EventKind::kProcessReaped:
      return absl::StrFormat("reap process %d", event.target + 1);
    case EventKind::kKilled:
      return "killed";
    case EventKind::kPartition:
      return "partition";
    case EventKind::kHeal:
      return "heal";
    case EventKind::kDatagramLost:
      return "datagram lost";
    case EventKind::kCrash:
      return absl::StrFormat("crash process %d", event.target + 1);
    case EventKind::kPicked:
    case EventKind::kResumed:
    case EventKind::kBlocked:
    case EventKind::kWoken:
    case EventKind::kTimerFired:
    case EventKind::kFailure:
      return "";
  }
  return "";
}

size_t utf8_sequence_length(std::string_view text, size_t index) {
  WEFT_CHECK_LT(index, text.size());
  const auto lead = static_cast<unsigned char>(text[index]);
  size_t length = 0;
  uint32_t code_point = 0;
  if ((lead & 0xe0) == 0xc0) {
    length = 2;
    code_point = lead & 0x1f;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    code_point = lead & 0x0f;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;  // ASCII, or a continuation byte with no lead.
  }
  if (index + length > text.size()) return 0;
  for (size_t offset = 1; offset < length; ++offset) {
    const auto continuation = static_cast<unsigned char>(text[index + offset]);
    if ((continuation & 0xc0) != 0x80) return 0;
    code_point = (code_point << 6) | (continuation & 0x3f);
  }
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest[length] || code_point > 0x10ffff) return 0;
  if (code_point >= 0xd800 && code_point <= 0xdfff) return 0;
  return length;
}

std::string_view event_kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::kSpawned:
      return "spawned";
    case EventKind::kStarted:
      return "started";
    case EventKind::kFinished:
      return "finished";
    case EventKind::kPicked:
      return "picked";
    case EventKind::kResumed:
      return "resumed";
    case EventKind::kBlocked:
      return "blocked";
    case EventKind::kWoken:
      return "woken";
    case EventKind::kTimerFired:
      return "timer_fired";
    case EventKind::kLock:
      return "lock";
    case EventKind::kLockShared:
      return "lock_shared";
    case EventKind::kTryLockFailed:
      return "try_lock_failed";
    case EventKind::kUnlock:
      return "unlock";
    case EventKind::kUnlockShared:
      return "unlock_shared";
    case EventKind::kCondVarWait:
      return "condvar_wait";
    case EventKind::kNotifyOne:
      return "notify_one";
    case EventKind::kNotifyAll:
      return "notify_all";
    case EventKind::kSemaphoreAcquire:
      return "semaphore_acquire";
    case EventKind::kSemaphoreRelease:
      return "semaphore_release";
    case EventKind::kAtomicLoad:
      return "atomic_load";
    case EventKind::kAtomicStore:
      return "atomic_store";
    case EventKind::kAtomicReadModifyWrite:
      return "atomic_rmw";
    case EventKind::kJoined:
      return "joined";
    case EventKind::kYield:
      return "yield";
    case EventKind::kSleep:
      return "sleep";
    case EventKind::kFailure:
      return "failure";
    case EventKind::kKill:
      return "kill";
    case EventKind::kProcessEnded:
      return "process_ended";
    case EventKind::kProcessReaped:
      return "process_reaped";
    case EventKind::kKilled:
      return "killed";
    case EventKind::kPartition:
      return "partition";
    case EventKind::kHeal:
      return "heal";
    case EventKind::kDatagramLost:
      return "datagram_lost";
    case EventKind::kCrash:
      return "crash";
  }
  return "?";
}

}  // namespace weft::sim
