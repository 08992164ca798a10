"""RFC 9457 problem details: every error the HTTP API returns has this shape.

``{"type", "title", "status", "detail", "code", "instance"}`` plus, where they help, ``errors``
(field-level findings with ``path``, ``code`` and ``message``) and ``pointer`` (where in the
input). The media type is ``application/problem+json``. No stack trace ever leaves the node.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from originlink.domain.errors import OriginLinkError, RetryableError, ValidationFailed

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://originlink.dev/problems/"
log = logging.getLogger("originlink.api")


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code.lower().replace("_", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def error_response(exc: OriginLinkError, instance: str | None = None) -> JSONResponse:
    extra: dict[str, Any] = {"pointer": exc.pointer}
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [f.as_dict() for f in exc.findings]
    safe_extra = {k: v for k, v in exc.extra.items() if isinstance(v, str | int | float | bool)}
    extra.update(safe_extra)
    headers = {"Retry-After": "5"} if isinstance(exc, RetryableError) else None
    return problem(
        exc.http_status,
        exc.code,
        exc.title,
        exc.detail,
        instance=instance,
        headers=headers,
        **extra,
    )


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    where = loc[0] if loc and loc[0] in ("body", "query", "path", "header") else ""
    return f"{where}:{out}" if where else out


def install(app: FastAPI) -> None:
    """Map every error to problem+json, once, for the whole app."""

    @app.exception_handler(OriginLinkError)
    async def _domain(request: Request, exc: OriginLinkError) -> JSONResponse:
        return error_response(exc, str(request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"path": _loc_to_path(tuple(e["loc"])), "code": "REQUEST_INVALID", "message": e["msg"]}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"path": "", "message": "invalid request"}
        return problem(
            422,
            "REQUEST_INVALID",
            "Invalid request",
            f"{first['path']}: {first['message']}",
            instance=str(request.url.path),
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: "NOT_FOUND",
            405: "METHOD_NOT_ALLOWED",
            401: "AUTHENTICATION_REQUIRED",
            413: "INPUT_TOO_LARGE",
            429: "RATE_LIMITED",
        }.get(exc.status_code, "HTTP_ERROR")
        return problem(
            exc.status_code,
            code,
            str(exc.detail),
            str(exc.detail),
            instance=str(request.url.path),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(
            500,
            "INTERNAL_ERROR",
            "Internal error",
            "the node could not complete the request; the error is logged",
            instance=str(request.url.path),
        )
