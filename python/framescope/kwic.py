"""KWIC tables: a DataFrame that notebooks show with each match highlighted."""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["KwicTable"]


class KwicTable(pd.DataFrame):
    """Keyword-in-context lines (see :meth:`framescope.Corpus.kwic`)."""

    @property
    def _constructor(self):
        return KwicTable

    def _repr_html_(self) -> str:
        if not {"left", "match", "right"} <= set(self.columns):
            return super()._repr_html_()
        rows = []
        for r in self.head(500).itertuples(index=False):
            date = "" if pd.isna(getattr(r, "date", None)) else str(pd.Timestamp(r.date).date())
            rows.append(
                f"<tr><td>{html.escape(str(getattr(r, 'id', '')))}</td><td>{date}</td>"
                f"<td>{html.escape(str(getattr(r, 'frame', '')))}</td>"
                f"<td style='text-align:right'>{html.escape(r.left)}</td>"
                f"<td><mark><b>{html.escape(r.match)}</b></mark></td>"
                f"<td style='text-align:left'>{html.escape(r.right)}</td></tr>")
        more = f"<p>({len(self) - 500} more lines)</p>" if len(self) > 500 else ""
        return ("<table><tr><th>id</th><th>date</th><th>frame</th><th>left</th><th>match</th>"
                f"<th>right</th></tr>{''.join(rows)}</table>{more}")
