"""A register file's header row: which column holds each field, or every problem with it."""

from __future__ import annotations

from collections.abc import Mapping

from chatbot.domain.academic_year import AcademicYear
from chatbot.services.roster_fields import (
    ALL_FIELDS,
    OPTIONAL_FIELDS,
    ColumnMapping,
    RosterProblem,
    header_key,
)


class HeaderProblem(Exception):
    """The header row cannot be read: every problem with it, each on line 1."""

    def __init__(self, problems: list[RosterProblem]) -> None:
        super().__init__("bad header")
        self.problems = problems


def locate_columns(
    header: list[str], mapping: ColumnMapping, default_year: AcademicYear | None
) -> dict[str, int]:
    """Each field's column, or `HeaderProblem` naming what is missing and what is there."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        found.setdefault(header_key(name), index)
    problems: list[RosterProblem] = []
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        separator = "semicolons" if ";" in header[0] else "tabs"
        raise HeaderProblem(
            [
                RosterProblem(
                    f"the columns are separated by {separator}, not commas; in Excel use "
                    'Save As > "CSV UTF-8 (Comma delimited)"',
                    line=1,
                )
            ]
        )
    columns: dict[str, int] = {}
    missing: list[str] = []
    for name in ALL_FIELDS:
        wanted = mapping.header_for(name)
        position = next(
            (found[header_key(h)] for h in mapping.headers_for(name) if header_key(h) in found),
            None,
        )
        if position is not None:
            columns[name] = position
        elif name == "academic_year" and default_year is not None:
            continue
        elif name not in OPTIONAL_FIELDS:
            missing.append(name if wanted == name else f'{name} (looked for "{wanted}")')
    if missing:
        shown = ", ".join(f'"{h}"' for h in header if h.strip()) or "none"
        problems.append(
            RosterProblem(
                f"missing column{'s' if len(missing) > 1 else ''}: {'; '.join(missing)}. "
                f"Columns found: {shown}. Rename the column in the file (or, when importing "
                "with `chatbot pupils import`, choose --mapping for your MIS or name it with "
                '--map FIELD="Header")',
                line=1,
            )
        )
    by_column: dict[int, list[str]] = {}
    for name, position in columns.items():
        by_column.setdefault(position, []).append(name)
    for position, names in by_column.items():
        if len(names) > 1:
            problems.append(
                RosterProblem(
                    f"this one column is named for {' and '.join(names)}; check the --map options",
                    line=1,
                    column=header[position],
                )
            )
    if default_year is not None and "academic_year" in columns:
        problems.append(
            RosterProblem(
                "the file has an academic year column, so --year is not needed; drop --year "
                "(each row's own academic year is used)",
                line=1,
            )
        )
    problems = problems or _unknown_columns(header, columns, mapping)
    if problems:
        raise HeaderProblem(problems)
    return columns


def _unknown_columns(
    header: list[str], columns: Mapping[str, int], mapping: ColumnMapping
) -> list[RosterProblem]:
    """A column no field reads: refused, so that nothing beyond the register's own fields (a
    date of birth, an address) is taken in by mistake, and a misnamed consent column is seen."""
    used = set(columns.values())
    return [
        RosterProblem(
            f"the {mapping.name} mapping does not know this column; remove it from the export "
            "(the register keeps only names, year group, academic year, consents and the "
            'pupil\'s UPN) or, if it holds one of those, name it with --map FIELD="Header"',
            line=1,
            column=name,
        )
        for index, name in enumerate(header)
        if index not in used and name.strip()
    ]
