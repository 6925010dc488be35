"""scikit-learn parity on every character, whatever Python runs it: the core classifies
characters with the table of the running Python's Unicode version (built in, or
computed from that Python when none is), and the built-in tables are what
tools/gen_pyword.py generates (make pyword-tables)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from sklearn.feature_extraction.text import CountVectorizer as SkCountVectorizer

import framescope as fs
from framescope import _core

ROOT = Path(__file__).resolve().parents[2]


def every_character_doc() -> str:
    """'x' + c + ' ' for every code point but surrogates: 'xc' is a token exactly when
    c is a word character (and lowercases with c)."""
    return "".join("x" + chr(c) + " " for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def test_the_table_in_use_is_the_running_pythons():
    assert _core.unicode_table_version() == unicodedata.unidata_version
    assert _core.unicode_table_versions() == sorted(
        _core.unicode_table_versions(), key=lambda v: tuple(map(int, v.split("."))))
    assert {"13.0.0", "14.0.0", "15.0.0", "15.1.0"} <= set(_core.unicode_table_versions())


def test_every_character_is_a_word_character_exactly_when_python_says_so():
    doc = every_character_doc()
    for lowercase in (False, True):
        ours = fs.CountVectorizer(lowercase=lowercase).build_analyzer()(doc)
        theirs = SkCountVectorizer(lowercase=lowercase).build_analyzer()(doc)
        assert ours == theirs


def test_built_in_table_is_what_the_generator_makes_for_this_python(tmp_path):
    dump = subprocess.run([sys.executable, str(ROOT / "tools/gen_pyword.py"), "--dump"],
                          capture_output=True, text=True, check=True).stdout
    assert json.loads(dump)["version"] == unicodedata.unidata_version
    (tmp_path / "this.json").write_text(dump)
    emitted = subprocess.run([sys.executable, str(ROOT / "tools/gen_pyword.py"), "--emit",
                              str(tmp_path / "this.json")],
                             capture_output=True, text=True, check=True).stdout
    name = "U" + unicodedata.unidata_version.replace(".", "_")

    def block(text: str) -> str:
        m = re.search(rf"pub static {name}: PyTable = PyTable {{.*?\n}};", text, re.S)
        assert m, f"no table {name}"
        return m.group(0)

    assert block(emitted) == block((ROOT / "src/text/pyword_table.rs").read_text())


def test_a_python_without_a_built_in_table_gets_one_computed_from_itself():
    """A future Python (its Unicode version unknown to the core): the table is computed
    from that Python at import, and parity holds on every character."""
    code = """
import unicodedata
unicodedata.unidata_version = "99.0.0"  # a Unicode version the core has no table for
import framescope as fs
from framescope import _core
from sklearn.feature_extraction.text import CountVectorizer
assert _core.unicode_table_version() == "99.0.0", _core.unicode_table_version()
doc = "".join("x" + chr(c) + " " for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
for lowercase in (False, True):
    assert (fs.CountVectorizer(lowercase=lowercase).build_analyzer()(doc)
            == CountVectorizer(lowercase=lowercase).build_analyzer()(doc))
try:
    _core.select_unicode_table("13.0.0")
except ValueError as e:
    assert "already in use" in str(e)
else:
    raise AssertionError("a second table was accepted")
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
