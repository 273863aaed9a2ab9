#!/usr/bin/env bash
# Every test: the CMake build with CTest, the same suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, again under ThreadSanitizer
# (the real-runtime cases: OS threads, processes, sockets), and
# `bazel test //...`. Warnings are errors throughout.
#
#   scripts/test_all.sh            everything
#   WEFT_SKIP_SANITIZERS=1 ...     skip the ASan/UBSan and TSan passes
#   WEFT_SKIP_BAZEL=1 ...          skip Bazel
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install_deps.sh
jobs=$(nproc)
# Each step says how long the script has run: CI must stay well under 30 min.
step() { printf '\n=== %s (at %dm%02ds)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "CMake build + CTest"
# Line tables only (-g1, not -g): a third less compile time; failures still
# name file:line.
cmake -S . -B build -G Ninja -DWEFT_BUILD_BENCHMARKS=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >/dev/null
ninja -C build
ctest --test-dir build --output-on-failure -j "$jobs"

if [[ "${WEFT_SKIP_SANITIZERS:-0}" != 1 ]]; then
  step "ASan + UBSan build + CTest"
  cmake -S . -B build-asan -G Ninja -DWEFT_SANITIZE=address,undefined \
    -DWEFT_BUILD_BENCHMARKS=OFF >/dev/null
  ninja -C build-asan
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

  # Under TSan a simulated execution costs 1,000-18,000x what it does
  # without (TSan's fiber bookkeeping on every simulated thread start), and
  # TSan can report nothing there: the simulator runs every simulated thread
  # on one OS thread and each switch synchronises. So this pass builds and
  # runs only what runs OS threads, processes and sockets: the binaries
  # below that are simulator-only or single-threaded are left out, as are
  # the simulator cases of the mixed ones (sim_cases); the catalogue runs
  # its fixed twins on the real runtime. The other passes run everything.
  step "TSan build + CTest (real-runtime cases)"
  cmake -S . -B build-tsan -G Ninja -DWEFT_SANITIZE=thread -DWEFT_BUILD_BENCHMARKS=OFF >/dev/null
  sim_only='^(shrink_shrink|properties_weft_prop|properties_linearizability_demo|sim_failure_picture|examples_lru_cache|examples_mpmc_queue|determinism_determinism|examples_weft_examples|sim_(strategy|failures|smoke|trace|token)|tasks_(async_sync|when|virtual_time|readme_example|task))_test$'
  # The kept tests' names are their targets' (an unknown one fails loudly).
  # shellcheck disable=SC2046  # one target per word
  ninja -C build-tsan $(ctest --test-dir build-tsan -N -E "$sim_only" |
    sed -n 's|^ *Test *#[0-9]*: \([^ ]*\)$|\1|p')
  sim_cases='*_Sim*:ProcessSim.*:NetSim.*:NetFaults.*:WeftTest.FixedBankPassesEveryExploredSchedule:WeftTest.DefaultIsAThousandPctExecutionsOfTheBody:WeftTest.ReplayVariableRunsThatExecution:Teardown.AnExecutionEndingDuringAToThreadJoinUnwinds:Teardown.DestructorsMayCancelTasksWhileASimulatedLoopUnwinds:HistoryThreadsTest.RecordingFromSimulatedThreadsWorks:CrashRestart.KillEndsTheNodeForGood:CrashRestart.NodesRestartWithNewPidsAndFreshMemory:CrashRestart.AFailureThatNeedsACrashReplaysWithIt'
  # TSan cannot follow a child that starts threads after a fork from a
  # multi-threaded parent ("not supported. Dying"): those cases (children
  # with threads; pipe_deadlock's fixed twin writes from a thread in each
  # process) run in the other passes.
  fork_then_threads='Process.ChildWithThreads_RealRuntime:ProcessReal.AChildOfAThreadedParentOpensPipesFromTwoThreads'
  export TSAN_OPTIONS=halt_on_error=1
  GTEST_FILTER="-$fork_then_threads:$sim_cases" \
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" -E "^buggy_|$sim_only"
  GTEST_FILTER='*RealRuntime*:Catalogue.*-PipeDeadlock.FixedTwinPassesOnRealRuntime' \
    ctest --test-dir build-tsan --output-on-failure -j "$jobs" -R '^buggy_'
  unset TSAN_OPTIONS
fi

if [[ "${WEFT_SKIP_BAZEL:-0}" != 1 ]]; then
  step "bazel test //..."
  bazel test //...
fi
step "all tests passed"
