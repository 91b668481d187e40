"""The Python API: ``Coder().code(text)`` and ``Coder().code_articles(articles)``.

One spaCy pass per article (``nlp.pipe``, batched, optionally over several processes), then the event
engine on each parsed Doc. A failure inside one article is reported with that article and never stops the stream.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language

from dotterel.events.engine import EventEngine
from dotterel.nlp.context import ArticleTokenizer, with_context
from dotterel.nlp.dateline import blank_dateline, remember_dateline
from dotterel.nlp.pipeline import load_pipeline, pipeline_name
from dotterel.records import Article, EventRecord, InputError, LearnedRole


@dataclass(slots=True)
class CodedArticle:
    """An article with its events, or the error that stopped its coding."""

    article: Article
    events: list[EventRecord] = field(default_factory=list)
    error: str | None = None
    learned: list[LearnedRole] = field(default_factory=list)  # roles the article states ("Foreign Minister X")


def _as_article(item: Article | dict | str, n: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(id=f"doc{n}", text=item, origin=f"item {n}")
    if isinstance(item, dict):
        raw_date = item.get("date", item.get("pub_date"))
        pub = date.fromisoformat(str(raw_date)[:10]) if raw_date else None
        return Article(id=str(item.get("id", f"doc{n}")), text=str(item["text"]), pub_date=pub,
                       title=item.get("title"), url=item.get("url"), source=item.get("source"),
                       origin=f"item {n}")
    raise TypeError(f"item {n}: expected Article, dict or str, got {type(item).__name__}")


class Coder:
    """Codes English news into PLOVER event records.

    ``model``: a spaCy pipeline name or path (default: en_core_web_sm, else the PyPI re-upload).
    ``n_process``: worker processes for parsing in ``code_articles``.
    """

    def __init__(self, model: str | None = None, *, batch_size: int = 16, n_process: int = 1) -> None:
        self.model = model
        self.nlp = load_pipeline(model)
        self._worker_nlp: Language | None = None  # a second copy with the dotterel component, for n_process > 1
        self.engine = EventEngine()
        self.batch_size = batch_size
        self.n_process = n_process

    @property
    def version(self) -> str:
        from dotterel import __version__

        return f"dotterel-{__version__}+{pipeline_name(self.nlp)}"

    def _code_in_workers(self, articles: Iterable[Article | dict | str], batch_size: int, processes: int
                         ) -> Iterator[CodedArticle]:
        """Parse and code in ``processes`` spaCy workers; the main process only pairs records with articles.

        The workers receive plain strings (the context header carries id and date), not ``as_tuples`` pairs:
        with ``as_tuples`` spaCy tokenizes each text in the main process and ships the serialised Doc instead."""
        if self._worker_nlp is None:
            self._worker_nlp = load_pipeline(self.model, fresh=True)
            self._worker_nlp.tokenizer = ArticleTokenizer(self._worker_nlp.tokenizer)
            self._worker_nlp.add_pipe("dotterel", config={"records_only": True})  # only records travel back
        pending: deque[Article] = deque()  # sent to the workers, not yet returned; spaCy keeps input order

        def texts() -> Iterator[str]:
            for n, item in enumerate(articles):
                article = _as_article(item, n)
                pending.append(article)
                yield with_context(article.text, article.id, article.pub_date)

        for doc in self._worker_nlp.pipe(texts(), batch_size=batch_size, n_process=processes):
            article = pending.popleft()
            if doc._.doc_id != article.id:
                raise RuntimeError(f"worker output out of order: got {doc._.doc_id!r}, expected {article.id!r}")
            if doc._.dotterel_error:
                yield CodedArticle(article, [], doc._.dotterel_error)
                continue
            yield CodedArticle(article, [EventRecord.from_dict(d) for d in doc._.events or []],
                               learned=[LearnedRole(**d) for d in doc._.learned or []])

    def code(self, text: str, date: date | str | None = None, doc_id: str = "doc") -> list[EventRecord]:
        """Code one article's text. ``date`` is its publication date (ISO string or date)."""
        pub = date if date is None or not isinstance(date, str) else _parse_iso(date)
        if not text or not text.strip():
            raise InputError(doc_id, "empty text")
        blanked, dateline = blank_dateline(text)
        doc = remember_dateline(self.nlp(blanked), text, dateline)
        return self.engine.code_doc(doc, doc_id=doc_id, pub_date=pub)

    def code_articles(self, articles: Iterable[Article | dict | str], *, batch_size: int | None = None,
                      n_process: int | None = None) -> Iterator[CodedArticle]:
        """Stream over many articles: parse in batches, code each, yield in input order.

        With several processes, parsing and coding both run in the workers (the ``dotterel`` component), so
        the main process only gathers records."""
        processes = n_process or self.n_process
        if processes > 1:
            yield from self._code_in_workers(articles, batch_size or self.batch_size, processes)
            return
        items = (_as_article(a, n) for n, a in enumerate(articles))
        pairs = ((*blank_dateline(a.text), a) for a in items)
        docs = self.nlp.pipe(((blanked, (dateline, a)) for blanked, dateline, a in pairs), as_tuples=True,
                             batch_size=batch_size or self.batch_size, n_process=n_process or self.n_process)
        for doc, (dateline, article) in docs:
            doc = remember_dateline(doc, article.text, dateline)
            try:
                events, learned = self.engine.code_doc_with_roles(doc, doc_id=article.id, pub_date=article.pub_date)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
                yield CodedArticle(article, [], f"{type(exc).__name__}: {exc}")
                continue
            yield CodedArticle(article, events, learned=learned)


def _parse_iso(value: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InputError("date", f"invalid date {value!r}: expected YYYY-MM-DD") from exc
