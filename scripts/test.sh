#!/usr/bin/env bash
# Runs every test of keruen on a fresh machine, installing what is missing:
#   scripts/test.sh
# It is the README's test command, and .ci/run calls it. Steps:
#   1. Debian packages the tests need (poppler-utils for PDF reading, a font for PNG
#      charts), when missing;
#   2. formatting and lints (cargo fmt --check, cargo clippy -D warnings);
#   3. a Python virtualenv with the independent parsers the format tests use;
#   4. a PostgreSQL server for the PostgreSQL backend's tests (scripts/pg-test-env.sh);
#   5. every Rust test of the workspace (unit, integration, doc tests), including the
#      extraction accuracy floors on ../shared/corpus and the project's fixtures;
#   6. the web UI in real headless Chromium (scripts/test-browser.sh: installs Debian's
#      chromium and the pinned playwright-core when missing; saves docs/screenshots/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

log() { printf '\n==> %s\n' "$*" >&2; }

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
# A font with Cyrillic for `keruen chart --out FILE.png`.
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || need_apt+=(fonts-dejavu-core)
if ((${#need_apt[@]})); then
  log "installing Debian packages: ${need_apt[*]}"
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# Independent parsers for the export formats (networkx, icalendar, rdflib, …), in a
# virtualenv of the project's own, created once and reused.
# It is rebuilt when scripts/python-requirements.txt changes.
venv="$root/.venv"
want=$(sha256sum scripts/python-requirements.txt | cut -d' ' -f1)
if [[ ! -x $venv/bin/python ]] || [[ $(cat "$venv/.requirements.sha256" 2>/dev/null) != "$want" ]]; then
  log "creating the Python virtualenv for the format and API checks"
  if ! python3 -m venv --help >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
  fi
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/python-requirements.txt
  echo "$want" >"$venv/.requirements.sha256"
fi
export KERUEN_VENV="$venv"

# The PostgreSQL backend is tested against a real server: the one at 127.0.0.1:5432
# when it answers, else one this script installs and starts (scripts/pg-test-env.sh).
# Each test creates its own database and drops it after. Under CI=true a missing
# server fails the run here and in the tests.
log "PostgreSQL for the tests"
if [[ -z ${KERUEN_TEST_DATABASE_URL:-} ]]; then
  KERUEN_TEST_DATABASE_URL=$(scripts/pg-test-env.sh)
fi
export KERUEN_TEST_DATABASE_URL
if [[ -n $KERUEN_TEST_DATABASE_URL ]]; then
  echo "using $KERUEN_TEST_DATABASE_URL" >&2
fi

log "formatting"
cargo fmt --all -- --check

log "lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

log "tests"
cargo test --workspace --quiet

if [[ -n $KERUEN_TEST_DATABASE_URL ]]; then
  log "PostgreSQL backup and restore (docs/deployment.md)"
  scripts/pg-backup-restore.sh
fi

log "browser tests"
scripts/test-browser.sh

log "done"
