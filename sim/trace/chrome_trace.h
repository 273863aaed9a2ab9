// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: sim/trace/chrome_trace.h
// -----------------------------------------------------------------------------
//
// chrome_trace_json() draws one recorded execution (an EventLog) as a Chrome
// trace-event JSON file, which ui.perfetto.dev and chrome://tracing open:
//
//   std::ofstream("weft-traces/bank.trace.json") << chrome_trace_json(log, "bank");
//
// What the file shows:
//  * One track per thread and per task: tid = entity id + 1 (some viewers
//    mistreat tid 0), named by a thread_name metadata event (`thread 1 "t1"`,
//    `task 4 "fetch"`); pid = the entity's process (1 for now), named `title`.
//  * "X" slices: "running" from the decision that picks an entity until the
//    next decision picks another one (or it blocks or finishes), and the
//    blocked intervals, named after what they wait for ("blocked: Mutex b",
//    "join thread 2", "sleep", "weft::run (loop 0)").
//  * "i" instants for each operation ("lock a", "unlock b", "notify_one cv",
//    "x.load", "spawn 2", ...) with args {kind, file, line, object, step,
//    virtual_time_ms}: the user's source line; kind is event_kind_name().
//  * The failure as a global instant ("s":"g") named "DEADLOCK: <message>",
//    with the message and details in its args.
//  * A "C" counter, "virtual time (ms)".
//
// The time axis counts decisions, not time: ts = step microseconds (step 0 is
// the start; the k-th decision is at k us), so the interleaving is visible even
// when virtual time never moves. Inside a step an entity first runs (its
// operations are at the step's start), then blocks or finishes at +0.5 us
// (+0.75 for a loop host that took over at +0.5 when its weft::run returned);
// a timer fires at the end of its step. Virtual time is in every event's args.
//
// Deterministic: the same log gives byte-identical JSON. Strings are escaped
// per RFC 8259; invalid UTF-8 bytes (a thread name is user data) become
// U+FFFD, so the output is always valid JSON.

#ifndef WEFT_SIM_TRACE_CHROME_TRACE_H_
#define WEFT_SIM_TRACE_CHROME_TRACE_H_

#include <string>
#include <string_view>

#include "sim/trace/event_log.h"

namespace weft::sim {

// The Chrome trace-event JSON of `log`; `title` names the process.
std::string chrome_trace_json(const EventLog& log, std::string_view title);

// Appends `text` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);

}  // namespace weft::sim

#endif  // WEFT_SIM_TRACE_CHROME_TRACE_H_
