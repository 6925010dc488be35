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


def _own_keys_then_party(tmp_path):
    """a.jsonl: 5,000 posts that each bring a key of their own (a scrape keyed by URL),
    one of them (post 4,001) with a party; b.jsonl: 1,000 posts, each with a party."""
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    with open(a, "w", encoding="utf-8") as f:
        for i in range(5000):
            rec = {"text": "the collective West" if i % 2 else "the Global Majority",
                   "date": "2022-01-01", f"https://t.me/x/{i}": i}
            if i == 4000:
                rec["party"] = "B"
            f.write(json.dumps(rec) + "\n")
    with open(b, "w", encoding="utf-8") as f:
        for _ in range(1000):
            f.write(json.dumps({"text": "the collective West", "date": "2023-01-01",
                                "party": "A"}) + "\n")
    return a, b


def test_a_grouping_field_rare_in_one_batch_stays_a_column_there(tmp_path):
    """A batch of records with keys of their own folds its rare fields into
    ``extra_fields``; a field the scan groups by was folded with them there (post 4,001's
    party read as missing) while the other batch kept it: a silent wrong count. The
    grouping fields now stay columns in every batch; trends equal ``fs.read``'s (which,
    reading both files at once, keeps "party": 1,001 records hold it)."""
    a, b = _own_keys_then_party(tmp_path)
    with pytest.warns(UserWarning, match="extra_fields"):
        r = fs.scan([a, b], FRAMES, by="party", terms=False)
    assert r.batches == 2
    with pytest.warns(UserWarning, match="extra_fields"):
        whole = fs.read([a, b])
    assert "party" in whole.meta.columns
    pd.testing.assert_frame_equal(pd.DataFrame(r.trends),
                                  pd.DataFrame(whole.frame_trends(FRAMES, by="party")),
                                  check_dtype=False)
    docs = r.trends[r.trends["frame"] == "collective_west"].set_index("period")["docs"]
    assert docs.to_dict() == {"(missing)": 4999, "A": 1000, "B": 1}


def test_read_keeps_a_rare_field_as_a_column_when_asked(tmp_path):
    """Read alone, a.jsonl folds "party" (one record of 5,000 holds it); grouping by it
    is an error that says where it went and how to keep it; ``keep_fields`` keeps it."""
    a, _ = _own_keys_then_party(tmp_path)
    with pytest.warns(UserWarning, match="extra_fields"):
        folded = fs.read(a)
    assert "party" not in folded.meta.columns
    assert json.loads(folded.meta["extra_fields"].iloc[4000])["party"] == "B"
    with pytest.raises(ValueError, match=r"keep_fields=\['party'\]"):
        folded.frame_trends(FRAMES, by="party")
    with pytest.warns(UserWarning, match="extra_fields"):
        kept = fs.read(a, keep_fields="party")
    assert kept.meta["party"].notna().sum() == 1 and kept.meta["party"].iloc[4000] == "B"
    assert "party" not in json.loads(kept.meta["extra_fields"].iloc[4000])
    t = kept.frame_trends(FRAMES, by="party")
    assert t[t["frame"] == "global_majority"].set_index("period")["docs"].to_dict() == {
        "(missing)": 4999, "B": 1}
    with pytest.raises(TypeError, match="keep_fields"):
        fs.read(a, keep_fields=[1])


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
