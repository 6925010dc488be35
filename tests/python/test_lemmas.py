"""Russian inflection: every Russian pattern of the built-in dictionary matches
every form of its phrase, generated from the OpenCorpora dictionary (pymorphy3):
6 cases x 2 numbers for nouns, with adjectives and participles agreeing in case,
number and gender. Lemma patterns (``=word``) match a lexeme, not a glob's prefix.
"""

import pymorphy3
import pytest

import framescope as fs

MORPH = pymorphy3.MorphAnalyzer(lang="ru")
CASES = ["nomn", "gent", "datv", "accs", "ablt", "loct"]

# The phrase each Russian pattern stands for ("СВО" is indeclinable and left out):
# (lemma, role) per word. "head" is the
# noun that inflects; "agree" words agree with it; "fixed" words stay as written.
PHRASES = {
    "collective_west": [[("коллективный", "agree"), ("запад", "head")]],
    "global_majority": [[("мировой", "agree"), ("большинство", "head")],
                        [("глобальный", "agree"), ("большинство", "head")]],
    "multipolarity": [[("многополярный", "agree"), ("мир", "head")],
                      [("многополярность", "head")], [("полицентричный", "agree"), ("мир", "head")]],
    "global_south_east": [[("глобальный", "agree"), ("юг", "head")],
                          [("глобальный", "agree"), ("восток", "head")]],
    "rules_based_order": [[("порядок", "head"), ("основанный", "agree"), ("на правилах", "fixed")]],
    "unipolarity_hegemony": [[("однополярный", "agree"), ("мир", "head")], [("гегемония", "head")]],
    "kiev_regime": [[("киевский", "agree"), ("режим", "head")],
                    [("режим", "head"), ("Зеленского", "fixed")]],
    "anglo_saxons": [[("англосакс", "head")]],
    "neo_nazism": [[("неонацизм", "head")], [("неонацист", "head")], [("денацификация", "head")],
                   [("нацизм", "head")]],
    "russophobia": [[("русофобия", "head")]],
    "neo_colonialism": [[("неоколониализм", "head")]],
    "traditional_values": [[("традиционный", "agree"), ("ценность", "head")]],
    "un_charter": [[("устав", "head"), ("ООН", "fixed")],
                   [("устав", "head"), ("Организации Объединённых Наций", "fixed")]],
    "unilateral_sanctions": [[("односторонний", "agree"), ("санкция", "head")],
                             [("нелегитимный", "agree"), ("санкция", "head")],
                             [("односторонний", "agree"), ("ограничительный", "agree"), ("мера", "head")]],
    "indivisible_security": [[("неделимый", "agree"), ("безопасность", "head")]],
    "special_military_operation": [[("специальный", "agree"), ("военный", "agree"), ("операция", "head")]],
    "sovereignty": [[("суверенитет", "head")], [("суверенный", "agree"), ("государство", "head")]],
    "hybrid_war": [[("гибридный", "agree"), ("война", "head")]],
    "russian_world": [[("русский", "agree"), ("мир", "head")]],
    "history_falsification": [[("фальсификация", "head"), ("истории", "fixed")]],
}


def _parse(word: str, pos: set[str]):
    # A participle's normal form is its verb: match the word as written.
    return next(p for p in MORPH.parse(word) if p.tag.POS in pos and word in (p.normal_form, p.word))


def paradigm(phrase):
    """Every (case, number) form of the phrase, agreeing words inflected to match."""
    head = next(w for w, role in phrase if role == "head")
    noun = _parse(head, {"NOUN"})
    # Singularia tantum ("безопасность", "большинство") have no plural.
    numbers = ["sing"] if "Sgtm" in noun.tag else ["sing", "plur"]
    out = []
    for number in numbers:
        for case in CASES:
            h = noun.inflect({case, number})
            if h is None:
                continue
            words = []
            for w, role in phrase:
                if role == "head":
                    words.append(h.word)
                elif role == "fixed":
                    words.append(w)
                else:
                    a = _parse(w, {"ADJF", "PRTF"})
                    gram = {case, number} | ({h.tag.gender} if number == "sing" and h.tag.gender else set())
                    if case == "accs" and (number == "plur" or h.tag.gender == "masc") and h.tag.animacy:
                        gram |= {h.tag.animacy}  # "коллективный Запад" but "нацистов"
                    f = a.inflect(gram)
                    assert f is not None, (w, gram)
                    words.append(f.word)
            out.append(((case, number), " ".join(words)))
    return out


def test_every_russian_pattern_matches_its_full_paradigm():
    frames = fs.Frames.builtin("ru_foreign_policy")
    texts, expect = [], []
    for frame, phrases in PHRASES.items():
        for phrase in phrases:
            for (case, number), text in paradigm(phrase):
                texts.append(f"Мы говорим: {text}.")
                expect.append((frame, case, number, text))
    counts = fs.Corpus.from_texts(texts).frame_counts(frames)
    missed = [e for i, e in enumerate(expect) if counts.iloc[i][e[0]] != 1]
    assert not missed, f"{len(missed)} forms not matched, e.g. {missed[:5]}"
    assert len(texts) > 300  # the audit is not vacuous


def test_lemma_patterns_follow_the_lexeme_not_a_prefix():
    frames = fs.Frames({"order": ["=порядок =основанный на правилах"], "world": ["русский =мир"]})
    texts = ["порядок, основанный на правилах", "порядков, основанных на правилах",
             "он основал порядок на правилах", "русский мир", "русским миром",
             "русский мирный договор"]
    c = fs.Corpus.from_texts(texts).frame_counts(frames)
    assert c["order"].tolist() == [1, 1, 0, 0, 0, 0]
    assert c["world"].tolist() == [0, 0, 0, 1, 0, 0]  # "русский" is not a lemma pattern
    with pytest.raises(ValueError, match="does not know 'кракозябрище'"):
        fs.Frames({"x": ["=кракозябрище"]})
