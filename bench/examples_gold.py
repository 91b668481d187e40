"""Turn the hand-coded expected events of the bundled examples (data/examples/expected.yaml) into gold JSONL for
`dotterel eval`, so the demo's precision can be checked the same way as the gold splits.

    .venv/bin/python bench/examples_gold.py > /tmp/examples_gold.jsonl
    .venv/bin/dotterel eval /tmp/examples_gold.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "data" / "examples"


def side(value: dict | None) -> list | None:
    if not value:
        return None
    sectors = [value.get("sector"), *(value.get("sectors") or []), *(value.get("secondary") or [])]
    return [value["country"], [s for s in sectors if s]]


def main() -> int:
    articles = {}
    with (EXAMPLES / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            articles[record["id"]] = record
    expected = yaml.safe_load((EXAMPLES / "expected.yaml").read_text(encoding="utf-8"))
    for entry in expected["articles"]:
        article = articles.get(entry["id"])
        if article is None:  # the .txt and .html examples are not in articles.jsonl
            continue
        events = [{"event": e["type"], "mode": e.get("mode"), "actor": side(e["actor"]),
                   "recipient": side(e.get("recipient")), "symmetric": bool(e.get("mutual")), "date": None}
                  for e in entry.get("events") or [] if e.get("actor")]
        sys.stdout.write(json.dumps({"id": entry["id"], "pub_date": article["date"], "text": article["text"],
                                     "events": events, "optional": [], "tags": []}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
