"""Frame dictionaries: named lists of phrase patterns, with exclusions and notes.

A frame is a name and patterns; matching happens in Rust over token ids (one
automaton for all frames, one pass per document). See :class:`Frames`.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any

from framescope import _core
from framescope.frames.lemmas import expand_lemmas

__all__ = ["Frames", "builtin_names"]

_FIELDS = {"patterns", "exclude", "description", "watch"}


def _normalize(word: str) -> list[str]:
    return _core.TokenizerSpec().tokenize(word)


def builtin_names() -> list[str]:
    """Names of the built-in dictionaries.

    >>> builtin_names()
    ['ru_foreign_policy']
    """
    files = resources.files("framescope.frames")
    return sorted(p.name[: -len(".yaml")] for p in files.iterdir() if p.name.endswith(".yaml"))


def _flatten(mapping: dict) -> dict[str, Any]:
    """quanteda-style nested dictionaries: {"a": {"b": [...]}} -> {"a.b": [...]}.

    Two entries that flatten to one name (``a: {b: ...}`` and ``a.b``) are an error
    naming both, never one silently dropped.
    """
    return {name: value for name, (value, _) in _flatten_with_paths(mapping, "", "").items()}


def _flatten_with_paths(mapping: dict, prefix: str, parent: str) -> dict[str, tuple[Any, str]]:
    out: dict[str, tuple[Any, str]] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        path = f"{parent} > {key}" if parent else str(key)
        if isinstance(value, dict) and not (_FIELDS & set(value)):
            items = _flatten_with_paths(value, name + ".", path).items()
        else:
            items = [(name, (value, path))]
        for k, (v, where) in items:
            if k in out:
                raise ValueError(f"frame name {k!r} is given twice: by {out[k][1]!r} and by "
                                 f"{where!r}; rename one (one would be dropped)")
            out[k] = (v, where)
    return out


class Frames:
    """A frame dictionary.

    Parameters
    ----------
    frames : dict
        Frame name -> list of patterns, or -> dict with ``patterns`` (list),
        optional ``exclude`` (list of patterns whose matches cancel the frame's
        matches they overlap), ``description`` and ``watch`` (known false positives).

    Pattern language
    ----------------
    A pattern is a phrase of whitespace-separated token patterns:

    - a word, tokenized like the corpus: case-insensitive, "West’s" is "west",
      "rules-based" also matches "rules based", "#UNCharterIsOurRules" matches the hashtag;
    - a glob inside one token: ``multipolar*``, ``коллективн*``, ``polycentr?c``;
    - ``~word``: any token with the same Snowball stem (language by script);
    - ``/regex/``: a token the regex matches whole, e.g. ``/мир(а|у|ом|е)?/``;
    - ``=word``: every form of a Russian word's lexeme (OpenCorpora dictionary, same
      part of speech): ``=порядок =основанный на правилах`` matches "порядок,
      основанный на правилах", "порядка, основанного на правилах", "порядки,
      основанные на правилах" (see :mod:`framescope.frames.lemmas`).

    In each document, a frame's matches are taken leftmost-longest without overlap
    (a span counts once per frame); different frames may match overlapping spans
    (see :meth:`framescope.Corpus.frame_overlaps`). Errors (an empty pattern, a bad
    regex, a word with no token) raise ``ValueError`` naming the frame and pattern.

    Examples
    --------
    >>> import framescope as fs
    >>> frames = fs.Frames({"collective_west": ["collective West", "коллективн* запад*"],
    ...                     "the_west": {"patterns": ["West"],
    ...                                  "exclude": ["West Africa", "collective West"]}})
    >>> c = fs.Corpus.from_texts(["The collective West’s sanctions.",
    ...                           "Коллективного Запада; West Africa; the West."])
    >>> c.frame_counts(frames)
       collective_west  the_west
    id
    0                1         0
    1                1         1
    """

    def __init__(self, frames: dict, *, name: str = "custom", description: str = ""):
        if isinstance(frames, Frames):
            frames = frames.to_dict()
        if not isinstance(frames, dict) or not frames:
            raise TypeError("frames must be a non-empty dict: frame name -> list of patterns")
        self.name = name
        self.description = description
        self._frames: dict[str, dict[str, Any]] = {}
        for fname, spec in frames.items():
            if not isinstance(fname, str) or not fname.strip():
                raise ValueError(f"frame names must be non-empty str, got {fname!r}")
            if isinstance(spec, str):
                spec = [spec]
            if isinstance(spec, (list, tuple)):
                spec = {"patterns": list(spec)}
            if not isinstance(spec, dict):
                raise TypeError(f"frame {fname!r}: expected a list of patterns or a dict, "
                                f"got {type(spec).__name__}")
            unknown = set(spec) - _FIELDS
            if unknown:
                raise ValueError(f"frame {fname!r}: unknown keys {sorted(unknown)}; "
                                 f"use {sorted(_FIELDS)}")
            entry = {
                "patterns": self._pattern_list(fname, spec.get("patterns"), "patterns"),
                "exclude": self._pattern_list(fname, spec.get("exclude") or [], "exclude"),
                "description": str(spec.get("description") or ""),
                "watch": str(spec.get("watch") or ""),
            }
            if not entry["patterns"]:
                raise ValueError(f"frame {fname!r} has no patterns")
            self._frames[fname] = entry
        self._positions = {n: i for i, n in enumerate(self._frames)}
        self._compiled = _core.FrameSet(self._specs())  # every pattern checked here

    @staticmethod
    def _pattern_list(fname: str, value, what: str) -> list[str]:
        if value is None:
            raise ValueError(f"frame {fname!r} has no patterns")
        if isinstance(value, str):
            value = [value]
        out = []
        for i, p in enumerate(value):
            if not isinstance(p, str):
                raise TypeError(f"frame {fname!r}, {what}[{i}]: expected str, got {type(p).__name__}")
            out.append(p)
        return out

    # ----------------------------------------------------------- building
    @classmethod
    def builtin(cls, name: str = "ru_foreign_policy") -> Frames:
        """A built-in dictionary (see :func:`builtin_names`).

        >>> import framescope as fs
        >>> f = fs.Frames.builtin("ru_foreign_policy")
        >>> len(f), f.names[:3]
        (20, ['collective_west', 'global_majority', 'multipolarity'])
        """
        if name not in builtin_names():
            raise ValueError(f"no built-in frame dictionary {name!r}; available: {builtin_names()}")
        text = resources.files("framescope.frames").joinpath(f"{name}.yaml").read_text("utf-8")
        return cls._from_data(_yaml_load(text, f"built-in {name}"), default_name=name)

    @classmethod
    def from_file(cls, path) -> Frames:
        """Read a dictionary from YAML or JSON.

        Two layouts are read: framescope's (``frames:`` mapping names to lists or to
        dicts with ``patterns``/``exclude``/``description``/``watch``, plus optional
        ``name`` and ``description``) and quanteda's (a mapping of names to lists of
        patterns, possibly nested; nested names are joined with "."). A syntax error
        raises ``ValueError`` naming the file and line.

        Examples
        --------
        >>> import framescope as fs, pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "mine.yaml"
        >>> _ = path.write_text("west:\\n  collective: [collective West]\\n  plain: [the West]\\n")
        >>> fs.Frames.from_file(path).names
        ['west.collective', 'west.plain']
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise FileNotFoundError(f"{path}: no such frame dictionary file") from None
        except UnicodeDecodeError as e:
            raise ValueError(f"{path}: not UTF-8 (invalid byte at offset {e.start}); save the "
                             "dictionary as UTF-8") from None
        if path.suffix.lower() == ".json":
            data = _json_load(text, str(path))
        else:
            data = _yaml_load(text, str(path))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a mapping of frame names to patterns")
        _check_expanded_size(data, str(path))
        return cls._from_data(data, default_name=path.stem)

    @classmethod
    def _from_data(cls, data: dict, default_name: str) -> Frames:
        if isinstance(data.get("frames"), dict):
            return cls(data["frames"], name=str(data.get("name", default_name)),
                       description=str(data.get("description", "")))
        return cls(_flatten(data), name=default_name)

    # ------------------------------------------------------------- access
    @property
    def names(self) -> list[str]:
        """Frame names, in order."""
        return list(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __iter__(self):
        return iter(self._frames)

    def __contains__(self, name) -> bool:
        return name in self._frames

    def __getitem__(self, name: str) -> dict[str, Any]:
        return dict(self._frames[name])

    def select(self, names) -> Frames:
        """The frames named in ``names`` (a str or a list), in that order.

        >>> import framescope as fs
        >>> fs.Frames.builtin().select(["global_majority", "collective_west"]).names
        ['global_majority', 'collective_west']
        """
        if isinstance(names, str):
            names = [names]
        missing = [n for n in names if n not in self._frames]
        if missing:
            raise KeyError(f"no frames {missing}; frames: {self.names}")
        out = Frames({n: self._frames[n] for n in names}, name=self.name,
                     description=self.description)
        positions = self.positions
        out._positions = {n: positions[n] for n in names}
        return out

    @property
    def positions(self) -> dict[str, int]:
        """Each frame's position in the dictionary it comes from (kept by :meth:`select`):
        what fixes a frame's colour in every plot, in Python and the CLI alike.

        >>> import framescope as fs
        >>> fs.Frames.builtin().select(["global_majority", "collective_west"]).positions
        {'global_majority': 1, 'collective_west': 0}
        """
        # A Frames pickled before positions were kept: its own order.
        return dict(self.__dict__.get("_positions") or {n: i for i, n in enumerate(self._frames)})

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The frames as a dict (the format :class:`Frames` and YAML files take)."""
        return {k: dict(v) for k, v in self._frames.items()}

    @property
    def compiled(self) -> _core.FrameSet:
        """The dictionary as the core matches it: patterns parsed once per tokenizer
        setting and compiled once per corpus, then reused by every count, trend, overlap
        and KWIC call on that corpus."""
        if self.__dict__.get("_compiled") is None:
            self._compiled = _core.FrameSet(self._specs())
        return self._compiled

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_compiled"] = None  # rebuilt from the patterns on first use
        return state

    def _specs(self) -> list[tuple[str, list[str], list[str]]]:
        """(name, patterns, exclude) for the core, lemma patterns (``=word``) expanded."""
        def expand(patterns: list[str]) -> list[str]:
            return [expand_lemmas(p, _normalize) for p in patterns]
        return [(k, expand(v["patterns"]), expand(v["exclude"])) for k, v in self._frames.items()]

    def __eq__(self, other) -> bool:
        return isinstance(other, Frames) and self.to_dict() == other.to_dict()

    def __repr__(self) -> str:
        return f"<Frames {self.name!r}: {len(self)} frames: {', '.join(self.names[:6])}" + (
            ", ...>" if len(self) > 6 else ">")

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape('; '.join(v['patterns']))}</td>"
            f"<td>{html.escape('; '.join(v['exclude']))}</td><td>{html.escape(v['description'])}</td>"
            f"<td>{html.escape(v['watch'])}</td></tr>"
            for k, v in self._frames.items())
        return (f"<p><b>{html.escape(repr(self))}</b></p><table><tr><th>frame</th><th>patterns</th>"
                f"<th>exclude</th><th>captures</th><th>watch for</th></tr>{rows}</table>")


#: The most entries (mappings, lists and strings, counted as YAML aliases expand them)
#: a dictionary file may hold: far above real dictionaries, far below an alias bomb.
#: Assign a larger number to read a larger file.
MAX_DICTIONARY_ENTRIES = 1_000_000


def _check_expanded_size(data, where: str, limit: int | None = None) -> None:
    """Counts the entries of ``data`` as a walk would see them (shared YAML anchors
    counted at each use), stopping as soon as ``limit`` (default
    :data:`MAX_DICTIONARY_ENTRIES`, read at call time) is passed: an alias bomb
    ("billion laughs") is refused before it is expanded."""
    if limit is None:
        limit = MAX_DICTIONARY_ENTRIES
    seen, stack = 0, [data]
    while stack:
        node = stack.pop()
        seen += 1
        if seen > limit:
            raise ValueError(f"{where}: the dictionary expands to more than {limit:,} entries "
                             "(YAML aliases repeating a block?); framescope reads at most "
                             f"{limit:,} (framescope.frames.MAX_DICTIONARY_ENTRIES)")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _yaml_load(text: str, where: str):
    """YAML through a safe loader that refuses duplicate keys (naming both lines)."""
    try:
        import yaml
    except ImportError as e:  # pragma: no cover - pyyaml is a dependency
        raise ImportError("reading YAML frame dictionaries needs pyyaml (pip install pyyaml)") from e

    class _UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                if isinstance(key, (str, int, float, bool)) and key in seen:
                    raise ValueError(f"{where}:{line}: duplicate key {key!r} (first on line "
                                     f"{seen[key]}); one frame would be dropped")
                seen[key] = line
            return super().construct_mapping(node, deep=deep)

    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ValueError(f"{where}{line}: invalid YAML: {getattr(e, 'problem', e)}") from None


def _json_load(text: str, where: str):
    """JSON that refuses duplicate keys in an object."""
    def unique(pairs):
        seen: dict = {}
        for k, v in pairs:
            if k in seen:
                raise ValueError(f"{where}: duplicate key {k!r} in one JSON object; "
                                 "one frame would be dropped")
            seen[k] = v
        return seen

    try:
        return json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}:{e.lineno}: invalid JSON: {e.msg}") from None
