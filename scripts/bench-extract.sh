#!/usr/bin/env bash
# Extraction throughput (issue 3): builds a corpus of generated documents from the
# project's own fixtures (tests/data/corpus) — each document a few MB of their
# paragraphs, shuffled, with years shifted, and one bibliography at its end — and runs
# `keruen extract --format json` on every document, one process per document, on one
# core. Prints MB/s over all documents and the peak memory of the largest process.
# Not a test: it prints numbers for docs/extraction.md.
#   scripts/bench-extract.sh [TOTAL_MB] [DOC_MB]      (defaults: 50 MB in 5 MB documents)
# The corpus goes to a temporary directory under /tmp, removed at the end; KERUEN
# overrides the binary (default: built with cargo into $CARGO_TARGET_DIR or target/).
set -euo pipefail
cd "$(dirname "$0")/.."
total_mb=${1:-50}
doc_mb=${2:-5}
if [[ -z ${KERUEN:-} ]]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
  cargo build --release --quiet --bin keruen
  KERUEN="$CARGO_TARGET_DIR/release/keruen"
fi
dir=$(mktemp -d /tmp/keruen-bench-extract.XXXXXX)
trap 'rm -rf "$dir"' EXIT

python3 - "$dir" "$total_mb" "$doc_mb" <<'PY'
import glob, os, random, re, sys
out, total_mb, doc_mb = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
headings = {l.strip() for l in open("crates/keruen-extract/data/bibliography_headings.txt", encoding="utf-8")
            if l.strip() and not l.startswith("#")}
bodies, bibliographies = [], []
for path in sorted(glob.glob("tests/data/corpus/*.txt")):
    paras = [p for p in open(path, encoding="utf-8").read().split("\n\n") if p.strip()]
    cut = next((i for i, p in enumerate(paras)
                if p.strip().lower().strip("#*: ") in headings), len(paras))
    bodies.append(paras[:cut])
    if cut < len(paras):
        bibliographies.append("\n\n".join(paras[cut:]))
year = re.compile(r"\b(1[89][0-9]{2}|20[0-2][0-9])\b")
rng = random.Random(20250101)
written, n = 0, 0
while written < total_mb * 1e6:
    parts, size = [], 0
    while size < doc_mb * 1e6:
        doc = list(rng.choice(bodies))
        rng.shuffle(doc)
        shift = rng.randint(-20, 20)
        text = "\n\n".join(year.sub(lambda m: str(int(m.group(1)) + shift), p) for p in doc)
        parts.append(text)
        size += len(text.encode("utf-8")) + 2
    parts.append(rng.choice(bibliographies))
    data = "\n\n".join(parts) + "\n"
    with open(os.path.join(out, f"doc-{n:03}.txt"), "w", encoding="utf-8") as f:
        f.write(data)
    written += len(data.encode("utf-8"))
    n += 1
print(f"corpus: {n} documents, {written / 1e6:.1f} MB in {out}")
PY

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
total_bytes=0
total_secs=0
total_cpu=0
peak_kb=0
for doc in "$dir"/doc-*.txt; do
  # One core: the extractor is single-threaded; taskset pins it where present.
  pin=()
  if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
  /usr/bin/time -o "$dir/time" -f '%e %U %S %M' "${pin[@]}" "$KERUEN" extract --format json "$doc" >/dev/null
  read -r secs user sys kb <"$dir/time"
  total_bytes=$((total_bytes + $(stat -c %s "$doc")))
  total_secs=$(python3 -c "print($total_secs + $secs)")
  total_cpu=$(python3 -c "print($total_cpu + $user + $sys)")
  if ((kb > peak_kb)); then peak_kb=$kb; fi
done
python3 - "$total_bytes" "$total_secs" "$total_cpu" "$peak_kb" <<'PY'
import sys
b, s, cpu, kb = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
print(f"extract: {b / 1e6:.1f} MB in {s:.2f} s wall = {b / 1e6 / s:.1f} MB/s (one process per document)")
print(f"cpu: {cpu:.2f} s user+sys = {b / 1e6 / cpu:.1f} MB/s of CPU (what a busy machine does not change)")
print(f"peak memory: {kb / 1024:.0f} MB (largest process, /usr/bin/time %M)")
PY
