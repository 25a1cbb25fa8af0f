"""The roster's optional pupil id (UPN or admission number) and the columns a mapping knows."""

from __future__ import annotations

import pytest

from chatbot.domain.academic_year import AcademicYear
from chatbot.services.roster_csv import FIELDS, RosterInvalid, build_mapping, parse_roster

HEADER = "upn," + ",".join(FIELDS)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def problems_of(data: bytes, **kwargs: object) -> list[str]:
    with pytest.raises(RosterInvalid) as caught:
        parse_roster(data, **kwargs)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_same_name_with_two_ids_is_two_pupils() -> None:
    rows = parse_roster(
        csv_bytes(
            "H341210724090,Jack,Jones,,2,2026/27,yes,yes",
            "a341210720029 ,Jack,Jones,,6,2026/27,no,yes",
        )
    )
    assert [r.upn for r in rows] == ["H341210724090", "A341210720029"]  # trimmed, one case
    assert rows[0].match_key == rows[1].match_key
    assert rows[0].identity != rows[1].identity


def test_two_rows_with_one_id() -> None:
    (message,) = problems_of(
        csv_bytes(
            "H341210724090,Jack,Jones,,2,2026/27,yes,yes",
            "H341210724090,Grace,Kelly,,4,2026/27,no,yes",
        )
    )
    assert message.startswith('line 3, column "upn": the same upn as line 2 in 2026/27')
    assert "two rows with one pupil id" in message
    assert "Grace" not in message
    assert "Jack" not in message


def test_blank_id_in_a_file_with_ids() -> None:
    (message,) = problems_of(csv_bytes(",Jack,Jones,,2,2026/27,yes,yes"))
    assert (
        message
        == 'line 2, column "upn": the pupil id is blank; every pupil in the export needs theirs'
    )


def test_without_the_column_the_name_is_the_identity() -> None:
    (row,) = parse_roster(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes", header=",".join(FIELDS)))
    assert row.upn == ""
    assert row.identity == "name:zoë smith"


def test_admission_number_header_is_read_as_the_id() -> None:
    header = "Admission Number," + ",".join(FIELDS)
    (row,) = parse_roster(csv_bytes("001234,Zoë,Smith,,4,2026/27,yes,yes", header=header))
    assert row.upn == "001234"


@pytest.mark.parametrize("mis", ["arbor", "sims", "bromcom"])
def test_mis_presets_map_their_upn(mis: str) -> None:
    mapping = build_mapping(mis)
    headers = [mapping.header_for(f) for f in ("upn", *FIELDS)]
    assert headers[0] == "UPN"
    data = csv_bytes(
        "H341210724090,Jack,Jones,,Year 2,2026/27,Yes,No",
        "A341210720029,Jack,Jones,,Year 6,2026/27,No,No",
        header=",".join(headers),
    )
    rows = parse_roster(data, mapping)
    assert [(r.upn, r.year_group) for r in rows] == [("H341210724090", "2"), ("A341210720029", "6")]


def test_a_header_the_mapping_does_not_know() -> None:
    header = ",".join(FIELDS) + ",Date of Birth"
    messages = problems_of(csv_bytes("Zoë,Smith,,4,2026/27,yes,yes,2018-01-01", header=header))
    assert len(messages) == 1
    assert messages[0].startswith(
        'line 1, column "Date of Birth": the standard mapping does not know this column'
    )
    assert "--map" in messages[0]
    sims = problems_of(
        csv_bytes(
            "Zoë,Smith,,4,yes,no,x",
            header="Forename,Surname,Preferred Forename,Year,Twitter Consent,Website Consent,Tutor",
        ),
        mapping=build_mapping("sims"),
        default_year=AcademicYear(2026),
    )
    assert any('column "Tutor": the sims mapping does not know' in m for m in sims)


def test_upn_can_be_mapped_by_hand() -> None:
    mapping = build_mapping(None, ['upn="Pupil ID"'])
    header = "Pupil ID," + ",".join(FIELDS)
    (row,) = parse_roster(csv_bytes("X1,Zoë,Smith,,4,2026/27,yes,yes", header=header), mapping)
    assert row.upn == "X1"
