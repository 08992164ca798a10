"""edi3 (UN/CEFACT) certificate-of-origin JSON → canonical CO (``dataset.md`` §11.2, §12.4).

Read leniently (:mod:`originlink.formats.reading`): the JSON itself must parse
(:func:`loads_bounded`) and be an object; anything else becomes findings. A member of the wrong
type is left out (SEVERE, with its JSON pointer), a member the schema requires and the source
lacks is a WARNING, members the schema does not define are ``DROPPED`` and the source is kept
whole as the ``source_document`` attachment. Identifiers lose their URI prefix; the CO number
keeps its issuer's scheme (``wfa.org.au:coo:WBC208897``: the domain becomes the issuing
authority's ``DNS`` identifier and is written back); agreements are found by code, edi3 string,
full name or common short name (the profiles' aliases).
"""

from __future__ import annotations

from typing import Any

from originlink.domain.dataset import Status
from originlink.domain.errors import InputError
from originlink.domain.profiles import ProfileRegistry
from originlink.domain.safejson import loads_bounded
from originlink.formats._common import clean_text, cpath
from originlink.formats.edi3 import uris
from originlink.formats.edi3.access import Json, ReadState
from originlink.formats.edi3.common import IMPORTING_SIDE, STATUS_FROM_EDI3
from originlink.formats.edi3.read_goods import read_goods, tie_shipment_packages
from originlink.formats.edi3.read_parts import authentications, keep_source, package, party, put
from originlink.formats.reading import Draft

DOCUMENT = frozenset(
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
)
CONSIGNMENT = frozenset(
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
)
#: Canonical fields edi3 has no member for: a received edi3 CO cannot be faulted for them.
UNCARRIED = frozenset({cpath("parties", "certifying_official")})


def read(data: bytes, *, profiles: ProfileRegistry) -> Draft:
    """Read edi3 JSON bytes; only unparseable JSON or a non-object is refused."""
    raw = loads_bounded(data, what="edi3 certificate of origin")
    if not isinstance(raw, dict):
        raise InputError("the edi3 certificate of origin is not a JSON object")
    draft = Draft("uncefact", {})
    state = read_into(draft, raw, profiles=profiles)
    if state.js.left_out:
        keep_source(draft, data, "application/json", "source.json")
    return draft


def read_into(
    draft: Draft,
    raw: dict[str, Any],
    *,
    profiles: ProfileRegistry,
    root: str = "$",
    aliases: dict[str, tuple[str, ...]] | None = None,
    label: str = "the edi3 schema",
) -> ReadState:
    """Read the edi3-shaped object ``raw`` (at ``root`` in its source) into ``draft``."""
    state = ReadState(Json(draft, aliases=aliases, label=label), profiles, root)
    draft.uncarried = draft.uncarried | UNCARRIED
    document = _Reader(state).read(raw)
    draft.document = document
    return state


class _Reader:
    def __init__(self, state: ReadState) -> None:
        self.state, self.js, self.root = state, state.js, state.root
        self.cert = state.cert
        self.report = state.draft.loss
        self.number_scheme: str | None = None

    def read(self, raw: dict[str, Any]) -> dict[str, Any]:
        js, cert, report, root = self.js, self.cert, self.report, self.root
        js.unknown(raw, DOCUMENT, root)
        self.read_id(raw)
        cert["version"] = 1
        report.derived(cpath("version"), "edi3 has no version; 1 assumed", 1)
        self.read_agreement(js.text(raw, "freeTradeAgreement", root))
        preferential = js.get(raw, "isPreferential", bool, root)
        if preferential is None:
            preferential = "agreement" in cert
            js.missing(root, "isPreferential", "required by the edi3 schema", cpath())
            report.derived(
                cpath("is_preferential"), "absent; true when an agreement is named", preferential
            )
        cert["is_preferential"] = preferential
        cert["status"] = self.read_status(js.text(raw, "status", root))
        put(cert, "issue_datetime", js.text(raw, "issueDateTime", root))
        put(cert, "title", clean_text(js.text(raw, "name", root), 256, cpath("title"), report))
        if "attachedFile" in raw:
            report.dropped(
                f"{root}.attachedFile",
                "a file reference without content or hash cannot become a canonical attachment",
                raw["attachedFile"],
            )
        self.location(js.obj(raw, "issueLocation", root), f"{root}.issueLocation", "issue_place")
        parties: dict[str, Any] = {}
        put(
            parties,
            "issuing_authority",
            party(
                self.state,
                js.obj(raw, "issuer", root),
                f"{root}.issuer",
                cpath("parties", "issuing_authority"),
            ),
        )
        signatures = authentications(self.state, raw)
        if "supplyChainConsignment" not in raw:
            js.missing(root, "supplyChainConsignment", "required by the edi3 schema", cpath())
        consignment = js.obj(raw, "supplyChainConsignment", root)
        self.read_consignment(consignment, f"{root}.supplyChainConsignment", parties)
        self.issuer_country(parties)
        self.keep_number_scheme(parties)
        cert["form_code"] = self.form_code()
        cert["parties"] = parties
        if self.state.attachments:
            cert["attachments"] = list(self.state.attachments)
        doc: dict[str, Any] = {"certificate": cert}
        if signatures:
            doc["signatures"] = signatures
        return doc

    def read_id(self, raw: dict[str, Any]) -> None:
        uri = self.js.text(raw, "iD", self.root)
        if uri is None:
            self.js.missing(
                self.root, "iD", "required by the edi3 schema", cpath("certificate_number")
            )
            return
        self.state.source(cpath("certificate_number"), self.js.path(self.root, raw, "iD"))
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
        self.number_scheme = uris.certificate_domain(uri)

    def keep_number_scheme(self, parties: dict[str, Any]) -> None:
        """``<domain>:coo:<number>``: the domain is the issuer's; kept as its DNS identifier."""
        domain = self.number_scheme
        authority = parties.get("issuing_authority")
        if domain is None or authority is None:
            return
        identifiers = authority.setdefault("identifiers", [])
        if {"scheme": uris.DNS_SCHEME, "value": domain} not in identifiers:
            identifiers.append({"scheme": uris.DNS_SCHEME, "value": domain})
            self.report.derived(
                cpath("parties", "issuing_authority", "identifiers", len(identifiers) - 1),
                "the issuer's domain, from the scheme of the CO number",
                domain,
            )
        self.report.derived(
            cpath("certificate_number"),
            f"the number without its issuer's scheme '{domain}:coo:'; the domain is kept as "
            "the issuing authority's DNS identifier and written back in iD unchanged",
            self.cert.get("certificate_number"),
        )

    def read_agreement(self, name: str | None) -> None:
        if name is None:
            return
        profile = self.state.profiles.find(name)
        if profile is not None:
            self.state.profile = profile
            self.cert["agreement"] = {"code": profile.code}
            if name != profile.code:
                self.report.derived(
                    cpath("agreement", "code"), f"{name!r} is the {profile.code} agreement", name
                )
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
        status = STATUS_FROM_EDI3.get(value.lower())
        if status is not None:
            return status.value
        detail = (
            "an importing-side status (verification and use), not the issuer's"
            if value.lower() in IMPORTING_SIDE
            else "not an edi3 lifecycle value"
        )
        self.report.degraded(cpath("status"), f"{detail}; read as ISSUED", value)
        return Status.ISSUED.value

    def form_code(self) -> str:
        profile = self.state.profile
        if not self.cert["is_preferential"]:
            code = "NON_PREFERENTIAL"
        elif profile is not None:
            code = profile.form_codes[0]
        else:
            code = "UNKNOWN"
        self.report.derived(cpath("form_code"), "edi3 has no form code", code)
        return code

    def issuer_country(self, parties: dict[str, Any]) -> None:
        cert, report = self.cert, self.report
        authority = parties.get("issuing_authority")
        country = (authority or {}).get("address", {}).get("country_code")
        cert["issuing_country"] = country or cert.get("exporting_country")
        report.derived(
            cpath("issuing_country"),
            "from the issuer's postal address" if country else "the exporting country",
            cert["issuing_country"],
        )
        if authority is not None and country is None and cert["issuing_country"]:
            authority["address"]["country_code"] = cert["issuing_country"]
            report.derived(
                cpath("parties", "issuing_authority", "address", "country_code"),
                "no postal address; an authority issues for exports from its own country",
                cert["issuing_country"],
            )

    def location(
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
        name = clean_text(self.js.text(node, "name", path), 256, f"{path}.name", self.report)
        put(location, "name", name)
        put(self.cert if target is None else target, key, location)

    def read_consignment(self, node: dict[str, Any], path: str, parties: dict[str, Any]) -> None:
        js, cert, report, state = self.js, self.cert, self.report, self.state
        js.unknown(node, CONSIGNMENT, path)
        transport: dict[str, Any] = {}
        uri = js.text(node, "iD", path)
        if uri:
            value, known = uris.parse_kind("consignment", uri)
            transport["consignment_reference"] = value
            if not known:
                report.degraded(
                    cpath("transport", "consignment_reference"),
                    "unknown iD form; the whole URI is kept",
                    uri,
                )
        info = js.text(node, "information", path)
        where = cpath("transport", "information")
        put(transport, "information", clean_text(info, 2048, where, report, multiline=True))
        for key, member in (
            ("exporting_country", "exportCountry"),
            ("importing_country", "importCountry"),
        ):
            country = js.obj(node, member, path)
            put(cert, key, js.text(country, "code", f"{path}.{member}"))
            if key in cert:
                state.source(cpath(key), f"{path}.{member}.code")
            if "name" in country:
                report.dropped(f"{path}.{member}.name", "derivable from the code", country["name"])
        for key in ("exporter", "importer"):
            where = js.path(path, node, key)
            put(parties, key, party(state, js.obj(node, key, path), where, cpath("parties", key)))
        self.countries(parties)
        line_packages = read_goods(state, node, path, parties)
        self.read_transport(node, path, transport, line_packages)

    def countries(self, parties: dict[str, Any]) -> None:
        """A country named once (the party's address or the consignment's) serves both."""
        cert, report = self.cert, self.report
        for key, party_key in (
            ("exporting_country", "exporter"),
            ("importing_country", "importer"),
        ):
            holder = parties.get(party_key)
            address = holder["address"] if holder else None
            if key not in cert and address and address.get("country_code"):
                cert[key] = address["country_code"]
                report.derived(cpath(key), f"absent; the {party_key}'s country is used", cert[key])
            elif address is not None and "country_code" not in address and key in cert:
                address["country_code"] = cert[key]
                report.derived(
                    cpath("parties", party_key, "address", "country_code"),
                    f"no postal address; the consignment's {key.split('_')[0]} country",
                    cert[key],
                )

    def read_transport(
        self,
        node: dict[str, Any],
        path: str,
        transport: dict[str, Any],
        line_packages: list[dict[str, Any]],
    ) -> None:
        js, report = self.js, self.report
        for key, member in (
            ("loading_location", "loadingBaseportLocation"),
            ("discharge_location", "unloadingBaseportLocation"),
        ):
            self.location(js.obj(node, member, path), f"{path}.{member}", key, transport)
        movement = js.obj(node, "mainCarriageTransportMovement", path)
        mpath = path + ".mainCarriageTransportMovement"
        means = js.obj(movement, "usedTransportMeans", mpath)
        for key, holder, kind in (
            ("journey_id", movement, "journey"),
            ("means_id", means, "means"),
        ):
            uri = js.text(holder, "iD", mpath)
            if uri:
                value, known = uris.parse_kind(kind, uri)
                transport[key] = value
                if not known:
                    report.degraded(
                        cpath("transport", key), "unknown iD form; the whole URI is kept", uri
                    )
        name = js.text(means, "name", mpath + ".usedTransportMeans")
        where = cpath("transport", "means_name")
        put(transport, "means_name", clean_text(name, 256, where, report))
        route = js.text(movement, "information", mpath)
        where = cpath("transport", "route_description")
        put(transport, "route_description", clean_text(route, 2048, where, report, multiline=True))
        departure = js.obj(movement, "departureEvent", mpath)
        put(transport, "departure_datetime", js.text(departure, "departureDateTime", mpath))
        shipment = [
            package(self.state, element, where)
            for where, element in js.items(node, "transportPackages", path)
        ]
        tie_shipment_packages(self.state, [p for p in shipment if p])
        if line_packages:
            report.derived(
                cpath("transport", "packages"),
                "the packages of the trade lines, kept as the shipment's packages",
                len(line_packages),
            )
        put(transport, "packages", [p for p in shipment + line_packages if p])
        put(self.cert, "transport", transport)
