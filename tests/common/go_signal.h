// Copyright 2026 The weft Authors.
//
// A task that writes one byte ("g") to a pipe and ends. Spawned beside a
// task that awaits I/O, it proves the loop's thread was free: a peer that
// starts only on that byte would otherwise never start, and the test hangs.

#ifndef WEFT_TESTS_COMMON_GO_SIGNAL_H_
#define WEFT_TESTS_COMMON_GO_SIGNAL_H_

#include "weft/pipe.h"
#include "weft/task.h"

namespace weft::testing {

inline Task<void> send_go(PipeWriter& signal) {
  (void)signal.write("g");
  co_return;
}

}  // namespace weft::testing

#endif  // WEFT_TESTS_COMMON_GO_SIGNAL_H_
