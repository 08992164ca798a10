"""Commands of the trust layer: ``keys``, ``ca``, ``trustlist``, ``sign`` and ``verify``.

Every command works in one node home (``--home``, ``ORIGINLINK_HOME``, default
``./.originlink``): keys in ``<home>/keys``, the pilot CA in ``<home>/ca`` (or ``--ca-dir``),
pinned roots and trust lists in ``<home>/trust``. Passphrases never go on the command line: they
come from a file (``--passphrase-file``) or the environment (``ORIGINLINK_KEY_PASSPHRASE``,
``ORIGINLINK_CA_PASSPHRASE``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

import typer
from pydantic import ValidationError

from originlink.cli.io import dump_json, read_bounded, read_json_file, write_bytes_atomic
from originlink.config import environment, resolve_home
from originlink.domain.clock import SystemClock
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.findings import join_path
from originlink.trust.ca import CertificateAuthority, load_csr
from originlink.trust.certificates import (
    Identity,
    certificates_pem,
    check_country,
    check_participant_id,
    describe,
    fingerprint,
    identity_from_name,
    load_pem_certificates,
    parse_role,
)
from originlink.trust.document import sign_document, sign_exporter_declaration, verify_document
from originlink.trust.keys import parse_algorithm
from originlink.trust.node import NodeHome, export_trust_list, init_keys
from originlink.trust.signer import load_participant_signer
from originlink.trust.verification import DocumentVerification, Status

Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Node home folder (default: $ORIGINLINK_HOME or ./.originlink).",
        show_default=False,
    ),
]
CaDir = Annotated[Path | None, typer.Option("--ca-dir", help="CA folder (default: <home>/ca).")]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="File whose first line is the key's passphrase (else ORIGINLINK_KEY_PASSPHRASE).",
    ),
]
CaPassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--ca-passphrase-file",
        help="File whose first line is the CA key's passphrase (else ORIGINLINK_CA_PASSPHRASE).",
    ),
]

keys_app = typer.Typer(help="Participants' signing keys.", no_args_is_help=True)
ca_app = typer.Typer(
    help="A small certificate authority for a test or pilot network.", no_args_is_help=True
)
trustlist_app = typer.Typer(help="Signed trust lists: export, import, show.", no_args_is_help=True)


def _passphrase(path: Path | None, setting: Literal["key", "ca"]) -> bytes | None:
    """From the file given, else from the environment (``ORIGINLINK_KEY_PASSPHRASE`` or
    ``ORIGINLINK_CA_PASSPHRASE``, read by :mod:`originlink.config`)."""
    if path is not None:
        line = read_bounded(path, max_bytes=4096).split(b"\n", 1)[0].rstrip(b"\r")
        if not line:
            raise InputError(f"passphrase file {path} is empty")
        return line
    settings = environment()
    value = settings.key_passphrase if setting == "key" else settings.ca_passphrase
    return value.get_secret_value().encode("utf-8") if value else None


def _home(home: Path | None, ca_dir: Path | None = None) -> NodeHome:
    return NodeHome(resolve_home(home), ca_dir)


def _emit(data: bytes, out: Path | None) -> None:
    if out is None or str(out) == "-":
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        write_bytes_atomic(out, data)


@ca_app.command("init")
def ca_init(
    name: Annotated[
        str, typer.Option("--name", help="Common name of the root, e.g. 'Pilot Root CA'.")
    ],
    algorithm: Annotated[
        str, typer.Option("--algorithm", help="ES256 (default) or EdDSA.")
    ] = "ES256",
    days: Annotated[
        int, typer.Option("--days", min=1, help="Validity of the root in days.")
    ] = 3650,
    home: Home = None,
    ca_dir: CaDir = None,
    passphrase_file: CaPassphraseFile = None,
) -> None:
    """Create the network's root CA and pin its certificate in this node's trust store."""
    node = _home(home, ca_dir)
    clock = SystemClock()
    ca = CertificateAuthority.create(
        name=name, now=clock.now(), algorithm=parse_algorithm(algorithm), validity=timedelta(days)
    ).save(node.ca_dir, _passphrase(passphrase_file, "ca"))
    node.trust_store(clock).pin_root(ca.certificate)
    typer.echo(f"root        {node.ca_dir / 'ca.cert.pem'}  {describe(ca.certificate)}")
    typer.echo(f"pinned in   {node.trust_dir / 'roots'}")


@ca_app.command("issue")
def ca_issue(
    csr: Annotated[Path, typer.Option("--csr", help="The participant's request (.csr.pem).")],
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="Default: the request's folder.")
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, help="Validity in days.")] = 730,
    home: Home = None,
    ca_dir: CaDir = None,
    passphrase_file: CaPassphraseFile = None,
) -> None:
    """Issue a participant's certificate from its signing request."""
    node = _home(home, ca_dir)
    ca = CertificateAuthority.load(node.ca_dir, _passphrase(passphrase_file, "ca"))
    cert = ca.issue(load_csr(csr), now=SystemClock().now(), validity=timedelta(days))
    identity = identity_from_name(cert.subject)
    assert identity is not None  # the CA refuses requests without one
    target = out_dir or csr.parent
    cert_path = target / f"{identity.participant_id}.cert.pem"
    write_bytes_atomic(cert_path, certificates_pem([cert]))
    write_bytes_atomic(
        target / f"{identity.participant_id}.chain.pem", certificates_pem([ca.certificate])
    )
    typer.echo(f"certificate {cert_path}  {describe(cert)}")


@keys_app.command("init")
def keys_init(
    participant: Annotated[
        str, typer.Option("--participant", help="Participant id, e.g. SG-CUSTOMS.")
    ],
    country: Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-2 country code.")],
    role: Annotated[
        str,
        typer.Option(
            "--role", help="issuing-authority, customs or gateway (exporter: declarations)."
        ),
    ],
    name: Annotated[str | None, typer.Option("--name", help="Organisation name (O=).")] = None,
    algorithm: Annotated[
        str, typer.Option("--algorithm", help="ES256 (default) or EdDSA.")
    ] = "ES256",
    days: Annotated[int, typer.Option("--days", min=1, help="Certificate validity in days.")] = 730,
    rotate: Annotated[
        bool, typer.Option("--rotate", help="Replace an existing key, keeping it.")
    ] = False,
    home: Home = None,
    ca_dir: CaDir = None,
    passphrase_file: PassphraseFile = None,
    ca_passphrase_file: CaPassphraseFile = None,
) -> None:
    """Make a participant's key and certificate request; if the CA is in this home (or at
    --ca-dir), have it issue the certificate at once."""
    node = _home(home, ca_dir)
    identity = Identity(
        check_participant_id(participant), check_country(country), parse_role(role), name
    )
    ca = None
    if (node.ca_dir / "ca.key.pem").is_file():
        ca = CertificateAuthority.load(node.ca_dir, _passphrase(ca_passphrase_file, "ca"))
    secret = _passphrase(passphrase_file, "key")
    result = init_keys(
        node,
        identity,
        now=SystemClock().now(),
        algorithm=parse_algorithm(algorithm),
        passphrase=secret,
        ca=ca,
        validity=timedelta(days),
        rotate=rotate,
    )
    if result.archived:
        typer.echo(
            f"previous    kept as {node.keys_dir / 'previous'}/{participant}.{result.archived}.*"
        )
    protection = "encrypted" if secret else "not encrypted"
    typer.echo(f"key         {result.files.key}  (mode 0600, {protection})")
    typer.echo(f"request     {result.files.csr}")
    if result.certificate is not None:
        typer.echo(f"certificate {result.files.cert}  {describe(result.certificate)}")
    else:
        typer.echo(
            f"no CA in {node.ca_dir}: send the request to the network's CA "
            f"(originlink ca issue --csr {result.files.csr})"
        )


def _revocations(values: list[str], reason: str | None) -> dict[str, tuple[datetime, str | None]]:
    out: dict[str, tuple[datetime, str | None]] = {}
    for value in values:
        wanted, _, when = value.partition("@")
        try:
            moment = datetime.fromisoformat(when) if when else SystemClock().now()
        except ValueError:
            raise InputError(f"--revoke {value!r}: {when!r} is not an ISO 8601 time") from None
        if moment.tzinfo is None:
            raise InputError(f"--revoke {value!r}: the time needs a UTC offset or Z")
        out[wanted.lower().removeprefix("sha256:")] = (moment, reason)
    return out


@trustlist_app.command("export")
def trustlist_export(
    participant: Annotated[str, typer.Option("--participant", help="Whose list to export.")],
    name: Annotated[str | None, typer.Option("--name", help="Participant's name.")] = None,
    agreement: Annotated[
        list[str] | None, typer.Option("--agreement", metavar="CODE", help="Agreement, repeatable.")
    ] = None,
    endpoint: Annotated[
        list[str] | None,
        typer.Option("--endpoint", metavar="NAME=URL", help="Endpoint, repeatable."),
    ] = None,
    revoke: Annotated[
        list[str] | None,
        typer.Option(
            "--revoke",
            metavar="SHA256[@TIME]",
            help="Revoke a listed certificate from TIME (default now); repeatable.",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--revocation-reason", help="Why (for --revoke).")
    ] = None,
    sign_with_ca: Annotated[
        bool, typer.Option("--sign-with-ca", help="Sign with the root CA.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: stdout).")
    ] = None,
    home: Home = None,
    ca_dir: CaDir = None,
    passphrase_file: PassphraseFile = None,
    ca_passphrase_file: CaPassphraseFile = None,
) -> None:
    """Sign the participant's next trust list, accept it here and write it for partners."""
    node = _home(home, ca_dir)
    endpoints = {}
    for item in endpoint or []:
        key, sep, url = item.partition("=")
        if not sep:
            raise InputError(f"--endpoint {item!r}: expected NAME=URL, e.g. g2g=https://…")
        endpoints[key] = url
    root_signer = None
    if sign_with_ca:
        secret = _passphrase(ca_passphrase_file, "ca")
        root_signer = CertificateAuthority.load(node.ca_dir, secret).signer
    signed = export_trust_list(
        node,
        check_participant_id(participant),
        clock=SystemClock(),
        passphrase=_passphrase(passphrase_file, "key"),
        name=name,
        agreements=agreement,
        endpoints=endpoints,
        revocations=_revocations(revoke or [], reason),
        root_signer=root_signer,
    )
    _emit(signed, out)
    if out is not None:
        tl = node.trust_store().participant(participant)
        assert tl is not None
        typer.echo(f"trust list  {out}  {participant} sequence {tl.sequence}", err=True)


@trustlist_app.command("import")
def trustlist_import(
    file: Annotated[Path, typer.Argument(help="A signed trust list (JSON).")],
    home: Home = None,
) -> None:
    """Verify a partner's signed trust list and accept it (or refuse it, saying why)."""
    store = _home(home).trust_store()
    accepted = store.import_list(read_bounded(file))
    typer.echo(f"accepted    {accepted.participant_id} sequence {accepted.sequence}")


@trustlist_app.command("pin-root")
def trustlist_pin_root(
    cert: Annotated[Path, typer.Argument(help="PEM certificate of the network's root.")],
    home: Home = None,
) -> None:
    """Trust a network root (check its fingerprint with the operator first)."""
    roots = load_pem_certificates(read_bounded(cert, max_bytes=256 * 1024), what=str(cert))
    store = _home(home).trust_store()
    for root in roots:
        store.pin_root(root)
        typer.echo(f"pinned      {describe(root)}")


@trustlist_app.command("show")
def trustlist_show(
    participant: Annotated[str | None, typer.Argument(help="Only this participant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    home: Home = None,
) -> None:
    """Show the pinned roots and the accepted trust lists."""
    store = _home(home).trust_store()
    lists = store.participants()
    if participant is not None:
        lists = [tl for tl in lists if tl.participant_id == participant]
        if not lists:
            raise InputError(f"no accepted trust list for {participant!r}")
    if as_json:
        roots = [fingerprint(r) for r in store.roots]
        typer.echo(dump_json({"roots": roots, "trust_lists": [tl.to_json() for tl in lists]}))
        return
    for root in store.roots:
        typer.echo(f"root  {describe(root)}")
    for tl in lists:
        typer.echo(
            f"{tl.participant_id}  {tl.name}  {tl.country}  sequence {tl.sequence}  "
            f"roles {','.join(r.value for r in tl.roles)}  "
            f"agreements {','.join(tl.agreements) or '-'}"
        )
        for key, url in tl.endpoints.items():
            typer.echo(f"  endpoint {key} {url}")
        for entry in tl.certificates:
            revoked = f"  REVOKED at {entry.revoked_at.isoformat()}" if entry.revoked_at else ""
            typer.echo(
                f"  cert sha256:{entry.sha256} {entry.role.value} "
                f"{entry.not_before:%Y-%m-%d}..{entry.not_after:%Y-%m-%d}{revoked}"
            )


def _read_co(path: Path) -> CODocument:
    data = read_json_file(path)
    try:
        return CODocument.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            f"{path} is not a canonical CO document: {join_path(*first['loc']) or '(top)'}: "
            f"{first['msg']} ({exc.error_count()} problem(s); run: originlink validate)"
        ) from None


def sign(
    file: Annotated[Path, typer.Argument(help="CO document (JSON), '-' for stdin.")],
    participant: Annotated[str, typer.Option("--participant", help="Whose key signs.")],
    exporter: Annotated[
        bool, typer.Option("--exporter", help="Sign the exporter's declaration.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: stdout).")
    ] = None,
    home: Home = None,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Sign a CO as its issuing authority (or, with --exporter, the exporter's declaration)."""
    doc = _read_co(file)
    signer = load_participant_signer(
        _home(home).keys_dir,
        check_participant_id(participant),
        _passphrase(passphrase_file, "key"),
    )
    now = SystemClock().now()
    signed = (
        sign_exporter_declaration(doc, signer, signing_time=now)
        if exporter
        else sign_document(doc, signer, signing_time=now)
    )
    _emit((dump_json(signed.to_json_dict()) + "\n").encode("utf-8"), out)


def _print_verification(file: Path, result: DocumentVerification) -> None:
    verdict = "VERIFIED" if result.ok else "NOT VERIFIED"
    who = f" signed by {result.participant_id}" if result.participant_id else ""
    when = f" at {result.signing_time:%Y-%m-%dT%H:%M:%SZ}" if result.signing_time else ""
    typer.echo(f"{file}: {verdict}{who}{when}")
    sections = [("", result.issuing_authority)]
    if result.exporter is not None:
        sections.append(("exporter ", result.exporter))
    for prefix, part in sections:
        for aspect in part.aspects:
            label = f"{prefix}{aspect.aspect.value}"
            if aspect.status is Status.OK:
                typer.echo(f"  {label:<20} ok      {aspect.detail or aspect.sentence}")
                continue
            typer.echo(
                f"  {label:<20} {aspect.status.value.upper():<7} {aspect.code}: {aspect.sentence}"
            )
            if aspect.detail:
                typer.echo(f"  {'':<20} {'':<7} {aspect.detail}")


def verify(
    file: Annotated[Path, typer.Argument(help="Signed CO document (JSON), '-' for stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    home: Home = None,
) -> int:
    """Verify a CO's signatures: integrity, signer, time, revocation (exit 0 ok, 1 failed,
    2 unreadable)."""
    doc = _read_co(file)
    store = _home(home).trust_store()
    result = verify_document(doc, store, now=SystemClock().now())
    if as_json:
        typer.echo(dump_json({"file": str(file), **result.as_dict()}))
    else:
        _print_verification(file, result)
    return 0 if result.ok else 1


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    app.add_typer(ca_app, name="ca")
    app.add_typer(trustlist_app, name="trustlist")
    app.command("sign")(sign)
    app.command("verify")(verify)
