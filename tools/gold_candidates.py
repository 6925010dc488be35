"""Candidate frame counts for the hand-checked gold standard (tests/gold/).

An implementation independent of framescope: one Python regex per frame of the
built-in dictionary's English patterns (the seeds are English), over each post's
lines as `tests/gold/*.json` delimit them. It prints, per post, the counts and
where framescope's differ, so a person reads those places and writes the gold
counts by hand. The gold files are not written by this script.

    .venv/bin/python tools/gold_candidates.py
"""

import json
import re
import sys
from pathlib import Path

import framescope as fs

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "corpus" / "mfa-en"

W = r"[\w’'-]*"
FRAMES = {
    "collective_west": [r"\bcollective\s+west\b"],
    "global_majority": [r"\bglobal\s+majority\b", r"\bworld\s+majority\b", r"\bworld['’]s\s+majority\b"],
    "multipolarity": [r"\bmultipolar\w*", r"\bpolycentric\w*"],
    "global_south_east": [r"\bglobal\s+south\b", r"\bglobal\s+east\b"],
    "rules_based_order": [r"\brules[-‑\s]based\s+(?:world\s+|international\s+)?order\b"],
    "unipolarity_hegemony": [r"\bunipolar\w*", r"\bhegemon\w*"],
    "kiev_regime": [r"\bkiev\]?\s+regime\b", r"\bkyiv\s+regime\b", r"\bzelensky\w*(?:['’]s)?\s+regime\b"],
    "anglo_saxons": [r"\banglo[-\s]saxon\w*"],
    "neo_nazism": [r"\bneo[-\s]?nazi\w*", r"\bdenazification\b", r"\bnazism\b"],
    "russophobia": [r"\brussophob\w*"],
    "neo_colonialism": [r"\bneo[-\s]?colonial\w*"],
    "traditional_values": [r"\btraditional\s+values\b"],
    "un_charter": [r"\bun\s+charter\b", r"\bcharter\s+of\s+the\s+united\s+nations\b",
                   r"#uncharterisourrules\b"],
    "unilateral_sanctions": [r"\bunilateral\s+sanctions\b", r"\billegitimate\s+sanctions\b",
                             r"\bunilateral\s+coercive\s+measures\b",
                             r"\bunilateral\s+restrictive\s+measures\b"],
    "indivisible_security": [r"\bindivisible\s+security\b", r"\bindivisibility\s+of\s+security\b"],
    "special_military_operation": [r"\bspecial\s+military\s+operation\b"],
    "sovereignty": [r"\bsovereign\w*"],
    "hybrid_war": [r"\bhybrid\s+war\w*"],
    "russian_world": [r"\brussian\s+world\b"],
    "history_falsification": [r"\bfalsif\w*\s+history\b", r"\bfalsification\s+of\s+history\b"],
}
COMPILED = {f: re.compile("|".join(sorted(p, key=len, reverse=True)), re.I) for f, p in FRAMES.items()}


def counts(text: str) -> dict[str, int]:
    return {f: n for f, rx in COMPILED.items() if (n := len(rx.findall(text)))}


def main() -> int:
    frames = fs.Frames.builtin("ru_foreign_policy")
    for gold in sorted((ROOT / "tests" / "gold").glob("*.json")):
        spec = json.loads(gold.read_text())
        lines = (SEEDS / spec["file"]).read_text(encoding="utf-8").split("\n")
        texts = ["\n".join(lines[a - 1:b]) for a, b in (p["lines"] for p in spec["posts"])]
        got = fs.Corpus.from_texts(texts).frame_counts(frames)
        for k, (post, text) in enumerate(zip(spec["posts"], texts, strict=True)):
            mine = counts(text)
            theirs = {f: int(v) for f, v in got.iloc[k].items() if v}
            mark = "" if mine == theirs else "   <-- differs: framescope " + json.dumps(theirs)
            print(f"{spec['file']} lines {post['lines']}: {json.dumps(mine)}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
