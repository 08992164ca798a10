"""Transport → ``cac:Consignment`` and the main-carriage ``cac:ShipmentStage`` (§5)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree

from originlink.domain.dataset import Certificate, Transport, TransportMode
from originlink.domain.dataset.types import datetime_to_json
from originlink.formats._common import cpath
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import cac, cbc, sub
from originlink.formats.ubl.parties import write_party

#: Where ``transport.means_id`` goes, by Rec 19 mode: (aggregate, identifier element).
MEANS_BY_MODE: dict[TransportMode, tuple[str, str]] = {
    TransportMode.MARITIME: ("MaritimeTransport", "VesselID"),
    TransportMode.INLAND_WATER: ("MaritimeTransport", "VesselID"),
    TransportMode.AIR: ("AirTransport", "AircraftID"),
    TransportMode.ROAD: ("RoadTransport", "LicensePlateID"),
    TransportMode.RAIL: ("RailTransport", "TrainID"),
}
LOCODE_SCHEME = "UN/LOCODE"


def write_consignment(
    shipment: etree._Element,
    cert: Certificate,
    fallback_id: Callable[[str, str], str],
    report: LossReport,
) -> None:
    transport = cert.transport
    consignment = sub(shipment, cac("Consignment"))
    reference = transport.consignment_reference if transport else None
    if reference:
        if reference == cert.certificate_number:
            report.degraded(
                cpath("transport", "consignment_reference"),
                "equals the certificate number; a reader takes it for the synthesised copy",
            )
        sub(consignment, cbc("ID"), reference)
    else:
        target = "cac:CertificateOfOriginApplication/cac:Shipment/cac:Consignment/cbc:ID"
        sub(consignment, cbc("ID"), fallback_id(target, "transport.consignment_reference"))
    if cert.parties.consignee:
        write_party(consignment, cac("ConsigneeParty"), cert.parties.consignee)
    sub(
        sub(consignment, cac("FinalDestinationCountry")),
        cbc("IdentificationCode"),
        cert.importing_country,
    )
    for country in (transport.transit_countries if transport else None) or ():
        sub(sub(consignment, cac("TransitCountry")), cbc("IdentificationCode"), country)


def write_stage(shipment: etree._Element, transport: Transport, report: LossReport) -> None:
    has_means = transport.means_id or transport.means_name or transport.journey_id
    if not (
        transport.mode_code
        or transport.mode_text
        or has_means
        or transport.loading_location
        or transport.discharge_location
        or transport.departure_datetime
    ):
        return
    stage = sub(shipment, cac("ShipmentStage"))
    if transport.mode_code or transport.mode_text:
        sub(
            stage,
            cbc("TransportModeCode"),
            transport.mode_code.value if transport.mode_code else "",
            name=transport.mode_text,
        )
    if has_means:
        write_means(sub(stage, cac("TransportMeans")), transport, report)
    for tag, location in (
        ("LoadingPortLocation", transport.loading_location),
        ("UnloadingPortLocation", transport.discharge_location),
    ):
        if location and (location.locode or location.name):
            element = sub(stage, cac(tag))
            if location.locode:
                sub(element, cbc("ID"), location.locode, schemeID=LOCODE_SCHEME)
            if location.name:
                sub(element, cbc("Name"), location.name)
    if transport.departure_datetime:
        event = sub(stage, cac("PlannedDepartureTransportEvent"))
        if isinstance(transport.departure_datetime, datetime):
            day, clock = datetime_to_json(transport.departure_datetime).split("T")
            sub(event, cbc("OccurrenceDate"), day)
            sub(event, cbc("OccurrenceTime"), clock)
        else:
            sub(event, cbc("OccurrenceDate"), transport.departure_datetime.isoformat())


def write_means(means: etree._Element, transport: Transport, report: LossReport) -> None:
    if transport.journey_id:
        sub(means, cbc("JourneyID"), transport.journey_id)
    placed = MEANS_BY_MODE.get(transport.mode_code) if transport.mode_code else None
    if transport.means_id and placed is None:
        report.dropped(
            cpath("transport", "means_id"),
            "UBL places the means id by mode; the mode gives none",
            transport.means_id,
        )
    maritime = placed is not None and placed[0] == "MaritimeTransport"
    if transport.means_name and not maritime:
        report.dropped(
            cpath("transport", "means_name"),
            "UBL has a means name for vessels only",
            transport.means_name,
        )
    if placed is None:
        return
    aggregate, id_tag = placed
    if maritime:
        if transport.means_id or transport.means_name:
            element = sub(means, cac(aggregate))
            if transport.means_id:
                sub(element, cbc(id_tag), transport.means_id)
            if transport.means_name:
                sub(element, cbc("VesselName"), transport.means_name)
    elif transport.means_id:
        sub(sub(means, cac(aggregate)), cbc(id_tag), transport.means_id)
