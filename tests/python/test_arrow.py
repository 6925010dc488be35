"""Arrow, polars and Parquet in: the same corpus as from pandas or JSONL, errors named."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import framescope as fs
from framescope import arrow

TEXTS = ["The so-called “collective West” insists on its rules.",
         "Мировое большинство выступает за многополярный мир.",
         "",
         "#BRICS summit: the Global Majority"]
DATES = ["2023-04-29", None, "2024-10-22", "2024-10-23"]
LANG = ["en", "ru", None, "en"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({"text": TEXTS, "date": DATES, "lang": LANG})


def assert_same(a: fs.Corpus, b: fs.Corpus) -> None:
    assert a.texts == b.texts
    pd.testing.assert_frame_equal(a.to_pandas(), b.to_pandas())


@pytest.mark.parametrize("kind", ["table", "chunked", "large_string", "string_view", "batch",
                                  "reader"])
def test_every_arrow_shape_gives_the_pandas_corpus(kind):
    table = pa.Table.from_pandas(frame(), preserve_index=False)
    if kind == "chunked":
        data = pa.Table.from_batches(table.to_batches(max_chunksize=1))
        assert data.column("text").num_chunks == 4
    elif kind in ("large_string", "string_view"):
        typ = pa.large_string() if kind == "large_string" else pa.string_view()
        data = table.set_column(0, "text", table.column("text").cast(typ))
    elif kind == "batch":
        data = table.to_batches()[0]
    elif kind == "reader":
        data = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=3))
    else:
        data = table
    assert_same(fs.Corpus.from_arrow(data), fs.Corpus.from_pandas(frame()))


def test_a_slice_starts_at_its_own_first_text():
    table = pa.Table.from_pandas(frame(), preserve_index=False).slice(1, 2)
    c = fs.Corpus.from_arrow(table)
    assert c.texts == TEXTS[1:3] and c.meta["lang"].tolist()[0] == "ru"


def test_polars_frames_are_taken_wherever_pandas_ones_are():
    pl = pytest.importorskip("polars")
    df = pl.from_pandas(frame())
    want = fs.Corpus.from_pandas(frame())
    assert_same(fs.Corpus.from_polars(df), want)
    assert_same(fs.Corpus.from_pandas(df), want)
    with pytest.raises(TypeError, match="polars DataFrame"):
        fs.Corpus.from_polars(frame().to_dict())


def test_null_and_non_text_columns_are_errors_naming_them():
    table = pa.table({"text": ["a", None, "c"]})
    with pytest.raises(TypeError, match="text column 'text': row 1 is null"):
        fs.Corpus.from_arrow(table)
    with pytest.raises(TypeError, match="holds int64, not strings"):
        fs.Corpus.from_arrow(pa.table({"text": [1, 2]}))
    with pytest.raises(ValueError, match="text column 'body' not found"):
        fs.Corpus.from_arrow(pa.table({"text": ["a"]}), text="body")
    # Bytes that are not UTF-8 inside an Arrow string array (pyarrow does not check them).
    bad = pa.Array.from_buffers(pa.large_string(), 2, [None, pa.py_buffer(np.array([0, 1, 3], np.int64)),
                                                        pa.py_buffer(b"a\xff\xfe")])
    with pytest.raises(ValueError, match="text 1: not valid UTF-8"):
        fs.Corpus.from_arrow(pa.table({"text": bad}))



def test_arrow_date_types_are_read_as_dates_without_a_python_object_a_row(monkeypatch):
    """date32, date64 and timestamps (naive or with a zone: the date as written there)
    give the corpus that the same dates as strings give, and reach the parser as one
    datetime64 array, not as a date object per row."""
    import datetime as dt

    from framescope import corpus as corpus_module
    texts = ["a", "b", "c", "d"]
    as_text = ["2023-04-29", None, "1999-12-31", "2024-02-29"]
    days = [dt.date(2023, 4, 29), None, dt.date(1999, 12, 31), dt.date(2024, 2, 29)]
    late = [None if d is None else dt.datetime(d.year, d.month, d.day, 23, 30) for d in days]
    want = fs.Corpus.from_texts(texts, dates=as_text).to_pandas()
    seen = []
    parse = corpus_module.parse_dates

    def spy(values, *args, **kwargs):
        seen.append(getattr(values, "dtype", None))
        return parse(values, *args, **kwargs)

    monkeypatch.setattr(corpus_module, "parse_dates", spy)
    columns = {"date32": pa.array(days, pa.date32()), "date64": pa.array(days, pa.date64()),
               "timestamp": pa.array(late, pa.timestamp("us")),
               # 23:30 in Moscow is 20:30 UTC: the date stays the one written in Moscow.
               "zoned": pa.array([None if t is None else t.replace(tzinfo=dt.timezone(
                   dt.timedelta(hours=3))) for t in late], pa.timestamp("ms", tz="Europe/Moscow"))}
    for name, column in columns.items():
        got = fs.Corpus.from_arrow(pa.table({"text": texts, "date": column})).to_pandas()
        pd.testing.assert_frame_equal(got, want, obj=name)
        assert seen[-1].kind == "M", (name, seen[-1])
    with pytest.raises(ValueError, match="position 0"):
        fs.Corpus.from_arrow(pa.table({"text": ["a"], "date": pa.array([dt.date(900, 1, 1)])}))
    with pytest.warns(UserWarning, match="1 date.s. could not be used"):
        c = fs.Corpus.from_arrow(pa.table({"text": ["a", "b"],
                                           "date": pa.array([dt.date(900, 1, 1), days[0]])}),
                                 bad_dates="undated")
    assert c.dates.isna().tolist() == [True, False]
    assert c.read_report["source"].tolist() == ["dates[0]"]


def test_arrow_id_and_source_columns_go_in_as_buffers_and_are_checked():
    texts = ["a", "b", "c"]
    for ids in (["p1", "p2", "p3"], pa.array(["p1", "p2", "p3"], pa.large_string())):
        c = fs.Corpus.from_arrow(pa.table({"text": texts, "post": ids, "url": ["u1", "u2", "u3"]}),
                                 id="post", source="url")
        assert c.ids == ["p1", "p2", "p3"] and [c[i].source for i in range(3)] == ["u1", "u2", "u3"]
        assert list(c.meta.columns) == []
    # Integers are written in decimal, as str() writes them; a slice keeps its own rows.
    table = pa.table({"text": ["x"] + texts, "n": pa.array([9, -7, 10**12, 0], pa.int64())})
    assert fs.Corpus.from_arrow(table.slice(1), id="n").ids == ["-7", "1000000000000", "0"]
    assert fs.Corpus.from_arrow(table, source="n")[1].source == "-7"
    with pytest.raises(ValueError, match='ids: "p1" at position 2 is a duplicate'):
        fs.Corpus.from_arrow(pa.table({"text": texts, "id": ["p1", "p2", "p1"]}), id="id")
    with pytest.raises(TypeError, match="id column 'id': row 1 is null"):
        fs.Corpus.from_arrow(pa.table({"text": texts, "id": ["p1", None, "p3"]}), id="id")
    with pytest.raises(TypeError, match="source column 'url': row 0 is null"):
        fs.Corpus.from_arrow(pa.table({"text": texts, "url": [None, "u", "v"]}), source="url")
    with pytest.raises(TypeError, match="id column 'id' holds double, not strings or integers"):
        fs.Corpus.from_arrow(pa.table({"text": texts, "id": [1.0, 2.0, 3.0]}), id="id")
    # Lists of ids and sources still work, and the same checks apply to them.
    c = fs.Corpus.from_arrow(pa.table({"text": texts}), ids=[3, 2, 1], sources=["s", "t", "u"])
    assert c.ids == ["3", "2", "1"] and c[2].source == "u"
    with pytest.raises(ValueError, match="ids has 2 items but there are 3 texts"):
        fs.Corpus.from_texts(texts, ids=["a", "b"])

def test_read_parquet_files_by_glob_with_ids_provenance_and_dates(tmp_path):
    table = pa.Table.from_pandas(frame(), preserve_index=False)
    pq.write_table(table, tmp_path / "a.parquet", row_group_size=2)
    pq.write_table(table.slice(0, 1), tmp_path / "b.parquet")
    c = fs.read(tmp_path / "*.parquet")
    assert c.ids == ["a.parquet#1", "a.parquet#2", "a.parquet#3", "a.parquet#4", "b.parquet#1"]
    assert c[4].source == f"{tmp_path / 'b.parquet'}:row 1"
    assert c.dates.isna().tolist() == [False, True, False, False, False]
    assert c.meta["lang"].tolist()[:2] == ["en", "ru"]
    # The same records as JSONL read the same corpus (ids and provenance aside).
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t, "date": d, "lang": la}) + "\n"
                             for t, d, la in zip(TEXTS, DATES, LANG, strict=True)))
    j = fs.read(jsonl)
    assert j.texts == c.texts[:4]
    frames = fs.Frames.builtin()
    got = c[:4].frame_trends(frames)
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(j.frame_trends(frames)))
    pq.write_table(pa.table({"body": ["a", "b"], "post": ["p1", "p2"], "when": [2021, 2022]}),
                   tmp_path / "c.parquet")
    named = fs.read(tmp_path / "c.parquet", text="body", id="post", date="when")
    assert named.ids == ["p1", "p2"] and named.dates.dt.year.tolist() == [2021, 2022]


def test_bad_parquet_input_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 not really")
    with pytest.raises(fs.InputError, match="broken.parquet: not a readable Parquet file"):
        fs.read(path)
    with pytest.raises(ValueError, match="format='parquet' reads .parquet files"):
        fs.read(tmp_path / "x.jsonl", format="parquet")


def test_scan_streams_parquet_batches_and_equals_the_whole_read(tmp_path):
    rng = np.random.default_rng(3)
    n = 3_000
    words = np.array(["the", "collective", "West", "Global", "Majority", "order", "мир"])
    texts = [" ".join(rng.choice(words, 12)) for _ in range(n)]
    years = rng.integers(2015, 2025, n)
    table = pa.table({"text": texts, "date": [f"{y}-06-01" for y in years],
                      "party": rng.choice(["A", "B"], n)})
    pq.write_table(table, tmp_path / "big.parquet", row_group_size=500)
    # Batches number their rows on from the batch before (ids and provenance made in the core).
    batches = list(arrow.parquet_batches([str(tmp_path / "big.parquet")], 20_000))
    assert len(batches) > 2
    assert [i for _, ids, _ in batches for i in ids.texts()] == [f"big.parquet#{k}"
                                                                 for k in range(1, n + 1)]
    assert batches[1][2].texts()[0] == f"{tmp_path / 'big.parquet'}:row {len(batches[0][0]) + 1}"
    frames = {"west": ["collective West"], "majority": ["Global Majority"]}
    scanned = fs.scan(tmp_path / "big.parquet", frames, by=["party", "year"], clean=False,
                      batch_mb=0.02)
    assert scanned.batches >= 10 and scanned.docs == n
    whole = fs.read(tmp_path / "big.parquet")
    pd.testing.assert_frame_equal(pd.DataFrame(scanned.trends),
                                  pd.DataFrame(whole.frame_trends(frames, by=["party", "year"])))
    want = whole.term_frequencies(stop_words="auto")
    got = scanned.terms.sort_values("term").reset_index(drop=True)
    want = want.sort_values("term").reset_index(drop=True)[["term", "count", "doc_freq"]]
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_dask_over_parquet_equals_reading_it(tmp_path):
    dd = pytest.importorskip("dask.dataframe")
    fsd = pytest.importorskip("framescope.dask")
    table = pa.Table.from_pandas(frame(), preserve_index=False)
    pq.write_table(pa.concat_tables([table] * 50), tmp_path / "posts.parquet", row_group_size=40)
    ddf = dd.read_parquet(tmp_path / "posts.parquet", split_row_groups=True)
    assert ddf.npartitions > 1
    frames = fs.Frames.builtin()
    got = fsd.frame_trends(ddf, frames, by=["lang", "year"], clean=False)
    want = fs.read(tmp_path / "posts.parquet").frame_trends(frames, by=["lang", "year"])
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want), check_dtype=False)


def test_polars_series_group_and_select_as_pandas_ones_do():
    pl = pytest.importorskip("polars")
    c = fs.Corpus.from_pandas(frame())
    region = ["north", "south", "north", "south"]
    frames = {"west": ["collective West"]}
    got = c.frame_trends(frames, by=[pl.Series("region", region), "year"])
    want = c.frame_trends(frames, by=[pd.Series(region, name="region"), "year"])
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(want))
    mask = pl.Series([True, False, True, False])
    pd.testing.assert_frame_equal(fs.keyness(c, mask), fs.keyness(c, mask.to_numpy()))
    assert c[mask].ids == ["0", "2"]


def test_polars_and_arrow_metadata_in_from_texts():
    pl = pytest.importorskip("polars")
    want = fs.Corpus.from_texts(["a", "b"], meta=pd.DataFrame({"lang": ["en", "ru"], "n": [1, 2]}))
    for meta in (pl.DataFrame({"lang": ["en", "ru"], "n": [1, 2]}),
                 pa.table({"lang": ["en", "ru"], "n": [1, 2]})):
        got = fs.Corpus.from_texts(["a", "b"], meta=meta)
        assert got.meta["lang"].tolist() == ["en", "ru"] and got.meta["n"].tolist() == [1, 2]
        assert got.meta.shape == want.meta.shape


@pytest.mark.parametrize("dtype", ["str", "string[pyarrow]", pd.ArrowDtype(pa.large_string()),
                                   pd.ArrowDtype(pa.string())])
def test_pandas_strings_stored_in_arrow_go_in_as_buffers(dtype):
    """pandas 3's default str columns (and other Arrow-stored strings) give the corpus
    object columns give, read as Arrow's buffers (no str made per row), a slice too."""
    objects = frame().assign(post=["p1", "p2", "p3", "p4"], url=["u1", "u2", "u3", "u4"])
    objects = objects.astype({c: object for c in ("text", "post", "url")})
    stored = objects.astype({"text": dtype, "post": dtype, "url": dtype})
    assert fs.arrow.pandas_strings(stored["text"]) is not None
    assert fs.arrow.pandas_strings(objects["text"]) is None
    for a, b in ((stored, objects), (stored.iloc[1:], objects.iloc[1:])):
        got = fs.Corpus.from_pandas(a, id="post", source="url")
        want = fs.Corpus.from_pandas(b, id="post", source="url")
        assert_same(got, want)
        assert [d.source for d in got] == [d.source for d in want]
    with pytest.raises(TypeError, match="text column 'text': row 2 is null"):
        fs.Corpus.from_pandas(stored.assign(text=pd.Series(["a", "b", None, "d"], dtype=dtype)))
    # from_texts takes such a Series the same way.
    assert fs.Corpus.from_texts(stored["text"].iloc[1:]).texts == objects["text"].iloc[1:].tolist()
    with pytest.raises(TypeError, match="text column 'text': row 2 is null"):
        fs.Corpus.from_texts(pd.Series(["a", "b", None], dtype=dtype, name="text"))
    with pytest.raises(TypeError, match="id column 'post': row 0 is null"):
        fs.Corpus.from_pandas(stored.assign(post=pd.Series([None, "b", "c", "d"], dtype=dtype)),
                              id="post")


def test_arrow_buffers_at_any_address_are_read():
    """Arrow does not align buffers it did not allocate (read from a file, sliced): an
    offsets buffer one byte off its alignment is read (copied), not refused."""
    raw = np.zeros(33, np.uint8)
    raw[1:] = np.array([0, 1, 3, 6], np.int64).view(np.uint8)
    offsets = pa.py_buffer(raw.tobytes()).slice(1)
    texts = pa.Array.from_buffers(pa.large_string(), 3, [None, offsets, pa.py_buffer("aбccc".encode())])
    assert not fs.arrow.string_buffers(texts, "text").chunks[0][0].ctypes.data % 8
    assert fs.Corpus.from_arrow(pa.table({"text": texts})).texts == ["a", "б", "ccc"]
    assert fs.CountVectorizer().fit_transform(texts).shape == (3, 1)


def test_missing_ids_and_sources_in_lists_and_object_columns_are_errors():
    """A missing id or source (None, NaN) is an error naming its position, as a null in an
    Arrow column is; it used to become the id "None" or "nan"."""
    with pytest.raises(TypeError, match="ids: position 1 is missing .None."):
        fs.Corpus.from_texts(["a", "b"], ids=["p1", None])
    with pytest.raises(TypeError, match="sources: position 0 is missing .nan."):
        fs.Corpus.from_texts(["a", "b"], sources=[float("nan"), "s"])
    df = pd.DataFrame({"text": ["a", "b", "c"], "post": pd.Series([7, None, 9], dtype=object)})
    with pytest.raises(TypeError, match="id column 'post': position 1 is missing"):
        fs.Corpus.from_pandas(df, id="post")
    assert fs.Corpus.from_texts(["a", "b"], ids=[1, ("x", 2)]).ids == ["1", "('x', 2)"]


def _bad_utf8_chunk():
    """An Arrow string array whose second string is not UTF-8 (Arrow does not check)."""
    return pa.Array.from_buffers(pa.large_string(), 2, [None, pa.py_buffer(np.array([0, 2, 4], np.int64)),
                                                        pa.py_buffer(b"ok\xff\xfe")])


def test_chunked_columns_are_read_chunk_by_chunk_in_place(monkeypatch):
    """A chunked column (Parquet row groups, concatenated frames) reaches the core one
    (offsets, data) pair a chunk, each read where Arrow holds it: no combined copy of the
    texts, and the same corpus, matrix and errors (named by row across the chunks) as one chunk."""
    monkeypatch.setattr(arrow, "SMALL_CHUNK_ROWS", 1)  # these chunks count as large
    texts = ["the collective West", "", "многополярный мир", "Global Majority", "rules-based order",
             "Запад", "x"]
    chunked = pa.chunked_array([pa.array(texts[:3]), pa.array([], pa.string()),
                                pa.array(texts[3:]).slice(1), pa.array(texts[3:4])])
    assert chunked.num_chunks == 4
    want = texts[:3] + texts[4:] + texts[3:4]
    bufs = arrow.string_buffers(chunked, "text")
    assert len(bufs.chunks) == 3 and len(bufs) == 7 and bufs.texts() == want  # the empty chunk dropped
    for (offsets, data), chunk in zip(bufs.chunks, [c for c in chunked.chunks if len(c)], strict=True):
        # The data is Arrow's own buffer (a slice starts at its own first byte), not a copy.
        assert np.shares_memory(data, np.frombuffer(chunk.buffers()[2], np.uint8))
        assert offsets[0] == 0 and offsets[-1] == len(data)
    ids = pa.chunked_array([pa.array(["a", "b"]), pa.array(["c", "d", "e", "f", "g"])])
    table = pa.table({"text": chunked, "post": ids, "date": [f"2022-01-0{i + 1}" for i in range(7)]})
    corpus = fs.Corpus.from_arrow(table, id="post")
    assert corpus.texts == want and corpus.ids == list("abcdefg")
    one = fs.Corpus.from_arrow(table.combine_chunks(), id="post")
    assert corpus.texts == one.texts and corpus.ids == one.ids and corpus.dates.equals(one.dates)
    X = fs.CountVectorizer().fit_transform(chunked)
    assert (X != fs.CountVectorizer().fit_transform(want)).nnz == 0
    assert fs.CountVectorizer().fit(want).transform(chunked).sum() == X.sum()
    assert fs.CountVectorizer().term_stats(chunked).n_docs == 7
    # Errors name the row among all the chunks.
    bad = pa.chunked_array([pa.array(["a", "b", "c"], pa.large_string()), _bad_utf8_chunk()])
    with pytest.raises(ValueError, match="document 4: not valid UTF-8"):
        fs.CountVectorizer().fit_transform(bad)
    with pytest.raises(ValueError, match="text 4: not valid UTF-8"):
        fs.Corpus.from_arrow(pa.table({"text": bad}))
    with pytest.raises(TypeError, match="row 4 is null"):
        fs.Corpus.from_arrow(pa.table({"text": pa.chunked_array([["a", "b", "c"], ["d", None]])}))
    from framescope import _core
    analyzer = fs.CountVectorizer()._analyzer_core()
    pairs = ((np.array([0, 1], np.int64), np.frombuffer(b"a", np.uint8)),
             (np.array([0, 1, 5], np.int64), np.frombuffer(b"bc", np.uint8)))
    with pytest.raises(ValueError, match="document 2: offsets 1..5 out of order or past the 2 bytes"):
        _core.count_fit_docs(pairs, analyzer)


def test_runs_of_small_chunks_are_joined_and_large_chunks_kept():
    """A frame concatenated row by row has a chunk a row: runs of small chunks become
    pieces of about SMALL_CHUNK_ROWS rows (one pair each), large chunks stay in place."""
    small = [pa.array([f"post {i}"]) for i in range(2500)]
    large = pa.array([f"большой {i}" for i in range(arrow.SMALL_CHUNK_ROWS)])
    chunked = pa.chunked_array(small[:1500] + [large] + small[1500:] + [pa.array([], pa.string())])
    bufs = arrow.string_buffers(chunked, "text")
    want = chunked.to_pylist()
    assert bufs.texts() == want and len(bufs) == 2500 + arrow.SMALL_CHUNK_ROWS
    assert [len(o) - 1 for o, _ in bufs.chunks] == [1024, 476, 1024, 1000]
    assert np.shares_memory(bufs.chunks[2][1], np.frombuffer(large.buffers()[2], np.uint8))
    assert fs.Corpus.from_arrow(pa.table({"text": chunked})).texts == want
    assert (fs.CountVectorizer().fit_transform(chunked) != fs.CountVectorizer().fit_transform(want)).nnz == 0


def test_parquet_row_groups_read_without_combining(tmp_path):
    """fs.read of a Parquet file of several row groups equals reading its rows as a list."""
    texts = [f"post {i} about the collective West" if i % 3 else f"пост {i}: многополярный мир"
             for i in range(3000)]
    path = tmp_path / "posts.parquet"
    pq.write_table(pa.table({"text": texts, "date": ["2023-05-01"] * 3000}), path, row_group_size=1100)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    corpus = fs.read(str(path))
    assert corpus.texts == texts and corpus.ids[2999] == "posts.parquet#3000"
    column = pq.read_table(path).column("text")
    bufs = arrow.string_buffers(column, "text")
    assert len(bufs.chunks) == column.num_chunks == 3
    for (_, data), chunk in zip(bufs.chunks, column.chunks, strict=True):
        assert np.shares_memory(data, np.frombuffer(chunk.buffers()[2], np.uint8))
