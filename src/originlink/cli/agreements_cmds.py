"""``originlink agreements``: list the agreement profiles, or show one rule by rule.

Every rule is printed with its value, its source and its note; a rule the cited facts leave
unknown is printed as "unset — <reason>", never hidden, so a reader sees what OriginLink will not
check and why.
"""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from originlink.cli.io import dump_json
from originlink.domain.periods import Period
from originlink.domain.profiles import (
    PROFILE_FLAGS,
    RULE_NAMES,
    AgreementProfile,
    Cited,
    IssuanceRule,
    ProfileRegistry,
    ValidityRule,
    bundled_profiles,
)

agreements_app = typer.Typer(
    name="agreements",
    help="List the agreement profiles (parties, windows, validity, caps) or show one in full.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)

_JSON = typer.Option(False, "--json", help="Print machine-readable JSON.")
_ALWAYS_SHOWN = ("source", "note")
#: Width of the table when the output is not a terminal (a pipe, a file, a test).
_PIPE_WIDTH = 120


def _registry() -> ProfileRegistry:
    return bundled_profiles()


def _text(value: Any) -> str:
    """One value of a rule as text (periods as "12 months", booleans as yes/no)."""
    if value == "none":
        return "none (no maximum stated)"
    if isinstance(value, Period):
        return value.describe()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _validity_text(rule: ValidityRule | None, profile: AgreementProfile) -> str:
    if rule is None:
        return f"unset — {profile.unset_reason('validity')}"
    text = f"{rule.period.describe()} from {rule.runs_from}"
    if rule.retroactive_runs_from and rule.retroactive_runs_from != rule.runs_from:
        text += f" ({rule.retroactive_runs_from} if retroactive)"
    return text


def _window_text(rule: IssuanceRule | None) -> str | None:
    if rule is None:
        return None
    if rule.window.amount == 0:
        return f"at {rule.anchor}"
    return f"{rule.window.describe()} after {rule.anchor}"


def _summary(profile: AgreementProfile) -> dict[str, Any]:
    rules = profile.rules

    def value_or_unset(name: str, value: Any) -> Any:
        return {"unset": profile.unset_reason(name)} if getattr(rules, name) is None else value

    issuance = rules.issuance
    retro = rules.retroactive
    ceiling: Any = None
    if retro is not None:
        ceiling = retro.ceiling if isinstance(retro.ceiling, str) else None
        if isinstance(retro.ceiling, Period):
            ceiling = retro.ceiling.describe()
        elif retro.ceiling is None:
            ceiling = {"unset": profile.unset_reason("retroactive.ceiling") or "not stated"}
    return {
        "code": profile.code,
        "name": profile.name,
        "form_name": profile.form_name,
        "form_codes": list(profile.form_codes),
        "parties": len(profile.parties.countries),
        "issuance_window": value_or_unset("issuance", _window_text(issuance)),
        "retroactive_ceiling": value_or_unset("retroactive", ceiling),
        "validity": value_or_unset("validity", _validity_text(rules.validity, profile)),
        "item_cap": value_or_unset("item_cap", rules.item_cap and rules.item_cap.max_items),
        "record_keeping_years": value_or_unset(
            "record_keeping", rules.record_keeping and rules.record_keeping.years
        ),
    }


def _cell(value: Any) -> str:
    if isinstance(value, dict) and "unset" in value:
        return "unset"
    return "none stated" if value == "none" else str(value)


def _years_cell(value: Any) -> str:
    return f"{value} years" if isinstance(value, int) else _cell(value)


def list_profiles(json_output: bool) -> None:
    summaries = [_summary(p) for p in _registry()]
    if json_output:
        typer.echo(dump_json(summaries))
        return
    table = Table(title="Agreement profiles", show_lines=False)
    for heading in ("Code", "Forms"):
        table.add_column(heading, no_wrap=True)
    for heading in ("Parties", "Issued", "Retro ceiling", "Validity", "Item cap", "Records"):
        table.add_column(heading)
    for s in summaries:
        table.add_row(
            s["code"],
            ", ".join(s["form_codes"]),
            str(s["parties"]),
            _cell(s["issuance_window"]),
            _cell(s["retroactive_ceiling"]),
            _cell(s["validity"]),
            _cell(s["item_cap"]),
            _years_cell(s["record_keeping_years"]),
        )
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=_PIPE_WIDTH)
    console.print(table)
    typer.echo("'unset' = not found in the cited sources: not checked. See: agreements show CODE")


def _rule_json(profile: AgreementProfile, name: str, rule: Cited | None) -> dict[str, Any]:
    if rule is None:
        return {"unset": profile.unset_reason(name)}
    out: dict[str, Any] = rule.model_dump(mode="json", exclude_none=True)
    unset_fields = {
        key.partition(".")[2]: reason
        for key, reason in profile.unset.items()
        if key.startswith(f"{name}.")
    }
    if unset_fields:
        out["unset_fields"] = unset_fields
    return out


def profile_json(profile: AgreementProfile) -> dict[str, Any]:
    """The whole profile, every rule and flag present: set ones with value, source and note,
    unset ones as ``{"unset": "<reason>"}``."""
    head = profile.model_dump(mode="json", exclude={"rules", "unset"}, exclude_none=True)
    rules = {name: _rule_json(profile, name, getattr(profile.rules, name)) for name in RULE_NAMES}
    flags = {
        flag: _rule_json(profile, f"flags.{flag}", profile.rules.flags.get(flag))
        for flag in PROFILE_FLAGS
    }
    return {**head, "rules": rules, "flags": flags}


def _rule_lines(profile: AgreementProfile, name: str, rule: Cited | None) -> list[str]:
    """``name`` is the rule's key in ``[unset]`` (``fob``, ``flags.exhibition``)."""
    label = name.removeprefix("flags.")
    if rule is None:
        return [f"  {label}: unset — {profile.unset_reason(name)}"]
    lines = [f"  {label}:"]
    for field in type(rule).model_fields:
        if field in _ALWAYS_SHOWN:
            continue
        value = getattr(rule, field)
        reason = profile.unset_reason(f"{name}.{field}")
        if reason is not None:
            lines.append(f"    {field}: unset — {reason}")
        elif field == "codes":
            lines.extend(_criterion_line(c) for c in value)
        elif value is not None:
            lines.append(f"    {field}: {_text(value)}")
    lines.append(f"    source: {rule.source}")
    if rule.note:
        lines.append(f"    note: {rule.note}")
    return lines


def _criterion_line(criterion: Any) -> str:
    marks = [
        m
        for m, on in (
            ("value-based", criterion.value_based),
            ("percentage required", criterion.percent_required),
        )
        if on
    ]
    suffix = f" [{', '.join(marks)}]" if marks else ""
    return f"    code {criterion.code}: {criterion.description}{suffix}"


def show_profile(code: str, json_output: bool) -> None:
    profile = _registry().require(code)
    if json_output:
        typer.echo(dump_json(profile_json(profile)))
        return
    lines = [
        f"{profile.code} — {profile.name}",
        f"Form: {profile.form_name} ({', '.join(profile.form_codes)})",
        f"Legal basis: {profile.legal_basis.text}",
        f"  source: {profile.legal_basis.source}",
        f"Parties ({len(profile.parties.countries)}): {', '.join(profile.parties.countries)}",
        f"  source: {profile.parties.source}",
    ]
    if profile.parties.note:
        lines.append(f"  note: {profile.parties.note}")
    lines.append(f"HS edition: {profile.hs_edition}")
    for field in ("edi3_free_trade_agreement", "aladi_acronym", "aladi_form", "fob_currency"):
        value = getattr(profile, field)
        if value is not None:
            lines.append(f"{field}: {value}")
    if profile.timezones:
        zones = ", ".join(f"{c} {z}" for c, z in profile.timezones.items())
        lines.append(f"timezones: {zones}")
    lines.append(f"certificate_number_pattern: {profile.certificate_number_pattern}")
    lines.extend(f"  note on {field}: {text}" for field, text in profile.notes.items())
    lines.append("Rules:")
    for name in RULE_NAMES:
        lines.extend(_rule_lines(profile, name, getattr(profile.rules, name)))
    lines.append("Flags:")
    for flag in PROFILE_FLAGS:
        lines.extend(_rule_lines(profile, f"flags.{flag}", profile.rules.flags.get(flag)))
    typer.echo("\n".join(lines))


@agreements_app.callback()
def agreements(ctx: typer.Context, json_output: bool = _JSON) -> None:
    """List the agreement profiles OriginLink ships."""
    if ctx.invoked_subcommand is None:
        list_profiles(json_output)


@agreements_app.command("show")
def show(
    code: str = typer.Argument(..., help="Agreement code, e.g. RCEP."),
    json_output: bool = _JSON,
) -> None:
    """Show one agreement profile: every rule with its value, source and note, or why unset."""
    show_profile(code, json_output)


def register(app: typer.Typer) -> None:
    app.add_typer(agreements_app, name="agreements")
