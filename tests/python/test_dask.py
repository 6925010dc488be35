"""framescope.dask on a LocalCluster (two worker processes, loopback): equal to one machine."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

import framescope as fs

dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
fsd = pytest.importorskip("framescope.dask")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_frame_trends_and_terms_equal_single_machine(client):
    demo = fs.datasets.demo()
    frame = demo.to_pandas()[["id", "date", "lang"]]
    frame.insert(1, "text", demo.texts)
    ddf = dd.from_pandas(frame, npartitions=5)
    frames = fs.Frames.builtin()
    got = fsd.frame_trends(ddf, frames, by="year")
    local = fs.Corpus.from_pandas(frame, text="text", date="date", id="id").dedup(duplicates=False)
    want = local.frame_trends(frames, by="year")
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)
    by_lang = fsd.frame_trends(ddf, frames, by="lang")
    pd.testing.assert_frame_equal(pd.DataFrame(by_lang), pd.DataFrame(local.frame_trends(frames, by="lang")),
                                  check_dtype=False)
    terms = fsd.term_frequencies(ddf, stop_words="auto", top=50)
    pd.testing.assert_frame_equal(terms, local.term_frequencies(stop_words="auto", top=50),
                                  check_dtype=False)
    with pytest.raises(TypeError, match="dask"):
        fsd.frame_trends(frame, frames)
    # The run record names Dask's token of the collection; rerun checks it.
    record = fs.provenance(got)
    assert record.call == "dask.frame_trends" and record.corpus["partitions"] == 5
    pd.testing.assert_frame_equal(pd.DataFrame(record.rerun(ddf)), pd.DataFrame(got))
    other = dd.from_pandas(frame.iloc[:100], npartitions=2)
    with pytest.raises(ValueError, match="not the recorded one"):
        record.rerun(other)
    assert fs.provenance(terms).call == "dask.term_frequencies"


def test_frame_trends_read_excel_dates_with_dayfirst(client):
    """Dates as an en-GB spreadsheet writes them ("04/05/2023"): read day first when
    asked, as on one machine; without it each partition names both readings."""
    demo = fs.datasets.demo()
    frame = pd.DataFrame({"text": demo.texts,
                          "date": demo.dates.dt.strftime("%d/%m/%Y").tolist()})
    ddf = dd.from_pandas(frame, npartitions=4)
    frames = fs.Frames.builtin()
    got = fsd.frame_trends(ddf, frames, by="month", dayfirst=True)
    want = fs.Corpus.from_pandas(frame, dayfirst=True).dedup(duplicates=False) \
        .frame_trends(frames, by="month")
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)
    assert len(got) > 0
    with pytest.raises(ValueError, match="dayfirst=True"):
        fsd.frame_trends(ddf, frames, by="month")
    # term_frequencies reads the date column too, so it takes the same options.
    pd.testing.assert_frame_equal(
        fsd.term_frequencies(ddf, dayfirst=True, top=20),
        fs.Corpus.from_pandas(frame, dayfirst=True).dedup(duplicates=False)
        .term_frequencies(top=20), check_dtype=False)


def test_bad_dates_left_undated_and_a_date_range_as_on_one_machine(client):
    """bad_dates="undated" and date_range= as Corpus.from_pandas takes them: the same
    trends; the values left undated are one warning on the driver, partition and row."""
    frame = pd.DataFrame({"text": ["the collective West"] * 6,
                          "date": ["2023-01-05", "1850-01-01", "2024-03-01", "soon",
                                   "2023-07-01", "2022-02-02"]})
    ddf = dd.from_pandas(frame, npartitions=3)
    frames = fs.Frames.builtin()
    with pytest.raises(ValueError, match="partition|soon"):
        fsd.frame_trends(ddf, frames)
    with pytest.warns(UserWarning) as seen:
        got = fsd.frame_trends(ddf, frames, date_range=(1900, None), bad_dates="undated")
    ours = [str(w.message) for w in seen if "framescope.dask" in str(w.message)]
    assert len(ours) == 1 and ours[0].startswith(
        "framescope.dask.frame_trends ignored 2 bad metadata date(s); first: partition 0: "
        "dates[1]: \"1850-01-01\" is outside the plausible range")
    with pytest.warns(UserWarning):
        want = fs.Corpus.from_pandas(frame, date_range=(1900, None), bad_dates="undated") \
            .dedup(duplicates=False).frame_trends(frames)
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)
    assert sorted(set(pd.DataFrame(got)["period"])) == ["2022", "2023", "2024", "undated"]
    with pytest.raises(ValueError, match="bad_dates must be"):
        fsd.frame_trends(ddf, frames, bad_dates="skip")


def test_notes_on_the_texts_are_one_warning_on_the_driver(client):
    """A partition's words hyphenated across lines or HTML are said once on the driver,
    naming the partition and the row, as a corpus built on one machine says them; the
    trends equal the single machine's."""
    frame = pd.DataFrame({"text": ["the multi-\npolar world", "fine", "the collective&nbsp;West",
                                   "fine again", "<p>Global Majority</p>", "fine"],
                          "date": ["2023-01-01"] * 6})
    ddf = dd.from_pandas(frame, npartitions=3)
    frames = fs.Frames.builtin()
    with pytest.warns(UserWarning) as seen:
        got = fsd.frame_trends(ddf, frames, by="year")
    ours = [str(w.message) for w in seen if "framescope.dask" in str(w.message)]
    assert [m.split(";")[0] for m in ours] == [
        "framescope.dask.frame_trends found words hyphenated across line breaks (OCR'd or "
        "PDF text?) in 1 document(s)",
        "framescope.dask.frame_trends found HTML tags or entities in 2 document(s)"]
    assert "first: partition 0: text[0]: 1 word(s) hyphenated" in ours[0]
    assert "first: partition 1: text[0]: 1 HTML tag(s)" in ours[1]
    assert not [w for w in seen if "Corpus.from_pandas" in str(w.message)]
    with pytest.warns(UserWarning):
        want = fs.Corpus.from_pandas(frame).dedup(duplicates=False).frame_trends(frames, by="year")
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)
    with pytest.warns(UserWarning, match="framescope.dask.term_frequencies found HTML"):
        fsd.term_frequencies(ddf)


def _same_csr(a, b):
    a, b = a.tocsr(), b.tocsr()
    a.sort_indices()
    b.sort_indices()
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit-identical, not just close


@pytest.mark.parametrize("make", [
    lambda: fs.TfidfVectorizer(),
    lambda: fs.TfidfVectorizer(ngram_range=(1, 2), min_df=3, max_df=0.9, sublinear_tf=True),
    lambda: fs.TfidfVectorizer(max_features=300, smooth_idf=False, dtype=np.float32),
    lambda: fs.CountVectorizer(binary=True, max_features=200, stop_words="english"),
    lambda: fs.CountVectorizer(vocabulary=["west", "collective", "majority", "запад"]),
])
def test_vectorizer_over_partitions_equals_single_machine(client, make):
    demo = fs.datasets.demo()
    texts = list(demo.texts)
    ddf = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=4)
    want_vec = make()
    want = want_vec.fit_transform(texts)
    vec, got = fsd.fit_transform(ddf, make())
    assert list(vec.get_feature_names_out()) == list(want_vec.get_feature_names_out())
    if hasattr(want_vec, "idf_"):
        assert np.array_equal(vec.idf_, want_vec.idf_)
    _same_csr(got, want)
    # A Bag of str gives the same; lazy blocks stack to the same matrix.
    bag = db.from_sequence(texts, npartitions=3)
    blocks = fsd.transform(bag, fsd.fit(bag, make()), compute=False)
    assert len(blocks) == bag.npartitions > 1
    _same_csr(sp.vstack(dask.compute(*blocks), format="csr"), want)


def test_term_stats_merge_exactly_and_errors(client):
    parts = [fsd.TermStats(2, np.array(["b", "west"], object), np.array([1, 2]), np.array([1, 5])),
             fsd.TermStats(1, np.array(["a", "west"], object), np.array([1, 1]), np.array([3, 1]))]
    merged = fsd.TermStats.merge(pickle.loads(pickle.dumps(parts)))
    assert merged.n_docs == 3 and list(merged.terms) == ["a", "b", "west"]
    assert merged.doc_freq.tolist() == [1, 1, 3] and merged.counts.tolist() == [3, 1, 6]
    bad = db.from_sequence(["the West", None, "the East"], npartitions=1)
    with pytest.raises(TypeError, match="partition 0: .*document 1"):
        fsd.fit(bad, fs.CountVectorizer())
    only_stop = db.from_sequence(["the and", "of the"], npartitions=2)
    with pytest.raises(ValueError, match="empty vocabulary"):
        fsd.fit(only_stop, fs.CountVectorizer(stop_words="english"))
    with pytest.raises(ValueError, match="no column 'body'"):
        fsd.fit(dd.from_pandas(pd.DataFrame({"text": ["a b"]}), npartitions=1),
                fs.CountVectorizer(), text="body")


def test_progress_bar_over_a_cluster_counts_partitions(client, capsys):
    demo = fs.datasets.demo()
    frame = demo.to_pandas()[["id", "date"]]
    frame.insert(1, "text", demo.texts)
    ddf = dd.from_pandas(frame, npartitions=4)
    frames = fs.Frames.builtin()
    shown = fsd.frame_trends(ddf, frames, progress=True)
    assert "partitions" in capsys.readouterr().err
    pd.testing.assert_frame_equal(pd.DataFrame(shown), pd.DataFrame(fsd.frame_trends(ddf, frames)))
