"""The one exception tree of OriginLink.

Every error a user or a partner can cause is an :class:`OriginLinkError` with a stable ``code``,
a short ``title`` and a ``detail`` sentence. Entry points map the tree once: the API to RFC 9457
problem+json (``http_status``), the CLI to an exit code (``exit_code``), the delivery worker to
"retry later" or "dead letter" (:class:`RetryableError` versus :class:`PermanentError`)::

    OriginLinkError
    ├── PermanentError                 never succeeds on retry
    │   ├── InputError                 input cannot be read at all (exit 2, HTTP 400)
    │   │   ├── InputTooLarge          (HTTP 413)
    │   │   └── InputTooDeep
    │   ├── ValidationFailed           readable but invalid; carries findings (HTTP 422)
    │   │   └── LossyConversionRefused a strict conversion would lose data
    │   ├── NotFound                   (HTTP 404)
    │   ├── Conflict                   state does not allow it (HTTP 409)
    │   │   ├── InvalidTransition      a state machine refused a transition
    │   │   └── AlreadyStored          the store already holds a record with that key
    │   ├── AuthenticationRequired     (HTTP 401)
    │   ├── Forbidden                  (HTTP 403)
    │   ├── TrustError                 a signature or certificate is not trusted (HTTP 422)
    │   │   └── RequestNotAuthenticated  a G2G request's HTTP signature failed (HTTP 401)
    │   └── ConfigurationError         the node is set up wrongly (exit 2, HTTP 500)
    └── RetryableError                 may succeed later (HTTP 503)
        ├── PartnerUnavailable
        ├── PartnerTimeout
        └── StorageUnavailable         the database cannot be reached or stays locked
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from originlink.domain.findings import Finding


class OriginLinkError(Exception):
    """Base of every error OriginLink raises on purpose."""

    code: ClassVar[str] = "ORIGINLINK_ERROR"
    title: ClassVar[str] = "OriginLink error"
    http_status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 1

    def __init__(self, detail: str, *, pointer: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer
        self.extra = extra

    def one_line(self) -> str:
        """The error as one readable line: code, where, what."""
        where = f" at {self.pointer}" if self.pointer else ""
        return f"{self.code}{where}: {self.detail}"


class PermanentError(OriginLinkError):
    """Retrying the same thing will fail the same way."""

    code = "PERMANENT_ERROR"


class InputError(PermanentError):
    """The input cannot be read (not JSON, not UTF-8, wrong envelope)."""

    code = "INPUT_UNREADABLE"
    title = "Input cannot be read"
    http_status = 400
    exit_code = 2


class InputTooLarge(InputError):
    code = "INPUT_TOO_LARGE"
    title = "Input too large"
    http_status = 413


class InputTooDeep(InputError):
    code = "INPUT_TOO_DEEP"
    title = "Input nested too deeply"


class ValidationFailed(PermanentError):
    """The input was read but breaks the dataset or agreement rules; see ``findings``."""

    code = "VALIDATION_FAILED"
    title = "Validation failed"
    http_status = 422

    def __init__(self, detail: str, findings: Sequence[Finding], **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.findings = list(findings)


class LossyConversionRefused(ValidationFailed):
    """A strict format conversion was refused because it would drop or degrade data.

    ``findings`` lists one SEVERE finding per lost field (code ``CONVERSION-DROPPED`` or
    ``CONVERSION-DEGRADED``); ``extra["loss_report"]`` holds the whole loss report."""

    code = "CONVERSION_LOSSY"
    title = "Conversion would lose data"


class NotFound(PermanentError):
    code = "NOT_FOUND"
    title = "Not found"
    http_status = 404


class Conflict(PermanentError):
    code = "CONFLICT"
    title = "Conflict with the current state"
    http_status = 409


class InvalidTransition(Conflict):
    code = "INVALID_TRANSITION"
    title = "Transition not allowed"


class AlreadyStored(Conflict):
    """A unique key of the store is already taken (the same message id twice, a CO number
    already used): the store's own translation of a unique-key violation, so use cases can act
    on it without knowing the database."""

    code = "ALREADY_STORED"
    title = "Already stored"


class AuthenticationRequired(PermanentError):
    code = "AUTHENTICATION_REQUIRED"
    title = "Authentication required"
    http_status = 401


class Forbidden(PermanentError):
    code = "FORBIDDEN"
    title = "Forbidden"
    http_status = 403


class TrustError(PermanentError):
    """A signature, certificate or trust list is not acceptable. ``code`` is set per instance."""

    code = "TRUST_ERROR"
    title = "Not trusted"
    http_status = 422

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail, **extra)
        if code is not None:
            self.code = code  # type: ignore[misc]


class RequestNotAuthenticated(TrustError):
    """A gateway-to-gateway request whose HTTP signature is missing or not trusted."""

    http_status = 401


class ConfigurationError(PermanentError):
    code = "CONFIGURATION_ERROR"
    title = "Configuration error"
    http_status = 500
    exit_code = 2


class RetryableError(OriginLinkError):
    """The same request may succeed later (partner down, timeout, lock contention)."""

    code = "RETRYABLE_ERROR"
    title = "Temporarily unavailable"
    http_status = 503


class PartnerUnavailable(RetryableError):
    code = "PARTNER_UNAVAILABLE"
    title = "Partner unavailable"


class PartnerTimeout(RetryableError):
    code = "PARTNER_TIMEOUT"
    title = "Partner timed out"


class StorageUnavailable(RetryableError):
    """The database cannot be reached or stays locked; the same unit of work may succeed later."""

    code = "STORAGE_UNAVAILABLE"
    title = "Storage unavailable"
