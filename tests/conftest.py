"""Shared fixtures: the spaCy pipeline and the coder are loaded once per test session."""

from __future__ import annotations

import os
import tempfile

import pytest

# Roles learned while tests ingest articles go to a throw-away home, never to the user's knowledge store.
os.environ["DOTTEREL_HOME"] = tempfile.mkdtemp(prefix="dotterel-test-home-")


@pytest.fixture(scope="session")
def nlp():
    from dotterel.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def coder(nlp):
    from dotterel import Coder

    return Coder()


@pytest.fixture
def cli():
    """A click group with only the actor commands, for tests of `dotterel actor` and `dotterel actors`."""
    import click

    from dotterel.actors.commands import register

    @click.group()
    def main() -> None:
        pass

    register(main)
    return main
