"""Scripture: references in every common form, translation packs, and the checks against the verses."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from quotetrace.articles import Article
from quotetrace.errors import ScriptureError
from quotetrace.quotes import extract_quotes
from quotetrace.scripture.books import bible_key, read_table, surah_key
from quotetrace.scripture.check import ScriptureChecker
from quotetrace.scripture.refs import find_references, parse_reference
from quotetrace.scripture.texts import load_library, load_pack

QURAN = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "scripture" / "quran-en"
needs_quran = pytest.mark.skipif(not QURAN.exists(), reason="needs ../shared/data")


def run_cli(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quotetrace", *args], capture_output=True, text=True)


@pytest.mark.parametrize("written, label", [
    ("John 3:16", "John 3:16"), ("Jn 3:16-18", "John 3:16–18"), ("1 Cor. 13:4–7", "1 Corinthians 13:4–7"),
    ("I Corinthians 13:4", "1 Corinthians 13:4"), ("First Corinthians 13:4", "1 Corinthians 13:4"),
    ("II Kings 2:11", "2 Kings 2:11"), ("Rom 8:28, 31", "Romans 8:28, 31"), ("Rom 8:28; 9:1-3", "Romans 8:28; 9:1–3"),
    ("Ps 23", "Psalms 23"), ("Rom. 8:28-30", "Romans 8:28–30"), ("Jude 3", "Jude 1:3"), ("John 3:16-4:2", "John 3:16–4:2"),
    ("Quran 2:255", "Quran 2:255"), ("Qur’an, 3:103", "Quran 3:103"), ("Qur’an, 3: 104", "Quran 3:104"),
    ("Q 5:32", "Quran 5:32"), ("Koran 112:1-4", "Quran 112"), ("Surah Al-Baqarah, verse 255", "Quran 2:255"),
    ("Sura 2, ayah 255", "Quran 2:255"), ("Surah An-Nisa, verse 76", "Quran 4:76"), ("Surat al-Nisa 4:76", "Quran 4:76"),
    ("Al-Baqarah 2:255", "Quran 2:255"), ("Surah Baqara 255", "Quran 2:255"), ("2:255", "Quran 2:255"),
    ("Jn ١١:٣٥", "John 11:35"),
])
def test_references_in_every_common_form(written, label):
    ref = parse_reference(written)
    assert (ref.label, ref.error) == (label, None)


@pytest.mark.parametrize("written, problem", [
    ("John 99:1", "John has 21 chapters"), ("John 3:99", "John 3 has 36 verses"),
    ("Quran 115:1", "114 surahs"), ("Quran 2:300", "surah 2 has 286 verses"),
    ("Surah Al-Baqarah 3:5", "Al-Baqarah is number 2"),
])
def test_references_to_verses_that_do_not_exist_say_why(written, problem):
    assert problem in parse_reference(written).error


@pytest.mark.parametrize("written, message", [("Hezekiah 3:4", "unknown book or surah 'Hezekiah'"), ("3 4 5", "cannot read")])
def test_unreadable_references_are_errors(written, message):
    with pytest.raises(ScriptureError, match=message):
        parse_reference(written)


def test_references_in_running_text():
    text = ("He cited (Quran 2:255) and, a line on, (5:32). See Jn 3:16; 1 Cor 13:4-7 and Rom 8:28, 31. "
            "I am 5:30 late. The score was (3:1).")
    labels = [f.reference.label for f in find_references(text)]
    assert labels == ["Quran 2:255", "Quran 5:32", "John 3:16", "1 Corinthians 13:4–7", "Romans 8:28, 31", "Quran 3:1"]
    assert [f.reference.label for f in find_references("The score was (3:1) at half time.")] == []  # no Qur'an nearby


@pytest.mark.parametrize("table, key, names", [
    ("bible-books.tsv", bible_key, lambda row: [row[1], *row[2].split("|")]),
    ("quran-surahs.tsv", surah_key, lambda row: [row[1], row[2], *row[3].split("|")]),
])
def test_no_two_books_share_a_name(table, key, names):
    owners = defaultdict(set)
    for row in read_table(table):
        for name in names(row):
            owners[key(name)].add(row[0])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


def test_quotes_get_the_references_that_cite_them():
    text = ('The imam recited: "There is no compulsion in religion" (Qur\'an 2:256).\n\n'
            'As John 3:16 puts it: "For God so loved the world."\n\n'
            'He said "love is patient, love is kind" (1 Cor 13:4-7) and left.')
    quotes = extract_quotes(Article(text=text, source="t"))
    assert [[s["ref"] for s in q.scripture] for q in quotes] == [["Quran 2:256"], ["John 3:16"], ["1 Corinthians 13:4–7"]]
    assert quotes[2].scripture[0] | {"start": 0, "end": 0} == {
        "ref": "1 Corinthians 13:4–7", "book": "1 Corinthians", "chapter": 13, "verse_start": 4, "chapter_end": 13,
        "verse_end": 7, "error": None, "start": 0, "end": 0}


# -- packs --------------------------------------------------------------------------------------------------------


def test_csv_pack_of_your_own(tmp_path):
    pack = tmp_path / "mine.csv"
    pack.write_text("book,chapter,verse,text\nJohn,11,35,Jesus cried.\n43,11,36,The Jews said{a note}, See how he loved him!\n")
    translation = load_pack(pack)
    assert (translation.name, translation.canon) == ("mine", "bible")
    assert translation.verses[(43, 11, 36)] == "The Jews said, See how he loved him!"
    check = ScriptureChecker(load_library([pack], built_in=False)).check("Jesus cried", parse_reference("John 11:35"))
    assert (check.verdict, check.translation) == ("matches", "mine")


def test_tanzil_pack_with_its_header_comment(tmp_path):
    pack = tmp_path / "en.test.xml"
    pack.write_text('<?xml version="1.0" encoding="utf-8" ?>\n<!--\n# ----\n#  Name: Test\n# ----\n-->\n'
                    '<quran><sura index="1" name=""><aya index="1" text="In the name of God &quot;the&quot; Merciful"/>'
                    '</sura></quran>')
    translation = load_pack(pack)
    assert (translation.title, translation.verses[(0, 1, 1)]) == ("Test", 'In the name of God "the" Merciful')
    library = load_library([pack], built_in=False)
    assert "6235 verses missing" in library.warnings[0]  # a pack with missing verses loads, and says so


@pytest.mark.parametrize("name, content, message", [
    ("bad.xml", '<quran><sura index="1">\n<aya index="1" text="x">\n</quran>', r"bad.xml, line 3: not valid XML"),
    ("bad.csv", "book,chapter,verse,text\nJohn,1,1,In the beginning\nHezekiah,1,1,x\n", r"bad.csv, line 3: .*unknown book 'Hezekiah'"),
    ("cols.csv", "a,b\n1,2\n", r"cols.csv, line 1: no book, chapter, verse and text columns"),
    ("mixed.csv", "book,chapter,verse,text\nJohn,1,1,x\nQuran,1,1,y\n", r"mixed.csv, line 3: a pack holds one scripture"),
    ("notes.txt", "hello", r"not a translation pack"),
])
def test_bad_packs_name_the_file_and_line(tmp_path, name, content, message):
    pack = tmp_path / name
    pack.write_text(content)
    with pytest.raises(ScriptureError, match=message):
        load_pack(pack)


def test_pack_that_is_not_utf8(tmp_path):
    pack = tmp_path / "latin.csv.gz"
    pack.write_bytes(gzip.compress("book,chapter,verse,text\nJohn,1,1,caf\xe9\n".encode("latin-1")))
    with pytest.raises(ScriptureError, match="not UTF-8"):
        load_pack(pack)


# -- checks -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checker():
    return ScriptureChecker(load_library([QURAN] if QURAN.exists() else []))


def test_money_is_the_root_of_all_evil_alters_1_timothy_6_10(checker):
    cited = checker.check("Money is the root of all evil", parse_reference("1 Timothy 6:10"))
    assert (cited.verdict, cited.note) == ("differs", "trimmed where the cut changes the meaning")
    uncited = checker.check("Money is the root of all evil")
    assert (uncited.verdict, uncited.ref) == ("differs", "1 Timothy 6:10")


def test_god_helps_those_who_help_themselves_is_not_in_scripture(checker):
    assert checker.check("God helps those who help themselves").verdict == "not_found"
    assert checker.check("God helps those who help themselves", parse_reference("Proverbs 3:5")).verdict == "not_found"


def test_pride_goes_before_a_fall_paraphrases_proverbs_16_18(checker):
    for check in (checker.check("Pride goes before a fall", parse_reference("Prov 16:18")), checker.check("Pride goes before a fall")):
        assert (check.verdict, check.ref) == ("differs", "Proverbs 16:18") and "paraphrase" in check.note


def test_a_verse_cited_one_off_is_a_wrong_reference(checker):
    check = checker.check("For God so loved the world, that he gave his only begotten Son", parse_reference("John 3:17"))
    assert (check.verdict, check.found) == ("wrong_reference", "John 3:16")
    assert checker.check("For God so loved the world, that he gave his only begotten Son",
                         parse_reference("John 3:16")).translations == ["kjv", "asv"]


@needs_quran
def test_no_compulsion_in_religion_matches_2_256_in_several_translations(checker):
    check = checker.check("There is no compulsion in religion", parse_reference("Quran 2:256"))
    assert check.verdict == "matches" and {"en.pickthall", "en.hilali"} <= set(check.translations)


@needs_quran
def test_quran_2_153_cited_as_2_152_names_2_153(checker):
    words = "O you who have believed, seek help through patience and prayer. Indeed, Allah is with the patient."
    check = checker.check(words, parse_reference("Quran 2:152"))
    assert (check.verdict, check.found, check.translation) == ("wrong_reference", "Quran 2:153", "en.sahih")


@needs_quran
def test_a_translation_that_numbers_verses_differently(checker):
    words = "Thus we let the Israelites inherit them all."  # Sarwar numbers this 26:60; it is 26:59
    assert checker.check(words, parse_reference("Quran 26:59")).verdict == "matches"
    check = checker.check(words, parse_reference("Quran 26:60"))
    assert (check.verdict, check.found) == ("wrong_reference", "Quran 26:59")


# -- command line -------------------------------------------------------------------------------------------------


def test_scripture_check_and_show_on_the_command_line(tmp_path):
    article = tmp_path / "a.md"
    article.write_text('He quoted "For God so loved the world, that he gave his only begotten Son" (John 3:17).\n')
    result = run_cli(["scripture", "check", str(article), "--format", "json"])
    assert result.returncode == 0, result.stderr
    check = json.loads(result.stdout)["quotes"][0]["scripture_check"]
    assert (check["verdict"], check["ref"], check["found"]) == ("wrong_reference", "John 3:17", "John 3:16")
    shown = run_cli(["scripture", "show", "Jn 11:35"])
    assert shown.returncode == 0 and "Jesus wept." in shown.stdout
    assert "John has 21 chapters" in run_cli(["scripture", "show", "John 99:1"]).stderr


def test_trace_reports_the_scripture_check(tmp_path, corpus_file):
    db = tmp_path / "a.db"
    assert run_cli(["archive", "add", str(corpus_file), "--archive", str(db)]).returncode == 0
    article = tmp_path / "a.md"
    article.write_text('She said "Ships are safe in harbour, but that is not what ships are built for."\n\n'
                       'He quoted "For God so loved the world, that he gave his only begotten Son" (John 3:16).\n')
    result = run_cli(["trace", str(article), "--archive", str(db), "--format", "json"])
    assert result.returncode == 0, result.stderr
    traces = [q["trace"] for q in json.loads(result.stdout)["quotes"]]
    assert traces[0]["scripture_check"] is None
    assert (traces[1]["verdict"], traces[1]["scripture_check"]["verdict"]) == ("not_found", "matches")


def test_a_bad_pack_on_the_command_line_is_one_line(tmp_path):
    pack = tmp_path / "broken.xml"
    pack.write_text('<quran><sura index="1">\n<aya index="1" text="x">\n</quran>')
    result = run_cli(["scripture", "show", "Quran 1:1", "--scripture", str(pack)])
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "broken.xml, line 3: not valid XML" in result.stderr


def test_html_report_shows_the_scripture_check_and_says_when_no_translation_is_loaded(tmp_path):
    article = tmp_path / "a.md"
    article.write_text('He quoted "For God so loved the world, that he gave his only begotten Son" (John 3:17).\n\n'
                       'She recited "There is no compulsion in religion" (Quran 2:256).\n')
    out = tmp_path / "r.html"
    assert run_cli(["scripture", "check", str(article), "--format", "html", "-o", str(out)]).returncode == 0
    html = out.read_text()
    assert 'class="scripture-wrong_reference">wrong_reference</strong> John 3:17 · the words are John 3:16' in html
    assert "no Qur&#39;an translation is loaded" in html
