// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: sim/trace/diagram.h
// -----------------------------------------------------------------------------
//
// interleaving_diagram() draws the end of one recorded execution (an
// EventLog) as plain ASCII for a terminal or a CI log: one column per thread
// or task, one row per step (see event_log.h: step 0 is the start, step k the
// k-th decision), the cell of the entity that ran saying what it did.
//
//    step | 0 "main"          | 1 "t1"             | 2 "t2"
//   ------+-------------------+--------------------+-------------------
//       0 | start, spawn 1    |                    |
//     ...
//       6 |                   |                    | [blocked: Mutex a]
//       7 | runs              |                    | :
//       8 | [blocked: join 1] |                    | :
//       9 | :                 | [blocked: Mutex b] | :                  << DEADLOCK
//
// A cell shows the operations of that step ("lock a", "unlock b",
// "notify_one cv", "x.load", "spawn 2", "start", "finish"), "runs" if the
// entity was picked and did nothing recorded, "[blocked: ...]" where it
// blocks ("[CondVar changed]" where the full text does not fit; a task's
// "[recv orders]", "[join 4]"; a loop's host "[in weft::run]"), ":" while it
// stays blocked, "timer fires" where its deadline wakes it. Earlier steps are summarised ("... 12
// earlier steps"); cells are cut at kDiagramCellMax characters (ending "~"); at most
// kDiagramColumnsMax columns are drawn: the failing entity, those still blocked at the end, then
// the most recently active, in id order; a footer names the others.
//
// Deterministic: the same log gives the same text.

#ifndef WEFT_SIM_TRACE_DIAGRAM_H_
#define WEFT_SIM_TRACE_DIAGRAM_H_

#include <cstddef>
#include <string>

#include "sim/trace/event_log.h"

namespace weft::sim {

inline constexpr size_t kDiagramCellMax = 20;
inline constexpr size_t kDiagramColumnsMax = 8;
inline constexpr size_t kDiagramStepsDefault = 30;

// The last `last_steps` steps of `log` (at least one), as text ending in '\n'.
std::string interleaving_diagram(const EventLog& log, size_t last_steps = kDiagramStepsDefault);

}  // namespace weft::sim

#endif  // WEFT_SIM_TRACE_DIAGRAM_H_
