"""Commands for keys and the pilot CA: ``ca init``, ``ca issue`` and ``keys init`` (with
``--rotate``). Keys live in ``<home>/keys`` (mode 0600, optionally encrypted), the CA in
``<home>/ca`` (or ``--ca-dir``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from originlink.cli.io import write_bytes_atomic
from originlink.cli.trust_options import (
    CaDir,
    CaPassphraseFile,
    Home,
    PassphraseFile,
    home_clock,
    node_home,
    passphrase,
)
from originlink.domain.clock import SystemClock
from originlink.trust.ca import CertificateAuthority, load_csr
from originlink.trust.certificates import (
    Identity,
    certificates_pem,
    check_country,
    check_participant_id,
    describe,
    identity_from_name,
    parse_role,
)
from originlink.trust.keys import parse_algorithm
from originlink.trust.node import init_keys

keys_app = typer.Typer(help="Participants' signing keys.", no_args_is_help=True)
ca_app = typer.Typer(
    help="A small certificate authority for a test or pilot network.", no_args_is_help=True
)


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
    node = node_home(home, ca_dir)
    clock = home_clock(home)
    ca = CertificateAuthority.create(
        name=name, now=clock.now(), algorithm=parse_algorithm(algorithm), validity=timedelta(days)
    ).save(node.ca_dir, passphrase(passphrase_file, "ca"))
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
    node = node_home(home, ca_dir)
    ca = CertificateAuthority.load(node.ca_dir, passphrase(passphrase_file, "ca"))
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
    node = node_home(home, ca_dir)
    identity = Identity(
        check_participant_id(participant), check_country(country), parse_role(role), name
    )
    ca = None
    if (node.ca_dir / "ca.key.pem").is_file():
        ca = CertificateAuthority.load(node.ca_dir, passphrase(ca_passphrase_file, "ca"))
    secret = passphrase(passphrase_file, "key")
    result = init_keys(
        node,
        identity,
        now=home_clock(home).now(),
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


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    app.add_typer(ca_app, name="ca")
