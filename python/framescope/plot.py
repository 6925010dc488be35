"""matplotlib figures for trend tables: lines with interval bands, and heatmaps.

Colours are the Okabe-Ito palette (distinguishable with colour-vision deficiencies);
axis labels carry units; legends sit outside the lines.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framescope.provenance import footer

__all__ = ["trends", "heatmap", "dispersion", "adoption", "drift", "frame_color", "PALETTE"]

#: Okabe-Ito colours, then greys for more than eight frames.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#777777", "#AAAAAA"]

_LABELS = {
    "per_10k": ("per_10k", "ci_low", "ci_high", "hits per 10,000 tokens"),
    "doc_share": ("doc_share", "share_ci_low", "share_ci_high", "share of documents with a hit"),
}


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - matplotlib is in the plot extra
        raise ImportError("framescope.plot needs matplotlib: pip install 'framescope[plot]'") from e
    return plt


def frame_color(name: str, positions: dict[str, int] | None, order: list[str]) -> str:
    """A frame's colour: fixed by its position in its dictionary (``positions``, which
    trend tables carry), else in ``order``; so a frame keeps its colour when others are
    left out of a plot, and between the CLI and Python."""
    i = positions[name] if positions and name in positions else order.index(name)
    return PALETTE[i % len(PALETTE)]


def _groups(table: pd.DataFrame) -> pd.Series | None:
    """Each row's group label (the keys other than the period, joined by " · "), or
    None when the table has no such keys (see :mod:`framescope.grouping`)."""
    columns = list(getattr(table, "groups", None) or [])
    columns = [c for c in columns if c in table.columns]
    if not columns:
        return None
    if len(columns) == 1:
        return table[columns[0]].astype(str)
    return table[columns].astype(str).agg(" · ".join, axis=1)


def _check_min_docs(min_docs) -> None:
    if min_docs is not None and (isinstance(min_docs, bool) or not isinstance(min_docs, (int, np.integer))
                                 or min_docs < 1):
        raise ValueError(f"min_docs must be a positive int, got {min_docs!r}")


def trends(table: pd.DataFrame, value: str = "per_10k", frames=None, ax=None,
           bands: bool = True, title: str | None = None, min_docs: int | None = None,
           col: str | None = None, change_points: pd.DataFrame | None = None):
    """Lines over periods with interval bands; returns the matplotlib Axes (an array of
    Axes when there are several panels).

    ``table`` is :meth:`framescope.Corpus.frame_trends`'s result; ``value`` is
    "per_10k" or "doc_share"; ``frames`` picks frames. A frame's colour is fixed by
    its position in the dictionary (:func:`frame_color`). The "undated"/"(missing)"
    rows are left out of the lines (they have no place on a time axis) and their
    count is given in the note. Periods without documents are gaps in the lines and
    bands, counted in the note; with ``min_docs``, periods with fewer documents are
    hollow points without a band (a rate from three posts is no trend).

    A table grouped by a list (``by=["party", "decade"]``) draws one line per group.
    ``col`` chooses the panels: "frame" (one panel per frame, a line per group: the
    default for grouped tables with several frames), "group" (one panel per group, a
    line per frame), or None (one panel: a line per frame, or per group when there is
    one frame). Groups keep their colours across panels. ``change_points``
    (:meth:`framescope.TrendTable.change_points`'s table) draws each change as a dashed
    vertical line in its frame's colour.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["the collective West", "the West"], dates=["2022-01-01", "2023-01-01"])
    >>> ax = fs.plot.trends(c.frame_trends({"collective_west": ["collective West"]}))
    >>> ax.get_ylabel()
    'hits per 10,000 tokens'
    >>> c = fs.Corpus.from_texts(["the collective West", "the West", "the collective West"],
    ...                          dates=["2022-01-01", "2023-01-01", "2023-05-01"],
    ...                          meta={"party": ["A", "B", "B"]})
    >>> axes = fs.plot.trends(c.term_trends(["collective West", "West"], by=["party", "year"]))
    >>> [a.get_title() for a in axes], [t.get_text() for t in axes[0].get_legend().get_texts()]
    (['collective West', 'West'], ['A', 'B'])
    """
    if value not in _LABELS:
        raise ValueError(f"value must be one of {list(_LABELS)}, got {value!r}")
    _check_min_docs(min_docs)
    if col not in (None, "frame", "group"):
        raise ValueError(f"col must be None, 'frame' or 'group', got {col!r}")
    plt = _pyplot()
    data = table if frames is None else table[table["frame"].isin(
        [frames] if isinstance(frames, str) else list(frames))]
    if data.empty:
        raise ValueError("nothing to plot: no rows for these frames")
    group = _groups(data)
    frame_names = data["frame"].drop_duplicates().tolist()
    if col == "group" and group is None:
        raise ValueError("col='group' needs a table grouped by a list (by=['party', 'year'])")
    if col is None and group is not None and len(frame_names) > 1:
        col = "frame"
    order = table["frame"].drop_duplicates().tolist()
    positions = getattr(table, "positions", None)
    if group is None:
        series = data["frame"]
        color_of = lambda name: frame_color(name, positions, order)  # noqa: E731
    else:
        series = group if col != "group" else data["frame"]
        levels = _groups(table).drop_duplicates().tolist()
        if col == "group":
            color_of = lambda name: frame_color(name, positions, order)  # noqa: E731
        else:
            color_of = lambda name: PALETTE[levels.index(name) % len(PALETTE)]  # noqa: E731
    panel = None
    if col == "frame":
        panel = data["frame"]
    elif col == "group":
        panel = group
    panels = [None] if panel is None else panel.drop_duplicates().tolist()
    if ax is not None and len(panels) > 1:
        raise ValueError(f"{len(panels)} panels (col={col!r}): leave ax out, or pick one with frames=")
    if ax is None:
        if len(panels) == 1:
            _, ax = plt.subplots(figsize=(9, 4.8))
            axes = np.array([ax])
        else:
            ncols = min(3, len(panels))
            nrows = -(-len(panels) // ncols)
            fig, grid = plt.subplots(nrows, ncols, figsize=(4.6 * ncols + 1.8, 3.4 * nrows + 0.8),
                                     sharex=True, squeeze=False)
            for extra in grid.flat[len(panels):]:
                extra.set_visible(False)
            axes = grid.flat[:len(panels)]
            axes = np.array(list(axes))
    else:
        axes = np.array([ax])
    col_name, lo, hi, ylabel = _LABELS[value]
    by = getattr(table, "by", "") or "period"
    for a, name in zip(axes, panels, strict=True):
        rows = data if name is None else data[panel == name]
        _lines(a, rows, series[rows.index], color_of, col_name, lo, hi, bands, min_docs)
        if change_points is not None and len(change_points):
            shown = change_points[change_points["frame"].isin(rows["frame"].unique())]
            for frame_name, start in zip(shown["frame"], shown["start"], strict=True):
                a.axvline(start, color=frame_color(frame_name, positions, order), ls="--",
                          lw=1, alpha=0.8)
        a.set_ylim(bottom=0)
        a.grid(axis="y", alpha=0.3)
        if name is not None:
            a.set_title(str(name), fontsize=10)
    for a in axes:
        a.set_xlabel(by)
    axes[0].set_ylabel(ylabel)
    level = getattr(table, "level", 0.95) or 0.95
    heading = title or f"Frames over time ({value}; bands: {100 * level:g}% intervals)"
    notes = _notes(data, getattr(table, "ci_method", ""), min_docs)
    fig = axes[0].figure
    handles, labels = axes[0].get_legend_handles_labels()
    for a in axes[1:]:  # every series once, in order of appearance
        for h, lab in zip(*a.get_legend_handles_labels(), strict=True):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    if len(axes) == 1:
        axes[0].set_title(heading if panels == [None] else f"{heading}: {panels[0]}")
        if notes:
            axes[0].text(0, -0.22, notes, transform=axes[0].transAxes, fontsize=8, color="#555555")
        axes[0].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        fig.tight_layout()
        footer(fig, table)
        return axes[0]
    fig.suptitle(heading)
    for a in axes:
        a.tick_params(axis="x", labelrotation=45)
    axes[0].legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout(rect=(0, 0.04 if notes else 0, 1, 1))
    if notes:
        fig.text(0.01, 0.005, notes, fontsize=8, color="#555555")
    footer(fig, table)
    return axes


def _lines(ax, data, series, color_of, col, lo, hi, bands, min_docs) -> None:
    """One line (with its band) per value of ``series`` on ``ax``."""
    timed = data["start"].notna()
    x_is_time = bool(timed.any())
    if x_is_time:
        data, series = data[timed], series[timed]
    for name, g in data.groupby(series.to_numpy(), sort=False):
        x = g["start"].to_numpy() if x_is_time else np.arange(len(g))
        color = color_of(name)
        y = g[col].to_numpy(dtype=float)
        docs = g["docs"].to_numpy()
        few = (docs > 0) & (docs < min_docs) if min_docs else np.zeros(len(g), dtype=bool)
        ax.plot(x, y, marker="o", ms=3, lw=1.6, color=color, label=name)
        if few.any():  # hollow markers drawn over the filled ones
            ax.plot(x[few], y[few], "o", ms=5, mfc="white", mec=color, label="_nolegend_")
        if bands:
            ax.fill_between(x, np.where(few, np.nan, g[lo]), np.where(few, np.nan, g[hi]),
                            color=color, alpha=0.18, lw=0)
    if not x_is_time:
        labels = data.drop_duplicates("period")["period"].tolist() if "period" in data else []
        ax.set_xticks(np.arange(len(labels)), labels, rotation=45, ha="right")


def _notes(data: pd.DataFrame, method: str, min_docs) -> str:
    """The note under a trend plot: interval method, gaps, thin and undated periods."""
    notes = []
    if method:
        notes.append(f"intervals: {method}")
    keys = [c for c in data.columns[:data.columns.get_loc("frame")] if c != "start"]
    cells = data.drop_duplicates(keys)
    timed = cells["start"].notna() if cells["start"].notna().any() else pd.Series(True, cells.index)
    rest, cells = cells[~timed], cells[timed]
    what = "period" if len(keys) == 1 else "cell"
    empty = int((cells["docs"] == 0).sum())
    if empty:
        notes.append(f"{empty} {what}{'s' * (empty != 1)} without documents (gaps)")
    if min_docs:
        thin = int(((cells["docs"] > 0) & (cells["docs"] < min_docs)).sum())
        if thin:
            notes.append(f"{thin} {what}{'s' * (thin != 1)} with fewer than {min_docs} documents "
                         "(hollow, no band)")
    if len(rest):
        notes.append(f"{int(rest['docs'].sum())} undated/missing documents not on the axis")
    return "; ".join(notes)


def heatmap(table: pd.DataFrame, value: str = "per_10k", ax=None, title: str | None = None,
            scale: str = "linear"):
    """Frames x periods heatmap of ``value`` ("per_10k" or "doc_share"); returns the Axes.
    A table grouped by a list has a row per frame and group ("west · A").

    ``scale``: "linear", "sqrt" (a power norm with exponent 0.5: rare frames next to a
    dominant one stay visible) or "log" (zero cells cannot be placed on it and are grey,
    as are periods without documents on every scale).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["the collective West", "the West"], dates=["2022-01-01", "2023-01-01"])
    >>> ax = fs.plot.heatmap(c.term_trends(["collective West", "West"]))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['collective West', 'West']
    """
    if value not in _LABELS:
        raise ValueError(f"value must be one of {list(_LABELS)}, got {value!r}")
    if scale not in ("linear", "sqrt", "log"):
        raise ValueError(f"scale must be 'linear', 'sqrt' or 'log', got {scale!r}")
    plt = _pyplot()
    from matplotlib import colors

    if "period" not in table.columns:
        raise ValueError("a heatmap needs periods: group by a list with a calendar period")
    group = _groups(table)  # grouped tables: a row per frame and group
    rows = table["frame"] if group is None else table["frame"].astype(str) + " · " + group
    data = table.assign(frame=rows.to_numpy())
    grid = data.pivot_table(index="frame", columns="period", values=value, sort=False, dropna=False)
    grid = grid[[p for p in table["period"].drop_duplicates() if p in grid.columns]]
    if group is not None:  # frame-major: each frame's groups together
        order = [f"{f} · {g}" for f in table["frame"].drop_duplicates().astype(str)
                 for g in group.drop_duplicates()]
        grid = grid.reindex([r for r in order if r in grid.index])
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 0.6 * grid.shape[1] + 3), max(3, 0.35 * grid.shape[0] + 1.5)))
    values = grid.to_numpy(dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    if scale == "log":
        if len(positive):
            norm = colors.LogNorm(vmin=positive.min(), vmax=positive.max())
        else:
            norm = colors.Normalize()
        values = np.where(values > 0, values, np.nan)
    elif scale == "sqrt":
        norm = colors.PowerNorm(gamma=0.5, vmin=0)
    else:
        norm = colors.Normalize()
    cmap = plt.get_cmap("viridis").with_extremes(bad="#d9d9d9")
    im = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap, norm=norm)
    ax.set_xticks(np.arange(grid.shape[1]), grid.columns, rotation=45, ha="right")
    ax.set_yticks(np.arange(grid.shape[0]), grid.index)
    ax.figure.colorbar(im, ax=ax, label=_LABELS[value][3] + ("" if scale == "linear" else f" ({scale} scale)"))
    ax.set_title(title or f"Frames x periods ({value})")
    ax.figure.tight_layout()
    footer(ax.figure, table)
    return ax


def dispersion(corpus, frames, docs=None, ax=None, title: str | None = None):
    """Lexical dispersion ("x-ray") plot: where in each document each frame's matches fall.

    One row per document (``docs``: positions or a boolean mask; default: the first 25
    documents with a match), x from the document's start (0) to its end (1) by
    position in the text, one marker colour per frame. The figure carries the run
    record of the matches it shows (:func:`framescope.provenance`, and its footer).
    Returns the Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["The collective West and the Global Majority. " * 3])
    >>> ax = fs.plot.dispersion(c, {"collective_west": ["collective West"],
    ...                             "global_majority": ["Global Majority"]})
    >>> len(ax.get_yticks())
    1
    """
    from framescope.frames import Frames

    plt = _pyplot()
    frames = frames if isinstance(frames, Frames) else Frames(frames)
    lines = corpus.kwic(frames, window=0)
    if docs is None:
        chosen = list(dict.fromkeys(lines["doc"].tolist()))[:25]
    else:
        arr = np.asarray(docs)
        chosen = np.flatnonzero(arr).tolist() if arr.dtype == bool else [int(d) for d in arr]
    if not chosen:
        raise ValueError("no document to plot: no frame matches in the corpus (or docs is empty)")
    texts = corpus.texts
    lengths = {d: max(1, len(texts[d].encode("utf-8"))) for d in chosen}
    row = {d: i for i, d in enumerate(chosen)}
    sel = lines[lines["doc"].isin(chosen)]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.3 * len(chosen) + 1.6))
    for name in frames.names:
        g = sel[sel["frame"] == name]
        if len(g):
            x = g["start"].to_numpy() / np.array([lengths[d] for d in g["doc"]])
            y = np.array([row[d] for d in g["doc"]])
            ax.scatter(x, y, marker="|", s=120, color=frame_color(name, frames.positions, frames.names),
                       label=name)
    ids = corpus.ids
    ax.set_yticks(np.arange(len(chosen)), [ids[d] for d in chosen])
    ax.set_ylim(len(chosen) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the document (0 = start, 1 = end)")
    ax.set_title(title or "Where frames occur in each document")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.figure.tight_layout()
    footer(ax.figure, lines)
    return ax


def adoption(diffusion, frames=None, ax=None, title: str | None = None):
    """When each source took each frame up: one row per source (first adopter on top),
    a line from its first to its last use, a dot at the first use labelled with the lag
    in days; one panel per frame. ``diffusion`` is :meth:`framescope.Corpus.diffusion`'s
    result; ``frames`` picks frames. Returns the Axes (an array for several frames).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["the collective West", "collective West"], dates=["2022-03-01", "2022-05-01"],
    ...                          meta={"channel": ["mfa", "tass"]})
    >>> ax = fs.plot.adoption(c.diffusion({"west": ["collective West"]}, source="channel"))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['mfa', 'tass']
    """
    plt = _pyplot()
    table = diffusion.adoption.dropna(subset=["first"])
    names = list(dict.fromkeys(table["frame"]))
    if frames is not None:
        wanted = [frames] if isinstance(frames, str) else list(frames)
        names = [n for n in names if n in wanted]
    if not names:
        raise ValueError("nothing to plot: no source used these frames (on a dated document)")
    if ax is not None and len(names) > 1:
        raise ValueError(f"{len(names)} frames: leave ax out, or pick one with frames=")
    if ax is None:
        heights = [max(1, int((table["frame"] == n).sum())) for n in names]
        fig, axes = plt.subplots(len(names), 1, squeeze=False, sharex=True,
                                 figsize=(9, 1.2 + 0.35 * sum(heights) + 0.6 * len(names)),
                                 gridspec_kw={"height_ratios": heights})
        axes = axes[:, 0]
    else:
        axes = np.array([ax])
    positions = {n: i for i, n in enumerate(diffusion.adoption["frame"].drop_duplicates())}
    for a, name in zip(axes, names, strict=True):
        rows = table[table["frame"] == name].sort_values(["first", "source"])
        y = np.arange(len(rows))
        color = PALETTE[positions[name] % len(PALETTE)]
        a.hlines(y, rows["first"], rows["last"], color=color, lw=2.5, alpha=0.5)
        a.plot(rows["first"], y, "o", color=color)
        for yi, (first, lag) in enumerate(zip(rows["first"], rows["lag_days"], strict=True)):
            a.annotate(f"+{int(lag)} d" if lag else "first", (first, yi), xytext=(4, 4),
                       textcoords="offset points", fontsize=8, color="#555555")
        a.set_yticks(y, rows["source"].astype(str).tolist())
        a.set_ylim(len(rows) - 0.5, -0.5)
        a.set_title(str(name), fontsize=10, loc="left")
        a.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel("first use (dot) to last use (line)")
    axes[0].figure.suptitle(title or f"When each {diffusion.source} took the frame up")
    axes[0].figure.tight_layout()
    footer(axes[0].figure, diffusion)
    return axes[0] if len(axes) == 1 else axes


def drift(neighbours, ax=None, title: str | None = None):
    """A word's drift per period (one line per word; changed periods ringed), from
    :meth:`framescope.Corpus.neighbours`. Returns the Axes.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import framescope as fs
    >>> n = fs.datasets.demo().neighbours("partners", by="2y", dim=20, min_count=3)
    >>> ax = fs.plot.drift(n)
    >>> ax.get_ylabel()
    '1 - cosine to the previous period'
    """
    plt = _pyplot()
    table = neighbours.drift
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5))
    x_col = "start" if "start" in table.columns and table["start"].notna().any() else "period"
    for i, (word, rows) in enumerate(table.groupby("word", sort=False)):
        rows = rows.dropna(subset=["drift"])
        color = PALETTE[i % len(PALETTE)]
        ax.plot(rows[x_col], rows["drift"], "o-", color=color, label=str(word))
        hit = rows[rows["changed"]]
        ax.plot(hit[x_col], hit["drift"], "o", ms=14, mfc="none", mec=color)
    ax.set_ylabel("1 - cosine to the previous period")
    ax.set_title(title or "Semantic drift (aligned spaces per period; rings: changed)")
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    ax.figure.tight_layout()
    footer(ax.figure, neighbours)
    return ax
