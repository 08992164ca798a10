"""``originlink bench ...``: benchmarks that print ratios against the raw cost of the work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from originlink.bench import claims as claims_bench
from originlink.bench import exchange as exchange_bench
from originlink.bench import issue as issue_bench
from originlink.bench import render as render_bench
from originlink.bench import scale as scale_bench
from originlink.bench import sign as sign_bench
from originlink.bench import web as web_bench
from originlink.cli.io import dump_json
from originlink.config import environment
from originlink.terminal import progress_bar
from originlink.trust.keys import parse_algorithm

bench_app = typer.Typer(help="Benchmarks (ratios against the raw cost).", no_args_is_help=True)


@bench_app.command("sign")
def bench_sign(
    quick: Annotated[bool, typer.Option("--quick", help="A short run (about a second).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    items: Annotated[int, typer.Option("--items", min=1, max=999, help="Goods items.")] = 10,
    algorithm: Annotated[str, typer.Option("--algorithm", help="ES256 or EdDSA.")] = "ES256",
) -> None:
    """Document signatures and verifications per second, each as a ratio to the bare
    signature or verification of the same canonical bytes."""
    with _phases("bench sign", sign_bench.PHASES, quiet=as_json) as step:
        result = sign_bench.run(
            quick=quick, items=items, algorithm=parse_algorithm(algorithm), step=step
        )
    if as_json:
        typer.echo(dump_json(result.as_dict()))
        return
    typer.echo(
        f"bench sign: {result.items}-item CO, {result.canonical_bytes:,} canonical bytes, "
        f"{result.algorithm}{' (quick)' if quick else ''}"
    )
    typer.echo(
        f"  sign    {result.sign_per_s:>10,.0f}/s   bare signature    "
        f"{result.raw_sign_per_s:>10,.0f}/s   ratio {result.sign_ratio_to_raw:.2f}"
    )
    typer.echo(
        f"  verify  {result.verify_per_s:>10,.0f}/s   bare verification "
        f"{result.raw_verify_per_s:>10,.0f}/s   ratio {result.verify_ratio_to_raw:.2f}"
    )


@contextmanager
def _phases(name: str, phases: tuple[str, ...], *, quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over a benchmark's phases; yields the ``step`` callback it reports to."""
    with progress_bar(name, total=len(phases), quiet=quiet) as bar:
        yield lambda phase: bar.update(phases.index(phase), description=f"{name}: {phase}")


def _pg_url(given: str | None) -> str:
    return given or environment().bench_pg_url or issue_bench.DEFAULT_PG_URL


@bench_app.command("issue")
def bench_issue(
    quick: Annotated[bool, typer.Option("--quick", help="A short run (a few seconds).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    items: Annotated[int, typer.Option("--items", min=1, max=999, help="Goods items.")] = 10,
    postgresql_url: Annotated[
        str | None,
        typer.Option(
            "--postgresql-url",
            help="PostgreSQL server for the second run (skipped when unreachable; default: "
            "$ORIGINLINK_BENCH_PG_URL or the local test server).",
            show_default=False,
        ),
    ] = None,
    no_postgresql: Annotated[bool, typer.Option("--no-postgresql", help="Only SQLite.")] = False,
) -> None:
    """Applications issued per second (validate, number, canonicalise, sign, store, audit) on
    SQLite and PostgreSQL, with the ratio of one issuance to one bare document signature."""
    with _phases("bench issue", issue_bench.PHASES, quiet=as_json) as step:
        result = issue_bench.run(
            quick=quick,
            items=items,
            pg_url=None if no_postgresql else _pg_url(postgresql_url),
            step=step,
        )
    if as_json:
        typer.echo(dump_json(result.as_dict()))
        return
    typer.echo(
        f"bench issue: {result.count} applications of {result.items} items, one process"
        f"{' (quick)' if quick else ''}"
    )
    typer.echo(f"  SQLite      {result.issue_per_s_sqlite:>8,.0f} COs/s")
    if result.issue_per_s_postgresql is not None:
        typer.echo(f"  PostgreSQL  {result.issue_per_s_postgresql:>8,.0f} COs/s")
    else:
        typer.echo(f"  PostgreSQL  {result.postgresql_note}")
    typer.echo(
        f"  document signature alone {result.sign_per_s:,.0f}/s; one issuance costs "
        f"{result.ratio_to_sign:.1f} signatures"
    )


@bench_app.command("claims")
def bench_claims(
    quick: Annotated[
        bool, typer.Option("--quick", help="2,000 and 10,000 COs instead (seconds).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    postgresql_url: Annotated[
        str | None,
        typer.Option(
            "--postgresql-url",
            help="PostgreSQL server for the second run (skipped when unreachable; default: "
            "$ORIGINLINK_BENCH_PG_URL or the local test server).",
            show_default=False,
        ),
    ] = None,
    no_postgresql: Annotated[bool, typer.Option("--no-postgresql", help="Only SQLite.")] = False,
) -> None:
    """Claim decision latency (p50, p99 in ms) with 100,000 and 1,000,000 stored COs, on SQLite
    and PostgreSQL, with the ratio of one claim to the bare draw (UPDATE + ledger row)."""
    with _phases("bench claims", claims_bench.PHASES, quiet=as_json) as step:
        result = claims_bench.run(
            quick=quick, pg_url=None if no_postgresql else _pg_url(postgresql_url), step=step
        )
    data = result.as_dict()
    if as_json:
        typer.echo(dump_json(data))
        return
    typer.echo(
        f"bench claims: {result.claims_per_size} claims per size{' (quick)' if quick else ''}"
    )
    for label in ("100k", "1m"):
        line = (
            f"  {data[f'cos_{label}']:>9,} COs  SQLite p50 {data[f'claim_ms_p50_{label}']:.2f} ms"
            f"  p99 {data[f'claim_ms_p99_{label}']:.2f} ms"
            f"  ({data[f'ratio_to_raw_draw_{label}']:.1f} x the bare draw)"
        )
        if data[f"claim_ms_p50_{label}_postgresql"] is not None:
            line += (
                f"  PostgreSQL p50 {data[f'claim_ms_p50_{label}_postgresql']:.2f} ms"
                f"  p99 {data[f'claim_ms_p99_{label}_postgresql']:.2f} ms"
            )
        typer.echo(line)
    if result.postgresql_note:
        typer.echo(f"  PostgreSQL  {result.postgresql_note}")


@bench_app.command("exchange")
def bench_exchange(
    quick: Annotated[bool, typer.Option("--quick", help="A short run (30 COs).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    count: Annotated[int | None, typer.Option("--count", min=1, help="COs to send.")] = None,
) -> None:
    """Two gateways as real processes on loopback: COs accepted at B per second and latency
    from issue at A to acceptance at B, with the ratio to a bare HTTP round trip."""
    with _phases("bench exchange", exchange_bench.PHASES, quiet=as_json) as step:
        result = exchange_bench.run(quick=quick, count=count, step=step)
    if as_json:
        typer.echo(dump_json(result.as_dict()))
        return
    typer.echo(
        f"bench exchange: {result.count} COs from A to B over loopback HTTP"
        f"{' (quick)' if quick else ''}"
    )
    typer.echo(f"  accepted at B   {result.accepted_per_s:>8,.1f} COs/s")
    typer.echo(
        f"  latency at {result.latency_rate:,.0f} COs/s: p50 {result.latency_ms_p50:,.1f} ms   p95 "
        f"{result.latency_ms_p95:,.1f} ms   p99 {result.latency_ms_p99:,.1f} ms"
    )
    typer.echo(
        f"  bare HTTP round trip of {result.message_bytes:,} bytes: "
        f"{result.http_ms_p50:.2f} ms; one CO end to end costs "
        f"{result.ratio_to_http:,.0f} of them"
    )


@bench_app.command("scale")
def bench_scale(
    quick: Annotated[bool, typer.Option("--quick", help="A short run (40 COs a phase).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    count: Annotated[
        int | None, typer.Option("--count", min=1, help="COs per phase (default 300).")
    ] = None,
    postgresql_url: Annotated[
        str | None,
        typer.Option(
            "--postgresql-url",
            help="PostgreSQL server (default: $ORIGINLINK_BENCH_PG_URL or the local test "
            "server); the benchmark works in a schema of its own, dropped afterwards.",
        ),
    ] = None,
) -> None:
    """COs accepted per second with one, then two gateway instances (with their workers) on
    one PostgreSQL database, and the ratio of the two."""
    with _phases("bench scale", scale_bench.PHASES, quiet=as_json) as step:
        result = scale_bench.run(
            pg_url=_pg_url(postgresql_url), quick=quick, count=count, step=step
        )
    if as_json:
        typer.echo(dump_json(result.as_dict()))
        return
    typer.echo(f"bench scale: {result.count} COs a phase, {result.cpus} CPU(s)")
    typer.echo(f"  one instance   {result.accepted_per_s_1:>8,.1f} accepted/s")
    typer.echo(
        f"  two instances  {result.accepted_per_s_2:>8,.1f} accepted/s   ratio {result.ratio:.2f}"
    )


@bench_app.command("render")
def bench_render(
    quick: Annotated[bool, typer.Option("--quick", help="Two runs instead of five.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    items: Annotated[int, typer.Option("--items", min=1, max=999, help="Goods items.")] = 999,
) -> None:
    """Seconds to print a 999-item CO in its form (target: 3 s), with the ratio to a bare
    fpdf2 table of the same texts."""
    with _phases("bench render", render_bench.PHASES, quiet=as_json) as step:
        result = render_bench.run(quick=quick, items=items, step=step)
    if as_json:
        typer.echo(dump_json(result.as_dict()))
        return
    typer.echo(
        f"bench render: {result.items}-item CO, {result.pages} pages, "
        f"{result.pdf_bytes:,} bytes{' (quick)' if quick else ''}"
    )
    verdict = "within" if result.within_target else "OVER"
    typer.echo(
        f"  render  {result.render_s:>7.2f} s (first {result.render_first_s:.2f} s)   "
        f"{verdict} the {render_bench.TARGET_SECONDS:.0f} s target"
    )
    typer.echo(
        f"  bare fpdf2 table of the same texts {result.raw_s:.2f} s; ratio "
        f"{result.ratio_to_raw:.1f}"
    )


@bench_app.command("web")
def bench_web(
    quick: Annotated[
        bool, typer.Option("--quick", help="10,000 COs instead of 100,000 (seconds).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    service_only: Annotated[
        bool, typer.Option("--service-only", help="The service alone, without the HTML page.")
    ] = False,
) -> None:
    """Milliseconds for the server to answer a list page (the customs officer's received
    certificates, 50 a page) with 100,000 COs stored (target: 50 ms), first page, each
    filter and the tenth page, with the ratio to the bare SQL of one page."""
    with _phases("bench web", web_bench.PHASES, quiet=as_json) as step:
        result = web_bench.run(quick=quick, html=not service_only, step=step)
    data = result.as_dict()
    if as_json:
        typer.echo(dump_json(data))
        return
    what = "HTML pages" if result.rendered else "pages (service only)"
    typer.echo(f"bench web: {result.cos:,} COs stored, {what}{' (quick)' if quick else ''}")
    for fig in result.pages:
        typer.echo(f"  {fig.name:<14} p50 {fig.p50:>7.2f} ms   p99 {fig.p99:>7.2f} ms")
    verdict = "within" if data["within_target"] else "OVER"
    typer.echo(
        f"  worst p50 {result.worst_p50:.2f} ms: {verdict} the {web_bench.TARGET_MS:.0f} ms "
        f"target; bare SQL of one page {result.raw_p50:.2f} ms, first page "
        f"{data['ratio_to_raw_first']:.1f} x that"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(bench_app, name="bench")
