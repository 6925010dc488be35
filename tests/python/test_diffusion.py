"""corpus.diffusion: planted adoption order and lags recovered exactly."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest

import framescope as fs

matplotlib.use("Agg")

FRAMES = {"multipolar": ["multipolar world"], "west": ["collective West"]}
# Each source posts on the 10th of every month, 2019-2022; from its adoption month on,
# its posts name the multipolar world (twice for A). D never does. Planted truth:
ADOPTS = {"A": "2020-01-10", "B": "2020-07-10", "C": "2021-01-10"}


def planted() -> fs.Corpus:
    texts, dates, channel = [], [], []
    for month in pd.date_range("2019-01-01", "2022-12-01", freq="MS") + pd.Timedelta(days=9):
        for src in "ABCD":
            on = src in ADOPTS and month >= pd.Timestamp(ADOPTS[src])
            n = 2 if src == "A" else 1
            texts.append("we stand for a multipolar world. " * n * on + "trade and talks")
            dates.append(month.strftime("%Y-%m-%d"))
            channel.append(src)
    # An undated post by D naming the frame: counted, but no date of adoption.
    texts.append("a multipolar world")
    dates.append(None)
    channel.append("D")
    return fs.Corpus.from_texts(texts, dates=dates, meta={"channel": channel})


def test_adoption_order_lags_and_counts_are_the_planted_ones():
    d = planted().diffusion(FRAMES, source="channel", by="year")
    a = d.adoption[d.adoption["frame"] == "multipolar"].set_index("source")
    assert a.index.tolist() == ["A", "B", "C", "D"]
    assert a["first"].dt.strftime("%Y-%m-%d").tolist()[:3] == ["2020-01-10", "2020-07-10", "2021-01-10"]
    assert a["last"].dt.strftime("%Y-%m-%d").tolist()[:3] == ["2022-12-10"] * 3
    assert a["lag_days"].tolist()[:3] == [0, 182, 366]
    assert a["rank"].tolist()[:3] == [1, 2, 3] and np.isnan(a.loc["D", "rank"])
    assert pd.isna(a.loc["D", "first"]) and a.loc["D", "hits"] == 1  # the undated post
    assert a["hits"].tolist()[:3] == [2 * 36, 30, 24] and a["docs"].tolist() == [48, 48, 48, 49]
    # A frame nobody uses: every source listed, none ranked.
    west = d.adoption[d.adoption["frame"] == "west"]
    assert len(west) == 4 and west["rank"].isna().all() and (west["hits"] == 0).all()


def test_shares_of_each_period_add_up_to_one():
    d = planted().diffusion(FRAMES, source="channel", by="year")
    s = d.shares[d.shares["frame"] == "multipolar"].set_index(["period", "source"])
    assert s.loc[("2020", "A"), "hits"] == 24 and s.loc[("2020", "B"), "hits"] == 6
    assert s.loc[("2020", "A"), "share"] == pytest.approx(24 / 30)
    assert s.loc[("2022", "C"), "share"] == pytest.approx(12 / 48)  # A 24, B 12, C 12
    sums = d.shares[d.shares["frame"] == "multipolar"].groupby("period")["share"].sum()
    assert sums.drop("2019").round(12).eq(1).all() and np.isnan(
        s.loc[("2019", "A"), "share"])  # no hits in 2019: no shares


def test_adoption_plot_puts_the_first_adopter_on_top():
    d = planted().diffusion(FRAMES, source="channel")
    ax = fs.plot.adoption(d, frames="multipolar")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    assert [t.get_text() for t in ax.texts] == ["first", "+182 d", "+366 d"]
    with pytest.raises(ValueError, match="no source used these frames"):
        fs.plot.adoption(d, frames="west")


def test_source_must_be_a_column():
    with pytest.raises(ValueError, match="source must be a metadata column"):
        planted().diffusion(FRAMES, source="outlet")


def _export(name, chat_id, messages):
    return {"name": name, "type": "public_channel", "id": chat_id, "messages": [
        {"id": i + 1, "type": "message", "date": date, "from": name, "text": text,
         **({"forwarded_from": fwd} if fwd else {})}
        for i, (date, text, fwd) in enumerate(messages)]}


def test_forward_chains_from_telegram_exports(tmp_path):
    import json

    mission = _export("Russian Mission to the UN", 1, [
        ("2023-03-01T09:00:00", "The collective West blocks the resolution.", None),
        ("2023-03-10T09:00:00", "The Global Majority supports us.", None),
        ("2023-03-20T09:00:00", "Again the collective West.", None)])
    mfa = _export("MFA Russia", 2, [
        ("2023-03-05T10:00:00", "The collective West blocks the resolution.", "Russian Mission to the UN"),
        ("2023-03-25T10:00:00", "Again the collective West.", "Russian Mission to the UN"),
        ("2023-03-26T10:00:00", "The Global Majority supports us.", "Russian Mission to the UN"),
        ("2023-03-27T10:00:00", "The collective West, quoted.", "TASS")])
    for folder, export in (("mission", mission), ("mfa", mfa)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "result.json").write_text(json.dumps(export), encoding="utf-8")
    c = fs.read(tmp_path)
    edges = c.forwards({"west": ["collective West"], "majority": ["Global Majority"]})
    got = {(f, t, fr): (n, lag) for f, t, fr, n, lag in edges.itertuples(index=False, name=None)}
    # West: forwards on Mar 5 (4 days after the mission's Mar 1 post) and Mar 25 (5 days
    # after Mar 20): median 4.5. Majority: Mar 26, 16 days after Mar 10. TASS is not in
    # the corpus: no lag.
    assert got[("Russian Mission to the UN", "MFA Russia", "west")] == (2, 4.5)
    assert got[("Russian Mission to the UN", "MFA Russia", "majority")] == (1, 16.0)
    n, lag = got[("TASS", "MFA Russia", "west")]
    assert n == 1 and np.isnan(lag)
    assert len(edges) == 3
    with pytest.raises(ValueError, match="forwarded column 'fwd' not found"):
        c.forwards({"west": ["collective West"]}, forwarded="fwd")


def test_cli_diffusion(tmp_path, capsys):
    import json

    from framescope.cli import main

    c = planted()
    path = tmp_path / "posts.jsonl"
    path.write_text("".join(json.dumps({"text": t, "date": None if pd.isna(d) else str(d.date()), "channel": ch})
                            + "\n" for t, d, ch in zip(c.texts, c.dates, c.meta["channel"], strict=True)))
    frames = tmp_path / "frames.json"
    frames.write_text(json.dumps(FRAMES))
    out, plot = tmp_path / "a.csv", tmp_path / "a.png"
    assert main(["diffusion", str(path), "--frames", str(frames), "--no-dedup", "--out", str(out),
                 "--plot", str(plot)]) == 0
    a = pd.read_csv(out)
    m = a[a["frame"] == "multipolar"]
    assert m["source"].tolist() == ["A", "B", "C", "D"] and m["lag_days"].tolist()[:3] == [0, 182, 366]
    assert plot.stat().st_size > 0 and "no dated use: west" in capsys.readouterr().out


def test_the_demo_corpus_plants_an_adoption_order():
    c = fs.datasets.demo()
    truth = fs.datasets.demo_truth()
    dates = c.to_pandas().set_index("id")["date"]
    gm = truth[truth["global_majority"] > 0].assign(date=lambda t: dates.reindex(t["id"]).to_numpy())
    want = gm.dropna(subset=["date"]).groupby("channel")["date"].min()
    d = c.diffusion(fs.Frames.builtin().select(["global_majority"]), source="channel")
    got = d.adoption.set_index("source")["first"]
    assert d.adoption["source"].tolist() == ["mfa", "tass", "kremlin"]
    assert got.to_dict() == want.to_dict()
    for channel, earliest in fs.datasets.ADOPTION.items():
        assert got[channel] >= pd.Timestamp(earliest)
