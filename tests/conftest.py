"""Shared pytest options and fixtures."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite expected outputs (golden files) from the current code; review the diff")
    parser.addoption("--update-screenshots", action="store_true",
                     help="rewrite docs/screenshots/*.png from the browser tests (tracked files: only on request)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite expected outputs instead of comparing."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def update_screenshots(request: pytest.FixtureRequest) -> bool:
    """True when the browser tests should rewrite the tracked screenshots in docs/screenshots/."""
    return bool(request.config.getoption("--update-screenshots"))
