#!/usr/bin/env bash
# Benchmark of issue 6: over N generated events (default 1,000,000), the time to load
# the accepted events, to compute the matrix and the network measures, and the JSONL
# export rate. Not a test: it prints numbers for docs/performance.md.
#   scripts/bench-analysis.sh [EVENTS]
# Uses its own target dir and a temporary directory; removes nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet --bin keruen
k="$CARGO_TARGET_DIR/release/keruen"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/bench.db"

secs() { date +%s.%N; }
elapsed() { python3 -c "print(round($(secs) - $1, 3))"; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "events: $n"
t=$(secs); "$k" generate --events "$n" --seed 1 --out "$dir/gen.jsonl"; echo "generate: $(elapsed "$t") s"
t=$(secs); "$k" --db "$db" import "$dir/gen.jsonl" >/dev/null; echo "import: $(elapsed "$t") s"
accepted=$("$k" --db "$db" --json stats | python3 -c 'import json,sys; s=json.load(sys.stdin); print(next(f["count"] for f in s["events_by_review"] if f["value"]=="accepted"))')
echo "accepted events: $accepted"
for measure in matrix network; do
  echo "stats $measure (load, then compute; wall time includes printing):"
  t=$(secs); "$k" --db "$db" stats --timings "$measure" >/dev/null; echo "  wall: $(elapsed "$t") s"
done
t=$(secs); "$k" --db "$db" export --format jsonl --out "$dir/out.jsonl"; e=$(elapsed "$t")
total=$(grep -c '"record":"event"' "$dir/out.jsonl")
echo "export jsonl: $total events in $e s = $(python3 -c "print(round($total / $e))") events/s"
t=$(secs); "$k" --db "$db" export --format jsonld --out "$dir/out.jsonld"; e=$(elapsed "$t")
echo "export jsonld: $total events in $e s = $(python3 -c "print(round($total / $e))") events/s"
