"""Saved web pages read as the text they show: a folder of `.html` files, as a scrape with
wget or a browser's "Save as" leaves it, was left unread (reported); read as text, its
menus, scripts and tag names would count as words.

Fixtures: the 35 MFA seed posts, each served as a whole page the way a CMS serves a
statement (site header with a menu naming "Global Majority" and "multipolar world", a
breadcrumb trail, the post in an <article> paragraph by paragraph with entities and bold
frame phrases, a "related" sidebar, a footer, scripts and styles, the date in Open
Graph's tag where the gold standard dates the post): the pages must give back each post's
tokens and frame hits exactly, and the gold dates. And three pages built by hand in the
shapes of a Kremlin transcript (no <article>, a <time datetime>), a TASS item in Russian
(the date only in JSON-LD) and a page built of <div>s whose date is only in its text
(its menu, sharing buttons and readers' comments named by class and id); hits counted
by hand.
"""

from __future__ import annotations

import gzip
import json
import warnings

import pandas as pd
import pytest
from conftest import GOLD_SETS, gold_posts
from test_markup import as_cms_html

import framescope as fs
from framescope.cli import main

SITE_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} - The Ministry of Foreign Affairs of the Russian Federation</title>
{date_tag}
<link rel="stylesheet" href="/css/main.css"><style>.menu li {{ float: left }}</style>
<script>window.dataLayer = []; function gtag(){{dataLayer.push(arguments)}}</script>
</head>
<body class="page">
<header class="site-header"><a class="logo" href="/">MFA Russia</a>
  <nav class="menu"><ul>
    <li><a href="/foreign_policy/">Foreign policy</a></li>
    <li><a href="/global-majority/">Global Majority</a></li>
    <li><a href="/multipolar/">Towards a multipolar world</a></li>
  </ul></nav>
  <form class="search"><input name="q" placeholder="Search"><button>Find</button></form>
</header>
<nav class="breadcrumbs"><a href="/">Home</a> / <a href="/news/">News</a></nav>
<main>
<article class="announce">
"""
SITE_TAIL = """
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/1">The collective West
  and NATO</a></li><li><a href="/2">Rules-based order</a></li></ul></aside>
</main>
<footer><p>&copy; 2024 MFA Russia. The collective West media: <a href="/x">links</a></p>
<script src="/js/counter.js"></script></footer>
<!-- Yandex.Metrika counter -->
</body></html>
"""


def as_page(post: str, title: str, date: str | None) -> str:
    """A seed post as the site serves it (see the module doc)."""
    tag = f'<meta property="article:published_time" content="{date}T10:00:00+03:00">' \
        if date else '<meta name="description" content="Statement">'
    return SITE_HEAD.format(title=title, date_tag=tag) + as_cms_html(post) + SITE_TAIL


def gold_dates() -> list[str | None]:
    return [p["date"] for g in sorted(GOLD_SETS["seeds"][0].glob("*.json"))
            for p in json.loads(g.read_text(encoding="utf-8"))["posts"]]


@pytest.mark.seed
def test_seed_posts_saved_as_pages_give_back_their_tokens_hits_and_dates(tmp_path):
    posts = [text for _, _, text in gold_posts()]
    dates = gold_dates()
    assert len(posts) == len(dates) == 35
    for k, (post, date) in enumerate(zip(posts, dates, strict=True)):
        (tmp_path / f"page_{k:03d}.html").write_text(as_page(post, f"Post {k}", date),
                                                     encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing to say: no markup left, no bad dates
        pages = fs.read(tmp_path)
    plain = fs.Corpus.from_texts(posts)
    assert pages.ids == [f"page_{k:03d}.html" for k in range(35)]
    assert [pages.tokens(i) for i in range(35)] == [plain.tokens(i) for i in range(35)]
    frames = fs.Frames.builtin()
    assert (pages.frame_counts(frames).to_numpy() == plain.frame_counts(frames).to_numpy()).all()
    assert pages.meta["title"].tolist() == [
        f"Post {k} - The Ministry of Foreign Affairs of the Russian Federation" for k in range(35)]
    frame = pages.to_pandas()
    dated = [k for k, d in enumerate(dates) if d]
    assert len(dated) == 22  # the gold standard dates 22 of the 35 posts
    assert [str(frame["date"][k].date()) for k in dated] == [dates[k] for k in dated]
    assert set(frame["date_source"][dated]) == {"metadata"}
    # Read as text (what format="text" still gives), the menus and tags were words.
    with pytest.warns(UserWarning, match="HTML tags or entities in 35 document"):
        raw = fs.read(tmp_path, format="text", glob="*.html")
    assert raw.frame_counts(frames).to_numpy().sum() > plain.frame_counts(frames).to_numpy().sum()


KREMLIN = """<!DOCTYPE html><html><head><title>Meeting with Security Council members \
&bull; President of Russia</title></head><body>
<div class="header"><nav><a href="/events/president/news">News</a></nav></div>
<div class="read">
  <h1 class="entry-title">Meeting with Security Council members</h1>
  <p class="read__published"><time datetime="2023-04-29" class="read__published">April 29,
  2023</time>, 14:00 The Kremlin, Moscow</p>
  <div class="entry-content">
    <p><b>Vladimir Putin:</b> Colleagues, the so-called collective&nbsp;West keeps to its
    course.</p>
    <p>The countries of the Global Majority see it; the multipolar
    world is taking shape.</p>
  </div>
</div>
<footer class="footer"><p>All content on this site is licensed under Creative Commons
Attribution 4.0: the collective West, the Global Majority.</p></footer>
</body></html>"""

TASS = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Лавров: коллективный Запад утратил монополию - ТАСС</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Лавров: коллективный Запад утратил монополию",
"datePublished":"2024-06-11T09:15:00+03:00","publisher":{"name":"ТАСС"}}</script>
</head><body><div id="app"><header><a href="/">ТАСС</a><nav>Политика Мировое большинство
</nav></header><main><div class="news-header"><h1>Лавров: коллективный Запад утратил
монополию</h1></div><div class="text-content"><p>МОСКВА, 11 июня. /ТАСС/. Страны
коллективного Запада утратили монополию на глобальные процессы, заявил министр.</p>
<p>По его словам, мировое большинство выступает за многополярный мир.</p></div></main>
<footer>Мировое большинство, коллективный Запад - ТАСС</footer></div></body></html>"""

DATELINE = """<html><head><title>Comment</title></head><body>
<div class="top-menu"><ul><li><a href="/gm">Global Majority</a></li></ul></div>
<div id="content"><p>Moscow, 17 May 2023</p><p>The rules-based order is a Western
invention.</p></div><div class="share">Share</div>
<div id="comments"><p>Reader: the collective West again</p></div></body></html>"""


def test_pages_shaped_as_kremlin_tass_and_a_dateline_read_as_a_browser_shows_them(tmp_path):
    (tmp_path / "kremlin.html").write_text(KREMLIN, encoding="utf-8")
    (tmp_path / "tass.htm").write_bytes(gzip.compress(TASS.encode("utf-8")))
    (tmp_path / "tass.htm").rename(tmp_path / "tass.htm.gz")
    (tmp_path / "comment.html").write_text(DATELINE, encoding="utf-8")
    c = fs.read(tmp_path)
    assert c.ids == ["comment.html", "kremlin.html", "tass.htm.gz"]
    assert c.texts == [
        "Moscow, 17 May 2023\nThe rules-based order is a Western invention.",
        "Meeting with Security Council members\nApril 29, 2023, 14:00 The Kremlin, Moscow\n"
        "Vladimir Putin: Colleagues, the so-called collective\u00a0West keeps to its course.\n"
        "The countries of the Global Majority see it; the multipolar world is taking shape.",
        "Лавров: коллективный Запад утратил монополию\nМОСКВА, 11 июня. /ТАСС/. Страны "
        "коллективного Запада утратили монополию на глобальные процессы, заявил министр.\n"
        "По его словам, мировое большинство выступает за многополярный мир."]
    frame = c.to_pandas()
    assert [str(d.date()) for d in frame["date"]] == ["2023-05-17", "2023-04-29", "2024-06-11"]
    assert frame["date_source"].tolist()[1:] == ["metadata", "metadata"]
    assert c.meta["title"].tolist() == [
        "Comment", "Meeting with Security Council members \u2022 President of Russia",
        "Лавров: коллективный Запад утратил монополию - ТАСС"]
    # By hand: kremlin 1 collective West, 1 Global Majority, 1 multipolar world; TASS 2
    # collective West (headline, "коллективного Запада"), 1 Global Majority, 1 multipolar;
    # the menus and footers (3 more of each in all) count nothing; the comment 1 rules-based.
    counts = c.frame_counts(fs.Frames.builtin())
    got = {col: counts[col].tolist() for col in ("collective_west", "global_majority",
                                                 "multipolarity", "rules_based_order")}
    assert got == {"collective_west": [0, 1, 2], "global_majority": [0, 1, 1],
                   "multipolarity": [0, 1, 1], "rules_based_order": [1, 0, 0]}
    # Streaming reads them alike.
    r = fs.scan(tmp_path, fs.Frames.builtin(), by="year", terms=False)
    assert r.docs == 3


def test_bad_pages_are_named_and_nothing_is_lost(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.html").write_text(
        '<html><head><meta name="date" content="soon"></head><body><p>The collective West.'
        '</p></body></html>', encoding="utf-8")
    with pytest.raises(fs.InputError, match=r'a\.html: <meta name="date"> "soon" is not a date'):
        fs.read(bad)
    with pytest.warns(UserWarning, match="ignored 1 bad metadata date"):
        c = fs.read(bad, bad_dates="undated")
    assert c.texts == ["The collective West."]
    assert c.read_report.iloc[0]["source"].endswith("a.html")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "app.html").write_text('<html><body><div id="root"></div><script src="app.js">'
                                    '</script></body></html>', encoding="utf-8")
    with pytest.raises(fs.InputError, match=r"app\.html: the page shows no text"):
        fs.read(empty)
    with pytest.warns(UserWarning, match="skipped"):
        assert len(fs.read(empty, errors="skip")) == 0
    # Pages in the charsets older Russian sites declare are decoded by them (reported);
    # bytes that are not UTF-8 with no charset declared stay an error naming the file.
    old = tmp_path / "old"
    old.mkdir()
    (old / "a.html").write_bytes('<html><head><meta charset="windows-1251"></head><body><p>'
                                 'коллективный Запад и «мировое большинство»</p></body></html>'
                                 .encode("cp1251"))
    (old / "b.html").write_bytes('<html><head><meta http-equiv="Content-Type" content="text/html;'
                                 ' charset=koi8-r"></head><body><p>многополярный мир</p></body>'
                                 '</html>'.encode("koi8_r"))
    c = fs.read(old)
    assert c.texts == ["коллективный Запад и «мировое большинство»", "многополярный мир"]
    assert c.read_report["kind"].tolist() == ["decoded_charset"] * 2
    assert c.read_report["message"].tolist() == [
        "not UTF-8: decoded as windows-1251, the charset the page declares",
        "not UTF-8: decoded as KOI8-R, the charset the page declares"]
    (old / "c.html").write_bytes("<p>коллективный Запад</p>".encode("cp1251"))
    with pytest.raises(fs.InputError, match=r"c\.html: invalid UTF-8 at byte 3"):
        fs.read(old)


def test_the_command_line_reads_a_folder_of_pages(tmp_path, capsys):
    (tmp_path / "kremlin.html").write_text(KREMLIN, encoding="utf-8")
    out = tmp_path / "trend.csv"
    assert main(["trends", str(tmp_path), "--by", "year", "--out", str(out)]) == 0
    trend = pd.read_csv(out)
    west = trend[trend["frame"] == "collective_west"]
    assert west["hits"].tolist() == [1] and west["period"].astype(str).tolist() == ["2023"]
