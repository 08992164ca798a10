"""OriginLink: a gateway for exchanging electronic certificates of origin (e-COs).

What a program embedding OriginLink needs is exported here (:data:`__all__`)::

    import originlink

    config = originlink.load_config(Path("/srv/node"))     # node.toml + ORIGINLINK_* variables
    node = originlink.build_node(config)                    # store, keys, trust, handlers, hooks
    doc = originlink.CODocument.model_validate(data)        # the canonical CO document
    report = originlink.validate_document(data, registry=node.profiles,
                                          context=originlink.ValidationContext(now=node.now()))
    ubl = originlink.convert(json_bytes, "canonical", "ubl")  # with its loss report
    except originlink.OriginLinkError as exc: ...           # the one error tree

Names are loaded on first use, so ``import originlink`` stays cheap and the layers (see
``docs/architecture.md``) keep their order: ``domain`` is pure; ``trust``, ``formats``,
``store`` and ``exchange`` are adapters; ``services`` holds the use cases; ``bootstrap`` wires
a node; ``cli``, ``api`` and ``web`` are entry points.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    # building a node and loading its configuration
    "build_node": "originlink.bootstrap",
    "Node": "originlink.services.context",
    "NodeIdentity": "originlink.services.context",
    "NodeSettings": "originlink.services.context",
    "NodeConfig": "originlink.node_config",
    "load_config": "originlink.node_config",
    "Settings": "originlink.config",
    "load_settings": "originlink.config",
    # the error tree
    "OriginLinkError": "originlink.domain.errors",
    "PermanentError": "originlink.domain.errors",
    "RetryableError": "originlink.domain.errors",
    "InputError": "originlink.domain.errors",
    "InputTooLarge": "originlink.domain.errors",
    "ValidationFailed": "originlink.domain.errors",
    "LossyConversionRefused": "originlink.domain.errors",
    "NotFound": "originlink.domain.errors",
    "Conflict": "originlink.domain.errors",
    "InvalidTransition": "originlink.domain.errors",
    "AlreadyStored": "originlink.domain.errors",
    "AuthenticationRequired": "originlink.domain.errors",
    "Forbidden": "originlink.domain.errors",
    "TrustError": "originlink.domain.errors",
    "ConfigurationError": "originlink.domain.errors",
    "PartnerUnavailable": "originlink.domain.errors",
    "PartnerTimeout": "originlink.domain.errors",
    "StorageUnavailable": "originlink.domain.errors",
    # the CO document model
    "CODocument": "originlink.domain.dataset",
    "Certificate": "originlink.domain.dataset",
    "bundled_profiles": "originlink.domain.profiles",
    # validation
    "ValidationContext": "originlink.domain.validation",
    "ValidationReport": "originlink.domain.validation",
    "validate_document": "originlink.domain.validation",
    "validate_model": "originlink.domain.validation",
    "Finding": "originlink.domain.findings",
    "Level": "originlink.domain.findings",
    # conversion
    "FORMATS": "originlink.formats",
    "convert": "originlink.formats",
    "Conversion": "originlink.formats",
    "LossReport": "originlink.formats",
}

__all__ = [
    "FORMATS",
    "AlreadyStored",
    "AuthenticationRequired",
    "CODocument",
    "Certificate",
    "ConfigurationError",
    "Conflict",
    "Conversion",
    "Finding",
    "Forbidden",
    "InputError",
    "InputTooLarge",
    "InvalidTransition",
    "Level",
    "LossReport",
    "LossyConversionRefused",
    "Node",
    "NodeConfig",
    "NodeIdentity",
    "NodeSettings",
    "NotFound",
    "OriginLinkError",
    "PartnerTimeout",
    "PartnerUnavailable",
    "PermanentError",
    "RetryableError",
    "Settings",
    "StorageUnavailable",
    "TrustError",
    "ValidationContext",
    "ValidationFailed",
    "ValidationReport",
    "__version__",
    "build_node",
    "bundled_profiles",
    "convert",
    "load_config",
    "load_settings",
    "validate_document",
    "validate_model",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'originlink' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:
    from originlink.bootstrap import build_node
    from originlink.config import Settings, load_settings
    from originlink.domain.dataset import Certificate, CODocument
    from originlink.domain.errors import (
        AlreadyStored,
        AuthenticationRequired,
        ConfigurationError,
        Conflict,
        Forbidden,
        InputError,
        InputTooLarge,
        InvalidTransition,
        LossyConversionRefused,
        NotFound,
        OriginLinkError,
        PartnerTimeout,
        PartnerUnavailable,
        PermanentError,
        RetryableError,
        StorageUnavailable,
        TrustError,
        ValidationFailed,
    )
    from originlink.domain.findings import Finding, Level
    from originlink.domain.profiles import bundled_profiles
    from originlink.domain.validation import (
        ValidationContext,
        ValidationReport,
        validate_document,
        validate_model,
    )
    from originlink.formats import FORMATS, Conversion, LossReport, convert
    from originlink.node_config import NodeConfig, load_config
    from originlink.services.context import Node, NodeIdentity, NodeSettings
