"""corpus.save / fs.load: the same corpus back, tokens included; old files load; bad files are errors."""

from __future__ import annotations

import pathlib
import pickle

import numpy as np
import pandas as pd
import pytest

import framescope as fs

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
SEEDS = pathlib.Path(__file__).resolve().parents[3] / "shared" / "corpus" / "mfa-en"


def assert_same(a: fs.Corpus, b: fs.Corpus) -> None:
    assert a.texts == b.texts
    pd.testing.assert_frame_equal(a.to_pandas(), b.to_pandas())
    assert a.tokenizer == b.tokenizer
    for name in ("read_report", "dedup_report"):
        x, y = getattr(a, f"_{name}"), getattr(b, f"_{name}")
        assert (x is None) == (y is None)
        if x is not None:
            pd.testing.assert_frame_equal(x, y)


def test_seed_corpus_round_trips_with_reports_and_tokens(tmp_path):
    corpus = fs.read(SEEDS).dedup()
    path = tmp_path / "mfa.fsc"
    corpus.save(path)
    back = fs.load(path)
    assert back.native.is_tokenized(back.tokenizer)  # loading skipped tokenizing
    assert_same(corpus, back)
    frames = fs.Frames.builtin()
    pd.testing.assert_frame_equal(pd.DataFrame(back.frame_trends(frames)),
                                  pd.DataFrame(corpus.frame_trends(frames)))
    pd.testing.assert_frame_equal(back.term_frequencies(), corpus.term_frequencies())


def test_tokenizer_settings_and_metadata_dtypes_come_back(tmp_path):
    meta = pd.DataFrame({
        "lang": pd.Series(["en", "ru", None], dtype="str"),
        "views": pd.array([10, None, 3], dtype="Int64"),
        "channel": pd.Categorical(["mfa", "tass", "mfa"]),
        "published": pd.to_datetime(["2023-01-01 10:00", None, "2023-01-03 00:00"], utc=True),
        "flag": [True, False, True],
    })
    corpus = fs.Corpus.from_texts(["the rules-based order", "#BRICS ёлка", ""], meta=meta,
                                  dates=["2023-01-01", None, "2023-01-03"])
    corpus = corpus.with_tokenizer(hyphens="join", hashtags="keep", yo=False)
    path = tmp_path / "c.fsc"
    corpus.save(path, tokens=False)
    back = fs.load(path)
    assert not back.native.is_tokenized(back.tokenizer)  # tokens=False: tokenized on use
    assert_same(corpus, back)
    assert back.meta.dtypes.to_dict() == corpus.meta.dtypes.to_dict()
    assert back.tokens(0) == ["the", "rules-based", "order"]
    assert back.tokens(1) == ["#brics", "ёлка"]


def test_a_file_written_by_format_version_1_loads(tmp_path):
    # corpus_v1.fsc was written by format version 1 (2026-11-29) from these hand-written
    # values; it stays in the repository so that every later version keeps reading it.
    c = fs.load(FIXTURES / "corpus_v1.fsc")
    assert c.ids == ["mfa-1", "mfa-2", "tg-3"]
    assert c.texts == ["The so-called “collective West” insists on its rules.",
                       "Мировое большинство выступает за многополярный мир.",
                       "#BRICS summit"]
    assert c.dates.isna().tolist() == [False, True, False]
    assert c.dates[[0, 2]].tolist() == [pd.Timestamp("2023-04-29"), pd.Timestamp("2024-10-22")]
    assert c.meta["lang"].tolist() == ["en", "ru", "en"]
    assert c.meta["views"].tolist()[::2] == [1200.0, 35.0] and np.isnan(c.meta["views"][1])
    assert c.native.is_tokenized(c.tokenizer)
    assert c.tokens(0) == ["the", "so-called", "collective", "west", "insists", "on", "its", "rules"]
    assert c.frame_counts({"west": ["collective West"], "majority": ["мировое большинство"]}
                          ).to_numpy().tolist() == [[1, 0], [0, 1], [0, 0]]


def test_damaged_truncated_foreign_and_newer_files_are_errors_naming_them(tmp_path):
    good = (FIXTURES / "corpus_v1.fsc").read_bytes()
    path = tmp_path / "bad.fsc"
    for cut in (0, 10, 25, len(good) // 2, len(good) - 1):
        path.write_bytes(good[:cut])
        with pytest.raises(fs.InputError, match="bad.fsc"):
            fs.load(path)
    path.write_text("text,date\nhello,2023-01-01\n")
    with pytest.raises(fs.InputError, match="does not start with FSCORPUS"):
        fs.load(path)
    newer = bytearray(good)
    newer[8:12] = (99).to_bytes(4, "little")
    path.write_bytes(bytes(newer))
    with pytest.raises(fs.InputError, match="newer framescope"):
        fs.load(path)
    # A text turned into invalid UTF-8 inside the file.
    at = good.index("Мировое".encode())
    broken = bytearray(good)
    broken[at] = 0xFF
    path.write_bytes(bytes(broken))
    with pytest.raises(fs.InputError, match="not UTF-8"):
        fs.load(path)
    with pytest.raises(fs.InputError, match="missing.fsc"):
        fs.load(tmp_path / "missing.fsc")


def test_a_failed_save_leaves_nothing_and_bad_metadata_is_named(tmp_path):
    corpus = fs.Corpus.from_texts(["a", "b"], meta={"mixed": [1, "x"]})
    with pytest.raises(ValueError, match=r"\['mixed'\]"):
        corpus.save(tmp_path / "c.fsc")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(fs.InputError, match="no_such_dir"):
        fs.Corpus.from_texts(["a"]).save(tmp_path / "no_such_dir" / "c.fsc")
    assert list(tmp_path.iterdir()) == []


def test_loaded_corpus_equals_a_pickled_one(tmp_path):
    corpus = fs.datasets.demo()
    corpus.save(tmp_path / "demo.fsc")
    assert_same(fs.load(tmp_path / "demo.fsc"), pickle.loads(pickle.dumps(corpus)))
