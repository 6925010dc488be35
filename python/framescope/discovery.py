"""Discovery analytics: keyness, collocations, emerging terms, per-period distributions.

Counting and statistics run in Rust over token ids (parallel, GIL released): each
analysis is one call into the core, which returns named columns; this module
resolves arguments and builds DataFrames (no per-term Python loop).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from framescope import _core, progress
from framescope.frames import Frames
from framescope.framing import DENSE_CELLS, frame_matrix
from framescope.grouping import group_keys, group_labels, keys
from framescope.stopwords import stop_word_list

__all__ = ["keyness", "Distribution"]

_SORT = {"lr": "G2", "chi2": "chi2", "pmi": "pmi", "log_ratio": "log_ratio",
         "log_odds_dirichlet": "z_log_odds"}
#: Measure names as users type them (any case, "-" or " " for "_"), quanteda's first.
_MEASURE_ALIASES = {
    "lr": "lr", "g2": "lr", "g": "lr", "ll": "lr", "log_likelihood": "lr", "loglikelihood": "lr",
    "likelihood_ratio": "lr", "chi2": "chi2", "chi": "chi2", "chisq": "chi2", "chi_squared": "chi2",
    "chi_square": "chi2", "x2": "chi2", "pmi": "pmi", "log_ratio": "log_ratio", "logratio": "log_ratio",
    "lor": "log_ratio", "log2_ratio": "log_ratio", "log_odds_dirichlet": "log_odds_dirichlet",
    "log_odds": "log_odds_dirichlet", "fightin_words": "log_odds_dirichlet",
    "fighting_words": "log_odds_dirichlet", "monroe": "log_odds_dirichlet",
    "z_log_odds": "log_odds_dirichlet",
}


def keyness_measure(measure: str) -> str:
    """The canonical name ("lr", "chi2", "pmi", "log_ratio") of a measure as typed."""
    key = str(measure).strip().lower().replace("-", "_").replace(" ", "_")
    if key not in _MEASURE_ALIASES:
        raise ValueError(f"measure must be one of {list(_SORT)} (or g2, ll, log_likelihood, chisq, "
                         f"chi_squared, logratio, log_odds, fightin_words), got {measure!r}")
    return _MEASURE_ALIASES[key]
_PERIOD = re.compile(r"^\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)?\s*(-|–|\.\.)?\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?)?\s*$")


def _bound(text: str, end: bool) -> pd.Timestamp:
    p = pd.Period(text, freq={4: "Y", 7: "M", 10: "D"}[len(text)])
    return p.end_time.normalize() if end else p.start_time


def target_mask(corpus, target) -> tuple[np.ndarray, np.ndarray]:
    """(target, reference) masks for :func:`keyness`'s ``target``."""
    n = len(corpus)
    if isinstance(target, str):
        m = _PERIOD.match(target)
        if not m or not (m.group(1) or m.group(3)):
            raise ValueError(f"target {target!r} is not a period: use '2022', '2022-', '-2021', "
                             "'2022-2023' or dates like '2022-02-24-2022-12-31'")
        lo = _bound(m.group(1), end=False) if m.group(1) else pd.Timestamp.min
        if m.group(2):
            hi = _bound(m.group(3), end=True) if m.group(3) else pd.Timestamp.max
        else:
            hi = _bound(m.group(1), end=True)
        dates = corpus.dates
        dated = dates.notna().to_numpy()
        inside = ((dates >= lo) & (dates <= hi)).to_numpy() & dated
        return inside, dated & ~inside
    if isinstance(target, dict):
        if len(target) != 1:
            raise ValueError("a metadata target is one {column: value or list of values}")
        (col, value), = target.items()
        if col not in corpus.meta.columns:
            raise ValueError(f"no metadata column {col!r}; columns: {list(corpus.meta.columns)}")
        values = value if isinstance(value, (list, tuple, set)) else [value]
        inside = corpus.meta[col].isin(values).to_numpy()
        return inside, ~inside
    mask = np.asarray(target)
    if mask.dtype != bool or mask.shape != (n,):
        raise TypeError(f"target must be a period str, a {{column: value}} dict or a boolean mask "
                        f"of {n} documents")
    return mask, ~mask


def keyness(corpus, target=None, measure: str = "lr", *, correction: str = "default", size: int = 1,
            stop_words=None, stem: str | None = None, min_count: int = 1,
            top: int | None = None, by=None, reference=None, prior="corpus") -> pd.DataFrame:
    """Terms over- and under-represented in a target part of the corpus against the rest.

    Parameters
    ----------
    corpus : Corpus
    target : Corpus, bool mask, period str, or {column: value}
        The target documents: a second corpus (``fs.keyness(a, b)``: ``a``'s documents
        against ``b``'s, tokenized alike); a boolean mask; a period ("2022", "2022-" for
        2022 on, "-2021", "2022-2023", "2022-02-24-2022-12-31"), compared with the other
        *dated* documents; or a metadata value ``{"lang": "ru"}`` (or a list of values).
    measure : {"lr", "chi2", "pmi", "log_ratio", "log_odds_dirichlet"}
        The column to sort by (descending): G2, chi2, pmi, log_ratio, or z_log_odds
        (Monroe, Colaresi and Quinn's "Fightin' Words"). Names as users type them are
        taken, in any case: "g2", "ll", "log_likelihood" (G2), "chisq", "chi_squared"
        (chi2), "logratio" (log_ratio), "log_odds", "fightin_words" (log_odds_dirichlet).
    correction : {"default", "yates", "williams", "none"}
        For G2 and chi2, as quanteda: "default" is Yates' correction where it applies.
    size : int
        n-gram size (1-5); n-grams do not cross punctuation or removed stop words.
    stop_words, stem
        As in :meth:`Corpus.term_frequencies`.
    min_count : int
        Leave out terms seen fewer times in target and reference together.
    top : int, optional
        Keep the first ``top`` rows (per group with ``by``).
    reference : Corpus or frequency list, optional
        Instead of ``target``: the whole corpus against ``reference``, another corpus
        (as ``fs.keyness(a, b)``) or a frequency list (a dict, a pandas Series or a
        DataFrame with ``term`` and ``count``; terms as this corpus counts them, e.g.
        lowercased), such as a general-language list.
    prior : "corpus", float or frequency list
        The Dirichlet prior of ``log_odds``: "corpus" (each term's count in target and
        reference together: the informative prior with the data as background), a
        number (the same pseudo-count for every term, uninformative; Monroe et al. use
        0.01), or a background frequency list (as ``reference``; at least 0.01 each).
    by : optional
        Instead of ``target``: every group of a grouping (as in
        :meth:`Corpus.frame_trends`: a period, a metadata column, labels, or a list such
        as ``["party", "decade"]``) in turn as the target against all other documents;
        the group's key columns come first. One pass over the corpus per group.

    Returns
    -------
    DataFrame
        ``term``, ``n_target``, ``n_reference``, ``G2`` (with ``correction``),
        ``G2_uncorrected``, ``chi2``, ``pmi``, ``log_ratio``, ``log_odds`` and
        ``z_log_odds``, ``p`` (chi-square, 1 df, of the sorted measure; of G2 for pmi
        and log_ratio; two-sided normal of z_log_odds for log_odds_dirichlet).

    Notes
    -----
    With a, b the term's counts in target and reference, T, R the total counts there,
    c = T - a, d = R - b, N = a + b + c + d and E = (a + b)(a + c) / N (quanteda's
    ``textstat_keyness``, whose numbers these equal for the same counts):

    - chi2 = N (|ad - bc| - N delta)^2 / ((a+b)(c+d)(a+c)(b+d)); Yates' delta is 0.5
      when |ad - bc| >= N/2 and an expected cell is below 5, else 0;
    - G2 = 2 sum O ln(O / E_O + 1e-9) over the four cells (moved by delta toward
      independence with Yates; divided by Williams' q with "williams");
    - pmi = ln(a / E + 1e-9); log_ratio = log2((a / T) / (b / R)), zero counts as 0.5;
    - G2, chi2 and pmi are negative when a < E (the term is rarer in the target);
    - with the prior's pseudo-count α for the term and α0 the sum over all terms,
      log_odds = ln((a + α)/(T + α0 - a - α)) - ln((b + α)/(R + α0 - b - α)) and
      z_log_odds = log_odds / sqrt(1/(a + α) + 1/(b + α)) (Monroe et al. 2008, eq. 16-22).

    Examples
    --------
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["the collective West", "the collective West again",
    ...                           "the world", "the world order"],
    ...                          dates=["2023-01-01", "2023-06-01", "2019-01-01", "2019-05-05"])
    >>> k = fs.keyness(c, "2023-", correction="none")
    >>> k[["term", "n_target", "n_reference", "G2"]].round(3)
             term  n_target  n_reference     G2
    0  collective         2            0  2.438
    1        west         2            0  2.438
    2       again         1            0  1.142
    3         the         2            2 -0.170
    4       order         0            1 -1.880
    5       world         0            2 -4.083
    """
    measure = keyness_measure(measure)
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    if sum(x is not None for x in (target, by, reference)) != 1:
        raise ValueError("give one of target (one part of the corpus), by (each group in "
                         "turn) or reference (a frequency list)")
    options = dict(size=_size(size), correction=correction, min_count=int(min_count),
                   stop=stop_word_list(stop_words), stem=stem, measure=measure, top=top,
                   prior=_prior(prior))
    if by is not None:
        return _keyness_by(corpus, by, options)
    if reference is not None:
        return _keyness_list(corpus, _frequencies(reference, "reference"), **options)
    inside, outside = target_mask(corpus, target)
    if not inside.any():
        raise ValueError(f"target {target!r} selects no document")
    if not outside.any():
        raise ValueError(f"target {target!r} selects every document: nothing to compare with")
    return _keyness(corpus, inside, outside, **options)


def _keyness_by(corpus, by, options: dict) -> pd.DataFrame:
    """Each group of ``by`` against the rest; groups without documents, or with all
    of them, are left out (nothing to compare)."""
    codes, groups = group_keys(corpus.dates, corpus.meta, by)
    key_columns = [c for c in groups.columns if c != "start"]
    sizes = np.bincount(codes, minlength=len(groups))
    parts = []
    for g in np.flatnonzero((sizes > 0) & (sizes < len(corpus))).tolist():
        inside = codes == g
        part = _keyness(corpus, inside, ~inside, **options)
        for c in reversed(key_columns):
            part.insert(0, c, groups[c].iat[g])
        parts.append(part)
    if not parts:
        raise ValueError(f"by={by!r} puts every document in one group: nothing to compare with")
    return pd.concat(parts, ignore_index=True)


def _frequencies(data, what: str) -> dict:
    """A frequency list (dict, Series, or a pandas or polars DataFrame with term and
    count) as a dict."""
    if not isinstance(data, (dict, pd.Series, pd.DataFrame)) and hasattr(data, "to_pandas"):
        data = data.to_pandas()  # polars (DataFrame or Series), pyarrow
    if isinstance(data, dict):
        counts = data
    elif isinstance(data, pd.Series):
        counts = data.to_dict()
    elif isinstance(data, pd.DataFrame) and {"term", "count"} <= set(data.columns):
        counts = dict(zip(data["term"], data["count"], strict=True))
    else:
        raise TypeError(f"{what} must be a Corpus or a frequency list (a dict, a Series, or a "
                        f"DataFrame with term and count), got {type(data).__name__}")
    out = {}
    for term, count in counts.items():
        value = float(count)
        if not np.isfinite(value) or value < 0:
            raise ValueError(f"{what}: the count of {term!r} is {count!r}, not a non-negative number")
        out[str(term)] = value
    return out


def _prior(prior):
    """The ``prior`` argument for the core: "corpus", a number, or a dict of counts."""
    if isinstance(prior, str):
        if prior != "corpus":
            raise ValueError(f'prior must be "corpus", a positive number or a frequency list, '
                             f"got {prior!r}")
        return prior
    if isinstance(prior, (int, float, np.integer, np.floating)) and not isinstance(prior, bool):
        if not prior > 0:
            raise ValueError(f"a uniform prior must be positive, got {prior!r}")
        return float(prior)
    return _frequencies(prior, "prior")


def _keyness_list(corpus, reference: dict, *, size, correction, min_count, stop, stem, measure,
                  top, prior) -> pd.DataFrame:
    """The whole corpus against a frequency list."""
    counts = corpus.term_frequencies(stop_words=stop, stem=stem, ngram=size)
    mine = dict(zip(counts["term"].tolist(), counts["count"].tolist(), strict=True))
    terms = sorted(set(mine) | set(reference))
    if any(not float(v).is_integer() for v in reference.values()):
        raise ValueError("reference: counts must be whole numbers (occurrences)")
    target = np.array([mine.get(t, 0) for t in terms], dtype=np.uint64)
    other = np.array([int(reference.get(t, 0)) for t in terms], dtype=np.uint64)
    k = _core.keyness_counts(terms, target, other, correction, min_count, prior)
    return keyness_table(k, measure, top)


def _keyness(corpus, inside, outside, *, size, correction, min_count, stop, stem, measure,
             top, prior) -> pd.DataFrame:
    """Keyness of the ``inside`` documents against the ``outside`` ones."""
    group = np.where(inside, 0, np.where(outside, 1, _core.NO_ID)).astype(np.uint32)
    with progress.bar("keyness", progress.passes(corpus)):
        k = _core.keyness(corpus.native, corpus.tokenizer, group, size, correction, min_count,
                          stop, stem, prior)
    return keyness_table(k, measure, top)


def keyness_table(k: dict, measure: str, top) -> pd.DataFrame:
    """The keyness table from the core's columns, sorted by ``measure``."""
    if measure == "log_odds_dirichlet":
        p = 2 * stats.norm.sf(np.abs(k["z_log_odds"]))
    else:
        p = k["p_chi2"] if measure == "chi2" else k["p_G2"]
    out = pd.DataFrame({
        "term": k["term"], "n_target": k["n_target"].astype(np.int64),
        "n_reference": k["n_reference"].astype(np.int64), "G2": k["G2"],
        "G2_uncorrected": k["G2_uncorrected"], "chi2": k["chi2"], "pmi": k["pmi"],
        "log_ratio": k["log_ratio"], "log_odds": k["log_odds"], "z_log_odds": k["z_log_odds"],
        "p": p,
    })
    out = out.sort_values([_SORT[measure], "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(top) if top is not None else out


def group_counts(corpus, group: np.ndarray, n_groups: int, size: int, stop, stem=None):
    """Counts of n-grams of ``size`` per group, sparse: (terms, terms x groups int64
    csr_matrix, tokens per group). Memory grows with the (term, group) pairs that occur."""
    with progress.bar("counting", progress.passes(corpus)):
        g = _core.group_counts(corpus.native, corpus.tokenizer,
                               np.ascontiguousarray(group, dtype=np.uint32), n_groups, size, stop,
                               stem)
    m = sp.csr_matrix((g["counts"].astype(np.int64), g["groups"].astype(np.int64),
                       g["indptr"].astype(np.int64)), shape=(len(g["terms"]), n_groups))
    return np.asarray(g["terms"], dtype=object), m, g["tokens"]


def _size(size) -> int:
    if not isinstance(size, (int, np.integer)) or not 1 <= size <= _core.MAX_NGRAM:
        raise ValueError(f"size must be an int from 1 to {_core.MAX_NGRAM}, got {size!r}")
    return int(size)


def _sizes(size, low: int = 1) -> list[int]:
    if isinstance(size, (int, np.integer)):
        sizes = [int(size)]
    elif isinstance(size, range):
        sizes = list(size)
    elif isinstance(size, tuple) and len(size) == 2:
        sizes = list(range(int(size[0]), int(size[1]) + 1))
    else:
        raise ValueError(f"size must be an int, a (min, max) pair or a range, got {size!r}")
    if not sizes or min(sizes) < low or max(sizes) > _core.MAX_NGRAM:
        raise ValueError(f"size must be within {low}..{_core.MAX_NGRAM}, got {size!r}")
    return sizes


def collocations(corpus, size=2, min_count: int = 2, *, smoothing: float = 0.5,
                 stop_words=None) -> pd.DataFrame:
    """Multi-word expressions: see :meth:`framescope.Corpus.collocations`."""
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    frames = []
    for n in _sizes(size, low=2):
        with progress.bar(f"collocations of {n}", progress.passes(corpus)):
            t = _core.collocation_table(corpus.native, corpus.tokenizer, n, int(min_count),
                                        float(smoothing), stop_word_list(stop_words))
        frames.append(pd.DataFrame({"collocation": t["collocation"],
                                    "count": t["count"].astype(np.int64),
                                    "length": t["length"].astype(np.int64), "lambda": t["lambda"],
                                    "sigma": t["sigma"], "z": t["z"], "pmi": t["pmi"],
                                    "G2": t["G2"]}))
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["z", "collocation"], ascending=[False, True], kind="stable",
                           na_position="last").reset_index(drop=True)


def _time_and_groups(corpus, by) -> tuple:
    """For trajectories: the calendar key of ``by`` (exactly one) and the other keys."""
    ks = keys(by, corpus.meta, len(corpus))
    timed = [k.spec for k in ks if k.calendar is not None]
    if len(timed) != 1:
        raise ValueError(f"by must be a calendar period (year, quarter, month, week, day, decade, "
                         f"or a multiple such as '5y', '6m') for trajectories, or a list with one "
                         f"and metadata keys (each group's trajectory), got {by!r}")
    others = [k.spec for k in ks if k.calendar is None]
    return timed[0], others


def emerging(corpus, by="year", size=(1, 3), top: int | None = 50, *, method: str = "burst",
             s: float = 2.0, gamma: float = 1.0, window: int = 3, min_count: int = 5,
             stop_words="auto") -> pd.DataFrame:
    """Terms whose use rises suddenly: see :meth:`framescope.Corpus.emerging`."""
    if method not in ("burst", "ratio"):
        raise ValueError(f"method must be 'burst' or 'ratio', got {method!r}")
    if not isinstance(min_count, (int, np.integer)) or min_count < 1:
        raise ValueError(f"min_count must be a positive int, got {min_count!r}")
    if method == "ratio" and (not isinstance(window, (int, np.integer)) or window < 1):
        raise ValueError(f"window must be a positive int, got {window!r}")
    period, others = _time_and_groups(corpus, by)
    options = dict(sizes=_sizes(size), top=top, method=method, s=float(s), gamma=float(gamma),
                   window=int(window) if method == "ratio" else 1, min_count=int(min_count),
                   stop=stop_word_list(stop_words))
    if not others:
        return _emerging(corpus, period, **options)
    codes, groups = group_keys(corpus.dates, corpus.meta, others)
    key_columns = [c for c in groups.columns if c != "start"]
    parts = []
    for g in np.unique(codes).tolist():
        sub = corpus[codes == g]
        try:
            part = _emerging(sub, period, **options)
        except ValueError:  # fewer than two dated periods in this group: no trajectory
            continue
        for c in reversed(key_columns):
            part.insert(0, c, groups[c].iat[g])
        parts.append(part)
    if not parts:
        raise ValueError("emerging terms need dated documents in at least two periods in a group")
    return pd.concat(parts, ignore_index=True)


def _emerging(corpus, by, *, sizes, top, method, s, gamma, window, min_count, stop) -> pd.DataFrame:
    """Emerging terms of one corpus (or group) over the calendar periods ``by``."""
    codes, periods = group_keys(corpus.dates, corpus.meta, by)
    timed = periods["start"].notna().to_numpy()
    n_periods = int(timed.sum())
    group = np.where((codes >= 0) & (codes < n_periods), codes, _core.NO_ID).astype(np.uint32)
    if n_periods < 2:
        raise ValueError("emerging terms need dated documents in at least two periods")
    labels = periods["period"].to_numpy()[:n_periods]
    parts = []
    for n in sizes:
        with progress.bar(f"emerging terms of {n}", progress.passes(corpus)):
            e = _core.emerging(corpus.native, corpus.tokenizer, group, n_periods, n, method,
                               min_count, s, gamma, window, stop)
        parts.append(pd.DataFrame({
            "term": e["term"], "size": n, "start": labels[e["start"]], "end": labels[e["end"]],
            "score": e["score"], "count": e["count"].astype(np.int64), "per_10k": e["per_10k"],
            "overall_per_10k": e["overall_per_10k"]}))
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["score", "term"], ascending=[False, True], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(top) if top is not None else out


@dataclass
class Distribution:
    """Counts of terms per period: ``values`` (periods x terms) with its labels; an
    ndarray up to :data:`framescope.framing.DENSE_CELLS` cells, beyond that a
    ``scipy.sparse`` CSR matrix (zeros not stored)."""

    values: np.ndarray | sp.csr_matrix
    periods: list[str]
    terms: list[str]
    docs: np.ndarray
    tokens: np.ndarray
    normalize: str | None = None
    #: The groups' key columns (``by`` a list: one per key), one row per period.
    keys: pd.DataFrame | None = None

    def _table(self, values, terms: list[str]) -> pd.DataFrame:
        if self.keys is not None and self.keys.shape[1] > 1:
            index = pd.MultiIndex.from_frame(self.keys)
        else:
            index = pd.Index(self.periods, name="period")
        if sp.issparse(values):
            frame = pd.DataFrame.sparse.from_spmatrix(values, index=index, columns=terms)
        else:
            frame = pd.DataFrame(values, index=index, columns=terms)
        frame.insert(0, "tokens", self.tokens)
        frame.insert(0, "docs", self.docs)
        return frame

    def to_pandas(self) -> pd.DataFrame:
        """The matrix as a DataFrame (index: period, or one level per key of a list
        ``by``; columns: terms), plus docs and tokens; backed by pandas' sparse arrays
        when ``values`` is sparse (``.sparse.to_dense()`` makes it dense)."""
        return self._table(self.values, self.terms)

    def _repr_html_(self) -> str:
        head = f"<p><b>Distribution</b>: {len(self.periods)} periods x {len(self.terms)} terms"
        head += f" ({html.escape(self.normalize or 'counts')})</p>"
        return head + self._table(self.values[:, :20], self.terms[:20]).to_html()


def distribution(corpus, by: str = "year", terms=None, *, normalize: str | None = None,
                 size: int = 1, stop_words=None, min_count: int = 1) -> Distribution:
    """Per-period term distribution: see :meth:`framescope.Corpus.distribution`."""
    if normalize not in (None, "per_10k", "share"):
        raise ValueError(f"normalize must be None, 'per_10k' or 'share', got {normalize!r}")
    codes, periods = group_keys(corpus.dates, corpus.meta, by)
    n_periods = len(periods)
    n_tok = corpus.n_tokens
    docs = np.bincount(codes, minlength=n_periods)
    tokens = np.bincount(codes, weights=n_tok, minlength=n_periods).astype(np.int64)
    if terms is not None:
        names = [terms] if isinstance(terms, str) else list(terms)
        hits = frame_matrix(corpus, Frames({t: [t] for t in names})).tocsr()
        # Each document's counts added into its period's row: memory follows the hits.
        rows = np.repeat(np.asarray(codes, dtype=np.int64), np.diff(hits.indptr))
        m = sp.csr_matrix((hits.data.astype(np.int64), (rows, hits.indices)),
                          shape=(n_periods, len(names)))
    else:
        names, counts, _ = group_counts(corpus, codes, n_periods, _size(size),
                                        stop_word_list(stop_words))
        keep = np.asarray(counts.sum(axis=1)).ravel() >= min_count
        m, names = counts[keep].T.tocsr(), list(names[keep])
    m.sum_duplicates()
    if normalize == "per_10k":
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(tokens > 0, 1e4 / tokens, np.nan)
        m = sp.diags(scale) @ m.astype(np.float64)
    elif normalize == "share":
        total = np.asarray(m.sum(axis=0)).ravel().astype(np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            m = m.astype(np.float64) @ sp.diags(1.0 / total)
    if m.shape[0] * m.shape[1] <= DENSE_CELLS:
        values = m.toarray()
        if normalize == "per_10k":
            values[tokens == 0, :] = np.nan  # no tokens: no rate
        elif normalize == "share":
            values[:, total == 0] = np.nan
    else:
        values = m.tocsr()
    key_columns = periods[[c for c in periods.columns if c != "start"]]
    return Distribution(values, group_labels(periods), list(names), docs, tokens, normalize,
                        key_columns)
