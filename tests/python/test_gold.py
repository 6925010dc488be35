"""Gold standards built by reading files line by line: where each post starts and
ends, its date and where the date comes from (with the reason), and the built-in
frames' hits in each post. Two sets: the five seed files (tests/gold/*.json; run when
../shared is present, as in CI) and the files the project wrote in their shapes
(tests/fixtures/mfa-shaped, gold in tests/fixtures/gold; always run).

Frame counts of the seeds were checked twice: against an independent regex
implementation (tools/gold_candidates.py, which does not use framescope) and by
reading the matching lines. The test reads each folder as a user would (``fs.read``)
and compares everything.
"""

import json

import pytest
from conftest import GOLD_SETS, gold_duplicates, gold_files, require_seeds

import framescope as fs

CASES = [(which, g) for which in GOLD_SETS for g in gold_files(which)]


@pytest.fixture(scope="module", params=list(GOLD_SETS))
def which(request):
    if request.param == "seeds":
        require_seeds()
    return request.param


_READ: dict = {}


def read_set(which: str):
    """The folder of a gold set read as a user would, and its frame counts (cached)."""
    if which not in _READ:
        corpus = fs.read(GOLD_SETS[which][1])
        _READ[which] = corpus, corpus.frame_counts(fs.Frames.builtin("ru_foreign_policy"))
    return _READ[which]


@pytest.mark.parametrize("which, gold_file", CASES, ids=[f"{w}-{g.stem}" for w, g in CASES])
def test_file_matches_its_gold_standard(which, gold_file):
    if which == "seeds":
        require_seeds()
    corpus, counts = read_set(which)
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    name = gold["file"]
    lines = (GOLD_SETS[which][1] / name).read_text(encoding="utf-8").split("\n")
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


def test_gold_covers_every_file_and_line(which):
    folder = GOLD_SETS[which][1]
    files = sorted(p.name for p in folder.glob("*.txt"))
    golds = [json.loads(g.read_text(encoding="utf-8")) for g in gold_files(which)]
    assert sorted(g["file"] for g in golds) == files
    for g in golds:
        n = len((folder / g["file"]).read_text(encoding="utf-8").split("\n"))
        spans = [p["lines"] for p in g["posts"]]
        assert spans[0][0] == 1 and spans[-1][1] == n
        assert all(a[1] + 1 == b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_dedup_removes_exactly_the_gold_duplicates(which):
    """The posts repeated across the channel dumps, found from the gold spans with plain
    Python (conftest.gold_duplicates), are the ones dedup removes, each kept in place of
    the same earlier post."""
    corpus, _ = read_set(which)
    report = corpus.dedup().dedup_report
    dups = report[report["action"] == "duplicate"]
    assert dups["id"].tolist()  # each set has cross-file duplicates
    assert dict(zip(dups["id"], dups["kept_id"], strict=True)) == gold_duplicates(which)
    assert (report["action"] == "near_duplicate").sum() == 0
