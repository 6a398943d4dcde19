#!/usr/bin/env bash
# Benchmark of issue 5 (not a test; numbers for docs/performance.md):
#   scripts/bench-serve.sh [EVENTS]          (default 1,000,000)
# 1. builds keruen (release) and a database of EVENTS generated events
#    (`keruen generate --seed 1`, imported), kept in $KERUEN_BENCH_DIR when set;
# 2. serves it with `keruen serve` on a loopback port, first without and then with the
#    search cache (`--search-cache`), both with the in-memory search index (waiting
#    until it is built), and measures each time, with wrk:
#    - faceted searches, one client, one connection: latency percentiles (target:
#      p99 ≤ 20 ms on a million events);
#    - mixed reads (event, entity, source and search JSON, event and search pages),
#      64 connections for BENCH_SECONDS (default 30): requests/s (target ≥ 5,000),
#      errors (target 0), and the server's peak RSS (target ≤ 300 MB);
# 3. serves the same file with Datasette (installed from PyPI into a virtualenv in the
#    bench directory) and runs the equivalent queries the same way;
# 4. prints both side by side.
# Only loopback addresses are used; every load run is bounded in time. wrk comes from
# Debian (installed when missing). wrk and the server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-1000000}
seconds=${BENCH_SECONDS:-30}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
work=${KERUEN_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
db="$work/bench-$n.db"

log() { printf '==> %s\n' "$*" >&2; }

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"
need_wrk

build_release

if [[ ! -f "$db" ]]; then
  log "generating and importing $n events into $db"
  "$k" generate --events "$n" --seed 1 --out "$work/gen-$n.jsonl"
  "$k" --db "$db" import "$work/gen-$n.jsonl" >/dev/null
  rm -f "$work/gen-$n.jsonl"
fi

log "choosing the requests"
python3 "$root/scripts/bench/requests.py" "$db" "$work"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "error: nothing answers at $1" >&2
  return 1
}
run_wrk() { # URL LIST THREADS CONNECTIONS SECONDS
  wrk -t"$3" -c"$4" -d"$5"s --timeout 10s -s "$root/scripts/bench/paths.lua" "$1" -- "$2" | grep '^RESULT'
}
peak_rss_mb() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

declare -A result
warm_up() { # BASE_URL LIST: the list's first 120 requests once, in turn (fills the
  # page cache, and the search cache: the search list has 60 entries)
  head -n 120 "$2" | while read -r path; do curl -fsS -o /dev/null --max-time 60 "$1$path" || true; done
}
measure() { # NAME BASE_URL PID SEARCH_LIST MIXED_LIST [search-only]
  local name=$1 base=$2 pid=$3
  log "$name: warming up (each request once)"
  warm_up "$base" "$4"
  log "$name: faceted search, 1 connection, ${seconds}s"
  result[$name.search]=$(run_wrk "$base" "$4" 1 1 "$seconds")
  result[$name.rss]=$(peak_rss_mb "$pid")
  if [[ ${6:-} == search-only ]]; then
    log "$name: ${result[$name.search]} | peak RSS ${result[$name.rss]} MB"
    return
  fi
  warm_up "$base" "$5"
  log "$name: mixed reads, 64 connections, ${seconds}s"
  result[$name.mixed]=$(run_wrk "$base" "$5" 2 64 "$seconds")
  result[$name.rss]=$(peak_rss_mb "$pid")
  log "$name: ${result[$name.search]} | ${result[$name.mixed]:-} | peak RSS ${result[$name.rss]} MB"
}

for mode in cold warm; do
  cache=0; [[ $mode == warm ]] && cache=2048
  port=$(free_port)
  log "serving with keruen on 127.0.0.1:$port (search cache: $cache answers)"
  "$k" --db "$db" serve --bind "127.0.0.1:$port" --search-cache "$cache" >/dev/null 2>"$work/keruen-serve.log" &
  kpid=$!
  trap 'kill $kpid 2>/dev/null || true; [[ -n ${dpid:-} ]] && kill $dpid 2>/dev/null || true' EXIT
  wait_for "http://127.0.0.1:$port/api/v1/stats"
  # The search index is built in the background at start; until it is, searches go
  # to SQLite. Measure the steady state.
  for _ in $(seq 1 600); do
    grep -q 'search index built' "$work/keruen-serve.log" && break
    sleep 0.2
  done
  log "$(grep -o 'search index built.*' "$work/keruen-serve.log" | sed 's/\x1b\[[0-9;]*m//g' | head -1)"
  # Without the cache every search is computed: measured for latency, one client.
  only=; [[ $mode == cold ]] && only=search-only
  measure "keruen-$mode" "http://127.0.0.1:$port" "$kpid" "$work/keruen-search.txt" "$work/keruen-mixed.txt" $only
  kill "$kpid"; wait "$kpid" 2>/dev/null || true
done

venv="$work/datasette-venv"
if [[ ! -x "$venv/bin/datasette" ]] || ! "$venv/bin/python" -c "import pysqlite3" 2>/dev/null; then
  log "installing Datasette into $venv"
  python3 -m venv "$venv"
  # keruen's full-text tables use an FTS5 option of SQLite 3.43; pysqlite3-binary
  # brings a current SQLite, which Datasette uses in place of Python's own.
  "$venv/bin/pip" install --quiet "datasette==0.65.5" "pysqlite3-binary==0.5.4.post2"
fi
dport=$(free_port)
log "serving the same file with Datasette on 127.0.0.1:$dport"
"$venv/bin/datasette" serve -i "$db" --host 127.0.0.1 --port "$dport" \
  --setting sql_time_limit_ms 10000 --setting facet_time_limit_ms 10000 >/dev/null 2>"$work/datasette.log" &
dpid=$!
wait_for "http://127.0.0.1:$dport/-/versions.json"
measure datasette "http://127.0.0.1:$dport" "$dpid" "$work/datasette-search.txt" "$work/datasette-mixed.txt"
kill "$dpid"; wait "$dpid" 2>/dev/null || true

field() { sed -E "s/.*$2=([^ ]+).*/\1/" <<<"$1"; }
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d)"
echo "database: $n generated events ($(du -h "$db" | cut -f1)); runs of ${seconds}s; wrk $(wrk --version 2>&1 | head -1 | cut -d' ' -f2)"
row() { printf '%-40s %16s %16s %16s\n' "$@"; }
row "" "keruen, no cache" "keruen, cached" "Datasette"
for m in p50_ms p90_ms p99_ms max_ms rps errors; do
  row "faceted search, 1 connection: $m" "$(field "${result[keruen-cold.search]}" $m)" \
    "$(field "${result[keruen-warm.search]}" $m)" "$(field "${result[datasette.search]}" $m)"
done
for m in rps p50_ms p99_ms errors non2xx; do
  row "mixed reads, 64 connections: $m" "-" \
    "$(field "${result[keruen-warm.mixed]}" $m)" "$(field "${result[datasette.mixed]}" $m)"
done
row "peak RSS of the server (MB)" "${result[keruen-cold.rss]}" "${result[keruen-warm.rss]}" "${result[datasette.rss]}"
echo "(keruen without the cache is measured for search latency only; its mixed-read run is the cached one)"
