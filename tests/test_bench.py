"""The benchmark's own checks: the synthetic casebook is valid and deterministic, and bench.run prints its table.

No timing is asserted: the figures depend on the machine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import synth
from generator.validate import validate_files
from generator.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # the benchmark's: hundreds of synthetic records, and its smoke run


def test_synthetic_records_are_valid(tmp_path: Path, vocabulary: Vocabulary):
    paths = synth.write_cases(20, tmp_path / "cases", seed=7, vocabulary=vocabulary)
    valid, problems = validate_files([tmp_path / "cases"], vocabulary)
    assert [str(p) for p in problems] == []
    assert len(valid) == len(paths) == 20


def test_synthetic_records_have_the_shape_of_real_ones(vocabulary: Vocabulary):
    rng = synth.random.Random(3)
    records = [synth.make_case(rng, vocabulary, i)[1] for i in range(20)]
    assert all(12 <= len(r["measures"]) <= 33 for r in records)
    assert any(len({p["region"]["province"] for p in r["partners"]}) > 1 for r in records)
    assert any(r["tables"] and any(c.get("sum_of") for c in r["tables"][0]["columns"]) for r in records)
    assert all(200 <= len(r["summary"]["zh"]) <= 450 for r in records)


def test_some_records_are_pending_translation(vocabulary: Vocabulary):
    pending = [text for _, text in synth.generate(100, seed=1, vocabulary=vocabulary)
               if "en: pending" in text]
    assert 5 <= len(pending) <= 30  # about 15 %


def test_same_seed_same_bytes(vocabulary: Vocabulary):
    assert synth.generate(20, seed=5, vocabulary=vocabulary) == synth.generate(20, seed=5, vocabulary=vocabulary)
    assert synth.generate(5, seed=5, vocabulary=vocabulary) != synth.generate(5, seed=6, vocabulary=vocabulary)


def test_same_seed_same_files(tmp_path: Path, vocabulary: Vocabulary):
    first = synth.write_cases(20, tmp_path / "a", seed=9, vocabulary=vocabulary)
    second = synth.write_cases(20, tmp_path / "b", seed=9, vocabulary=vocabulary)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_never_writes_into_the_repository_cases():
    with pytest.raises(ValueError):
        synth.write_cases(1, ROOT / "cases")


def test_retitle_changes_one_word(vocabulary: Vocabulary):
    case_id, text = synth.generate(1, seed=2, vocabulary=vocabulary)[0]
    title = next(line for line in text.splitlines() if line.startswith("  zh: "))[6:]
    edited, new_title = synth.retitle(text, title)
    assert new_title != title and new_title in edited and edited.count("\n") == text.count("\n")


def test_synth_command_line(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "bench.synth", "3", str(tmp_path / "out"), "--seed", "4"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.yaml"))) == 3


def test_bench_run_prints_the_table(tmp_path: Path):
    result = subprocess.run([sys.executable, "-m", "bench.run", "--sizes", "20", "--skip-baseline", "--quick",
                             "--keep", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "| figure | N = 20 |" in out
    for row in ("load + validate (s)", "render zh (s)", "render en (s)", "MkDocs zh build (s)",
                "MkDocs en build (s)", "assembly and swap (s)", "`python -m generator build -q`, wall (s)",
                "site size (MiB)", "case page HTML, median (KiB)", "search index zh, raw / gzip (KiB)",
                "search index en, raw / gzip (KiB)", "preview of an edit", "first search result zh",
                "static-i18n: MkDocs build, wall (s)"):
        assert row in out, row
    rows = {line.split(" | ")[0].strip("| *"): line for line in out.splitlines() if line.startswith("| ")}
    assert rows["load + validate (s)"].rstrip(" |").split(" | ")[-1].replace(".", "").isdigit()
    assert "machine:" in out and "commit" in out
    assert (tmp_path / "n20" / "site" / "en" / "index.html").is_file()
