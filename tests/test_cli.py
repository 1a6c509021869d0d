"""The command-line tool: the JSON contract, the HTML report, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ARTICLE = """---
title: Harbour notes
date: 2011-01-01
---
Ada Lovelace said on March 4, 2001: "In this present crisis, we must not abandon the workers who built this city."

"A good engineer measures twice and cuts once," said Ada Lovelace [June 1, 2012].

The so-called "harbour plan" was <script>alert(1)</script> rejected.
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quotetrace", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path, corpus_file):
    path = tmp_path / "cli.db"
    result = run("archive", "add", str(corpus_file), "--archive", str(path))
    assert result.returncode == 0, result.stderr
    assert "3 added" in result.stderr
    return path


def test_extract_json_follows_the_contract(article):
    out = json.loads(run("extract", str(article), "--format", "json", "--include-text").stdout)
    assert out["article"]["title"] == "Harbour notes" and out["article"]["date"] == "2011-01-01"
    q1 = out["quotes"][0]
    assert set(q1) >= {"id", "text", "start", "end", "speaker", "date", "scripture", "parent"}
    assert out["article"]["text"][q1["start"]:q1["end"]] == q1["text"]
    assert (q1["speaker"], q1["date"]) == ("Ada Lovelace", "2001-03-04")


def test_trace_json_gives_verdicts_and_checks(article, db):
    result = run("trace", str(article), "--archive", str(db), "--format", "json")
    assert result.returncode == 0, result.stderr
    quotes = json.loads(result.stdout)["quotes"]
    first, second, phrase = (q["trace"] for q in quotes)
    assert (first["verdict"], first["flags"], first["speaker_check"], first["date_check"]) == ("verbatim", ["trimmed"], "match", "match")
    assert (second["verdict"], second["speaker_check"], second["date_check"]) == ("verbatim", "mismatch", "mismatch")
    assert second["sources"][0]["speaker"] == "Grace Hopper" and second["source_speaker"] == "Grace Hopper"
    assert set(second) >= {"verdict", "flags", "speaker_check", "date_check", "sources", "edits"}
    assert phrase is None


def test_html_report_is_self_contained_and_escapes_input(article, db, tmp_path):
    out = tmp_path / "r.html"
    assert run("trace", str(article), "--archive", str(db), "--format", "html", "-o", str(out)).returncode == 0
    html = out.read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'class="q v-verbatim"' in html and "Grace Hopper" in html
    assert "http://" not in html.replace('href="http', "") and "<link" not in html


def test_table_and_archive_info(article, db):
    table = run("trace", str(article), "--archive", str(db)).stdout
    assert "verbatim" in table and "mismatch" in table
    info = run("archive", "info", "--archive", str(db)).stdout
    assert "documents  3" in info and "2001-03-04 … 2010-06-01" in info


@pytest.mark.parametrize("make, args, message", [
    (None, ["extract", "{tmp}/missing.txt"], "no such file"),
    (lambda p: (p / "bin.txt").write_bytes(b"\x00\x01\x02binary"), ["extract", "{tmp}/bin.txt"], "binary file"),
    (lambda p: (p / "latin.txt").write_bytes('"caf\xe9 au lait"'.encode("latin-1")), ["extract", "{tmp}/latin.txt"], "not valid utf-8"),
    (lambda p: (p / "empty.txt").write_text("  \n"), ["extract", "{tmp}/empty.txt"], "is empty"),
    (lambda p: (p / "bad.jsonl").write_text("{oops\n"), ["archive", "add", "{tmp}/bad.jsonl", "-a", "{tmp}/x.db"], "line 1: not valid JSON"),
    (lambda p: (p / "notes.db").write_text("not a database"), ["archive", "info", "-a", "{tmp}/notes.db"], "not a quotetrace archive"),
    (lambda p: (p / "a.md").write_text('"hello there my friends"'), ["trace", "{tmp}/a.md", "-a", "{tmp}/none.db"], "there is no archive"),
])
def test_bad_input_gives_one_line_and_exit_1(tmp_path, make, args, message):
    if make:
        make(tmp_path)
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr.lower() or message in result.stderr


def test_encoding_option_reads_legacy_text(tmp_path):
    (tmp_path / "latin.txt").write_bytes('She said "caf\xe9 au lait is good for you".'.encode("latin-1"))
    out = json.loads(run("extract", str(tmp_path / "latin.txt"), "--encoding", "latin-1", "--format", "json").stdout)
    assert out["quotes"][0]["text"] == "café au lait is good for you"


def test_failed_add_leaves_archive_usable(tmp_path, db):
    (tmp_path / "bad.jsonl").write_text('{"id": "n", "text": "fine"}\n{"id": "m"}\n')
    assert run("archive", "add", str(tmp_path / "bad.jsonl"), "-a", str(db)).returncode == 1
    assert "documents  3" in run("archive", "info", "-a", str(db)).stdout


def test_html_article_through_trafilatura(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Harbour</title></head><body><nav>menu</nav><article><h1>Harbour</h1>"
                    "<p>At the quay, Ada Lovelace said: “Our harbour will be rebuilt, stone by stone.” The crowd cheered "
                    "loudly and the band played on for hours in the rain.</p><p>Everyone went home late that night.</p>"
                    "</article></body></html>")
    out = json.loads(run("extract", str(page), "--format", "json").stdout)
    assert out["quotes"][0]["text"] == "Our harbour will be rebuilt, stone by stone."
    assert out["quotes"][0]["speaker"] == "Ada Lovelace"


def test_every_command_is_documented_in_the_readme():
    from quotetrace.cli import app

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    commands += [f"{group.name} {c.name or c.callback.__name__}" for group in app.registered_groups
                 for c in group.typer_instance.registered_commands]
    missing = [name for name in commands if f"quotetrace {name}" not in readme]
    assert not missing, f"commands the README does not show: {missing}"


def test_table_shows_how_far_a_weakly_attributed_speaker_is_trusted(tmp_path):
    path = tmp_path / "pronoun.md"
    path.write_text('"We will rebuild the harbour," Ada Lovelace said. "No family will be left behind," she added.\n')
    table = run("extract", str(path)).stdout
    assert table.count("Ada Lovelace") == 2 and "(0.80)" in table and "(0.95)" not in table  # a cue names her: no mark
