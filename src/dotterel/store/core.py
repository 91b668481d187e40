"""``EventStore``: the Python API over one DuckDB store file (ingest, recode, query, dyad, profile, export).

Concurrency model (see docs/store.md): one process writes a store file at a time (DuckDB's rule). Queries made
while an ingest runs go through the same process: ``EventStore.reader()`` gives a cursor on the same database,
usable from another thread, that sees the last committed batch and never a half-written one. Other processes
get :class:`StoreLockedError` while a writer holds the file, or read a Parquet export.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from dotterel.records import Article, InputError
from dotterel.store import query as q
from dotterel.store.codes import load_code_tables
from dotterel.store.db import DEFAULT_DB, StoreError, connect, get_meta, set_meta
from dotterel.store.dedup import DedupRule, recluster
from dotterel.store.ingest import CodedBatchItem, content_hash, write_batch

Progress = Callable[[str], None]


@dataclass(slots=True)
class IngestReport:
    """What one ingest or recode did; ``errors`` lists (origin, problem) for inputs that failed."""

    read: int = 0
    written: int = 0
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicate_content: int = 0
    failed: int = 0
    batches: int = 0
    mentions: int = 0
    learned: int = 0  # new roles added to the knowledge base's learned store
    seconds: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        rate = self.written / self.seconds if self.seconds else 0.0
        return (
            f"{self.read} read, {self.new} new, {self.replaced} replaced, {self.unchanged} unchanged, "
            f"{self.duplicate_content} duplicate texts, {self.failed} failed; {self.mentions} mentions in "
            f"{self.batches} batches, {self.learned} roles learned, {self.seconds:.1f} s ({rate:.1f} articles/s)"
        )


def _as_article(item: Article | dict, n: int) -> Article:
    if isinstance(item, Article):
        return item
    if isinstance(item, dict):
        raw = item.get("pub_date", item.get("date"))
        pub = raw if isinstance(raw, date) or raw is None else date.fromisoformat(str(raw)[:10])
        return Article(
            id=str(item["id"]),
            text=str(item["text"]),
            pub_date=pub,
            title=item.get("title"),
            url=item.get("url"),
            source=item.get("source"),
            origin=item.get("origin", f"item {n}"),
        )
    raise TypeError(f"item {n}: expected an Article or dict, got {type(item).__name__}")


class EventStore:
    """An event store in one DuckDB file.

    ``rule``: the de-duplication rule; None keeps the store's (or the default for a new store). A rule that
    differs from the stored one rebuilds the events table when the store is opened for writing.
    ``coder``: any object with ``code_articles`` and ``version`` like :class:`dotterel.Coder`; created lazily
    (``model``) only when something needs coding.
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        rule: DedupRule | None = None,
        coder: Any = None,
        model: str | None = None,
        batch_size: int = 64,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.batch_size = batch_size
        self._coder = coder
        self._model = model
        self.con = connect(self.path, read_only=read_only)
        stored = get_meta(self.con, "dedup_rule") if self._has_meta() else None
        stored_rule = DedupRule.from_dict(json.loads(stored)) if stored else None
        self.rule = rule or stored_rule or DedupRule()
        if not read_only and self.rule != stored_rule:
            with self._transaction():
                set_meta(self.con, "dedup_rule", self.rule.to_dict())
                if stored_rule is not None:
                    self._rekey_and_recluster()
        self.tables = load_code_tables()

    # ------------------------------------------------------------------------------------------- plumbing

    def _has_meta(self) -> bool:
        return bool(
            self.con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
            ).fetchall()[0][0]
        )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    class _Tx:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con = con

        def __enter__(self) -> None:
            self.con.execute("BEGIN TRANSACTION")

        def __exit__(self, kind: object, *rest: object) -> None:
            self.con.execute("ROLLBACK" if kind else "COMMIT")

    def _transaction(self) -> EventStore._Tx:
        return EventStore._Tx(self.con)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")

    def reader(self) -> duckdb.DuckDBPyConnection:
        """A cursor for another thread of this process: sees committed batches only, never a half batch."""
        return self.con.cursor()

    @property
    def coder(self) -> Any:
        if self._coder is None:
            from dotterel.coder import Coder

            self._coder = Coder(self._model)
        return self._coder

    # --------------------------------------------------------------------------------------------- ingest

    def _articles(
        self,
        inputs: Iterable[str | Path | Article | dict] | str | Path,
        default_date: date | None,
        report: IngestReport,
    ) -> Iterator[tuple[Article, None]]:
        if isinstance(inputs, (str, Path)):
            inputs = [inputs]
        iterator = iter(inputs)
        first = next(iterator, None)
        if first is None:
            return
        items = itertools.chain([first], iterator)
        if isinstance(first, (str, Path)):
            from dotterel.ingest import read_inputs

            paths = list(items)
            if not all(isinstance(i, (str, Path)) for i in paths):
                raise TypeError("ingest: give either paths or articles, not both")
            stream: Iterable[Any] = read_inputs([str(i) for i in paths], default_date)
        else:
            stream = (_as_article(item, n) for n, item in enumerate(items))
        for item in stream:
            report.read += 1
            if isinstance(item, InputError):
                report.failed += 1
                report.errors.append((item.origin, item.problem))
                continue
            if item.pub_date is None and default_date is not None:
                item.pub_date = default_date
            yield item, None

    def _fresh(
        self, pairs: Iterable[tuple[Article, Any]], report: IngestReport
    ) -> Iterator[tuple[Article, Any, bool]]:
        """Drop articles already stored (same id and text) or whose text is stored under another id.

        Looks up the store a chunk at a time; yields (article, payload, replaces_existing_id).
        """
        seen_ids: dict[str, str] = {}
        seen_hashes: set[str] = set()
        chunk: list[tuple[Article, Any]] = []

        def flush() -> Iterator[tuple[Article, Any, bool]]:
            hashes = [content_hash(a.text) for a, _ in chunk]
            table = pa.table(
                {"id": pa.array([a.id for a, _ in chunk], pa.string()), "h": pa.array(hashes, pa.string())}
            )
            self.con.register("_probe", table)
            by_id = dict(
                self.con.execute(
                    "SELECT a.id, a.content_hash FROM articles a JOIN _probe p ON a.id = p.id"
                ).fetchall()
            )
            by_hash = dict(
                self.con.execute(
                    "SELECT a.content_hash, min(a.id) FROM articles a "
                    "JOIN _probe p ON a.content_hash = p.h GROUP BY ALL"
                ).fetchall()
            )
            self.con.unregister("_probe")
            aliases = []
            for (article, payload), digest in zip(chunk, hashes, strict=True):
                stored = seen_ids.get(article.id, by_id.get(article.id))
                if stored == digest:
                    report.unchanged += 1
                    continue
                if stored is None and (digest in by_hash or digest in seen_hashes):
                    report.duplicate_content += 1
                    aliases.append((article, by_hash.get(digest)))
                    continue
                seen_ids[article.id] = digest
                seen_hashes.add(digest)
                yield article, payload, stored is not None
            if aliases:
                self._record_aliases(aliases)

        for pair in pairs:
            chunk.append(pair)
            if len(chunk) >= self.batch_size:
                yield from flush()
                chunk = []
        if chunk:
            yield from flush()

    def _record_aliases(self, aliases: list[tuple[Article, str | None]]) -> None:
        rows = [(a.id, dup, a.source, a.url, a.pub_date) for a, dup in aliases if dup is not None]
        if not rows:
            return
        with self._transaction():
            for row in rows:
                exists = self.con.execute(
                    "SELECT count(*) FROM article_aliases WHERE id = ? AND duplicate_of = ?", [row[0], row[1]]
                ).fetchall()[0][0]
                if not exists:
                    self.con.execute(
                        "INSERT INTO article_aliases VALUES (?, ?, ?, ?, ?, current_timestamp)", list(row)
                    )

    def _write(
        self, items: list[CodedBatchItem], version: str, report: IngestReport, progress: Progress | None
    ) -> None:
        written, mentions = write_batch(self.con, items, version, self.rule, self.tables.country_names)
        report.batches += 1
        report.written += written
        report.mentions += mentions
        report.replaced += sum(1 for i in items if i.replaces)
        report.new += sum(1 for i in items if not i.replaces)
        for i in items:
            if i.error:
                report.failed += 1
                report.errors.append((i.article.origin or i.article.id, f"coding failed: {i.error}"))
        if progress:
            progress(
                f"batch {report.batches}: committed {written} articles, {mentions} mentions "
                f"({report.written} articles so far)"
            )

    def ingest(
        self,
        inputs: Iterable[str | Path | Article | dict] | str | Path,
        *,
        default_date: date | None = None,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Read, code and store articles (paths as for ``dotterel code``, or Article objects / dicts).

        Streaming; each batch of ``batch_size`` coded articles is one transaction. Articles already stored
        with the same text are skipped before coding, so rerunning an interrupted ingest finishes the job.
        """
        self._writable()
        report = IngestReport()
        started = time.perf_counter()
        fresh = self._fresh(self._articles(inputs, default_date, report), report)
        replaces: dict[str, bool] = {}

        def articles() -> Iterator[Article]:
            for article, _, rep in fresh:
                replaces[article.id] = rep
                yield article

        coder = self.coder
        version = coder.version
        batch: list[CodedBatchItem] = []
        learned: list[Any] = []
        for coded in coder.code_articles(articles()):
            records = [r.to_dict() if hasattr(r, "to_dict") else r for r in coded.events]
            batch.append(
                CodedBatchItem(coded.article, records, coded.error, replaces.pop(coded.article.id, False))
            )
            learned.extend(getattr(coded, "learned", []) or [])
            if len(batch) >= self.batch_size:
                self._write(batch, version, report, progress)
                self._learn(coder, learned, report)
                batch, learned = [], []
        if batch:
            self._write(batch, version, report, progress)
            self._learn(coder, learned, report)
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _learn(coder: Any, roles: list[Any], report: IngestReport) -> None:
        """The store's learning step: roles that articles state ("Foreign Minister X") go to the coder's
        knowledge base, after their batch is committed, so later articles naming X alone resolve too."""
        knowledge = getattr(getattr(coder, "engine", None), "knowledge", None)
        if not roles or knowledge is None or getattr(knowledge, "learned", None) is None:
            return
        report.learned += knowledge.add_learned(roles)

    def add_coded(
        self,
        items: Iterable[tuple[Article, list[dict[str, Any]]]],
        coder_version: str,
        *,
        progress: Progress | None = None,
    ) -> IngestReport:
        """Store articles coded elsewhere (records as EventRecord dicts), with the same idempotency."""
        self._writable()
        report = IngestReport()
        started = time.perf_counter()

        def pairs() -> Iterator[tuple[Article, list[dict[str, Any]]]]:
            for article, records in items:
                report.read += 1
                yield article, records

        batch: list[CodedBatchItem] = []
        for article, records, rep in self._fresh(pairs(), report):
            batch.append(CodedBatchItem(article, list(records), None, rep))
            if len(batch) >= self.batch_size:
                self._write(batch, coder_version, report, progress)
                batch = []
        if batch:
            self._write(batch, coder_version, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    def recode(self, *, everything: bool = False, progress: Progress | None = None) -> IngestReport:
        """Re-code stored articles whose coder version differs from the current coder (or all of them).

        Each batch replaces its articles' mentions in one transaction; an interrupted recode resumes where it
        stopped, because finished articles carry the new version.
        """
        self._writable()
        report = IngestReport()
        started = time.perf_counter()
        coder = self.coder
        version = coder.version
        where = "" if everything else "WHERE coder_version IS DISTINCT FROM ? OR error IS NOT NULL"
        params = [] if everything else [version]
        ids = [
            r[0] for r in self.con.execute(f"SELECT id FROM articles {where} ORDER BY id", params).fetchall()
        ]

        def articles() -> Iterator[Article]:
            for start in range(0, len(ids), self.batch_size):
                chunk = pa.table({"id": pa.array(ids[start : start + self.batch_size], pa.string())})
                self.con.register("_recode_ids", chunk)
                rows = self.con.execute(
                    "SELECT id, text, pub_date, title, url, source, origin FROM articles "
                    "WHERE id IN (SELECT id FROM _recode_ids) ORDER BY id"
                ).fetchall()
                self.con.unregister("_recode_ids")
                for row in rows:
                    report.read += 1
                    yield Article(
                        id=row[0],
                        text=row[1],
                        pub_date=row[2],
                        title=row[3],
                        url=row[4],
                        source=row[5],
                        origin=row[6],
                    )

        materialised = list(articles()) if len(ids) <= self.batch_size else articles()
        batch: list[CodedBatchItem] = []
        for coded in coder.code_articles(materialised):
            records = [r.to_dict() if hasattr(r, "to_dict") else r for r in coded.events]
            batch.append(CodedBatchItem(coded.article, records, coded.error, True))
            if len(batch) >= self.batch_size:
                self._write(batch, version, report, progress)
                batch = []
        if batch:
            self._write(batch, version, report, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _rekey_and_recluster(self) -> None:
        """Recompute every mention's match key under the current rule and rebuild all events."""
        from dotterel.store.dedup import entity_key, match_key

        rows = self.con.execute(
            "SELECT mention_id, event_type, mode, cameo, loc_country, "
            "a_name, a_country, a_sector, a_text, r_name, r_country, r_sector, r_text FROM mentions"
        ).fetchall()
        names = load_code_tables().country_names
        keys = []
        for mid, ev, mode, cameo, loc, an, ac, asec, at, rn, rc, rsec, rt in rows:
            a = {"name": an, "country": ac, "sector": asec, "text": at} if (an or ac or asec or at) else None
            r = {"name": rn, "country": rc, "sector": rsec, "text": rt} if (rn or rc or rsec or rt) else None
            ak = entity_key(a, self.rule.actor_level, names)
            rk = entity_key(r, self.rule.actor_level, names)
            keys.append((mid, ak, rk, match_key(self.rule, ev or "", mode, cameo, ak, rk, loc)))
        if keys:
            table = pa.table(
                {
                    "mention_id": [k[0] for k in keys],
                    "a_key": [k[1] for k in keys],
                    "r_key": [k[2] for k in keys],
                    "dedup_key": [k[3] for k in keys],
                }
            )
            self.con.register("_rekey", table)
            self.con.execute(
                "UPDATE mentions SET a_key = k.a_key, r_key = k.r_key, dedup_key = k.dedup_key "
                "FROM _rekey k WHERE mentions.mention_id = k.mention_id"
            )
            self.con.unregister("_rekey")
        recluster(self.con, self.rule, None)

    def rebuild_events(self) -> int:
        """Re-cluster the whole store under the current rule (after changing it); returns the event count."""
        self._writable()
        with self._transaction():
            self._rekey_and_recluster()
        return self.con.execute("SELECT count(*) FROM events").fetchall()[0][0]

    # ---------------------------------------------------------------------------------------------- reads

    def stats(self) -> dict[str, Any]:
        """Counts of articles, records, mentions and events, and the de-dup rule."""
        con = self.reader()
        one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "failed_articles": one("SELECT count(*) FROM articles WHERE error IS NOT NULL"),
            "duplicate_texts": one("SELECT count(*) FROM article_aliases"),
            "records": one("SELECT count(*) FROM records"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "events": one("SELECT count(*) FROM events"),
            "coder_versions": dict(
                con.execute(
                    "SELECT coder_version, count(*) FROM articles GROUP BY ALL ORDER BY ALL"
                ).fetchall()
            ),
            "dedup_rule": self.rule.to_dict(),
        }

    def query(self, *, level: str = "events", limit: int | None = None, **filters: Any) -> pd.DataFrame:
        """Events (de-duplicated) or mentions matching the filters; see ``query.Filters`` for their names."""
        return q.select(self.reader(), level, q.Filters(**filters), limit=limit)

    def dyad(
        self, a: str, b: str, *, by: str = "month", level: str = "events", **filters: Any
    ) -> pd.DataFrame:
        """Time series for the pair, both directions: counts per type and quad, Goldstein sum per period."""
        return q.dyad_series(self.reader(), a, b, by=by, level=level, filters=q.Filters(**filters))

    def dyad_chart(
        self, a: str, b: str, path: str | Path, *, by: str = "month", level: str = "events", **filters: Any
    ) -> Path:
        """Draw the dyad series to PNG or SVG (by the file's extension)."""
        from dotterel.store.chart import draw_dyad

        return draw_dyad(self.dyad(a, b, by=by, level=level, **filters), a, b, Path(path), by=by)

    def profile(self, entity: str, *, level: str = "events", top: int = 10, **filters: Any) -> dict[str, Any]:
        """An entity's events: roles, types, quads, counterparts and its cooperation/conflict balance."""
        return q.profile(self.reader(), entity, level=level, filters=q.Filters(**filters), top=top)

    def export(self, format: str, path: str | Path, *, level: str | None = None, **filters: Any) -> int:
        """Write an export (plover, polecat, gdelt, icews, parquet); returns the number of rows written."""
        from dotterel.store.exports import export

        return export(self, format, Path(path), level=level, filters=q.Filters(**filters))
