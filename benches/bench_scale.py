"""Scale benchmark: framescope against the alternatives at 10 MB, 100 MB and 1 GB.

Usage: python benches/bench_scale.py --sizes 10 100 1000 --out BENCHMARKS.md

One generated corpus per size (``corpus_gen``: Zipfian draws from one lexicon of
500,000 English- and Russian-like words, 70/30, so the vocabulary grows sublinearly
with size; frame phrases planted in both languages; a year per document) is
written once under ``target/bench/``. Every task then runs in a fresh interpreter
that loads the texts (not timed), runs the task ``repeat`` times and reports the
median and minimum seconds and its peak RSS (``ru_maxrss``, which includes the
loaded texts: the "texts" column is the RSS just after loading them).

Tasks
-----
- TF-IDF: ``fs.TfidfVectorizer()`` vs scikit-learn's; outputs compared (shape,
  non-zeros, vocabulary and the sum of the values). The two run alternately, one
  fresh child a run, and the ratio is the median of the pairs' ratios
  (``run_paired``): a shared machine's phases move a single-threaded baseline by a
  third between runs minutes apart.
- Frame trends (hits per frame and year, with token counts for rates):
  framescope (``Corpus.from_texts`` + ``frame_trends``, tokenization included) vs a
  Python ``re`` + pandas pipeline (one compiled alternation per frame) and vs
  pyahocorasick (one automaton; text lower-cased and punctuation collapsed first,
  matches checked at word boundaries). All three must give the same hits per frame
  and year; the run stops if they do not.
- Tokenize + count: ``fs.CountVectorizer().fit_transform`` (scikit-learn's token
  rule) and ``Corpus.from_texts(...).term_frequencies()`` (UAX #29 tokens) against
  a raw byte scan of the same file: GNU ``wc -w`` in the C locale (one pass in C
  that finds words at white space and counts them; the practical limit of a word
  scan), and, for scale, numpy counting the bytes <= 0x20 (memory bandwidth).
- Streaming (``--stream-gb``): ``fs.scan`` over a JSONL file of that size (the
  ``bench_read`` 2 GB file repeated), frames and term counts, peak RSS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from corpus_gen import generate, lexicon  # noqa: E402
from mdblock import write_block  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "target" / "bench"
BEGIN, END = "<!-- bench:scale:begin -->", "<!-- bench:scale:end -->"
SEP = "\x1e"  # between documents in the corpus file (the generator never writes it)
YEARS = list(range(2012, 2026))

# The benchmark's dictionary: plain phrases (every Russian case form written out), so
# the regex and Aho-Corasick pipelines can express exactly the same thing.
FRAMES = {
    "collective_west": ["collective west", "коллективный запад", "коллективного запада",
                        "коллективному западу", "коллективным западом", "коллективном западе"],
    "global_majority": ["global majority", "world majority", "мировое большинство",
                        "мирового большинства", "мировому большинству", "мировым большинством"],
    "multipolar_world": ["multipolar world", "multipolar world order", "многополярный мир",
                         "многополярного мира", "многополярному миру", "многополярным миром"],
    "rules_based_order": ["rules based order", "rules-based order", "порядок основанный на правилах",
                          "порядка основанного на правилах"],
    "neo_colonialism": ["neo-colonialism", "neocolonialism", "неоколониализм", "неоколониализма"],
    "russophobia": ["russophobia", "русофобия", "русофобии", "русофобию"],
    "color_revolution": ["colour revolution", "color revolution", "цветная революция",
                         "цветной революции", "цветные революции"],
    "anti_russian_sanctions": ["anti-russian sanctions", "illegal sanctions",
                               "антироссийские санкции", "антироссийских санкций",
                               "нелегитимные санкции"],
}


# ------------------------------------------------------------------ corpus
#: Every word of the planted phrases.
FRAME_WORDS = {w for ps in FRAMES.values() for p in ps for w in re.split(r"[\s-]+", p.lower())}

#: Corpus kinds: the generated scale corpus, and three shaped like real sources.
KINDS = {
    "scale": "generated prose, 30% Russian words, ASCII punctuation (about 3.8 KB a document)",
    "real": "the same with typographic quotes and dashes, bullets, glued sentences and "
            "possessives in a few percent of sentences",
    "russian": "all-Russian words (Russian frames planted), shaped as `real`",
    "short": "`real` cut into paragraphs of about 470 bytes (posts, paragraphs)",
}


def corpus_path(mb: float, kind: str = "scale") -> Path:
    return BENCH / (f"scale_{mb:g}mb.txt" if kind == "scale" else f"{kind}_{mb:g}mb.txt")


def _real_shaped(doc: str, rng: np.random.Generator, english: bool = True) -> str:
    """Typography of scraped statements on a generated document: “quotes”, «quotes» and
    " — " dashes in some sentences, bullets starting some lines, sentences glued after the
    full stop ("world.Fourth"), possessives ("West’s")."""
    out = []
    for k, sent in enumerate(doc.split(". ")):
        r = rng.random()
        if r < 0.03:
            sent = f"“{sent}”"
        elif r < 0.05:
            sent = f"«{sent}»"
        elif r < 0.08:
            sent = sent.replace(", ", " — ", 1)
        last = sent.rsplit(None, 1)[-1] if sent.strip() else ""
        if english and rng.random() < 0.01 and last.isalpha() and last.lower() not in FRAME_WORDS:
            # On a sentence's last word, never a frame's word: framescope cuts possessives
            # ("collective’s" is "collective"), the regex baselines do not.
            sent += "’s"
        before = out[-1].rsplit(None, 1)[-1] if out and out[-1].strip() else ""
        if k and rng.random() < 0.02 and len(before) >= 2 and before.isalpha():
            # Glued: no space after the stop. Not after a one-letter word: framescope keeps
            # "и.Коллективный" whole, as it keeps initials ("А.Пушкин", "J.Smith").
            out[-1] += "." + sent[:1].upper() + sent[1:]
        else:
            out.append(sent)
    doc = ". ".join(out)
    if rng.random() < 0.1:
        doc = "\n".join(("• " if rng.random() < 0.5 else "— ") + line for line in doc.split("\n"))
    return doc


def make_corpus(mb: float, kind: str = "scale") -> Path:
    """Generated texts with planted frame phrases (rates rising over the years); `kind`
    is one of :data:`KINDS`."""
    path = corpus_path(mb, kind)
    if path.exists():
        return path
    BENCH.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    russian = kind == "russian"
    phrases = [p for ps in FRAMES.values() for p in ps
               if not russian or not re.search("[a-z]", p)]
    share = 1.0 if russian else 0.3
    # One lexicon for every 10 MB block, so the vocabulary grows sublinearly with size
    # (Zipfian draws over 500,000 words), as in real archives.
    lex = lexicon(seed=7, size=500_000, cyrillic_share=share)
    words = (40, 80) if kind == "short" else (60, 900)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        first = True
        for seed in range(int(np.ceil(mb / 10))):
            for doc in generate(min(10.0, mb), seed=100 + seed, cyrillic_share=share, lex=lex,
                                doc_words=words):
                cut = [m.end() for m in re.finditer(" ", doc)]
                k = int(rng.poisson(1.5 if kind != "short" else 0.2))
                if cut and k:
                    at = sorted(rng.choice(cut, size=min(k, len(cut)), replace=False).tolist())
                    parts, last = [], 0
                    for a in at:
                        p = phrases[int(rng.integers(len(phrases)))]
                        p = p.title() if rng.random() < 0.3 else p
                        parts += [doc[last:a], p, " "]
                        last = a
                    doc = "".join(parts) + doc[last:]
                if kind != "scale":
                    doc = _real_shaped(doc, rng, english=not russian)
                f.write(("" if first else SEP) + doc)
                first = False
    tmp.rename(path)
    return path


def load(path: Path) -> tuple[list[str], list[str]]:
    texts = path.read_text(encoding="utf-8").split(SEP)
    n = len(texts)
    dates = [f"{YEARS[i * len(YEARS) // n]}-06-01" for i in range(n)]
    return texts, dates


# ------------------------------------------------------------------ tasks (run in a child)
def _start_together() -> None:
    """When bench_ceiling.py runs copies of a job at once (``FRAMESCOPE_BENCH_GO`` names
    a file): says this child is ready (``GO.ready.PID``), then waits for the file ``GO``,
    so that every copy starts its run at the same moment."""
    go = os.environ.get("FRAMESCOPE_BENCH_GO")
    if go:
        Path(f"{go}.ready.{os.getpid()}").touch()
        deadline = time.monotonic() + 900  # a parent gone (killed) does not leave this waiting
        while not os.path.exists(go):
            if time.monotonic() > deadline:
                raise SystemExit(f"no start signal ({go}) after 900 s")
            time.sleep(0.001)


def _clock() -> tuple[float, float]:
    """Wall time and this (the calling, main) thread's CPU time, to start a timed part."""
    return time.perf_counter(), time.thread_time()


def _timed(start: tuple[float, float]) -> dict:
    """The timed part since ``start``: its wall seconds (``_seconds``) and the main
    thread's CPU seconds in it (``_main_cpu``). Work on the main thread alone (reading
    str objects under the GIL, pandas after the core) bounds the speed-up any number of
    threads can give: wall time never falls below it."""
    return {"_seconds": time.perf_counter() - start[0], "_main_cpu": time.thread_time() - start[1]}


def _digest_matrix(X, names, timed: dict) -> dict:
    """The check that the tools agree, computed after the clock stopped (``timed``)."""
    return {"shape": list(X.shape), "nnz": int(X.nnz),
            "vocab": hashlib.sha1("\n".join(map(str, names)).encode()).hexdigest()[:12],
            "sum": round(float(X.sum()), 4), **timed}


def _timed_tfidf(vectorizer, texts) -> dict:
    # Timed: fit_transform and the feature names, what a user's call returns.
    start = _clock()
    X = vectorizer.fit_transform(texts)
    names = vectorizer.get_feature_names_out()
    return _digest_matrix(X, names, _timed(start))


def _hits_digest(table: dict) -> dict:
    """{frame: {year: hits}} with zero entries dropped, keys as str."""
    return {f: {str(y): int(h) for y, h in sorted(v.items()) if h} for f, v in sorted(table.items())}


def task_fs_tfidf(texts, dates):
    import framescope as fs
    return _timed_tfidf(fs.TfidfVectorizer(), texts)


def task_sk_tfidf(texts, dates):
    from sklearn.feature_extraction.text import TfidfVectorizer
    return _timed_tfidf(TfidfVectorizer(), texts)


def _str_series(texts):
    """The texts as a researcher's DataFrame column holds them: pandas 3's ``str`` dtype
    (stored in Arrow), built before the clock starts."""
    import pandas as pd
    return pd.Series(texts, dtype="str")


def task_fs_tfidf_series(texts, dates):
    import framescope as fs
    return _timed_tfidf(fs.TfidfVectorizer(), _str_series(texts))


def task_sk_tfidf_series(texts, dates):
    from sklearn.feature_extraction.text import TfidfVectorizer
    return _timed_tfidf(TfidfVectorizer(), _str_series(texts))


def task_fs_frames(texts, dates):
    import framescope as fs
    corpus = fs.Corpus.from_texts(texts, dates=dates)
    t = corpus.frame_trends(fs.Frames(FRAMES), by="year")
    table: dict = {}
    for frame, period, hits in zip(t["frame"], t["period"], t["hits"], strict=True):
        table.setdefault(frame, {})[int(period)] = int(hits)
    return _hits_digest(table)


def task_fs_frames_arrow(texts, dates):
    """The texts already in Arrow (as read from Parquet, or handed over by polars; the
    table is built before the clock starts): `Corpus.from_arrow` + `frame_trends`. No str
    is read per document, so nothing on the path is serial per document."""
    import pyarrow as pa

    import framescope as fs
    arrow_table = pa.table({"text": pa.array(texts, pa.large_string()),
                            "date": pa.array(dates, pa.string()).cast(pa.date32())})
    start = _clock()
    corpus = fs.Corpus.from_arrow(arrow_table, text="text", date="date")
    t = corpus.frame_trends(fs.Frames(FRAMES), by="year")
    timed = _timed(start)
    table: dict = {}
    for frame, period, hits in zip(t["frame"], t["period"], t["hits"], strict=True):
        table.setdefault(frame, {})[int(period)] = int(hits)
    return {**_hits_digest(table), **timed}


def task_fs_frames_ids(texts, dates):
    """The tokenized path: the corpus tokenized into ids first (as `term_frequencies`,
    keyness and the rest do), frames then matched on the ids."""
    import framescope as fs
    corpus = fs.Corpus.from_texts(texts, dates=dates)
    corpus.tokens(0)
    t = corpus.frame_trends(fs.Frames(FRAMES), by="year")
    table: dict = {}
    for frame, period, hits in zip(t["frame"], t["period"], t["hits"], strict=True):
        table.setdefault(frame, {})[int(period)] = int(hits)
    return _hits_digest(table)


def _frame_regex(patterns: list[str]) -> re.Pattern:
    alts = sorted(patterns, key=len, reverse=True)
    body = "|".join(r"\W+".join(re.escape(w) for w in re.split(r"[\s-]+", p)) for p in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def task_re_frames(texts, dates):
    import pandas as pd
    regexes = {f: _frame_regex(ps) for f, ps in FRAMES.items()}
    word = re.compile(r"\w+")
    rows = {f: [len(rx.findall(t)) for t in texts] for f, rx in regexes.items()}
    rows["tokens"] = [len(word.findall(t)) for t in texts]
    df = pd.DataFrame(rows)
    df["year"] = pd.to_datetime(pd.Series(dates)).dt.year
    by_year = df.groupby("year").sum()
    per_10k = by_year[list(FRAMES)].div(by_year["tokens"], axis=0) * 1e4  # the rates a user plots
    assert per_10k.shape[1] == len(FRAMES)
    return _hits_digest({f: by_year[f].to_dict() for f in FRAMES})


def task_aho_frames(texts, dates):
    import ahocorasick
    import pandas as pd
    auto = ahocorasick.Automaton()
    for f, ps in FRAMES.items():
        for p in ps:
            key = " ".join(re.split(r"[\s-]+", p.lower()))
            auto.add_word(key, (f, len(key)))
    auto.make_automaton()
    nonword = re.compile(r"\W+")
    names = list(FRAMES)
    index = {f: k for k, f in enumerate(names)}
    counts = np.zeros((len(texts), len(names)), dtype=np.int64)
    tokens = np.zeros(len(texts), dtype=np.int64)
    for d, t in enumerate(texts):
        s = " " + nonword.sub(" ", t.lower()) + " "
        tokens[d] = s.count(" ") - 1
        last_end = {}
        for end, (f, n) in auto.iter(s):
            start = end - n + 1
            # Whole words only, and non-overlapping per frame (leftmost-longest, as re).
            if s[start - 1] == " " and s[end + 1] == " " and start > last_end.get(f, -1):
                counts[d, index[f]] += 1
                last_end[f] = end
    df = pd.DataFrame(counts, columns=names)
    df["tokens"] = tokens
    df["year"] = pd.to_datetime(pd.Series(dates)).dt.year
    by_year = df.groupby("year").sum()
    return _hits_digest({f: by_year[f].to_dict() for f in names})


def task_fs_count(texts, dates):
    import framescope as fs
    X = fs.CountVectorizer().fit_transform(texts)
    return {"nnz": int(X.nnz)}


def task_fs_corpus_terms(texts, dates):
    import framescope as fs
    tf = fs.Corpus.from_texts(texts).term_frequencies()
    return {"terms": len(tf)}


def task_wc(texts, dates):
    # The same bytes, from the page cache: GNU wc's one pass splitting words at white space.
    out = subprocess.run(["wc", "-w", str(CORPUS_FILE)], capture_output=True, text=True, check=True,
                         env={**os.environ, "LC_ALL": "C"})
    return {"words": int(out.stdout.split()[0])}


def task_bandwidth(texts, dates):
    data = np.frombuffer(SEP.join(texts).encode("utf-8"), dtype=np.uint8)
    t = time.perf_counter()
    n = int(np.count_nonzero(data <= 0x20))
    return {"separators": n, "_seconds": time.perf_counter() - t}


TASKS = {
    "fs_tfidf": ("TF-IDF", "framescope `TfidfVectorizer().fit_transform`", task_fs_tfidf),
    "sk_tfidf": ("TF-IDF", "scikit-learn `TfidfVectorizer().fit_transform`", task_sk_tfidf),
    "fs_tfidf_series": ("TF-IDF", "framescope `TfidfVectorizer().fit_transform` on a pandas `str` Series",
                        task_fs_tfidf_series),
    "sk_tfidf_series": ("TF-IDF", "scikit-learn `TfidfVectorizer().fit_transform` on a pandas `str` Series",
                        task_sk_tfidf_series),
    "fs_frames": ("frame trends", "framescope `Corpus.from_texts` + `frame_trends`", task_fs_frames),
    "fs_frames_ids": ("frame trends", "framescope, corpus tokenized into ids first", task_fs_frames_ids),
    "fs_frames_arrow": ("frame trends", "framescope `Corpus.from_arrow` + `frame_trends` (texts in Arrow)",
                        task_fs_frames_arrow),
    "re_frames": ("frame trends", "Python `re` (one alternation per frame) + pandas", task_re_frames),
    "aho_frames": ("frame trends", "pyahocorasick + pandas", task_aho_frames),
    "fs_count": ("tokenize + count", "framescope `CountVectorizer().fit_transform`", task_fs_count),
    "fs_corpus_terms": ("tokenize + count", "framescope `Corpus.from_texts` + `term_frequencies` (UAX #29)",
                        task_fs_corpus_terms),
    "raw_scan": ("tokenize + count", "raw byte scan: `LC_ALL=C wc -w` (words at white space, C)",
                 task_wc),
    "bandwidth": ("tokenize + count", "memory bandwidth: numpy `count_nonzero(bytes <= 0x20)`",
                  task_bandwidth),
}
CORPUS_FILE: Path | None = None


def child(task: str, path: Path, repeat: int) -> None:
    import resource
    global CORPUS_FILE
    CORPUS_FILE = path
    texts, dates = load(path)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fn = TASKS[task][2]
    fn(texts[:200], dates[:200])  # warm-up: imports, thread pools, compiled patterns
    times, main_cpu, result, system = [], [], None, 0.0
    for run in range(repeat):
        fresh = [t.encode("utf-8").decode("utf-8") for t in texts]  # a first call's str objects
        if run == 0:
            _start_together()
        stime = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        start = _clock()
        result = fn(fresh, dates)
        timed = _timed(start)
        system += resource.getrusage(resource.RUSAGE_SELF).ru_stime - stime
        times.append(result.pop("_seconds", timed["_seconds"]))
        main_cpu.append(result.pop("_main_cpu", timed["_main_cpu"]))
        del fresh
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # sys: the process's system CPU seconds over the calls (page faults are system time).
    print(json.dumps({"times": times, "main_cpu": main_cpu, "rss": peak, "base": base,
                      "sys": system, "result": result}))


def run_child(task: str, path: Path, repeat: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", task, "--file", str(path),
                          "--repeat", str(repeat)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"task {task} on {path.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_paired(a: str, b: str, path: Path, repeat: int) -> tuple[dict, dict]:
    """``a`` and ``b`` alternated, ``repeat`` times, one fresh child a run: each run of ``b``
    falls in the same phase of a shared machine as the run of ``a`` just before it, so
    their ratios are compared pair by pair (``paired_ratio``). Each task must give the
    same result every run."""
    runs: dict[str, dict] = {}
    for _ in range(repeat):
        for task in (a, b):
            r = run_child(task, path, 1)
            if task not in runs:
                runs[task] = r
            else:
                digest = {k: v for k, v in r["result"].items() if k != "_seconds"}
                first = {k: v for k, v in runs[task]["result"].items() if k != "_seconds"}
                assert digest == first, f"{task} gave another result: {digest} vs {first}"
                runs[task]["times"] += r["times"]
                runs[task]["main_cpu"] += r["main_cpu"]
                runs[task]["rss"] = max(runs[task]["rss"], r["rss"])
    return runs[a], runs[b]


def paired_ratio(slow: dict, fast: dict) -> float:
    """The median over pairs of ``slow``'s time over ``fast``'s (runs made alternately)."""
    return statistics.median(s / f for s, f in zip(slow["times"], fast["times"], strict=True))


#: Tasks compared pair by pair (run alternately) when both are asked for.
PAIRED = ("fs_tfidf", "sk_tfidf")


def stream(gb: float) -> dict:
    """fs.scan over a JSONL file of about ``gb`` GB (the 2 GB read-benchmark file, repeated)."""
    src = BENCH / "posts_2000mb.jsonl"
    if not src.exists():
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_read import make_file
        make_file(src, 2000)
    path = BENCH / f"posts_{gb:g}gb.jsonl"
    if not path.exists() or path.stat().st_size < gb * 1e9 * 0.98:
        with open(path, "wb") as out:
            written = 0
            while written < gb * 1e9:
                with open(src, "rb") as f:
                    while written < gb * 1e9 and (block := f.read(1 << 24)):
                        if written + len(block) > gb * 1e9:
                            block = block[: block.rfind(b"\n") + 1]
                            if not block:
                                break
                        out.write(block)
                        written += len(block)
    code = ("import time, resource, json, framescope as fs; "
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            "from bench_scale import FRAMES; "
            f"t = time.perf_counter(); r = fs.scan({str(path)!r}, FRAMES, by='year'); "
            "print(json.dumps({'seconds': time.perf_counter() - t, "
            "'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
            "'docs': int(r.docs), 'batches': int(r.batches), 'terms': len(r.terms)}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"streaming run failed:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["mb"] = path.stat().st_size / 1e6
    return res


def repeats(mb: float, task: str, base: int) -> int:
    slow = task in ("sk_tfidf", "re_frames", "aho_frames")
    if mb >= 500:
        return 1 if slow else max(2, base - 2)
    return base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tasks", nargs="*", default=[t for t in TASKS if t != "fs_frames_ids"])
    ap.add_argument("--stream-gb", type=float, default=0)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--child")
    ap.add_argument("--file", type=Path)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.file, args.repeat)
        return

    results: dict = {}
    for mb in args.sizes:
        path = make_corpus(mb)
        real_mb = path.stat().st_size / 1e6
        paired = all(t in args.tasks for t in PAIRED)
        for task in args.tasks:
            if paired and task in PAIRED:
                if task != PAIRED[0]:
                    continue  # run with the first
                runs = run_paired(*PAIRED, path, repeats(mb, PAIRED[1], args.repeat))
            else:
                runs = (run_child(task, path, repeats(mb, task, args.repeat)),)
            for t, r in zip(PAIRED if len(runs) == 2 else (task,), runs, strict=True):
                r["mb"] = real_mb
                results[(mb, t)] = r
                print(f"{mb:g} MB {t}: median {statistics.median(r['times']):.3f} s, "
                      f"peak RSS {r['rss']:.0f} MB", flush=True)
        # The alternatives must agree before their times mean anything.
        if (mb, "fs_tfidf") in results and (mb, "sk_tfidf") in results:
            a, b = results[(mb, "fs_tfidf")]["result"], results[(mb, "sk_tfidf")]["result"]
            assert a["shape"] == b["shape"] and a["nnz"] == b["nnz"] and a["vocab"] == b["vocab"] \
                and abs(a["sum"] - b["sum"]) < 1e-3, (a, b)
        frames = [results[(mb, t)]["result"] for t in ("fs_frames", "fs_frames_ids", "re_frames", "aho_frames")
                  if (mb, t) in results]
        assert all(f == frames[0] for f in frames), frames
    streamed = stream(args.stream_gb) if args.stream_gb else None
    report = render(args, results, streamed)
    print(report)
    if args.out:
        write_block(args.out, BEGIN, END, report, heading="## Scale: 10 MB to 1 GB, and streaming")


def med(r: dict) -> float:
    return statistics.median(r["times"])


def render(args, results: dict, streamed: dict | None) -> str:
    import sklearn
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    cmd = f"python benches/bench_scale.py --sizes {' '.join(f'{s:g}' for s in args.sizes)} --repeat {args.repeat}"
    if args.stream_gb:
        cmd += f" --stream-gb {args.stream_gb:g}"
    lines = [BEGIN, f"Command: `make bench` (`{cmd}`)",
             f"Machine: {os.cpu_count()} cores, {cpu}; Python {platform.python_version()}, "
             f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; "
             f"date {time.strftime('%Y-%m-%d')}. Runs per cell: {args.repeat} "
             "(1 for the slow baselines at 1 GB). The two TF-IDF vectorizers run alternately "
             "and their ratio is the median of the pairs' ratios.", "",
             "| MB | job | tool | median s | min s | MB/s | peak RSS MB | of which texts |",
             "|---:|---|---|---:|---:|---:|---:|---:|"]
    for (_, task), r in results.items():
        job, tool, _ = TASKS[task]
        lines.append(f"| {r['mb']:.0f} | {job} | {tool} | {med(r):.3f} | {min(r['times']):.3f} | "
                     f"{r['mb'] / med(r):,.0f} | {r['rss']:,.0f} | {r['base']:,.0f} |")
    lines += ["", "| MB | TF-IDF vs scikit-learn | frame trends vs `re` | vs pyahocorasick "
              "| `CountVectorizer` / `wc -w` | UAX #29 terms / `wc -w` |",
              "|---:|---:|---:|---:|---:|---:|"]
    def ratio(mb, a, b):
        if (mb, a) in results and (mb, b) in results:
            slow, fast = results[(mb, a)], results[(mb, b)]
            if {a, b} == set(PAIRED) and len(slow["times"]) == len(fast["times"]):
                return f"{paired_ratio(slow, fast):.1f}x"  # run alternately
            return f"{med(slow) / med(fast):.1f}x"
        return "-"

    for mb in args.sizes:
        lines.append(f"| {mb:g} | {ratio(mb, 'sk_tfidf', 'fs_tfidf')} | {ratio(mb, 're_frames', 'fs_frames')} | "
                     f"{ratio(mb, 'aho_frames', 'fs_frames')} | {ratio(mb, 'fs_count', 'raw_scan')} | "
                     f"{ratio(mb, 'fs_corpus_terms', 'raw_scan')} |")
    big, mid = max(args.sizes), sorted(args.sizes)[len(args.sizes) // 2 if len(args.sizes) > 2 else 0]
    if big != mid:
        lines += ["", f"Linearity: time at {big:g} MB / time at {mid:g} MB (size ratio "
                  f"{results[(big, args.tasks[0])]['mb'] / results[(mid, args.tasks[0])]['mb']:.1f}):", ""]
        lines += [f"- {TASKS[t][1]}: {med(results[(big, t)]) / med(results[(mid, t)]):.1f}x"
                  for t in args.tasks if t.startswith("fs_") and (big, t) in results and (mid, t) in results]
    if streamed:
        lines += ["", f"Streaming: `fs.scan` over {streamed['mb']:,.0f} MB of JSONL "
                  f"({streamed['docs']:,} posts, {streamed['batches']} batches; {len(FRAMES)} frames "
                  f"and term counts): {streamed['seconds']:.0f} s "
                  f"({streamed['mb'] / streamed['seconds']:.0f} MB/s), peak RSS {streamed['rss']:,.0f} MB."]
    lines.append(END)
    return "\n".join(lines)


if __name__ == "__main__":
    main()
