// Copyright 2026 The weft Authors.
//
// Goal: an execution recorded into an EventLog is drawn truthfully, both as a
// Chrome trace (sim/trace/chrome_trace.h) and as an interleaving diagram
// (sim/trace/diagram.h), and recording changes nothing about the execution.
// Method: run real workloads (the catalogue's, threads and tasks, and small
// ones written here) through sim::Scheduler with a log; parse the JSON back
// with tests/common/json.h and check its structure (fields, one track name per
// entity, slices that never overlap) and its content against what the
// scheduler itself reports (the schedule, the failure, the user's source
// lines); compare the diagram of one deadlock with a golden string; run every
// catalogue workload with and without a log and compare hashes and steps.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "examples/workloads/catalogue.h"
#include "sim/scheduler/scheduler.h"
#include "sim/strategy/schedule_replay.h"
#include "sim/strategy/strategy.h"
#include "sim/trace/chrome_trace.h"
#include "sim/trace/diagram.h"
#include "sim/trace/event_log.h"
#include "tests/common/json.h"
#include "weft/weft.h"

namespace weft {
namespace {

using sim::EventKind;
using sim::EventLog;
using sim::ThreadId;
using ::testing::HasSubstr;
using testing::JsonValue;
using testing::parse_json;
using ::testing::StartsWith;

// ---- running workloads ----------------------------------------------------------

struct Recorded {
  EventLog log;
  std::vector<ThreadId> schedule;
  uint64_t steps = 0;
  uint64_t schedule_hash = 0;
  std::optional<Failure> failure;
};

// Runs `workload` once under `strategy` (begin_execution already called),
// recording into a log unless `record` is false.
std::unique_ptr<Recorded> run_with(sim::Strategy& strategy, void (*workload)(), bool record = true,
                                   uint64_t max_steps = sim::kStepsMaxDefault) {
  auto recorded = std::make_unique<Recorded>();
  sim::Scheduler scheduler(sim::SchedulerConfig{.max_steps = max_steps});
  if (record) scheduler.set_event_log(&recorded->log);
  const sim::ExecutionResult result = scheduler.run(strategy, workload);
  recorded->schedule = *result.schedule;
  recorded->steps = result.steps;
  recorded->schedule_hash = result.schedule_hash;
  recorded->failure = result.failure;
  return recorded;
}

std::unique_ptr<Recorded> run_token(const std::string& token, void (*workload)(),
                                    bool record = true) {
  const absl::StatusOr<ExecutionSpec> spec = decode_repro_token(token);
  WEFT_CHECK(spec.ok());
  std::unique_ptr<sim::Strategy> strategy = sim::make_replay_strategy(*spec);
  WEFT_CHECK(strategy->begin_execution(spec->execution));
  return run_with(*strategy, workload, record, spec->max_steps);
}

std::unique_ptr<Recorded> run_schedule(const std::vector<ThreadId>& schedule, void (*workload)()) {
  sim::ScheduleReplay strategy(schedule, /*data_seed=*/0);
  WEFT_CHECK(strategy.begin_execution(0));
  return run_with(strategy, workload);
}

std::string token_for(Strategy strategy, uint64_t seed, uint64_t execution) {
  ExecutionSpec spec;
  spec.strategy = strategy;
  spec.seed = seed;
  spec.execution = execution;
  spec.pct_steps_estimate = 30;
  return encode_repro_token(spec);
}

// The first PCT execution (seed 1) of `workload` that fails with `kind`.
std::string failing_token(void (*workload)(), FailureKind kind) {
  for (uint64_t execution = 0; execution < 2000; ++execution) {
    const std::string token = token_for(Strategy::kPct, 1, execution);
    if (const std::unique_ptr<Recorded> run = run_token(token, workload, /*record=*/false);
        run->failure && run->failure->kind == kind) {
      return token;
    }
  }
  ADD_FAILURE() << "no execution failed";
  return token_for(Strategy::kPct, 1, 0);
}

// The bank deadlock as the README shows it: t1 and t2 each hold their first
// account's lock and wait for the other's.
const std::vector<ThreadId> kBankDeadlockSchedule = {0, 1, 1, 2, 2, 2, 0, 0, 1};

// ---- reading the JSON back ------------------------------------------------------------

struct Slice {
  uint32_t entity = 0;  // tid - 1
  double start = 0;
  double end = 0;
  std::string name;
  const JsonValue* event = nullptr;
};

JsonValue parsed(const std::string& json) {
  absl::StatusOr<JsonValue> root = parse_json(json);
  EXPECT_TRUE(root.ok()) << root.status();
  return root.ok() ? *std::move(root) : JsonValue();
}

const std::vector<JsonValue>& trace_events(const JsonValue& root) {
  static const std::vector<JsonValue> kNone;
  const JsonValue* events = root.find("traceEvents");
  return events != nullptr && events->is_array() ? events->array() : kNone;
}

std::string phase(const JsonValue& event) { return event.at("ph").as_string(); }

uint32_t entity_of(const JsonValue& event) {
  return static_cast<uint32_t>(*event.at("tid").as_int() - 1);
}

// The "X" slices (all, or those named `name`), in ts order.
std::vector<Slice> slices(const JsonValue& root, std::optional<std::string> name = std::nullopt) {
  std::vector<Slice> out;
  for (const JsonValue& event : trace_events(root)) {
    if (phase(event) != "X") continue;
    if (name && event.at("name").as_string() != *name) continue;
    const double start = event.at("ts").as_number();
    out.push_back(Slice{entity_of(event), start, start + event.at("dur").as_number(),
                        event.at("name").as_string(), &event});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Slice& a, const Slice& b) { return a.start < b.start; });
  return out;
}

// Consecutive repeats merged: 0 1 1 2 2 0 -> 0 1 2 0.
std::vector<uint32_t> merged(const std::vector<uint32_t>& sequence) {
  std::vector<uint32_t> out;
  for (uint32_t id : sequence) {
    if (out.empty() || out.back() != id) out.push_back(id);
  }
  return out;
}

std::vector<uint32_t> running_sequence(const JsonValue& root) {
  std::vector<uint32_t> sequence;
  for (const Slice& slice : slices(root, "running")) sequence.push_back(slice.entity);
  return merged(sequence);
}

// Who ran at each step according to the scheduler: main at step 0, then the
// schedule.
std::vector<uint32_t> runner_by_step(const Recorded& run) {
  std::vector<uint32_t> runners = {0};
  runners.insert(runners.end(), run.schedule.begin(), run.schedule.end());
  return runners;
}

bool has_tasks(const EventLog& log) {
  return std::any_of(log.entities.begin(), log.entities.end(),
                     [](const sim::EntityInfo& entity) { return entity.is_task; });
}

uint64_t last_step(const EventLog& log) {
  return log.truncated && !log.events.empty() ? log.events.back().step : log.steps;
}

// Fields, track names and slices of a trace of `log`.
::testing::AssertionResult well_formed(const JsonValue& root, const EventLog& log) {
  if (!root.is_object() || !root.has("traceEvents") || !root.at("traceEvents").is_array()) {
    return ::testing::AssertionFailure() << "no traceEvents array";
  }
  if (!root.has("displayTimeUnit") || !root.has("otherData") || !root.at("otherData").is_object()) {
    return ::testing::AssertionFailure() << "no displayTimeUnit or otherData";
  }
  // Slices end with the last recorded step; instants (the failure) may come
  // after it if the log was truncated.
  const double end = static_cast<double>(last_step(log) + 1);
  const double instants_end = static_cast<double>(log.steps + 1);
  std::map<uint32_t, std::vector<std::string>> names;
  for (const JsonValue& event : trace_events(root)) {
    for (const char* key : {"ph", "name", "pid", "tid"}) {
      if (!event.has(key)) return ::testing::AssertionFailure() << "an event without " << key;
    }
    if (!event.at("ph").is_string() || !event.at("pid").is_number() ||
        !event.at("tid").is_number() || !event.at("tid").as_int()) {
      return ::testing::AssertionFailure() << "bad ph, pid or tid";
    }
    const std::string ph = phase(event);
    if (ph == "M") {
      if (event.at("name").as_string() == "thread_name") {
        names[entity_of(event)].push_back(event.at("args").at("name").as_string());
      }
      continue;
    }
    if (!event.has("ts") || !event.at("ts").is_number()) {
      return ::testing::AssertionFailure() << "an event without ts";
    }
    const double ts = event.at("ts").as_number();
    if (ts < 0 || ts > instants_end) {
      return ::testing::AssertionFailure() << "ts " << ts << " past " << instants_end;
    }
    if (ph == "X" && (!event.has("dur") || event.at("dur").as_number() <= 0)) {
      return ::testing::AssertionFailure() << "an X slice without a positive dur";
    }
    if (ph == "i" && !event.has("s"))
      return ::testing::AssertionFailure() << "an instant without s";
    if (ph != "X" && ph != "i" && ph != "C") {
      return ::testing::AssertionFailure() << "unexpected ph " << ph;
    }
  }
  if (names.size() != log.entities.size()) {
    return ::testing::AssertionFailure()
           << names.size() << " named tracks for " << log.entities.size() << " entities";
  }
  for (const auto& [entity, labels] : names) {
    if (entity >= log.entities.size() || labels.size() != 1) {
      return ::testing::AssertionFailure() << "track " << entity + 1 << " named more than once";
    }
    // The label as JSON carries it (invalid UTF-8 replaced).
    std::string quoted;
    sim::append_json_string(quoted, log.entity_label(entity));
    if (labels[0] != parse_json(quoted)->as_string()) {
      return ::testing::AssertionFailure() << "track " << entity + 1 << " named " << labels[0];
    }
  }
  std::map<uint32_t, double> busy_until;
  for (const Slice& slice : slices(root)) {
    if (slice.end > end) {
      return ::testing::AssertionFailure()
             << slice.name << " ends at " << slice.end << " > " << end;
    }
    if (busy_until.contains(slice.entity) && slice.start < busy_until[slice.entity]) {
      return ::testing::AssertionFailure()
             << slice.name << " of entity " << slice.entity << " overlaps at " << slice.start;
    }
    busy_until[slice.entity] = slice.end;
  }
  return ::testing::AssertionSuccess();
}

// ---- small workloads written here ------------------------------------------------

// The lines of ordered_pair()'s calls, as the calls themselves saw them.
struct PairLines {
  int lock_a = 0;
  int lock_b = 0;
  int unlock_b = 0;
  int unlock_a = 0;
};
PairLines pair_lines;

int lock_at(Mutex& mutex, std::source_location where = std::source_location::current()) {
  mutex.lock(where);
  return static_cast<int>(where.line());
}

int unlock_at(Mutex& mutex, std::source_location where = std::source_location::current()) {
  mutex.unlock(where);
  return static_cast<int>(where.line());
}

// Two threads take a then b (no deadlock); one may wait for the other.
void ordered_pair() {
  Mutex a{"a"};
  Mutex b{"b"};
  auto body = [&] {
    pair_lines.lock_a = lock_at(a);
    pair_lines.lock_b = lock_at(b);
    pair_lines.unlock_b = unlock_at(b);
    pair_lines.unlock_a = unlock_at(a);
  };
  Thread t1("t1", body);
  Thread t2("t2", body);
  t1.join();
  t2.join();
}

// Ten threads wait at a gate, then take turns on one mutex; then main
// asserts: many columns, many steps, a failure at the end.
void crowd() {
  Mutex mutex{"m"};
  CondVar gate{"gate"};
  bool open = false;
  Atomic<int> count{0, "count"};
  std::vector<Thread> threads;
  for (int index = 0; index < 10; ++index) {
    threads.emplace_back(absl::StrCat("w", index), [&] {
      std::unique_lock lock(mutex);
      while (!open) gate.wait(lock);
      count.fetch_add(1);
    });
  }
  {
    std::scoped_lock lock(mutex);
    open = true;
    gate.notify_all();
  }
  for (Thread& thread : threads) thread.join();
  WEFT_ASSERT(count.load() != 10, "everyone came");
}

// A thread whose name needs escaping in JSON and cleaning in a diagram.
const char kAwkwardName[] = "q\"b\\s\n\t\x01 \xc3\xa9 \xe2\x98\x83 \xff";

void awkward_name() {
  Thread thread(kAwkwardName, [] { yield(); });
  thread.join();
}

// A sleep of 5 ms, then a condition-variable wait of 3 ms nobody ends.
void sleepy() {
  Semaphore ready{0, "ready"};
  CondVar condvar{"cv"};
  Mutex mutex{"m"};
  Thread sleeper("sleeper", [&] {
    sleep_for(std::chrono::milliseconds(5));
    ready.release();
  });
  ready.acquire();
  {
    std::unique_lock lock(mutex);
    condvar.wait_for(lock, std::chrono::milliseconds(3));
  }
  sleeper.join();
}

// One of each operation the log records, by a thread that cannot lock m.
void every_operation() {
  Mutex mutex{"m"};
  SharedMutex shared{"rw"};
  CondVar condvar{"cv"};
  Semaphore semaphore{1, "sem"};
  Atomic<int> value{0, "x"};
  mutex.lock();
  Thread other("other", [&] {
    WEFT_ASSERT(!mutex.try_lock());
    shared.lock_shared();
    shared.unlock_shared();
    WEFT_ASSERT(shared.try_lock());
    shared.unlock();
    semaphore.acquire();
    semaphore.release();
    value.store(1);
    value.fetch_add(1);
    WEFT_ASSERT(value.load() == 2);
    condvar.notify_one();
    condvar.notify_all();
    yield();
  });
  other.join();
  mutex.unlock();
}

// ---- the JSON parser (tests/common/json.h) ----------------------------------------

TEST(TestJson, ParsesValidDocuments) {
  const absl::StatusOr<JsonValue> value = parse_json(
      R"( {"a": [1, -0.5, 2e3, true, false, null], "s": "q\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00",
          "n": {}, "e": []} )");
  ASSERT_TRUE(value.ok()) << value.status();
  const std::vector<JsonValue>& items = value->at("a").array();
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].as_int(), 1);
  EXPECT_EQ(items[1].as_number(), -0.5);
  EXPECT_FALSE(items[1].as_int().has_value());
  EXPECT_EQ(items[2].as_number(), 2000);
  EXPECT_TRUE(items[3].as_bool());
  EXPECT_FALSE(items[4].as_bool());
  EXPECT_TRUE(items[5].is_null());
  EXPECT_EQ(value->at("s").as_string(), "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_TRUE(value->at("n").members().empty());
  EXPECT_TRUE(value->at("e").array().empty());
}

TEST(TestJson, RejectsWhatIsNotStrictJson) {
  for (const char* text : {"",
                           "[1,]",
                           "{\"a\":1,}",
                           "01",
                           "-",
                           "1.",
                           "1e",
                           "+1",
                           "[1] 2",
                           "{\"a\" 1}",
                           "{a:1}",
                           "\"\\x\"",
                           "\"\\ud800\"",
                           "\"\\udc00\"",
                           "\"a\nb\"",
                           "\"\xff\"",
                           "\"\xc0\xaf\"",
                           "\"\xed\xa0\x80\"",
                           "{\"a\":1,\"a\":2}",
                           "tru",
                           "[1 2]",
                           "'a'",
                           "NaN",
                           "\"abc"}) {
    EXPECT_FALSE(parse_json(text).ok()) << "accepted: " << text;
  }
  EXPECT_FALSE(parse_json(std::string(300, '[') + std::string(300, ']')).ok());
  EXPECT_TRUE(parse_json(std::string(100, '[') + std::string(100, ']')).ok());
}

// ---- Chrome trace: strings -----------------------------------------------------------

TEST(ChromeTrace, EscapesStringsAndReplacesInvalidUtf8) {
  const std::string text = std::string("q\"b\\s/\n\r\t\b\f\x01\x1f\x7f \xc3\xa9 \xf0\x9f\x98\x80");
  std::string quoted;
  sim::append_json_string(quoted, text);
  EXPECT_EQ(quoted.find('\n'), std::string::npos);
  absl::StatusOr<JsonValue> back = parse_json(quoted);
  ASSERT_TRUE(back.ok()) << back.status() << " in " << quoted;
  EXPECT_EQ(back->as_string(), text);

  std::string invalid;
  sim::append_json_string(invalid,
                          "a\xff"
                          "b\xc0\xaf"
                          "c\xed\xa0\x80"
                          "d\xe2\x98");
  back = parse_json(invalid);
  ASSERT_TRUE(back.ok()) << back.status();
  const std::string replacement = "\xef\xbf\xbd";
  EXPECT_EQ(back->as_string(), "a" + replacement + "b" + replacement + replacement + "c" +
                                   replacement + replacement + replacement + "d" + replacement +
                                   replacement);
}

TEST(ChromeTrace, ThreadNamesAndTitleAreEscaped) {
  const std::unique_ptr<Recorded> run = run_schedule({0, 1, 1, 1, 0, 0, 0}, &awkward_name);
  const JsonValue root = parsed(sim::chrome_trace_json(run->log, "a \"title\"\n"));
  EXPECT_TRUE(well_formed(root, run->log));
  std::string expected_name = "thread 1 \"";
  expected_name += std::string(kAwkwardName, sizeof(kAwkwardName) - 2);  // Without \xff.
  expected_name += "\xef\xbf\xbd\"";
  std::vector<std::string> names;
  for (const JsonValue& event : trace_events(root)) {
    if (event.at("name").as_string() == "thread_name") {
      names.push_back(event.at("args").at("name").as_string());
    }
    if (event.at("name").as_string() == "process_name") {
      EXPECT_EQ(event.at("args").at("name").as_string(), "a \"title\"\n");
    }
  }
  EXPECT_THAT(names, ::testing::ElementsAre("thread 0 \"main\"", expected_name));
  EXPECT_EQ(root.at("otherData").at("title").as_string(), "a \"title\"\n");
  // The diagram keeps its rows: no control character reaches it.
  const std::string diagram = sim::interleaving_diagram(run->log);
  EXPECT_THAT(diagram, HasSubstr("1 \"q\"b\\s??? \xc3\xa9 \xe2\x98\x83 ?\""));
  for (char c : diagram) EXPECT_TRUE(c == '\n' || static_cast<unsigned char>(c) >= 0x20);
}

// ---- Chrome trace: structure and content ------------------------------------------------

TEST(ChromeTrace, EveryOperationIsAnInstantWithTheUsersLine) {
  const std::unique_ptr<Recorded> run =
      run_token(token_for(Strategy::kRandom, 1, 0), &every_operation);
  ASSERT_FALSE(run->failure.has_value()) << run->failure->message;
  const JsonValue root = parsed(sim::chrome_trace_json(run->log, "every operation"));
  ASSERT_TRUE(well_formed(root, run->log));
  std::map<std::string, const JsonValue*> instants;
  for (const JsonValue& event : trace_events(root)) {
    if (phase(event) == "i") instants[event.at("name").as_string()] = &event;
  }
  for (const char* name :
       {"lock m", "try_lock m: busy", "lock_shared rw", "unlock_shared rw", "try_lock rw",
        "unlock rw", "acquire sem", "release sem", "x.store", "x.rmw", "x.load", "notify_one cv",
        "notify_all cv", "yield", "spawn 1", "join 1", "unlock m"}) {
    ASSERT_TRUE(instants.contains(name)) << name;
    const JsonValue& args = instants[name]->at("args");
    EXPECT_EQ(args.at("file").as_string(), "tests/sim/trace_test.cc") << name;
    EXPECT_GT(*args.at("line").as_int(), 0) << name;
  }
  EXPECT_TRUE(instants.contains("start"));
  EXPECT_TRUE(instants.contains("finish"));
  EXPECT_EQ(instants["try_lock m: busy"]->at("args").at("object").as_string(), "Mutex m");
  EXPECT_EQ(instants["x.rmw"]->at("args").at("object").as_string(), "Atomic x");
}

TEST(ChromeTrace, AnEmptyLogGivesAnEmptyTrace) {
  const EventLog log;
  const JsonValue root = parsed(sim::chrome_trace_json(log, "nothing"));
  EXPECT_TRUE(well_formed(root, log));
  EXPECT_EQ(sim::interleaving_diagram(log), "(no execution recorded)\n");
}

// Every catalogue workload, buggy and fixed, a few seeds of both strategies:
// the JSON parses, has its fields and one named track per entity, slices never
// overlap or outlast the execution, and the running slices follow the
// schedule.
TEST(ChromeTrace, EveryCatalogueRunIsWellFormedAndFollowsTheSchedule) {
  int runs = 0;
  for (const examples::Workload& workload : examples::catalogue()) {
    for (void (*body)() : {workload.buggy, workload.fixed}) {
      for (uint64_t seed = 1; seed <= 4; ++seed) {
        const Strategy strategy = seed % 2 == 0 ? Strategy::kPct : Strategy::kRandom;
        const std::string token = token_for(strategy, seed, seed * 3);
        const std::unique_ptr<Recorded> run = run_token(token, body);
        const std::string what = std::string(workload.name) + " " + token;
        const JsonValue root = parsed(sim::chrome_trace_json(run->log, workload.name));
        ASSERT_TRUE(well_formed(root, run->log)) << what;
        // What ran, in ts order: the scheduler's picks (and the runs without
        // a decision: main's start, a host whose weft::run returned).
        std::vector<uint32_t> runs_in_log;
        for (const sim::Event& event : run->log.events) {
          if (event.kind == EventKind::kPicked || event.kind == EventKind::kResumed) {
            runs_in_log.push_back(event.entity);
          }
        }
        EXPECT_EQ(running_sequence(root), merged(runs_in_log)) << what;
        if (!has_tasks(run->log)) {
          EXPECT_EQ(running_sequence(root), merged(runner_by_step(*run))) << what;
        }
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 40);
}

// Each run of consecutive steps of one thread in the schedule starts a
// running slice of that thread at the run's first step.
TEST(ChromeTrace, RunningSlicesStartAtTheDecisionsThatPickTheirThread) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const std::unique_ptr<Recorded> run =
        run_token(token_for(Strategy::kRandom, seed, 0), &examples::philosophers_fixed);
    const JsonValue root = parsed(sim::chrome_trace_json(run->log, "philosophers"));
    ASSERT_TRUE(well_formed(root, run->log));
    std::map<std::pair<uint32_t, double>, int> starts;
    for (const Slice& slice : slices(root, "running")) ++starts[{slice.entity, slice.start}];
    const std::vector<uint32_t> runners = runner_by_step(*run);
    for (size_t step = 0; step < runners.size(); ++step) {
      if (step > 0 && runners[step] == runners[step - 1]) continue;
      const std::pair<uint32_t, double> start(runners[step], static_cast<double>(step));
      EXPECT_EQ(starts[start], 1) << "seed " << seed << " step " << step;
    }
  }
}

// Lock and unlock instants: on the track of the thread that ran that step,
// at that step, with the line of the user's call.
TEST(ChromeTrace, LockInstantsCarryTheStepTrackAndUsersLine) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const std::unique_ptr<Recorded> run =
        run_token(token_for(Strategy::kRandom, seed, 0), &ordered_pair);
    ASSERT_FALSE(run->failure.has_value());
    const JsonValue root = parsed(sim::chrome_trace_json(run->log, "pair"));
    ASSERT_TRUE(well_formed(root, run->log));
    const std::map<std::string, int> lines = {{"lock a", pair_lines.lock_a},
                                              {"lock b", pair_lines.lock_b},
                                              {"unlock b", pair_lines.unlock_b},
                                              {"unlock a", pair_lines.unlock_a}};
    const std::vector<uint32_t> runners = runner_by_step(*run);
    std::map<std::string, int> count;
    for (const JsonValue& event : trace_events(root)) {
      const std::string name = event.at("name").as_string();
      if (phase(event) != "i" || !lines.contains(name)) continue;
      ++count[name];
      const JsonValue& args = event.at("args");
      EXPECT_EQ(args.at("file").as_string(), "tests/sim/trace_test.cc");
      EXPECT_EQ(args.at("line").as_int(), lines.at(name)) << name;
      EXPECT_EQ(args.at("object").as_string(),
                absl::StrCat("Mutex ", name.substr(name.find(' ') + 1)));
      const double ts = event.at("ts").as_number();
      ASSERT_EQ(ts, std::floor(ts));
      const auto step = static_cast<size_t>(ts);
      EXPECT_EQ(args.at("step").as_int(), static_cast<int64_t>(step));
      ASSERT_LT(step, runners.size());
      EXPECT_EQ(entity_of(event), runners[step]) << name << " at step " << step;
    }
    for (const auto& [name, line] : lines) EXPECT_EQ(count[name], 2) << name << " seed " << seed;
    // A thread that waited for a lock: its blocked slice names the mutex and
    // the line of the lock call it waits in.
    for (const Slice& slice : slices(root)) {
      if (!slice.name.starts_with("blocked: Mutex ")) continue;
      EXPECT_EQ(slice.event->at("args").at("line").as_int(),
                slice.name == "blocked: Mutex a" ? pair_lines.lock_a : pair_lines.lock_b);
    }
  }
}

TEST(ChromeTrace, FailureIsAGlobalInstantAtTheFailingStep) {
  struct Case {
    void (*workload)();
    FailureKind kind;
    std::string prefix;
  };
  for (const Case& test_case :
       {Case{&examples::bank_deadlock, FailureKind::kDeadlock, "DEADLOCK: "},
        Case{&examples::lost_update_buggy, FailureKind::kAssertion, "ASSERTION FAILED: "},
        Case{&examples::channel_cycle_deadlock, FailureKind::kDeadlock, "DEADLOCK: "}}) {
    const std::unique_ptr<Recorded> run =
        run_token(failing_token(test_case.workload, test_case.kind), test_case.workload);
    ASSERT_TRUE(run->failure.has_value());
    const JsonValue root = parsed(sim::chrome_trace_json(run->log, "failing"));
    ASSERT_TRUE(well_formed(root, run->log));
    std::vector<const JsonValue*> global;
    for (const JsonValue& event : trace_events(root)) {
      if (event.has("s") && event.at("s").as_string() == "g") global.push_back(&event);
    }
    ASSERT_EQ(global.size(), 1u);
    const JsonValue& marker = *global[0];
    EXPECT_THAT(marker.at("name").as_string(), StartsWith(test_case.prefix));
    EXPECT_EQ(std::floor(marker.at("ts").as_number()), static_cast<double>(run->failure->step));
    EXPECT_EQ(marker.at("args").at("message").as_string(), run->failure->message);
    EXPECT_EQ(marker.at("args").at("step").as_int(), static_cast<int64_t>(run->failure->step));
    if (!run->failure->details.empty()) {
      EXPECT_EQ(marker.at("args").at("details").as_string(), run->failure->details);
    }
    EXPECT_EQ(root.at("otherData").at("failure").as_string(),
              std::string(failure_kind_name(test_case.kind)));
    // The failure is the last event recorded.
    ASSERT_FALSE(run->log.events.empty());
    EXPECT_EQ(run->log.events.back().kind, EventKind::kFailure);
    EXPECT_EQ(run->log.events.back().step, run->failure->step);
  }
}

// The bank deadlock: each thread holds its first account's lock (at the
// line the report names) and is blocked on the other's.
TEST(ChromeTrace, BankDeadlockShowsHeldLocksAndBlockedSlices) {
  const std::unique_ptr<Recorded> run =
      run_schedule(kBankDeadlockSchedule, &examples::bank_deadlock);
  ASSERT_TRUE(run->failure.has_value());
  ASSERT_EQ(run->failure->kind, FailureKind::kDeadlock);
  EXPECT_EQ(run->schedule, kBankDeadlockSchedule);
  const JsonValue root = parsed(sim::chrome_trace_json(run->log, "bank"));
  ASSERT_TRUE(well_formed(root, run->log));
  // "thread 1 "t1" holds Mutex a (examples/workloads/bank.cc:23), waits for Mutex b (...:24)"
  const std::string& details = run->failure->details;
  ASSERT_THAT(details, HasSubstr("holds Mutex a (examples/workloads/bank.cc:"));
  auto line_after = [&](const std::string& prefix) {
    const size_t at = details.find(prefix);
    EXPECT_NE(at, std::string::npos) << prefix;
    return std::stoi(details.substr(at + prefix.size()));
  };
  const int held_line = line_after("holds Mutex a (examples/workloads/bank.cc:");
  const int wait_line = line_after("waits for Mutex b (examples/workloads/bank.cc:");
  bool saw_lock = false;
  for (const JsonValue& event : trace_events(root)) {
    if (phase(event) == "i" && event.at("name").as_string() == "lock a") {
      EXPECT_EQ(entity_of(event), 1u);
      EXPECT_EQ(event.at("ts").as_number(), 3);
      EXPECT_EQ(event.at("args").at("line").as_int(), held_line);
      saw_lock = true;
    }
  }
  EXPECT_TRUE(saw_lock);
  bool saw_blocked = false;
  for (const Slice& slice : slices(root)) {
    if (slice.name != "blocked: Mutex b") continue;
    EXPECT_EQ(slice.entity, 1u);
    EXPECT_EQ(slice.event->at("args").at("line").as_int(), wait_line);
    EXPECT_EQ(slice.end, 10);  // To the end: step 9 + 1.
    saw_blocked = true;
  }
  EXPECT_TRUE(saw_blocked);
  std::vector<std::string> main_slices;
  for (const Slice& slice : slices(root)) {
    if (slice.entity == 0) main_slices.push_back(slice.name);
  }
  EXPECT_THAT(main_slices, ::testing::ElementsAre("running", "running", "join thread 1 \"t1\""));
}

TEST(ChromeTrace, TaskWorkloadsHaveTaskTracks) {
  for (void (*workload)() :
       {&examples::channel_cycle_deadlock, &examples::async_lock_order_deadlock,
        &examples::lost_last_message_fixed, &examples::timeout_half_update_fixed}) {
    const std::unique_ptr<Recorded> run = run_token(token_for(Strategy::kPct, 3, 1), workload);
    ASSERT_TRUE(has_tasks(run->log));
    const JsonValue root = parsed(sim::chrome_trace_json(run->log, "tasks"));
    ASSERT_TRUE(well_formed(root, run->log));
    int task_tracks = 0;
    for (const JsonValue& event : trace_events(root)) {
      if (event.at("name").as_string() == "thread_name" &&
          event.at("args").at("name").as_string().starts_with("task ")) {
        EXPECT_TRUE(run->log.entities[entity_of(event)].is_task);
        ++task_tracks;
      }
    }
    EXPECT_GE(task_tracks, 2);
    int task_running = 0;
    int task_blocked = 0;
    for (const Slice& slice : slices(root)) {
      if (!run->log.entities[slice.entity].is_task) continue;
      ++(slice.name == "running" ? task_running : task_blocked);
    }
    EXPECT_GE(task_running, 2);
    EXPECT_GE(task_blocked, 1);
  }
}

TEST(ChromeTrace, VirtualTimeIsACounterAndInTheArgs) {
  const std::unique_ptr<Recorded> run = run_token(token_for(Strategy::kRandom, 1, 0), &sleepy);
  ASSERT_FALSE(run->failure.has_value()) << run->failure->message;
  const JsonValue root = parsed(sim::chrome_trace_json(run->log, "sleepy"));
  ASSERT_TRUE(well_formed(root, run->log));
  std::vector<std::string> counter;
  bool sleep_slice = false;
  bool timed_out_wait = false;
  for (const JsonValue& event : trace_events(root)) {
    if (phase(event) == "C") {
      EXPECT_EQ(event.at("name").as_string(), "virtual time (ms)");
      counter.push_back(event.at("args").at("ms").number_text());
    }
    if (phase(event) == "X" && event.at("name").as_string() == "sleep") sleep_slice = true;
    if (phase(event) == "X" && event.at("name").as_string() == "blocked: CondVar cv") {
      EXPECT_EQ(event.at("args").at("woken_by").as_string(), "timer");
      EXPECT_EQ(event.at("args").at("virtual_time_ms").number_text(), "5");
      timed_out_wait = true;
    }
    if (phase(event) != "M" && phase(event) != "C" && event.at("args").has("step")) {
      EXPECT_TRUE(event.at("args").has("virtual_time_ms")) << event.at("name").as_string();
    }
  }
  EXPECT_TRUE(sleep_slice);
  EXPECT_TRUE(timed_out_wait);
  EXPECT_THAT(counter, ::testing::ElementsAre("0", "5", "8"));
  EXPECT_EQ(root.at("otherData").at("virtual_time_ms").number_text(), "8");
}

// ---- the interleaving diagram ------------------------------------------------------------

TEST(Diagram, BankDeadlockGolden) {
  const std::unique_ptr<Recorded> run =
      run_schedule(kBankDeadlockSchedule, &examples::bank_deadlock);
  EXPECT_EQ(sim::interleaving_diagram(run->log),
            R"(step | 0 "main"          | 1 "t1"             | 2 "t2"
-----+-------------------+--------------------+--------------------
   0 | start, spawn 1    |                    |
   1 | spawn 2           |                    |
   2 |                   | start              |
   3 |                   | lock a             |
   4 |                   |                    | start
   5 |                   |                    | lock b
   6 |                   |                    | [blocked: Mutex a]
   7 | runs              |                    | :
   8 | [blocked: join 1] |                    | :
   9 | :                 | [blocked: Mutex b] | :                   << DEADLOCK
)");
}

std::vector<std::string> lines_of(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

TEST(Diagram, ShowsTheLastStepsAtMostEightColumnsAndTheFailureRow) {
  const std::unique_ptr<Recorded> run = run_token(token_for(Strategy::kRandom, 2, 0), &crowd);
  ASSERT_TRUE(run->failure.has_value());
  ASSERT_GT(run->steps, 40u);
  const std::string diagram = sim::interleaving_diagram(run->log);
  std::vector<std::string> lines = lines_of(diagram);
  if (lines.back().starts_with("(")) lines.pop_back();  // Entities not shown.
  // Header, rule, "... N earlier steps", 30 rows.
  ASSERT_EQ(lines.size(), 33u) << diagram;
  EXPECT_THAT(lines[2], HasSubstr(absl::StrCat("... ", run->steps + 1 - 30, " earlier steps")));
  for (size_t row = 0; row < 30; ++row) {
    const std::string& line = lines[3 + row];
    EXPECT_EQ(std::stoull(line), run->steps - 29 + row) << line;
    const std::vector<std::string> cells = absl::StrSplit(line, " | ");
    for (size_t cell = 1; cell < cells.size(); ++cell) {
      std::string text = cells[cell];
      if (const size_t note = text.find("  "); note != std::string::npos) text.resize(note);
      EXPECT_LE(text.size(), sim::kDiagramCellMax) << line;
    }
  }
  EXPECT_THAT(lines[32], HasSubstr("<< ASSERTION FAILED"));
  EXPECT_THAT(lines[0], HasSubstr("0 \"main\""));  // The failing thread is a column.

  // Every step: all eleven threads were active; eight columns, three not shown.
  const std::vector<std::string> all = lines_of(sim::interleaving_diagram(run->log, 1000));
  EXPECT_EQ(std::count(all[0].begin(), all[0].end(), '|'), 8) << all[0];
  EXPECT_THAT(all.back(), ::testing::MatchesRegex(R"(\(3 more not shown: .*\))"));
  EXPECT_EQ(all.size(), 2u + (run->steps + 1) + 1u);

  const std::vector<std::string> short_lines = lines_of(sim::interleaving_diagram(run->log, 5));
  EXPECT_EQ(short_lines.size() - (short_lines.back().starts_with("(") ? 1 : 0), 2u + 1u + 5u);
}

TEST(Diagram, BlockedEntitiesAreMarkedUntilTheyRun) {
  const std::unique_ptr<Recorded> run =
      run_token(failing_token(&examples::philosophers_deadlock, FailureKind::kDeadlock),
                &examples::philosophers_deadlock);
  const std::string diagram = sim::interleaving_diagram(run->log, 1000);
  const std::vector<std::string> lines = lines_of(diagram);
  ASSERT_GE(lines.size(), 3u);
  const std::string& last = lines.back();
  EXPECT_THAT(last, HasSubstr("<< DEADLOCK"));
  // Each column of the last row: blocked there ("[Mutex fork 2]", the full
  // "[blocked: Mutex fork 2]" being too wide) or before (":").
  const std::vector<std::string> cells = absl::StrSplit(last.substr(0, last.find("  <<")), " | ");
  ASSERT_GE(cells.size(), 3u);
  for (size_t cell = 1; cell < cells.size(); ++cell) {
    const std::string text(absl::StripTrailingAsciiWhitespace(cells[cell]));
    EXPECT_TRUE(text == ":" || text.starts_with("[Mutex fork ") || text == "[blocked: join 1]")
        << diagram;
  }
  // A column still blocked at the end shows ":" in every row since the one
  // where it blocked.
  for (size_t cell = 1; cell < cells.size(); ++cell) {
    size_t row = lines.size() - 1;
    auto text_at = [&](size_t line) {
      const std::vector<std::string> row_cells = absl::StrSplit(lines[line], " | ");
      return std::string(absl::StripTrailingAsciiWhitespace(row_cells[cell]));
    };
    if (!text_at(row).starts_with(":")) continue;
    while (row > 2 && text_at(row).starts_with(":")) --row;
    EXPECT_TRUE(text_at(row).starts_with("[")) << "column " << cell << "\n" << diagram;
  }
}

// ---- recording changes nothing; determinism; limits -----------------------------------------

TEST(Recording, OnAndOffGiveTheSameExecution) {
  for (const examples::Workload& workload : examples::catalogue()) {
    for (void (*body)() : {workload.buggy, workload.fixed}) {
      for (uint64_t seed = 1; seed <= 3; ++seed) {
        const Strategy strategy = seed == 2 ? Strategy::kPct : Strategy::kRandom;
        const std::string token = token_for(strategy, seed, seed);
        const std::unique_ptr<Recorded> off = run_token(token, body, /*record=*/false);
        const std::unique_ptr<Recorded> on = run_token(token, body, /*record=*/true);
        const std::string what = std::string(workload.name) + " " + token;
        EXPECT_EQ(on->schedule_hash, off->schedule_hash) << what;
        EXPECT_EQ(on->steps, off->steps) << what;
        EXPECT_EQ(on->schedule, off->schedule) << what;
        ASSERT_EQ(on->failure.has_value(), off->failure.has_value()) << what;
        if (on->failure) {
          EXPECT_EQ(on->failure->message, off->failure->message) << what;
          EXPECT_EQ(on->failure->step, off->failure->step) << what;
        }
        // The log agrees with the scheduler.
        EXPECT_EQ(on->log.steps, on->steps) << what;
        EXPECT_EQ(on->log.schedule_hash, on->schedule_hash) << what;
        std::vector<ThreadId> picks;
        for (const sim::Event& event : on->log.events) {
          if (event.kind == EventKind::kPicked) {
            picks.push_back(event.entity);
            EXPECT_EQ(event.step, picks.size()) << what;
          }
        }
        EXPECT_EQ(picks, on->schedule) << what;
      }
    }
  }
}

void spin_forever() {
  Atomic<bool> never{false, "never"};
  Thread spinner("spinner", [&] {
    while (!never.load()) yield();
  });
  spinner.join();
}

TEST(Recording, StepLimitIsRecordedToo) {
  ExecutionSpec spec;
  spec.strategy = Strategy::kRandom;
  spec.max_steps = 500;
  const std::unique_ptr<Recorded> run = run_token(encode_repro_token(spec), &spin_forever);
  ASSERT_TRUE(run->failure.has_value());
  ASSERT_EQ(run->failure->kind, FailureKind::kStepLimit);
  EXPECT_EQ(run->log.steps, 500u);
  ASSERT_FALSE(run->log.events.empty());
  EXPECT_EQ(run->log.events.back().kind, EventKind::kFailure);
  const JsonValue root = parsed(sim::chrome_trace_json(run->log, "spin"));
  EXPECT_TRUE(well_formed(root, run->log));
  const std::vector<std::string> lines = lines_of(sim::interleaving_diagram(run->log));
  EXPECT_THAT(lines.back(), HasSubstr("<< STEP LIMIT EXCEEDED"));
  EXPECT_THAT(lines.back(), StartsWith(" 500 |"));
}

TEST(Determinism, TheSameTokenGivesByteIdenticalJsonAndDiagram) {
  for (void (*workload)() : {&examples::bank_deadlock, &examples::channel_cycle_deadlock,
                             &examples::bounded_buffer_buggy, &sleepy}) {
    const std::string token = token_for(Strategy::kPct, 7, 2);
    const std::unique_ptr<Recorded> first = run_token(token, workload);
    const std::unique_ptr<Recorded> second = run_token(token, workload);
    EXPECT_EQ(sim::chrome_trace_json(first->log, "x"), sim::chrome_trace_json(second->log, "x"));
    EXPECT_EQ(sim::interleaving_diagram(first->log), sim::interleaving_diagram(second->log));
  }
  // One scheduler and one log, reused: each run starts the log afresh.
  const absl::StatusOr<ExecutionSpec> spec = decode_repro_token(token_for(Strategy::kRandom, 5, 1));
  ASSERT_TRUE(spec.ok());
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  EventLog log;
  scheduler.set_event_log(&log);
  std::vector<std::string> traces;
  for (int round = 0; round < 3; ++round) {
    std::unique_ptr<sim::Strategy> strategy = sim::make_replay_strategy(*spec);
    ASSERT_TRUE(strategy->begin_execution(spec->execution));
    scheduler.run(*strategy, &examples::philosophers_fixed);
    traces.push_back(sim::chrome_trace_json(log, "philosophers"));
  }
  EXPECT_EQ(traces[0], traces[1]);
  EXPECT_EQ(traces[0], traces[2]);
}

TEST(EventLog, StopsRecordingAtItsLimitAndSaysSo) {
  auto strategy =
      sim::make_replay_strategy(*decode_repro_token(token_for(Strategy::kRandom, 1, 0)));
  ASSERT_TRUE(strategy->begin_execution(0));
  sim::Scheduler scheduler(sim::SchedulerConfig{});
  EventLog log;
  log.events_max = 60;
  scheduler.set_event_log(&log);
  const sim::ExecutionResult result = scheduler.run(*strategy, &crowd);
  ASSERT_TRUE(result.failure.has_value());
  EXPECT_EQ(log.events.size(), 60u);
  EXPECT_TRUE(log.truncated);
  EXPECT_GT(log.events_dropped, 0u);
  EXPECT_EQ(log.steps, result.steps);
  ASSERT_TRUE(log.failure.has_value());  // Kept whole.
  EXPECT_EQ(log.entities.size(), 11u);
  const JsonValue root = parsed(sim::chrome_trace_json(log, "crowd"));
  EXPECT_TRUE(well_formed(root, log));
  EXPECT_TRUE(root.at("otherData").at("truncated").as_bool());
  EXPECT_THAT(sim::interleaving_diagram(log),
              HasSubstr(absl::StrCat("truncated at 60 events: the execution went on to step ",
                                     result.steps, " and failed there (ASSERTION FAILED)")));
}

}  // namespace
}  // namespace weft
