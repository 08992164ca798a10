"""``/app/activate``: a user turns the one-time activation code an administrator handed over into
a password of their own (fields ``username``, ``code``, ``password``, ``password_again``), and
enrols a TOTP second factor there when the node requires one of the user's role (the page shows
the QR code, then takes ``totp_secret`` back with a ``totp_code`` of the app).

The checks (the code's hash, expiry, single use, lockout) are in
:mod:`originlink.services.node.activation`; the route says, in the page's language, why a code
was refused.
"""

from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from originlink.services.node import activation
from originlink.services.node.credentials import (
    Enrolment,
    InvalidPassword,
    LockedOut,
    enrolment_of,
)
from originlink.web.guards import NodeDep
from originlink.web.i18n import LocaleFormat
from originlink.web.security import WebRoute
from originlink.web.templating import gettext, language, render

router = APIRouter(prefix="/app", route_class=WebRoute, include_in_schema=False)


def qr_svg(enrolment: Enrolment) -> str:
    """The enrolment URI as an inline SVG QR code (no image file, no script)."""
    buffer = io.BytesIO()
    segno.make_qr(enrolment.uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
    return buffer.getvalue().decode()


def _form(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    username: str = "",
    code: str = "",
    enrolment: Enrolment | None = None,
) -> Response:
    return render(
        request,
        "app/activate.html",
        status=status,
        error=error,
        username=username[:64],
        code=code[:64],
        enrolment=enrolment,
        qr_svg=qr_svg(enrolment) if enrolment else None,
        done=False,
    )


@router.get("/activate")
def activate_form(request: Request) -> Response:
    return _form(request)


@router.post("/activate")
def activate(
    request: Request,
    node: NodeDep,
    username: Annotated[str, Form(max_length=256)] = "",
    code: Annotated[str, Form(max_length=256)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    password_again: Annotated[str, Form(max_length=2048)] = "",
    totp_secret: Annotated[str, Form(max_length=128)] = "",
    totp_code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    _ = gettext(request)
    name = username.strip()
    secret = totp_secret.strip().upper()
    # the enrolment shown before, kept after a typo (the user does not scan a new QR code)
    pending = enrolment_of(node, name, secret) if secret and len(name) <= 64 else None
    try:
        enrolment = activation.activate(
            node,
            username=name,
            code=code,
            password=password,
            password_again=password_again,
            totp_secret=totp_secret or None,
            totp_code=totp_code or None,
        )
    except activation.PasswordsDiffer:
        error = _("The two new passwords differ. Type the same password twice.")
        return _form(request, status=400, error=error, username=name, code=code, enrolment=pending)
    except InvalidPassword as exc:
        return _form(
            request, status=400, error=exc.detail, username=name, code=code, enrolment=pending
        )
    except activation.ActivationUsed:
        error = _("This activation code was already used. Ask an administrator for a new one.")
        return _form(request, status=401, error=error, username=name)
    except activation.ActivationExpired as exc:
        when = LocaleFormat(language(request), node.identity.timezone).datetime(exc.expired)
        error = _(
            "This activation code expired on %(time)s. Ask an administrator for a new one."
        ) % {"time": when}
        return _form(request, status=401, error=error, username=name)
    except LockedOut as exc:
        when = LocaleFormat(language(request), node.identity.timezone).datetime(exc.until)
        error = _("Too many failed sign-ins. This user is locked until %(time)s.") % {"time": when}
        return _form(request, status=401, error=error, username=name)
    except activation.AppCodeWrong:
        error = _("The code of your authenticator app is wrong. Give the code it shows now.")
        return _form(request, status=401, error=error, username=name, code=code, enrolment=pending)
    except activation.ActivationRefused:
        error = _("The user name or the activation code is wrong.")
        return _form(request, status=401, error=error, username=name)
    if enrolment is not None:
        return _form(request, username=name, code=code, enrolment=enrolment)
    return render(request, "app/activate.html", done=True, username=name)
