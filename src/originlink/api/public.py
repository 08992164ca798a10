"""Public verification routes: no login, rate limited per client address.

``GET /verify/{issuing_country}/{number}?d={digest}`` answers with the HTML page, or with its
JSON twin when the client asks for ``application/json`` in ``Accept`` (or adds
``format=json``). Both carry the same facts; the status code is 404 when the number is
unknown, 400 for a malformed link, 429 (with ``Retry-After``) when the address has asked too
often, and 200 otherwise, including "not authentic" (a verification answer, not an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from originlink.api.deps import MAX_CODE, CountryPath, NodeDep, NumberPath
from originlink.api.openapi import answer, problem_responses
from originlink.api.problems import error_response, problem
from originlink.api.ratelimit import TokenBucketLimiter
from originlink.domain.errors import InputError
from originlink.services.verification.public import Outcome, PublicVerification, verify_public


class PublicPages(Protocol):
    """What the routes need from the web layer (``originlink.web.pages.VerificationPages``)."""

    @property
    def headers(self) -> Mapping[str, str]: ...

    def verification(
        self, result: PublicVerification, accept_language: str | None = None
    ) -> str: ...

    def message(
        self, heading: str, detail: str, *, tone: str = "bad", accept_language: str | None = None
    ) -> str: ...


def wants_json(request: Request, format_: str | None) -> bool:
    """JSON when asked for by ``format=json`` or when ``Accept`` prefers it to HTML."""
    if format_ is not None:
        return format_.lower() == "json"
    accept = request.headers.get("accept", "").lower()
    return "application/json" in accept and "text/html" not in accept


JSON = "application/json"
PROBLEM = "application/problem+json"


def create_public_router(limiter: TokenBucketLimiter, pages: PublicPages) -> APIRouter:
    router = APIRouter(tags=["public"])

    @router.get(
        "/verify/{issuing_country}/{number:path}",
        summary="Verify a certificate of origin (public, no login)",
        response_model=None,
        responses={
            200: answer("The verification answer (HTML page or JSON twin).", "text/html", JSON),
            400: answer("Malformed country, number or digest.", "text/html", PROBLEM),
            404: answer(
                "No CO with this number was issued here (a path that is no CO's: problem+json).",
                "text/html",
                JSON,
                PROBLEM,
            ),
            429: answer(
                "Too many requests from this address; see Retry-After.", "text/html", PROBLEM
            ),
            **problem_responses(422, 503),
        },
    )
    def verify(
        request: Request,
        issuing_country: CountryPath,
        number: NumberPath,
        node: NodeDep,
        d: Annotated[
            str | None,
            Query(
                max_length=MAX_CODE,
                description="The CO digest from the QR code (base64url SHA-256, 43 chars).",
            ),
        ] = None,
        format_: Annotated[
            str | None,
            Query(max_length=MAX_CODE, alias="format", description="`json` for the JSON twin."),
        ] = None,
    ) -> Response:
        """Authentic or not, the current status (issued and valid until, cancelled, replaced
        by which CO, expired), the issuing authority, the issue date and, for whoever holds
        the document (a matching digest), a minimal summary without prices or addresses."""
        as_json = wants_json(request, format_)
        client = request.client.host if request.client else "unknown"
        wait = limiter.acquire(client)
        headers = {"Vary": "Accept, Accept-Language", **pages.headers}
        lang = request.headers.get("accept-language")
        if wait is not None:
            headers["Retry-After"] = str(wait)
            detail = f"too many verification requests from this address; retry in {wait} s"
            if as_json:
                return problem(429, "RATE_LIMITED", "Too many requests", detail, headers=headers)
            body = pages.message(
                "Too many requests", detail.capitalize() + ".", tone="warn", accept_language=lang
            )
            return HTMLResponse(body, status_code=429, headers=headers)
        try:
            result = verify_public(node, issuing_country, number, d)
        except InputError as exc:
            if as_json:
                response = error_response(exc, str(request.url.path))
                response.headers.update(headers)
                return response
            body = pages.message(
                "This verification link is not valid", exc.detail, accept_language=lang
            )
            return HTMLResponse(body, status_code=400, headers=headers)
        status = 404 if result.outcome is Outcome.NOT_FOUND else 200
        if as_json:
            data: dict[str, Any] = result.as_json()
            return JSONResponse(data, status_code=status, headers=headers)
        page = pages.verification(result, accept_language=lang)
        return HTMLResponse(page, status_code=status, headers=headers)

    return router
