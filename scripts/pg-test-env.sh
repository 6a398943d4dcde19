#!/usr/bin/env bash
# Finds or starts a PostgreSQL server for the tests and prints the URL of its
# maintenance database, for KERUEN_TEST_DATABASE_URL:
#
#   export KERUEN_TEST_DATABASE_URL=$(scripts/pg-test-env.sh)
#
# 1. A server already accepting connections at 127.0.0.1:5432 (user postgres, trust
#    authentication) is used as it is.
# 2. Otherwise Debian's postgresql is installed when missing, and a cluster of our
#    own is started in target/pg-test (port 55432, trust authentication on 127.0.0.1
#    only, owned by the postgres user); it is reused by later runs and stopped with
#    `scripts/pg-test-env.sh stop`. `scripts/pg-test-env.sh --own` skips step 1
#    (for a machine whose server on 5432 asks for passwords).
#
# The tests create one database per test (named keruen_test_…) and drop it after.
# Under CI=true failing to get a server is an error (exit 1); otherwise the script
# prints nothing and exits 0, and the PostgreSQL tests are skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data="$root/target/pg-test"
port=55432

log() { printf '%s\n' "$*" >&2; }
fail() {
  log "pg-test-env: $*"
  if [[ ${CI:-} == true ]]; then exit 1; fi
  exit 0
}

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $d ]] && echo "$d"
}

if [[ ${1:-} == stop ]]; then
  if [[ -d $data ]] && b=$(bin_dir); then
    runuser -u postgres -- "$b/pg_ctl" -D "$data" -m fast stop >&2 || true
  fi
  exit 0
fi

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p "$1" -U postgres; }

if [[ ${1:-} != --own ]] && ready 5432; then
  echo "postgres://postgres@127.0.0.1:5432/postgres"
  exit 0
fi

if ! b=$(bin_dir) || [[ ! -x $b/initdb ]]; then
  log "pg-test-env: installing Debian's postgresql"
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; } \
    || fail "cannot install postgresql"
  b=$(bin_dir) || fail "postgresql installed but no server binaries under /usr/lib/postgresql"
fi

if ! ready "$port"; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres || fail "no postgres user"
  if [[ ! -f $data/PG_VERSION ]]; then
    log "pg-test-env: creating a test cluster in $data"
    mkdir -p "$data"
    chown postgres "$data"
    runuser -u postgres -- "$b/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2 \
      || fail "initdb failed"
  fi
  log "pg-test-env: starting the test cluster on 127.0.0.1:$port"
  runuser -u postgres -- "$b/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off" start >&2 \
    || fail "the test cluster did not start; see $data/server.log"
fi
ready "$port" || fail "no server at 127.0.0.1:$port"
echo "postgres://postgres@127.0.0.1:$port/postgres"
