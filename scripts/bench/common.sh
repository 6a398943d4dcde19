# Shared by the benchmark and load scripts (sourced, not run):
#   need_wrk           installs Debian's wrk when it is missing;
#   build_release      builds the release binary and sets $k to its absolute path.
# Both log through the caller's `log`.

need_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "installing wrk (Debian)"
  local sudo=
  [[ $(id -u) -ne 0 ]] && sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
}

build_release() {
  log "building keruen (release)"
  cargo build --release --quiet --bin keruen
  local dir=${CARGO_TARGET_DIR:-target}
  [[ $dir == /* ]] || dir="$PWD/$dir"
  k="$dir/release/keruen"
}
