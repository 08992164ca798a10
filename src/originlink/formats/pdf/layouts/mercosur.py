"""The MERCOSUR certificate of origin (ACE 18): the ALADI-format form of the MERCOSUR origin
regime, in Spanish, with its sixteen fields; criteria are listed per item in field 13 ("Normas
de origen"), as on the paper form."""

from __future__ import annotations

from originlink.formats.pdf.layouts.base import Box, Column, Layout

MERCOSUR = Layout(
    name="mercosur",
    source=(
        "Certificado de origen del MERCOSUR, ALADI format of the Régimen de Origen MERCOSUR "
        "(Dec. CMC 01/09 protocolised as ACE 18, 77th Additional Protocol, "
        "http://www.sice.oas.org/Trade/ARG_BRA_PAR_UR/ARG_BRA_PAR_UR_prot77.asp); fields as "
        "on the ALADI/MERCOSUR specimen https://studylib.es/doc/3184281 with NCM codes. The "
        "form of Dec. CMC 05/23 (Appendix IV) was not found: its changes (no consignee, "
        "destination or transport; sworn declaration number and date) are not laid out"
    ),
    language="es",
    title_lines=("CERTIFICADO DE ORIGEN DEL MERCOSUR", "Régimen de Origen MERCOSUR - ACE N° 18"),
    number_label="Identificación del certificado (número)",
    issued_in="País emisor: {country}",
    header_note="VER AL DORSO",
    short_title="Certificado de origen del MERCOSUR",
    boxes=(
        Box(
            "1",
            "Productor final o exportador (nombre, dirección, país)",
            10,
            10,
            95,
            30,
            content="exporter",
        ),
        Box("", "", 105, 10, 95, 32, kind="header"),
        Box(
            "",
            "Nombre de la entidad emisora del certificado (nombre, dirección, país)",
            105,
            42,
            95,
            24,
            content="authority",
        ),
        Box("2", "Importador (nombre, dirección, país)", 10, 40, 95, 26, content="importer"),
        Box("3", "Consignatario (nombre, país)", 10, 66, 95, 18, content="consignee_only"),
        Box("4", "Puerto o lugar de embarque previsto", 105, 66, 47.5, 18, content="port_loading"),
        Box("5", "País de destino de las mercaderías", 152.5, 66, 47.5, 18, content="destination"),
        Box("6", "Medio de transporte previsto", 10, 84, 95, 16, content="means"),
        Box("7", "Factura comercial (número, fecha)", 105, 84, 95, 16, content="invoices"),
        Box(
            "13",
            "Normas de origen (N° de orden - criterio)",
            10,
            196,
            95,
            30,
            content="criteria_by_item",
        ),
        Box("14", "Observaciones", 105, 196, 95, 30, content="remarks", markings=True),
        Box(
            "15",
            "Declaración del productor final o del exportador",
            10,
            226,
            95,
            58,
            kind="declaration",
            caption="Fecha - Sello y firma",
        ),
        Box(
            "16",
            "Certificación de origen",
            105,
            226,
            95,
            58,
            kind="certification",
            caption="Fecha - Sello y firma",
        ),
    ),
    columns=(
        Column("8", "N° de orden", 14, "number"),
        Column("9", "Códigos NCM", 24, "hs_code"),
        Column("10", "Denominación de las mercaderías", 92, "description"),
        Column("11", "Peso líquido o cantidad", 30, "net_quantity"),
        Column("12", "Valor FOB en dólares (U$S)", 30, "fob"),
    ),
    items_top=100,
    items_bottom=196,
    declaration=(
        "Declaramos que las mercaderías mencionadas en el presente formulario fueron "
        "producidas en {produced_in} y están de acuerdo con las condiciones de origen "
        "establecidas en el Régimen de Origen MERCOSUR (ACE N° 18)."
    ),
    certification=(
        "Certificamos la veracidad de la declaración que antecede de acuerdo con la "
        "legislación vigente."
    ),
    overleaf_title="NOTAS",
    overleaf=(
        "EL PRESENTE CERTIFICADO:",
        "- No podrá presentar tachaduras, correcciones o enmiendas y sólo será válido si "
        "todos sus campos, excepto el campo 14 (Observaciones), estuvieren debidamente "
        "completados.",
        "- Tendrá validez de 12 meses a partir de la fecha de su emisión (Régimen de Origen "
        "MERCOSUR, Dec. CMC 05/23).",
        "- Deberá ser emitido dentro de los 180 días corridos contados a partir de la fecha "
        "de emisión de la factura comercial.",
        "- Campo 13: para cada mercadería, identificada por su número de orden, se indicará "
        "la categoría de origen que cumple (A, B o C, artículo 4 del Régimen).",
        "- Para que las mercaderías originarias se beneficien del tratamiento preferencial, "
        "deberán haber sido expedidas directamente del Estado Parte exportador al Estado "
        "Parte importador.",
        "- El certificado digital (COD, Resolución ALADI 386) tiene el mismo valor legal que "
        "el certificado en papel; este impreso reproduce el certificado electrónico y su "
        "firma se verifica en la dirección indicada en el campo 16.",
    ),
)
