// Copyright 2026 The weft Authors.
//
// The calling process's open descriptors, counted from /proc/self/fd: what
// the real-runtime tests compare before and after a workload to show that
// nothing leaked.

#ifndef WEFT_TESTS_COMMON_OPEN_FDS_H_
#define WEFT_TESTS_COMMON_OPEN_FDS_H_

namespace weft::testing {

// The number of descriptors open in this process now.
int open_fd_count();

}  // namespace weft::testing

#endif  // WEFT_TESTS_COMMON_OPEN_FDS_H_
