// Copyright 2026 The weft Authors.

#include "tests/common/open_fds.h"

#include <dirent.h>

namespace weft::testing {

int open_fd_count() {
  int count = 0;
  DIR* dir = ::opendir("/proc/self/fd");
  while (dirent* entry = ::readdir(dir)) count += entry->d_name[0] != '.';
  ::closedir(dir);
  return count - 1;  // The directory stream's own descriptor.
}

}  // namespace weft::testing
