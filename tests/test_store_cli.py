"""Event store with the real coder: the kill test, the CLI on the bundled examples, recode."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path

import click
import pandas as pd
from click.testing import CliRunner

from dotterel.store import EventStore
from dotterel.store.commands import register

EXAMPLES = Path(str(resources.files("dotterel") / "data" / "examples"))
PAIRS = [
    ("Cambodia", "Thailand"),
    ("Poland", "Belarus"),
    ("Japan", "China"),
    ("Kenya", "Uganda"),
    ("Peru", "Chile"),
    ("Norway", "Russia"),
    ("India", "Nepal"),
    ("Egypt", "Sudan"),
]
VERBS = [
    "accused {b} of violating the border agreement",
    "signed a trade agreement with {b}",
    "imposed sanctions on {b}",
    "sent humanitarian aid to {b}",
    "expelled two diplomats from {b}",
    "praised {b} for its help",
]


def _short_corpus(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(n):
            a, b = PAIRS[i % len(PAIRS)]
            verb = VERBS[(i // len(PAIRS)) % len(VERBS)].format(b=b)
            text = f"{a} {verb} on Monday, officials said in statement number {i}."
            handle.write(
                json.dumps(
                    {
                        "id": f"k{i:04d}",
                        "date": f"2022-0{1 + i % 9}-1{i % 10}",
                        "source": f"Outlet {i % 5}",
                        "text": text,
                    }
                )
                + "\n"
            )


def _counts(db: Path) -> dict[str, int]:
    with EventStore(db, read_only=True) as s:
        con = s.con
        one = lambda sql: con.execute(sql).fetchall()[0][0]  # noqa: E731
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "distinct_ids": one("SELECT count(DISTINCT id) FROM articles"),
            "dup_mentions": one("SELECT count(*) - count(DISTINCT mention_id) FROM mentions"),
            "dup_records": one("SELECT count(*) - count(DISTINCT (article_id, seq)) FROM records"),
            "orphans": one(
                "SELECT count(*) FROM mentions WHERE event_id IS NULL OR event_id NOT IN "
                "(SELECT event_id FROM events)"
            ),
            "mentions": one("SELECT count(*) FROM mentions"),
            "event_mentions": one("SELECT coalesce(sum(n_mentions), 0) FROM events"),
            "records_vs_articles": one(
                "SELECT count(*) FROM articles a WHERE a.n_records <> "
                "(SELECT count(*) FROM records r WHERE r.article_id = a.id)"
            ),
        }


def test_kill_minus_nine_mid_ingest_then_rerun(tmp_path: Path) -> None:
    corpus, db = tmp_path / "short.jsonl", tmp_path / "kill.duckdb"
    n = 300
    _short_corpus(corpus, n)
    command = [
        sys.executable,
        "-m",
        "dotterel.store",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "20",
        "-v",
    ]
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    committed = 0
    try:
        for line in proc.stderr:  # one line per committed batch
            if line.startswith("batch "):
                committed += 1
                if committed == 3:
                    os.kill(proc.pid, signal.SIGKILL)
                    break
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the ingest was killed mid-way"
    mid = _counts(db)
    assert 60 <= mid["articles"] < n  # at most the batch in flight was lost
    assert mid["articles"] % 20 == 0  # only whole batches are stored
    assert mid["dup_mentions"] == mid["orphans"] == mid["records_vs_articles"] == 0
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{mid['articles']} unchanged" in rerun.stderr
    end = _counts(db)
    assert end["articles"] == end["distinct_ids"] == n
    assert end["dup_mentions"] == end["dup_records"] == end["orphans"] == end["records_vs_articles"] == 0
    assert end["mentions"] == end["event_mentions"] > 0


def test_api_ingest_recode_and_cli_on_bundled_examples(tmp_path: Path, coder) -> None:
    db = tmp_path / "ex.duckdb"
    with EventStore(db, coder=coder, batch_size=2) as store:
        report = store.ingest([str(EXAMPLES)])
        assert report.failed == 0 and report.new == report.written >= 3
        stats = store.stats()
        assert stats["articles"] == report.written and stats["records"] > 0
        assert store.ingest([str(EXAMPLES)]).unchanged == report.written  # idempotent

        class NextVersion:  # the same coder announced as a newer version: recode must redo every article
            version = "next"
            code_articles = staticmethod(coder.code_articles)

        store._coder = NextVersion()
        before = store.query(level="mentions")[["mention_id", "event_type"]]
        again = store.recode()
        assert again.replaced == stats["articles"]
        assert store.stats()["coder_versions"] == {"next": stats["articles"]}
        after = store.query(level="mentions")[["mention_id", "event_type"]]
        pd.testing.assert_frame_equal(before, after)  # coding is deterministic
        assert store.recode().read == 0  # nothing left to recode

    group = click.Group()
    register(group)
    runner = CliRunner()
    out = runner.invoke(group, ["query", "--db", str(db), "--actor", "USA", "--event", "SANCTION"])
    assert out.exit_code == 0, out.output
    assert "SANCTION" in out.output and "NIC" in out.output
    out = runner.invoke(group, ["query", "--db", str(db), "-o", str(tmp_path / "q.csv")])
    assert out.exit_code == 0 and len(pd.read_csv(tmp_path / "q.csv")) == len(
        EventStore(db, read_only=True).query()
    )
    out = runner.invoke(
        group,
        [
            "dyad",
            "USA",
            "NIC",
            "--db",
            str(db),
            "--by",
            "week",
            "--chart",
            str(tmp_path / "d.png"),
            "-o",
            str(tmp_path / "d.csv"),
        ],
    )
    assert out.exit_code == 0, out.output
    series = pd.read_csv(tmp_path / "d.csv")
    assert (
        series[series.direction == "USA->NIC"].events.sum() >= 1 and (tmp_path / "d.png").stat().st_size > 0
    )
    out = runner.invoke(group, ["profile", "NIC", "--db", str(db), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["events"] >= 1
    for fmt in ("plover", "polecat", "gdelt", "icews", "parquet"):
        out = runner.invoke(
            group, ["export", "--db", str(db), "--format", fmt, "-o", str(tmp_path / f"x.{fmt}")]
        )
        assert out.exit_code == 0, out.output
    records = [json.loads(x) for x in (tmp_path / "x.plover").read_text().splitlines()]
    assert len(records) == EventStore(db, read_only=True).stats()["records"]
    out = runner.invoke(
        group, ["recode", "--db", str(db), "--events-only", "--window-days", "0", "--match", "country"]
    )
    assert out.exit_code == 0, out.output
    assert EventStore(db, read_only=True).rule.window_days == 0
    out = runner.invoke(group, ["query", "--db", str(tmp_path / "none.duckdb")])
    assert out.exit_code == 1 and "no such store" in out.output
