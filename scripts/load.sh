#!/usr/bin/env bash
# Load test of issue 8 (not part of scripts/test.sh; numbers for docs/performance.md):
#   scripts/load.sh [SECONDS] [--db postgres://USER@HOST:PORT/DB] [--events N] [--writers N]
# A bounded mixed load on loopback against one `keruen serve`, then a check that it
# lost, doubled and refused nothing:
# 1. builds keruen (release) when needed; makes a fresh database in a temporary
#    directory — SQLite by default, or with --db a new PostgreSQL database on that
#    server (made beside DB, dropped at the end) — from `keruen generate --events N`
#    (default 20,000) imported; adds the users writer-1 … writer-W (editors; default
#    W = 4, and 0 measures reads alone) with `keruen users add`, and an API token each
#    with `keruen tokens create` (writer-1 also gets a password: it signs in like a
#    browser and writes with its session cookie and CSRF header instead);
# 2. serves it with `keruen serve --bind 127.0.0.1:PORT` on a free port and waits
#    until it answers;
# 3. for SECONDS (default 30, at most 60), at the same time:
#    - reads with wrk (LOAD_CONNECTIONS connections, default 32, on 2 threads) over
#      scripts/load/reads.lua: faceted searches as JSON and pages, events, evidence,
#      histories, entities, sources, the analysis endpoints and pages, the calendar;
#    - W write clients (scripts/load/writer.py, one process each, one request at a
#      time): JSONL imports of new events (some sent twice, as retries), review
#      decisions on their own candidates, racing decisions on a shared pool, reviews of
#      the events they imported, and requests that must be refused;
# 4. checks that the server is still running and answers, stops it, and checks the
#    database against every acknowledged write (scripts/load/verify.py): each imported
#    key stored exactly once with one `create` in the audit log, each review decision
#    logged exactly once, nothing written that was not acknowledged, refused requests
#    changed nothing; and that no request, read or write, got a 5xx or no answer;
# 5. prints a summary: read requests/s and latency, writes acknowledged and writes/s.
# Exits 1 with the reason on any violation. Loopback only; wrk comes from Debian
# (installed when missing). The server, wrk and the clients share the machine's
# cores. LOAD_KEEP=1 keeps the temporary directory (database, logs, records).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=30
pg_server=
events=20000
writers=4
connections=${LOAD_CONNECTIONS:-32}
while [[ $# -gt 0 ]]; do
  case $1 in
    --db) pg_server=$2; shift 2 ;;
    --events) events=$2; shift 2 ;;
    --writers) writers=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    [0-9]*) seconds=$1; shift ;;
    *) echo "error: unknown argument \`$1\`; see scripts/load.sh --help" >&2; exit 2 ;;
  esac
done
if ! [[ $seconds =~ ^[0-9]+$ ]] || (( seconds < 5 || seconds > 60 )); then
  echo "error: SECONDS must be 5–60, not \`$seconds\`" >&2; exit 2
fi
if [[ -n $pg_server && ! $pg_server =~ ^postgres(ql)?:// ]]; then
  echo "error: --db takes a postgres:// URL of a server (SQLite is the default)" >&2; exit 2
fi
if ! [[ $writers =~ ^[0-9]{1,2}$ && $events =~ ^[0-9]+$ ]]; then
  echo "error: --writers takes 0–99 (0: reads alone) and --events a number" >&2; exit 2
fi

log() { printf '==> %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d "${TMPDIR:-/tmp}/keruen-load.XXXXXX")
kpid=
wpids=()
pg_db=
cleanup() {
  local status=$?
  for p in "${wpids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -n $kpid ]]; then
    kill "$kpid" 2>/dev/null || true
    wait "$kpid" 2>/dev/null || true
  fi
  if [[ -n $pg_db ]]; then
    psql -X -q "$pg_server" -c "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  if [[ ${LOAD_KEEP:-} == 1 || $status -ne 0 ]]; then
    echo "(kept $work: server log, wrk output, the writers' records$([[ -z $pg_db ]] && echo ", database"))" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# shellcheck source=scripts/bench/common.sh
source "$root/scripts/bench/common.sh"
need_wrk

build_release

if [[ -n $pg_server ]]; then
  command -v psql >/dev/null || fail "--db postgres://… needs psql"
  pg_db="keruen_load_$$"
  psql -X -q -v ON_ERROR_STOP=1 "$pg_server" -c "CREATE DATABASE \"$pg_db\"" >/dev/null
  db=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' \
    "$pg_server" "$pg_db")
else
  db="$work/load.db"
fi
export KERUEN_DB=$db

log "database: $events generated events imported ($( [[ -n $pg_db ]] && echo "PostgreSQL database $pg_db" || echo SQLite))"
"$k" generate --events "$events" --seed 1 --out "$work/gen.jsonl"
"$k" import "$work/gen.jsonl" >/dev/null

log "users writer-1 … writer-$writers (editors) and their API tokens"
head -c 18 /dev/urandom | base64 >"$work/writer-1.password"
for i in $(seq 1 "$writers"); do
  if [[ $i -eq 1 ]]; then
    "$k" users add "writer-$i" --role editor --password-stdin <"$work/writer-1.password" >/dev/null
  else
    "$k" users add "writer-$i" --role editor --no-password >/dev/null
  fi
  "$k" --json tokens create --user "writer-$i" --label load-test --expires 2h \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])' >"$work/writer-$i.token"
done
python3 "$root/scripts/load/prepare.py" "$work/gen.jsonl" "$writers" "$work" >&2

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
log "serving on $base"
"$k" serve --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
kpid=$!
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "$base/api/v1/stats" 2>/dev/null && break
  kill -0 "$kpid" 2>/dev/null || fail "the server exited at start: $(tail -5 "$work/serve.log")"
  sleep 0.2
done
curl -fsS -o /dev/null "$base/api/v1/stats" || fail "nothing answers at $base after 30 s"

load_before=$(cut -d' ' -f1 /proc/loadavg)
log "load: ${seconds}s of reads (wrk, $connections connections) and $writers write clients"
for i in $(seq 1 "$writers"); do
  cred=(--token-file "$work/writer-$i.token")
  [[ $i -eq 1 ]] && cred=(--password-file "$work/writer-1.password")
  python3 "$root/scripts/load/writer.py" --base "$base" --name "writer-$i" --pools "$work/pools.json" \
    --seconds "$seconds" --out "$work/writer-$i.jsonl" "${cred[@]}" 2>"$work/writer-$i.err" &
  wpids+=($!)
done
wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s --latency -s "$root/scripts/load/reads.lua" \
  "$base" -- "$work/reads.txt" >"$work/wrk.txt" 2>&1 || fail "wrk failed: $(tail -5 "$work/wrk.txt")"
load_after=$(cut -d' ' -f1 /proc/loadavg)
writer_failed=
for i in "${!wpids[@]}"; do
  wait "${wpids[$i]}" || writer_failed+=" writer-$((i + 1)) ($(tail -1 "$work/writer-$((i + 1)).err"))"
done
wpids=()
[[ -z $writer_failed ]] || fail "write clients failed:$writer_failed"

kill -0 "$kpid" 2>/dev/null || fail "the server died during the load: $(tail -20 "$work/serve.log")"
curl -fsS -o /dev/null --max-time 10 "$base/api/v1/stats" || fail "the server no longer answers after the load"
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$kpid/status")
kill -INT "$kpid"
wait "$kpid" || fail "the server exited with status $? when stopped"
kpid=
if grep -qi 'panicked' "$work/serve.log"; then
  fail "the server panicked: $(grep -i -m3 'panicked' "$work/serve.log")"
fi

verified=0
if [[ $writers -gt 0 ]]; then
  log "checking every acknowledged write against the database"
  set +e
  python3 "$root/scripts/load/verify.py" "$db" "$work/pools.json" "$work"/writer-*.jsonl >"$work/verify.txt"
  verified=$?
  set -e
fi
reads=$(grep '^RESULT' "$work/wrk.txt") || fail "wrk printed no result: $(tail -5 "$work/wrk.txt")"
field() { sed -E "s/.*[ ]$1=([^ ]+).*/\1/" <<<" $reads"; }

python3 - "$work" "$seconds" <<'EOF' >"$work/writes.txt"
import json, pathlib, sys
work, seconds = pathlib.Path(sys.argv[1]), float(sys.argv[2])
rows = [json.loads(l) for p in sorted(work.glob("writer-*.jsonl")) for l in p.open()]
ok = [r for r in rows if 200 <= r["status"] < 300]
ms = sorted(r["ms"] for r in ok)
pct = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))] if ms else 0
kinds = {k: sum(1 for r in ok if r["kind"] == k) for k in ("import", "review")}
events = sum(r["answer"]["events"] for r in ok if r["kind"] == "import")
print(f"writes: {len(rows)} sent, {len(ok)} acknowledged ({kinds['import']} imports adding {events} events, "
      f"{kinds['review']} reviews) = {len(ok) / seconds:.0f}/s; "
      f"{sum(1 for r in rows if 400 <= r['status'] < 500)} refused with 4xx (the requests meant to fail); "
      f"latency p50 {pct(0.5):.1f} ms, p99 {pct(0.99):.1f} ms")
EOF

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); $(date -u +%Y-%m-%d); load average $load_before before the run, $load_after at its end"
echo "database: $events generated events, $( [[ -n $pg_db ]] && echo PostgreSQL || echo SQLite); ${seconds}s; $writers write clients; wrk $connections connections"
echo "reads: $(field requests) requests = $(field rps)/s; latency p50 $(field p50_ms) ms, p90 $(field p90_ms) ms, p99 $(field p99_ms) ms, max $(field max_ms) ms"
echo "reads by status: 2xx $(field s2xx), 3xx $(field s3xx), 4xx $(field s4xx), 5xx $(field s5xx); socket errors: connect $(field connect), read $(field read), write $(field write), timeout $(field timeout)"
cat "$work/writes.txt"
echo "server: peak RSS $rss MB; still running at the end"
[[ ! -f $work/verify.txt ]] || sed -n 's/^VERIFY /verified: /p' "$work/verify.txt"

problems=()
[[ $(field s5xx) -eq 0 ]] || problems+=("$(field s5xx) reads got a 5xx (e.g. near $(field first5xx))")
[[ $(field non2xx3xx) -eq 0 ]] || problems+=("$(field non2xx3xx) reads got a 4xx or 5xx")
for e in connect read write timeout; do
  [[ $(field $e) -eq 0 ]] || problems+=("$(field $e) reads failed with a $e error")
done
[[ $verified -eq 0 ]] || problems+=("the database does not match the acknowledged writes (see above)")
if [[ ${#problems[@]} -gt 0 ]]; then
  printf 'FAILED: %s\n' "${problems[@]}" >&2
  exit 1
fi
echo "OK: no 5xx, no lost or doubled write, the server survived"
