// Copyright 2026 The weft Authors.
//
// One pass over the log: running and blocked intervals are opened and closed
// as the events come, and written when they close; instants are written as
// they come. Every number is an integer or a multiple of 0.5 printed without
// floating point, so the output is a function of the log alone.

#include "sim/trace/chrome_trace.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "weft/internal/check.h"

namespace weft::sim {

namespace {

// `byte` (ASCII) as it appears inside a JSON string.
void append_json_ascii(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (byte) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    default:
      break;
  }
  if (byte < 0x20) {
    out += "\\u00";
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xf]);
    return;
  }
  out.push_back(static_cast<char>(byte));
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  size_t index = 0;
  while (index < text.size()) {
    const auto byte = static_cast<unsigned char>(text[index]);
    if (byte < 0x80) {
      append_json_ascii(out, byte);
      ++index;
      continue;
    }
    // Well-formed UTF-8 passes through; anything else becomes U+FFFD.
    const size_t length = utf8_sequence_length(text, index);
    if (length == 0) {
      out += "\xef\xbf\xbd";
      ++index;
      continue;
    }
    out.append(text.substr(index, length));
    index += length;
  }
  out.push_back('"');
}

namespace {

// Positions on the time axis, in quarter microseconds (quarter steps): a
// step's operations at its start, blocking, finishing and waking at +0.5, a
// timer at its end. An entity that runs from +0.5 (a host whose weft::run
// returned) and finishes or blocks in the same step does so at +0.75.
using Quarters = uint64_t;
constexpr Quarters kStep = 4;
constexpr Quarters kHalfStep = 2;

Quarters position(const Event& event) {
  const Quarters start = kStep * event.step;
  switch (event.kind) {
    case EventKind::kBlocked:
    case EventKind::kFinished:
    case EventKind::kWoken:
    case EventKind::kFailure:
      return start + kHalfStep;
    case EventKind::kResumed:
      return event.detail == kResumedAtStart ? start : start + kHalfStep;
    case EventKind::kTimerFired:
      return start + kStep;  // Between this step and the next decision.
    default:
      return start;
  }
}

std::string quarters_text(Quarters at) {
  static constexpr const char* kFraction[] = {"", ".25", ".5", ".75"};
  return absl::StrCat(at / kStep, kFraction[at % kStep]);
}

// Nanoseconds as milliseconds, exactly: "0", "5", "1.25", "-0.000001".
std::string milliseconds_text(int64_t nanoseconds) {
  const bool negative = nanoseconds < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(nanoseconds)
                                      : static_cast<uint64_t>(nanoseconds);
  std::string text = absl::StrFormat("%s%d", negative ? "-" : "", magnitude / 1'000'000);
  uint64_t fraction = magnitude % 1'000'000;
  if (fraction == 0) return text;
  std::string digits = absl::StrFormat("%06d", fraction);
  while (digits.back() == '0') digits.pop_back();
  return absl::StrCat(text, ".", digits);
}

const char* category(EventKind kind) {
  switch (kind) {
    case EventKind::kSpawned:
    case EventKind::kStarted:
    case EventKind::kFinished:
    case EventKind::kJoined:
    case EventKind::kYield:
    case EventKind::kSleep:
      return "thread";
    case EventKind::kKill:
    case EventKind::kProcessEnded:
    case EventKind::kProcessReaped:
    case EventKind::kKilled:
    case EventKind::kCrash:
      return "process";
    case EventKind::kPartition:
    case EventKind::kHeal:
    case EventKind::kDatagramLost:
      return "network";
    case EventKind::kAtomicLoad:
    case EventKind::kAtomicStore:
    case EventKind::kAtomicReadModifyWrite:
      return "atomic";
    case EventKind::kTimerFired:
      return "timer";
    default:
      return "sync";
  }
}

// Builds one event object per line.
class TraceWriter {
 public:
  TraceWriter(const EventLog& log, std::string_view title) : log_(log), title_(title) {
    blocked_.resize(log.entities.size());
    // Labels once each, not once per event.
    for (uint32_t id = 0; id < log.entities.size(); ++id) {
      entity_labels_.push_back(log.entity_label(id));
    }
    for (uint32_t id = 0; id < log.objects.size(); ++id) {
      object_labels_.push_back(log.object_label(id));
    }
  }

  std::string write();

 private:
  struct Running {
    uint32_t entity = kNoEventTarget;
    Quarters start = 0;
    uint64_t step = 0;
    int64_t virtual_time_ns = 0;
    std::string reason;
  };
  struct Blocked {
    Quarters start = 0;
    size_t event = 0;  // The kBlocked event's index.
  };

  void metadata();
  void process(size_t index);
  void run(uint32_t entity, Quarters at, const Event& cause);
  // Ends the running slice (if any) at `at`, or just after its start if it
  // began later in the same step; returns where it ended.
  Quarters stop_running(Quarters at);
  void block(size_t index, Quarters at);
  void unblock(uint32_t entity, Quarters at, const std::string& woken_by);
  void instant(const Event& event, Quarters at, std::string_view name);
  void counter(Quarters at, int64_t virtual_time_ns);
  void failure_marker();
  void other_data();

  // Opens `{"ph":..,"name":..,"cat":..,"pid":..,"tid":..,"ts":..<fields>,"args":{`;
  // `fields` is raw JSON (",\"dur\":2"). end_args() closes it.
  void begin(char phase, std::string_view name, std::string_view category, uint32_t entity,
             std::optional<Quarters> at, std::string_view fields = "");
  void arg(std::string_view key, std::string_view value);
  void arg_number(std::string_view key, std::string_view number);
  void arg_location(const std::source_location& where);
  void end_args() { out_ += "}}"; }

  bool valid_entity(uint32_t entity) const { return entity < log_.entities.size(); }
  uint32_t pid(uint32_t entity) const {
    return valid_entity(entity) ? log_.entities[entity].pid : 1;
  }
  std::string reason(const Event& cause) const;
  const std::string& entity_label(uint32_t entity) const {
    WEFT_CHECK(valid_entity(entity));
    return entity_labels_[entity];
  }
  const std::string& object_label(uint32_t object) const {
    static const std::string kUnknown = "?";
    return object < object_labels_.size() ? object_labels_[object] : kUnknown;
  }

  const EventLog& log_;
  const std::string_view title_;
  std::string out_;
  bool first_event_ = true;
  bool first_arg_ = true;
  std::optional<Running> running_;
  std::vector<std::optional<Blocked>> blocked_;
  std::vector<std::string> entity_labels_;  // By entity id.
  std::vector<std::string> object_labels_;  // By object id.
  std::optional<int64_t> virtual_time_ns_;  // What the counter shows.
  uint64_t step_ = 0;                       // Of the last event processed.
};

void TraceWriter::begin(char phase, std::string_view name, std::string_view category,
                        uint32_t entity, std::optional<Quarters> at, std::string_view fields) {
  out_ += first_event_ ? "\n" : ",\n";
  first_event_ = false;
  out_ += "{\"ph\":\"";
  out_.push_back(phase);
  out_ += "\",\"name\":";
  append_json_string(out_, name);
  if (!category.empty()) {
    out_ += ",\"cat\":";
    append_json_string(out_, category);
  }
  // Tracks are entity + 1: some viewers fold tid 0 into another thread.
  const uint32_t track = valid_entity(entity) ? entity + 1 : 1;
  absl::StrAppend(&out_, ",\"pid\":", pid(entity), ",\"tid\":", track);
  if (at) absl::StrAppend(&out_, ",\"ts\":", quarters_text(*at));
  out_ += fields;
  out_ += ",\"args\":{";
  first_arg_ = true;
}

void TraceWriter::arg(std::string_view key, std::string_view value) {
  if (!first_arg_) out_.push_back(',');
  first_arg_ = false;
  append_json_string(out_, key);
  out_.push_back(':');
  append_json_string(out_, value);
}

void TraceWriter::arg_number(std::string_view key, std::string_view number) {
  if (!first_arg_) out_.push_back(',');
  first_arg_ = false;
  append_json_string(out_, key);
  out_.push_back(':');
  out_ += number;
}

void TraceWriter::arg_location(const std::source_location& where) {
  if (where.line() == 0) return;
  arg("file", where.file_name());
  arg_number("line", absl::StrCat(where.line()));
}

std::string TraceWriter::reason(const Event& cause) const {
  if (cause.kind == EventKind::kResumed) {
    return cause.detail == kResumedAtStart ? "start" : "its weft::run returned";
  }
  if (!valid_entity(cause.target)) return "decision";
  const std::string& decider = entity_label(cause.target);
  if ((cause.detail & kPickedYielding) != 0) return absl::StrCat(decider, " yielded");
  if ((cause.detail & kPickedCurrentCouldRun) != 0) return absl::StrCat("preempts ", decider);
  return absl::StrCat(decider, " blocked or finished");
}

void TraceWriter::metadata() {
  // Each process is named once, on the track of its first entity.
  std::vector<std::pair<uint32_t, uint32_t>> processes;  // (pid, first entity)
  for (uint32_t entity = 0; entity < log_.entities.size(); ++entity) {
    processes.emplace_back(log_.entities[entity].pid, entity);
  }
  std::sort(processes.begin(), processes.end());
  processes.erase(std::unique(processes.begin(), processes.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  processes.end());
  if (processes.empty()) processes.emplace_back(1, kNoEventTarget);
  for (const auto& [process, entity] : processes) {
    begin('M', "process_name", "", entity, std::nullopt);
    arg("name", process == 1 ? std::string(title_)
                             : absl::StrFormat("%s (process %d)", std::string(title_), process));
    end_args();
  }
  for (uint32_t entity = 0; entity < log_.entities.size(); ++entity) {
    begin('M', "thread_name", "", entity, std::nullopt);
    arg("name", entity_label(entity));
    end_args();
    begin('M', "thread_sort_index", "", entity, std::nullopt);
    arg_number("sort_index", absl::StrCat(entity));
    end_args();
  }
}

void TraceWriter::run(uint32_t entity, Quarters at, const Event& cause) {
  if (running_ && running_->entity == entity) return;  // Goes on: one slice.
  stop_running(at);
  if (!valid_entity(entity)) return;
  if (blocked_[entity]) unblock(entity, at, "");  // Defensive: a wake-up was not recorded.
  running_ = Running{entity, at, cause.step, cause.virtual_time_ns, reason(cause)};
}

Quarters TraceWriter::stop_running(Quarters at) {
  if (!running_) return at;
  const Running running = *std::exchange(running_, std::nullopt);
  if (at <= running.start) {
    WEFT_CHECK_EQ(running.start % kStep, kHalfStep);  // Only a resumed host starts late.
    at = running.start + 1;
  }
  begin('X', "running", "run", running.entity, running.start,
        absl::StrCat(",\"dur\":", quarters_text(at - running.start)));
  arg("after", running.reason);
  arg_number("step", absl::StrCat(running.step));
  arg_number("virtual_time_ms", milliseconds_text(running.virtual_time_ns));
  end_args();
  return at;
}

void TraceWriter::block(size_t index, Quarters at) {
  const Event& event = log_.events[index];
  if (!valid_entity(event.entity)) return;
  if (running_ && running_->entity == event.entity) at = stop_running(at);
  if (blocked_[event.entity]) unblock(event.entity, at, "");
  blocked_[event.entity] = Blocked{at, index};
}

void TraceWriter::unblock(uint32_t entity, Quarters at, const std::string& woken_by) {
  if (!valid_entity(entity) || !blocked_[entity]) return;
  const Blocked blocked = *std::exchange(blocked_[entity], std::nullopt);
  if (at <= blocked.start) return;
  const Event& event = log_.events[blocked.event];
  const auto reason = static_cast<WaitReason>(event.detail);
  const std::string what = log_.wait_label(event);
  const bool plain = reason == WaitReason::kJoin || reason == WaitReason::kSleep ||
                     reason == WaitReason::kLoop || what.starts_with("join ");
  begin('X', plain ? what : absl::StrCat("blocked: ", what), "blocked", entity, blocked.start,
        absl::StrCat(",\"dur\":", quarters_text(at - blocked.start)));
  arg_location(event.where);
  arg("object", what);
  if (!woken_by.empty()) arg("woken_by", woken_by);
  arg_number("step", absl::StrCat(event.step));
  arg_number("virtual_time_ms", milliseconds_text(event.virtual_time_ns));
  end_args();
}

void TraceWriter::instant(const Event& event, Quarters at, std::string_view name) {
  if (!valid_entity(event.entity)) return;
  begin('i', name, category(event.kind), event.entity, at, ",\"s\":\"t\"");
  arg("kind", event_kind_name(event.kind));
  arg_location(event.where);
  switch (event.kind) {
    case EventKind::kSpawned:
    case EventKind::kJoined:
      arg("object", valid_entity(event.target) ? entity_label(event.target) : "?");
      break;
    case EventKind::kStarted:
    case EventKind::kFinished:
    case EventKind::kYield:
    case EventKind::kSleep:
    case EventKind::kTimerFired:
    case EventKind::kKilled:
    case EventKind::kPartition:
    case EventKind::kHeal:
    case EventKind::kDatagramLost:
      break;
    case EventKind::kKill:
    case EventKind::kProcessEnded:
    case EventKind::kProcessReaped:
    case EventKind::kCrash:
      arg("object", absl::StrFormat("process %d", event.target + 1));
      break;
    default:
      arg("object", object_label(event.target));
  }
  arg_number("step", absl::StrCat(event.step));
  arg_number("virtual_time_ms", milliseconds_text(event.virtual_time_ns));
  end_args();
}

void TraceWriter::counter(Quarters at, int64_t virtual_time_ns) {
  if (virtual_time_ns_ == virtual_time_ns) return;
  virtual_time_ns_ = virtual_time_ns;
  begin('C', "virtual time (ms)", "", 0, at);
  arg_number("ms", milliseconds_text(virtual_time_ns));
  end_args();
}

void TraceWriter::process(size_t index) {
  const Event& event = log_.events[index];
  WEFT_CHECK_GE(event.step, step_);  // The scheduler records in order.
  step_ = event.step;
  const Quarters at = position(event);
  counter(at, event.virtual_time_ns);
  switch (event.kind) {
    case EventKind::kPicked:
    case EventKind::kResumed:
      run(event.entity, at, event);
      return;
    case EventKind::kBlocked:
      block(index, at);
      return;
    case EventKind::kWoken:
      unblock(event.entity, at, valid_entity(event.target) ? entity_label(event.target) : "");
      return;
    case EventKind::kTimerFired:
      unblock(event.entity, at, "timer");
      instant(event, at, "timer fired");
      return;
    case EventKind::kFinished:
      if (running_ && running_->entity == event.entity) stop_running(at);
      instant(event, at, "finish");
      return;
    case EventKind::kFailure:
      return;  // failure_marker(), from EventLog::failure (kept even if truncated).
    default:
      break;
  }
  const std::string text = log_.operation_text(event);
  if (!text.empty()) instant(event, at, text);
}

void TraceWriter::failure_marker() {
  if (!log_.failure) return;
  const Failure& failure = *log_.failure;
  std::string name =
      absl::StrCat(std::string(failure_kind_name(failure.kind)), ": ", failure.message);
  static constexpr size_t kNameMax = 160;
  if (name.size() > kNameMax) name = absl::StrCat(name.substr(0, kNameMax - 3), "...");
  begin('i', name, "failure", failure.thread_id, kStep * failure.step + kHalfStep, ",\"s\":\"g\"");
  arg("message", failure.message);
  if (!failure.details.empty()) arg("details", failure.details);
  if (valid_entity(failure.thread_id)) arg("entity", entity_label(failure.thread_id));
  arg_number("step", absl::StrCat(failure.step));
  end_args();
}

void TraceWriter::other_data() {
  out_ += "\"otherData\":{";
  first_arg_ = true;
  arg("title", title_);
  arg("time_axis", "1 us = 1 scheduling decision; step 0 is the start, before the first");
  arg_number("steps", absl::StrCat(log_.steps));
  arg_number("events", absl::StrCat(log_.events.size()));
  arg_number("truncated", log_.truncated ? "true" : "false");
  arg_number("events_dropped", absl::StrCat(log_.events_dropped));
  arg("schedule_hash", absl::StrFormat("%016x", log_.schedule_hash));
  arg_number("virtual_time_ms", milliseconds_text(log_.end_virtual_time_ns));
  arg("failure", log_.failure ? failure_kind_name(log_.failure->kind) : "");
  out_ += "}";
}

std::string TraceWriter::write() {
  out_ = "{\"traceEvents\":[";
  metadata();
  counter(0, 0);
  for (size_t index = 0; index < log_.events.size(); ++index) process(index);
  // The last step's slices end with it: at step + 1 (the last recorded step
  // if the log was truncated).
  const uint64_t last_step =
      log_.truncated && !log_.events.empty() ? log_.events.back().step : log_.steps;
  WEFT_CHECK_LE(step_, last_step);
  const Quarters end = kStep * (last_step + 1);
  stop_running(end);
  for (uint32_t entity = 0; entity < blocked_.size(); ++entity) unblock(entity, end, "");
  WEFT_CHECK(!running_);
  if (!log_.truncated) counter(end, log_.end_virtual_time_ns);
  failure_marker();
  out_ += "\n],\n\"displayTimeUnit\":\"ns\",\n";
  other_data();
  out_ += "}\n";
  return std::move(out_);
}

}  // namespace

std::string chrome_trace_json(const EventLog& log, std::string_view title) {
  TraceWriter writer(log, title);
  return writer.write();
}

}  // namespace weft::sim
