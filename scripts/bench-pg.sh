#!/usr/bin/env bash
# Benchmark of issue 7 (not a test; numbers for docs/performance.md, "PostgreSQL"):
#   scripts/bench-pg.sh [EVENTS]            (default 1,000,000)
# 1. builds keruen (release) and generates EVENTS events (`keruen generate --seed 1`);
# 2. imports them into a new PostgreSQL database (COPY in batches, indexes rebuilt at
#    the end, one transaction) and into a new SQLite file: events/s for each
#    (target on PostgreSQL: ≥ 50,000 events/s);
# 3. serves each with `keruen serve --search-cache 0` (every answer computed), first
#    with the in-memory search index (after it is built), then without it
#    (`--no-search-index`: every search is SQL), and
#    runs the web benchmark's requests (scripts/bench/requests.py) with wrk, one
#    connection: faceted searches, then the mixed reads; latency percentiles side by
#    side (target: PostgreSQL within 2× of SQLite).
# The server is KERUEN_TEST_DATABASE_URL, else the one scripts/pg-test-env.sh finds or
# starts; the database made here is dropped at the end. Loopback only; every load
# run is bounded (BENCH_SECONDS, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
n=${1:-1000000}
seconds=${BENCH_SECONDS:-20}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
work=${KERUEN_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
log() { printf '==> %s\n' "$*" >&2; }

server=${KERUEN_TEST_DATABASE_URL:-$(scripts/pg-test-env.sh)}
[[ -n $server ]] || { echo "no PostgreSQL server (see scripts/pg-test-env.sh)" >&2; exit 1; }
name="keruen_bench_$(date +%s)"
pg="${server%/*}/$name"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  psql -q "$server" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"
need_wrk

build_release

gen="$work/gen-$n.jsonl"
[[ -f $gen ]] || { log "generating $n events"; "$k" generate --events "$n" --seed 1 --out "$gen"; }

timed() { # LABEL COMMAND…: prints seconds
  local s e
  s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
  echo "$e - $s" | bc
}

log "importing into PostgreSQL ($pg)"
psql -q "$server" -c "CREATE DATABASE $name" >/dev/null
"$k" --db "$pg" init >/dev/null
pg_secs=$(timed "$k" --db "$pg" import "$gen")
db="$work/bench-$n.db"
rm -f "$db" "$db-wal" "$db-shm"
log "importing into SQLite ($db)"
"$k" --db "$db" init >/dev/null
lite_secs=$(timed "$k" --db "$db" import "$gen")
pg_size=$(psql -Atq "$pg" -c "SELECT pg_size_pretty(pg_database_size(current_database()))")

log "choosing the requests"
python3 "$root/scripts/bench/requests.py" "$db" "$work" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() {
  for _ in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  echo "error: nothing answers at $1" >&2; return 1
}
declare -A result
for mode in index sql; do
  for backend in sqlite postgres; do
    target=$db; [[ $backend == postgres ]] && target=$pg
    port=$(free_port)
    flags=(--search-cache 0); [[ $mode == sql ]] && flags+=(--no-search-index)
    "$k" --db "$target" serve --bind "127.0.0.1:$port" "${flags[@]}" >/dev/null 2>"$work/serve-$backend-$mode.log" &
    pid=$!; pids+=("$pid")
    wait_for "http://127.0.0.1:$port/api/v1/stats"
    if [[ $mode == index ]]; then # measure the steady state: the index built
      for _ in $(seq 1 900); do grep -q 'search index built' "$work/serve-$backend-$mode.log" && break; sleep 0.2; done
      log "$backend: $(grep -o 'search index built.*' "$work/serve-$backend-$mode.log" | sed 's/\x1b\[[0-9;]*m//g')"
    fi
    for list in search mixed; do
      while read -r path; do curl -fsS -o /dev/null --max-time 60 "http://127.0.0.1:$port$path" || true; done \
        <"$work/keruen-$list.txt"
      log "$backend ($mode): $list, 1 connection, ${seconds}s"
      result[$mode.$backend.$list]=$(wrk -t1 -c1 -d"${seconds}s" --timeout 10s -s "$root/scripts/bench/paths.lua" \
        "http://127.0.0.1:$port" -- "$work/keruen-$list.txt" | grep '^RESULT')
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done

field() { sed -E "s/.*$2=([^ ]+).*/\1/" <<<"$1"; }
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(psql -Atq "$server" -c 'SHOW server_version'); $(date -u +%Y-%m-%d)"
printf 'import of %s events: PostgreSQL %.1f s = %.0f events/s (database %s); SQLite %.1f s = %.0f events/s\n' \
  "$n" "$pg_secs" "$(echo "$n / $pg_secs" | bc -l)" "$pg_size" "$lite_secs" "$(echo "$n / $lite_secs" | bc -l)"
row() { printf '%-34s %12s %12s %8s\n' "$@"; }
row "" "SQLite" "PostgreSQL" "ratio"
for mode in index sql; do
  for list in search mixed; do
    for m in p50_ms p90_ms p99_ms rps errors; do
      a=$(field "${result[$mode.sqlite.$list]}" $m); b=$(field "${result[$mode.postgres.$list]}" $m)
      ratio=$(python3 -c "a,b=float('$a'),float('$b'); print(f'{b/a:.2f}' if a else '-')" 2>/dev/null || echo -)
      row "$mode: $list, 1 conn: $m" "$a" "$b" "$ratio"
    done
  done
done
