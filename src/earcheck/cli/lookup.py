"""``earcheck lookup eccn|country|party``: the EAR as of a date, one kind of fact per command.

Each command reads the imported data (``earcheck data import``), asks one pure lookup in
``earcheck.regulations`` or ``earcheck.parties``, and prints it readably or, with ``--json``, as a
stable JSON object. Warnings (a table applied outside the dates it is known for, an unverified fact)
are part of the answer, never dropped.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from earcheck.cli import app
from earcheck.lists import Hit
from earcheck.parties import ExactScreener
from earcheck.regulations.ccl import EccnStatus, eccn_status
from earcheck.regulations.country_chart import CountryStatus, country_status
from earcheck.regulations.editions import TableVersion, Trust
from earcheck.regulations.embargo import embargo_data
from earcheck.settings import Settings
from earcheck.store import Store

__all__ = ["country_json", "eccn_json", "hit_json", "version_json"]

lookup_app = typer.Typer(
    help="Look up the EAR as of a date: an ECCN's controls, a destination's chart row, a party's listings.",
    no_args_is_help=True,
)
app.add_typer(lookup_app, name="lookup")

AsOf = Annotated[str | None, typer.Option("--as-of", help="Date the rules were in force (YYYY-MM-DD); default today.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")]


def _as_of(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        message = f"{text!r} is not a date: expected YYYY-MM-DD"
        raise typer.BadParameter(message, param_hint="--as-of") from None


def _store() -> Store:
    return Store.open(Settings.from_env())


def _print_json(document: dict[str, Any]) -> None:
    typer.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _warnings(console: Console, warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)


def version_json(version: TableVersion | None) -> dict[str, Any] | None:
    """The table text a lookup applied: which text, its dates, its citation and how far it is vouched for."""
    if version is None:
        return None
    return {
        "table": version.table.value,
        "row": version.key,
        "text": version.text,
        "citation": version.citation,
        "trust": version.trust.value,
        "effective": version.effective.isoformat() if version.effective else None,
        "superseded": version.superseded.isoformat() if version.superseded else None,
        "verification": version.verification.value if version.verification else None,
        "dated_fact": version.dated_fact,
        "sources": version.sources,
        "warning": version.warning,
    }


_TRUST = {Trust.VOUCHED: "[green]vouched[/]", Trust.BELIEVED: "[yellow]believed[/]", Trust.UNKNOWN: "[red]unknown[/]"}


def _version(console: Console, title: str, version: TableVersion | None) -> None:
    if version is None:
        return
    span = ""
    if version.effective is not None:
        span = f", in force from {version.effective.isoformat()}"
        span += f" to {version.superseded.isoformat()}" if version.superseded else ""
    level = f" ({version.verification.value})" if version.verification else ""
    # A period read from an edition names the edition; the rule that began the period is named beside it.
    rules = [cite for cite in (version.sources or "").split("; ") if cite and not cite.startswith("eCFR")]
    rule = f" (period begun by {'; '.join(rules)})" if rules and not version.text.startswith("text of") else ""
    console.print(
        f"{title}: {version.text}{rule}{span}; {version.citation} -- {_TRUST[version.trust]}{level}", soft_wrap=True
    )


# -- eccn -------------------------------------------------------------------------------------------


def eccn_json(status: EccnStatus) -> dict[str, Any]:
    return {
        "eccn": status.eccn,
        "entry": status.entry,
        "as_of": status.as_of.isoformat(),
        "edition": status.edition.isoformat(),
        "known": status.known,
        "heading": status.heading,
        "reasons": list(status.reasons) if status.reasons is not None else None,
        "controls": (
            [{"control": c.control, "country_chart": c.country_chart} for c in status.controls]
            if status.controls is not None
            else None
        ),
        "license_exceptions": (
            dict(status.license_exception_notes) if status.license_exception_notes is not None else None
        ),
        "source": status.source,
        "citation": status.citation,
        "dated_fact": status.dated_fact,
        "version": version_json(status.version),
        "exists": status.exists,
        "question": status.question,
        "warnings": list(status.warnings),
    }


@lookup_app.command("eccn")
def lookup_eccn(
    eccn: Annotated[str, typer.Argument(help="ECCN, optionally with its paragraph: 3B001, 3A001.b.2, EAR99")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Reasons for control and the Country Chart column of each control, as written."""
    day = _as_of(as_of)
    status = eccn_status(eccn, day, _store().ear_tables(day))
    if as_json:
        _print_json(eccn_json(status))
        return
    console = Console(highlight=False)
    if not status.known:
        what = "[red]did not exist[/]" if status.exists is False else "[red]unknown[/]"
        console.print(f"[bold]{status.eccn}[/] on {day.isoformat()}: {what}")
        _version(console, "Text in force", status.version)
        if status.question:
            console.print(f"Question: {status.question}", soft_wrap=True)
        _warnings(console, status.warnings)
        return
    console.print(f"[bold]{status.eccn}[/] on {day.isoformat()} ({status.citation})", soft_wrap=True)
    _version(console, "Text in force", status.version)
    if status.heading:
        console.print(status.heading, soft_wrap=True)
    reasons = ", ".join(status.reasons) if status.reasons else "not given by the table"
    console.print(f"Reasons for control: {reasons}")
    if status.controls:
        table = Table("Control", "Country Chart", show_lines=True)
        for control in status.controls:
            table.add_row(control.control, control.country_chart)
        console.print(table)
    if status.license_exception_notes is None and status.known:
        console.print("Licence exceptions: the entry's lines on this date are not in earcheck's data (unknown)")
    elif status.license_exception_notes:
        notes = "; ".join(f"{k}: {v}" for k, v in status.license_exception_notes.items())
        console.print(f"Licence exceptions: {notes}", soft_wrap=True)
    _warnings(console, status.warnings)


# -- country ----------------------------------------------------------------------------------------


def country_json(status: CountryStatus) -> dict[str, Any]:
    return {
        "code": status.code,
        "name": status.name,
        "as_of": status.as_of.isoformat(),
        "edition": status.edition.isoformat(),
        "governed_by": status.governed_by,
        "marks": sorted(status.marks) if status.marks is not None else None,
        "footnotes": dict(status.footnotes),
        "groups": sorted(status.groups) if status.groups is not None else None,
        "embargo": status.embargo,
        "citation": status.citation,
        "dated_fact": status.dated_fact,
        "chart_version": version_json(status.chart_version),
        "groups_version": version_json(status.groups_version),
        "warnings": list(status.warnings),
    }


def _part_746(code: str, day: date, store: Store) -> dict[str, Any] | None:
    """The Part 746 control of the destination in force on ``day`` (earcheck's dated version), with the
    section as the governing eCFR edition gives it when one is loaded."""
    found = embargo_data().in_force(code, day)
    if found is None:
        return None
    embargo, version = found
    section_number = version.citation.removeprefix("15 CFR ").split("(")[0]
    section = next((s for s in store.regulation_sections(day) if s.section == section_number), None)
    return {
        "name": embargo.name,
        "citation": version.citation,
        "effective": version.effective.isoformat(),
        "superseded": version.superseded.isoformat() if version.superseded else None,
        "scope": version.scope.value,
        "categories": list(version.categories) if version.categories is not None else None,
        "sources": [source.cite for source in version.sources],
        "verification": version.verification.value,
        "edition_section": (
            {"section": section.section, "heading": section.heading, "source_note": section.source_note}
            if section is not None
            else None
        ),
    }


@lookup_app.command("country")
def lookup_country(
    code: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-2 code, e.g. CN, HK, DE")],
    as_of: AsOf = None,
    as_json: AsJson = False,
) -> None:
    """Country Chart row, Country Groups and embargo pointer of a destination."""
    day = _as_of(as_of)
    store = _store()
    status = country_status(code, day, store.ear_tables(day))
    part_746 = _part_746(status.code, day, store)
    if as_json:
        _print_json({**country_json(status), "part_746": part_746})
        return
    console = Console(highlight=False)
    governed = f" (follows {status.governed_by})" if status.governed_by != status.code else ""
    console.print(f"[bold]{status.name}[/] ({status.code}) on {day.isoformat()}{governed}")
    marks = " ".join(sorted(status.marks)) if status.marks is not None else "[red]unknown[/]"
    console.print(f"Country Chart marks: {marks or 'none'}")
    groups = " ".join(sorted(status.groups)) if status.groups is not None else "[red]unknown[/]"
    console.print(f"Country Groups: {groups or 'none'}")
    if status.embargo:
        console.print(f"Embargo: {status.embargo}", soft_wrap=True)
    for number, text in status.footnotes.items():
        console.print(f"Footnote {number}: {text}", soft_wrap=True)
    console.print(f"Citation: {status.citation}", soft_wrap=True)
    _version(console, "Chart row in force", status.chart_version)
    _version(console, "Country Groups in force", status.groups_version)
    if part_746 is not None:
        span = part_746["effective"] + (f" to {part_746['superseded']}" if part_746["superseded"] else "")
        console.print(
            f"Part 746: {part_746['name']}, {part_746['citation']} in force from {span} "
            f"({'; '.join(part_746['sources'])}, {part_746['verification']})",
            soft_wrap=True,
        )
        if part_746["edition_section"]:
            section = part_746["edition_section"]
            console.print(
                f"  as the loaded eCFR edition gives it: § {section['section']} {section['heading']}", soft_wrap=True
            )
    _warnings(console, status.warnings)


IN_FORCE = {True: "[bold red]yes[/]", False: "[green]no[/]", None: "[yellow]possibly[/]"}

# -- party ------------------------------------------------------------------------------------------


def hit_json(hit: Hit) -> dict[str, Any]:
    status, entry = hit.status, hit.entry
    return {
        "list": entry.list_code.value,
        "source": entry.source,
        "list_id": entry.list_id,
        "name": entry.name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "band": hit.band.value,
        "in_force": status.in_force,
        "reason": status.reason,
        "footnotes": sorted(status.footnotes),
        "license_requirement": status.license_requirement,
        "license_policy": status.license_policy,
        "federal_register": list(entry.federal_register),
        "listed_from": status.listed_from.isoformat() if status.listed_from else None,
        "start_date": entry.start_date.isoformat() if entry.start_date else None,
        "citation": status.citation,
        "dated_fact": status.dated_fact,
        "snapshot": entry.snapshot,
        "snapshot_date": entry.snapshot_date.isoformat(),
    }


@lookup_app.command("party")
def lookup_party(
    name: Annotated[str, typer.Argument(help="Party name; matched exactly (case and punctuation folded)")],
    as_of: AsOf = None,
    country: Annotated[str | None, typer.Option(help="Party's country (reported, not a filter)")] = None,
    as_json: AsJson = False,
) -> None:
    """List entries whose name or alias is this name, and whether each was in force on the date."""
    day = _as_of(as_of)
    hits = ExactScreener(_store()).screen(name, country, day)
    if as_json:
        _print_json({"query": name, "as_of": day.isoformat(), "hits": [hit_json(h) for h in hits]})
        return
    console = Console(highlight=False)
    if not hits:
        console.print(f"No list entry is named {name!r} (exact match) in the lists of {day.isoformat()}.")
        return
    entries = "entry" if len(hits) == 1 else "entries"
    console.print(f"{len(hits)} list {entries} named {name!r} on {day.isoformat()}:")
    for hit in hits:
        data = hit_json(hit)
        label = IN_FORCE[hit.status.in_force]
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(style="dim")
        table.add_column(overflow="fold")
        table.add_row("list", f"{data['list']} ({data['source']})")
        table.add_row("name", f"{data['name']} [dim](id {data['list_id']})[/]")
        if data["matched_name"] != data["name"]:
            table.add_row("matched", data["matched_name"])
        reason = data["reason"].removeprefix("possibly listed: ")  # the label already says "possibly"
        table.add_row("in force", f"{label}: {reason}")
        table.add_row("listed from", data["listed_from"] or "not known")
        if data["footnotes"]:
            table.add_row("footnotes", ", ".join(str(n) for n in data["footnotes"]))
        if data["license_requirement"]:
            table.add_row("licence", data["license_requirement"])
        if data["license_policy"]:
            table.add_row("policy", data["license_policy"])
        if data["federal_register"]:
            table.add_row("FR", "; ".join(data["federal_register"]))
        if data["citation"]:
            table.add_row("citation", data["citation"])
        console.print(table)
        console.print()
