"""ALADI COD 1.8.0 constants and reference tables (``dataset.md`` §11.3, §13.3).

The unit table is to be completed from ALADI's code list: the only entry the dataset gives is
``UN`` (units) → Rec 20 ``H87`` (piece), itself marked "to be confirmed". A Rec 20 code with no
ALADI counterpart here is written unchanged and reported ``DEGRADED``; an ALADI unit with no
Rec 20 counterpart is read unchanged when it has the Rec 20 form, and reported.
"""

from __future__ import annotations

from lxml import etree

from originlink.domain.dataset import TransportMode

SOAP_NS = "http://www.w3.org/2001/12/soap-envelope"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
COD_VERSION = "1.8.0"
KNOWN_VERSIONS = frozenset({"1.8.0", "1.8.2", "1.8.3", "4.1.1"})
SUBMITTER = "EXP"
SCHEMA_LOCATION = f"{SOAP_NS} http://www.codaladi.org/directorio/cod_ver_{COD_VERSION}.xsd"
#: Identifier scheme of an ALADI authorised issuing entity (``EHId``).
EH_SCHEME = "ALADI:EH"

#: ALADI unit code → UN/ECE Rec 20. ``UN`` → ``H87`` is "to be confirmed" (dataset §13.3).
UNITS_TO_REC20: dict[str, str] = {"UN": "H87"}
REC20_TO_UNITS: dict[str, str] = {v: k for k, v in UNITS_TO_REC20.items()}

#: Words written in ``TransportMeans`` for a Rec 19 mode when the CO has no mode text (the
#: sample writes ``RODOVIARIA``); read back through the same table and a few synonyms.
MODE_WORDS: dict[TransportMode, str] = {
    TransportMode.MARITIME: "MARITIMO",
    TransportMode.RAIL: "FERROVIARIO",
    TransportMode.ROAD: "CARRETERO",
    TransportMode.AIR: "AEREO",
    TransportMode.MAIL: "POSTAL",
    TransportMode.MULTIMODAL: "MULTIMODAL",
    TransportMode.FIXED_INSTALLATION: "INSTALACION FIJA",
    TransportMode.INLAND_WATER: "FLUVIAL",
}
MODE_SYNONYMS: dict[str, TransportMode] = {
    **{word: mode for mode, word in MODE_WORDS.items()},
    "MARITIMA": TransportMode.MARITIME,
    "RODOVIARIA": TransportMode.ROAD,
    "RODOVIARIO": TransportMode.ROAD,
    "TERRESTRE": TransportMode.ROAD,
    "FERROVIARIA": TransportMode.RAIL,
    "AEREA": TransportMode.AIR,
    "AEREO": TransportMode.AIR,
}


def form_element(acronym: str, form: str | None) -> str:
    """``Form<ACR>``: from the profile's ``aladi_form`` (``FormA18`` or ``A18``) or acronym."""
    name = form or acronym
    return name if name.startswith("Form") else f"Form{name}"


def soap(local: str) -> str:
    return str(etree.QName(SOAP_NS, local))
