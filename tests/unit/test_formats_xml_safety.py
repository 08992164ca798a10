"""Malicious and malformed XML gets one clear error; nothing is fetched or expanded."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from originlink.domain.errors import InputError, InputTooLarge
from originlink.domain.profiles import bundled_profiles
from originlink.formats import from_format
from originlink.formats.xml_safety import parse_xml

UBL_ROOT = (
    "urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2",
    "CertificateOfOrigin",
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        body = b'<!ENTITY leaked "FETCHED">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def loopback() -> Iterator[str]:
    """A loopback HTTP server that records every request made to it."""
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _refused(data: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_xml(data, what="test.xml", root=UBL_ROOT)
    return caught.value


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2">
&lol9;</CertificateOfOrigin>"""


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    error = _refused(BILLION_LAUGHS)
    assert "document type declaration" in error.detail
    assert "line 2, column 1" in error.detail
    assert "lollol" not in error.detail


def test_external_entity_to_a_local_file_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        'CertificateOfOrigin-2">&x;</CertificateOfOrigin>'
    ).encode()
    error = _refused(data)
    assert "TOP-SECRET" not in error.one_line()


def test_external_entity_over_http_is_refused_and_nothing_is_fetched(loopback: str) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{loopback}/xxe">]>'
        '<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        'CertificateOfOrigin-2">&x;</CertificateOfOrigin>'
    ).encode()
    _refused(data)
    assert _Recorder.hits == []


def test_external_dtd_is_refused_and_not_fetched(loopback: str) -> None:
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r SYSTEM "{loopback}/evil.dtd">'
        '<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        'CertificateOfOrigin-2"/>'
    ).encode()
    assert "document type declaration" in _refused(data).detail
    assert _Recorder.hits == []


def test_parameter_entity_without_doctype_keyword_still_refused() -> None:
    data = b'<?xml version="1.0"?><!ENTITY % p SYSTEM "file:///etc/passwd"><r/>'
    assert "entity declaration" in _refused(data).detail


def test_xinclude_is_refused_and_not_processed(loopback: str) -> None:
    data = (
        b'<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        b'CertificateOfOrigin-2" xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="' + loopback.encode() + b'/inc.xml" parse="text"/>'
        b'<xi:include href="file:///etc/passwd" parse="text"/></CertificateOfOrigin>'
    )
    error = _refused(data)
    assert "XInclude" in error.detail
    assert _Recorder.hits == []
    assert "root:" not in error.detail


def test_oversized_input_is_refused_before_parsing() -> None:
    data = b"<CertificateOfOrigin>" + b" " * 2000 + b"</CertificateOfOrigin>"
    with pytest.raises(InputTooLarge) as caught:
        parse_xml(data, what="big.xml", max_bytes=1000)
    assert "limit is 1,000 bytes" in caught.value.detail


def test_truncated_input_names_line_and_column() -> None:
    data = (
        b'<CertificateOfOrigin xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
        b'CertificateOfOrigin-2">\n<cbc:ID xmlns:cbc="urn:x">RCEP-1</cbc:'
    )
    error = _refused(data)
    assert "not well-formed XML" in error.detail
    assert "line 2" in error.detail


def test_wrong_root_element_is_named() -> None:
    data = b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2"/>'
    error = _refused(data)
    assert "root element is Invoice" in error.detail
    assert "expected CertificateOfOrigin" in error.detail


def test_wrong_namespace_is_named() -> None:
    error = _refused(b'<CertificateOfOrigin xmlns="urn:example:not-ubl"/>')
    assert "urn:example:not-ubl" in error.detail


def test_non_utf8_encodings_are_refused() -> None:
    assert "only UTF-8" in _refused(b'<?xml version="1.0" encoding="ISO-8859-1"?><a/>').detail
    assert "UTF-16" in _refused("<a/>".encode("utf-16")).detail
    assert "not UTF-8" in _refused(b"<a>\xff</a>").detail


def test_empty_input_is_refused() -> None:
    assert "empty" in _refused(b"  \n").detail


def test_a_malicious_file_through_the_converter_is_an_input_error() -> None:
    """Every XML entry point uses the safe parser: UBL and ALADI COD alike."""
    for fmt in ("ubl", "aladi-cod"):
        with pytest.raises(InputError, match="document type declaration"):
            from_format(BILLION_LAUGHS, fmt, profiles=bundled_profiles())


def test_a_cod_with_a_doctype_is_refused() -> None:
    data = (
        b'<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<ns1:Envelope xmlns:ns1="http://www.w3.org/2001/12/soap-envelope">&x;'
        b"</ns1:Envelope>"
    )
    with pytest.raises(InputError):
        from_format(data, "aladi-cod", profiles=bundled_profiles())
