#!/usr/bin/env bash
# Scores the extractor on an annotated corpus with ../shared/eval/score.py:
#   scripts/eval.sh [CORPUS_DIR] [-- score.py options]
# Default corpus: ../shared/corpus. The project's own fixtures: tests/data/corpus.
# Per-document scores with PER_DOC=1. The same metrics without Python: keruen eval.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus}
shift || true
[[ ${1:-} == -- ]] && shift
# KERUEN overrides the binary; otherwise it is built into $CARGO_TARGET_DIR (or target/).
if [[ -z ${KERUEN:-} ]]; then
  cargo build --release --quiet --bin keruen
  KERUEN=${CARGO_TARGET_DIR:-target}/release/keruen
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for doc in "$corpus"/*.txt; do
  stem=$(basename "$doc" .txt)
  [[ -f $corpus/$stem.gold.json ]] || continue
  "$KERUEN" extract --format json "$doc" >"$out/$stem.json"
  if [[ -n ${PER_DOC:-} ]]; then
    printf '%-28s ' "$stem"
    python3 ../shared/eval/score.py "$corpus/$stem.gold.json" "$out/$stem.json" --doc "$doc" --json |
      python3 -c 'import json,sys; m=json.load(sys.stdin)["metrics"]; print(" ".join(f"{k}={m[k]:.2f}" for k in ("timex.f1","timex.value_f1","entity.f1","event.f1","event.full_f1","archival.f1","citation.f1","citation.link_acc")))'
  fi
done
python3 ../shared/eval/score.py --gold-dir "$corpus" --pred-dir "$out" "$@"
