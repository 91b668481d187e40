"""Read articles from files, folders and standard input, validating each one.

Every problem with one input becomes an :class:`~dotterel.records.InputError` in the output stream, in input
order, and reading goes on: a batch of ten thousand articles should not stop because one line is broken. The
caller (CLI, API) decides whether to print, count or raise those errors.

Text is normalised as little as possible so that character offsets computed later still point into what the
user gave us: a leading byte-order mark is dropped and ``\\r\\n`` becomes ``\\n``; nothing else changes.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

from dotterel.records import Article, InputError

MAX_CHARS = 1_000_000  # spaCy's default nlp.max_length
SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
STDIN_NAME = "<stdin>"
META_FIELDS = ("title", "url", "source")

_SNIFF_BYTES = 8192
_CONTROL_RATIO = 0.10  # share of control bytes above which a file is treated as binary
_BOM = "\ufeff"
_REFUSE_UNREAD_FACTOR = 16  # files over 16 bytes per allowed character are refused unread


# --------------------------------------------------------------------------------------------------- dates


def parse_date(value: object, origin: str) -> date:
    """Turn a publication date from an input into a ``date``.

    Accepts ``date``/``datetime`` objects and ISO 8601 strings ("2024-03-05", "2024-03-05T10:00:00Z",
    "2024-03-05 10:00:00+07:00"). Anything else raises ``InputError("invalid date ...")``: a wrong date
    would silently misplace every event of the article, so we refuse rather than guess.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text:
            candidate = text[:-1] + "+00:00" if text[-1:] in "Zz" else text
            try:
                return datetime.fromisoformat(candidate).date()
            except ValueError:
                pass
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        raise InputError(origin, f"invalid date {value!r} (expected ISO 8601, e.g. 2024-03-05)")
    kind = type(value).__name__
    raise InputError(origin, f"invalid date {value!r} (expected an ISO 8601 string, got {kind})")


# ----------------------------------------------------------------------------------------- language check

# Words that are frequent in English running text and rare in the other languages we are likely to meet.
_ENGLISH_WORDS = frozenset(
    """
    the of and to in a is was for on that with by from at as said says has have had it its he she his her
    they their them we our you be been being will would could should can may might not no but or if than
    then this these those which who whom whose what when where while after before over about into against
    between during under since until are were do does did also more most other some such only up out new
    there here how all any both each just very so one two three after amid despite through across because
    him us my your i told say according year years week last first
    """.split()
)

# Frequent function words of French, Spanish, Portuguese, Italian, German, Dutch and Indonesian/Malay;
# words that are also English (a, in, an, on, was, will, so, also ...) are left out on purpose.
_FOREIGN_WORDS = (
    frozenset(
        """
        le la les des du de un une et est sont dans pour par sur avec au aux ce cette qui que ne pas il elle
        ils nous vous leur ont été être plus mais ou où selon entre après lors
        el los las del y en por con para una es son se lo al que como pero sus su fue ha han está están
        muy más sobre entre según tras también ser sido dijo
        o os da das dos em um uma não com ao pelo pela foi são
        il della delle degli che di per non gli sono è
        der die das und den dem des ist sind ein eine einer nicht mit auf für von zu im bei sich auch nach
        wurde werden hat sie er aus dass oder
        het een van en de zijn niet met voor op dat ook naar bij
        yang dan di ke dari untuk dengan ini itu akan tidak pada dalam oleh juga sebagai adalah atau telah
        kata bahwa mereka karena sudah bisa ada para
        """.split()
    )
    - _ENGLISH_WORDS
)

_MIN_WORDS_FOR_CHECK = 8
_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # kana
        or 0x3400 <= code <= 0x9FFF  # CJK ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2FFFF
    )


def _words(text: str) -> list[str]:
    """Alphabetic tokens; each CJK character counts as one word since those scripts use no spaces."""
    words: list[str] = []
    for token in _WORD_RE.findall(text):
        if any(_is_cjk(ch) for ch in token):
            run = []
            for ch in token:
                if _is_cjk(ch):
                    if run:
                        words.append("".join(run))
                        run = []
                    words.append(ch)
                else:
                    run.append(ch)
            if run:
                words.append("".join(run))
        else:
            words.append(token)
    return words


def looks_english(text: str) -> bool:
    """Cheap guess whether ``text`` is English, to keep the English-only coder off foreign articles.

    Texts under 8 words pass (too short to judge). Otherwise the letters must be mostly ASCII, and English
    function words must be frequent, or at least outnumber the function words of common European and
    Indonesian languages (headlines have few function words, foreign prose has many of its own).
    """
    sample = text[:20_000]
    words = _words(sample)
    if len(words) < _MIN_WORDS_FOR_CHECK:
        return True
    letters = [ch for word in words for ch in word]
    ascii_letters = sum(1 for ch in letters if ch.isascii())
    if ascii_letters / len(letters) < 0.75:
        return False
    lowered = [w.lower() for w in words]
    english = sum(1 for w in lowered if w in _ENGLISH_WORDS)
    # particles inside names ("Place de la Nation", "von der Leyen", "bin Salman") are not foreign prose
    foreign = sum(1 for i, w in enumerate(lowered)
                  if w in _FOREIGN_WORDS and not _inside_name(words, i))
    n = len(lowered)
    if english / n >= 0.2 and english > foreign:
        return True
    return foreign / n < 0.08 and english >= foreign


def _inside_name(words: list[str], i: int) -> bool:
    """A lower-case particle followed by a capitalised word or another particle leading to one."""
    for nxt in words[i + 1:i + 3]:
        if nxt[:1].isupper():
            return True
        if nxt.lower() not in _FOREIGN_WORDS:
            return False
    return False


# ----------------------------------------------------------------------------------------------- articles


def _normalise(text: str) -> str:
    if text.startswith(_BOM):
        text = text[1:]
    return text.replace("\r\n", "\n")


def article_from_text(
    text: str,
    *,
    doc_id: str,
    pub_date: date | None,
    origin: str,
    max_chars: int = MAX_CHARS,
    **meta: str | None,
) -> Article:
    """Validate and normalise one article's text; raise ``InputError`` for anything we must not code.

    ``meta`` takes the optional Article fields ``title``, ``url`` and ``source``.
    """
    unknown = set(meta) - set(META_FIELDS)
    if unknown:
        raise TypeError(f"unexpected article fields: {', '.join(sorted(unknown))}")
    doc_id = str(doc_id).strip()
    if not doc_id:
        raise InputError(origin, "empty id")
    text = _normalise(text)
    if not text.strip():
        raise InputError(origin, "empty text")
    if len(text) > max_chars:
        raise InputError(origin, f"article is {len(text):,} characters, over the limit of {max_chars:,}")
    if not looks_english(text):
        raise InputError(origin, "text does not look like English")
    return Article(
        id=doc_id,
        text=text,
        pub_date=pub_date,
        title=meta.get("title"),
        url=meta.get("url"),
        source=meta.get("source"),
        origin=origin,
    )


# ------------------------------------------------------------------------------------------------- bytes


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first few KB: an image, archive or office file, not text."""
    head = data[:_SNIFF_BYTES]
    if not head:
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13) or b == 127)
    return control / len(head) > _CONTROL_RATIO


def _decode(data: bytes, origin: str, *, base_offset: int = 0, what: str = "") -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}{what}"
        if base_offset:
            where += f" (byte {base_offset + exc.start} of the input)"
        raise InputError(origin, f"not valid UTF-8 at {where}") from None


_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes, origin: str) -> str:
    """HTML is UTF-8 by default, but older pages declare another charset in a meta tag; honour it."""
    match = _CHARSET_RE.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        if declared not in ("utf-8", "utf8"):
            try:
                return data.decode(declared)
            except LookupError:
                pass  # unknown codec name: treat as UTF-8 below
            except UnicodeDecodeError as exc:
                raise InputError(origin, f"not valid {declared} at byte {exc.start}") from None
    return _decode(data, origin)


def _read_bytes(path: Path, origin: str, max_chars: int) -> bytes:
    try:
        size = path.stat().st_size
        # Far beyond the limit (a UTF-8 character is at most 4 bytes) we refuse without loading the file;
        # nearer to it we read and count characters, for an exact message.
        if size > _REFUSE_UNREAD_FACTOR * max_chars + 4:
            raise InputError(origin, f"file is {size:,} bytes, over the limit of {max_chars:,} characters")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(origin, f"cannot read file: {exc.strerror or exc}") from None


# ------------------------------------------------------------------------------------------------ readers


class _Run:
    """State shared by all inputs of one run: ids seen so far, for duplicate detection."""

    def __init__(self, default_date: date | None, max_chars: int) -> None:
        self.default_date = default_date
        self.max_chars = max_chars
        self.seen: dict[str, str] = {}

    def accept(self, article: Article) -> Article | InputError:
        origin = article.origin or article.id
        first = self.seen.get(article.id)
        if first is not None:
            return InputError(origin, f"duplicate id {article.id!r} (first seen at {first})")
        self.seen[article.id] = origin
        return article


def _read_txt(path: Path, run: _Run) -> Iterator[Article | InputError]:
    origin = str(path)
    try:
        data = _read_bytes(path, origin, run.max_chars)
        if _looks_binary(data):
            raise InputError(origin, "looks like a binary file")
        text = _decode(data, origin)
        article = article_from_text(
            text, doc_id=path.stem, pub_date=run.default_date, origin=origin, max_chars=run.max_chars
        )
    except InputError as err:
        yield err
        return
    yield run.accept(article)


def _read_html(path: Path, run: _Run) -> Iterator[Article | InputError]:
    import trafilatura  # imported here: it is slow to import and only HTML input needs it

    origin = str(path)
    try:
        data = _read_bytes(path, origin, run.max_chars)
        if _looks_binary(data):
            raise InputError(origin, "looks like a binary file")
        html = _normalise(_decode_html(data, origin))
        if not html.strip():
            raise InputError(origin, "empty text")
        text = trafilatura.extract(html, include_comments=False)
        if not text or not text.strip():
            raise InputError(origin, "no article text found in the HTML")
        meta = trafilatura.extract_metadata(html)
        pub_date = run.default_date
        title = url = source = None
        if meta is not None:
            title = meta.title or None
            url = meta.url or None
            source = meta.sitename or None
            if meta.date:
                try:
                    pub_date = parse_date(meta.date, origin)
                except InputError:
                    pub_date = run.default_date  # a garbled page date is not the user's fault
        article = article_from_text(
            text,
            doc_id=path.stem,
            pub_date=pub_date,
            origin=origin,
            max_chars=run.max_chars,
            title=title,
            url=url,
            source=source,
        )
    except InputError as err:
        yield err
        return
    yield run.accept(article)


def _record_to_article(record: object, origin: str, run: _Run) -> Article:
    if not isinstance(record, dict):
        raise InputError(origin, f"JSON line is not an object (got {_json_type(record)})")
    if "id" not in record or record["id"] is None:
        raise InputError(origin, "missing 'id'")
    raw_id = record["id"]
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        raise InputError(origin, f"'id' must be a string or an integer, got {_json_type(raw_id)}")
    if "text" not in record or record["text"] is None:
        raise InputError(origin, "missing 'text'")
    text = record["text"]
    if not isinstance(text, str):
        raise InputError(origin, f"'text' must be a string, got {_json_type(text)}")
    raw_date = record.get("date")
    if raw_date is None:
        raw_date = record.get("pub_date")
    pub_date = run.default_date if raw_date is None else parse_date(raw_date, origin)
    meta: dict[str, str | None] = {}
    for name in META_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(origin, f"'{name}' must be a string, got {_json_type(value)}")
        meta[name] = value or None
    return article_from_text(
        text, doc_id=str(raw_id), pub_date=pub_date, origin=origin, max_chars=run.max_chars, **meta
    )


def _json_type(value: object) -> str:
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _read_jsonl_lines(lines: Iterable[bytes | str], name: str, run: _Run) -> Iterator[Article | InputError]:
    """One article per line; lines are streamed, never collected."""
    offset = 0
    for number, raw in enumerate(lines, start=1):
        origin = f"{name}:{number}"
        line_start = offset
        try:
            if isinstance(raw, bytes):
                offset += len(raw)
                if b"\x00" in raw:
                    raise InputError(origin, "looks like a binary file (NUL byte in line)")
                line = _decode(raw, origin, base_offset=line_start, what=" of the line")
            else:
                line = raw
            if number == 1 and line.startswith(_BOM):
                line = line[1:]
            if not line.strip():
                continue  # blank lines (often a trailing one) carry no article
            try:
                record = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as exc:
                message = exc.msg.removesuffix(" at")
                raise InputError(origin, f"malformed JSON: {message} at column {exc.colno}") from None
            article = _record_to_article(record, origin, run)
        except InputError as err:
            yield err
            continue
        yield run.accept(article)


def _read_jsonl(path: Path, run: _Run) -> Iterator[Article | InputError]:
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(origin, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        if _looks_binary(handle.read(_SNIFF_BYTES)):
            yield InputError(origin, "looks like a binary file")
            return
        handle.seek(0)
        yield from _read_jsonl_lines(handle, origin, run)


def _read_stdin(stream: TextIO | BinaryIO | None, run: _Run) -> Iterator[Article | InputError]:
    if stream is None:
        stream = sys.stdin
    # Prefer the underlying bytes, so bad UTF-8 is reported per line instead of crashing the iteration.
    stream = getattr(stream, "buffer", stream)
    yield from _read_jsonl_lines(stream, STDIN_NAME, run)


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".html": _read_html, ".htm": _read_html}


def _walk(folder: Path) -> list[Path]:
    """Supported files under ``folder``, recursively, sorted by path; hidden files and folders are skipped.

    Only paths are collected (not contents), so a large folder costs little memory.
    """
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).parts)


def _read_path(path: Path, run: _Run) -> Iterator[Article | InputError]:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        shown = path.suffix or "(no suffix)"
        yield InputError(str(path), f"unsupported file type {shown} (expected {', '.join(SUFFIXES)})")
        return
    yield from reader(path, run)


def read_inputs(
    inputs: Sequence[str | Path],
    default_date: date | None = None,
    *,
    stdin: TextIO | BinaryIO | None = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Article | InputError]:
    """Yield one Article or InputError per article found in ``inputs``, in order.

    ``inputs`` are ``.txt``/``.jsonl``/``.html``/``.htm`` files, folders (searched recursively) or ``-``
    for JSONL on standard input (``stdin`` overrides ``sys.stdin``, for tests and the API). ``default_date``
    is the publication date of articles that do not carry their own. Ids must be unique over the whole run.
    """
    run = _Run(default_date, max_chars)
    for item in inputs:
        if str(item) == "-":
            yield from _read_stdin(stdin, run)
            continue
        path = Path(item)
        if path.is_dir():
            for found in _walk(path):
                yield from _read_path(found, run)
        elif path.exists():
            yield from _read_path(path, run)
        else:
            yield InputError(str(path), "no such file or directory")


__all__ = [
    "MAX_CHARS",
    "SUFFIXES",
    "article_from_text",
    "looks_english",
    "parse_date",
    "read_inputs",
]
