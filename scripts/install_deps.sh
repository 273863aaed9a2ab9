#!/usr/bin/env bash
# Installs the Debian packages weft builds and tests with, if any is missing.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

packages=(
  g++ cmake ninja-build make
  libgtest-dev libgmock-dev googletest
  librapidcheck-dev libabsl-dev libbenchmark-dev
  bazel-bootstrap
)
if [[ "${WEFT_SKIP_BAZEL:-0}" == 1 ]]; then
  packages=("${packages[@]/bazel-bootstrap}")
fi

missing=()
for package in "${packages[@]}"; do
  [[ -z "$package" ]] && continue
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "weft: installing missing Debian packages: ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "weft: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
