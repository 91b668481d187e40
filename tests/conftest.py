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
