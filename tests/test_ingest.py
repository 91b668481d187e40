"""Tests for dotterel.ingest: every input problem becomes an InputError in the stream, and reading goes on."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dotterel.ingest import MAX_CHARS, article_from_text, looks_english, parse_date, read_inputs
from dotterel.records import Article, InputError

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

EN_1 = "The foreign ministers of Cambodia and Thailand met in Phnom Penh on Tuesday to discuss trade."
EN_2 = "Police in the capital arrested two opposition organisers who had called for a general strike."
EN_3 = "The central bank said it would keep its main interest rate unchanged for the rest of the year."


def _jsonl(path: Path, *records: object) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _errors(items: list[Article | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def _articles(items: list[Article | InputError]) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


# ------------------------------------------------------------------------------------------- happy paths


def test_txt_file_uses_stem_and_default_date(tmp_path: Path) -> None:
    path = tmp_path / "kh-2024-001.txt"
    path.write_bytes(b"\xef\xbb\xbf" + EN_1.encode() + b"\r\n" + EN_2.encode() + b"\r\n")
    [article] = list(read_inputs([path], date(2024, 3, 6)))
    assert isinstance(article, Article)
    assert article.id == "kh-2024-001"
    assert article.pub_date == date(2024, 3, 6)
    assert article.origin == str(path)
    assert article.text == f"{EN_1}\n{EN_2}\n"  # BOM gone, CRLF → LF, nothing else touched


def test_txt_without_default_date_has_no_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(EN_1)
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, Article) and article.pub_date is None


def test_jsonl_fields_ids_and_dates(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "batch.jsonl",
        {
            "id": "a",
            "text": EN_1,
            "date": "2024-03-05",
            "title": "Talks",
            "url": "https://x.example/a",
            "source": "Ledger",
        },
        {"id": 42, "text": EN_2, "pub_date": "2024-03-05T10:00:00Z"},
        "",
        {"id": "c", "text": EN_3 + "\r\nSecond line.", "date": None},
    )
    items = list(read_inputs([path], date(2020, 1, 1)))
    assert _errors(items) == []
    a, b, c = items
    assert (a.id, a.pub_date, a.title, a.url, a.source) == (
        "a",
        date(2024, 3, 5),
        "Talks",
        "https://x.example/a",
        "Ledger",
    )
    assert a.origin == f"{path}:1"
    assert b.id == "42" and b.pub_date == date(2024, 3, 5) and b.title is None
    assert c.origin == f"{path}:4"  # the blank line 3 is skipped but still counted
    assert c.pub_date == date(2020, 1, 1)  # no date of its own: the run's default
    assert c.text == EN_3 + "\nSecond line."


def test_html_uses_trafilatura_text_and_metadata() -> None:
    [article] = list(read_inputs([FIXTURES / "page.html"], date(2000, 1, 1)))
    assert isinstance(article, Article)
    assert article.id == "page"
    assert article.title == "Border talks resume in Phnom Penh"
    assert article.pub_date == date(2024, 3, 5)  # from the page, not the default
    assert article.url == "https://ledger.example.org/2024/03/border-talks"
    assert article.source == "Mekong Ledger"
    assert "second round of talks" in article.text
    assert "Home" not in article.text and "All rights reserved" not in article.text


def test_html_without_date_falls_back_to_default(tmp_path: Path) -> None:
    path = tmp_path / "nodate.htm"
    path.write_text(f"<html><body><article><p>{EN_1}</p><p>{EN_2}</p><p>{EN_3}</p></article></body></html>")
    [article] = list(read_inputs([path], date(2024, 1, 2)))
    assert isinstance(article, Article)
    assert article.pub_date == date(2024, 1, 2)
    assert EN_2 in article.text


def test_html_declared_latin1_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.html"
    body = f"<p>{EN_1} The envoy met Jos\u00e9 Ram\u00f3n in the capital.</p><p>{EN_2}</p><p>{EN_3}</p>"
    html = f'<html><head><meta charset="iso-8859-1"></head><body><article>{body}</article></body></html>'
    path.write_bytes(html.encode("latin-1"))
    [article] = list(read_inputs([path]))
    assert isinstance(article, Article)
    assert "Jos\u00e9 Ram\u00f3n" in article.text


def test_html_without_article_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and "no article text" in err.problem


def test_folder_is_recursive_sorted_and_skips_hidden_and_unknown() -> None:
    folder = FIXTURES / "folder"
    items = list(read_inputs([folder], date(2024, 3, 1)))
    assert _errors(items) == []  # table.csv and hidden files are skipped silently
    assert [a.origin for a in items] == [
        f"{folder / 'a_sub' / 'batch.jsonl'}:1",
        str(folder / "b_story.txt"),
    ]
    assert [a.id for a in items] == ["j1", "b_story"]
    assert items[0].pub_date == date(2024, 2, 1)


def test_stdin_bytes_and_text(tmp_path: Path) -> None:
    data = "\n".join([json.dumps({"id": "s1", "text": EN_1}), "", "{broken"]) + "\n"
    for stream in (io.BytesIO(data.encode()), io.StringIO(data)):
        items = list(read_inputs(["-"], stdin=stream))
        assert isinstance(items[0], Article) and items[0].origin == "<stdin>:1"
        assert isinstance(items[1], InputError) and items[1].origin == "<stdin>:3"
        assert len(items) == 2


def test_stdin_bad_utf8_reports_line_and_offset() -> None:
    good = json.dumps({"id": "s1", "text": EN_1}).encode() + b"\n"
    bad = b'{"id": "s2", "text": "caf\xe9"}\n'
    items = list(read_inputs(["-"], stdin=io.BytesIO(good + bad)))
    assert isinstance(items[0], Article)
    err = items[1]
    assert isinstance(err, InputError) and err.origin == "<stdin>:2"
    assert err.problem == f"not valid UTF-8 at byte 25 of the line (byte {len(good) + 25} of the input)"


def test_jsonl_is_streamed_line_by_line() -> None:
    """The reader must hand out line 1 before it has looked at line 2."""

    def lines() -> Iterator[bytes]:
        yield json.dumps({"id": "first", "text": EN_1}).encode() + b"\n"
        raise AssertionError("line 2 was read before line 1 was handed out")

    stream = read_inputs(["-"], stdin=lines())  # type: ignore[arg-type]
    first = next(stream)
    assert isinstance(first, Article) and first.id == "first"


# -------------------------------------------------------------------------------------------- problems


def test_missing_file_and_errors_keep_order(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(EN_1)
    missing = tmp_path / "nope.txt"
    items = list(read_inputs([missing, good, tmp_path / "gone"]))
    assert isinstance(items[0], InputError)
    assert items[0].origin == str(missing) and items[0].problem == "no such file or directory"
    assert isinstance(items[1], Article)
    assert isinstance(items[2], InputError) and items[2].origin == str(tmp_path / "gone")


def test_explicit_unknown_suffix_is_an_error() -> None:
    path = FIXTURES / "folder" / "table.csv"
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and err.origin == str(path)
    assert "unsupported file type .csv" in err.problem


@pytest.mark.parametrize("content", ["", "   \n\t  \r\n"])
def test_empty_or_whitespace_txt(tmp_path: Path, content: str) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(content)
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and err.problem == "empty text"


def test_empty_text_in_jsonl(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "x.jsonl", {"id": "e", "text": "  \n "}, {"id": "ok", "text": EN_1})
    items = list(read_inputs([path]))
    assert isinstance(items[0], InputError) and items[0].problem == "empty text"
    assert items[0].origin == f"{path}:1"
    assert isinstance(items[1], Article)


def test_non_utf8_txt_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    prefix = ((EN_1 + " ") * 20)[:1234]  # push the bad byte well into the file
    path.write_bytes(prefix.encode() + b"caf\xe9 " + EN_2.encode())
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError)
    assert err.problem == "not valid UTF-8 at byte 1237"


def test_non_utf8_line_in_jsonl_file_continues(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    line1 = json.dumps({"id": "1", "text": EN_1}).encode() + b"\n"
    line2 = b'{"id": "2", "text": "\xff"}\n'
    line3 = json.dumps({"id": "3", "text": EN_2}).encode() + b"\n"
    path.write_bytes(line1 + line2 + line3)
    items = list(read_inputs([path]))
    assert [type(i) for i in items] == [Article, InputError, Article]
    assert items[1].origin == f"{path}:2"
    assert items[1].problem == f"not valid UTF-8 at byte 21 of the line (byte {len(line1) + 21} of the input)"


@pytest.mark.parametrize(
    "payload",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20 + b"some text",  # control bytes, no NUL
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".html"])
def test_binary_files(tmp_path: Path, payload: bytes, suffix: str) -> None:
    path = tmp_path / f"blob{suffix}"
    path.write_bytes(payload)
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and err.origin == str(path)
    assert err.problem == "looks like a binary file"


def test_text_with_tabs_and_form_feeds_is_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "tabs.txt"
    path.write_text(f"{EN_1}\t\t\n\f{EN_2}\n")
    [article] = list(read_inputs([path]))
    assert isinstance(article, Article)


def test_malformed_json_shows_the_error(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "bad.jsonl", '{"id": "x", "text": "unterminated', {"id": "y", "text": EN_1})
    items = list(read_inputs([path]))
    err = items[0]
    assert isinstance(err, InputError) and err.origin == f"{path}:1"
    assert err.problem == "malformed JSON: Unterminated string starting at column 21"
    assert isinstance(items[1], Article) and items[1].id == "y"


@pytest.mark.parametrize(("line", "kind"), [("[1, 2]", "an array"), ('"text"', "a string"), ("7", "a number")])
def test_json_line_not_an_object(tmp_path: Path, line: str, kind: str) -> None:
    path = _jsonl(tmp_path / "x.jsonl", line)
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and err.problem == f"JSON line is not an object (got {kind})"


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"text": EN_1}, "missing 'id'"),
        ({"id": None, "text": EN_1}, "missing 'id'"),
        ({"id": "a"}, "missing 'text'"),
        ({"id": True, "text": EN_1}, "'id' must be a string or an integer, got a boolean"),
        ({"id": "a", "text": ["x"]}, "'text' must be a string, got an array"),
        ({"id": "a", "text": EN_1, "title": 5}, "'title' must be a string, got a number"),
        ({"id": " ", "text": EN_1}, "empty id"),
    ],
)
def test_missing_or_wrong_fields(tmp_path: Path, record: dict, problem: str) -> None:
    path = _jsonl(tmp_path / "x.jsonl", record)
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError) and err.problem == problem


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    first = _jsonl(tmp_path / "one.jsonl", {"id": "dup", "text": EN_1}, {"id": "dup", "text": EN_2})
    txt = tmp_path / "dup.txt"
    txt.write_text(EN_3)
    items = list(read_inputs([first, txt]))
    assert isinstance(items[0], Article)
    for err, origin in zip(items[1:], [f"{first}:2", str(txt)], strict=True):
        assert isinstance(err, InputError) and err.origin == origin
        assert err.problem == f"duplicate id 'dup' (first seen at {first}:1)"


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "05/03/2024", 20240305, ""])
def test_invalid_date_is_an_error_and_not_coded(tmp_path: Path, bad: object) -> None:
    path = _jsonl(tmp_path / "d.jsonl", {"id": "a", "text": EN_1, "date": bad})
    items = list(read_inputs([path], date(2024, 1, 1)))
    assert _articles(items) == []
    [err] = items
    assert err.problem.startswith(f"invalid date {bad!r}")


def test_over_max_chars_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    unit = EN_1 + " "
    text = (unit * (5_242_880 // len(unit) + 1))[:5_242_880]
    path.write_text(text)
    [err] = list(read_inputs([path]))
    assert isinstance(err, InputError)
    assert err.problem == "article is 5,242,880 characters, over the limit of 1,000,000"
    assert MAX_CHARS == 1_000_000


def test_max_chars_is_configurable(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "x.jsonl", {"id": "a", "text": EN_1}, {"id": "b", "text": EN_1[:40]})
    items = list(read_inputs([path], max_chars=50))
    assert isinstance(items[0], InputError)
    assert items[0].problem == f"article is {len(EN_1)} characters, over the limit of 50"
    assert isinstance(items[1], Article)


def test_far_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(EN_1 * 20)
    [err] = list(read_inputs([path], max_chars=100))
    assert isinstance(err, InputError)
    assert err.problem == f"file is {len(EN_1) * 20:,} bytes, over the limit of 100 characters"


def test_non_english_article_is_rejected(tmp_path: Path) -> None:
    french = (
        "Les ministres des affaires étrangères du Cambodge et de la Thaïlande se sont rencontrés mardi à "
        "Phnom Penh pour discuter de la réouverture des postes frontières."
    )
    path = _jsonl(tmp_path / "fr.jsonl", {"id": "fr", "text": french}, {"id": "en", "text": EN_1})
    items = list(read_inputs([path]))
    assert isinstance(items[0], InputError) and items[0].problem == "text does not look like English"
    assert isinstance(items[1], Article)


# ------------------------------------------------------------------------------------------ looks_english

ENGLISH = [
    "Cambodian Premier Hun Manet Meets Thai Counterpart Srettha Thavisin In Bangkok",
    "Vietnam Expels Two Chinese Diplomats Over Spying Allegations",
    "US Imposes Visa Restrictions on Cambodian Officials After Disputed Vote",
    "Protesters clash with riot police outside parliament as budget vote nears",
    EN_1 + " " + EN_2,
    "Short one",  # under 8 words: accepted without judging
    "Prix Goncourt décerné",  # also under 8 words
]
FOREIGN = {
    "french": "Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs touchés par "
    "la sécheresse, selon un communiqué publié par le ministère.",
    "spanish": "El presidente del Gobierno se reunió el martes con los líderes de la oposición para discutir la "
    "reforma de la ley electoral, según fuentes oficiales.",
    "german": "Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die Landwirte zu unterstützen, die "
    "von der Dürre betroffen sind, teilte das Ministerium mit.",
    "indonesian": "Presiden mengatakan bahwa pemerintah akan memberikan bantuan kepada para petani yang terkena "
    "dampak kekeringan di beberapa provinsi dalam waktu dekat.",
    "chinese": "柬埔寨和泰国外长周二在金边会晤，讨论重新开放边境口岸问题。双方表示将成立联合委员会审查海关程序。",
}


@pytest.mark.parametrize("text", ENGLISH)
def test_looks_english_accepts(text: str) -> None:
    assert looks_english(text)


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_looks_english_rejects(language: str) -> None:
    assert not looks_english(FOREIGN[language])


# ------------------------------------------------------------------------------------ parse_date, article


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-03-05T10:00:00Z", date(2024, 3, 5)),
        ("2024-03-05T23:30:00+07:00", date(2024, 3, 5)),
        (" 2024-03-05 ", date(2024, 3, 5)),
        (date(2024, 3, 5), date(2024, 3, 5)),
    ],
)
def test_parse_date_accepts(value: object, expected: date) -> None:
    assert parse_date(value, "x:1") == expected


@pytest.mark.parametrize("value", ["2024-13-45", "yesterday", "March 5, 2024", None, 3.5])
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(InputError) as info:
        parse_date(value, "x:1")
    assert info.value.origin == "x:1" and info.value.problem.startswith("invalid date")


def test_article_from_text_validates_and_keeps_meta() -> None:
    article = article_from_text(
        "\ufeff" + EN_1 + "\r\n", doc_id="d1", pub_date=None, origin="api", title="T", source="S"
    )
    assert article.text == EN_1 + "\n" and article.title == "T" and article.source == "S"
    assert article.url is None and article.origin == "api"
    with pytest.raises(InputError, match="empty text"):
        article_from_text(" ", doc_id="d1", pub_date=None, origin="api")
    with pytest.raises(TypeError):
        article_from_text(EN_1, doc_id="d1", pub_date=None, origin="api", author="me")


def test_name_particles_do_not_make_english_foreign():
    # "de la" inside a French place name in an English sentence (seen on a generated corpus)
    assert looks_english("In Paris, small groups smashed shop windows and set fire to rubbish bins near "
                         "Place de la Nation.")
    assert looks_english("European Commission President Ursula von der Leyen met Saudi Crown Prince Mohammed "
                         "bin Salman in Jeddah on Monday.")
