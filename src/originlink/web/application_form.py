"""The exporter's application form: form fields to the application's CO content and back, and
each finding put next to the field it concerns.

A form never rebuilds the content from nothing: its fields are laid over the content the draft
already has (:func:`apply_form`), so what the form does not show (members an uploaded file
carried) is kept. An emptied field removes its member; an emptied measure (quantity, weight,
FOB value, packages, origin criterion) removes the whole group. This module only translates
between the form and the document; the rules are checked by the services.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: Header fields: (form field, path in the content).
FIELDS: tuple[tuple[str, str], ...] = (
    ("agreement", "certificate.agreement.code"),
    ("importing_country", "certificate.importing_country"),
    ("exporting_country", "certificate.exporting_country"),
    ("exporter_name", "certificate.parties.exporter.name"),
    ("exporter_id_scheme", "certificate.parties.exporter.identifiers[0].scheme"),
    ("exporter_id_value", "certificate.parties.exporter.identifiers[0].value"),
    ("exporter_address", "certificate.parties.exporter.address.lines[0]"),
    ("exporter_city", "certificate.parties.exporter.address.city"),
    ("exporter_country", "certificate.parties.exporter.address.country_code"),
    ("producer_statement", "certificate.parties.producer_statement"),
    ("importer_name", "certificate.parties.importer.name"),
    ("importer_address", "certificate.parties.importer.address.lines[0]"),
    ("importer_city", "certificate.parties.importer.address.city"),
    ("importer_country", "certificate.parties.importer.address.country_code"),
    ("transport_mode", "certificate.transport.mode_code"),
    ("departure_date", "certificate.transport.departure_datetime"),
    ("loading_locode", "certificate.transport.loading_location.locode"),
    ("loading_name", "certificate.transport.loading_location.name"),
    ("discharge_locode", "certificate.transport.discharge_location.locode"),
    ("discharge_name", "certificate.transport.discharge_location.name"),
    ("invoice_number", "certificate.references.invoices[0].number"),
    ("invoice_date", "certificate.references.invoices[0].issue_date"),
    # A back-to-back CO names the CO of the first exporting country it is issued from (P9).
    ("original_number", "certificate.references.related_certificates[0].number"),
    ("original_country", "certificate.references.related_certificates[0].issuing_country"),
    ("original_date", "certificate.references.related_certificates[0].issue_date"),
)

#: Goods item fields: (form field, path in the item, group removed when the field is empty).
ITEM_FIELDS: tuple[tuple[str, str, str | None], ...] = (
    ("description", "description", None),
    ("hs_code", "hs_code", None),
    ("origin_country", "origin_country", None),
    ("criterion", "origin_criterion.code", "origin_criterion"),
    ("rvc_percent", "origin_criterion.value_content_percent", None),
    ("quantity", "quantity.value", "quantity"),
    ("quantity_unit", "quantity.unit_code", None),
    ("gross_weight", "gross_weight.value", "gross_weight"),
    ("fob_value", "fob_value.value", "fob_value"),
    ("fob_currency", "fob_value.currency_code", None),
    ("package_count", "packages.count", "packages"),
    ("package_type", "packages.type_code", None),
)
ITEM_NAMES = tuple(name for name, _path, _group in ITEM_FIELDS)
MAX_ITEMS = 999
_ITEM_KEY = re.compile(r"^items-(\d{1,3})-([a-z_]+)$")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def get_path(data: Any, path: str) -> Any:
    node = data
    for step in _steps(path):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` to ``value`` (creating what is missing), or remove it when ``value`` is
    None; containers left empty by a removal are removed too."""
    steps = _steps(path)
    if value is None:
        _remove(data, steps)
        return
    node: Any = data
    for step, following in itertools.pairwise(steps):
        blank: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            while len(node) <= step:
                node.append({} if not isinstance(following, int) else [])
            if not isinstance(node[step], type(blank)):
                node[step] = blank
            node = node[step]
        else:
            if not isinstance(node.get(step), type(blank)):
                node[step] = blank
            node = node[step]
    last = steps[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value


def _remove(node: Any, steps: list[str | int]) -> bool:
    """Remove the member at ``steps``; True when ``node`` is left empty."""
    head, rest = steps[0], steps[1:]
    if isinstance(head, int):
        if not isinstance(node, list) or head >= len(node):
            return not node
        if rest:
            if _remove(node[head], rest) and head == len(node) - 1:
                node.pop()
        elif head == len(node) - 1:
            node.pop()
        else:
            node[head] = None
        return not node
    if not isinstance(node, dict) or head not in node:
        return not node
    if rest:
        if _remove(node[head], rest):
            del node[head]
    else:
        del node[head]
    return not node


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class ApplicationForm:
    """What the form shows: field values, item rows, and findings by field."""

    values: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, str]] = field(default_factory=list)
    by_field: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    other: list[dict[str, Any]] = field(default_factory=list)

    def findings_of(self, name: str) -> list[dict[str, Any]]:
        return self.by_field.get(name, [])


def form_of(content: Mapping[str, Any]) -> ApplicationForm:
    """The form showing ``content`` (a stored draft, an uploaded file, a CO to copy)."""
    form = ApplicationForm()
    for name, path in FIELDS:
        form.values[name] = _text(get_path(content, path))
    goods = get_path(content, "certificate.goods_items")
    for item in goods if isinstance(goods, list) else []:
        form.items.append({n: _text(get_path(item, p)) for n, p, _g in ITEM_FIELDS})
    return form


def read_form(fields: Mapping[str, str]) -> ApplicationForm:
    """The form as posted: header values and item rows (``items-<n>-<field>``), rows in the
    order of their numbers, at most :data:`MAX_ITEMS`."""
    form = ApplicationForm()
    for name, _path in FIELDS:
        form.values[name] = fields.get(name, "").strip()[:2048]
    rows: dict[int, dict[str, str]] = {}
    for key, value in fields.items():
        match = _ITEM_KEY.match(key)
        if match and match.group(2) in ITEM_NAMES:
            row = rows.setdefault(int(match.group(1)), dict.fromkeys(ITEM_NAMES, ""))
            row[match.group(2)] = value.strip()[:2048]
    form.items = [rows[n] for n in sorted(rows)][:MAX_ITEMS]
    return form


def apply_form(
    base: Mapping[str, Any], form: ApplicationForm, *, form_code: str | None
) -> dict[str, Any]:
    """``base`` with the form's fields laid over it (see the module's docstring)."""
    content = copy.deepcopy(dict(base)) if base else {}
    cert = content.setdefault("certificate", {})
    for name, path in FIELDS:
        set_path(content, path, form.values.get(name) or None)
    if form.values.get("agreement"):
        cert["is_preferential"] = True
        if form_code and not cert.get("form_code"):
            cert["form_code"] = form_code
    related = get_path(content, "certificate.references.related_certificates")
    if isinstance(related, list) and related and isinstance(related[0], dict):
        related[0].setdefault("relation", "back_to_back_of")
    invoices = get_path(content, "certificate.references.invoices")
    if isinstance(invoices, list) and invoices and isinstance(invoices[0], dict):
        invoices[0].setdefault("sequence", 1)
    old_items = cert.get("goods_items") if isinstance(cert.get("goods_items"), list) else []
    items = []
    for index, row in enumerate(form.items):
        item = copy.deepcopy(old_items[index]) if index < len(old_items) else {}
        item["sequence_number"] = index + 1
        for name, path, group in ITEM_FIELDS:
            value = row.get(name) or None
            if group is not None and value is None:
                item.pop(group, None)
            elif group is None or value is not None:
                set_path(item, path, _typed(name, value))
        if item.get("hs_code"):
            item.setdefault("hs_edition", "HS2022")
        if "gross_weight" in item:
            item["gross_weight"].setdefault("unit_code", "KGM")
        if invoices and "invoice_sequences" not in item:
            item["invoice_sequences"] = [1]
        items.append(item)
    if items:
        cert["goods_items"] = items
    else:
        cert.pop("goods_items", None)
    return content


def _typed(name: str, value: str | None) -> Any:
    if value is None:
        return None
    if name == "package_count":
        return int(value) if value.isdigit() and len(value) < 10 else value
    if name == "hs_code":
        return "".join(ch for ch in value.split(" — ")[0] if ch.isdigit() or ch == ".")
    return value


def _field_for(path: str) -> str | None:
    """The form field a finding's path concerns (the closest one), if any."""
    item = re.match(r"^certificate\.goods_items\[(\d+)\](?:\.(.*))?$", path)
    if item:
        index, rest = int(item.group(1)), item.group(2) or ""
        best = _closest(rest, [(n, p) for n, p, _g in ITEM_FIELDS])
        return f"items-{index}-{best or 'description'}"
    return _closest(path, list(FIELDS))


def _closest(path: str, fields: list[tuple[str, str]]) -> str | None:
    for name, field_path in fields:
        if path == field_path:
            return name
    below = [(len(p), n) for n, p in fields if path and path.startswith(p + ".")]
    if below:
        return max(below)[1]
    for name, field_path in fields:
        if path and field_path.startswith((path + ".", path + "[")):
            return name
    return None


def place_findings(form: ApplicationForm, findings: list[dict[str, Any]]) -> ApplicationForm:
    """Put each finding next to its field; the others go to ``form.other``."""
    form.by_field, form.other = {}, []
    for finding in findings:
        name = _field_for(str(finding.get("path", "")))
        if name is None:
            form.other.append(finding)
        else:
            form.by_field.setdefault(name, []).append(finding)
    return form
