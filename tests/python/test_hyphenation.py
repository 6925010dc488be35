"""Words hyphenated across line breaks, as OCR'd and PDF-extracted text holds them.

"multipo-⏎lar" is two tokens, so frames miss the word without a warning. Fixtures: a
speech as pdftotext writes one (hand-checked hits before and after), and the MFA seed
posts typeset into 60-column lines with words broken as a typesetter breaks them (at a
compound's own hyphen, or inside a word): mending must give back the hits of the
unbroken posts.
"""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest
from conftest import gold_posts

import framescope as fs
from framescope.cli import main

SPEECH = ("MOSCOW, April 29, 2023\n"
          "We stand for a multipo-\n"
          "lar world order. The Glo-\n"
          "bal Majority rejects the rules-\n"
          "based order that the collective West im-\n"
          "poses; a rules-based order is no order.\n"
          "Многопо-\n"
          "лярный мир и мировое боль-\n"
          "шинство.\n")

# By hand: "multipolar world", "Global Majority", "rules-based order" twice, "collective
# West", "Многополярный мир", "мировое большинство".
WHOLE = {"collective_west": 1, "global_majority": 2, "multipolarity": 2, "rules_based_order": 2}
# Broken: only the phrases with no break inside a word ("rules-⏎based" is two tokens either way).
BROKEN = {"collective_west": 1, "rules_based_order": 2}


def hits(corpus: fs.Corpus) -> dict:
    total = corpus.frame_counts(fs.Frames.builtin()).sum()
    return {k: int(v) for k, v in total[total > 0].items()}


def test_a_typeset_speech_is_reported_on_reading_and_mended_by_dedup(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_bytes(SPEECH.replace("\n", "\r\n").encode("utf-8"))  # Windows pdftotext
    with pytest.warns(UserWarning, match=r"words hyphenated across line breaks .* in 1 document"):
        c = fs.read(path)
    assert hits(c) == BROKEN
    (row,) = c.read_report.to_dict("records")
    assert row["kind"] == "hyphenated_words" and row["source"].endswith("speech.txt:1")
    assert row["message"].startswith('6 word(s) hyphenated across a line break (first: '
                                     '"multipo" + "lar")')
    assert "dedup(hyphenation=True)" in row["message"]
    # Nothing changes unless asked.
    assert c.dedup().texts == [SPEECH.replace("\n", "\r\n").strip()]
    mended = c.dedup(hyphenation=True)
    assert hits(mended) == WHOLE
    assert mended.texts == [
        "MOSCOW, April 29, 2023\r\nWe stand for a multipolar world order. The Global Majority "
        "rejects the rules-based order that the collective West imposes; a rules-based order "
        "is no order.\r\nМногополярный мир и мировое большинство."]
    report = mended.dedup_report
    assert report[["action", "joined_words"]].to_dict("records") == [
        {"action": "cleaned", "joined_words": 6}]
    # Five joins remove "-\r\n" (3 bytes), "rules-\r\nbased" its "\r\n" (2); the final
    # line break was never part of the document (fs.read trims a text file's ends).
    assert c.texts[0].endswith("шинство.")
    assert report["removed_bytes"].tolist() == [5 * 3 + 2]


def test_soft_hyphens_and_compounds_by_the_corpus_evidence():
    c = fs.Corpus.from_texts([
        "a multi\u00ad\npolar world; the state-of-the-\nart; Russian-\nAmerican; the West -\n"
        "and the rest; end-\n\nof paragraph; a multi-\npolar order",
        "the multi-polar order and the multi-polar system"])
    mended = c.dedup(hyphenation=True, duplicates=False)
    # The soft hyphen joins; a compound before the hyphen keeps it; a capital after the
    # hyphen, a space before it or a blank line after it is no break; "multi-polar" is
    # written so twice elsewhere and never whole: the hyphen stays.
    assert mended.texts[0] == ("a multipolar world; the state-of-the-art; Russian-\nAmerican; "
                               "the West -\nand the rest; end-\n\nof paragraph; a multi-polar order")
    assert mended.dedup_report["joined_words"].tolist() == [3]


def typeset(text: str, width: int = 60) -> str:
    """``text`` broken into lines of at most ``width`` characters as a typesetter breaks
    them: a word that does not fit is broken at its own hyphen ("rules-" + "based") or,
    with six letters or more, inside it ("multipo-" + "lar"), when the rest starts with
    a lower-case letter; otherwise it moves to the next line whole."""
    out = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            candidate = word if not line else f"{line} {word}"
            if len(candidate) <= width:
                line = candidate
                continue
            room, head = width - len(line) - 1, None
            compound = re.match(r"^([^\W\d_]+(?:-[^\W\d_]+)*)-([^\W\d_]+)(\W*)$", word)
            plain = re.match(r"^([^\W\d_]+)(\W*)$", word)
            if compound and len(compound[1]) + 1 <= room and compound[2][0].islower():
                head, tail = compound[1] + "-", compound[2] + compound[3]
            elif plain and len(plain[1]) >= 6 and room >= 3:
                k = max(2, min(room - 1, len(plain[1]) // 2))
                if plain[1][k].islower():
                    head, tail = plain[1][:k] + "-", word[k:]
            if head is None:
                out.append(line)
                line = word
            else:
                out.append(f"{line} {head}".strip())
                line = tail
        out.append(line)
    return "\n".join(out)


@pytest.mark.seed
def test_typeset_seed_posts_get_their_frame_hits_back(tmp_path):
    posts = [text for _, _, text in gold_posts()]
    typeset_posts = [typeset(p) for p in posts]
    whole = fs.Corpus.from_texts(posts)
    broken = fs.Corpus.from_texts(typeset_posts)
    mended = broken.dedup(hyphenation=True, boilerplate=False, repeats=False, drop_empty=False,
                          duplicates=False)
    frames = fs.Frames.builtin()
    want = whole.frame_counts(frames).to_numpy()
    assert broken.frame_counts(frames).to_numpy().sum() < want.sum()  # the breaks cost hits
    assert (mended.frame_counts(frames).to_numpy() == want).all()
    assert mended.dedup_report["joined_words"].sum() > 500
    # Every token is back, except a compound broken at its own hyphen that the corpus
    # never writes with the hyphen on one line: joined, as textacy joins every break.
    on_one_line = {w.lower() for p in typeset_posts
                   for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", p)}
    for i in range(len(posts)):
        got, expected = mended.tokens(i), whole.tokens(i)
        k = j = 0
        while k < len(expected):
            if got[j] == expected[k]:
                k, j = k + 1, j + 1
                continue
            pair = f"{expected[k]}-{expected[k + 1]}"
            assert got[j] == expected[k] + expected[k + 1], (i, expected[k:k + 2], got[j])
            assert pair in posts[i].lower() and pair not in on_one_line, pair
            k, j = k + 2, j + 1
        assert j == len(got)


@pytest.mark.seed
def test_scan_and_the_cli_mend_as_dedup_does(tmp_path, capsys):
    texts = [typeset(text) for _, _, text in gold_posts()]
    path = tmp_path / "typeset.jsonl"
    pd.DataFrame({"text": texts, "date": "2023-04-29"}).to_json(path, orient="records",
                                                                lines=True, force_ascii=False)
    frames = fs.Frames.builtin()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = fs.read(path).dedup(duplicates=False, hyphenation=True)
        scanned = fs.scan(path, frames, hyphenation=True, terms=False).trends
        plain = fs.scan(path, frames, terms=False).trends
    expected = read.frame_trends(frames)
    assert scanned["hits"].tolist() == expected["hits"].tolist()
    assert plain["hits"].sum() < scanned["hits"].sum()
    out = tmp_path / "t.csv"
    with pytest.warns(UserWarning, match="hyphenated across line breaks"):
        assert main(["trends", str(path), "--join-hyphenated", "--out", str(out)]) == 0
    by_frame = pd.read_csv(out).groupby("frame")["hits"].sum()
    whole = fs.Corpus.from_texts([text for _, _, text in gold_posts()]).dedup()
    assert by_frame.to_dict() == whole.frame_trends(frames).groupby("frame")["hits"].sum().to_dict()
