"""Lemma patterns for Russian: ``=порядок`` matches every form of the word.

Globs cannot follow Russian paradigms whose stem changes: the fleeting vowel of
"порядок" / "порядка", "рынок" / "рынка", or "мир" in "мир" / "мира" without also
matching "мирный". A pattern word written ``=word`` stands for every form of
``word``'s lexeme in the OpenCorpora dictionary (the data of the
``pymorphy3-dicts-ru`` package, read through ``pymorphy3``; chosen because it is
the maintained, complete OpenCorpora build with a small pure-Python reader, and
the paradigm is needed only once per pattern word, never per token).

The lexeme is kept to the given word's part of speech (a participle's lexeme in
the dictionary also holds its verb: ``=основанный`` matches "основанный",
"основанного", "основанные", ... but not "основал"); for participles, also to
its voice and tense. The forms are tokenized like the corpus (lower case, ё as е)
and handed to the matcher as one whole-token alternation, so matching costs the
same as any other token pattern.
"""

from __future__ import annotations

import functools
import re

__all__ = ["lemma_forms", "expand_lemmas"]

_KEEP = {"PRTF": ("voice", "tense"), "PRTS": ("voice", "tense")}


@functools.lru_cache(maxsize=1)
def _analyzer():
    try:
        import pymorphy3
    except ImportError as e:  # pragma: no cover - a dependency
        raise ImportError("lemma patterns (=word) need pymorphy3 and pymorphy3-dicts-ru "
                          "(pip install pymorphy3 pymorphy3-dicts-ru)") from e
    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=4096)
def lemma_forms(word: str) -> tuple[str, ...]:
    """Every form of ``word``'s lexeme with the same part of speech, sorted.

    The parse whose normal form is ``word`` itself is preferred (the pattern names
    a lemma); otherwise the most likely parse. A word the dictionary does not know
    raises ``ValueError``.

    >>> lemma_forms("порядок")
    ('порядка', 'порядкам', 'порядками', 'порядках', 'порядке', 'порядки', 'порядков', 'порядком', 'порядку', 'порядок')
    >>> "основал" in lemma_forms("основанный"), "основанные" in lemma_forms("основанный")
    (False, True)
    """
    parses = _analyzer().parse(word.lower())
    if not parses or not any(p.is_known for p in parses):
        raise ValueError(f"lemma pattern ={word}: the OpenCorpora dictionary does not know "
                         f"{word!r}; use a glob (e.g. {word[:-2]}*) instead")
    known = [p for p in parses if p.is_known]
    best = next((p for p in known if p.normal_form == word.lower().replace("ё", "е")
                 or p.word == p.normal_form), known[0])
    pos = best.tag.POS
    same = [getattr(best.tag, g) for g in _KEEP.get(pos, ())]
    forms = {f.word for f in best.lexeme
             if f.tag.POS == pos and [getattr(f.tag, g) for g in _KEEP.get(pos, ())] == same}
    return tuple(sorted(forms))


def expand_lemmas(pattern: str, normalize) -> str:
    """``pattern`` with each ``=word`` replaced by a whole-token alternation of its
    forms, each normalised by ``normalize`` (the corpus tokenizer)."""
    if "=" not in pattern:
        return pattern
    out = []
    for piece in pattern.split():
        if piece.startswith("=") and len(piece) > 1:
            forms = set()
            for form in lemma_forms(piece[1:]):
                for variant in (form, form.replace("ё", "е")):
                    tokens = normalize(variant)
                    if len(tokens) == 1:
                        forms.add(tokens[0])
            piece = "/(?:" + "|".join(sorted(re.escape(f) for f in forms)) + ")/"
        out.append(piece)
    return " ".join(out)
