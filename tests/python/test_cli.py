"""The framescope command: every subcommand on fixtures, help, exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from conftest import SEED_DIR, gold_duplicates, gold_posts

from framescope.cli import main


def run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# The seed files' posts and their cross-file duplicates, from the hand-built gold standard.
N_POSTS = len(gold_posts()) if SEED_DIR.exists() else 0
N_DUPLICATES = len(gold_duplicates()) if SEED_DIR.exists() else 0


@pytest.mark.seed
def test_trends_on_seed_files_writes_csv_and_png(tmp_path, capsys):
    csv, png = tmp_path / "t.csv", tmp_path / "t.png"
    code, out, err = run(["trends", str(SEED_DIR), "--out", str(csv), "--plot", str(png)], capsys)
    assert code == 0, err
    assert out.startswith(f"{N_POSTS - N_DUPLICATES} documents from ")
    assert "collective_west" in out and "undated" in out
    table = pd.read_csv(csv)
    assert {"period", "frame", "per_10k", "ci_low", "ci_high"} <= set(table.columns)
    assert png.stat().st_size > 10_000 and str(png) in err


@pytest.mark.seed
def test_trends_streaming_equals_in_memory_without_duplicate_removal(tmp_path, capsys):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(["trends", str(SEED_DIR), "--stream", "--out", str(a)], capsys)[0] == 0
    # The in-memory run removes the cross-file duplicates; streaming keeps them.
    code, out, _ = run(["trends", str(SEED_DIR), "--out", str(b)], capsys)
    assert code == 0
    sa, sb = pd.read_csv(a), pd.read_csv(b)
    assert sa["docs"].groupby(sa["period"]).first().sum() == N_POSTS
    assert sb["docs"].groupby(sb["period"]).first().sum() == N_POSTS - N_DUPLICATES
    code, _, err = run(["trends", "--stream"], capsys)
    assert code == 1 and "give at least one PATH" in err


def test_trends_on_demo_by_default_shows_the_planted_rise(capsys):
    code, out, _ = run(["trends", "--frame", "global_majority"], capsys)
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines()[2:] if line[:4].isdigit()}
    assert float(rows["2021"][-1]) == 0.0 and float(rows["2025"][-1]) > float(rows["2023"][-1]) > 0


@pytest.mark.seed
def test_kwic_prints_matches_in_context(capsys):
    code, out, err = run(["kwic", str(SEED_DIR), "collective West", "--window", "4"], capsys)
    assert code == 0 and "[collective West" in out and "matches" in err
    code, out, _ = run(["kwic", str(SEED_DIR), "--frames", "ru_foreign_policy", "--frame",
                        "global_majority", "--limit", "2"], capsys)
    assert code == 0 and len(out.strip().splitlines()) == 2


@pytest.mark.seed
def test_terms_prints_the_top_terms(capsys):
    code, out, _ = run(["terms", str(SEED_DIR), "--top", "5"], capsys)
    assert code == 0 and len(out.strip().splitlines()) == 6
    assert out.split()[:3] == ["term", "count", "doc_freq"]


@pytest.mark.seed
def test_tfidf_writes_the_matrix_with_ids_and_features(tmp_path, capsys):
    npz = tmp_path / "m.npz"
    code, _, _ = run(["tfidf", str(SEED_DIR), "--out", str(npz)], capsys)
    assert code == 0
    X = sp.load_npz(npz)
    meta = np.load(npz)
    kept = N_POSTS - N_DUPLICATES
    assert X.shape == (kept, len(meta["features"])) and len(meta["ids"]) == kept


@pytest.mark.seed
def test_dedup_reports_and_writes_the_kept_posts(tmp_path, capsys):
    report, cleaned = tmp_path / "r.csv", tmp_path / "c.jsonl"
    code, out, _ = run(["dedup", str(SEED_DIR), "--report", str(report), "--out", str(cleaned)],
                       capsys)
    kept = N_POSTS - N_DUPLICATES
    assert code == 0 and out.startswith(
        f"{N_POSTS} documents read, {kept} kept: {N_DUPLICATES} duplicate, 0 near duplicate")
    assert (pd.read_csv(report)["action"] == "duplicate").sum() == N_DUPLICATES
    records = [json.loads(line) for line in cleaned.read_text(encoding="utf-8").splitlines()]
    assert len(records) == kept and {"id", "text", "date", "date_source", "source"} <= set(records[0])


@pytest.mark.parametrize("argv, code, message", [
    (["trends", "{tmp}/nowhere"], 1, "no such file or directory"),
    (["terms", "{tmp}/bad.jsonl"], 1, "bad.jsonl:2: malformed JSON"),
    (["trends", "--frames", "no-such-dictionary"], 1, "not a built-in dictionary"),
    (["trends", "--by", "fortnight"], 1, "by must be a calendar period"),
    (["kwic"], 2, "needs a PATTERN"),  # a usage error, as argparse's
], ids=["missing-path", "malformed-jsonl", "unknown-dictionary", "unknown-period", "no-pattern"])
def test_bad_input_exits_with_a_message(argv, code, message, tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    got, _, err = run([a.format(tmp=tmp_path) for a in argv], capsys)
    assert got == code and message in err
    kind = "error" if code == 1 else "usage error"
    assert err.startswith(f"framescope {argv[0]}: {kind}:")


def test_usage_errors_exit_2_and_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["trends", "--value", "nonsense"])
    assert e.value.code == 2 and "invalid choice" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["frobnicate"])
    assert e.value.code == 2
    for cmd in ["trends", "kwic", "terms", "tfidf", "dedup", "summary"]:
        with pytest.raises(SystemExit) as e:
            main([cmd, "--help"])
        assert e.value.code == 0
        assert "usage: framescope " + cmd in capsys.readouterr().out


def test_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "framescope", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "trends" in r.stdout and "Exit codes" in r.stdout


def test_cli_edge_cases_of_issue_15(tmp_path, capsys):
    data = tmp_path / "in.jsonl"
    data.write_text('{"text": "the collective West"}\n{"text": "the collective West again"}\n',
                    encoding="utf-8")
    # dedup --out onto its own input (or into an input folder) is refused, input intact.
    before = data.read_text(encoding="utf-8")
    code, _, err = run(["dedup", str(data), "--out", str(data)], capsys)
    assert code == 2 and "would overwrite the input" in err
    code, _, err = run(["dedup", str(tmp_path), "--out", str(tmp_path / "clean.jsonl")], capsys)
    assert code == 2 and data.read_text(encoding="utf-8") == before
    # tfidf --out m writes m.npz and says so.
    code, out, _ = run(["tfidf", str(data), "--out", str(tmp_path / "m")], capsys)
    assert code == 0 and out.rstrip().endswith(str(tmp_path / "m.npz")) and (tmp_path / "m.npz").exists()
    # kwic with a path and no pattern is a usage error; --limit -1 is refused by argparse.
    code, _, err = run(["kwic", str(data)], capsys)
    assert code == 2 and "is a path, not a PATTERN" in err
    with pytest.raises(SystemExit) as e:
        main(["kwic", str(data), "West", "--limit", "-1"])
    assert e.value.code == 2
    # Undated files: the trend says why there is no trend.
    code, _, err = run(["trends", str(data), "--no-dedup"], capsys)
    assert code == 0 and "none of the 2 documents has a date" in err


@pytest.mark.seed
def test_cli_stops_quietly_on_a_closed_pipe(tmp_path):
    cmd = (f"{sys.executable} -m framescope kwic {SEED_DIR} West --limit 1000 --no-dedup | head -1")
    r = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True)
    assert "Errno 32" not in r.stderr and "Traceback" not in r.stderr
    assert len(r.stdout.splitlines()) == 1


@pytest.mark.seed
def test_dedup_output_reads_back_without_duplicate_columns(tmp_path, capsys):
    out = tmp_path / "clean.jsonl"
    code, _, _ = run(["dedup", str(SEED_DIR), "--out", str(out)], capsys)
    assert code == 0
    back = __import__("framescope").read(out, id="id")
    df = back.to_pandas()
    assert not df.columns.duplicated().any()
    # The file's own provenance fields are kept under names of their own, and said so.
    assert {"source_field", "date_source_field"} <= set(df.columns)
    assert df["source_field"].str.contains("mfa-en").all()
    assert (back.read_report["kind"] == "renamed_field").sum() == 2
    assert len(back) == 28 and back.ids[0] == "000_f69c9fcf564c494f.txt"
