#!/usr/bin/env bash
# Goal: the README's main job does what the README says. weft_examples finds
# the bank deadlock and prints a report with the wait-for cycle and the user's
# source lines; the replay line it prints, run as printed, reproduces the same
# failure and schedule; bad input gets a clear error and exit status 2.
# Method: run the binary (path in $1) and check its output and exit codes.
set -uo pipefail
# An absolute path (Bazel passes a relative one): the replay line names the
# binary as it was run, and is pasted below from another directory.
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_in() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in output:"$'\n'"$1"; }

out=$("$binary" bank); status=$?
[[ $status -eq 0 ]] || fail "weft_examples bank exited $status"
expect_in "$out" "weft: DEADLOCK after"
expect_in "$out" "wait-for cycle: thread 1 \"t1\" -> thread 2 \"t2\" -> thread 1 \"t1\""
expect_in "$out" "holds Mutex a (examples/workloads/bank.cc:"
expect_in "$out" "waits for Mutex b (examples/workloads/bank.cc:"
expect_in "$out" "fixed twin: weft: ok"

replay_line=$(grep -m1 "replay:   WEFT_REPLAY=" <<<"$out" | sed 's/^ *replay: *//')
[[ -n "$replay_line" ]] || fail "no replay line"
[[ "$replay_line" == *" $binary bank" ]] || fail "replay line does not name the binary: $replay_line"
# The decisions and the hash (the original also says how it was shrunk).
schedule=$(grep -m1 "schedule:" <<<"$out" | sed 's/(.*//')
hash=$(grep -m1 "schedule:" <<<"$out" | grep -o 'hash [0-9a-f]*')
expect_in "$out" "preemption; shrunk from"
token=${replay_line%% *}
token=${token#WEFT_REPLAY=}
# The replay line is pasted into a shell as it is: run it so (in a scratch
# directory, which must stay empty of anything but the trace).
scratch=$(mktemp -d)
# (Without Bazel's output directory, the trace goes where the README says.)
again=$(cd "$scratch" && unset TEST_UNDECLARED_OUTPUTS_DIR && eval "$replay_line"); status=$?
[[ $status -eq 0 ]] || fail "the pasted replay line exited $status"
expect_in "$again" "weft: DEADLOCK after"
expect_in "$again" "$schedule"
expect_in "$again" "$hash"
expect_in "$again" "trace:    weft-traces/bank.trace.json"
leftovers=$(cd "$scratch" && ls -A | grep -v '^weft-traces$')
[[ -z "$leftovers" ]] || fail "pasting the replay line created files: $leftovers"
[[ -s "$scratch/weft-traces/bank.trace.json" ]] || fail "no trace file"
rm -rf "$scratch"

bad=$(WEFT_REPLAY="${token%?}" "$binary" bank 2>&1); status=$?
[[ $status -eq 2 ]] || fail "a truncated token exited $status, expected 2"
expect_in "$bad" "bad replay token"
bad=$("$binary" no_such_workload 2>&1); status=$?
[[ $status -eq 2 ]] || fail "an unknown workload exited $status, expected 2"
expect_in "$bad" "unknown workload 'no_such_workload'"
bad=$(WEFT_STRATEGY=bfs "$binary" bank 2>&1); status=$?
[[ $status -eq 2 ]] || fail "an unknown strategy exited $status, expected 2"
expect_in "$bad" "WEFT_STRATEGY='bfs' is not valid"
listed=$("$binary" --list | wc -l)
[[ $listed -eq 17 ]] || fail "--list printed $listed workloads, expected 17"

[[ $failures -eq 0 ]] && echo "PASS" || exit 1
