#!/usr/bin/env bash
# The backup and restore of docs/deployment.md, tested end to end:
#   scripts/pg-backup-restore.sh [DB_URL]
# 1. without DB_URL, builds a database with data on the test server
#    (KERUEN_TEST_DATABASE_URL, else scripts/pg-test-env.sh): the demo data, the
#    sample documents ingested, a user, a review, a merge — every kind of row;
# 2. backs it up with `pg_dump --format=custom`;
# 3. restores the dump into a fresh database with `pg_restore`;
# 4. compares the two with keruen: the lossless export (JSONL), the audit log (via
#    `keruen migrate-db` into two SQLite files, which checks every table's rows and
#    checksum) and `keruen stats`. Exits 1 on any difference.
# The databases it creates are dropped at the end; DB_URL itself is only read.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
log() { printf '==> %s\n' "$*" >&2; }

cargo build --quiet --bin keruen
k="$CARGO_TARGET_DIR/debug/keruen"
server=${KERUEN_TEST_DATABASE_URL:-$(scripts/pg-test-env.sh)}
[[ -n $server ]] || { echo "no PostgreSQL server (see scripts/pg-test-env.sh)" >&2; exit 1; }
base=${server%/*}
suffix=$(date +%s)_$$
work=$(mktemp -d)
made=()
cleanup() {
  for db in "${made[@]}"; do psql -q "$server" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# Creates database $1 and remembers it for the clean-up; its URL is "$base/$1". (Not
# called as $(…): a subshell's `made+=` would be lost, and the database left behind.)
createdb_() { psql -q "$server" -c "CREATE DATABASE $1" >/dev/null; made+=("$1"); }

if [[ $# -ge 1 ]]; then
  source_url=$1
else
  createdb_ "keruen_backup_src_$suffix"
  source_url="$base/keruen_backup_src_$suffix"
  log "building a database with data: $source_url"
  "$k" --db "$source_url" import data/demo/events.jsonl >/dev/null
  "$k" --db "$source_url" ingest tests/data/corpus >/dev/null
  "$k" --db "$source_url" users add madina --role editor --no-password >/dev/null
  first=$("$k" --db "$source_url" --json review list --limit 2 | python3 -c 'import json,sys; print(" ".join(i["event"]["id"] for i in json.load(sys.stdin)))')
  read -r a b <<<"$first"
  "$k" --db "$source_url" --as madina review accept "$a" --reason "checked" >/dev/null
  "$k" --db "$source_url" --as madina merge "$a" "$b" --reason "one event" >/dev/null
fi

log "backing up with pg_dump"
start=$(date +%s.%N)
pg_dump --format=custom --no-owner --file="$work/keruen.dump" "$source_url"
log "backup: $(du -h "$work/keruen.dump" | cut -f1) in $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s"

createdb_ "keruen_backup_restored_$suffix"
restored="$base/keruen_backup_restored_$suffix"
log "restoring into a fresh database: $restored"
start=$(date +%s.%N)
pg_restore --no-owner --exit-on-error --dbname="$restored" "$work/keruen.dump"
log "restore: $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s"

log "comparing the original and the restored database"
"$k" --db "$source_url" export --format jsonl --out "$work/a.jsonl" >/dev/null
"$k" --db "$restored" export --format jsonl --out "$work/b.jsonl" >/dev/null
cmp "$work/a.jsonl" "$work/b.jsonl"
"$k" --db "$source_url" --json stats >"$work/a.stats"
"$k" --db "$restored" --json stats >"$work/b.stats"
cmp "$work/a.stats" "$work/b.stats"
# Every table, audit log included, row for row: both copied into SQLite, where
# migrate-db checks counts and checksums; then the two copies compared the same way.
"$k" migrate-db --from "$source_url" --to "$work/a.db" >"$work/a.sums"
"$k" migrate-db --from "$restored" --to "$work/b.db" >"$work/b.sums"
cmp "$work/a.sums" <(sed "s|$restored|$source_url|; s|b\.db|a.db|" "$work/b.sums")
events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$work/a.stats")
audit=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["audit"])' "$work/a.stats")
echo "restored database identical to the original: $(wc -l <"$work/a.jsonl") export lines ($events events), $audit audit entries, every table's checksum equal"
