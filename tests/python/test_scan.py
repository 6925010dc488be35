"""fs.scan: batch-by-batch trends and term counts equal the in-memory results."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import SEED_DIR

import framescope as fs

FRAMES = {"collective_west": ["collective West", "коллективн* запад*"],
          "global_majority": ["Global Majority", "миров* большинств*"]}


def write_jsonl(path, n=3000, seed=0):
    rng = np.random.default_rng(seed)
    phrases = ["the collective West", "the Global Majority", "коллективного Запада",
               "мирового большинства", "a multipolar world", "trade and dialogue"]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            words = " ".join(rng.choice(phrases, size=int(rng.integers(1, 8))))
            rec = {"text": f"Forwarded from MFA\n{words}.", "lang": "en" if i % 3 else "ru"}
            if i % 17:
                rec["date"] = f"{2015 + i % 10}-{1 + i % 12:02d}-01"
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def test_scan_equals_read_then_trends(tmp_path):
    path = tmp_path / "posts.jsonl"
    write_jsonl(path)
    r = fs.scan(path, FRAMES, batch_mb=0.05)
    assert r.batches > 3 and r.docs == 3000
    whole = fs.read(path).dedup(duplicates=False)
    expected = whole.frame_trends(FRAMES)
    pd.testing.assert_frame_equal(pd.DataFrame(r.trends), pd.DataFrame(expected), check_dtype=False)
    terms = whole.term_frequencies(stop_words="auto")
    pd.testing.assert_frame_equal(r.terms, terms, check_dtype=False)
    by_lang = fs.scan(path, FRAMES, by="lang", batch_mb=0.05).trends
    pd.testing.assert_frame_equal(pd.DataFrame(by_lang), pd.DataFrame(whole.frame_trends(FRAMES, by="lang")),
                                  check_dtype=False)
    monthly = fs.scan(path, FRAMES, by="month", terms=False)
    assert monthly.terms.empty and monthly.trends["hits"].sum() == expected["hits"].sum()


def test_a_grouping_field_absent_from_some_batches_is_missing_there_as_read_has_it(tmp_path):
    """A field added late in an archive (here "party", from record 2,500 of 3,000): the
    batches before it have no such column, which was a KeyError; their documents are
    grouped as missing, as ``fs.read`` groups them. A field no record has is an error
    naming it."""
    path = tmp_path / "posts.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(3000):
            rec = {"text": "the collective West" if i % 2 else "the Global Majority",
                   "date": f"{2015 + i % 10}-01-01"}
            if i >= 2500:
                rec["party"] = "A" if i % 3 else "B"
            f.write(json.dumps(rec) + "\n")
    r = fs.scan(path, FRAMES, by=["party", "year"], batch_mb=0.02, terms=False)
    assert r.batches > 3
    whole = fs.read(path).frame_trends(FRAMES, by=["party", "year"])
    pd.testing.assert_frame_equal(pd.DataFrame(r.trends), pd.DataFrame(whole), check_dtype=False)
    docs = r.trends[r.trends["frame"] == "collective_west"].groupby("party")["docs"].sum()
    # B: the multiples of 3 from 2,502 to 2,997.
    assert docs.to_dict() == {"(missing)": 2500, "A": 500 - 166, "B": 166}
    with pytest.raises(ValueError, match="partyy"):
        fs.scan(path, FRAMES, by="partyy", batch_mb=0.02, terms=False)


@pytest.mark.seed
def test_scan_of_the_seed_folder_and_errors(tmp_path):
    r = fs.scan(SEED_DIR, fs.Frames.builtin())
    whole = fs.read(SEED_DIR).dedup(duplicates=False)
    assert r.docs == len(whole) == 35
    got = r.trends.groupby("frame")["hits"].sum()
    want = whole.frame_trends(fs.Frames.builtin()).groupby("frame")["hits"].sum()
    assert got.equals(want) and got["collective_west"] > 0
    (tmp_path / "bad.jsonl").write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(fs.InputError, match="bad.jsonl:2: malformed JSON"):
        fs.scan(tmp_path / "bad.jsonl", FRAMES)
    with pytest.warns(UserWarning, match=r"framescope.scan skipped 1 malformed record\(s\); first: .*bad.jsonl:2: malformed JSON"):
        r = fs.scan(tmp_path / "bad.jsonl", FRAMES, errors="skip")
    assert r.docs == 1 and r.read_report["kind"].tolist() == ["skipped_record"]
    with pytest.raises(ValueError, match="batch_mb"):
        fs.scan(tmp_path / "bad.jsonl", FRAMES, batch_mb=0)
