"""Throughput benchmark: dotterel's full coding time against spaCy parsing alone, on the same texts, in one run.

Usage:
    .venv/bin/python bench/throughput.py                 # 200 articles generated from the bundled examples
    .venv/bin/python bench/throughput.py --articles 400  # more
    .venv/bin/python bench/throughput.py --folder DIR    # your own .txt/.jsonl/.html articles

The generated corpus is reproducible (fixed seed): each article is a shuffle of paragraphs drawn from the bundled
example articles, so every article is news-length English with real political events in it.
Each measurement is repeated (``--repeat``, 3 rounds by default) and reported as best / median / worst, with the
load average, because the machine may be shared. This is a measurement, not a test: it prints numbers and asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_busy_s() -> float | None:
    """CPU seconds all processes on the machine have used since boot (Linux), or None where unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


def timed_pass(articles: list[Article], coder: Coder, n_process: int, batch_size: int, full: bool
               ) -> dict[str, float]:
    """One pass over the corpus: spaCy parsing alone, or dotterel's full coding. Wall time, the main process's
    CPU time, the worker processes' CPU time (where the work goes, even on a loaded machine) and the CPU time
    other processes on the machine used during the pass."""
    busy0 = _machine_busy_s()
    wall0, main0, kids0 = time.perf_counter(), time.process_time(), _children_cpu()
    events = 0
    if full:
        for coded in coder.code_articles(articles, batch_size=batch_size, n_process=n_process):
            events += len(coded.events)
    else:
        for _doc in coder.nlp.pipe((a.text for a in articles), batch_size=batch_size, n_process=n_process):
            pass
    wall, main_cpu, workers_cpu = time.perf_counter() - wall0, time.process_time() - main0, _children_cpu() - kids0
    busy1 = _machine_busy_s()
    # CPU that other processes took meanwhile: a pass with seconds of it was slowed by them, not by dotterel
    others = None if busy0 is None or busy1 is None else max(0.0, busy1 - busy0 - main_cpu - workers_cpu)
    return {"wall_s": wall, "main_cpu_s": main_cpu, "workers_cpu_s": workers_cpu, "others_cpu_s": others,
            "events": events}


def run(articles: list[Article], coder: Coder, processes: list[int], batch_size: int, repeat: int) -> list[dict]:
    """``repeat`` rounds; each round times parse-only then full coding for every process count in turn, so that
    the runs compared sit close in time (other jobs may load the machine between rounds)."""
    passes: list[dict] = []
    for round_no in range(repeat):
        for n_process in processes:
            for full in (False, True):
                result = timed_pass(articles, coder, n_process, batch_size, full)
                result.update({"round": round_no, "processes": n_process, "kind": "full" if full else "parse",
                               "load1": os.getloadavg()[0]})
                passes.append(result)
    return passes


def _spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def summarise(passes: list[dict], processes: list[int], n_articles: int, words: int) -> dict:
    """Best, median and worst of each measurement, and the speed-ups within each round."""
    rows = []
    for n_process in processes:
        parse = [p["wall_s"] for p in passes if p["processes"] == n_process and p["kind"] == "parse"]
        full = [p for p in passes if p["processes"] == n_process and p["kind"] == "full"]
        full_s = [p["wall_s"] for p in full]
        rows.append({"processes": n_process, "parse_s": _spread(parse), "full_s": _spread(full_s),
                     "ratio": min(full_s) / min(parse), "articles_per_s": n_articles / min(full_s),
                     "words_per_s": words / min(full_s), "events": full[-1]["events"],
                     "main_cpu_s": statistics.median(p["main_cpu_s"] for p in full),
                     "workers_cpu_s": statistics.median(p["workers_cpu_s"] for p in full)})
    speedups = {}
    if len(processes) > 1:
        first, last = processes[0], processes[-1]
        rounds = sorted({p["round"] for p in passes})

        def get(r: int, n: int, kind: str) -> dict:
            return next(p for p in passes if p["round"] == r and p["processes"] == n and p["kind"] == kind)

        speedups = {kind: {"per_round": [get(r, first, kind)["wall_s"] / get(r, last, kind)["wall_s"] for r in rounds],
                           "others_cpu_s": [sum(get(r, n, kind)["others_cpu_s"] or 0.0 for n in (first, last))
                                            for r in rounds],
                           "best_vs_best": rows[0][f"{kind}_s"][0] / rows[-1][f"{kind}_s"][0]}
                    for kind in ("parse", "full")}
    return {"rows": rows, "speedups": speedups}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--folder")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; best, median and worst are reported")
    parser.add_argument("--json", action="store_true", help="print the results (and every pass) as JSON")
    args = parser.parse_args(argv)

    articles = load_folder(args.folder) if args.folder else generate_corpus(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    coder = Coder()
    coder.code("Warm-up: the minister met the ambassador in Jakarta.")  # load lexicons before timing
    setup = time.perf_counter()
    if max(args.processes) > 1:  # the workers' pipeline is built once per Coder, on its first multi-process call
        list(coder.code_articles(articles[:2], batch_size=1, n_process=max(args.processes)))
    setup = time.perf_counter() - setup
    load_before = os.getloadavg()
    passes = run(articles, coder, args.processes, args.batch_size, args.repeat)
    summary = summarise(passes, args.processes, len(articles), words)
    own, children = peak_rss_mib()
    machine = f"{platform.platform()}, {os.cpu_count()} CPUs, python {platform.python_version()}, {coder.version}"
    if args.json:
        print(json.dumps({"machine": machine, "articles": len(articles), "words": words,
                          "batch_size": args.batch_size, "worker_setup_s": setup, "load_before": load_before,
                          "load_after": os.getloadavg(),
                          **summary, "passes": passes, "peak_rss_mib": own, "peak_rss_children_mib": children},
                         indent=1))
        return 0
    print(f"machine: {machine}")
    print(f"corpus: {len(articles)} articles, {words} words; batch size {args.batch_size}; {args.repeat} rounds; "
          f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print("times in s as best / median / worst of the rounds; rates from the best; CPU: median of the full runs;")
    print("'others': CPU seconds other processes used during the two passes compared (a loaded machine)")
    print(f"{'procs':>5} {'parse only':>20} {'full coding':>20} {'full/parse':>10} {'articles/s':>10} "
          f"{'words/s':>8} {'main CPU':>8} {'workers CPU':>11} events")
    for r in summary["rows"]:
        parse, full = "/".join(f"{x:.2f}" for x in r["parse_s"]), "/".join(f"{x:.2f}" for x in r["full_s"])
        print(f"{r['processes']:>5} {parse:>20} {full:>20} {r['ratio']:>10.3f} {r['articles_per_s']:>10.1f} "
              f"{r['words_per_s']:>8.0f} {r['main_cpu_s']:>8.2f} {r['workers_cpu_s']:>11.2f} {r['events']}")
    for kind, sp in summary["speedups"].items():
        pairs = zip(sp["per_round"], sp["others_cpu_s"], strict=True)
        rounds = ", ".join(f"{x:.2f}x (others {o:.1f} s)" for x, o in pairs)
        print(f"speed-up {args.processes[-1]} processes vs {args.processes[0]}, {kind}: per round {rounds}; "
              f"best vs best {sp['best_vs_best']:.2f}x")
    print(f"peak RSS: main process {own:.0f} MiB, largest worker {children:.0f} MiB; "
          f"worker pipeline set-up (once per Coder, not timed above) {setup:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
