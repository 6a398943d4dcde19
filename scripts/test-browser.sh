#!/usr/bin/env bash
# The web UI in real headless Chromium (issue 5):
#   scripts/test-browser.sh
# Installs what is missing, builds keruen, and runs tests/browser/run.mjs, which builds
# a demo database, starts `keruen serve` on a free loopback port, drives Debian's
# /usr/bin/chromium with playwright-core through search → event → source, the review
# queue, the timeline, map, network, matrix, calendar and the Russian switch, and
# saves screenshots to docs/screenshots/. Exits non-zero when a scenario fails.
#
# Needs: Debian packages chromium and fonts-dejavu-core (installed with apt-get when
# missing), Node.js >= 20 with npm (playwright-core 1.65 requires it), and the npm
# registry for `npm ci` the first time (tests/browser/package-lock.json pins it).
# Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*" >&2; }

need_apt=()
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q "ok installed" || need_apt+=(fonts-dejavu-core)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if ((${#need_apt[@]})); then
  log "installing Debian packages: ${need_apt[*]}"
  if [[ $(id -u) -ne 0 ]]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "error: Node.js $(node --version) is too old for playwright-core: install Node.js 20 or newer" >&2
  exit 1
fi

if [[ ! -d tests/browser/node_modules/playwright-core ]]; then
  log "npm ci (tests/browser)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

log "building keruen"
cargo build --quiet --bin keruen
target_dir=${CARGO_TARGET_DIR:-target}

log "browser tests"
KERUEN_BIN="$target_dir/debug/keruen" node tests/browser/run.mjs
