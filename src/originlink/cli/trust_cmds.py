"""Commands of the trust layer: ``trustlist``, ``sign`` and ``verify`` (keys and the CA are in
:mod:`originlink.cli.keys_cmds`).

Every command works in one node home (``--home``, ``ORIGINLINK_HOME``, default
``./.originlink``): keys in ``<home>/keys``, the pilot CA in ``<home>/ca`` (or ``--ca-dir``),
pinned roots and trust lists in ``<home>/trust``. Passphrases never go on the command line: they
come from a file (``--passphrase-file``) or the environment (``ORIGINLINK_KEY_PASSPHRASE``,
``ORIGINLINK_CA_PASSPHRASE``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from originlink.cli.io import dump_json, read_bounded, read_json_file
from originlink.cli.trust_options import (
    CaDir,
    CaPassphraseFile,
    Home,
    PassphraseFile,
    emit,
    home_clock,
    node_home,
    passphrase,
)
from originlink.domain.clock import SystemClock
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.findings import join_path
from originlink.trust.ca import CertificateAuthority
from originlink.trust.certificates import (
    check_participant_id,
    describe,
    fingerprint,
    load_pem_certificates,
)
from originlink.trust.document import sign_document, sign_exporter_declaration, verify_document
from originlink.trust.listmodel import Contact
from originlink.trust.node import export_trust_list
from originlink.trust.signer import load_participant_signer
from originlink.trust.verification import DocumentVerification, Status

trustlist_app = typer.Typer(help="Signed trust lists: export, import, show.", no_args_is_help=True)


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
    contact_email: Annotated[
        str | None, typer.Option("--contact-email", help="Contact e-mail published in the list.")
    ] = None,
    contact_phone: Annotated[
        str | None, typer.Option("--contact-phone", help="Contact telephone number.")
    ] = None,
    contact_address: Annotated[
        str | None, typer.Option("--contact-address", help="Postal address, one line.")
    ] = None,
    contact_web: Annotated[
        str | None, typer.Option("--contact-web", help="Web page (https://…).")
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
    node = node_home(home, ca_dir)
    endpoints = {}
    for item in endpoint or []:
        key, sep, url = item.partition("=")
        if not sep:
            raise InputError(f"--endpoint {item!r}: expected NAME=URL, e.g. g2g=https://…")
        endpoints[key] = url
    root_signer = None
    if sign_with_ca:
        secret = passphrase(ca_passphrase_file, "ca")
        root_signer = CertificateAuthority.load(node.ca_dir, secret).signer
    signed = export_trust_list(
        node,
        check_participant_id(participant),
        clock=home_clock(home),
        passphrase=passphrase(passphrase_file, "key"),
        name=name,
        agreements=agreement,
        endpoints=endpoints,
        revocations=_revocations(revoke or [], reason),
        root_signer=root_signer,
        contact=_contact(contact_email, contact_phone, contact_address, contact_web),
    )
    emit(signed, out)
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
    store = node_home(home).trust_store(home_clock(home))
    accepted = store.import_list(read_bounded(file))
    typer.echo(f"accepted    {accepted.participant_id} sequence {accepted.sequence}")


@trustlist_app.command("pin-root")
def trustlist_pin_root(
    cert: Annotated[Path, typer.Argument(help="PEM certificate of the network's root.")],
    home: Home = None,
) -> None:
    """Trust a network root (check its fingerprint with the operator first)."""
    roots = load_pem_certificates(read_bounded(cert, max_bytes=256 * 1024), what=str(cert))
    store = node_home(home).trust_store()
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
    store = node_home(home).trust_store()
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
        for key, value in (tl.contact.present() if tl.contact else {}).items():
            typer.echo(f"  contact {key} {value}")
        for entry in tl.certificates:
            revoked = f"  REVOKED at {entry.revoked_at.isoformat()}" if entry.revoked_at else ""
            typer.echo(
                f"  cert sha256:{entry.sha256} {entry.role.value} "
                f"{entry.not_before:%Y-%m-%d}..{entry.not_after:%Y-%m-%d}{revoked}"
            )


def _contact(
    email: str | None, phone: str | None, address: str | None, web: str | None
) -> Contact | None:
    """The contact details given on the command line (None: keep the previous list's)."""
    given = {"email": email, "phone": phone, "address": address, "web": web}
    if not any(given.values()):
        return None
    try:
        return Contact.model_validate({k: v for k, v in given.items() if v})
    except ValidationError as exc:
        first = exc.errors()[0]
        option = "--contact-" + str(first["loc"][0])
        raise InputError(f"{option}: {first['msg']}") from None


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
        node_home(home).keys_dir,
        check_participant_id(participant),
        passphrase(passphrase_file, "key"),
    )
    now = SystemClock().now()
    signed = (
        sign_exporter_declaration(doc, signer, signing_time=now)
        if exporter
        else sign_document(doc, signer, signing_time=now)
    )
    emit((dump_json(signed.to_json_dict()) + "\n").encode("utf-8"), out)


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
    store = node_home(home).trust_store()
    result = verify_document(doc, store, now=SystemClock().now())
    if as_json:
        typer.echo(dump_json({"file": str(file), **result.as_dict()}))
    else:
        _print_verification(file, result)
    return 0 if result.ok else 1


def register(app: typer.Typer) -> None:
    app.add_typer(trustlist_app, name="trustlist")
    app.command("sign")(sign)
    app.command("verify")(verify)
