"""ingest stage: read and validate input articles (files, folders, JSONL on standard input)."""

from dotterel.ingest.readers import (
    MAX_CHARS,
    SUFFIXES,
    article_from_text,
    looks_english,
    parse_date,
    read_inputs,
)

__all__ = ["MAX_CHARS", "SUFFIXES", "article_from_text", "looks_english", "parse_date", "read_inputs"]
