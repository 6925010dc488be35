"""Benchmark corpora: generated text with a realistic (Zipfian) vocabulary.

Words are drawn from a generated lexicon of English-like and Russian-like words
(by default 70/30; ``cyrillic_share=0`` gives an English-only, ASCII corpus), with Zipf-distributed frequencies, capitalisation, punctuation and
a few frame phrases, so the tokenizer sees what it sees in real statements.
Deterministic for a given size and seed.
"""

from __future__ import annotations

import numpy as np

_LAT = "etaoinshrdlucmfwypvbgkjqxz"
_CYR = "оеаинтсрвлкмдпуяызьбгчйхжшюцщэфё"


def _lexicon(rng: np.random.Generator, n: int, cyrillic_share: float) -> list[str]:
    words = set()
    while len(words) < n:
        alphabet = _CYR if rng.random() < cyrillic_share else _LAT
        length = int(rng.integers(2, 12))
        idx = rng.zipf(1.3, size=length) % len(alphabet)
        words.add("".join(alphabet[i] for i in idx))
    return sorted(words)


#: The most frequent words of an all-Russian lexicon (English ones head the others).
RUSSIAN_HEAD = ["и", "коллективный", "запад", "мировое", "большинство", "многополярный"]


def lexicon(seed: int, size: int, cyrillic_share: float = 0.3) -> list[str]:
    """A generated lexicon of ``size`` words, to share between calls of :func:`generate`."""
    lex = _lexicon(np.random.default_rng(seed), size, cyrillic_share)
    lex[:6] = RUSSIAN_HEAD if cyrillic_share >= 1 else ["the", "collective", "west", "global",
                                                        "majority", "multipolar"]
    return lex


def generate(megabytes: float, seed: int = 0, cyrillic_share: float = 0.3,
             doc_words: tuple[int, int] = (60, 900), lex: list[str] | None = None) -> list[str]:
    """About ``megabytes`` MB (UTF-8) of documents; ``cyrillic_share`` of the lexicon is Russian-like.

    ``lex``: a lexicon from :func:`lexicon` (default: 60,000 words drawn from ``seed``).
    Blocks generated with one shared lexicon grow their vocabulary as real text does
    (sublinearly); blocks with their own lexicons would grow it linearly."""
    rng = np.random.default_rng(seed)
    if lex is None:
        lex = _lexicon(rng, 60_000, cyrillic_share)
        lex[:6] = ["the", "collective", "west", "global", "majority", "multipolar"]
    lex_arr = np.array(lex, dtype=object)
    cap = np.array([w.capitalize() for w in lex], dtype=object)
    target = int(megabytes * 1_000_000)
    docs, size = [], 0
    while size < target:
        n = int(rng.integers(*doc_words))
        ids = (rng.zipf(1.15, size=n) - 1) % len(lex)
        words = np.where(rng.random(n) < 0.08, cap[ids], lex_arr[ids])
        punct = rng.choice(np.array([" ", " ", " ", " ", ", ", ". ", "\n"], dtype=object), size=n)
        doc = "".join((words + punct).tolist())
        docs.append(doc)
        size += len(doc.encode("utf-8"))
    return docs
