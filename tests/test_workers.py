"""The multi-process path (``Coder.code_articles(n_process=2)``) must code exactly what one process codes.

Workers parse and code (the ``dotterel`` component in records-only mode); the main process pairs records with
articles. These tests fail if the pairing, the order, the context header, the dateline or an error report
differs between the two paths.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import spacy

from dotterel.coder import CodedArticle
from dotterel.events.engine import EventEngine
from dotterel.nlp.context import ArticleTokenizer, with_context
from dotterel.records import Article

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "dotterel" / "data" / "examples" / "articles.jsonl"


def _flat(coded: list[CodedArticle]) -> list[tuple]:
    return [(c.article.id, c.error, [r.to_dict() for r in c.events], [x.to_dict() for x in c.learned])
            for c in coded]


@pytest.fixture(scope="module")
def examples() -> list[dict]:
    with EXAMPLES.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_two_processes_code_the_bundled_examples_exactly_like_one(coder, examples):
    # batch size 3 over 31 articles: 11 batches, both workers busy, an uneven last batch
    one = _flat(list(coder.code_articles(examples, batch_size=3)))
    two = _flat(list(coder.code_articles(examples, batch_size=3, n_process=2)))
    assert [x[0] for x in two] == [e["id"] for e in examples]
    assert one == two
    assert all(error is None for _, error, _, _ in two)
    assert sum(len(events) for _, _, events, _ in two) > len(examples)  # real events, not empty lists compared


def test_mixed_inputs_from_a_generator_keep_their_order_ids_and_dates(coder):
    items = [
        "Police arrested five activists in Nairobi on Monday.",
        {"id": "d1", "text": "KAMPALA, May 2 (Dotterel Wire) - Uganda expelled a Kenyan diplomat on Tuesday."},
        Article(id="a1", text="Chile recalled its ambassador to Peru on Friday.", pub_date=date(2021, 7, 9)),
        {"id": "d2", "date": "2023-01-05", "text": "Ghana's president met the Nigerian foreign minister on Monday."},
    ]
    one = _flat(list(coder.code_articles(iter(items))))
    two = _flat(list(coder.code_articles(iter(items), batch_size=1, n_process=2)))
    assert [x[0] for x in two] == ["doc0", "d1", "a1", "d2"]
    assert one == two
    dated = {x[0]: x[2] for x in two}
    assert dated["a1"] and all(r["date"] == "2021-07-09" for r in dated["a1"])  # "on Friday" before 9 July 2021


def test_an_article_that_fails_is_reported_the_same_way_by_both_paths(coder, monkeypatch):
    real = EventEngine.code_doc_with_roles

    def failing(self, doc, doc_id, pub_date=None):  # noqa: ANN001, ANN202
        if "Ruritania" in doc.text:
            raise ValueError("engine broke on Ruritania")
        return real(self, doc, doc_id, pub_date)

    # workers are forked from this process when the pipe starts, so they inherit the patch
    monkeypatch.setattr(EventEngine, "code_doc_with_roles", failing)
    items = [{"id": "ok1", "text": "Police arrested five activists in Nairobi on Monday."},
             {"id": "bad", "text": "Ruritania expelled the French ambassador on Monday."},
             {"id": "ok2", "text": "Chile recalled its ambassador to Peru on Friday."}]
    one = _flat(list(coder.code_articles(items)))
    two = _flat(list(coder.code_articles(items, batch_size=1, n_process=2)))
    assert one == two
    assert [x[1] for x in two] == [None, "ValueError: engine broke on Ruritania", None]
    assert two[0][2] and two[2][2]


def test_records_only_component_returns_the_same_records_without_the_parse(nlp):
    full = spacy.load(nlp.path)
    full.add_pipe("dotterel")
    slim = spacy.load(nlp.path)
    slim.add_pipe("dotterel", config={"records_only": True})
    text = "Chan Dara, a spokesman for Cambodia's ruling party, met Thai officials in Bangkok on Monday."
    big, small = full(text), slim(text)
    assert len(big) > 10 and len(small) == 0
    assert small._.events == big._.events and small._.learned == big._.learned
    assert small._.events and small._.learned
    # the default keeps the parsed Doc for users of the component
    assert full.get_pipe("dotterel").records_only is False


def test_records_only_component_keeps_the_as_tuples_context(nlp):
    slim = spacy.load(nlp.path)
    slim.add_pipe("dotterel", config={"records_only": True})
    pairs = [("Police arrested five activists in Nairobi on Monday.", "first"),
             ("Chile recalled its ambassador to Peru on Friday.", "second")]
    out = list(slim.pipe(pairs, as_tuples=True))
    assert [context for _, context in out] == ["first", "second"]
    assert all(doc._.events for doc, _ in out)


def test_context_header_is_read_and_removed_before_tokenizing(nlp):
    tokenizer = ArticleTokenizer(nlp.tokenizer)
    text = "HANOI, June 3 (Dotterel Wire) - Vietnam protested to China on Monday."
    doc = tokenizer(with_context(text, "art-7", date(2024, 6, 3)))
    assert doc._.doc_id == "art-7" and doc._.pub_date == "2024-06-03"
    assert len(doc.text) == len(text)  # offsets are those of the article text
    assert "dotterel-context" not in doc.text and doc.text.endswith("Vietnam protested to China on Monday.")
    plain = tokenizer(text)  # no header: tokenized as is, no context
    assert plain._.doc_id is None and plain.text == doc.text
