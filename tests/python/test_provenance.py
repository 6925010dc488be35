"""Run records: on every result and figure, in written files and CLI sidecars, and the
recorded call made again gives the same table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import framescope as fs
from framescope.cli import main

FRAMES = {"west": ["collective West", "the West"], "majority": ["Global Majority"]}


def _corpus():
    return fs.Corpus.from_texts(
        ["The collective West imposes sanctions.", "The Global Majority rises.",
         "The West and the Global Majority.", "Nothing here."],
        dates=["2021-03-01", "2022-05-01", "2022-07-01", None],
        ids=["a", "b", "c", "d"], meta={"channel": ["mfa", "tass", "mfa", "tass"]})


def test_a_trend_table_carries_its_record():
    c = _corpus()
    t = c.frame_trends(FRAMES, by="year", level=0.9)
    r = fs.provenance(t)
    assert r.call == "Corpus.frame_trends"
    assert r.parameters["by"] == "year" and r.parameters["level"] == 0.9
    assert r.parameters["frames"] == {"__dict__": FRAMES}
    assert r.dictionary["frames"] == 2 and len(r.dictionary["sha256"]) == 64
    assert r.corpus["documents"] == 4 and len(r.corpus["fingerprint"]) == 64
    assert r.corpus["metadata_sha256"] is not None
    assert r.tokenizer["lowercase"] is True and r.tokenizer["hyphens"] == "split"
    assert r.versions["framescope"] == fs.__version__
    # Slices and copies keep it (pandas attrs).
    assert fs.provenance(t[t["frame"] == "west"].copy()).call == "Corpus.frame_trends"
    assert fs.RunRecord.from_json(r.to_json()) == r


def test_fingerprints_and_dictionary_hashes_follow_the_data():
    a, b = _corpus(), _corpus()
    ra = fs.provenance(a.frame_counts(FRAMES))
    rb = fs.provenance(b.frame_counts(fs.Frames(FRAMES)))
    assert ra.corpus == rb.corpus  # built twice, the same documents
    assert ra.dictionary["sha256"] == fs.provenance(b.frame_counts(FRAMES)).dictionary["sha256"]
    changed = fs.Corpus.from_texts(["The collective West imposes sanctions!", *a.texts[1:]],
                                   dates=a.dates, ids=a.ids, meta=a.meta)
    assert fs.provenance(changed.frame_counts(FRAMES)).corpus["fingerprint"] != ra.corpus["fingerprint"]
    other = fs.provenance(a.frame_counts({"west": ["collective West"]}))
    assert other.dictionary["sha256"] != ra.dictionary["sha256"]
    before = fs.get_num_threads()
    try:
        fs.set_num_threads(1)
        one = fs.Corpus.from_texts(a.texts, ids=a.ids, dates=a.dates).native.fingerprint()
        fs.set_num_threads(2)
        two = fs.Corpus.from_texts(a.texts, ids=a.ids, dates=a.dates).native.fingerprint()
    finally:
        fs.set_num_threads(before)
    assert one == two


def test_records_written_with_sha256_fingerprints_are_still_checked():
    c = _corpus()
    t = c.frame_trends(FRAMES, by="year")
    record = fs.provenance(t)
    assert record.corpus["fingerprint_version"] == 2
    assert record.corpus["fingerprint"] == c.native.fingerprint() != c.native.fingerprint_v1()
    # A record from before BLAKE3: SHA-256 fingerprint, no version key.
    old_corpus = {k: v for k, v in record.corpus.items() if k != "fingerprint_version"}
    old_corpus["fingerprint"] = c.native.fingerprint_v1()
    old = fs.RunRecord.from_dict({**record.to_dict(), "corpus": old_corpus})
    pd.testing.assert_frame_equal(pd.DataFrame(old.rerun(c)), pd.DataFrame(t))
    other = fs.Corpus.from_texts([*c.texts[:3], "Nothing here!"], dates=c.dates, ids=c.ids, meta=c.meta)
    with pytest.raises(ValueError, match="not the recorded one"):
        old.rerun(other)
    with pytest.raises(ValueError, match="unknown corpus fingerprint version 99"):
        fs.RunRecord.from_dict({**record.to_dict(), "corpus": {**record.corpus, "fingerprint_version": 99}}).rerun(c)


@pytest.mark.parametrize("call", [
    lambda c: c.frame_trends(FRAMES, by="year"),
    lambda c: c.frame_trends(FRAMES, by=["channel", "year"], bootstrap=200, seed=3),
    lambda c: c.term_trends(["sanctions", "West"], by="month"),
    lambda c: c.kwic("Global Majority", window=2),
    lambda c: c.term_frequencies(top=5),
    lambda c: c.frame_counts(fs.Frames(FRAMES)),
    lambda c: c.validation_sample(FRAMES, per_period=1, seed=4),
    lambda c: fs.keyness(c, c.meta["channel"].eq("mfa").to_numpy()),
])
def test_rerunning_the_record_gives_the_same_table(call):
    c = _corpus()
    table = call(c)
    record = fs.provenance(table)
    assert record is not None
    if any(isinstance(v, dict) and "__given__" in v for v in record.parameters.values()):
        with pytest.raises(ValueError, match="pass it again"):
            record.rerun(c)
        again = record.rerun(c, target=c.meta["channel"].eq("mfa").to_numpy())
    else:
        again = record.rerun(_corpus())  # an equal corpus built again
    pd.testing.assert_frame_equal(pd.DataFrame(again), pd.DataFrame(table))


def test_rerun_refuses_another_corpus_and_restores_the_tokenizer():
    c = _corpus()
    t = c.with_tokenizer(hyphens="join").frame_trends(FRAMES)
    record = fs.provenance(t)
    assert record.tokenizer["hyphens"] == "join"
    again = record.rerun(c)  # the same documents, the default tokenizer: set back to "join"
    assert fs.provenance(again).tokenizer["hyphens"] == "join"
    pd.testing.assert_frame_equal(pd.DataFrame(again), pd.DataFrame(t))
    other = fs.Corpus.from_texts(["The collective West."], dates=["2021-01-01"])
    with pytest.raises(ValueError, match="not the recorded one"):
        record.rerun(other)
    assert len(record.rerun(other, check=False)) > 0


def test_records_on_results_of_expansion_drift_and_correction():
    demo = fs.datasets.demo()
    e = fs.expand(demo, "the collective West", top=5, examples=0)
    r = fs.provenance(e)
    assert r.call == "expand" and r.parameters["top"] == 5 and r.dictionary["frames"] == 1
    pd.testing.assert_frame_equal(r.rerun(demo), e)
    n = demo.neighbours("partners", by="2y", min_count=3, dim=20)
    assert fs.provenance(n).call == "Corpus.neighbours"
    assert fs.provenance(n.drift).call == "Corpus.neighbours"
    pd.testing.assert_frame_equal(fs.provenance(n).rerun(demo).drift, n.drift)
    loose = fs.datasets.LOOSE_FRAMES
    trend = demo.frame_trends(loose)
    coded = fs.datasets.demo_code(demo.validation_sample(loose, per_period=10, seed=2))
    fixed = trend.correct(coded, draws=500, seed=1)
    rc = fs.provenance(fixed)
    assert rc.call == "TrendTable.correct" and rc.parent["call"] == "Corpus.frame_trends"
    with pytest.raises(ValueError, match="labels"):
        rc.rerun(demo)
    pd.testing.assert_frame_equal(rc.rerun(demo, labels=coded), fixed)


def test_tables_written_with_their_record(tmp_path):
    c = _corpus()
    t = c.frame_trends(FRAMES)
    record = fs.provenance(t)
    p = fs.write_table(t, tmp_path / "trends.parquet")
    raw = pq.read_schema(p).metadata[b"framescope"]
    assert json.loads(raw)["corpus"] == record.corpus  # any Arrow reader sees it
    back = fs.read_table(p)
    assert fs.provenance(back) == record
    pd.testing.assert_frame_equal(back, pd.DataFrame(t).reset_index(drop=True), check_dtype=False)
    csv = fs.write_table(t, tmp_path / "trends.csv")
    sidecar = json.loads((tmp_path / "trends.csv-metadata.json").read_text())
    assert sidecar["@context"] == "http://www.w3.org/ns/csvw" and sidecar["url"] == "trends.csv"
    assert fs.provenance(fs.read_table(csv)) == record
    with pytest.raises(ValueError, match="csv or .parquet"):
        fs.write_table(t, tmp_path / "trends.xlsx")
    assert fs.provenance(pd.DataFrame({"x": [1]})) is None


def test_plot_footer_names_the_run():
    import matplotlib

    matplotlib.use("Agg")
    c = _corpus()
    t = c.frame_trends(FRAMES)
    ax = t.plot()
    record = fs.provenance(ax)
    assert record == fs.provenance(t)
    texts = [x.get_text() for x in ax.figure.texts]
    assert any(x.startswith(f"framescope {fs.__version__}") and record.corpus["fingerprint"][:10] in x
               and record.dictionary["sha256"][:10] in x for x in texts), texts
    h = fs.plot.heatmap(t)
    assert fs.provenance(h.figure) == record


def test_dispersion_plot_names_the_matches_it_shows():
    import matplotlib

    matplotlib.use("Agg")
    c = _corpus()
    ax = fs.plot.dispersion(c, FRAMES)
    record = fs.provenance(ax.figure)
    assert record is not None and record.call == "Corpus.kwic"
    assert record.corpus["documents"] == 4 and record.dictionary["frames"] == 2
    assert record.parameters["window"] == 0
    assert any(x.get_text().startswith(f"framescope {fs.__version__}") for x in ax.figure.texts)


def test_cli_writes_sidecars_that_rerun(tmp_path, capsys):
    out, plot = tmp_path / "t.csv", tmp_path / "t.png"
    assert main(["trends", "--frames", "ru_foreign_policy", "--out", str(out), "--plot", str(plot)]) == 0
    capsys.readouterr()
    table_meta = json.loads((tmp_path / "t.csv-metadata.json").read_text())
    figure_meta = json.loads((tmp_path / "t.png-metadata.json").read_text())
    assert table_meta["framescope"]["call"] == "Corpus.frame_trends"
    assert figure_meta["framescope"]["corpus"] == table_meta["framescope"]["corpus"]
    record = fs.RunRecord.from_dict(table_meta["framescope"])
    again = record.rerun(fs.datasets.demo().dedup())  # the CLI cleans before counting
    written = pd.read_csv(out)
    np.testing.assert_array_equal(written["hits"].to_numpy(), again["hits"].to_numpy())
    np.testing.assert_allclose(written["per_10k"].to_numpy(), again["per_10k"].to_numpy(), equal_nan=True)
    parquet = tmp_path / "t.parquet"
    assert main(["trends", "--frames", "ru_foreign_policy", "--out", str(parquet)]) == 0
    assert b"framescope" in pq.read_schema(parquet).metadata
    assert (tmp_path / "t.parquet-metadata.json").exists()


def test_large_dictionaries_are_recorded_by_hash():
    c = _corpus()
    terms = [f"term{k}" for k in range(5000)] + ["sanctions"]
    t = c.term_trends(terms)
    r = fs.provenance(t)
    assert r.parameters["terms"]["__given__"] == "list of 5,001 items"
    assert r.parameters["terms"]["sha256"] == r.dictionary["sha256"]
    assert len(r.to_json()) < 5000  # pandas copies attrs with every operation
    with pytest.raises(ValueError, match="pass it again"):
        r.rerun(c)
    pd.testing.assert_frame_equal(pd.DataFrame(r.rerun(c, terms=terms)), pd.DataFrame(t))


def test_a_scan_records_its_files_and_reruns_them(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    rows = [{"text": "the collective West", "date": "2022-03-01"},
            {"text": "the Global Majority and the West", "date": "2023-05-01"}]
    (folder / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    result = fs.scan(folder, FRAMES, progress=False)
    record = fs.provenance(result)
    assert record.call == "scan" and record.corpus["files"] == 1 and record.corpus["documents"] == 2
    assert fs.provenance(result.trends) == record
    assert "1 files" in record.footer()
    again = record.rerun()
    pd.testing.assert_frame_equal(pd.DataFrame(again.trends), pd.DataFrame(result.trends))
    (folder / "b.jsonl").write_text(json.dumps(rows[0]))
    with pytest.raises(ValueError, match="files have changed"):
        record.rerun()
    assert record.rerun(check=False).docs == 3
    with pytest.raises(ValueError, match="pass it"):
        fs.provenance(_corpus().frame_trends(FRAMES)).rerun()


def test_tables_made_from_a_trend_table_keep_a_record():
    c = _corpus()
    t = c.frame_trends(FRAMES, by="month")
    ratio = t.ratio("majority", "west")
    r = fs.provenance(ratio)
    assert r.call == "TrendTable.ratio" and r.parent["call"] == "Corpus.frame_trends"
    pd.testing.assert_frame_equal(r.rerun(c), ratio)
    points = t.change_points()
    assert fs.provenance(points).call == "TrendTable.change_points"
    pd.testing.assert_frame_equal(fs.provenance(points).rerun(c), points)
