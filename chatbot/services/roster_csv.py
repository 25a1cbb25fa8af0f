"""Reading the school's register from a CSV file, and checking every row before anything is used.

The format (DESIGN.md): ``first_name,last_name,preferred_name,year_group,academic_year,
twitter_consent,website_consent``, one row per pupil and academic year. Column names from an MIS
export can be mapped onto these with a `ColumnMapping` (presets for Arbor, SIMS and Bromcom, or a
school's own). The whole file is checked first; any problem raises `RosterInvalid`, listing every
problem with its line and column, so that nothing half-checked is ever imported.

Error messages name lines and columns, never a pupil: they may end up in a log.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Pupil, Register, RegisterEntry
from chatbot.services.roster_fields import (
    CONSENT_HINT,
    FIELDS,
    MAX_LENGTH,
    OPTIONAL_FIELDS,
    PRESETS,
    ColumnMapping,
    RosterInvalid,
    RosterProblem,
    RosterRow,
    build_mapping,
    match_key,
    normalise_name,
    normalise_year_group,
    parse_consent,
    parse_map_options,
)
from chatbot.services.roster_header import HeaderProblem, locate_columns

__all__ = [
    "CONSENT_HINT",
    "FIELDS",
    "MAX_LENGTH",
    "OPTIONAL_FIELDS",
    "PRESETS",
    "ColumnMapping",
    "RosterInvalid",
    "RosterProblem",
    "RosterRow",
    "build_mapping",
    "match_key",
    "normalise_name",
    "normalise_year_group",
    "parse_consent",
    "parse_map_options",
    "parse_roster",
    "read_roster",
    "roster_register",
]


# -- reading -----------------------------------------------------------------------------------


def read_roster(
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    default_year: AcademicYear | None = None,
) -> list[RosterRow]:
    """Read and check a roster file; `RosterInvalid` explains any problem, unreadable too."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RosterInvalid(str(path), [RosterProblem("no such file; check the path")]) from None
    except IsADirectoryError:
        raise RosterInvalid(
            str(path), [RosterProblem("this is a folder; give the CSV file inside it")]
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RosterInvalid(
            str(path), [RosterProblem(f"cannot read the file ({reason}); check its permissions")]
        ) from None
    return parse_roster(data, mapping, default_year=default_year, source=path.name)


def _decode(data: bytes, source: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise RosterInvalid(
            source,
            [
                RosterProblem(
                    "this is a spreadsheet workbook (.xlsx), not CSV; in Excel use Save As > "
                    '"CSV UTF-8 (Comma delimited)" and import that file'
                )
            ],
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RosterInvalid(
            source,
            [
                RosterProblem(
                    'the file is UTF-16 (Excel\'s "Unicode Text"); save it as "CSV UTF-8 '
                    '(Comma delimited)" and import that'
                )
            ],
        )
    try:
        # utf-8-sig drops the byte-order mark Excel puts at the start of "CSV UTF-8".
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterInvalid(
            source,
            [
                RosterProblem(
                    'the file is not UTF-8 text (perhaps an older Excel "CSV" or a '
                    'spreadsheet file); in Excel use Save As > "CSV UTF-8 (Comma delimited)"',
                    line=line,
                )
            ],
        ) from None


def parse_roster(
    data: bytes,
    mapping: ColumnMapping | None = None,
    *,
    default_year: AcademicYear | None = None,
    source: str = "roster",
) -> list[RosterRow]:
    """Check a whole roster file and return its rows, or raise `RosterInvalid` with every problem.

    `default_year` is for MIS exports without an academic-year column (the CLI's ``--year``).
    """
    mapping = mapping or ColumnMapping()
    text = _decode(data, source)
    if not text.strip():
        raise RosterInvalid(
            source,
            [RosterProblem(f"the file is empty; it needs a header row: {','.join(FIELDS)}")],
        )
    problems: list[RosterProblem] = []
    rows: list[RosterRow] = []
    seen: dict[tuple[str, AcademicYear], int] = {}  # (identity, year) -> line
    # strict: a stray quote is an error to report, not a silently merged value.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1  # where the current record starts (a quoted value may span lines)
    try:
        header = next(reader)
        columns = locate_columns(header, mapping, default_year)
        for record in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # blank lines and Excel's trailing ",,,,," rows
            if len(record) != len(header):
                problems.append(
                    RosterProblem(
                        f"{len(record)} values but the header has {len(header)} columns; "
                        "check for a missing or extra comma (quote values that contain commas)",
                        line=start,
                    )
                )
                continue
            row = _check_row(
                start,
                record=record,
                header=header,
                columns=columns,
                default_year=default_year,
                problems=problems,
            )
            if row is None:
                continue
            key = (row.identity, row.academic_year)
            if key in seen:
                problems.append(_duplicate(row, seen[key], start, header, columns))
                continue
            seen[key] = start
            rows.append(row)
    except csv.Error as exc:
        problems.append(
            RosterProblem(
                f"malformed CSV ({exc}); check the quotes on this line: a value with a comma or "
                'a quote in it must be wrapped in double quotes, and a quote inside doubled ("")',
                line=reader.line_num,
            )
        )
    except HeaderProblem as exc:
        problems.extend(exc.problems)
    if problems:
        raise RosterInvalid(source, problems)
    if not rows:
        raise RosterInvalid(source, [RosterProblem("the file has a header but no pupils")])
    return rows


def _duplicate(
    row: RosterRow, first: int, start: int, header: list[str], columns: Mapping[str, int]
) -> RosterProblem:
    if row.upn:
        return RosterProblem(
            f"the same {header[columns['upn']]} as line {first} in {row.academic_year}: two "
            "rows with one pupil id; each pupil has their own, so check the export (remove a "
            "repeated row, or correct the id)",
            line=start,
            column=header[columns["upn"]],
        )
    names = f'"{header[columns["first_name"]]}" and "{header[columns["last_name"]]}"'
    return RosterProblem(
        f"the same pupil as line {first} (same first and last name in "
        f"{row.academic_year}); remove one of the rows, or tell two pupils apart "
        f"in {names}, e.g. with a middle initial, or export the pupils' UPN (a upn column)",
        line=start,
    )


def _check_row(
    line: int,
    *,
    record: list[str],
    header: list[str],
    columns: Mapping[str, int],
    default_year: AcademicYear | None,
    problems: list[RosterProblem],
) -> RosterRow | None:
    """One row checked field by field; every problem is added to `problems` (then None)."""
    before = len(problems)

    def value(name: str) -> tuple[str, str]:
        index = columns.get(name)
        if index is None:
            return "", name
        return record[index].strip(), header[index]

    def problem(name: str, message: str) -> None:
        problems.append(RosterProblem(message, line=line, column=value(name)[1]))

    texts: dict[str, str] = {}
    for name in ("first_name", "last_name", "preferred_name", "year_group"):
        raw, _ = value(name)
        text = normalise_name(raw)
        if not text and name not in OPTIONAL_FIELDS:
            problem(name, f"{name.replace('_', ' ')} is blank; every pupil needs one")
        elif len(text) > MAX_LENGTH[name]:
            problem(name, f"longer than {MAX_LENGTH[name]} characters")
        texts[name] = text

    year = default_year
    if "academic_year" in columns:
        raw, _ = value("academic_year")
        if not raw:
            problem("academic_year", "academic year is blank; write it like 2026/27")
        else:
            try:
                year = AcademicYear.parse(raw)
            except ValueError as exc:
                problem("academic_year", str(exc))

    consents: dict[str, bool] = {}
    for name in ("twitter_consent", "website_consent"):
        raw, _ = value(name)
        answer = parse_consent(raw)
        if answer is None:
            if raw:
                problem(name, f"{raw!r} is not an answer; {CONSENT_HINT}")
            else:
                problem(name, f"blank; {CONSENT_HINT}, and no if the form has not come back")
        else:
            consents[name] = answer

    upn = ""
    if "upn" in columns:
        upn = "".join(value("upn")[0].split()).upper()
        if not upn:
            problem("upn", "the pupil id is blank; every pupil in the export needs theirs")
        elif len(upn) > MAX_LENGTH["upn"]:
            problem("upn", f"longer than {MAX_LENGTH['upn']} characters; is this the pupil id?")

    if len(problems) > before or year is None:
        return None
    return RosterRow(
        line=line,
        first_name=texts["first_name"],
        last_name=texts["last_name"],
        preferred_name=texts["preferred_name"],
        year_group=normalise_year_group(texts["year_group"]),
        academic_year=year,
        twitter_consent=consents["twitter_consent"],
        website_consent=consents["website_consent"],
        upn=upn,
    )


def roster_register(rows: Sequence[RosterRow], year: AcademicYear) -> Register:
    """The register for one year straight from a file, without a database (`chatbot check`)."""
    entries = tuple(
        RegisterEntry(
            pupil=Pupil(r.first_name, r.last_name, r.preferred_name, r.year_group),
            academic_year=r.academic_year,
            twitter_consent=r.twitter_consent,
            website_consent=r.website_consent,
        )
        for r in rows
        if r.academic_year == year
    )
    return Register(year, entries)
