"""Reading and checking the roster CSV: every bad input named by line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot.domain.academic_year import AcademicYear
from chatbot.services.roster_csv import (
    FIELDS,
    PRESETS,
    RosterInvalid,
    build_mapping,
    match_key,
    normalise_year_group,
    parse_consent,
    parse_roster,
    read_roster,
    roster_register,
)
from tests.conftest import FIXTURES

HEADER = ",".join(FIELDS)
Y2026 = AcademicYear(2026)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def problems_of(data: bytes, **kwargs: object) -> list[str]:
    with pytest.raises(RosterInvalid) as caught:
        parse_roster(data, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_sample_roster_reads_twelve_pupils() -> None:
    rows = read_roster(FIXTURES / "roster.csv")
    assert len(rows) == 12
    zoe = rows[0]
    assert (zoe.first_name, zoe.last_name, zoe.year_group) == ("Zoë", "Smith", "4")
    assert zoe.academic_year == Y2026
    assert zoe.twitter_consent
    assert zoe.website_consent
    alex = next(r for r in rows if r.first_name == "Alexander")
    assert alex.preferred_name == "Alex"
    assert {r.year_group for r in rows} == {"N", "R", "1", "2", "3", "4", "5", "6"}
    assert {r.line for r in rows} == set(range(2, 14))


def test_byte_order_mark_and_crlf_from_excel() -> None:
    data = "\ufeff" + HEADER + "\r\nZoë,Smith,,4,2026/27,YES,n\r\n"
    (row,) = parse_roster(data.encode())
    assert row.first_name == "Zoë"
    assert (row.twitter_consent, row.website_consent) == (True, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), (" no ", False), ("n", False), ("False", False)],
)
def test_consent_answers(text: str, expected: bool) -> None:
    assert parse_consent(text) is expected


@pytest.mark.parametrize("text", ["maybe", "", "1", "granted"])
def test_other_consent_answers_are_not_guessed(text: str) -> None:
    assert parse_consent(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Year 4", "4"), ("Y6", "6"), ("reception", "R"), ("Nursery", "N"), ("r", "R"), ("3", "3")],
)
def test_year_groups_from_mis_exports(text: str, expected: str) -> None:
    assert normalise_year_group(text) == expected


def test_match_key_is_casefolded_and_nfc() -> None:
    decomposed = "Zoe\u0308"  # "Zoë" as a Mac may write it
    assert match_key(decomposed, " SMITH ") == match_key("Zoë", "Smith") == "zoë smith"


def test_empty_file() -> None:
    (message,) = problems_of(b"")
    assert "empty" in message
    assert HEADER in message


def test_header_without_pupils() -> None:
    (message,) = problems_of(csv_bytes())
    assert "no pupils" in message


def test_missing_columns_named_with_those_found() -> None:
    (message,) = problems_of(b"first_name,surname,year\nZo,Smith,4\n")
    assert message.startswith("line 1: missing columns:")
    for name in ("last_name", "year_group", "academic_year", "twitter_consent"):
        assert name in message
    assert 'Columns found: "first_name", "surname", "year"' in message
    assert "preferred_name" not in message.split("Columns found")[0]  # optional


def test_semicolon_separated_file() -> None:
    (message,) = problems_of(HEADER.replace(",", ";").encode() + b"\n")
    assert "semicolons" in message
    assert "line 1" in message


def test_every_bad_value_named_by_line_and_column() -> None:
    data = csv_bytes(
        "Zoë,Smith,,4,2026/27,yes,yes",
        ",Khan,,6,2026/27,yes,yes",
        "Summer,Jones,,2,2026/2027,maybe,",
        "Will,Brown,,,26/27,y,n",
    )
    messages = problems_of(data)
    assert messages == [
        'line 3, column "first_name": first name is blank; every pupil needs one',
        "line 4, column \"academic_year\": '2026/2027' is not an academic year; "
        "write it like 2026/27",
        "line 4, column \"twitter_consent\": 'maybe' is not an answer; write yes or no "
        "(Y/N and true/false are accepted too, in any case)",
        'line 4, column "website_consent": blank; write yes or no (Y/N and true/false are '
        "accepted too, in any case), and no if the form has not come back",
        'line 5, column "year_group": year group is blank; every pupil needs one',
        "line 5, column \"academic_year\": '26/27' is not an academic year; write it like 2026/27",
    ]


def test_duplicate_pupil_in_the_same_year() -> None:
    data = csv_bytes(
        "Zoë,Smith,,4,2026/27,yes,yes",
        "Grace,Patel,,R,2026/27,no,no",
        "ZOË,SMITH,,4,2026/27,no,no",
    )
    (message,) = problems_of(data)
    assert message.startswith("line 4: the same pupil as line 2")
    assert "2026/27" in message
    assert "Zoë" not in message  # messages may be logged: no names


def test_same_pupil_in_two_years_is_not_a_duplicate() -> None:
    rows = parse_roster(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes", "Zoë,Smith,,5,2027/28,no,yes"))
    assert [r.academic_year for r in rows] == [Y2026, AcademicYear(2027)]


def test_row_with_wrong_number_of_values() -> None:
    (message,) = problems_of(csv_bytes("Zoë,Smith,4,2026/27,yes,yes"))
    assert message.startswith("line 2: 6 values but the header has 7 columns")


def test_malformed_quotes_stop_with_the_line() -> None:
    data = csv_bytes("Zoë,Smith,,4,2026/27,yes,yes", 'Will,"Brown"x,,5,2026/27,yes,yes')
    (message,) = problems_of(data)
    assert message.startswith("line 3: malformed CSV")


def test_quoted_value_spanning_lines_keeps_line_numbers() -> None:
    data = csv_bytes('"Zoë\nAnne",Smith,,4,2026/27,yes,yes', "Will,Brown,,5,2026/27,perhaps,no")
    (message,) = problems_of(data)
    assert message.startswith('line 4, column "twitter_consent"')


def test_not_utf8_names_the_line() -> None:
    data = HEADER.encode() + "\nZo\xeb,Smith,,4,2026/27,yes,yes\n".encode("cp1252")
    (message,) = problems_of(data)
    assert message.startswith("line 2: the file is not UTF-8")
    assert "CSV UTF-8" in message


def test_utf16_and_workbooks_are_explained() -> None:
    assert "UTF-16" in problems_of(HEADER.encode("utf-16"))[0]
    assert ".xlsx" in problems_of(b"PK\x03\x04rest-of-zip")[0]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(RosterInvalid, match="no such file"):
        read_roster(tmp_path / "missing.csv")
    with pytest.raises(RosterInvalid, match="folder"):
        read_roster(tmp_path)


def test_blank_lines_and_trailing_empty_rows_are_skipped() -> None:
    rows = parse_roster(csv_bytes("", "Zoë,Smith,,4,2026/27,yes,yes", ",,,,,,"))
    assert len(rows) == 1


def test_headers_match_loosely() -> None:
    header = (
        "First Name,Last-Name,PREFERRED_NAME,Year Group,Academic Year,Twitter Consent,"
        "website_consent"
    )
    (row,) = parse_roster(csv_bytes("Zoë,Smith,,Year 4,2026/27,yes,no", header=header))
    assert (row.first_name, row.year_group) == ("Zoë", "4")


def test_preferred_name_column_is_optional() -> None:
    header = HEADER.replace("preferred_name,", "")
    (row,) = parse_roster(csv_bytes("Zoë,Smith,4,2026/27,yes,no", header=header))
    assert row.preferred_name == ""


def test_sims_preset_with_an_override() -> None:
    header = "Surname,Forename,Preferred Forename,Year,Academic Year,Twitter Consent,Web OK,Adno"
    mapping = build_mapping("sims", ['website_consent="Web OK"'])
    (row,) = parse_roster(
        csv_bytes("Wright,Alexander,Alex,Y3,2026/27,Yes,No,A123", header=header), mapping
    )
    assert (row.first_name, row.last_name, row.preferred_name) == ("Alexander", "Wright", "Alex")
    assert (row.year_group, row.twitter_consent, row.website_consent) == ("3", True, False)


def test_missing_preset_column_says_what_was_looked_for() -> None:
    (message,) = problems_of(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes"), mapping=PRESETS["bromcom"])
    assert 'first_name (looked for "Legal Forename")' in message
    assert "--map" in message


def test_bad_map_options() -> None:
    with pytest.raises(ValueError, match="FIELD="):
        build_mapping(None, ["first_name"])
    with pytest.raises(ValueError, match="not a field"):
        build_mapping(None, ["forename=Forename"])
    with pytest.raises(ValueError, match="unknown mapping"):
        build_mapping("capita", [])


def test_two_fields_mapped_to_one_column() -> None:
    mapping = build_mapping(None, ["preferred_name=first_name"])
    (message,) = problems_of(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes"), mapping=mapping)
    assert message == (
        'line 1, column "first_name": this one column is named for first_name and '
        "preferred_name; check the --map options"
    )


def test_default_year_for_exports_without_the_column() -> None:
    header = HEADER.replace(",academic_year", "")
    data = csv_bytes("Zoë,Smith,,4,yes,yes", header=header)
    (row,) = parse_roster(data, default_year=Y2026)
    assert row.academic_year == Y2026
    (message,) = problems_of(data)
    assert "academic_year" in message
    (message,) = problems_of(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes"), default_year=Y2026)
    assert "drop --year" in message


def test_too_long_value() -> None:
    (message,) = problems_of(csv_bytes(f"{'A' * 101},Smith,,4,2026/27,yes,yes"))
    assert message == 'line 2, column "first_name": longer than 100 characters'


def test_register_straight_from_a_file() -> None:
    rows = read_roster(FIXTURES / "roster.csv")
    register = roster_register(rows, Y2026)
    assert len(register.pupils) == 12
    entry = register.find("Alex Wright")
    assert entry is not None
    assert entry.twitter_consent
    summer = register.find("Summer Jones")
    assert summer is not None
    assert not summer.twitter_consent
    assert roster_register(rows, AcademicYear(2027)).entries == ()
