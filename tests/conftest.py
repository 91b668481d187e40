"""Shared fixtures: the spaCy pipeline and the coder are loaded once per test session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from dotterel.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def coder(nlp):
    from dotterel import Coder

    return Coder()
