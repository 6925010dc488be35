"""A built-in demo corpus, generated deterministically (no third-party text).

``demo()`` returns foreign-policy-style statements dated 2012-2025 in English
and Russian. Frames are planted at known per-year probabilities that rise and
fall ("Global Majority" only from 2022, "collective West" rising after 2014,
"rules-based order" after 2018), together with scraped-data noise: repeated
blocks inside posts, duplicate posts, and some undated posts. ``demo_truth()``
gives the exact number of planted frame phrases per document, so tests can
check recovered counts and trends against the truth.

Posts come from three channels (``channel``: "mfa", "tass", "kremlin"), assigned by a
separate random stream (the texts do not depend on it) so that the "Global Majority"
spreads in a planted order: before April 2022 only "mfa" uses it, "tass" from April,
"kremlin" from July (:data:`ADOPTION`). From 2020 on, English sentences naming the
"collective West" end in other words ("escalates", "escalating", "warned" instead of
"matters", "today", "said": :data:`CONTEXT_SHIFT`), as many tokens as before: a planted
change in what the frame is said with that leaves every rate as it was.

Three more plants, drawn from their own random stream (so every other draw, and every
document's token count, is as before) and counted in :func:`demo_truth`:

- :data:`SYNONYMS`: some English mentions of "the collective West" are written with a
  synonym instead ("the Western bloc", "the Atlanticist camp", "the transatlantic
  elites"), in the same sentences: what :func:`framescope.expand` should find.
- :data:`DRIFT`: until 2021, "partners" only occurs in "dialogue with partners"; from
  2022 that reads "dialogue with colleagues", and "partners" is the subject of English
  sentences naming a frame where "Russia" or "Moscow" was ("Much depends on the
  collective West, partners said."): a word whose context changes in 2022, for
  :meth:`framescope.Corpus.neighbours`. No draw, no token added or lost.
- :data:`FALSE_POSITIVES`: the loose dictionary :data:`LOOSE_FRAMES` (``west``: the
  pattern "West") also matches planted mentions of "West Africa" (swapped for "energy
  security" or "the region", as many tokens), a known share of its hits that rises
  from 2020: what a validation sample and ``TrendTable.correct`` should recover.
  :func:`demo_code` codes a validation sample as a perfect coder would.
"""

from __future__ import annotations

import random
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = ["demo", "demo_truth", "demo_code", "DEMO_FRAMES", "CHANNELS", "ADOPTION",
           "CONTEXT_SHIFT", "SYNONYMS", "DRIFT", "FALSE_POSITIVES", "LOOSE_FRAMES"]

#: Planted context change: from ``year`` on, English sentences with ``frame`` have these
#: words replaced (one word for one word).
CONTEXT_SHIFT = {"frame": "collective_west", "year": 2020,
                 "words": {"matters": "escalates", "today": "escalating", "said": "warned"}}
#: Planted synonyms: this share of English "the collective West" mentions use one of them.
SYNONYMS = {"seed": "the collective West", "share": 0.3,
            "synonyms": ["the Western bloc", "the Atlanticist camp", "the transatlantic elites"]}
#: Planted drift: from ``year``, ``word`` leaves its old phrase (``replaced``) and takes
#: the place of the one-word ``subjects`` of English sentences that name a frame: its
#: context moves from the objects of statements to where the frames are named.
DRIFT = {"word": "partners", "year": 2022, "subjects": ["Russia", "Moscow"],
         "replaced": {"dialogue with partners": "dialogue with colleagues"}}
#: Planted false positives of the loose frame: the share of its hits that are "West
#: Africa" (about; the exact counts are in ``demo_truth``'s ``west_false``), by year.
FALSE_POSITIVES = {"frame": "west", "phrase": "West Africa",
                   "share": {**{y: 0.1 for y in range(2012, 2020)}, **{y: 0.4 for y in range(2020, 2026)}}}
#: A loose dictionary: "West" also matches "West Africa".
LOOSE_FRAMES = {"west": ["West"]}
#: The demo's channels.
CHANNELS = ["mfa", "tass", "kremlin"]
#: Planted adoption of the "global_majority" frame: the earliest date each channel may use it.
ADOPTION = {"mfa": "2022-01-01", "tass": "2022-04-01", "kremlin": "2022-07-01"}

YEARS = list(range(2012, 2026))

#: Planted frames: name -> (English phrases, Russian phrases, probability per sentence by year).
DEMO_FRAMES: dict[str, tuple[list[str], list[str], dict[int, float]]] = {
    "collective_west": (
        ["the collective West", "the collective West's"],
        ["коллективный Запад", "коллективного Запада", "коллективному Западу"],
        {y: (0.0 if y < 2014 else min(0.02 + 0.012 * (y - 2014), 0.14)) for y in YEARS},
    ),
    "global_majority": (
        ["the Global Majority", "the World Majority"],
        ["мировое большинство", "мирового большинства", "Мировому большинству"],
        {y: (0.0 if y < 2022 else 0.05 + 0.04 * (y - 2022)) for y in YEARS},
    ),
    "multipolarity": (
        ["a multipolar world", "multipolarity", "a polycentric world order"],
        ["многополярный мир", "многополярного мира", "многополярности"],
        {y: 0.06 for y in YEARS},
    ),
    "rules_based_order": (
        ["the so-called rules-based order", "the \u201crules-based order\u201d"],
        ["так называемый порядок, основанный на правилах"],
        {y: (0.0 if y < 2018 else 0.03 + 0.01 * (y - 2018)) for y in YEARS},
    ),
}

_EN_SUBJECTS = ["Russia", "The Foreign Ministry", "Moscow", "Our country", "The minister",
                "The spokeswoman", "The delegation", "The Russian side"]
_EN_VERBS = ["supports", "calls for", "stands for", "welcomes", "rejects", "insists on",
             "is committed to", "advocates"]
_EN_OBJECTS = ["dialogue with partners", "the central role of the United Nations",
               "cooperation within BRICS", "equal and indivisible security",
               "respect for international law", "a political settlement",
               "trade in national currencies", "humanitarian cooperation",
               "strategic stability", "the interests of developing countries",
               "energy security", "regional integration in Eurasia"]
_EN_TAILS = ["", " in the region", " at this difficult time", " on an equal footing",
             " without preconditions", " in the interests of all nations"]
_RU_SUBJECTS = ["Россия", "МИД России", "Москва", "Наша страна", "Министр",
                "Официальный представитель", "Делегация"]
_RU_VERBS = ["поддерживает", "выступает за", "приветствует", "отвергает", "настаивает на",
             "привержена"]
_RU_OBJECTS = ["диалог с партнёрами", "центральную роль ООН", "сотрудничество в рамках БРИКС",
               "равную и неделимую безопасность", "уважение международного права",
               "политическое урегулирование", "торговлю в национальных валютах",
               "стратегическую стабильность", "интересы развивающихся стран"]
_EN_FRAME_SENTENCES = ["{S} notes that {F} matters.", "{S} spoke about {F} today.",
                       "Much depends on {F}, {s} said."]
_RU_FRAME_SENTENCES = ["{S} отмечает: {F} имеет значение.", "{S} говорил сегодня про {F}.",
                       "Многое зависит от темы «{F}», заявил {s}."]
_BOILERPLATE = ["Forwarded from Russian MFA 🇷🇺", "Read in full", "VIEW IN TELEGRAM",
                "Media is too big"]


def _false_positive_probability(year: int) -> float:
    """Per eligible English sentence (object "energy security" or tail "in the region",
    about a quarter of them), the chance of a planted "West Africa": the planted share's
    odds times the expected true "West" hits per such sentence."""
    share = FALSE_POSITIVES["share"][year]
    true_per_sentence = DEMO_FRAMES["collective_west"][2][year] * (1 - SYNONYMS["share"] / 2)
    other = 1 - sum(p[year] for _, _, p in DEMO_FRAMES.values())
    return min(1.0, share / (1 - share) * true_per_sentence / (other * 0.25))


def _west_phrase(plants: random.Random, phrase: str, year: int, planted: dict[str, int]) -> str:
    """A planted synonym in place of "the collective West", or it."""
    if phrase != SYNONYMS["seed"]:
        return phrase
    if plants.random() < SYNONYMS["share"]:
        planted["west_synonyms"] += 1
        return plants.choice(SYNONYMS["synonyms"])
    return phrase


def _sentence(rng: random.Random, plants: random.Random, lang: str, year: int,
              planted: dict[str, int]) -> str:
    for name, (en, ru, prob) in DEMO_FRAMES.items():
        if rng.random() < prob[year]:
            if lang == "en":
                subj = rng.choice(_EN_SUBJECTS)
                template, phrase = rng.choice(_EN_FRAME_SENTENCES), rng.choice(en)
                if year >= DRIFT["year"] and subj in DRIFT["subjects"]:  # no draw
                    planted["partners_subject"] += 1
                    subj = DRIFT["word"].capitalize()
                if name == "collective_west":
                    phrase = _west_phrase(plants, phrase, year, planted)
                    if phrase in en:
                        planted["west_true"] += 1
                planted[name] += phrase in en
                sentence = template.format(S=subj, s=subj.lower(), F=phrase)
                if name == CONTEXT_SHIFT["frame"] and year >= CONTEXT_SHIFT["year"]:
                    for old, new in CONTEXT_SHIFT["words"].items():  # no draw: stream unchanged
                        sentence = sentence.replace(f" {old}", f" {new}")
                return sentence
            planted[name] += 1
            subj = rng.choice(_RU_SUBJECTS)
            return rng.choice(_RU_FRAME_SENTENCES).format(S=subj, s=subj.lower(), F=rng.choice(ru))
    if lang == "en":
        subj, verb, obj, tail = (rng.choice(_EN_SUBJECTS), rng.choice(_EN_VERBS),
                                 rng.choice(_EN_OBJECTS), rng.choice(_EN_TAILS))
        if year >= DRIFT["year"]:  # no draw: the streams are unchanged
            obj = DRIFT["replaced"].get(obj, obj)
        if obj == "energy security" or tail == " in the region":
            if plants.random() < _false_positive_probability(year):
                planted["west_false"] += 1
                if obj == "energy security":
                    obj = FALSE_POSITIVES["phrase"]
                else:
                    tail = " in " + FALSE_POSITIVES["phrase"]
        return f"{subj} {verb} {obj}{tail}."
    return f"{rng.choice(_RU_SUBJECTS)} {rng.choice(_RU_VERBS)} {rng.choice(_RU_OBJECTS)}."


#: demo_truth's counts of the plants besides the frames.
_PLANT_COUNTS = ["west_true", "west_false", "west_synonyms", "partners_subject"]


@lru_cache(maxsize=4)
def _generate(n_per_year: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    channels = random.Random(seed + 1)  # its own stream: the texts do not depend on it
    plants = random.Random(seed + 2)  # synonyms, drift, false positives: their own stream
    rows, truth = [], []
    for year in YEARS:
        for k in range(n_per_year):
            lang = "ru" if rng.random() < 0.3 else "en"
            planted = dict.fromkeys([*DEMO_FRAMES, *_PLANT_COUNTS], 0)
            n_sent = rng.randint(4, 14)
            body = " ".join(_sentence(rng, plants, lang, year, planted) for _ in range(n_sent))
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            date = pd.Timestamp(year=year, month=month, day=day)
            text = body
            if rng.random() < 0.15:  # scraped Telegram post: boilerplate + preview repeated
                text = f"{rng.choice(_BOILERPLATE)}\n{body}\n{body}"
                for name in planted:
                    planted[name] *= 2
            undated = rng.random() < 0.03
            doc_id = f"demo-{year}-{k:03d}"
            allowed = [c for c in CHANNELS if planted["global_majority"] == 0 or undated
                       or date >= pd.Timestamp(ADOPTION[c])]
            rows.append({"id": doc_id, "text": text, "date": pd.NaT if undated else date,
                         "lang": lang, "channel": channels.choice(allowed)})
            truth.append({"id": doc_id, "year": year, "lang": lang, "channel": rows[-1]["channel"],
                          **planted})
            if rng.random() < 0.02:  # the same post scraped twice
                rows.append({**rows[-1], "id": doc_id + "-dup"})
                truth.append({**truth[-1], "id": doc_id + "-dup"})
    return pd.DataFrame(rows), pd.DataFrame(truth)


def demo(n_per_year: int = 60, seed: int = 2024):
    """The demo corpus as a :class:`framescope.Corpus` (metadata: ``lang``, ``channel``).

    Examples
    --------
    >>> import framescope as fs
    >>> c = fs.datasets.demo()
    >>> len(c) > 800
    True
    """
    from framescope.corpus import Corpus

    frame, _ = _generate(n_per_year, seed)
    return Corpus.from_pandas(frame, text="text", date="date", id="id")


def demo_truth(n_per_year: int = 60, seed: int = 2024) -> pd.DataFrame:
    """Planted frame phrases per document of ``demo(n_per_year, seed)``: id, year, lang,
    channel, one column per frame, and the plants: ``west_true`` (English "collective
    West" mentions: the loose frame's true hits), ``west_false`` ("West Africa": its
    false positives), ``west_synonyms`` (mentions written with a synonym: not counted as
    ``collective_west``) and ``partners_subject`` ("partners" as a frame sentence's
    subject).

    >>> import framescope as fs
    >>> t = fs.datasets.demo_truth()
    >>> int(t.loc[t.year < 2022, "global_majority"].sum()), int(t.loc[t.year >= 2022, "global_majority"].sum()) > 0
    (0, True)
    """
    return _generate(n_per_year, seed)[1].copy()


def demo_code(sample: pd.DataFrame) -> pd.DataFrame:
    """A validation sample of the loose frame (``corpus.validation_sample(LOOSE_FRAMES)``)
    coded as a perfect coder would: ``label`` 0 where the hit is the planted "West
    Africa", else 1.

    >>> import framescope as fs
    >>> c = fs.datasets.demo()
    >>> coded = fs.datasets.demo_code(c.validation_sample(fs.datasets.LOOSE_FRAMES, seed=1))
    >>> sorted(coded["label"].unique().tolist())
    [0, 1]
    """
    africa = sample["right"].astype(str).str.lstrip().str.lower().str.startswith("africa")
    return sample.assign(label=np.where(africa, 0, 1))
