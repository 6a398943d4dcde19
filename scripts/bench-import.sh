#!/usr/bin/env bash
# Benchmark (not a test): generate N events, import them into an empty database,
# search, and report events/s, peak memory and search latency.
#   scripts/bench-import.sh [N]        default N = 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
cargo build --release --quiet --bin keruen
bin=$PWD/target/release/keruen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "generating $n events…"
"$bin" generate --events "$n" --seed 1 --out "$work/gen.jsonl"
ls -l "$work/gen.jsonl" | awk '{printf "file: %.1f MB\n", $5/1e6}'
"$bin" --db "$work/k.db" init >/dev/null
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/mem" "$bin" --db "$work/k.db" import "$work/gen.jsonl" >/dev/null
end=$(date +%s.%N)
secs=$(echo "$end - $start" | bc)
printf 'import: %.1f s, %.0f events/s, peak memory %.0f MB\n' "$secs" "$(echo "$n / $secs" | bc -l)" "$(echo "$(cat "$work/mem") / 1024" | bc -l)"
ls -l "$work/k.db" | awk '{printf "database: %.0f MB\n", $5/1e6}'
for q in "Almaty" "Ходжент" "festival" ; do
  best=999
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$bin" --db "$work/k.db" search "$q" --country KZ --facets --limit 20 >/dev/null
    e=$(date +%s%N)
    ms=$(( (e - s) / 1000000 ))
    (( ms < best )) && best=$ms
  done
  echo "search \"$q\" --country KZ --facets: best of 5 = ${best} ms (whole process)"
done
