"""The service tests mirror the service modules: every module of ``src/originlink/services``
has a test module at the same place under ``tests/services`` (``issuing/issuance.py`` →
``issuing/test_issuance.py``) whose docstring starts by naming it, so a reader finds the tests of
a rule in one guess — and a new service module without tests fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import originlink.services

SERVICES = Path(originlink.services.__file__).parent
TESTS = Path(__file__).parent


def _service_modules() -> list[Path]:
    return sorted(
        p.relative_to(SERVICES) for p in SERVICES.rglob("*.py") if p.name != "__init__.py"
    )


def test_every_service_module_has_a_test_module_that_names_it() -> None:
    modules = _service_modules()
    assert len(modules) >= 35
    missing, unnamed = [], []
    for module in modules:
        test_module = TESTS / module.parent / f"test_{module.name}"
        if not test_module.is_file():
            missing.append(str(module))
            continue
        docstring = ast.get_docstring(ast.parse(test_module.read_text("utf-8"))) or ""
        if not docstring.startswith(f"services/{module.as_posix()}"):
            unnamed.append(str(test_module.relative_to(TESTS)))
    assert missing == [], f"service modules without a test module: {missing}"
    assert unnamed == [], f"test modules whose docstring does not name their module: {unnamed}"


def test_no_test_module_mirrors_a_service_module_that_is_gone() -> None:
    modules = {m.with_suffix("").as_posix() for m in _service_modules()}
    orphans = [
        str(p.relative_to(TESTS))
        for p in TESTS.rglob("test_*.py")
        if p.parent != TESTS
        and (p.relative_to(TESTS).parent / p.stem.removeprefix("test_")).as_posix() not in modules
    ]
    assert orphans == []
