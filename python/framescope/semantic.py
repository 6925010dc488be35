"""Word spaces learned from the corpus itself: dictionary expansion and semantic drift.

A unit (a word, a Snowball stem with ``stem=``, a two-word phrase found by normalized
PMI, or a seed dictionary's hits as one unit) gets a vector from its positive PMI
co-occurrence counts within ``window`` units, reduced to ``dim`` dimensions by a
seeded randomized SVD (Levy, Goldberg and Dagan 2015: context smoothing 0.75,
singular values to the power 0.5). All of it runs in the core (``src/embed``), with
ndarray; results do not depend on the thread count.

``expand`` ranks units by cosine similarity to each seed frame's unit: candidates to
grow a dictionary from evidence, with counts and keyword-in-context examples.
``neighbours`` learns one space per period over the same units, aligns each to the
previous period's by orthogonal Procrustes over the units both know (Hamilton,
Leskovec and Jurafsky 2016), and reports a word's nearest neighbours per period and
its drift: one minus the cosine of its aligned vectors in consecutive periods, with
its percentile among words of similar frequency in that period (drift of frequent
words is smaller; Hamilton et al.'s law of conformity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from framescope import _core
from framescope.frames import Frames
from framescope.framing import as_frames, frame_matrix
from framescope.grouping import UNDATED, group_keys
from framescope.provenance import recorded
from framescope.stopwords import stop_word_list

__all__ = ["expand", "neighbours", "Neighbours"]

#: Unit names of seed frames: never a token (the tokenizer drops these brackets).
_SEED = "\u27e8{}\u27e9"
_NO_GROUP = np.iinfo(np.uint32).max
#: Most periods x units a drift query may ask for (each table of that shape is 8 bytes a
#: cell): memory follows the question, never a product a user grows without bound.
MAX_DRIFT_CELLS = 20_000_000


def _positive_int(name: str, v) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 1:
        raise ValueError(f"{name} must be a positive int, got {v!r}")
    return int(v)


def _space_args(min_count, max_units, phrases, stem, dim, window, seed,
                phrase_min_count=None, phrase_npmi: float = 0.5) -> dict:
    min_count = _positive_int("min_count", min_count)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if not -1.0 <= float(phrase_npmi) <= 1.0:
        raise ValueError(f"phrase_npmi must be between -1 and 1, got {phrase_npmi!r}")
    return {"min_count": min_count, "max_units": _positive_int("max_units", max_units),
            "phrases": bool(phrases),
            "phrase_min_count": min_count if phrase_min_count is None
            else _positive_int("phrase_min_count", phrase_min_count),
            "phrase_npmi": float(phrase_npmi), "stem": stem,
            "dim": _positive_int("dim", dim), "window": _positive_int("window", window),
            "seed": int(seed)}


def _as_seed_frames(seeds) -> Frames:
    """Seeds as a dictionary: a pattern or a list of patterns is one frame, "seed"."""
    if isinstance(seeds, str):
        return Frames({"seed": [seeds]})
    if isinstance(seeds, (list, tuple)):
        if not seeds or not all(isinstance(s, str) for s in seeds):
            raise ValueError("seeds must be a pattern, a list of patterns, a dict or a Frames")
        return Frames({"seed": list(seeds)})
    return as_frames(seeds)


def _pattern(unit: str, stemmed: bool) -> str:
    """A pattern matching a unit's tokens (each stem as a prefix)."""
    return " ".join(f"{w}*" for w in unit.split(" ")) if stemmed else unit


def _examples(corpus, units: list[str], stemmed: bool, n: int, window: int, seed: int) -> list[list[str]]:
    """Up to ``n`` keyword-in-context lines per unit, from documents drawn at random
    (seeded) among those that contain it: one frame scan and one KWIC of the drawn
    documents, not of the corpus."""
    if n == 0 or not units:
        return [[] for _ in units]
    frames = Frames({f"u{i}": [_pattern(u, stemmed)] for i, u in enumerate(units)})
    m = frame_matrix(corpus, frames, progress=False).tocsc()
    rng = np.random.default_rng(seed)
    chosen = []
    for i in range(len(units)):
        docs = m.indices[m.indptr[i]:m.indptr[i + 1]]
        chosen.append(np.sort(rng.choice(docs, size=min(n, len(docs)), replace=False))
                      if len(docs) else docs)
    every = np.unique(np.concatenate(chosen)) if chosen else np.zeros(0, np.int64)
    if len(every) == 0:
        return [[] for _ in units]
    lines = corpus[every.tolist()].kwic(frames, window=window)
    lines = lines.assign(doc=every[lines["doc"].to_numpy()])
    out = []
    for i, docs in enumerate(chosen):
        mine = lines[(lines["frame"] == f"u{i}") & lines["doc"].isin(docs)]
        mine = mine.drop_duplicates("doc")
        out.append([f"{r.left} [{r.match}] {r.right}".strip() for r in mine.itertuples()][:n])
    return out


@recorded("expand")
def expand(corpus, seeds, top: int = 50, *, window: int = 5, dim: int = 100,
           min_count: int = 5, max_units: int = 20_000, phrases: bool = True,
           stem: str | None = None, stop_words="auto", examples: int = 3,
           seed: int = 1) -> pd.DataFrame:
    """Candidate words and phrases for a dictionary, ranked by distributional similarity
    to seed patterns, learned from the corpus itself.

    ``seeds`` is a pattern ("collective West"), a list of patterns (one seed), a dict or
    a :class:`framescope.Frames` (one ranking per frame). Every hit of a seed becomes one
    unit in a word space of the corpus (positive PMI of co-occurrences within
    ``window`` units, reduced to ``dim`` dimensions by a seeded randomized SVD; units:
    words seen ``min_count`` times or more, the ``max_units`` most frequent; phrases:
    adjacent word pairs with a normalized PMI of 0.5 or more; Snowball stems with
    ``stem="auto"`` or a language, so case forms count together). Candidates are the
    units nearest the seed by cosine similarity, stop words left out
    (``stop_words``: "auto" = English and Russian, a language, a list, or None).

    Returns a DataFrame: ``frame``, ``rank``, ``candidate``, ``kind`` ("word",
    "phrase"), ``similarity``, ``count`` (occurrences outside seed hits), ``pattern``
    (to paste into a dictionary) and ``examples`` (up to ``examples`` KWIC lines, from
    documents drawn with ``seed``). Deterministic with ``seed``.

    Examples
    --------
    >>> import framescope as fs
    >>> c = fs.datasets.demo()
    >>> cands = fs.expand(c, "the collective West", top=20, examples=0)
    >>> "western bloc" in set(cands["candidate"])
    True
    """
    frames = _as_seed_frames(seeds)
    top = _positive_int("top", top)
    if isinstance(examples, bool) or not isinstance(examples, (int, np.integer)) or examples < 0:
        raise ValueError(f"examples must be a non-negative int, got {examples!r}")
    args = _space_args(min_count, max_units, phrases, stem, dim, window, seed)
    names = frames.names
    r = _core.expand_space(corpus.native, corpus.tokenizer, frames.compiled,
                           [_SEED.format(n) for n in names], args)
    units = np.asarray(r["names"], dtype=object)
    n_units, n_words, n_phrases = len(units), r["n_words"], r["n_phrases"]
    sims = r["similarity"].reshape(len(names), n_units)
    occ = r["occurrences"].astype(np.int64)
    missing = [name for f, name in enumerate(names) if occ[n_units - len(names) + f] == 0]
    if missing:
        raise ValueError(f"no hits of the seed frame(s) {missing} in the corpus: nothing to "
                         "learn their contexts from (check the patterns with corpus.kwic)")
    eligible = np.zeros(n_units, dtype=bool)
    eligible[:n_words + n_phrases] = True
    eligible &= occ >= args["min_count"]
    stop = set(stop_word_list(stop_words) or [])
    if stop:
        words = units[:n_words]
        eligible[:n_words] &= np.array([w not in stop for w in words], dtype=bool)
        phrase_names = units[n_words:n_words + n_phrases]
        eligible[n_words:n_words + n_phrases] &= np.array(
            [not all(w in stop for w in p.split(" ")) for p in phrase_names], dtype=bool)
    parts = []
    for f, name in enumerate(names):
        s = np.where(eligible, sims[f], -np.inf)
        order = np.lexsort((np.arange(n_units), -s))[:top]
        order = order[np.isfinite(s[order])]
        cand = units[order].tolist()
        parts.append(pd.DataFrame({
            "frame": name, "rank": np.arange(1, len(order) + 1), "candidate": cand,
            "kind": np.where(order < n_words, "word", "phrase"),
            "similarity": sims[f][order], "count": occ[order],
            "pattern": [_pattern(u, stem is not None) for u in cand],
        }))
    table = pd.concat(parts, ignore_index=True)
    table["examples"] = _examples(corpus, table["candidate"].tolist(), stem is not None,
                                  int(examples), 6, int(seed))
    return table


@dataclass
class Neighbours:
    """A word's neighbours per period in aligned spaces, and its drift.

    ``table``: per word and period, ``rank``, ``neighbour``, ``similarity`` (cosine in
    the period's space) and ``count`` (the neighbour's occurrences in the period).
    ``drift``: per word and period, ``count``, ``drift`` (one minus the cosine of the
    word's aligned vectors in the period and the previous period with a space; NaN in
    the first, or where it is rarer than ``min_count`` in either), ``percentile`` (the
    share of words of similar frequency, 0.5x to 2x its count, that drifted less),
    ``overlap`` (the share of its ``top`` neighbours it kept from the previous period)
    and ``changed`` (``percentile`` >= ``flag``).
    """

    table: pd.DataFrame
    drift: pd.DataFrame
    most_changed: pd.DataFrame

    def plot(self, ax=None):
        """Drift per period, one line per word; changed periods marked."""
        from framescope.plot import drift as plot_drift

        return plot_drift(self, ax=ax)

    def _repr_html_(self) -> str:
        return self.drift._repr_html_()


def neighbours(corpus, word, by="year", top: int = 15, *, window: int = 5, dim: int = 100,
               min_count: int = 5, max_units: int = 20_000, stem: str | None = None,
               phrases: bool = False, flag: float = 0.95, seed: int = 1) -> Neighbours:
    """See :meth:`framescope.Corpus.neighbours`."""
    top = _positive_int("top", top)
    if not 0.0 < float(flag) <= 1.0:
        raise ValueError(f"flag must be in (0, 1], got {flag!r}")
    words = [word] if isinstance(word, str) else list(word)
    targets = []
    for w in words:
        toks = corpus.tokenizer.tokenize(str(w))
        if not 1 <= len(toks) <= 2:
            raise ValueError(f"{w!r} is {len(toks)} tokens; give a word or a two-word phrase")
        targets.append(toks)
    args = _space_args(min_count, max_units, phrases or any(len(t) == 2 for t in targets),
                       stem, dim, window, seed)
    codes, groups = group_keys(corpus.dates, corpus.meta, by)
    key_columns = [c for c in groups.columns if c != "start"]
    dated = ~groups[key_columns].isin([UNDATED]).any(axis=1).to_numpy()
    codes = np.where(dated[codes], codes, _NO_GROUP).astype(np.uint32)
    n_groups = len(groups)
    if n_groups * args["max_units"] > MAX_DRIFT_CELLS:
        raise ValueError(
            f"{n_groups:,} periods x max_units={args['max_units']:,} is more than "
            f"{MAX_DRIFT_CELLS:,} cells per table (drift and counts per period and word); "
            "use a coarser by= (a word space needs more text than a day or a week gives) "
            "or a smaller max_units")
    r = _core.drift_spaces(corpus.native, corpus.tokenizer, codes, n_groups, targets, args)
    units = np.asarray(r["names"], dtype=object)
    n_units = len(units)
    occ = r["occurrences"].reshape(n_groups, n_units).astype(np.int64)
    drift = r["drift"].reshape(n_groups, n_units)
    sims = r["similarity"].reshape(len(targets), n_groups, n_units)
    table_parts, drift_rows = [], []
    periods = [g for g in range(n_groups) if dated[g]]
    for t, (w, tu) in enumerate(zip(words, r["targets"], strict=True)):
        previous = None
        for g in periods:
            labels = {c: groups[c].iat[g] for c in key_columns}
            s = sims[t, g].copy()
            s[tu] = np.nan
            ok = np.isfinite(s)
            order = np.lexsort((np.arange(n_units), -np.where(ok, s, -np.inf)))[:top]
            order = order[ok[order]]
            if len(order):
                table_parts.append(pd.DataFrame({
                    "word": w, **labels, "rank": np.arange(1, len(order) + 1),
                    "neighbour": units[order], "similarity": s[order], "count": occ[g, order]}))
            d = drift[g, tu]
            pct = np.nan
            if np.isfinite(d):
                c = occ[g, tu]
                near = np.isfinite(drift[g]) & (occ[g] >= c / 2) & (occ[g] <= c * 2)
                near[tu] = False
                if near.sum() < 20:
                    near = np.isfinite(drift[g])
                    near[tu] = False
                pct = float((drift[g][near] < d).mean()) if near.any() else np.nan
            current = set(units[order]) if len(order) else None
            overlap = (len(current & previous) / len(previous)
                       if current is not None and previous is not None else np.nan)
            if current is not None:
                previous = current
            drift_rows.append({"word": w, **labels, "count": int(occ[g, tu]), "drift": d,
                               "percentile": pct, "overlap": overlap,
                               "changed": bool(np.isfinite(pct) and pct >= flag)})
    columns = ["word", *key_columns, "rank", "neighbour", "similarity", "count"]
    table = pd.concat(table_parts, ignore_index=True) if table_parts else pd.DataFrame(columns=columns)
    drift_table = pd.DataFrame(drift_rows)
    changed_rows = []
    for g in periods:
        ok = np.isfinite(drift[g])
        order = np.lexsort((np.arange(n_units), -np.where(ok, drift[g], -np.inf)))[:top]
        order = order[ok[order]]
        for rank, u in enumerate(order, 1):
            changed_rows.append({**{c: groups[c].iat[g] for c in key_columns}, "rank": rank,
                                 "word": units[u], "drift": drift[g, u], "count": int(occ[g, u])})
    return Neighbours(table, drift_table, pd.DataFrame(changed_rows))
