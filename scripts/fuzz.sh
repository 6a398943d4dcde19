#!/usr/bin/env bash
# Runs every fuzz target (cargo-fuzz / libFuzzer) for SECONDS each (default 600):
#   scripts/fuzz.sh [SECONDS] [TARGET…]
# Not part of the test command: it needs cargo-fuzz (installed here when missing) and
# uses nightly features through RUSTC_BOOTSTRAP=1 on the stable toolchain. Crashes are
# saved under fuzz/artifacts/TARGET/; turn each into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --locked cargo-fuzz
export RUSTC_BOOTSTRAP=1
targets=("$@")
if ((${#targets[@]} == 0)); then
  mapfile -t targets < <(cd fuzz && cargo fuzz list)
fi
status=0
for t in "${targets[@]}"; do
  echo "==> $t for ${seconds}s"
  mkdir -p "fuzz/corpus/$t"
  # Work on a copy of the committed seeds so that the run does not grow the repository.
  work=$(mktemp -d)
  cp -r "fuzz/corpus/$t/." "$work/" 2>/dev/null || true
  if ! (cd fuzz && cargo fuzz run "$t" "$work" -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -max_len=65536 -print_final_stats=1 2>&1 | tail -n 12); then
    echo "!! $t found a problem: see fuzz/artifacts/$t/"
    status=1
  fi
  rm -rf "$work"
done
exit $status
