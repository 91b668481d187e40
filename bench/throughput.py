"""Throughput benchmark: dotterel's full coding time against spaCy parsing alone, on the same texts, in one run.

Usage:
    .venv/bin/python bench/throughput.py                 # 200 articles generated from the bundled examples
    .venv/bin/python bench/throughput.py --articles 400  # more
    .venv/bin/python bench/throughput.py --folder DIR    # your own .txt/.jsonl/.html articles

The generated corpus is reproducible (fixed seed): each article is a shuffle of paragraphs drawn from the bundled
example articles, so every article is news-length English with real political events in it.
This is a measurement, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

from dotterel.coder import Coder
from dotterel.ingest import read_inputs
from dotterel.records import Article

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "data" / "examples" / "articles.jsonl"


def generate_corpus(n: int, seed: int = 13) -> list[Article]:
    paragraphs: list[str] = []
    dates: list[str] = []
    with EXAMPLES.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            paragraphs.extend(p.strip() for p in record["text"].split("\n\n") if p.strip())
            dates.append(record["date"])
    rng = random.Random(seed)
    articles = []
    for i in range(n):
        k = rng.randint(5, 9)
        text = "\n\n".join(rng.sample(paragraphs, k=min(k, len(paragraphs))))
        articles.append(Article(id=f"gen{i:05d}", text=text, pub_date=date.fromisoformat(rng.choice(dates))))
    return articles


def load_folder(folder: str) -> list[Article]:
    return [a for a in read_inputs([folder]) if isinstance(a, Article)]


def peak_rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def run(articles: list[Article], coder: Coder, n_process: int, batch_size: int, repeat: int) -> dict[str, float]:
    """Best of ``repeat`` alternating runs of parse-only and full coding (the machine may be shared)."""
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    parse = full = float("inf")
    events = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _doc in coder.nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            pass
        parse = min(parse, time.perf_counter() - t0)
        t0 = time.perf_counter()
        events = 0
        for coded in coder.code_articles(articles, batch_size=batch_size, n_process=n_process):
            events += len(coded.events)
        full = min(full, time.perf_counter() - t0)
    return {"processes": n_process, "articles": len(articles), "words": words, "events": events,
            "parse_s": parse, "full_s": full, "ratio": full / parse,
            "articles_per_s": len(articles) / full, "words_per_s": words / full}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--folder")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2, help="runs per measurement; the best is kept")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    articles = load_folder(args.folder) if args.folder else generate_corpus(args.articles)
    coder = Coder()
    coder.code("Warm-up: the minister met the ambassador in Jakarta.")  # load lexicons before timing
    results = [run(articles, coder, n, args.batch_size, args.repeat) for n in args.processes]
    own, children = peak_rss_mib()
    if args.json:
        print(json.dumps({"machine": platform.platform(), "results": results,
                          "peak_rss_mib": own, "peak_rss_children_mib": children}, indent=1))
        return 0
    print(f"machine: {platform.platform()}, python {platform.python_version()}, {coder.version}")
    print(f"corpus: {len(articles)} articles, {results[0]['words']} words")
    print(f"{'procs':>5} {'parse s':>8} {'full s':>8} {'full/parse':>10} {'articles/s':>10} {'words/s':>8} events")
    for r in results:
        print(f"{r['processes']:>5} {r['parse_s']:>8.2f} {r['full_s']:>8.2f} {r['ratio']:>10.3f} "
              f"{r['articles_per_s']:>10.1f} {r['words_per_s']:>8.0f} {r['events']}")
    if len(results) > 1:
        speedup = results[0]["full_s"] / results[-1]["full_s"]
        print(f"speed-up {results[-1]['processes']} processes vs {results[0]['processes']}: {speedup:.2f}x")
    print(f"peak RSS: main process {own:.0f} MiB, largest worker {children:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
