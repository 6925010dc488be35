"""Deterministic cost of the counting hot loop: run under callgrind (`make instructions`).

Wall-clock A/B tests on a shared 2-core VM vary by +-10%; instruction counts do
not. This fits a CountVectorizer-equivalent on a generated 10 MB English corpus
with one thread, importing only the extension (not scikit-learn), so the
callgrind report is dominated by framescope's own functions.
"""

from __future__ import annotations

import glob
import importlib.util
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "_core", glob.glob(str(ROOT / "python" / "framescope" / "_core*.so"))[0]
)
core = importlib.util.module_from_spec(spec)
spec.loader.exec_module(core)

ngram = int(sys.argv[1]) if len(sys.argv) > 1 else 1
docs = generate(10, seed=1, cyrillic_share=0.0)
core.set_num_threads(1)
analyzer = core.WordAnalyzer(True, None, r"(?u)\b\w\w+\b", None, (1, ngram))
core.count_fit_docs(docs, analyzer)
