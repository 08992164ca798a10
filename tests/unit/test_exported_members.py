"""originlink/__init__.py: the curated public surface (as httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys

import originlink

EXPECTED = {
    "__version__",
    # building a node, its configuration
    "build_node", "Node", "NodeIdentity", "NodeSettings", "NodeConfig",
    "load_config", "Settings", "load_settings",
    # the error tree
    "OriginLinkError", "PermanentError", "RetryableError", "InputError", "InputTooLarge",
    "ValidationFailed", "LossyConversionRefused", "NotFound", "Conflict", "InvalidTransition",
    "AlreadyStored", "AuthenticationRequired", "Forbidden", "TrustError", "ConfigurationError",
    "PartnerUnavailable", "PartnerTimeout", "StorageUnavailable",
    # the CO document model, validation, conversion
    "CODocument", "Certificate", "bundled_profiles", "ValidationContext", "ValidationReport",
    "validate_document", "validate_model", "Finding", "Level", "FORMATS", "convert",
    "Conversion", "LossReport",
}  # fmt: skip


def test_the_public_names_are_exactly_the_curated_ones() -> None:
    assert set(originlink.__all__) == EXPECTED
    assert len(originlink.__all__) == len(EXPECTED)


def test_every_public_name_resolves_to_originlinks_own_object() -> None:
    for name in originlink.__all__:
        value = getattr(originlink, name)
        if name in {"__version__", "FORMATS"}:
            continue
        assert value.__module__.startswith("originlink."), name
        assert name in dir(originlink)


def test_the_error_tree_is_one_tree() -> None:
    for name in originlink.__all__:
        value = getattr(originlink, name)
        if isinstance(value, type) and name.endswith(("Error", "Failed", "Refused")):
            assert issubclass(value, originlink.OriginLinkError), name


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        originlink.does_not_exist  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "does_not_exist" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_the_package_loads_no_storage_or_web_code() -> None:
    # Names load on first use: a program that only validates never pays for SQLAlchemy.
    code = (
        "import sys, originlink; "
        "heavy = ('sqlalchemy', 'fastapi', 'originlink.store'); "
        "print(any(m.startswith(heavy) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_public_name_is_shadowed_by_a_submodule_once_loaded() -> None:
    # ``import originlink.x`` sets the package attribute ``x``: no export may share a name with
    # a submodule, or it would turn into the module.
    import pkgutil

    submodules = {m.name for m in pkgutil.iter_modules(originlink.__path__)}
    assert not submodules & set(originlink.__all__)
