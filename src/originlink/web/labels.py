"""Names shown for codes (statuses, application kinds, item fields), marked for the catalogues
and translated where they are shown (``{{ _(status_label(code)) }}``)."""

from __future__ import annotations

from originlink.web.navigation import N_

STATUS_LABELS = {
    "DRAFT": N_("Draft"),
    "SUBMITTED": N_("Submitted"),
    "ISSUED": N_("Issued"),
    "NOT_ISSUED": N_("Refused"),
    "CANCELLED": N_("Cancelled"),
    "REPLACED": N_("Replaced"),
    "EXPIRED": N_("Expired"),
    "RECEIVED": N_("Received"),
    "ACCEPTED": N_("Accepted"),
    "REJECTED": N_("Rejected"),
    "OPEN": N_("Open"),
    "ACKNOWLEDGED": N_("Acknowledged"),
    "ANSWERED": N_("Answered"),
    "CLOSED": N_("Closed"),
}

KIND_LABELS = {
    "new": N_("New"),
    "retroactive": N_("Retroactive (issued after shipment)"),
    "back_to_back": N_("Back-to-back"),
    "replacement": N_("Replacement"),
    "true_copy": N_("Certified true copy"),
}

ITEM_LABELS = {
    "description": N_("Description"),
    "hs_code": N_("HS code"),
    "origin_country": N_("Origin"),
    "criterion": N_("Origin criterion"),
    "rvc_percent": N_("RVC %"),
    "quantity": N_("Quantity"),
    "quantity_unit": N_("Unit"),
    "gross_weight": N_("Gross weight (kg)"),
    "fob_value": N_("FOB value"),
    "fob_currency": N_("Currency"),
    "package_count": N_("Packages"),
    "package_type": N_("Package type"),
}


def status_label(code: str | None) -> str:
    return STATUS_LABELS.get(code or "", code or "")


def kind_label(code: str | None) -> str:
    return KIND_LABELS.get(code or "", code or "")


def item_label(name: str) -> str:
    return ITEM_LABELS.get(name, name)
