#!/usr/bin/env bash
# The main job: build weft_examples and explore every workload of the
# catalogue; prints each bug's report with a replay line to paste.
set -euo pipefail
cd "$(dirname "$0")/.."
WEFT_SKIP_BAZEL=1 scripts/install_deps.sh
cmake -S . -B build -G Ninja -DWEFT_BUILD_BENCHMARKS=OFF >/dev/null
ninja -C build weft_examples >/dev/null
exec build/weft_examples "$@"
