"""Structured logs (structlog over the standard library's logging): JSON lines in production,
readable coloured lines in a terminal, each with time (UTC), level, logger, the request id of
the HTTP request and the message id of the exchange message it concerns, when there is one.

Every module keeps logging with ``logging.getLogger(__name__)``; :func:`configure_logging`
routes those records, uvicorn's and structlog's own through one formatter. Before anything is
written, :func:`redact` masks what must never reach a log: API tokens (``olk_…``), bearer
credentials, passwords and passphrases, and personal names (fields such as ``display_name``,
``username``, ``importer_name``). Log a user by id, never by name.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping
from typing import Any, TextIO

import structlog
from structlog.types import EventDict, Processor

#: Fields whose values are masked whatever they hold.
SECRET_FIELDS = frozenset(
    {
        "token",
        "password",
        "passphrase",
        "authorization",
        "secret",
        "cookie",
        "api_key",
        "name",
        "display_name",
        "username",
        "importer_name",
        "person",
        "email",
    }
)
_PATTERNS = (
    re.compile(r"olk_[0-9a-f]{12}_[A-Za-z0-9_-]+"),
    re.compile(r"(?i)(?<=bearer )[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(?<=password=)[^\s&]+"),
    re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)"),
)
REDACTED = "[redacted]"


def scrub(text: str) -> str:
    """``text`` with tokens, bearer credentials and URL passwords masked."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


def redact(_logger: Any, _method: str, event: EventDict) -> EventDict:
    """A structlog processor: mask secret fields and secrets inside any text."""
    for key, value in list(event.items()):
        if key.lower() in SECRET_FIELDS:
            event[key] = REDACTED
        elif isinstance(value, str):
            event[key] = scrub(value)
    return event


def _extra_ids(_logger: Any, _method: str, event: EventDict) -> EventDict:
    """``message_id`` and ``request_id`` given as ``extra=`` to a standard logging call."""
    record = event.get("_record")
    if isinstance(record, logging.LogRecord):
        for key in ("message_id", "request_id"):
            value = getattr(record, key, None)
            if value is not None and key not in event:
                event[key] = value
    return event


def _shared() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="time"),
        _extra_ids,
        structlog.processors.format_exc_info,
        redact,
    ]


def configure_logging(
    *, fmt: str = "auto", level: str = "INFO", stream: TextIO | None = None
) -> None:
    """Route every log record through structlog: ``fmt`` is ``json``, ``console`` or ``auto``
    (console when ``stream`` is a terminal). Calling it again replaces the configuration."""
    out = stream or sys.stderr
    as_json = fmt == "json" or (fmt == "auto" and not out.isatty())
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if as_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty(), event_key="event")
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # one line per outgoing HTTP request is the transport's debugging, not the operator's
    for chatty in ("httpx", "httpx2", "httpcore"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
    # the access log is ours (originlink.access), with the request id and without queries
    logging.getLogger("uvicorn.access").disabled = True
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def bind(**values: Any) -> Mapping[str, Any]:
    """Bind ``request_id``/``message_id`` to every record of this context (task or thread)."""
    return structlog.contextvars.bind_contextvars(**values)
