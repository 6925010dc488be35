#!/usr/bin/env bash
# Thread scaling on another machine, from the bundle `make bench-bundle` made here
# (target/bench-bundle/: the abi3 wheel and the xz-compressed 100 MB corpora; see
# benches/bench_bundle.py). Needs Python 3.10+ with numpy, pandas and pyarrow; installs
# nothing (the wheel is unpacked into a temporary folder on PYTHONPATH). Runs
# bench_threads.py, bench_ceiling.py (as many one-thread copies at once as the most
# threads asked for), profile_threads.py and bench_pages.py; writes BENCHMARKS.md with
# their blocks, threads.log, ceiling.log, phases.log and pages.log under $OUT (default
# target/bench-bundle/out).
#
#   bash benches/run_bundle.sh                 # 1 2 4 8 16 threads
#   THREADS="1 8 16" bash benches/run_bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
BUNDLE=target/bench-bundle
OUT=${OUT:-$BUNDLE/out}
THREADS=${THREADS:-1 2 4 8 16}
MAX=$(printf '%s\n' $THREADS | sort -n | tail -1)
export PYTHONUNBUFFERED=1
mkdir -p "$OUT" target/bench
wheel=$(ls "$BUNDLE"/framescope-*.whl)
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
"$PYTHON" -m zipfile -e "$wheel" "$site"
export PYTHONPATH="$site"
"$PYTHON" - "$BUNDLE" <<'PY'
import hashlib, lzma, shutil, sys
from pathlib import Path
bundle = Path(sys.argv[1])
for digest in sorted(bundle.glob("*.sha1")):
    want, name = digest.read_text().split()
    dst = Path("target/bench") / name
    h = hashlib.sha1()
    if dst.exists():
        with open(dst, "rb") as f:
            for block in iter(lambda: f.read(1 << 24), b""):
                h.update(block)
    if not dst.exists() or h.hexdigest() != want:
        h = hashlib.sha1()
        with lzma.open(bundle / f"{name}.xz") as s, open(dst, "wb") as d:
            for block in iter(lambda: s.read(1 << 24), b""):
                h.update(block)
                d.write(block)
        if h.hexdigest() != want:
            sys.exit(f"{name}: SHA-1 {h.hexdigest()}, the bundle says {want}")
    print(f"{name}: SHA-1 {want} checked")
PY
"$PYTHON" -c "import framescope, sys; print('framescope from', framescope.__file__, 'on Python', sys.version.split()[0])"
cp BENCHMARKS.md "$OUT/BENCHMARKS.md"
# shellcheck disable=SC2086
"$PYTHON" benches/bench_threads.py --mb 100 --repeat 3 --threads $THREADS \
    --out "$OUT/BENCHMARKS.md" 2>&1 | tee "$OUT/threads.log"
"$PYTHON" benches/bench_ceiling.py --mb 100 --copies "$MAX" --rounds 3 \
    --out "$OUT/BENCHMARKS.md" 2>&1 | tee "$OUT/ceiling.log"
for kind in short real; do
    RAYON_NUM_THREADS=$MAX "$PYTHON" benches/profile_threads.py "$kind"
done 2>&1 | tee "$OUT/phases.log"
# Last (the others matter more if device time runs out): 2 MiB pages or not, 1 and MAX threads.
"$PYTHON" benches/bench_pages.py --mb 100 --threads "$MAX" --rounds 2 \
    --out "$OUT/BENCHMARKS.md" 2>&1 | tee "$OUT/pages.log"
echo "written: $OUT/BENCHMARKS.md (threads, ceiling and pages blocks), $OUT/threads.log, $OUT/ceiling.log, $OUT/phases.log, $OUT/pages.log"
