#!/usr/bin/env bash
# Every test: the CMake build with CTest, the same suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, the real-runtime tests under
# ThreadSanitizer, and `bazel test //...`. Warnings are errors throughout.
#
#   scripts/test_all.sh            everything
#   WEFT_SKIP_SANITIZERS=1 ...     skip the ASan/UBSan and TSan passes
#   WEFT_SKIP_BAZEL=1 ...          skip Bazel
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
jobs=$(nproc)
step() { printf '\n=== %s\n' "$*"; }

step "CMake build + CTest"
cmake -S . -B build -G Ninja >/dev/null
ninja -C build
ctest --test-dir build --output-on-failure -j "$jobs"

if [[ "${WEFT_SKIP_SANITIZERS:-0}" != 1 ]]; then
  step "ASan + UBSan build + CTest"
  cmake -S . -B build-asan -G Ninja -DWEFT_SANITIZE=address,undefined \
    -DWEFT_BUILD_BENCHMARKS=OFF >/dev/null
  ninja -C build-asan
  ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

  step "TSan build + real-runtime tests"
  cmake -S . -B build-tsan -G Ninja -DWEFT_SANITIZE=thread -DWEFT_BUILD_BENCHMARKS=OFF >/dev/null
  ninja -C build-tsan
  TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j "$jobs" \
    -R '^runtime_'
fi

if [[ "${WEFT_SKIP_BAZEL:-0}" != 1 ]]; then
  step "bazel test //..."
  bazel test //...
fi
step "all tests passed"
