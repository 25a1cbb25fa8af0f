"""The register sent to the bot in a direct message: checked and previewed, imported only when
the office confirms.

The file is checked exactly as `chatbot pupils import` checks it, and the preview is that
import done and rolled back, so it says what the real one will do. The file is never stored:
the confirmation fetches it from the chat again and must find the same bytes (its SHA-256 rides
on the button). A confirmation that arrives twice imports once (a claimed key per file).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.db import transaction
from chatbot.adapters.db.kv import claim_once
from chatbot.adapters.db.models import utcnow
from chatbot.adapters.db.registers import rolled_back
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.actors import Actor
from chatbot.services.registers.importing import ImportReport, import_roster
from chatbot.services.registers.office import NOT_OFFICE, may_record_consent
from chatbot.services.registers.reading import count_leavers
from chatbot.services.roster_csv import (
    FIELDS,
    PRESETS,
    ColumnMapping,
    RosterInvalid,
    RosterProblem,
    RosterRow,
    parse_roster,
)
from chatbot.services.roster_fields import header_key

MAX_BYTES = 2_000_000  # a primary school's export is a few tens of kilobytes
MAX_SHOWN = 30  # problems listed in one chat message; the count says how many in all


@dataclass(frozen=True, slots=True)
class Preview:
    source: str
    digest: str
    problems: tuple[RosterProblem, ...] = ()
    report: ImportReport | None = None
    leavers: int = 0
    mapping: str = "standard"
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.report is not None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _header(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    return [header_key(h) for h in first]


def choose_mapping(data: bytes) -> tuple[ColumnMapping, bool]:
    """The mapping whose columns the file has (the standard one, or an MIS preset), and
    whether the file has an academic-year column; the standard one when none fits."""
    found = set(_header(data))
    required = [f for f in FIELDS if f not in ("preferred_name", "academic_year")]
    for mapping in (ColumnMapping(), *PRESETS.values()):
        if all(header_key(mapping.header_for(f)) in found for f in required):
            return mapping, header_key(mapping.header_for("academic_year")) in found
    return ColumnMapping(), True


def _rows_and_mapping(
    data: bytes, source: str
) -> tuple[list[RosterRow], ColumnMapping, AcademicYear | None]:
    mapping, has_year = choose_mapping(data)
    year = None if has_year else AcademicYear.at(utcnow())
    return parse_roster(data, mapping, default_year=year, source=source), mapping, year


def preview(
    sessions: sessionmaker[Session], actor: Actor, data: bytes, source: str
) -> Preview | str:
    """Every problem in the file, or what importing it would change; nothing is written."""
    if not may_record_consent(actor):
        return NOT_OFFICE
    digest = digest_of(data)
    if len(data) > MAX_BYTES:
        return (
            f"{source} is too large for a register ({len(data) // 1000} kB); send the CSV export."
        )
    try:
        rows, mapping, year = _rows_and_mapping(data, source)
    except RosterInvalid as exc:
        return Preview(source, digest, problems=exc.problems)
    notes = () if year is None else (f"The file has no academic year column: read as {year}.",)
    with rolled_back(sessions) as session:
        try:
            report = import_roster(session, rows, actor=actor, source=source)
            leavers = count_leavers(session, AcademicYear.at(utcnow()))
        except RosterInvalid as exc:
            return Preview(source, digest, problems=exc.problems, mapping=mapping.name)
    return Preview(
        source, digest, report=report, leavers=leavers, mapping=mapping.name, notes=notes
    )


def confirm(
    sessions: sessionmaker[Session],
    actor: Actor,
    data: bytes,
    source: str,
    *,
    file_key: str,
    digest: str,
) -> str:
    """Import the file the preview showed; says what was done, or why not."""
    if not may_record_consent(actor):
        return NOT_OFFICE
    if digest_of(data) != digest:
        return f"{source} has changed since it was checked; send it again."
    try:
        rows, _mapping, _year = _rows_and_mapping(data, source)
        with transaction(sessions) as session:
            # The key fits key_values' 64 characters: a digest of the file's id and contents.
            key = "register_import:" + digest_of(f"{file_key}:{digest}".encode())[:40]
            if not claim_once(session, key, {"by": actor.id}):
                return f"{source} has already been imported; nothing more was done."
            report = import_roster(session, rows, actor=actor, source=source)
    except RosterInvalid as exc:
        return f"{source} cannot be imported now: {exc.problems[0]}. Nothing was written."
    return f"Imported {source}: {summary(report)}"


def summary(report: ImportReport, leavers: int | None = None) -> str:
    years = ", ".join(str(y) for y in report.years)
    parts = [
        f"{report.rows} pupils for {years}: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged",
        f"consents withdrawn because the file says no: {report.withdrawn}",
    ]
    if leavers is not None:
        parts.append(f"pupils not on this year's register (leavers): {leavers}")
    text = "; ".join(parts) + "."
    for kept in report.kept_withdrawn:
        text += (
            f"\nLine {kept.line}: {kept.channel} consent for {kept.academic_year} was withdrawn "
            "and stays withdrawn although the file says yes (an import never restores it; if "
            "the parent has given it again, record it with /consent)."
        )
    return text


def problems_text(found: Preview) -> str:
    count = len(found.problems)
    shown = [f"• {p}" for p in found.problems[:MAX_SHOWN]]
    if count > MAX_SHOWN:
        shown.append(f"… and {count - MAX_SHOWN} more")
    return (
        f"{found.source}: {count} problem{'s' if count != 1 else ''}, nothing was imported. "
        "Correct the file and send it again (the bot reads the standard columns and the "
        "Arbor, SIMS and Bromcom exports):\n" + "\n".join(shown)
    )
