"""Fixtures of the web page tests: a node with a user of each role (``web``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.testing import TestCA
from tests.web_support import WebNode, web_node


@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def web(tmp_path: Path, ca: TestCA) -> Iterator[WebNode]:
    node = web_node(f"sqlite:///{tmp_path / 'node.db'}", ca, tmp_path)
    yield node
    node.close()
