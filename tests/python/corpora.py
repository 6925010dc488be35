"""Generated test corpora (deterministic)."""

from __future__ import annotations

import random

_WORDS = (
    "the collective West Global Majority multipolar world order rules-based sanctions "
    "BRICS SCO UN Charter Lavrov Zakharova Kiev regime neo-Nazism Russophobia sovereignty "
    "коллективного Запада мирового большинства многополярного мира санкций Лавров Захарова "
    "суверенитет Ёлка ёж СВО café naïve Zürich İstanbul ΣΟΦΙΑ ΟΔΟΣ straße ﬁnance "
    "x_y __init__ 2023 ٣٤ ²³ 中国 日本語 🇷🇺 🌐 ☝️ — … « » ’ ' \u200b \u200d \u0301 e\u0301 "
    "West’s states' don't U.S. e-mail co-operation Сooperation #UNCharterIsOurRules "
    "#BRICS https://t.me/MFARussia/123 a I я в"
).split()


def generated_corpus(n_docs: int, seed: int, max_len: int = 60) -> list[str]:
    """Random documents over a vocabulary full of Unicode edge cases (deterministic)."""
    rng = random.Random(seed)
    seps = [" ", " ", " ", "\n", ", ", ". ", "-", "—", "\t", "’", "_"]
    docs = []
    for _ in range(n_docs):
        n = rng.randint(0, max_len)
        parts = []
        for _ in range(n):
            w = rng.choice(_WORDS)
            if rng.random() < 0.1:
                w = w.upper()
            elif rng.random() < 0.1:
                w = w.capitalize()
            parts.append(w + rng.choice(seps))
        docs.append("".join(parts))
    return docs
