"""One file to share: a self-contained, interactive HTML frame report.

:func:`write_report` (``Corpus.report``, ``framescope report``) writes one HTML file
that co-authors open from disk, in any browser, without Python or a network:

- trend lines with interval bands (per 10,000 tokens or share of documents; log scale;
  a group selector when ``group=`` names a metadata column; a period range);
- clicking a point (or a heatmap cell, or the "show contexts" form, by keyboard) lists
  a seeded sample of that frame's keyword-in-context lines in that period, with the
  document's id, date and source, and opens a passage of the document around the hit;
- the frames x periods heatmap; the dictionary with each pattern's hit count;
- how the corpus was read, cleaned and dated; the run record;
- "Download CSV" for the data behind each view.

Everything is inlined (the charting library, dygraphs 2.2.1 from Debian's
``libjs-dygraphs``, MIT: time series with interval bands built in, 130 kB, no
dependencies; see ``assets/LICENSE-dygraphs.txt``). A Content-Security-Policy allows
only the page's own script and style blocks, by their SHA-256: no network access, no
inline event handlers, nothing injected runs. Every string from the corpus (texts, ids,
metadata, frame names, patterns) travels as JSON data in a ``<script
type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and the page puts
it on screen as text, never as markup.

Size: the page holds per (frame, period) cell at most ``per_period`` contexts, at most
``max_contexts`` in all (cells beyond that many get none, at random), each with ``context_chars`` characters of passage either side,
never the corpus: the demo corpus's report is about 1 MB, a 100 MB corpus's a few MB.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from framescope.frames import Frames
from framescope.framing import as_frames, frame_matrix
from framescope.grouping import doc_labels, group_keys
from framescope.periods import calendar
from framescope.provenance import attach, make_record, provenance

__all__ = ["Report", "write_report"]

ASSETS = Path(__file__).parent / "assets"

#: The report's Content-Security-Policy; ``{scripts}`` and ``{styles}`` are the
#: SHA-256 sources of the page's own blocks.
CSP = ("default-src 'none'; script-src {scripts}; style-src {styles}; img-src data: blob:; "
       "base-uri 'none'; form-action 'none'")

#: The most (frame, period, view) cells a report holds (a view: all documents, or one
#: group): about 60 bytes of JSON each, so the series stay under about 6 MB.
MAX_CELLS = 100_000

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class Report:
    """A written report: its ``path``, size in ``bytes``, and what it holds (``frames``,
    ``periods``, ``contexts``: the number of KWIC lines sampled). In a notebook it shows
    inline, in an iframe."""

    path: Path
    bytes: int
    frames: int
    periods: int
    contexts: int

    def __repr__(self) -> str:
        return (f"<Report {str(self.path)!r}: {self.bytes / 1e6:.2f} MB, {self.frames} frames, "
                f"{self.periods} periods, {self.contexts} contexts>")

    def _repr_html_(self) -> str:
        page = self.path.read_text(encoding="utf-8")
        return (f'<iframe title="framescope report" srcdoc="{html.escape(page, quote=True)}" '
                'sandbox="allow-scripts allow-downloads" style="width:100%;height:760px;'
                'border:1px solid #ccc"></iframe>')


def _json_for_html(data) -> str:
    """JSON that is inert inside a ``<script type="application/json">`` block: no ``<``,
    ``>`` or ``&`` (so no ``</script>`` or ``<!--``), no bare line separators; NaN is
    written as null."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def _inline(text: str, what: str) -> str:
    """An asset's text checked safe to inline in its block."""
    if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise ValueError(f"{what} cannot be inlined: it contains a closing tag or comment")
    return text


def _sha256_source(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def _numbers(values: np.ndarray, digits: int = 6) -> list:
    """Floats rounded to ``digits`` significant digits, NaN as None (JSON null)."""
    a = np.asarray(values, dtype=np.float64)
    out = np.empty(a.shape, dtype=object)
    finite = np.isfinite(a)
    rounded = a.copy()
    nonzero = finite & (a != 0)
    if nonzero.any():
        mag = np.floor(np.log10(np.abs(a[nonzero])))
        scale = 10.0 ** (digits - 1 - mag)
        rounded[nonzero] = np.round(a[nonzero] * scale) / scale
    out[finite] = rounded[finite].tolist() if finite.any() else []
    out[~finite] = None
    return out.tolist()


def _grid(table: pd.DataFrame, frames: list[str], periods: list[str], column: str) -> np.ndarray:
    """``column`` of a trend table as a frames x periods array (NaN where absent)."""
    wide = table.pivot_table(index="frame", columns="period", values=column, sort=False,
                             dropna=False, aggfunc="first", observed=True)
    return wide.reindex(index=frames, columns=periods).to_numpy(dtype=np.float64)


def _view(table: pd.DataFrame, frames: list[str], periods: list[str]) -> dict:
    """One view's series (all documents, or one group): value, interval and counts."""
    g = {c: _grid(table, frames, periods, c) for c in
         ("per_10k", "ci_low", "ci_high", "doc_share", "share_ci_low", "share_ci_high",
          "hits", "docs_with_hit", "docs", "tokens")}
    docs = np.nan_to_num(g["docs"][0] if len(frames) else np.zeros(len(periods)))
    tokens = np.nan_to_num(g["tokens"][0] if len(frames) else np.zeros(len(periods)))
    return {
        "per_10k": [_numbers(g["per_10k"][i]) for i in range(len(frames))],
        "per_10k_low": [_numbers(g["ci_low"][i]) for i in range(len(frames))],
        "per_10k_high": [_numbers(g["ci_high"][i]) for i in range(len(frames))],
        "doc_share": [_numbers(g["doc_share"][i]) for i in range(len(frames))],
        "doc_share_low": [_numbers(g["share_ci_low"][i]) for i in range(len(frames))],
        "doc_share_high": [_numbers(g["share_ci_high"][i]) for i in range(len(frames))],
        "hits": [np.nan_to_num(g["hits"][i]).astype(np.int64).tolist() for i in range(len(frames))],
        "docs_with_hit": [np.nan_to_num(g["docs_with_hit"][i]).astype(np.int64).tolist()
                          for i in range(len(frames))],
        "docs": docs.astype(np.int64).tolist(),
        "tokens": tokens.astype(np.int64).tolist(),
    }


def _sample(m_csc, strata: np.ndarray, per_cell: int, rng) -> list[np.ndarray]:
    """Per frame (column of the documents x frames hit matrix), up to ``per_cell``
    documents with a hit per stratum, drawn at random (seeded), sorted."""
    chosen = []
    for f in range(m_csc.shape[1]):
        docs = m_csc.indices[m_csc.indptr[f]:m_csc.indptr[f + 1]]
        if len(docs) == 0:
            chosen.append(docs.astype(np.int64))
            continue
        cell = strata[docs]
        order = np.lexsort((rng.random(len(docs)), cell))
        cell_sorted = cell[order]
        first = np.r_[0, np.flatnonzero(np.diff(cell_sorted)) + 1]
        starts = np.repeat(first, np.diff(np.r_[first, len(cell_sorted)]))
        rank = np.arange(len(cell_sorted)) - starts
        chosen.append(np.sort(docs[order[rank < per_cell]]).astype(np.int64))
    return chosen


def _passage(text: str, start: int, end: int, chars: int) -> dict:
    """The document around a hit (UTF-8 byte offsets ``start``/``end``): ``chars``
    characters either side, cut at whitespace where one is near."""
    raw = text.encode("utf-8")
    before = raw[max(0, start - 4 * chars):start].decode("utf-8", errors="ignore")
    after = raw[end:end + 4 * chars].decode("utf-8", errors="ignore")
    cut_before = len(before) > chars or start > 4 * chars
    cut_after = len(after) > chars or end + 4 * chars < len(raw)
    before, after = before[-chars:], after[:chars]
    if cut_before and " " in before[:40]:
        before = before[before.index(" ") + 1:]
    if cut_after and " " in after[-40:]:
        after = after[:after.rindex(" ")]
    return {"before": ("…" if cut_before else "") + before,
            "match": raw[start:end].decode("utf-8", errors="replace"),
            "after": after + ("…" if cut_after else "")}


def _contexts(corpus, frames: Frames, period_of_doc: np.ndarray, group_of_doc: np.ndarray | None,
              n_groups: int, per_period: int, max_contexts: int, window: int,
              context_chars: int, seed: int) -> tuple[list[dict], list[dict], int]:
    """The KWIC sample and its documents' records; also the contexts per cell used."""
    m = frame_matrix(corpus, frames, progress=False).tocsc()
    dated = period_of_doc >= 0
    strata = period_of_doc.astype(np.int64) * max(n_groups, 1)
    if group_of_doc is not None:
        strata = strata + group_of_doc
    strata = np.where(dated, strata, -1)
    cells = 0
    for f in range(m.shape[1]):
        docs = m.indices[m.indptr[f]:m.indptr[f + 1]]
        cells += len(np.unique(strata[docs]))
    per_cell = max(1, min(per_period, max_contexts // max(cells, 1)))
    rng = np.random.default_rng(seed)
    chosen = _sample(m, strata, per_cell, rng)
    total = sum(len(c) for c in chosen)
    if total > max_contexts:  # more cells with hits than contexts allowed: a random subset
        frame_of = np.repeat(np.arange(len(chosen)), [len(c) for c in chosen])
        keep = np.zeros(total, dtype=bool)
        keep[rng.choice(total, max_contexts, replace=False)] = True
        flat = np.concatenate(chosen)
        chosen = [flat[keep & (frame_of == f)] for f in range(len(chosen))]
    every = np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)
    if len(every) == 0:
        return [], [], per_cell
    sub = corpus[every.tolist()]
    lines = sub.kwic(frames, window=window)
    lines = lines.assign(doc=every[lines["doc"].to_numpy()])
    position = {name: i for i, name in enumerate(frames.names)}
    wanted = pd.DataFrame([(position[frames.names[f]], d) for f, ds in enumerate(chosen) for d in ds],
                          columns=["f", "doc"])
    lines = lines.assign(f=lines["frame"].map(position).to_numpy(np.int64),
                         draw=rng.random(len(lines)))
    lines = lines.merge(wanted, on=["f", "doc"]).sort_values("draw").drop_duplicates(["f", "doc"])
    lines = lines.sort_values(["f", "doc"]).reset_index(drop=True)
    table = sub.to_pandas()
    texts = sub.texts
    local = {int(d): i for i, d in enumerate(every)}
    meta_columns = [c for c in table.columns if c not in ("id", "date", "date_source", "source",
                                                         "n_tokens")]
    doc_index: dict[int, int] = {}
    docs: list[dict] = []
    out = []
    for row in lines.itertuples(index=False):
        d = int(row.doc)
        if d not in doc_index:
            i = local[d]
            date = table["date"].iloc[i]
            docs.append({
                "id": str(table["id"].iloc[i]),
                "date": "" if pd.isna(date) else pd.Timestamp(date).strftime("%Y-%m-%d"),
                "date_source": str(table["date_source"].iloc[i]),
                "source": str(table["source"].iloc[i]),
                "meta": {c: ("" if pd.isna(v) else str(v)) for c in meta_columns
                         for v in [table[c].iloc[i]]},
            })
            doc_index[d] = len(docs) - 1
        out.append({"f": int(row.f), "p": int(period_of_doc[d]),
                    "g": None if group_of_doc is None else int(group_of_doc[d]),
                    "d": doc_index[d], "left": row.left, "match": row.match, "right": row.right,
                    **_passage(texts[local[d]], int(row.start), int(row.end), context_chars)})
    return out, docs, per_cell


def _dictionary(corpus, frames: Frames, totals: dict[str, int]) -> list[dict]:
    """Each frame's patterns with the hits each pattern makes on its own (exclusions
    applied), and the frame's hits (a span matched by two patterns counts once)."""
    spec = frames.to_dict()
    singles = {}
    for entry in spec.values():
        for pattern in entry["patterns"]:
            singles[f"{len(singles)}"] = {"patterns": [pattern], "exclude": entry["exclude"]}
    counts = np.asarray(frame_matrix(corpus, Frames(singles), progress=False).sum(axis=0)).ravel()
    out, j = [], 0
    for fname, entry in spec.items():
        patterns = []
        for pattern in entry["patterns"]:
            patterns.append({"pattern": pattern, "hits": int(counts[j])})
            j += 1
        out.append({"frame": fname, "hits": int(totals.get(fname, 0)), "patterns": patterns,
                    "exclude": entry["exclude"], "description": entry["description"],
                    "watch": entry["watch"]})
    return out


def _rows(table: pd.DataFrame, limit: int = 200) -> dict:
    """A small table as columns of strings (the first ``limit`` rows) and its length."""
    head = table.head(limit)
    return {"columns": [str(c) for c in head.columns],
            "rows": [["" if pd.isna(v) else str(v) for v in r] for r in head.itertuples(index=False)],
            "total": int(len(table))}


def _reading(corpus) -> dict:
    """How the corpus was read, cleaned and dated."""
    table = corpus.to_pandas()
    dates = table["date"].dropna()
    read, dedup = corpus.read_report, corpus.dedup_report
    files = table["source"].astype(str).str.replace(r"(:\d+|#.*)$", "", regex=True)
    sources = files[files != ""].value_counts()
    return {
        "documents": int(len(table)),
        "tokens": int(table["n_tokens"].sum()),
        "first_date": "" if dates.empty else dates.min().strftime("%Y-%m-%d"),
        "last_date": "" if dates.empty else dates.max().strftime("%Y-%m-%d"),
        "date_sources": {str(k): int(v) for k, v in table["date_source"].value_counts().items()},
        "sources": _rows(pd.DataFrame({"file": sources.index.astype(str),
                                       "documents": sources.to_numpy()}), limit=50),
        "read_kinds": {str(k): int(v) for k, v in read["kind"].value_counts().items()},
        "read_report": _rows(read),
        "dedup_actions": {str(k): int(v) for k, v in dedup["action"].value_counts().items()},
        "dedup_removed_bytes": int(pd.to_numeric(dedup["removed_bytes"]).sum()) if len(dedup) else 0,
        "dedup_report": _rows(dedup),
    }


def _page(data: dict, title: str) -> str:
    """The HTML page: the template with the assets, the data and the policy filled in."""
    style = _inline((ASSETS / "dygraph.min.css").read_text(encoding="utf-8") + "\n"
                    + (ASSETS / "report.css").read_text(encoding="utf-8"), "the style sheet")
    library = _inline((ASSETS / "dygraph.min.js").read_text(encoding="utf-8"), "dygraphs")
    app = _inline((ASSETS / "report.js").read_text(encoding="utf-8"), "report.js")
    csp = CSP.format(scripts=f"{_sha256_source(library)} {_sha256_source(app)}",
                     styles=_sha256_source(style))
    fill = {"csp": html.escape(csp, quote=True), "title": html.escape(title), "style": style,
            "library": library, "app": app, "data": _json_for_html(data)}
    template = (ASSETS / "report.html").read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(lambda m: fill[m.group(1)], template)  # one pass: data stays data


def write_report(corpus, frames, path, by="year", *, group: str | None = None,
                 per_period: int = 8, max_contexts: int = 4000, window: int = 10,
                 context_chars: int = 400, level: float = 0.95, title: str | None = None,
                 seed: int = 1) -> Report:
    """See :meth:`framescope.Corpus.report`."""
    frames = as_frames(frames)
    if not isinstance(by, str):
        raise ValueError(f"by must be one key (a calendar period or a metadata column), got "
                         f"{by!r}; a second key goes in group=")
    if group is not None and (not isinstance(group, str) or group not in corpus.meta.columns):
        raise ValueError(f"group must be a metadata column, got {group!r}; metadata columns: "
                         f"{list(corpus.meta.columns)}")
    for name, value, low in (("per_period", per_period, 1), ("max_contexts", max_contexts, 1),
                             ("window", window, 0), ("context_chars", context_chars, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an int >= {low}, got {value!r}")
    table = corpus.frame_trends(frames, by=by, level=level, progress=False)
    names = frames.names
    periods = [str(p) for p in pd.unique(table["period"].astype(str))]
    table = table.assign(period=table["period"].astype(str))
    n_groups = int(corpus.meta[group].nunique(dropna=False)) if group is not None else 0
    cells = len(names) * len(periods) * (1 + n_groups)
    if cells > MAX_CELLS:
        raise ValueError(f"the report would hold {cells:,} frame x period x group cells "
                         f"({len(names)} frames, {len(periods)} periods, {1 + n_groups} views), "
                         f"more than {MAX_CELLS:,}: choose a coarser by= (\"month\", \"year\"), "
                         "fewer frames (frames.select) or a group column with fewer values")
    views = {"": _view(table, names, periods)}
    groups: list[str] = []
    group_of_doc = None
    if group is not None:
        grouped = corpus.frame_trends(frames, by=[group, by], level=level, progress=False)
        grouped = grouped.assign(period=grouped["period"].astype(str),
                                 **{group: grouped[group].astype(str)})
        groups = [str(g) for g in pd.unique(grouped[group])]
        for g in groups:
            views[g] = _view(grouped[grouped[group] == g], names, periods)
        labels = pd.Series(doc_labels(corpus.dates, corpus.meta, group)[0]).astype(str)
        group_of_doc = pd.Categorical(labels, categories=groups).codes.astype(np.int64)
    codes, keys = group_keys(corpus.dates, corpus.meta, by)
    key_labels = keys["period" if "period" in keys.columns else by].astype(str).to_numpy()
    index = {p: i for i, p in enumerate(periods)}
    period_of_doc = np.array([index.get(lab, -1) for lab in key_labels], dtype=np.int64)[codes]
    contexts, docs, per_cell = _contexts(corpus, frames, period_of_doc, group_of_doc, len(groups),
                                         per_period, max_contexts, window, context_chars, seed)
    totals = table.groupby("frame", sort=False)["hits"].sum()
    trend_record = provenance(table)
    params = dict(frames=frames, path=str(path), by=by, group=group, per_period=per_period,
                  max_contexts=max_contexts, window=window, context_chars=context_chars,
                  level=level, title=title, seed=seed)
    record = make_record("Corpus.report", corpus, params, parent=trend_record)
    title = title or f"framescope report: {frames.name}, by {by}"
    data = {
        "title": title,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "by": by, "calendar": calendar(by) is not None, "level": level,
        "frames": names, "periods": periods,
        "starts": ["" if pd.isna(s) else pd.Timestamp(s).strftime("%Y-%m-%d")
                   for s in table.drop_duplicates("period")["start"]],
        "group": group, "groups": groups, "views": views,
        "contexts": contexts, "docs": docs, "per_cell": per_cell, "window": window,
        "dictionary": _dictionary(corpus, frames, {k: int(v) for k, v in totals.items()}),
        "dictionary_name": frames.name,
        "reading": _reading(corpus),
        "record": record.to_dict(),
    }
    page = _page(data, title)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    report = Report(path=path, bytes=len(page.encode("utf-8")), frames=len(names),
                    periods=len(periods), contexts=len(contexts))
    return attach(report, record)
