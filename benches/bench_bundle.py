"""A bundle for measuring thread scaling on another machine (a 16-core box lent for a
few minutes, with Python 3.10+, numpy, pandas and pyarrow but no Rust, no network):
``target/bench-bundle/`` gets the abi3 wheel built here and the two 100 MB corpora of
``make bench-threads`` (``real`` and ``short``), xz-compressed (`xz -9`, about 28 MB each: with the tree, under a 64 MiB carry; the
SHA-1 of each uncompressed file is written next to it). Copy the working tree with that
folder to the machine and run ``bash benches/run_bundle.sh`` there: it unpacks the wheel
into a temporary folder (nothing installed), decompresses and checks the corpora, runs
``bench_threads.py`` (1, 2, 4, 8, 16 threads) and ``profile_threads.py`` (each step's
wall, CPU and calling-thread time at the highest count), and writes the tables under
``$OUT`` (or ``target/bench-bundle/out``).

    make bench-bundle        # here: wheel + corpora into target/bench-bundle/
"""

from __future__ import annotations

import argparse
import hashlib
import lzma
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_scale as bs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "target" / "bench-bundle"
KINDS = ("real", "short")


def sha1(path: Path) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            h.update(block)
    return h.hexdigest()


def compress(kind: str, mb: float) -> None:
    """``KIND_MBmb.txt.xz`` and its ``.sha1``, unless both are there for the same corpus."""
    src = bs.make_corpus(mb, kind)
    dst = BUNDLE / f"{src.name}.xz"
    digest = BUNDLE / f"{src.name}.sha1"
    want = sha1(src)
    if dst.exists() and digest.exists() and digest.read_text().split()[0] == want:
        print(f"{dst.name}: up to date")
        return
    with open(src, "rb") as s, lzma.open(dst, "wb", preset=9) as d:
        shutil.copyfileobj(s, d, 1 << 24)
    digest.write_text(f"{want}  {src.name}\n")
    print(f"{dst.name}: {dst.stat().st_size / 1e6:.1f} MB from {src.stat().st_size / 1e6:.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    args = ap.parse_args()
    BUNDLE.mkdir(parents=True, exist_ok=True)
    for old in BUNDLE.glob("framescope-*.whl"):
        old.unlink()
    subprocess.run([str(Path(sys.executable).parent / "maturin"), "build", "--release", "--quiet",
                    "--out", str(BUNDLE)], cwd=ROOT, check=True)
    wheels = sorted(BUNDLE.glob("framescope-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {BUNDLE}, found {[w.name for w in wheels]}")
    print(f"{wheels[0].name}: {wheels[0].stat().st_size / 1e6:.1f} MB")
    for kind in KINDS:
        compress(kind, args.mb)
    total = sum(p.stat().st_size for p in BUNDLE.iterdir() if p.is_file())
    print(f"{BUNDLE.relative_to(ROOT)}: {total / 2**20:.1f} MiB; on the other machine: "
          "bash benches/run_bundle.sh")


if __name__ == "__main__":
    main()
