"""edi3 (UN/CEFACT) certificate-of-origin JSON → canonical CO (``dataset.md`` §11.2, §12.4).

The JSON is read strictly (:func:`loads_bounded`); a member of the wrong JSON type is an
:class:`InputError` naming its ``$``-path; members the schema does not define are reported
``DROPPED``. Identifiers lose their URI prefix; lines get their consignment item's producer and
origin criterion; the invoice list is rebuilt in order of first use.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from originlink.domain.dataset import CODocument, Status
from originlink.domain.errors import InputError
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.domain.safejson import loads_bounded
from originlink.formats._common import clean_text, cpath, validate_document
from originlink.formats._producers import producer_id
from originlink.formats.edi3 import uris
from originlink.formats.edi3.common import IMPORTING_SIDE, STATUS_FROM_EDI3, parse_measure
from originlink.formats.loss import Conversion, LossReport

_KNOWN: dict[str, frozenset[str]] = {
    "document": frozenset(
        {
            "iD",
            "issueDateTime",
            "name",
            "attachedFile",
            "issueLocation",
            "issuer",
            "firstSignatoryAuthentication",
            "status",
            "isPreferential",
            "secondSignatoryAuthentication",
            "freeTradeAgreement",
            "supplyChainConsignment",
        }
    ),
    "consignment": frozenset(
        {
            "iD",
            "information",
            "exportCountry",
            "exporter",
            "importCountry",
            "importer",
            "includedConsignmentItems",
            "loadingBaseportLocation",
            "mainCarriageTransportMovement",
            "transportPackages",
            "unloadingBaseportLocation",
        }
    ),
    "party": frozenset({"iD", "name", "postalAddress"}),
}
_CRITERION = re.compile(
    r"(?P<code>[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34})(?:\s+(?P<pct>[0-9]{1,3}"
    r"(?:\.[0-9]{1,2})?)\s*%)?"
)
_JWS = re.compile(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+")


class _Json:
    """Typed access to untrusted JSON, with ``$``-paths in every error."""

    def __init__(self, report: LossReport) -> None:
        self.report = report

    def get(self, node: dict[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, bool) and kind is not bool:
            raise InputError(f"{path}.{key} has the wrong JSON type (boolean)")
        if not isinstance(value, kind):
            raise InputError(f"{path}.{key} has the wrong JSON type ({type(value).__name__})")
        return value

    def obj(self, node: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        return self.get(node, key, dict, path) or {}

    def text(self, node: dict[str, Any], key: str, path: str) -> str | None:
        value = self.get(node, key, str, path)
        return value.strip() or None if value is not None else None

    def unknown(self, node: dict[str, Any], known: frozenset[str], path: str) -> None:
        for key in node:
            if key not in known:
                self.report.dropped(f"{path}.{key}", "not an edi3 schema member", node[key])


def read(
    data: bytes,
    *,
    profiles: ProfileRegistry,
    what: str = "edi3 certificate of origin",
) -> Conversion[CODocument]:
    raw = loads_bounded(data, what=what)
    if not isinstance(raw, dict):
        raise InputError(f"{what} is not a JSON object")
    report = LossReport()
    reader = _Reader(_Json(report), report, profiles)
    return Conversion(validate_document(reader.read(raw), what=what), report)


class _Reader:
    def __init__(self, js: _Json, report: LossReport, profiles: ProfileRegistry) -> None:
        self.js, self.report, self.profiles = js, report, profiles
        self.cert: dict[str, Any] = {}
        self.profile: AgreementProfile | None = None

    def read(self, raw: dict[str, Any]) -> dict[str, Any]:
        js, cert, report = self.js, self.cert, self.report
        js.unknown(raw, _KNOWN["document"], "$")
        for key in ("iD", "isPreferential", "supplyChainConsignment"):
            if key not in raw:
                raise InputError(f"$.{key} is required by the edi3 schema and missing")
        self.read_id(js.get(raw, "iD", str, "$"))
        cert["version"] = 1
        report.derived(cpath("version"), "edi3 has no version; 1 assumed", 1)
        cert["is_preferential"] = js.get(raw, "isPreferential", bool, "$")
        self.read_agreement(js.text(raw, "freeTradeAgreement", "$"))
        cert["status"] = self.read_status(js.text(raw, "status", "$"))
        self.put(cert, "issue_datetime", js.text(raw, "issueDateTime", "$"))
        self.put(cert, "title", clean_text(js.text(raw, "name", "$"), 256, cpath("title"), report))
        if "attachedFile" in raw:
            report.dropped(
                "$.attachedFile",
                "a file reference without content or hash cannot become a canonical attachment",
                raw["attachedFile"],
            )
        self.read_location(js.obj(raw, "issueLocation", "$"), "$.issueLocation", "issue_place")
        parties: dict[str, Any] = {}
        issuer = js.obj(raw, "issuer", "$")
        self.put(
            parties,
            "issuing_authority",
            self.party(issuer, "$.issuer", cpath("parties", "issuing_authority")),
        )
        signatures = self.authentications(raw)
        consignment = js.obj(raw, "supplyChainConsignment", "$")
        self.read_consignment(consignment, parties)
        country = (parties.get("issuing_authority") or {}).get("address", {}).get("country_code")
        cert["issuing_country"] = country or cert.get("exporting_country")
        report.derived(
            cpath("issuing_country"), "from the issuer's postal address", cert["issuing_country"]
        )
        cert["form_code"] = self.form_code()
        cert["parties"] = parties
        doc: dict[str, Any] = {"certificate": cert}
        if signatures:
            doc["signatures"] = signatures
        return doc

    @staticmethod
    def put(target: dict[str, Any], key: str, value: Any) -> None:
        if value is not None and value != {} and value != []:
            target[key] = value

    def read_id(self, uri: str) -> None:
        number, known = uris.parse_certificate(uri)
        if number == "NOT-STATED":
            return
        application, is_application = uris.parse_kind("application", uri)
        if is_application:
            self.cert["application_reference"] = application
            return
        if not known:
            self.report.degraded(
                cpath("certificate_number"), "unknown iD form; the whole URI is kept", uri
            )
        self.cert["certificate_number"] = number

    def read_agreement(self, name: str | None) -> None:
        if name is None:
            return
        for profile in self.profiles:
            if name in (profile.edi3_free_trade_agreement, profile.code):
                self.profile = profile
                self.cert["agreement"] = {"code": profile.code}
                return
        self.cert["agreement"] = {"code": name}
        self.report.degraded(
            cpath("agreement", "code"),
            "no agreement profile names this edi3 agreement; the text is kept as the code",
            name,
        )

    def read_status(self, value: str | None) -> str:
        if value is None:
            self.report.derived(cpath("status"), "no edi3 status; ISSUED assumed", "ISSUED")
            return Status.ISSUED.value
        status = STATUS_FROM_EDI3.get(value)
        if status is not None:
            return status.value
        detail = (
            "an importing-side status (verification and use), not the issuer's"
            if value in IMPORTING_SIDE
            else "not an edi3 lifecycle value"
        )
        self.report.degraded(cpath("status"), f"{detail}; read as ISSUED", value)
        return Status.ISSUED.value

    def form_code(self) -> str:
        if not self.cert["is_preferential"]:
            code = "NON_PREFERENTIAL"
        elif self.profile is not None:
            code = self.profile.form_codes[0]
        else:
            code = "UNKNOWN"
        self.report.derived(cpath("form_code"), "edi3 has no form code", code)
        return code

    def read_location(
        self, node: dict[str, Any], path: str, key: str, target: dict[str, Any] | None = None
    ) -> None:
        location: dict[str, Any] = {}
        uri = self.js.text(node, "iD", path)
        if uri:
            locode, known = uris.parse_locode(uri)
            if known:
                location["locode"] = locode
            else:
                self.report.dropped(f"{path}.iD", "not a UN/LOCODE URI", uri)
        self.put(
            location,
            "name",
            clean_text(self.js.text(node, "name", path), 256, f"{path}.name", self.report),
        )
        self.put(self.cert if target is None else target, key, location)

    def party(self, node: dict[str, Any], path: str, canonical: str) -> dict[str, Any] | None:
        if not node:
            return None
        js = self.js
        js.unknown(node, _KNOWN["party"], path)
        party: dict[str, Any] = {}
        name = clean_text(js.text(node, "name", path), 256, canonical + ".name", self.report)
        if name:
            party["name"] = name
        uri = js.text(node, "iD", path)
        if uri:
            scheme, value, known = uris.parse_identifier(uri)
            if not known:
                self.report.degraded(
                    canonical + ".identifiers[0]", "unknown URI prefix; the whole URI is kept", uri
                )
            party["identifiers"] = [{"scheme": scheme, "value": value}]
        postal = js.obj(node, "postalAddress", path)
        address: dict[str, Any] = {}
        lines = [js.text(postal, key, path + ".postalAddress") for key in ("line1", "line2")]
        self.put(
            address,
            "lines",
            [clean_text(v, 256, canonical + ".address.lines", self.report) for v in lines if v],
        )
        for key, member, limit in (
            ("city", "cityName", 256),
            ("postcode", "postcode", 17),
            ("subdivision", "countrySubDivisionName", 256),
        ):
            self.put(
                address,
                key,
                clean_text(
                    js.text(postal, member, path), limit, f"{canonical}.address.{key}", self.report
                ),
            )
        self.put(address, "country_code", js.text(postal, "countryCode", path))
        party["address"] = address
        return party

    def authentications(self, raw: dict[str, Any]) -> dict[str, Any]:
        signatures: dict[str, Any] = {}
        for key, role, declaration, moment in (
            ("firstSignatoryAuthentication", "exporter", "exporter", "date"),
            ("secondSignatoryAuthentication", "issuing_authority", "certification", "datetime"),
        ):
            node = self.js.obj(raw, key, "$")
            block: dict[str, Any] = {}
            self.put(block, moment, self.js.text(node, "actualDateTime", f"$.{key}"))
            self.put(
                block,
                "statement",
                clean_text(
                    self.js.text(node, "statement", f"$.{key}"),
                    2048,
                    cpath("declarations", declaration, "statement"),
                    self.report,
                    multiline=True,
                ),
            )
            if block:
                self.cert.setdefault("declarations", {})[declaration] = block
            value = self.js.text(node, "signature", f"$.{key}")
            if value:
                fmt = (
                    "jws"
                    if _JWS.fullmatch(value)
                    else "image"
                    if value.startswith("data:image/")
                    else "multihash"
                )
                signatures[role] = {"format": fmt, "value": value}
                self.report.degraded(
                    f"signatures.{role}",
                    "taken over as an opaque value; not verified over the edi3 source (§9)",
                    fmt,
                )
        return signatures

    def read_consignment(self, node: dict[str, Any], parties: dict[str, Any]) -> None:
        from originlink.formats.edi3.read_goods import read_goods

        js, cert, path = self.js, self.cert, "$.supplyChainConsignment"
        js.unknown(node, _KNOWN["consignment"], path)
        transport: dict[str, Any] = {}
        uri = js.text(node, "iD", path)
        if uri:
            value, known = uris.parse_kind("consignment", uri)
            transport["consignment_reference"] = value
            if not known:
                self.report.degraded(
                    cpath("transport", "consignment_reference"),
                    "unknown iD form; the whole URI is kept",
                    uri,
                )
        self.put(
            transport,
            "information",
            clean_text(
                js.text(node, "information", path),
                2048,
                cpath("transport", "information"),
                self.report,
                multiline=True,
            ),
        )
        for key, member in (
            ("exporting_country", "exportCountry"),
            ("importing_country", "importCountry"),
        ):
            country = js.obj(node, member, path)
            self.put(cert, key, js.text(country, "code", f"{path}.{member}"))
            if "name" in country:
                self.report.dropped(
                    f"{path}.{member}.name", "derivable from the code", country["name"]
                )
        for key, member in (("exporter", "exporter"), ("importer", "importer")):
            self.put(
                parties,
                key,
                self.party(js.obj(node, member, path), f"{path}.{member}", cpath("parties", key)),
            )
        for key, party_key in (
            ("exporting_country", "exporter"),
            ("importing_country", "importer"),
        ):
            if key not in cert and party_key in parties:
                cert[key] = parties[party_key]["address"].get("country_code")
                self.report.derived(
                    cpath(key), f"absent; the {party_key}'s country is used", cert[key]
                )
        items = js.get(node, "includedConsignmentItems", list, path) or []
        read_goods(self, items, parties)
        self.read_transport(node, transport)

    def read_transport(self, node: dict[str, Any], transport: dict[str, Any]) -> None:
        js, path = self.js, "$.supplyChainConsignment"
        for key, member in (
            ("loading_location", "loadingBaseportLocation"),
            ("discharge_location", "unloadingBaseportLocation"),
        ):
            self.read_location(js.obj(node, member, path), f"{path}.{member}", key, transport)
        movement = js.obj(node, "mainCarriageTransportMovement", path)
        mpath = path + ".mainCarriageTransportMovement"
        for key, holder, kind in (
            ("journey_id", movement, "journey"),
            ("means_id", js.obj(movement, "usedTransportMeans", mpath), "means"),
        ):
            uri = js.text(holder, "iD", mpath)
            if uri:
                value, known = uris.parse_kind(kind, uri)
                transport[key] = value
                if not known:
                    self.report.degraded(
                        cpath("transport", key), "unknown iD form; the whole URI is kept", uri
                    )
        self.put(
            transport,
            "means_name",
            clean_text(
                js.text(js.obj(movement, "usedTransportMeans", mpath), "name", mpath),
                256,
                cpath("transport", "means_name"),
                self.report,
            ),
        )
        self.put(
            transport,
            "route_description",
            clean_text(
                js.text(movement, "information", mpath),
                2048,
                cpath("transport", "route_description"),
                self.report,
                multiline=True,
            ),
        )
        departure = js.text(js.obj(movement, "departureEvent", mpath), "departureDateTime", mpath)
        self.put(transport, "departure_datetime", departure)
        packages = []
        for index, package in enumerate(js.get(node, "transportPackages", list, path) or []):
            ppath = f"{path}.transportPackages[{index}]"
            if not isinstance(package, dict):
                raise InputError(f"{ppath} is not a JSON object")
            packages.append(self.package(package, ppath))
        self.put(transport, "packages", [p for p in packages if p])
        self.put(self.cert, "transport", transport)

    def package(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        uri = self.js.text(node, "iD", path)
        if uri:
            out["package_id"], _ = uris.parse_kind("package", uri)
        for key, member in (("gross_weight", "grossWeight"), ("gross_volume", "grossVolume")):
            text = self.js.text(node, member, path)
            if text is None:
                continue
            measure, normalised = parse_measure(text)
            if measure is None:
                self.report.dropped(f"{path}.{member}", "not '<decimal> <unit>'", text)
                continue
            if normalised:
                self.report.derived(f"{path}.{member}", "unit symbol read as a Rec 20 code", text)
            out[key] = measure
        return out

    def criterion(self, text: str, path: str) -> dict[str, Any]:
        match = _CRITERION.fullmatch(text.strip())
        criteria = self.profile.rules.criteria if self.profile else None
        if match and criteria is not None and criteria.find(match.group("code")) is not None:
            out: dict[str, Any] = {"code": match.group("code")}
            if match.group("pct"):
                out["value_content_percent"] = match.group("pct")
            return out
        self.report.degraded(path, "not a criterion code of the profile; kept as text", text)
        return {"text": clean_text(text, 1024, path, LossReport(), multiline=True)}


def as_date(value: str) -> str:
    """The calendar date of an edi3 date-time in its own offset."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return value


__all__ = ["as_date", "producer_id", "read"]
