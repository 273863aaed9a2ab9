// Copyright 2026 The weft Authors.
//
// -----------------------------------------------------------------------------
// File: run_real.h
// -----------------------------------------------------------------------------
//
// weft::run_real() runs a workload once on the real runtime: OS threads, OS
// locks, the steady clock. It is the production-like twin of weft::explore():
// the same workload source, no simulator.
//
//   weft::Report report = weft::run_real(bank_workload);
//   if (!report.ok()) std::cerr << report.to_string();
//
// Failures it reports: a WEFT_ASSERT that failed or an exception that escaped
// any weft::Thread (or the workload itself), and threads destroyed without
// join. It cannot report deadlocks (the call would hang, as the program
// would), and it has no repro: real schedules do not replay.
//
// Thread-safe; concurrent run_real calls report separately.

#ifndef WEFT_RUN_REAL_H_
#define WEFT_RUN_REAL_H_

#include "absl/functional/function_ref.h"
#include "weft/report.h"

namespace weft {

// REQUIRES: not called from inside a simulated execution.
Report run_real(absl::FunctionRef<void()> workload);

}  // namespace weft

#endif  // WEFT_RUN_REAL_H_
