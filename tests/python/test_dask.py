"""framescope.dask on a LocalCluster (two worker processes, loopback): equal to one machine."""

from __future__ import annotations

import pandas as pd
import pytest

import framescope as fs

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
