"""The gold standard for the five seed files (tests/gold/*.json), built by reading
the files line by line: where each post starts and ends, its date and where the
date comes from (with the reason), and the built-in frames' hits in each post.

Frame counts were checked twice: against an independent regex implementation
(tools/gold_candidates.py, which does not use framescope) and by reading the
matching lines. The test reads the seeds as a user would (``fs.read`` on the
folder) and compares everything.
"""

import json
from pathlib import Path

import pytest
from conftest import SEED_DIR, require_seeds

import framescope as fs

GOLD = sorted((Path(__file__).resolve().parents[1] / "gold").glob("*.json"))


@pytest.fixture(scope="module")
def corpus():
    require_seeds()
    return fs.read(SEED_DIR)


@pytest.fixture(scope="module")
def counts(corpus):
    return corpus.frame_counts(fs.Frames.builtin("ru_foreign_policy"))


@pytest.mark.parametrize("gold_file", GOLD, ids=[g.stem for g in GOLD])
def test_seed_file_matches_its_gold_standard(gold_file, corpus, counts):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    name = gold["file"]
    lines = (SEED_DIR / name).read_text(encoding="utf-8").split("\n")
    df = corpus.to_pandas()
    mine = [i for i, s in enumerate(df["source"]) if s.rsplit(":", 1)[0].endswith(name)]
    assert len(mine) == len(gold["posts"]), f"{name}: number of posts"
    for k, (i, post) in enumerate(zip(mine, gold["posts"], strict=True)):
        first, last = post["lines"]
        where = f"{name} post {k + 1} (lines {first}-{last})"
        assert df["source"][i].endswith(f"{name}:{first}"), where
        # The post's text is exactly its lines (trailing blank lines aside).
        assert corpus.texts[i] == "\n".join(lines[first - 1:last]).rstrip(), where
        date = df["date"][i]
        assert (None if date is None or str(date) == "NaT" else str(date.date())) == post["date"], \
            f"{where}: {post['why']}"
        assert df["date_source"][i] == post["date_source"], where
        got = {f: int(v) for f, v in counts.iloc[i].items() if v}
        assert got == post["frames"], where
    fmt = corpus.read_report[corpus.read_report["source"].str.endswith(name)]
    if gold["format"] == "channel":
        assert fmt["message"].str.startswith("read as a channel dump").all() and len(fmt) == 1


@pytest.mark.seed
def test_gold_covers_every_seed_file_and_line():
    files = sorted(p.name for p in SEED_DIR.glob("*.txt"))
    golds = [json.loads(g.read_text(encoding="utf-8")) for g in GOLD]
    assert sorted(g["file"] for g in golds) == files
    for g in golds:
        n = len((SEED_DIR / g["file"]).read_text(encoding="utf-8").split("\n"))
        spans = [p["lines"] for p in g["posts"]]
        assert spans[0][0] == 1 and spans[-1][1] == n
        assert all(a[1] + 1 == b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.seed
def test_dedup_removes_exactly_the_gold_duplicates(corpus):
    """The posts repeated across the channel dumps, found from the gold spans with plain
    Python (conftest.gold_duplicates), are the ones dedup removes, each kept in place of
    the same earlier post."""
    from conftest import gold_duplicates

    report = corpus.dedup().dedup_report
    dups = report[report["action"] == "duplicate"]
    assert dict(zip(dups["id"], dups["kept_id"], strict=True)) == gold_duplicates()
    assert (report["action"] == "near_duplicate").sum() == 0
