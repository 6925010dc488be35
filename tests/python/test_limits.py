"""Issue 15 (partly): inputs that blew up memory or gave bare Python errors."""

import numpy as np
import pytest

import framescope as fs


def test_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    # "Billion laughs" through the quanteda layout: 9 levels of 9 aliases is 9**9 frames.
    lines = ["a0: &a0 [x]"]
    for k in range(1, 10):
        lines.append(f"a{k}: &a{k} {{{', '.join(f'k{j}: *a{k - 1}' for j in range(9))}}}")
    lines.append("bomb: *a9")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 2000
    with pytest.raises(ValueError, match=r"bomb\.yaml: the dictionary expands to more than 1,000,000"):
        fs.Frames.from_file(path)
    # The limit can be raised (read at call time).
    import framescope.frames as frames_module

    old = frames_module.MAX_DICTIONARY_ENTRIES
    try:
        frames_module.MAX_DICTIONARY_ENTRIES = 10
        (tmp_path / "eleven.yaml").write_text("a: [x, y, z, u, v, w, s, t, q]\n", encoding="utf-8")
        with pytest.raises(ValueError, match="more than 10 entries"):
            fs.Frames.from_file(tmp_path / "eleven.yaml")
        frames_module.MAX_DICTIONARY_ENTRIES = 11
        assert fs.Frames.from_file(tmp_path / "eleven.yaml").names == ["a"]
    finally:
        frames_module.MAX_DICTIONARY_ENTRIES = old
    # Anchors used as intended still work.
    (tmp_path / "ok.yaml").write_text("west: &w [collective West]\nwest2: *w\n", encoding="utf-8")
    assert fs.Frames.from_file(tmp_path / "ok.yaml").names == ["west", "west2"]


def test_latin1_dictionary_is_a_clear_error(tmp_path):
    (tmp_path / "l1.yaml").write_bytes("café: [café]\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"l1\.yaml: not UTF-8 \(invalid byte at offset 3\)"):
        fs.Frames.from_file(tmp_path / "l1.yaml")


def test_corpus_indexing_edge_cases():
    c = fs.Corpus.from_texts(["a", "b", "c"])
    assert len(c[[]]) == 0
    assert c[[-1, 0]].texts == ["c", "a"]
    with pytest.raises(IndexError, match="document -100 out of range for 3 documents"):
        c[[-100]]
    with pytest.raises(IndexError, match="document 3 out of range"):
        c[np.array([0, 3])]


def test_numpy_scalars_are_accepted_as_numbers():
    c = fs.Corpus.from_texts(["the West", "the West", "other"])
    assert len(c.dedup(threshold=np.float32(0.5))) == 2


def test_thread_count_is_capped_with_a_warning():
    try:
        with pytest.warns(UserWarning, match=r"set_num_threads\(10000\): capped at"):
            fs.set_num_threads(10000)
        assert 8 <= fs.get_num_threads() < 10000
        with pytest.raises(ValueError, match="non-negative int"):
            fs.set_num_threads(-1)
    finally:
        fs.set_num_threads(0)


FORK_SCRIPT = r"""
import multiprocessing, sys
import framescope as fs

TEXTS = [f"the collective West and the Global Majority, text {i}" for i in range(20000)]
DATES = [f"{2015 + i % 10}-06-01" for i in range(20000)]
FRAMES = {"west": ["collective West"], "majority": ["Global Majority"]}

def trend(_):
    t = fs.Corpus.from_texts(TEXTS, dates=DATES).frame_trends(FRAMES, by="year")
    return t[["period", "frame", "hits", "docs"]].to_dict("list")

if __name__ == "__main__":
    fs.set_num_threads(int(sys.argv[1]))
    want = trend(0)  # the parent's pool has run
    with multiprocessing.get_context("fork").Pool(4) as pool:
        got = pool.map(trend, range(4))
    assert all(g == want for g in got), "children differ"
    print("ok", sum(want["hits"]))
"""


@pytest.mark.parametrize("threads", [0, 2])
def test_forked_children_use_framescope_normally(tmp_path, threads):
    import subprocess
    import sys

    script = tmp_path / "fork_check.py"
    script.write_text(FORK_SCRIPT, encoding="utf-8")
    r = subprocess.run([sys.executable, str(script), str(threads)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["ok", "40000"]


def test_lone_surrogates_like_scikit_learn_in_vectorizers_named_elsewhere():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    # A bad JSON escape ("\ud800") leaves a lone surrogate in a Python str.
    docs = ["the \ufffd West\ud800s sanctions", "sanctions again", "\udcff"]
    for ours, theirs in [(fs.CountVectorizer(), CountVectorizer()),
                         (fs.TfidfVectorizer(), TfidfVectorizer())]:
        a, b = ours.fit_transform(docs), theirs.fit_transform(docs)
        assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
        assert abs(a - b).max() < 1e-12
    with pytest.raises(ValueError, match="text 1 holds a lone surrogate .* at character 7"):
        fs.Corpus.from_texts(["ok", "bad \ufffd x\ud800"])


def test_an_outlying_date_does_not_blow_up_the_trend(tmp_path):
    # 1,000 documents from 2023 and one from 1066 (a history post), by day: the span is
    # 349,000 days; only days with documents are rows, with a warning.
    texts = ["the collective West"] * 1000 + ["the Norman conquest"]
    dates = [f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}" for i in range(1000)] + ["1066-10-14"]
    c = fs.Corpus.from_texts(texts, dates=dates)
    with pytest.warns(UserWarning, match=r"dates run from 1066-10-14 to 2023-12-28 .* only 85 days hold"):
        t = c.frame_trends({"w": ["collective West"]}, by="day")
    assert len(t) == 85 and t["docs"].sum() == 1001 and t["hits"].sum() == 1000
    # The same rows through fs.scan.
    path = tmp_path / "p.jsonl"
    import json
    path.write_text("".join(json.dumps({"text": x, "date": d}) + "\n" for x, d in zip(texts, dates, strict=True)))
    with pytest.warns(UserWarning, match="left out"):
        s = fs.scan(path, {"w": ["collective West"]}, by="day", terms=False, clean=False)
    assert list(s.trends["period"]) == list(t["period"]) and list(s.trends["hits"]) == list(t["hits"])
    # Ordinary gaps still show: two years apart by year.
    t2 = fs.Corpus.from_texts(["a", "b"], dates=["2020-01-01", "2023-01-01"]).frame_trends({"a": ["a"]})
    assert list(t2["period"]) == ["2020", "2021", "2022", "2023"]


def test_glob_expansion_is_capped_for_the_whole_dictionary():
    # 800 "a…" and 800 "b…" words: "a* b*" is 640,000 sequences, under the per-pattern
    # cap; four such patterns together pass the dictionary cap of 2,000,000.
    text = " ".join(f"a{i} b{i}" for i in range(800))
    c = fs.Corpus.from_texts([text])
    assert c.frame_counts({"one": ["a* b*"]})["one"].iloc[0] == 800
    frames = {f"f{k}": ["a* b*"] for k in range(4)}
    with pytest.raises(ValueError, match=r"together expand to more than 2000000 token sequences"):
        c.frame_counts(frames)


def run_limited(tmp_path, code: str, limit_gb: float = 3.0, timeout: int = 300):
    """Runs `code` in a fresh interpreter whose address space is capped by
    RLIMIT_AS (set in the child before framescope is imported): exceeding it is a
    MemoryError or an abort there, never a stalled test machine."""
    import subprocess
    import sys
    import textwrap

    script = tmp_path / "limited.py"
    script.write_text(
        "import resource\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({int(limit_gb * 2**30)}, {int(limit_gb * 2**30)}))\n"
        + textwrap.dedent(code), encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=timeout)


def test_many_terms_and_frames_cost_memory_for_what_occurs(tmp_path):
    # 60,000 terms once asked for a 60,000 x 60,000 overlap table (28.8 GB) and aborted;
    # 100,000 frames on one document likewise. Under a 3 GB address-space cap (the
    # interpreter with numpy and pandas takes about 1.8 GB of it) they now finish.
    r = run_limited(tmp_path, """
        import numpy as np, framescope as fs
        texts = ["term7 and term59999 and term7", "nothing", "term123 term124"] * 5
        dates = ["2021-01-01", "2022-01-01", "2023-01-01"] * 5
        c = fs.Corpus.from_texts(texts, dates=dates)
        terms = [f"term{k}" for k in range(60000)]
        t = c.term_trends(terms)
        assert len(t) == 3 * 60000, len(t)
        hits = t.set_index(["period", "frame"])["hits"]
        assert hits[("2021", "term7")] == 10 and hits[("2021", "term59999")] == 5
        assert hits[("2023", "term123")] == 5 and t["hits"].sum() == 25
        d = c.distribution(terms=terms)
        assert d.values.shape == (3, 60000) and d.values.sum() == 25
        # 100,000 frames on one document; frames 0..2 overlap pairwise on "b c".
        frames = {f"f{k}": [f"w{k}"] for k in range(100000)}
        frames.update({"f0": ["a b c"], "f1": ["b c"], "f2": ["c d"]})
        one = fs.Corpus.from_texts(["a b c d w99999"])
        counts = one.frame_counts(frames)
        assert counts.shape == (1, 100000) and int(counts.sum().sum()) == 4
        over = one.frame_overlaps(frames)
        assert over.shape == (100000, 100000)
        got = {(a, b): int(over.loc[a, b]) for a in ["f0", "f1", "f2"] for b in ["f0", "f1", "f2"]}
        assert got == {("f0", "f0"): 0, ("f0", "f1"): 1, ("f0", "f2"): 1,
                       ("f1", "f0"): 1, ("f1", "f1"): 0, ("f1", "f2"): 1,
                       ("f2", "f0"): 1, ("f2", "f1"): 1, ("f2", "f2"): 0}, got
        assert int(over.sparse.to_coo().sum()) == 6
        co = one.frame_cooccurrence(frames)
        assert int(co.loc["f0", "f2"]) == 1 and int(co.loc["f3", "f3"]) == 0
        print("ok")
    """)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_bootstrap_memory_does_not_grow_with_resamples(tmp_path):
    # Peak memory with 2,000 and with 400,000 resamples (20 frames, 3 periods): the
    # old implementation kept every resample (about 400 MB more here); now the core
    # re-draws resamples instead of storing them.
    r = run_limited(tmp_path, """
        import resource, framescope as fs
        texts = [f"west {'majority ' * (i % 3)} text {i}" for i in range(90)]
        dates = [f"{2020 + i % 3}-03-01" for i in range(90)]
        c = fs.Corpus.from_texts(texts, dates=dates)
        frames = {f"f{k}": ["west"] if k % 2 else ["majority"] for k in range(20)}
        small = c.frame_trends(frames, bootstrap=2000, seed=3)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        big = c.frame_trends(frames, bootstrap=400_000, seed=3)
        grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert grew < 40, f"peak grew by {grew:.0f} MB"
        # Both bracket the estimate; with more resamples the bounds barely move.
        for t in (small, big):
            assert ((t["ci_low"] <= t["per_10k"]) & (t["per_10k"] <= t["ci_high"])).all()
        assert (abs(big["ci_high"] - small["ci_high"]) < 0.1 * big["per_10k"] + 1e-9).all()
        print("ok")
    """)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_bootstrap_is_the_same_for_any_thread_count():
    c = fs.Corpus.from_texts([f"west {'west ' * (i % 4)} x{i}" for i in range(60)],
                             dates=[f"{2020 + i % 2}-01-01" for i in range(60)])
    runs = []
    for n in (1, 2):
        fs.set_num_threads(n)
        runs.append(c.frame_trends({"w": ["west"]}, bootstrap=3000, seed=11))
    fs.set_num_threads(0)
    cols = ["ci_low", "ci_high", "share_ci_low", "share_ci_high"]
    assert runs[0][cols].equals(runs[1][cols])
    with pytest.raises(ValueError, match="seed must be"):
        c.frame_trends({"w": ["west"]}, bootstrap=100, seed=-1)


def gzip_bomb(path, piece: bytes, repeats: int, head: bytes = b"") -> None:
    """A gzip file of `head` then `piece` `repeats` times, written as repeated gzip
    members (readers concatenate them): gigabytes decompressed from a small file."""
    import gzip

    member = gzip.compress(piece, compresslevel=9)
    with open(path, "wb") as f:
        f.write(gzip.compress(head))
        for _ in range(repeats):
            f.write(member)


def test_decompression_bombs_stop_at_the_record_limit(tmp_path):
    # 2 GiB of "a" without a line break in a ~2 MB .gz, as text, JSONL, CSV and via
    # fs.scan: each stops at the record limit with an error naming the file and
    # where, inside a 4 GB address space (the interpreter takes about 1.8 GB of it).
    chunk = b"a" * (1 << 20)
    gzip_bomb(tmp_path / "bomb.txt.gz", chunk, 2048)
    gzip_bomb(tmp_path / "bomb.jsonl.gz", chunk, 2048, head=b'{"text": "ok"}\n{"text": "')
    gzip_bomb(tmp_path / "bomb.csv.gz", chunk, 2048, head=b'text,date\nfine,2023-01-01\n"')
    assert (tmp_path / "bomb.txt.gz").stat().st_size < 4_000_000
    r = run_limited(tmp_path, f"""
        import framescope as fs
        d = {str(tmp_path)!r}
        def err(f, **kw):
            try:
                f(**kw)
            except fs.InputError as e:
                return str(e)
            raise AssertionError("no error")
        # The default limit (512 MiB) on the text file.
        e = err(lambda: fs.read(d + "/bomb.txt.gz"))
        assert "bomb.txt.gz: one record is longer than max_record_bytes (536870912 bytes" in e, e
        # A smaller limit everywhere.
        small = 8 << 20
        e = err(lambda: fs.read(d + "/bomb.jsonl.gz", max_record_bytes=small))
        assert "bomb.jsonl.gz:2: one record is longer than max_record_bytes (8388608" in e, e
        assert "the line starts at byte 15 of the file" in e, e
        e = err(lambda: fs.read(d + "/bomb.csv.gz", max_record_bytes=small))
        assert "bomb.csv.gz:3: one record is longer than max_record_bytes (8388608" in e, e
        e = err(lambda: fs.scan(d + "/bomb.jsonl.gz", {{"w": ["a"]}}, max_record_bytes=small))
        assert "bomb.jsonl.gz:2: one record is longer" in e, e
        e = err(lambda: fs.scan(d + "/bomb.txt.gz", {{"w": ["a"]}}))
        assert "bomb.txt.gz: one record is longer" in e, e
        print("ok")
    """, limit_gb=4.0)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="max_record_bytes must be a positive int"):
            fs.read(tmp_path / "bomb.txt.gz", max_record_bytes=bad)


def test_a_flood_of_line_breaks_reads_in_constant_memory(tmp_path):
    # 512 MiB of "\n" (a 0.5 MB .gz): as JSONL it is an empty file (said so), read
    # without holding a record per blank line; real records among them are kept.
    gzip_bomb(tmp_path / "empty.jsonl.gz", b"\n" * (1 << 20), 512)
    gzip_bomb(tmp_path / "two.jsonl.gz", b"\n" * (1 << 20), 512, head=b'{"text": "first"}\n')
    with open(tmp_path / "two.jsonl.gz", "ab") as f:
        import gzip

        f.write(gzip.compress(b'{"text": "last"}\n'))
    r = run_limited(tmp_path, f"""
        import resource, framescope as fs
        d = {str(tmp_path)!r}
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            fs.read(d + "/empty.jsonl.gz")
            raise AssertionError("no error")
        except fs.InputError as e:
            assert "empty.jsonl.gz: the file is empty" in str(e), e
        c = fs.read(d + "/two.jsonl.gz")
        assert c.texts == ["first", "last"], c.texts
        assert c.ids == ["two.jsonl.gz#1", f"two.jsonl.gz#{{2 + 512 * 2**20}}"], c.ids
        grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        assert grew < 200, f"peak grew by {{grew:.0f}} MB"
        print("ok")
    """)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_ctrl_c_stops_reading_inside_one_long_record(tmp_path):
    # A JSONL line that never ends, arriving through a pipe (a slow mount, a
    # decompressor): SIGINT stops the read within a second, as KeyboardInterrupt.
    import os
    import signal
    import subprocess
    import sys
    import time

    fifo = tmp_path / "endless.jsonl"
    os.mkfifo(fifo)
    script = tmp_path / "reader.py"
    script.write_text(
        "import sys, framescope as fs\n"
        "try:\n"
        f"    fs.read({str(fifo)!r}, max_record_bytes=1 << 40)\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', flush=True)\n"
        "    sys.exit(3)\n", encoding="utf-8")
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    sent_at = None
    try:
        with open(fifo, "wb") as w:  # blocks until the child opens the pipe
            w.write(b'{"text": "')
            start = time.monotonic()
            while child.poll() is None and time.monotonic() - start < 60:
                try:
                    w.write(b"a" * 65536)
                    w.flush()
                except BrokenPipeError:
                    break
                if sent_at is None and time.monotonic() - start > 1.0:
                    child.send_signal(signal.SIGINT)
                    sent_at = time.monotonic()
                time.sleep(0.002)
    except BrokenPipeError:
        pass
    out, err = child.communicate(timeout=30)
    stopped_after = time.monotonic() - sent_at
    assert child.returncode == 3 and out.strip() == "interrupted", err[-2000:]
    assert stopped_after < 10, stopped_after  # not when the writer gives up after 60 s


def test_cli_takes_a_record_limit(tmp_path):
    import subprocess
    import sys

    gzip_bomb(tmp_path / "big.txt.gz", b"a " * (1 << 19), 4)  # 4 MiB of text, one file
    cmd = [sys.executable, "-m", "framescope", "trends", str(tmp_path / "big.txt.gz")]
    r = subprocess.run(cmd + ["--max-record-bytes", "1M"], capture_output=True, text=True)
    assert r.returncode == 1 and "one record is longer than max_record_bytes (1048576 bytes" in r.stderr
    r = subprocess.run(cmd + ["--max-record-bytes", "0"], capture_output=True, text=True)
    assert r.returncode == 2 and "expected a size such as 2G" in r.stderr


def test_a_record_the_machine_cannot_hold_is_a_memory_error(tmp_path):
    # With the record limit lifted, a 4 GiB JSONL line under a 3 GB address space
    # once aborted the interpreter ("memory allocation of 4294967296 bytes
    # failed"); buffers are now reserved fallibly: MemoryError, and the process lives.
    gzip_bomb(tmp_path / "huge.jsonl.gz", b"a" * (1 << 20), 4096, head=b'{"text": "')
    r = run_limited(tmp_path, f"""
        import framescope as fs
        try:
            fs.read({str(tmp_path / "huge.jsonl.gz")!r}, max_record_bytes=1 << 40)
            raise AssertionError("no error")
        except MemoryError as e:
            assert "not enough memory for reading" in str(e) and "huge.jsonl.gz" in str(e), e
        # Still usable afterwards.
        c = fs.Corpus.from_texts(["the collective West"])
        assert int(c.frame_counts({{"w": ["collective West"]}}).iloc[0, 0]) == 1
        print("ok")
    """, limit_gb=3.0)
    assert r.returncode == 0, (r.returncode, r.stderr[-3000:])
    assert r.stdout.strip() == "ok"


def test_scan_reads_csv_in_batches_with_the_same_result(tmp_path):
    # A CSV (CRLF, quoted multi-line fields) once went through fs.scan whole; it is
    # now read batch_mb at a time, with the same trends, line numbers and report.
    rows = ["text,date,channel"]
    for i in range(300):
        body = f'"post {i}: the collective West\r\nand the ""Global Majority"""' if i % 7 == 0 \
            else f"post {i} about sanctions"
        rows.append(f"{body},{2020 + i % 4}-05-01,c{i % 3}")
    rows.append("broken,row")  # skipped: two fields of three
    (tmp_path / "posts.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode())
    frames = {"west": ["collective West"], "majority": ["Global Majority"]}
    with pytest.warns(UserWarning):
        whole = fs.read(tmp_path / "posts.csv", errors="skip")
    want = whole.frame_trends(frames)
    with pytest.warns(UserWarning):
        got = fs.scan(tmp_path / "posts.csv", frames, batch_mb=0.001, errors="skip", clean=False,
                      terms=False)
    assert got.batches > 5 and got.docs == 300
    cols = ["period", "frame", "hits", "docs", "tokens"]
    assert got.trends[cols].to_dict("list") == want[cols].to_dict("list")
    assert int(want.loc[want["frame"] == "west", "hits"].sum()) == 43
    skipped = got.read_report[got.read_report["kind"] == "skipped_record"]
    assert list(skipped["source"].str.rsplit("/", n=1).str[-1]) == ["posts.csv:345"]


def test_counts_per_period_cost_what_occurs(tmp_path):
    # 2,000 posts on 2,000 different days, 200,000 distinct words: counting n-grams per
    # day once held a 2,000-wide row for every word (3.2 GB and an abort under this
    # cap); counts per (term, period) that occur are stored now.
    r = run_limited(tmp_path, """
        import numpy as np, pandas as pd, framescope as fs
        days = pd.date_range("2015-01-01", periods=2000, freq="D")
        texts = [" ".join(f"u{i}x{k}" for k in range(100)) + " the sanctions" * (1 + (i >= 1500) * 9)
                 for i in range(2000)]
        c = fs.Corpus.from_texts(texts, dates=list(days))
        e = c.emerging(by="day", size=1, min_count=5, stop_words=None, top=None)
        assert set(e["term"]) <= {"the", "sanctions"} and len(e), e.head()
        top = e[e["term"] == "sanctions"].iloc[0]
        assert top["start"] == "2019-02-09", top  # day 1500: ten times the use
        k = fs.keyness(c, "2019-02-09-2020-12-31", size=1, top=3)
        assert set(k["term"]) >= {"sanctions"}, k
        d = c.distribution(by="year", size=1, min_count=1000, stop_words=None)
        assert d.terms == ["sanctions", "the"] and int(d.values.sum()) == 2 * (1500 + 500 * 10)
        # Every word per day: 2,000 x 200,002 cells, 3.2 GB dense (an abort under this
        # cap); sparse, it holds the 213,000 counts that occur.
        import scipy.sparse as sp
        d = c.distribution(by="day", size=1, stop_words=None)
        assert sp.issparse(d.values) and d.values.shape == (2000, 200002), d.values.shape
        assert int(d.values.sum()) == 2000 * 100 + 2 * (1500 + 500 * 10)
        assert d.values[1500, d.terms.index("sanctions")] == 10
        per = c.distribution(by="day", size=1, stop_words=None, normalize="per_10k")
        assert abs(per.values[1500, d.terms.index("sanctions")] - 1e4 * 10 / 120) < 1e-9
        print("ok")
    """)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_records_with_keys_of_their_own_keep_every_value_in_bounded_memory(tmp_path):
    """A scrape whose records each bring their own key (a URL, a user id) made a
    metadata table of records x keys: 100,000 records, 10^10 cells, an abort. The most
    frequent fields stay columns, the rest of each record is JSON in ``extra_fields``,
    the read report and a warning say so, and every value read is in one of them."""
    import json

    n = 100_000
    (tmp_path / "p.jsonl").write_text("".join(
        json.dumps({"text": f"post {i}", "lang": "ru", f"https://t.me/x/{i}": i}) + "\n"
        for i in range(n)), encoding="utf-8")
    r = run_limited(tmp_path, f"""
        import json, warnings, framescope as fs
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            c = fs.read({str(tmp_path / "p.jsonl")!r})
        assert any("as JSON" in str(x.message) for x in w), [str(x.message) for x in w]
        m = c.meta
        assert m.shape[0] == {n} and {{"lang", "https://t.me/x/0"}} <= set(m.columns)
        assert m.columns[-1] == "extra_fields" and m.shape[1] * {n} <= 1 << 24
        found = {{}}
        for name in m.columns[:-1].drop("lang"):
            col = m[name].dropna()
            found.update({{name: int(v) for v in col}})
        for cell in m["extra_fields"].dropna():
            found.update(json.loads(cell))
        assert found == {{f"https://t.me/x/{{i}}": i for i in range({n})}}
        assert (m["lang"] == "ru").all()
        rep = c.read_report
        row = rep[rep["kind"] == "folded_fields"].iloc[0]
        assert row["source"].endswith(f"p.jsonl:{{m.shape[1] - 1}}"), row["source"]
        print("ok")
    """)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.strip() == "ok"


def test_scan_reports_renamed_fields_as_read_does(tmp_path):
    import json

    (tmp_path / "p.jsonl").write_text("".join(
        json.dumps({"text": f"post {i}", "source": "tass", "id": i}) + "\n" for i in range(3)))
    r = fs.scan(tmp_path / "p.jsonl", {"w": ["post"]}, terms=False)
    c = fs.read(tmp_path / "p.jsonl")
    for report in (r.read_report, c.read_report):
        rows = report[report["kind"] == "renamed_field"]
        assert sorted(rows["message"]) == [
            "field 'id' is named like a corpus column; it is 'id_field'",
            "field 'source' is named like a corpus column; it is 'source_field'"]


def test_from_texts_keeps_every_text_exactly_across_batches():
    # The texts are copied out of Python in batches of 1 Mi characters and encoded on the
    # thread pool: 6,000 texts of every width (ASCII, Latin-1, Cyrillic, dashes, emoji,
    # astral letters), one larger than a batch but copied out (alone in its batch), one
    # over 4 Mi characters (encoded by Python), in their order.
    import random

    rng = random.Random(3)
    alphabet = ["collective West ", "Коллективный Запад ", "ß é ", "— « » … ", "😀🇷🇺 ",
                "𝔘𝔫𝔦 ", "中文 ", "\u0301 ", "\x00\x7f "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 200)))
             for _ in range(6000)]
    texts[2500] = "Запад и Восток " * 300_000  # 4.5 Mi characters
    texts[4000] = "Коллективный Запад — 😀 " * 90_000  # 2.1 Mi characters
    texts[10] = ""
    c = fs.Corpus.from_texts(texts)
    assert len(c) == 6000
    assert c.texts == texts
    picks = (0, 10, 2500, 3999, 4000, 4001, 5999)
    assert [c[i].text for i in picks] == [texts[i] for i in picks]
    assert c.ids == [str(i) for i in range(6000)]
    # From Arrow the same texts are copied in runs of about 1 MiB, each run on a thread.
    import pyarrow as pa

    a = fs.Corpus.from_arrow(pa.table({"text": pa.array(texts, pa.large_string())}), date=None)
    assert a.texts == texts and a.ids == c.ids


def test_a_list_or_tuple_of_str_is_read_whole_on_every_thread():
    # A list or tuple whose items are all str of at most 4 Mi characters is taken whole
    # (a tuple of framescope's own): each thread encodes its own run of about 1 Mi
    # characters. Texts of every width, empty ones at the ends, one of 2.1 Mi characters
    # (a run of its own), str subclasses: the same texts, in order, as the same items
    # read one by one from a generator (the streaming path), on 1 and 2 threads.
    import random

    class Post(str):
        pass

    rng = random.Random(5)
    alphabet = ["collective West ", "Коллективный Запад ", "ß é ", "— « » … ", "😀🇷🇺 ",
                "𝔘𝔫𝔦 ", "中文 ", "\u0301 ", "\x00\x7f "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 200)))
             for _ in range(8000)]  # about 6.6 Mi characters
    texts[0] = texts[-1] = ""
    texts[3000] = "Коллективный Запад — 😀 " * 90_000
    texts[77] = Post("a str subclass — Запад")
    streamed = fs.Corpus.from_texts(t for t in texts).texts
    assert streamed == texts
    try:
        for n in (1, 2):
            fs.set_num_threads(n)
            for seq in (texts, tuple(texts)):
                assert fs.Corpus.from_texts(seq).texts == texts
    finally:
        fs.set_num_threads(0)
    # Ids and sources (lists of str) take the same path.
    ids = [f"id-{i}-Запад" for i in range(8000)]
    c = fs.Corpus.from_texts(texts, ids=ids, sources=tuple(ids))
    assert c.ids == ids and c[7999].id == "id-7999-Запад"
    # The first lone surrogate in document order is named, in whichever run it lies.
    broken = list(texts)
    broken[7000] = "Запад \udc80"
    broken[100] = "x" * 40 + "\ud800"
    with pytest.raises(ValueError, match="text 100 holds a lone surrogate .* at character 40"):
        fs.Corpus.from_texts(broken)
    # Anything else in the list goes the streaming way, which names it.
    broken = list(texts)
    broken[5000] = b"bytes"
    with pytest.raises(TypeError, match="text 5000 has type bytes; expected str"):
        fs.Corpus.from_texts(broken)

    # A subclass of list is read as it iterates, not as the list it holds.
    class Backwards(list):
        def __iter__(self):
            return reversed(list(list.__iter__(self)))

    assert fs.Corpus.from_texts(Backwards(["a", "b", "c"])).texts == ["c", "b", "a"]


def test_vectorizers_count_a_list_or_tuple_of_str_in_one_job_like_scikit_learn():
    # The vectorizers count a list or tuple of str in one parallel job (the counting
    # threads copy each str out as they read it); ASCII and not, lone surrogates read as
    # scikit-learn reads them, str subclasses; the same matrices as scikit-learn's and
    # as from a generator (the streaming path), fitted (unigrams and bigrams) and
    # transformed, on 1 and 2 threads.
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    class Post(str):
        pass

    docs = []
    for i in range(9000):
        kind = i % 4
        if kind == 0:
            docs.append(f"the collective West {i} sanctions " * (i % 30))
        elif kind == 1:
            docs.append(f"«Коллективный Запад» — ёлка {i} " * (i % 25))
        elif kind == 2:
            docs.append(f"broken \ud800 escape{i % 7}s \udcff and 😀 {i}")
        else:
            docs.append(Post(f"a Post {i % 11} — Мировое большинство"))
    want_c = CountVectorizer().fit_transform(docs)
    want_bi = CountVectorizer(ngram_range=(1, 2)).fit_transform(docs)
    theirs = TfidfVectorizer().fit(docs)
    want_t = theirs.transform(docs[::3])
    try:
        for n in (1, 2):
            fs.set_num_threads(n)
            for seq in (docs, tuple(docs), (d for d in docs)):
                assert (fs.CountVectorizer().fit_transform(seq) != want_c).nnz == 0
            for seq in (docs, tuple(docs)):
                got = fs.CountVectorizer(ngram_range=(1, 2)).fit_transform(seq)
                assert (got != want_bi).nnz == 0
            ours = fs.TfidfVectorizer().fit(tuple(docs))
            assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
            assert abs(ours.transform(docs[::3]) - want_t).max() < 1e-12
            assert abs(ours.transform(tuple(docs[::3])) - want_t).max() < 1e-12
    finally:
        fs.set_num_threads(0)


def test_bytes_that_are_not_utf8_are_named_in_any_run_of_arrow_data():
    import pyarrow as pa

    texts = [f"post {i} — Коллективный Запад" for i in range(100_000)]  # 3.7 MB: 4 runs
    data = bytearray("".join(texts).encode())
    offsets = np.zeros(len(texts) + 1, np.int64)
    offsets[1:] = np.cumsum([len(t.encode()) for t in texts])
    for bad in (0, 31_337, 99_999):
        broken = bytearray(data)
        broken[offsets[bad] + 1] = 0xFF  # inside "post"
        arr = pa.Array.from_buffers(pa.large_string(), len(texts),
                                    [None, pa.py_buffer(offsets), pa.py_buffer(bytes(broken))])
        with pytest.raises(ValueError, match=f"text {bad}: not valid UTF-8"):
            fs.Corpus.from_arrow(pa.table({"text": arr}), date=None)
    # A text that ends inside a character (the next one starting with its tail).
    at = int(offsets[50_000]) + len("post 50000 — ".encode()) + 1  # inside "К"
    cut = offsets.copy()
    cut[50_001] = at
    arr = pa.Array.from_buffers(pa.large_string(), 50_001,
                                [None, pa.py_buffer(cut[:50_002]), pa.py_buffer(bytes(data))])
    with pytest.raises(ValueError, match="text 50000: not valid UTF-8"):
        fs.Corpus.from_arrow(pa.table({"text": arr}), date=None)


def test_a_lone_surrogate_past_the_first_batch_is_named():
    # The position is counted over the whole input, not within a batch of texts.
    texts = ["the West " * 500] * 3000  # 13.5 Mi characters: four batches
    texts[2222] = "Запад " * 10 + "\udc80 tail"
    with pytest.raises(ValueError, match="text 2222 holds a lone surrogate .* at character 60"):
        fs.Corpus.from_texts(texts)
    # A surrogate in the document too large for a batch: Python's encoder says where.
    texts[2222] = "x" * 5_000_000 + "\ud800"
    with pytest.raises(ValueError, match="text 2222 holds a lone surrogate .* at character 5000000"):
        fs.Corpus.from_texts(texts)


def test_vectorizers_leave_no_utf8_copy_in_the_callers_strings():
    # Python caches a str's UTF-8 inside the object once asked for it (PyUnicode_AsUTF8):
    # a second copy of a non-ASCII corpus kept for the strings' lifetime. The vectorizers
    # copy text out as code points instead; sys.getsizeof counts the cache.
    import sys

    texts = [f"Коллективный Запад — «doc {i}» and the West" for i in range(3000)]
    texts += [f"plain ascii document {i}" for i in range(3000)]
    before = [sys.getsizeof(t) for t in texts]
    for v in (fs.CountVectorizer(), fs.TfidfVectorizer(), fs.CountVectorizer(ngram_range=(1, 2))):
        v.fit_transform(texts)
        v.transform(texts)
    assert [sys.getsizeof(t) for t in texts] == before


def test_vectorizer_inputs_of_every_kind_across_batches_equal_scikit_learn():
    # ASCII str (read in place), non-ASCII str (copied out and encoded), UTF-8 bytes,
    # a lone surrogate, and one document too large for a batch (Python's encoder), in
    # order across batch boundaries (a batch holds 1 Mi characters; a document over 4 Mi
    # goes through Python's encoder).
    from sklearn.feature_extraction.text import CountVectorizer

    big = "Запад " * 800_000 + "tail"  # 4.8 Mi characters: above a batch
    docs = []
    for i in range(2400):
        kind = i % 5
        if kind == 0:
            docs.append(f"the collective West {i} " * 40)
        elif kind == 1:
            docs.append(f"«Коллективный Запад» — ёлка {i} " * 40)
        elif kind == 2:
            docs.append(f"bytes документ {i} ".encode() * 40)
        elif kind == 3:
            docs.append(f"broken \ud800 escape {i}s and more")
        else:
            docs.append("emoji 🇷🇺 and 𝔘 中文 " * 20)
    docs[1234] = big
    docs[600] = "Коллективный Запад " * 110_000  # 2.1 Mi characters: copied out, alone
    ours, theirs = fs.CountVectorizer(), CountVectorizer()
    a, b = ours.fit_transform(docs), theirs.fit_transform(docs)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())
    assert (a != b).nnz == 0
    assert a[1234].sum() == 800_001
    assert a[600].sum() == 220_000
    # transform takes the same path against the fitted vocabulary.
    assert (ours.transform(docs[::7]) != theirs.transform(docs[::7])).nnz == 0


def test_strs_held_only_by_framescope_are_read_whole_by_the_pool():
    # The pool's threads copy each str's characters out after the GIL's thread has
    # moved on (batches of 1 Mi characters, several in flight). A generator's str exist
    # only in framescope's hands: each must stay alive until its batch is read, while
    # the generator keeps allocating new ones where freed ones were.
    from sklearn.feature_extraction.text import CountVectorizer

    def fresh(n):
        for i in range(n):
            # Non-ASCII (copied out, not read in place), a new object every time.
            yield "".join([f"Запад{i % 97}", " — doc", str(i), " ", "collective West " * (i % 50)])

    n = 40_000  # about 18 Mi characters: many batches
    want = CountVectorizer().fit_transform(list(fresh(n)))
    ours = fs.CountVectorizer()
    got = ours.fit_transform(fresh(n))
    assert got.shape == want.shape and (got != want).nnz == 0
    c = fs.Corpus.from_texts(fresh(n))
    assert c.texts == list(fresh(n))
    # transform streams too: batch by batch against the fitted vocabulary, n-grams as
    # well, with a bad document named by its place in the whole stream.
    assert (ours.transform(fresh(n)) != want).nnz == 0
    theirs2, ours2 = CountVectorizer(ngram_range=(1, 2)), fs.CountVectorizer(ngram_range=(1, 2))
    theirs2.fit(list(fresh(3000)))
    ours2.fit(fresh(3000))
    assert (ours2.transform(fresh(n)) != theirs2.transform(list(fresh(n)))).nnz == 0

    def with_bad_bytes():
        yield from fresh(30_000)
        yield "Запад".encode()[:-1]  # cut inside a letter
        yield from fresh(10)

    with pytest.raises(ValueError, match="document 30000: bytes are not valid UTF-8 at byte 8"):
        ours.transform(with_bad_bytes())


def test_str_subclasses_numpy_str_included_are_copied_out_whole():
    # A numpy array of text yields numpy.str_, a str subclass whose characters live
    # outside the object (not a compact str); the pool's threads copy them out as well.
    from sklearn.feature_extraction.text import CountVectorizer

    class Post(str):
        pass

    plain = [f"Коллективный Запад — the West {i} 😀" for i in range(5000)] + ["ascii post"] * 50
    want = CountVectorizer().fit_transform(plain)
    for docs in (np.array(plain), [Post(t) for t in plain]):
        assert type(list(docs)[0]) is not str
        assert (fs.CountVectorizer().fit_transform(docs) != want).nnz == 0
        assert fs.Corpus.from_texts(list(docs)).texts == plain
