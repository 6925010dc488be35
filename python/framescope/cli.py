"""The ``framescope`` command (also ``python -m framescope``).

Subcommands read a corpus from PATHs (files, folders, globs; see ``framescope.read``)
or, without a PATH, use the built-in demo corpus:

- ``trends``: frame usage per period, printed and written as CSV, plotted as PNG;
- ``kwic``: keyword-in-context lines for a pattern or a frame;
- ``terms``: the most frequent terms;
- ``tfidf``: a TF-IDF matrix written as ``.npz`` (scipy ``load_npz`` reads it);
- ``dedup``: the cleaning and duplicate report, and optionally the cleaned corpus as JSONL;
- ``report``: one self-contained, interactive HTML report to share (``-o report.html``);
- ``summary``: term and TF-IDF tables of the demo corpus.

Exit codes: 0 done, 1 bad input (the message names the file and line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from framescope.periods import calendar


class _Progress:
    """Stage progress on stderr when it is a terminal (silent otherwise)."""

    def __init__(self, stages: int, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.bar = None
        if self.enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=stages, file=sys.stderr, leave=False, unit="step")

    @contextlib.contextmanager
    def stage(self, name: str):
        if self.bar is not None:
            self.bar.set_description(name)
        yield
        if self.bar is not None:
            self.bar.update(1)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _corpus(args, progress: _Progress):
    import framescope as fs

    with progress.stage("reading"):
        if args.paths:
            corpus = fs.read(args.paths, **_read_options(args))
        else:
            corpus = fs.datasets.demo()
    if not args.no_dedup:
        with progress.stage("cleaning"):
            corpus = corpus.dedup(hyphenation=args.join_hyphenated, html=args.strip_html)
    elif args.join_hyphenated or args.strip_html:
        corpus = corpus.dedup(boilerplate=False, repeats=False, drop_empty=False,
                              duplicates=False, hyphenation=args.join_hyphenated,
                              html=args.strip_html)
    return corpus


def _frames(spec: str):
    import framescope as fs
    from framescope.frames import builtin_names

    if spec in builtin_names():
        return fs.Frames.builtin(spec)
    path = Path(spec)
    if not path.exists():
        raise FileNotFoundError(f"--frames {spec!r}: not a built-in dictionary "
                                f"({', '.join(builtin_names())}) nor a file")
    return fs.Frames.from_file(path)


class UsageError(Exception):
    """A command line that cannot mean anything (exit status 2, as argparse's)."""


def _count(value: str) -> int:
    """A non-negative integer option."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {n}")
    return n


def _by_keys(value: str) -> list[str]:
    """``--by party,decade``: the keys of a grouping."""
    keys = [k.strip() for k in value.split(",")]
    if not all(keys):
        raise argparse.ArgumentTypeError(f"empty key in {value!r}: give keys joined by commas")
    return keys


def _by(keys: list[str]):
    """One key as a str (the one-key table layout), several as a list."""
    return keys[0] if len(keys) == 1 else keys


def _say(msg: str) -> None:
    print(msg, file=sys.stderr)


def _trends(args) -> int:
    import framescope as fs

    progress = _Progress(4)
    frames = _frames(args.frames)
    if args.frame:
        frames = frames.select(args.frame)
    if args.stream:
        if not args.paths:
            raise ValueError("--stream reads PATHs batch by batch; give at least one PATH")
        if args.bootstrap:
            raise ValueError("--bootstrap needs the documents in memory; drop --stream")
        with progress.stage("reading and matching"):
            result = fs.scan(args.paths, frames, by=_by(args.by), clean=not args.no_dedup,
                             hyphenation=args.join_hyphenated, html=args.strip_html,
                             terms=False,
                             level=args.level, rolling=args.rolling, **_read_options(args))
        n_docs, table = result.docs, result.trends
    else:
        corpus = _corpus(args, progress)
        with progress.stage("matching"):
            table = corpus.frame_trends(frames, by=_by(args.by), level=args.level,
                                        bootstrap=args.bootstrap, rolling=args.rolling)
        n_docs = len(corpus)
    progress.close()
    totals = table.groupby("frame", sort=False)["hits"].sum()
    found = [f for f in frames.names if totals.get(f, 0) > 0]
    index = list(table.columns[:table.columns.get_loc("frame")].drop("start"))
    wide = table.pivot_table(index=index, columns="frame", values=args.value, sort=False,
                             dropna=False)
    wide = wide[[f for f in found if f in wide.columns]]
    docs = table.drop_duplicates(index).set_index(index)["docs"]
    wide.insert(0, "docs", docs.reindex(wide.index).astype("Int64"))
    unit = "hits per 10,000 tokens" if args.value == "per_10k" else "share of documents with a hit"
    source = ", ".join(args.paths) if args.paths else "the built-in demo corpus"
    print(f"{n_docs} documents from {source}; {args.value} ({unit}) by {' x '.join(args.by)}:")
    with pd.option_context("display.width", 200, "display.max_columns", 40, "display.max_rows", 200):
        print(wide.round(2).to_string())
    silent = [f for f in frames.names if f not in found]
    if silent:
        print(f"no hits: {', '.join(silent)}")
    timed = [k for k in args.by if calendar(k) is not None]
    undated = bool(timed) and set(table["period"]) <= {"undated"}
    if undated:
        _say(f"none of the {n_docs} documents has a date, so there is no trend over time: give "
             "dates with --date FIELD (JSONL/CSV), or --meta FILE (a table of file names with a "
             "date or year column; --on names its file column), or read files whose text has a "
             "dateline (README, Dates); --by COLUMN groups by metadata instead")
    if args.out:
        _write(table, args.out)
        _say(f"wrote the tidy trend table ({len(table)} rows, with intervals) to {args.out}")
    if args.plot and undated:
        _say(f"no plot written to {args.plot}: a trend over time needs dated documents")
    elif args.plot:
        import matplotlib

        matplotlib.use("Agg")
        shown = totals[found].sort_values(ascending=False).index[:8].tolist() if found else None
        ax = fs.plot.trends(table, value=args.value, frames=shown)
        if len(found) > 8:
            _say("the plot shows the 8 frames with most hits; --frame picks others")
        _save_figure(ax, args.plot)
        _say(f"wrote the plot to {Path(args.plot).resolve()}")
    return 0


def _write(table: pd.DataFrame, path: str) -> None:
    """Writes a result table (Parquet for a ``.parquet`` name, else CSV) and its run
    record beside it as ``PATH-metadata.json`` (CSVW)."""
    import framescope as fs
    from framescope.provenance import write_sidecar

    if str(path).lower().endswith(".parquet"):
        fs.write_table(table, path)
    else:
        pd.DataFrame(table).to_csv(path, index=False)
    write_sidecar(path, fs.provenance(table))


def _save_figure(ax, path: str) -> None:
    """Saves the figure of ``ax`` and its run record beside it (``PATH-metadata.json``)."""
    import framescope as fs
    from framescope.provenance import write_sidecar

    fig = np.ravel(ax)[0].figure
    fig.savefig(path, dpi=120, bbox_inches="tight")
    write_sidecar(path, fs.provenance(fig))


def _kwic(args) -> int:

    if not args.args:
        raise UsageError("kwic needs a PATTERN (or --frames with --frame)")
    if args.frames:
        args.paths, pattern = args.args, None
    else:
        args.paths, pattern = args.args[:-1], args.args[-1]
        if os.path.exists(pattern) and not args.paths:
            raise UsageError(f"{pattern!r} is a path, not a PATTERN: give both, e.g. "
                             f"framescope kwic {pattern} \"collective West\"")
    progress = _Progress(3)
    corpus = _corpus(args, progress)
    with progress.stage("matching"):
        if pattern is not None:
            lines = corpus.kwic(pattern, window=args.window)
        else:
            lines = corpus.kwic(_frames(args.frames), window=args.window, frame=args.frame)
    progress.close()
    if args.out:
        _write(lines, args.out)
        _say(f"wrote {len(lines)} lines to {args.out}")
    shown = lines if args.limit is None else lines.head(args.limit)
    for r in shown.itertuples(index=False):
        date = "" if pd.isna(r.date) else str(pd.Timestamp(r.date).date())
        print(f"{r.id}\t{date}\t{r.left[-60:]:>60} [{r.match}] {r.right[:60]}")
    _say(f"{len(lines)} matches" + (f" ({len(shown)} shown)" if len(shown) < len(lines) else ""))
    return 0


def _report(args) -> int:
    frames = _frames(args.frames)
    if args.frame:
        frames = frames.select(args.frame)
    _refuse_overwriting_input(args.out, args.paths)
    progress = _Progress(3)
    corpus = _corpus(args, progress)
    with progress.stage("writing the report"):
        report = corpus.report(frames, args.out, by=args.by, group=args.group,
                               per_period=args.per_period, max_contexts=args.max_contexts,
                               window=args.window, level=args.level, title=args.title)
    progress.close()
    _say(f"wrote {Path(report.path).resolve()} ({report.bytes / 1e6:.2f} MB: {report.frames} "
         f"frames, {report.periods} periods, {report.contexts} contexts); open it in a browser")
    return 0


def _diffusion(args) -> int:
    progress = _Progress(3)
    frames = _frames(args.frames)
    if args.frame:
        frames = frames.select(args.frame)
    corpus = _corpus(args, progress)
    with progress.stage("matching"):
        result = corpus.diffusion(frames, source=args.source, by=args.by)
    progress.close()
    adoption = result.adoption.dropna(subset=["first"])
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(adoption.assign(first=adoption["first"].dt.date, last=adoption["last"].dt.date)
              .to_string(index=False))
    unused = sorted(set(result.adoption["frame"]) - set(adoption["frame"]))
    if unused:
        print(f"no dated use: {', '.join(unused)}")
    if args.out:
        _write(result.adoption, args.out)
        _say(f"wrote the adoption table ({len(result.adoption)} rows) to {args.out}")
    if args.shares:
        _write(result.shares, args.shares)
        _say(f"wrote each {args.source}'s share per {args.by} to {args.shares}")
    if args.plot and len(adoption):
        import matplotlib

        matplotlib.use("Agg")
        import framescope as fs

        ax = fs.plot.adoption(result)
        _save_figure(ax, args.plot)
        _say(f"wrote the plot to {Path(args.plot).resolve()}")
    return 0


def _fillers(args) -> int:
    if not args.args:
        raise UsageError('fillers needs a PATTERN such as "collective *"')
    args.paths, pattern = args.args[:-1], args.args[-1]
    if os.path.exists(pattern) and not args.paths:
        raise UsageError(f"{pattern!r} is a path, not a PATTERN: give both, e.g. "
                         f"framescope fillers {pattern} \"collective *\"")
    progress = _Progress(3)
    corpus = _corpus(args, progress)
    with progress.stage("counting"):
        table = corpus.fillers(pattern, by=_by(args.by), top=args.top)
    progress.close()
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(table.drop(columns=["start"]).round(2).to_string(index=False))
    if args.out:
        _write(table, args.out)
        _say(f"wrote {len(table)} rows to {args.out}")
    return 0


def _terms(args) -> int:
    progress = _Progress(3)
    corpus = _corpus(args, progress)
    with progress.stage("counting"):
        table = corpus.term_frequencies(top=args.top, stop_words=args.stop_words, stem=args.stem,
                                        ngram=args.ngram)
    progress.close()
    print(table.to_string(index=False))
    if args.out:
        _write(table, args.out)
        _say(f"wrote {len(table)} terms to {args.out}")
    return 0


def _tfidf(args) -> int:
    import framescope as fs

    progress = _Progress(3)
    corpus = _corpus(args, progress)
    with progress.stage("weighting"):
        vec = fs.TfidfVectorizer(ngram_range=(1, args.ngram), min_df=args.min_df,
                                 max_df=args.max_df, stop_words=args.stop_words)
        X = vec.fit_transform(corpus.texts)
    progress.close()
    out = args.out if args.out.endswith(".npz") else args.out + ".npz"  # numpy adds it
    np.savez_compressed(out, format=np.array("csr"), shape=np.array(X.shape),
                        data=X.data, indices=X.indices, indptr=X.indptr,
                        features=vec.get_feature_names_out().astype(str),
                        ids=np.array(corpus.ids, dtype=str))
    print(f"TF-IDF: {X.shape[0]} documents x {X.shape[1]} terms, {X.nnz:,} non-zeros -> {out}")
    _say("load with scipy.sparse.load_npz(path); np.load(path)['features'] and ['ids'] name "
         "the columns and rows")
    return 0


def _dedup(args) -> int:
    import framescope as fs

    if args.out:
        _refuse_overwriting_input(args.out, args.paths)
    progress = _Progress(2)
    with progress.stage("reading"):
        corpus = fs.read(args.paths, **_read_options(args)) if args.paths else fs.datasets.demo()
    with progress.stage("cleaning"):
        clean = corpus.dedup(threshold=args.threshold, near=not args.exact_only,
                             hyphenation=args.join_hyphenated, html=args.strip_html)
    progress.close()
    report = clean.dedup_report
    counts = report["action"].value_counts()
    print(f"{len(corpus)} documents read, {len(clean)} kept: "
          + ", ".join(f"{counts.get(a, 0)} {a.replace('_', ' ')}"
                      for a in ("duplicate", "near_duplicate", "empty", "cleaned")))
    if args.report:
        _write(report, args.report)
        _say(f"wrote the report ({len(report)} rows) to {args.report}")
    if args.out:
        frame = clean.to_pandas().drop(columns=["n_tokens"])
        frame.insert(1, "text", clean.texts)
        frame["date"] = frame["date"].dt.strftime("%Y-%m-%d")
        with open(args.out, "w", encoding="utf-8") as f:
            for rec in frame.to_dict(orient="records"):
                f.write(json.dumps({k: (None if pd.isna(v) else v) if not isinstance(v, (list, dict))
                                    else v for k, v in rec.items()}, ensure_ascii=False) + "\n")
        _say(f"wrote {len(clean)} cleaned documents to {args.out}")
    return 0


def _refuse_overwriting_input(out: str, paths: list[str]) -> None:
    """An output file that is one of the inputs, or inside an input folder, would be
    overwritten before (or while) it is read: refuse."""
    target = Path(out).resolve()
    for p in paths:
        src = Path(p).resolve()
        if target == src or (src.is_dir() and src in target.parents):
            raise UsageError(f"--out {out} would overwrite the input {p}: write elsewhere")


def _summary(args) -> int:
    import framescope as fs

    t0 = time.perf_counter()
    corpus = fs.datasets.demo()
    years = corpus.dates.dt.year
    print(f"{corpus!r}: {int(years.notna().sum())} dated, {int(years.isna().sum())} undated, "
          f"{int(corpus.n_tokens.sum()):,} tokens")
    print("\nTop terms (stop words removed, stems merged):")
    print(corpus.term_frequencies(top=args.top, stop_words="auto", stem="auto").to_string(index=False))
    print("\nTop bigrams:")
    print(corpus.term_frequencies(top=args.top, stop_words="auto", ngram=2).to_string(index=False))
    vec = fs.TfidfVectorizer(stop_words="english", ngram_range=(1, 2), min_df=3)
    X = vec.fit_transform(corpus.texts)
    names = vec.get_feature_names_out()
    print(f"\nTF-IDF: {X.shape[0]} documents x {X.shape[1]} terms, {X.nnz:,} non-zeros")
    year_arr = years.to_numpy()
    print("Highest mean TF-IDF per year (first and last years):")
    for y in (2012, 2018, 2025):
        rows = np.flatnonzero(year_arr == y)
        mean = np.asarray(X[rows].mean(axis=0)).ravel()
        top = names[np.argsort(-mean, kind="stable")[:6]]
        print(f"  {y}: " + ", ".join(top))
    print(f"\n(done in {time.perf_counter() - t0:.2f} s on {fs.get_num_threads()} threads)")
    return 0


def _date_range(value: str):
    """``FIRST:LAST`` (years or ISO dates; either may be empty) as a date_range pair."""
    if ":" not in value:
        raise argparse.ArgumentTypeError(f"expected FIRST:LAST, e.g. 1900:2030, got {value!r}")
    first, last = (v.strip() or None for v in value.split(":", 1))
    return tuple(int(v) if v is not None and v.isdigit() and len(v) <= 4 else v
                 for v in (first, last))


def _size(value: str) -> int:
    """A byte count: digits with an optional K, M or G (binary) suffix."""
    units = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    v = value.strip().upper().removesuffix("B").removesuffix("I")
    unit = v[-1] if v and v[-1] in "KMG" else ""
    number = v[:-1] if unit else v
    if not number.isdigit() or int(number) == 0:
        raise argparse.ArgumentTypeError(f"expected a size such as 2G, 100M or 4096, got {value!r}")
    return int(number) * units[unit]


def _read_options(args) -> dict:
    """fs.read / fs.scan keyword arguments from the input options (``--meta``/``--on``
    only when given)."""
    opts = dict(format=args.format, text=args.text, date=args.date, id=args.id,
                errors=args.errors, date_range=args.date_range, bad_dates=args.bad_dates,
                dayfirst=args.dayfirst, max_record_bytes=args.max_record_bytes,
                encoding=args.encoding)
    if args.meta is not None or args.on is not None:
        opts.update(meta=False if args.meta == "none" else args.meta, on=args.on)
    return opts


def _input_options(p: argparse.ArgumentParser, paths: bool = True) -> None:
    if paths:
        p.add_argument("paths", nargs="*", metavar="PATH",
                       help="files, folders or globs to read (default: the built-in demo corpus)")
    g = p.add_argument_group("input")
    g.add_argument("--format", default="auto",
                   choices=["auto", "text", "channel", "jsonl", "csv", "tsv", "telegram", "html"])
    g.add_argument("--text", default="text", help="JSONL field / CSV column with the text")
    g.add_argument("--date", default=None, help="field / column with the date (default: date)")
    g.add_argument("--id", default=None, help="field / column with the id")
    g.add_argument("--meta", default=None, metavar="FILE",
                   help="a table describing the files (CSV/TSV/JSONL/Parquet), joined by file "
                        "name; default: a metadata.csv at the top of a folder read; 'none': "
                        "read it as documents")
    g.add_argument("--on", default=None, metavar="COLUMN",
                   help="the --meta column naming the files (default: fileid, file, filename, ...)")
    g.add_argument("--errors", default="raise", choices=["raise", "skip"],
                   help="malformed records: stop (default) or skip and report")
    g.add_argument("--encoding", default=None, metavar="LABEL",
                   help="encoding of files without a byte-order mark, e.g. windows-1251, "
                        "koi8-r (default UTF-8)")
    g.add_argument("--date-range", type=_date_range, default=None, metavar="FIRST:LAST",
                   help="plausible dates, years or ISO dates (default 1000: to a year from today)")
    g.add_argument("--bad-dates", default="raise", choices=["raise", "undated"],
                   help="a metadata date that is not a date or out of range: stop (default) "
                        "or leave undated and report")
    order = g.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       default=None, help="numeric dates with the year last (04/05/2023, as "
                       "Excel writes them into a CSV) have the day first")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="... have the month first (United States); without either, only "
                       "values that tell (29/04/2023) are read and 04/05/2023 is an error")
    g.add_argument("--max-record-bytes", type=_size, default=None, metavar="SIZE",
                   help="the most one record (JSONL line, CSV row, whole text file) may take, "
                        "e.g. 2G or 100M (default 512M): stops decompression bombs")
    g.add_argument("--join-hyphenated", action="store_true",
                   help="make words hyphenated across line breaks (OCR'd, PDF text: "
                        "'multipo-' + 'lar') whole again, as Corpus.dedup(hyphenation=True)")
    g.add_argument("--strip-html", action="store_true",
                   help="remove HTML tags and decode entities a scrape left in the text "
                        "('collective&nbsp;West'), as Corpus.dedup(html=True)")
    if p.prog.split()[-1] != "dedup":
        g.add_argument("--no-dedup", action="store_true",
                       help="keep boilerplate lines, repeated blocks and duplicate documents")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (every subcommand has --help)."""
    parser = argparse.ArgumentParser(
        prog="framescope", description=__doc__.split("\n\n")[0],
        epilog="Without PATH, commands run on the built-in demo corpus. Exit codes: 0 done, "
               "1 bad input, 2 bad usage.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("trends", help="frame usage per period: table, CSV and PNG plot")
    _input_options(p)
    p.add_argument("--frames", default="ru_foreign_policy",
                   help="a built-in dictionary name or a YAML/JSON file (default: ru_foreign_policy)")
    p.add_argument("--frame", action="append", help="only this frame (repeatable)")
    p.add_argument("--by", default=["year"], type=_by_keys,
                   help="year, quarter, month, week, day, decade, a multiple such as 5y, 2q, 6m or 6y@2012 (six years from 2012), "
                        "a metadata column, or keys joined by commas: party,decade (default: year)")
    p.add_argument("--value", default="per_10k", choices=["per_10k", "doc_share"])
    p.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--bootstrap", type=int, default=None, help="document-bootstrap intervals with N resamples")
    p.add_argument("--rolling", type=int, default=None, help="sum over N periods")
    p.add_argument("--stream", action="store_true",
                   help="read batch by batch in bounded memory (fs.scan); duplicates across "
                        "batches are kept")
    p.add_argument("--out", help="write the tidy trend table (CSV)")
    p.add_argument("--plot", help="write a PNG plot")
    p.set_defaults(func=_trends)

    p = sub.add_parser("kwic", help="keyword-in-context lines: framescope kwic [PATH...] PATTERN")
    p.add_argument("args", nargs="*", metavar="PATH... PATTERN",
                   help="paths to read, then the pattern (with --frames: paths only)")
    _input_options(p, paths=False)
    p.add_argument("--frames", help="show the matches of a dictionary's frames instead of a PATTERN")
    p.add_argument("--frame", action="append", help="with --frames: only this frame (repeatable)")
    p.add_argument("--window", type=_count, default=8, help="tokens of context each side (default 8)")
    p.add_argument("--limit", type=_count, default=50, help="lines to print (default 50; --out writes all)")
    p.add_argument("--out", help="write all lines (CSV)")
    p.set_defaults(func=_kwic)

    p = sub.add_parser("report", help="an interactive HTML report to share: framescope report [PATH...] -o report.html")
    _input_options(p)
    p.add_argument("--frames", default="ru_foreign_policy",
                   help="a built-in dictionary name or a YAML/JSON file (default: ru_foreign_policy)")
    p.add_argument("--frame", action="append", help="only this frame (repeatable)")
    p.add_argument("-o", "--out", default="report.html", help="the HTML file to write (default: report.html)")
    p.add_argument("--by", default="year",
                   help="year, quarter, month, week, day, decade, a multiple such as 5y, or a metadata column (default: year)")
    p.add_argument("--group", default=None, metavar="COLUMN",
                   help="a metadata column to select groups by in the report (channel, outlet, speaker)")
    p.add_argument("--per-period", type=_count, default=8,
                   help="contexts sampled per frame and period (default 8)")
    p.add_argument("--max-contexts", type=_count, default=4000, help="contexts in all (default 4000)")
    p.add_argument("--window", type=_count, default=10, help="tokens of context each side (default 10)")
    p.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    p.add_argument("--title", default=None, help="the report's title")
    p.set_defaults(func=_report)

    p = sub.add_parser("diffusion", help="when each source took each frame up, and shares per period")
    _input_options(p)
    p.add_argument("--frames", default="ru_foreign_policy",
                   help="a built-in dictionary name or a YAML/JSON file (default: ru_foreign_policy)")
    p.add_argument("--frame", action="append", help="only this frame (repeatable)")
    p.add_argument("--source", default="channel",
                   help="the metadata column of sources (default: channel, as Telegram exports have)")
    p.add_argument("--by", default="month", help="period of the shares (default: month)")
    p.add_argument("--out", help="write the adoption table (CSV)")
    p.add_argument("--shares", help="write each source's share per period (CSV)")
    p.add_argument("--plot", help="write the adoption timeline (PNG)")
    p.set_defaults(func=_diffusion)

    p = sub.add_parser("fillers", help='words filling a slot per period: framescope fillers [PATH...] "collective *"')
    p.add_argument("args", nargs="*", metavar="PATH... PATTERN",
                   help="paths to read, then the pattern with * slots")
    _input_options(p, paths=False)
    p.add_argument("--by", default=["year"], type=_by_keys, help="period or keys (default: year)")
    p.add_argument("--top", type=_count, default=10, help="fillers per period (default 10)")
    p.add_argument("--out", help="write the table (CSV)")
    p.set_defaults(func=_fillers)

    p = sub.add_parser("terms", help="the most frequent terms")
    _input_options(p)
    p.add_argument("--top", type=_count, default=50)
    p.add_argument("--ngram", type=int, default=1, help="n-gram size (default 1)")
    p.add_argument("--stop-words", default="auto", help="a language, 'auto' (English + Russian) or 'none'")
    p.add_argument("--stem", default=None, help="Snowball stems: a language or 'auto'")
    p.add_argument("--out", help="write the table (CSV)")
    p.set_defaults(func=_terms)

    p = sub.add_parser("tfidf", help="a TF-IDF matrix as .npz")
    _input_options(p)
    p.add_argument("--out", required=True, help="the .npz file to write")
    p.add_argument("--ngram", type=int, default=1, help="largest n-gram (default 1)")
    p.add_argument("--min-df", type=int, default=1)
    p.add_argument("--max-df", type=float, default=1.0)
    p.add_argument("--stop-words", default=None, help="'english' or none")
    p.set_defaults(func=_tfidf)

    p = sub.add_parser("dedup", help="clean and deduplicate; write the report")
    _input_options(p)
    p.add_argument("--report", help="write the report (CSV)")
    p.add_argument("--out", help="write the cleaned corpus (JSONL)")
    p.add_argument("--threshold", type=float, default=0.8, help="near-duplicate Jaccard threshold")
    p.add_argument("--exact-only", action="store_true", help="exact duplicates only")
    p.set_defaults(func=_dedup)

    p = sub.add_parser("summary", help="term-frequency and TF-IDF summary of the demo corpus")
    p.add_argument("--top", type=int, default=15, help="rows per table (default 15)")
    p.set_defaults(func=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (0 done, 1 bad input, 2 bad usage)."""
    import framescope as fs

    args = build_parser().parse_args(argv)
    if getattr(args, "stop_words", None) == "none":
        args.stop_words = None
    try:
        return args.func(args)
    except BrokenPipeError:
        # "| head" closed the pipe: stop quietly, as Unix tools do (128 + SIGPIPE).
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except UsageError as e:
        print(f"framescope {args.command}: usage error: {e}", file=sys.stderr)
        return 2
    except (fs.FramescopeError, ValueError, KeyError, FileNotFoundError, OSError, ImportError) as e:
        msg = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"framescope {args.command}: error: {msg}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
