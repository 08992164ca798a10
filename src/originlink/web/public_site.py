"""The public pages around verification: ``/`` and the ``/verify`` form.

``/`` sends a signed-in person to the application (``/app/``) and anyone else to ``/verify``.
``/verify`` asks for what a person holding a CO has: the issuing country, the number and the
digest printed under the QR code, or the electronic file itself. Routes only read the form and
pick the page: the checks are :mod:`originlink.services.verification.lookup`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Protocol

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from originlink.domain.errors import AuthenticationRequired, InputError
from originlink.services.context import Node
from originlink.services.node.web_sessions import current_session
from originlink.services.verification.lookup import check_file, look_up_number
from originlink.web.i18n import LANGUAGE_COOKIE, negotiate
from originlink.web.public_render import FORM_HEADERS, PublicRenderer
from originlink.web.state import SESSION_COOKIE


class Limiter(Protocol):
    """A per-client rate limit (``originlink.api.ratelimit.TokenBucketLimiter``): None to go
    ahead, else the seconds to wait."""

    def acquire(self, client: str) -> int | None: ...


#: Says whether a request comes from a signed-in user (the session layer's answer).
SignedIn = Callable[[Request], bool]

#: Form fields of ``/verify`` (query parameters of its GET, so a result can be bookmarked).
COUNTRY_FIELD, NUMBER_FIELD, DIGEST_FIELD, FILE_FIELD = "country", "number", "d", "file"


def session_signed_in(request: Request) -> bool:
    """Whether the request carries the cookie of a live ``/app/`` session."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return False
    try:
        current_session(request.app.state.node, token)
    except AuthenticationRequired:
        return False
    return True


def create_site_router(
    node: Node,
    limiter: Limiter,
    *,
    signed_in: SignedIn = session_signed_in,
) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def pages_for(request: Request) -> PublicRenderer:
        lang = negotiate(
            request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE)
        )
        return PublicRenderer(node.identity.name, lang)

    def html(body: str, status: int = 200) -> HTMLResponse:
        response = HTMLResponse(body, status_code=status, headers=FORM_HEADERS)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response

    def limited(request: Request) -> HTMLResponse | None:
        pages = pages_for(request)
        client = request.client.host if request.client else "unknown"
        wait = limiter.acquire(client)
        if wait is None:
            return None
        response = html(pages.too_many(wait), 429)
        response.headers["Retry-After"] = str(wait)
        return response

    @router.get("/")
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/app/" if signed_in(request) else "/verify", status_code=303)

    @router.get("/verify")
    def verify_form(
        request: Request,
        country: str | None = None,
        number: str | None = None,
        d: str | None = None,
    ) -> Response:
        pages = pages_for(request)
        if country is None and number is None and d is None:
            return html(pages.form())
        if (refused := limited(request)) is not None:
            return refused
        typed = {COUNTRY_FIELD: country or "", NUMBER_FIELD: number or "", DIGEST_FIELD: d or ""}
        try:
            found = look_up_number(node, country or "", number or "", d)
        except InputError as exc:
            return html(pages.form(typed=typed, error=exc), 400)
        if found.local_path is not None:
            return RedirectResponse(found.local_path, status_code=303)
        return html(pages.lookup(found))

    @router.post("/verify")
    async def verify_file(
        request: Request, file: Annotated[UploadFile | None, File()] = None
    ) -> Response:
        if (refused := limited(request)) is not None:
            return refused
        pages = pages_for(request)
        if file is None or not file.filename:
            error = InputError("choose the CO file to check", pointer=FILE_FIELD)
            return html(pages.form(error=error), 400)
        data = await file.read(node.settings.max_document_bytes + 1)
        name = file.filename[:200]
        try:
            checked = check_file(node, data, name)
        except InputError as exc:
            return html(pages.form(error=InputError(exc.detail, pointer=FILE_FIELD)), 400)
        return html(pages.file_check(checked))

    return router
