"""A partner's G2G endpoint: the form it is written in, and a connection test at ``partners add``.

A trust list names a gateway's ``g2g`` endpoint as the README does (``https://host/g2g``), while
the delivery worker appends ``/g2g/v1/messages`` to the gateway's base URL. Taken as it was
written, the documented form sent every CO to ``/g2g/g2g/v1/messages``: HTTP 404, and every CO
DEAD. So an endpoint is read in any of its written forms (the base URL, or it followed by
``/g2g``, ``/g2g/v1`` or ``/g2g/v1/messages``) and kept as the base URL; and ``partners add``
asks the partner's gateway before saving it, so that a wrong endpoint is refused there, naming
what answered, rather than found out from dead messages.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from originlink.domain.errors import Conflict, InputError, RetryableError
from originlink.services.context import Node

#: Path endings that name the G2G API under a gateway's base URL, longest first.
_API_SUFFIXES = ("/g2g/v1/messages", "/g2g/v1", "/g2g")
#: The G2G route the connection test asks (a signed GET of one mailbox entry).
PROBE_PATH = "/g2g/v1/messages?limit=1"


def normalise_endpoint(url: str) -> str:
    """The gateway's base URL from any written form of its G2G endpoint; an URL that is not
    http(s) with a host is refused saying so."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InputError(
            f"the endpoint {url!r} is not an http(s) URL with a host, e.g. "
            "https://gateway.customs.gov.sg/g2g",
            pointer="endpoint",
        )
    if parts.query or parts.fragment:
        raise InputError(f"the endpoint {url!r} has a query or fragment", pointer="endpoint")
    base = text.rstrip("/")
    for suffix in _API_SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def probe_endpoint(node: Node, participant: str, base: str) -> str:
    """Ask the gateway at ``base`` for one mailbox entry, signed with this node's key, and say
    what answered. A G2G gateway answers 200 (it knows this node) or a problem+json 401/403 (it
    does not know this node's key yet); anything else is not a G2G endpoint and is refused
    (:class:`Conflict`) with the status and content type that answered. Nothing answering is
    not a refusal: a partner may be down while it is set up, and messages wait for it."""
    url = base + PROBE_PATH
    try:
        answer = node.require_transport().request("GET", url)
    except RetryableError as exc:
        return f"nothing answered the connection test ({exc.detail}); messages will wait for it"
    headers = {key.lower(): value for key, value in answer.headers.items()}
    content_type = headers.get("content-type", "").split(";")[0].strip() or "no type"
    if answer.status == 200 and content_type == "application/json":
        return f"{participant}'s gateway answered the connection test (GET {url}: 200)"
    if answer.status in {401, 403} and content_type == "application/problem+json":
        code = _problem_code(answer.body)
        return (
            f"a G2G gateway answered the connection test (GET {url}: {answer.status} {code}): "
            f"it does not accept this node yet; send {participant} this node's trust list"
        )
    raise Conflict(
        f"{base} is not {participant}'s G2G endpoint: the connection test GET {url} was "
        f"answered HTTP {answer.status} ({content_type}); give the gateway's base URL or its "
        "/g2g form (https://host/g2g), or add --no-check to add it untested",
        pointer="endpoint",
    )


def _problem_code(body: bytes) -> str:
    try:
        code = json.loads(body).get("code")
    except (ValueError, AttributeError):
        return "problem"
    return str(code) if isinstance(code, str) else "problem"
