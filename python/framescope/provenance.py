"""Run records: what made a table or a figure, so it can be cited and made again.

Every analysis result (``frame_trends``, ``kwic``, ``keyness``, ``expand``, ...) carries
a :class:`RunRecord`: the call and its parameters, the framescope (and Python, numpy,
pandas) versions, the tokenizer settings, the dictionary's SHA-256, and the corpus's
fingerprint (BLAKE3 of its ids, texts and dates, computed in the core once per corpus,
``fingerprint_version`` 2; plus a hash of its metadata table). Tables keep it in ``DataFrame.attrs["framescope"]``
(pandas carries attrs through copies and slices, and into Parquet files); result
objects and figures keep it as ``framescope_record``. :func:`provenance` finds it on any
of them; :meth:`RunRecord.rerun` makes the result again from a corpus with the same
fingerprint; :func:`write_table` writes a table with its record (Parquet: in the file's
metadata; CSV: a W3C CSVW sidecar ``NAME.csv-metadata.json``) and :func:`read_table`
reads both back; plots put :meth:`RunRecord.footer` under the figure.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import inspect
import json
import os
import platform
import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framescope import _core
from framescope.frames import Frames

__all__ = ["RunRecord", "provenance", "recorded", "write_table", "read_table", "footer"]

#: The key under which tables keep their record (``DataFrame.attrs``, Parquet metadata).
KEY = "framescope"
#: Functions (not Corpus methods) that records can call again, by name.
_CALLS: dict[str, Any] = {}
#: Largest dictionary or list (patterns, items) a record holds itself.
MAX_RECORDED = 2_000
#: The key under which extra positional arguments are recorded.
_POSITIONAL = "*args"
#: Parameters that name a dictionary: their hash is the record's ``dictionary``.
_DICTIONARY_PARAMETERS = ("frames", "seeds", "pattern", "terms")


@functools.cache
def _version(package: str) -> str:
    """The installed version of ``package``, looked up once a process (reading the
    installed packages' metadata takes milliseconds, on every recorded call)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str).encode()


def dictionary_digest(frames) -> dict:
    """Name, frame count and SHA-256 of a dictionary's definition (patterns,
    exclusions) as JSON with sorted keys: equal dictionaries, equal hashes."""
    if isinstance(frames, Frames):
        definition, name = frames.to_dict(), frames.name
    elif isinstance(frames, dict):
        definition, name = frames, "custom"
    else:
        definition, name = [frames] if isinstance(frames, str) else list(frames), "patterns"
    size = len(definition)
    return {"name": name, "frames": size, "sha256": _sha256(_canonical(definition))}


def tokenizer_settings(spec) -> dict:
    """A tokenizer's settings as a dict (from its repr, which names every setting)."""
    found = re.findall(r'(\w+)=("[^"]*"|True|False)', repr(spec))
    return {k: (v.strip('"') if v.startswith('"') else v == "True") for k, v in found}


#: The corpus fingerprint's scheme in records: 2 is BLAKE3 (``Corpus.fingerprint`` in the
#: core); records without the key hold scheme 1, SHA-256 (``fingerprint_v1``).
FINGERPRINT_VERSION = 2


def corpus_fingerprint(corpus, version: int = FINGERPRINT_VERSION) -> str:
    """The corpus's fingerprint in the scheme a record names (see ``FINGERPRINT_VERSION``)."""
    if version == FINGERPRINT_VERSION:
        return corpus_digest(corpus)["fingerprint"]
    if version == 1:
        return corpus.native.fingerprint_v1()
    raise ValueError(f"unknown corpus fingerprint version {version!r} in the record "
                     f"(this framescope knows 1 and {FINGERPRINT_VERSION}): is it from a newer framescope?")


def corpus_digest(corpus) -> dict:
    """Fingerprint, size and metadata hash of a corpus (cached on it: a corpus does not
    change)."""
    cached = corpus.__dict__.get("_run_digest")
    if cached is None:
        meta = corpus.meta
        meta_hash = (_sha256(pd.util.hash_pandas_object(meta.astype(str), index=False).to_numpy().tobytes()
                             + _canonical([str(c) for c in meta.columns]))
                     if len(meta.columns) else None)
        cached = {"fingerprint": corpus.native.fingerprint(), "fingerprint_version": FINGERPRINT_VERSION,
                  "documents": len(corpus), "metadata_sha256": meta_hash}
        corpus.__dict__["_run_digest"] = cached
    return dict(cached)


def _size(value) -> int:
    """Patterns (or items) a parameter holds, to keep large ones out of records."""
    if isinstance(value, Frames):
        value = value.to_dict()
    if isinstance(value, dict):
        return sum(len(v["patterns"]) if isinstance(v, dict) and "patterns" in v
                   else len(v) if isinstance(v, (list, tuple)) else 1 for v in value.values())
    if isinstance(value, (list, tuple)):
        return len(value)
    return 1


def files_digest(paths, glob: str | None = None) -> dict:
    """Files a streamed call read, for its record: how many, and the SHA-256 of their
    names, sizes and modification times (not their bytes: hashing gigabytes again would
    cost as much as the scan)."""
    import glob as globbing

    found = []
    for p in [paths] if isinstance(paths, (str, Path)) else list(paths):
        p = Path(p)
        if p.is_dir():
            found += [f for f in p.rglob(glob or "*") if f.is_file()]
        elif p.exists():
            found.append(p)
        else:
            found += [Path(f) for f in globbing.glob(str(p), recursive=True)]
    stats = sorted((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in found)
    return {"fingerprint": None, "documents": None, "files": len(stats),
            "files_sha256": _sha256(_canonical(stats))}


def _jsonable(value):
    """A parameter as JSON; what JSON cannot hold, and dictionaries or lists of more than
    :data:`MAX_RECORDED` items (pandas copies ``attrs`` with every operation), are
    recorded by type and hash, and must be given again to :meth:`RunRecord.rerun`."""
    if isinstance(value, (Frames, dict, list, tuple)) and _size(value) > MAX_RECORDED:
        definition = value.to_dict() if isinstance(value, Frames) else value
        return {"__given__": f"{type(value).__name__} of {_size(value):,} items",
                "sha256": _sha256(_canonical(definition))}
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (list, tuple)) and any(isinstance(v, os.PathLike) for v in value):
        value = [os.fspath(v) if isinstance(v, os.PathLike) else v for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, Frames):
        return {"__frames__": value.to_dict(), "name": value.name}
    if isinstance(value, (list, tuple)) and all(
            v is None or isinstance(v, (bool, str, int, float, np.integer, np.floating)) for v in value):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        try:
            json.dumps(value)
            return {"__dict__": value}
        except TypeError:
            pass
    if hasattr(value, "native") and hasattr(value, "meta"):  # a Corpus
        return {"__given__": "Corpus", "fingerprint": corpus_digest(value)["fingerprint"],
                "fingerprint_version": FINGERPRINT_VERSION}
    digest = None
    if isinstance(value, (pd.Series, pd.DataFrame)):
        digest = _sha256(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, np.ndarray):
        digest = _sha256(np.ascontiguousarray(value).tobytes())
    return {"__given__": type(value).__name__, "sha256": digest}


def _restore(name: str, value, overrides: dict):
    if name in overrides:
        return overrides[name]
    if isinstance(value, dict):
        if "__frames__" in value:
            return Frames(value["__frames__"])
        if "__dict__" in value:
            return value["__dict__"]
        if "__given__" in value:
            raise ValueError(f"the recorded call was given a {value['__given__']} as {name}=, "
                             f"which a record cannot hold: pass it again, rerun(corpus, {name}=...)")
    if isinstance(value, list):
        return list(value)
    return value


@dataclass(frozen=True)
class RunRecord:
    """What made a result: ``call`` (``"Corpus.frame_trends"``, ``"expand"``, ...), its
    ``parameters``, the ``corpus`` (fingerprint, documents, metadata hash), the
    ``tokenizer`` settings, the ``dictionary`` (name, frames, SHA-256; None when the call
    takes none), the package ``versions`` and when it ran (``created``, UTC)."""

    call: str
    parameters: dict
    corpus: dict
    tokenizer: dict
    dictionary: dict | None
    versions: dict
    created: str
    parent: dict | None = field(default=None)

    def to_dict(self) -> dict:
        """The record as plain JSON-able data."""
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        """The record as JSON."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)  # order kept: frames

    @classmethod
    def from_dict(cls, data: dict) -> RunRecord:
        """A record from :meth:`to_dict`'s data (unknown keys are an error)."""
        names = {f.name for f in fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"not a framescope run record: unknown keys {sorted(unknown)}")
        return cls(**data)

    @classmethod
    def from_json(cls, text: str) -> RunRecord:
        """A record from :meth:`to_json`'s text."""
        return cls.from_dict(json.loads(text))

    def footer(self) -> str:
        """One line for a figure: version, call, dictionary and corpus hashes, date."""
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items()
                           if not isinstance(v, dict) and k not in _DICTIONARY_PARAMETERS
                           and v is not None and v is not False and k != "progress")
        parts = [f"framescope {self.versions.get('framescope', '?')}",
                 f"{self.call.split('.')[-1]}({params})"]
        if self.dictionary:
            parts.append(f"dictionary {self.dictionary['name']} {self.dictionary['sha256'][:10]}")
        if self.corpus.get("fingerprint"):
            parts.append(f"corpus {self.corpus['fingerprint'][:10]} ({self.corpus['documents']:,} docs)")
        else:
            parts.append(f"{self.corpus.get('files', 0):,} files {self.corpus.get('files_sha256', '')[:10]} "
                         f"({self.corpus.get('documents') or 0:,} docs)")
        parts.append(self.created[:10])
        return " · ".join(parts)

    def rerun(self, corpus=None, check: bool = True, **overrides):
        """The recorded call made again on ``corpus`` with the recorded parameters and
        tokenizer settings: the same result when it is the same corpus. With ``check``,
        a corpus whose fingerprint differs is a ``ValueError``. Parameters a record could
        not hold (a Series, a DataFrame of labels, another corpus) are given again as
        keyword arguments. A streamed call (``scan``) takes no corpus: it reads its files
        again, after checking (with ``check``) that they are the recorded ones."""
        if self.corpus.get("files_sha256") is not None:
            kwargs = {k: _restore(k, v, overrides) for k, v in self.parameters.items()}
            if check and files_digest(kwargs["path"], kwargs.get("glob"))["files_sha256"] != self.corpus["files_sha256"]:
                raise ValueError("the files have changed since the recorded call (names, sizes or "
                                 "modification times); pass check=False to run on them anyway")
            return _CALLS[self.call](**kwargs)
        if corpus is None:
            raise ValueError(f"{self.call} ran on a corpus: pass it, rerun(corpus)")
        if self.corpus.get("dask_token") is not None:
            if check and collection_digest(corpus)["dask_token"] != self.corpus["dask_token"]:
                raise ValueError("this Dask collection is not the recorded one (its token "
                                 "differs); pass check=False to run on it anyway")
            kwargs = {k: _restore(k, v, overrides) for k, v in self.parameters.items()}
            return _CALLS[self.call](corpus, **kwargs)
        version = self.corpus.get("fingerprint_version", 1)
        if check and corpus_fingerprint(corpus, version) != self.corpus["fingerprint"]:
            raise ValueError(
                f"this corpus (fingerprint {corpus_fingerprint(corpus, version)[:12]}, "
                f"{len(corpus)} documents) is not the recorded one "
                f"({self.corpus['fingerprint'][:12]}, {self.corpus['documents']} documents); "
                "pass check=False to run on it anyway")
        if self.tokenizer and tokenizer_settings(corpus.tokenizer) != self.tokenizer:
            corpus = corpus.with_tokenizer(**self.tokenizer)
        kwargs = {k: _restore(k, v, overrides) for k, v in self.parameters.items()}
        kwargs.update({k: v for k, v in overrides.items() if k not in kwargs})
        positional = kwargs.pop(_POSITIONAL, [])
        if self.call.startswith("TrendTable."):
            if self.parent is None:
                raise ValueError("the record has no parent record to make the trend table from")
            table = RunRecord.from_dict(self.parent).rerun(corpus, check=check)
            return getattr(table, self.call.split(".", 1)[1])(**kwargs)
        if self.call.startswith("Corpus."):
            return getattr(corpus, self.call.split(".", 1)[1])(*positional, **kwargs)
        if self.call not in _CALLS:
            raise ValueError(f"no framescope function {self.call!r} to run again")
        return _CALLS[self.call](corpus, *positional, **kwargs)


def streamed_record(call: str, parameters: dict, tokenizer, documents: int) -> RunRecord:
    """A record of a call that streamed files (``scan``): the files' digest in place of a
    corpus fingerprint."""
    corpus = files_digest(parameters["path"], parameters.get("glob"))
    corpus["documents"] = int(documents)
    frames = parameters.get("frames")
    return RunRecord(
        call=call, parameters={k: _jsonable(v) for k, v in parameters.items()}, corpus=corpus,
        tokenizer=tokenizer_settings(tokenizer),
        dictionary=dictionary_digest(frames) if frames is not None else None,
        versions={"framescope": _version("framescope"), "python": platform.python_version(),
                  "numpy": np.__version__, "pandas": pd.__version__},
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def register(call: str, fn) -> None:
    """Lets records of ``call`` run ``fn`` again."""
    _CALLS[call] = fn


def collection_digest(data) -> dict:
    """What identifies a Dask collection (or any data a function reads in pieces): Dask's
    own deterministic token of it (its graph and, for in-memory data, the data), and its
    partitions."""
    from dask.base import tokenize

    return {"fingerprint": None, "documents": None, "dask_token": tokenize(data),
            "partitions": getattr(data, "npartitions", None)}


def make_record(call: str, corpus, parameters: dict, parent: RunRecord | None = None) -> RunRecord:
    """A record of ``call`` on ``corpus`` (a Corpus, or a Dask collection) with
    ``parameters`` (bound arguments)."""
    is_corpus = hasattr(corpus, "native") and hasattr(corpus, "tokenizer")
    dictionary = None
    for name in _DICTIONARY_PARAMETERS:
        if parameters.get(name) is not None:
            dictionary = dictionary_digest(parameters[name])
            break
    return RunRecord(
        call=call,
        parameters={k: _jsonable(v) for k, v in parameters.items()},
        corpus=corpus_digest(corpus) if is_corpus else collection_digest(corpus),
        tokenizer=tokenizer_settings(corpus.tokenizer if is_corpus else _core.TokenizerSpec()),
        dictionary=dictionary,
        versions={"framescope": _version("framescope"), "python": platform.python_version(),
                  "numpy": np.__version__, "pandas": pd.__version__},
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        parent=parent.to_dict() if parent is not None else None,
    )


def derived_record(call: str, parent: RunRecord, parameters: dict) -> RunRecord:
    """A record of ``call`` made on a result that has ``parent``'s record (for example
    ``TrendTable.correct``): the parent's corpus, tokenizer and dictionary."""
    return RunRecord(
        call=call, parameters={k: _jsonable(v) for k, v in parameters.items()},
        corpus=parent.corpus, tokenizer=parent.tokenizer, dictionary=parent.dictionary,
        versions=parent.versions,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        parent=parent.to_dict())


def attach(result, record: RunRecord):
    """Puts ``record`` on ``result``: a table's ``attrs``, else the object (and its
    tables, for result objects such as :class:`framescope.semantic.Neighbours`)."""
    if isinstance(result, pd.DataFrame):
        result.attrs[KEY] = record.to_dict()
        return result
    if is_dataclass(result) and not isinstance(result, type):
        for f in fields(result):
            value = getattr(result, f.name)
            if isinstance(value, pd.DataFrame):
                value.attrs[KEY] = record.to_dict()
    try:
        result.framescope_record = record
    except AttributeError:
        pass
    return result


def recorded(call: str):
    """Decorates an analysis (a ``Corpus`` method, or a function whose first argument is
    the corpus) so that its result carries a :class:`RunRecord` of the call."""

    def wrap(fn):
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def run(corpus, *args, **kwargs):
            result = fn(corpus, *args, **kwargs)
            bound = signature.bind(corpus, *args, **kwargs)
            bound.apply_defaults()
            params = dict(list(bound.arguments.items())[1:])
            for name, p in signature.parameters.items():
                if p.kind is inspect.Parameter.VAR_KEYWORD and name in params:
                    params.update(params.pop(name))
                elif p.kind is inspect.Parameter.VAR_POSITIONAL and name in params:
                    extra = params.pop(name)
                    if extra:
                        params[_POSITIONAL] = list(extra)
            return attach(result, make_record(call, corpus, params))

        if not call.startswith("Corpus."):
            _CALLS[call] = run
        return run

    return wrap


def provenance(obj) -> RunRecord | None:
    """The run record of a result, a table read by :func:`read_table`, a figure or its
    axes; None if it has none.

    Examples
    --------
    >>> import framescope as fs
    >>> c = fs.Corpus.from_texts(["the collective West"], dates=["2024-01-01"])
    >>> t = c.frame_trends({"west": ["collective West"]})
    >>> r = fs.provenance(t)
    >>> r.call, r.parameters["by"], r.dictionary["frames"], r.corpus["documents"]
    ('Corpus.frame_trends', 'year', 1, 1)
    >>> r.rerun(c).equals(t)
    True
    """
    attrs = getattr(obj, "attrs", None)
    if isinstance(attrs, dict) and KEY in attrs:
        return RunRecord.from_dict(attrs[KEY])
    if isinstance(obj, np.ndarray) and obj.size:  # an array of axes
        obj = obj.flat[0]
    for holder in (obj, getattr(obj, "figure", None)):
        record = getattr(holder, "framescope_record", None) if holder is not None else None
        if isinstance(record, RunRecord):
            return record
    return None


def footer(fig, source) -> None:
    """Writes the run record of ``source`` (a table or result) under ``fig`` and keeps it
    on the figure; nothing when it has none."""
    record = provenance(source)
    if record is None:
        return
    fig.framescope_record = record
    fig.text(0.995, 0.003, record.footer(), fontsize=6, color="#888888", ha="right", va="bottom")


def sidecar(path: str | Path) -> Path:
    """Where a file's metadata sidecar goes: ``NAME-metadata.json`` (CSVW's name for a
    CSV file's metadata)."""
    path = Path(path)
    return path.with_name(path.name + "-metadata.json")


def write_sidecar(path: str | Path, record: RunRecord | None) -> Path | None:
    """Writes ``record`` beside ``path`` as CSVW metadata; None when there is no record."""
    if record is None:
        return None
    meta = {"@context": "http://www.w3.org/ns/csvw", "url": Path(path).name,
            "dc:creator": f"framescope {record.versions.get('framescope', '?')}",
            KEY: record.to_dict()}
    out = sidecar(path)
    out.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Writes a result table with its run record: ``.parquet`` (the record in the file's
    key-value metadata under ``framescope``, read by any Arrow reader) or ``.csv`` (UTF-8,
    with the record in the CSVW sidecar ``NAME.csv-metadata.json``). Returns the path.

    >>> import framescope as fs, tempfile, os
    >>> c = fs.Corpus.from_texts(["the collective West"], dates=["2024-01-01"])
    >>> t = c.frame_trends({"west": ["collective West"]})
    >>> d = tempfile.mkdtemp()
    >>> p = fs.write_table(t, os.path.join(d, "trends.csv"))
    >>> fs.provenance(fs.read_table(p)).call
    'Corpus.frame_trends'
    """
    path = Path(path)
    record = provenance(table)
    frame = pd.DataFrame(table).reset_index(drop=True)
    frame.attrs = {}
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        arrow = pa.Table.from_pandas(frame, preserve_index=False)
        if record is not None:
            meta = dict(arrow.schema.metadata or {})
            meta[KEY.encode()] = record.to_json(indent=None).encode()
            arrow = arrow.replace_schema_metadata(meta)
        pq.write_table(arrow, path)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
        write_sidecar(path, record)
    else:
        raise ValueError(f"write_table writes .csv or .parquet files, not {path.name!r}")
    return path


def read_table(path: str | Path) -> pd.DataFrame:
    """A table written by :func:`write_table` (or the CLI), with its run record back in
    ``attrs`` (from the Parquet metadata or the CSV's sidecar)."""
    path = Path(path)
    record = None
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        arrow = pq.read_table(path)
        raw = (arrow.schema.metadata or {}).get(KEY.encode())
        record = json.loads(raw) if raw else None
        frame = arrow.to_pandas()
    else:
        frame = pd.read_csv(path)
        car = sidecar(path)
        if car.exists():
            record = json.loads(car.read_text(encoding="utf-8")).get(KEY)
    frame.attrs = {}
    if record is not None:
        frame.attrs[KEY] = record
    return frame
