"""Reference data shipped with OriginLink, and the small readers for it.

The files live in ``data/``; each names its source in a header line. Readers return plain
Python values and are cached: the data is static for the life of a process.
"""

from __future__ import annotations

from importlib import resources


def data_text(name: str) -> str:
    """The text of a bundled data file (``name`` relative to ``data/``)."""
    return resources.files("originlink.reference").joinpath("data", name).read_text("utf-8")


def agreement_files() -> list[tuple[str, str]]:
    """``(file name, TOML text)`` of every bundled agreement profile, sorted by name."""
    folder = resources.files("originlink.reference").joinpath("data", "agreements")
    return sorted(
        (entry.name, entry.read_text("utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )
