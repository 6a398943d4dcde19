#!/usr/bin/env bash
# Benchmark (not a test): generate N events, import them into an empty database,
# search with SQL, build the search index file (`keruen index`), search again, and
# report events/s, peak memory and search latency.
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
# Best of 5 whole-process runs of `keruen search QUERY --country KZ --facets`, in ms
# with one decimal; extra arguments (--no-index) are passed on.
search_ms() {
  local q=$1 best=999999 s e t
  shift
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$bin" --db "$work/k.db" search "$q" --country KZ --facets --limit 20 "$@" >/dev/null
    e=$(date +%s%N)
    t=$(( (e - s) / 100000 ))
    (( t < best )) && best=$t
  done
  echo "$((best / 10)).$((best % 10))"
}
queries=("Almaty" "Ходжент" "festival" "Kazakhstan conference")
for q in "${queries[@]}"; do
  echo "search \"$q\" --country KZ --facets, SQL (no index file): best of 5 = $(search_ms "$q") ms (whole process)"
done
start=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$work/mem" "$bin" --db "$work/k.db" index | head -1
end=$(date +%s.%N)
printf 'keruen index: %.1f s, peak memory %.0f MB\n' "$(echo "$end - $start" | bc)" "$(echo "$(cat "$work/mem") / 1024" | bc -l)"
for q in "${queries[@]}"; do
  echo "search \"$q\" --country KZ --facets, index file: best of 5 = $(search_ms "$q") ms (whole process)"
done
echo "the process alone (keruen --version): best of 5 = $(
  best=999999
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N); "$bin" --version >/dev/null; e=$(date +%s%N)
    t=$(( (e - s) / 100000 )); (( t < best )) && best=$t
  done
  echo "$((best / 10)).$((best % 10))") ms"
