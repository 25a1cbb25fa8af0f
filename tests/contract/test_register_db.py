"""The register against a real database (SQLite, or PostgreSQL with CHATBOT_TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from chatbot.adapters.db.models import AuditEntry, ConsentRow, PupilRow, PupilYear, utcnow
from chatbot.domain.academic_year import AcademicYear
from chatbot.domain.pupils import Channel
from chatbot.services.registers import (
    AmbiguousPupil,
    ConsentStatus,
    ImportReport,
    PupilNotFound,
    RegisterError,
    count_leavers,
    give_consent,
    import_roster,
    list_register,
    load_register,
    remove_leavers,
    search_pupils,
    twitter_consent,
    withdraw_consent,
)
from chatbot.services.roster_csv import FIELDS, RosterInvalid, RosterRow, parse_roster, read_roster
from tests.conftest import FIXTURES

Y2026 = AcademicYear(2026)
Y2027 = AcademicYear(2027)
ACTOR = "cli:office"
IN_2026 = date(2026, 11, 25)


def rows_of(*lines: str) -> list[RosterRow]:
    return parse_roster(("\n".join([",".join(FIELDS), *lines]) + "\n").encode())


def sample() -> list[RosterRow]:
    return read_roster(FIXTURES / "roster.csv")


def do_import(
    sessions: sessionmaker[Session], rows: list[RosterRow], source: str = "r.csv"
) -> ImportReport:
    with sessions.begin() as session:
        return import_roster(session, rows, actor=ACTOR, source=source)


def pupil_id(sessions: sessionmaker[Session], key: str) -> int:
    with sessions() as session:
        found = session.scalar(select(PupilRow.id).where(PupilRow.match_key == key))
    assert found is not None
    return found


def consent_map(sessions: sessionmaker[Session], year: AcademicYear) -> dict[str, tuple[str, str]]:
    with sessions() as session:
        return {
            line.pupil.full_name: (line.twitter.value, line.website.value)
            for line in list_register(session, year)
        }


def test_first_import_adds_everyone(sessions: sessionmaker[Session]) -> None:
    report = do_import(sessions, sample(), "roster.csv")
    assert (report.added, report.updated, report.unchanged) == (12, 0, 0)
    assert report.years == (Y2026,)
    with sessions() as session:
        assert session.scalar(select(func.count(PupilRow.id))) == 12
        assert session.scalar(select(func.count(ConsentRow.id))) == 24
        recorded = session.scalars(select(ConsentRow.recorded_by)).all()
        assert set(recorded) == {ACTOR}
    assert consent_map(sessions, Y2026)["Zoë Smith"] == ("yes", "yes")
    assert consent_map(sessions, Y2026)["Summer Jones"] == ("no", "yes")


def test_reimport_changes_nothing(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions() as session:
        before = session.execute(
            select(ConsentRow.id, ConsentRow.given, ConsentRow.recorded_at).order_by(ConsentRow.id)
        ).all()
    report = do_import(sessions, sample())
    assert (report.added, report.updated, report.unchanged) == (0, 0, 12)
    with sessions() as session:
        after = session.execute(
            select(ConsentRow.id, ConsentRow.given, ConsentRow.recorded_at).order_by(ConsentRow.id)
        ).all()
        assert session.scalar(select(func.count(PupilRow.id))) == 12
    assert after == before


def test_merge_updates_and_never_deletes(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    report = do_import(
        sessions,
        rows_of(
            "Zoë,Smith,Zo,5,2026/27,yes,yes",  # preferred name and year group change
            "Summer,Jones,,2,2026/27,yes,yes",  # the form came back late: consent given
            "Ava,Green,,R,2026/27,yes,no",  # a new pupil
        ),
    )
    assert (report.added, report.updated, report.unchanged) == (1, 2, 0)
    register = consent_map(sessions, Y2026)
    assert len(register) == 13  # the ten pupils missing from the file are still there
    assert register["Summer Jones"] == ("yes", "yes")
    with sessions() as session:
        zoe = next(p for p in load_register(session, Y2026).pupils if p.last_name == "Smith")
    assert (zoe.preferred_name, zoe.year_group) == ("Zo", "5")


def test_file_saying_no_withdraws_at_once(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    zoe = pupil_id(sessions, "zoë smith")
    report = do_import(sessions, rows_of("Zoë,Smith,,4,2026/27,no,yes"))
    assert (report.updated, report.withdrawn) == (1, 1)
    with sessions() as session:
        assert twitter_consent(session, [zoe], IN_2026) == {zoe: False}
        row = session.scalar(
            select(ConsentRow).where(ConsentRow.pupil_id == zoe, ConsentRow.channel == "twitter")
        )
        assert row is not None
        assert not row.given
        assert row.withdrawn_by == ACTOR
        assert row.withdrawn_at is not None


def test_import_never_restores_a_withdrawn_consent(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions.begin() as session:
        withdraw_consent(session, "Zoë Smith", Channel.TWITTER, Y2026, "U_OFFICE")
    report = do_import(sessions, sample())  # an old export that still says yes
    assert (report.updated, report.unchanged) == (0, 12)
    assert [(k.line, k.channel) for k in report.kept_withdrawn] == [(2, Channel.TWITTER)]
    assert consent_map(sessions, Y2026)["Zoë Smith"] == ("withdrawn", "yes")
    with sessions.begin() as session:
        change = give_consent(session, "zoë smith", Channel.TWITTER, Y2026, "U_OFFICE")
    assert (change.before, change.after) == (ConsentStatus.WITHDRAWN, ConsentStatus.GIVEN)
    assert consent_map(sessions, Y2026)["Zoë Smith"] == ("yes", "yes")


def test_new_year_adds_its_register_and_consents(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    report = do_import(
        sessions,
        rows_of("Zoë,Smith,,5,2027/28,no,yes", "Summer,Jones,,3,2027/28,yes,yes"),
    )
    assert (report.added, report.updated) == (2, 0)
    assert report.years == (Y2027,)
    zoe = pupil_id(sessions, "zoë smith")
    summer = pupil_id(sessions, "summer jones")
    with sessions() as session:
        # each year's consent stands alone: last year's yes is not this year's
        assert twitter_consent(session, [zoe, summer], IN_2026) == {zoe: True, summer: False}
        assert twitter_consent(session, [zoe, summer], date(2027, 9, 1)) == {
            zoe: False,
            summer: True,
        }
        assert len(load_register(session, Y2027).entries) == 2
        assert session.scalar(select(func.count(PupilYear.id))) == 14


def test_failed_import_writes_nothing(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions() as session:
        audit_rows = session.scalar(select(func.count(AuditEntry.id)))
    with pytest.raises(RosterInvalid):
        do_import(sessions, rows_of("Ava,Green,,R,2026/27,yes,no", "Bo,Lee,,1,2026/27,?,no"))
    # and a database failure half-way rolls back everything written before it
    rows = rows_of("Ava,Green,,R,2026/27,yes,no")

    def import_then_fail() -> None:
        with sessions.begin() as session:
            import_roster(session, rows, actor=ACTOR, source="x.csv")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        import_then_fail()
    with sessions() as session:
        assert session.scalar(select(func.count(PupilRow.id))) == 12
        assert session.scalar(select(func.count(AuditEntry.id))) == audit_rows


def test_withdrawal_is_immediate_and_audited_without_names(
    sessions: sessionmaker[Session],
) -> None:
    do_import(sessions, sample())
    will = pupil_id(sessions, "will brown")
    with sessions() as session:
        assert twitter_consent(session, [will], IN_2026) == {will: True}
    with sessions.begin() as session:
        change = withdraw_consent(session, "Will Brown", Channel.TWITTER, Y2026, "U_HEAD")
    assert change.changed
    assert change.on_register
    assert change.by == "U_HEAD"
    assert abs((utcnow() - change.at).total_seconds()) < 60
    # a reader in another session sees it as soon as the withdrawal commits
    with sessions() as session:
        assert twitter_consent(session, [will], IN_2026) == {will: False}
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "consent.withdraw")
        ).one()
    assert entry.actor == "U_HEAD"
    assert entry.subject == f"pupil:{will}"
    assert entry.detail == {
        "channel": "twitter",
        "academic_year": "2026/27",
        "before": "yes",
        "after": "withdrawn",
    }
    with sessions.begin() as session:
        again = withdraw_consent(session, "Will Brown", Channel.TWITTER, Y2026, "U_HEAD")
    assert not again.changed


def test_withdrawal_before_a_year_is_imported_sticks(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions.begin() as session:
        change = withdraw_consent(session, "Noah Wilson", Channel.TWITTER, Y2027, ACTOR)
    assert change.before is ConsentStatus.NONE
    assert not change.on_register
    report = do_import(sessions, rows_of("Noah,Wilson,,6,2027/28,yes,yes"))
    assert len(report.kept_withdrawn) == 1
    assert consent_map(sessions, Y2027)["Noah Wilson"] == ("withdrawn", "yes")


def test_consent_by_preferred_name_and_lookup_errors(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    do_import(sessions, rows_of("Alexandra,Wright,Alex,5,2026/27,no,no"))
    with sessions.begin() as session, pytest.raises(AmbiguousPupil, match="2 pupils"):
        give_consent(session, "Alex Wright", Channel.TWITTER, Y2026, ACTOR)
    with sessions.begin() as session:
        change = give_consent(session, "Jake Roberts", Channel.WEBSITE, Y2026, ACTOR)
    assert change.after is ConsentStatus.GIVEN
    with sessions.begin() as session, pytest.raises(PupilNotFound, match='"Zoë Smith"'):
        give_consent(session, "Zoe Smyth", Channel.TWITTER, Y2026, ACTOR)
    with sessions.begin() as session, pytest.raises(RegisterError, match="first and last"):
        give_consent(session, "Zoë", Channel.TWITTER, Y2026, ACTOR)
    with sessions.begin() as session, pytest.raises(RegisterError, match="not a channel"):
        give_consent(session, "Zoë Smith", "facebook", Y2026, ACTOR)
    with sessions.begin() as session:
        by_text = withdraw_consent(session, "Zoë Smith", "website", Y2026, ACTOR)
    assert (by_text.channel, by_text.after) == (Channel.WEBSITE, ConsentStatus.WITHDRAWN)


def test_load_register_and_twitter_consent(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions() as session:
        register = load_register(session, Y2026)
        assert len(register.entries) == 12
        assert all(p.id is not None for p in register.pupils)
        alex = register.find("Alex Wright")
        assert alex is not None
        assert alex.twitter_consent
        grace = register.find("Grace Patel")
        assert grace is not None
        assert not grace.twitter_consent
        assert load_register(session, Y2027).entries == ()
        alex_id, grace_id = alex.pupil.id, grace.pupil.id
        assert alex_id is not None
        assert grace_id is not None
        assert twitter_consent(session, [alex_id, grace_id, 99999], IN_2026) == {
            alex_id: True,
            grace_id: False,
            99999: False,  # no record is no consent
        }
        assert twitter_consent(session, [], IN_2026) == {}
        # the academic year ends on 31 August
        assert twitter_consent(session, [alex_id], date(2027, 8, 31)) == {alex_id: True}
        assert twitter_consent(session, [alex_id], date(2027, 9, 1)) == {alex_id: False}


def test_search_pupils(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    with sessions() as session:
        assert [p.full_name for p in search_pupils(session, "zoe", Y2026)] == ["Zoë Smith"]
        assert [p.full_name for p in search_pupils(session, "alex", Y2026)] == ["Alexander Wright"]
        assert [p.full_name for p in search_pupils(session, "JAKE", Y2026)] == ["Jacob Roberts"]
        # start-of-name matches come before matches inside a name
        names = [p.full_name for p in search_pupils(session, "o", Y2026, limit=50)]
        assert names.index("Isla O'Connor") < names.index("Jacob Roberts")
        assert [p.full_name for p in search_pupils(session, "will br", Y2026)] == ["Will Brown"]
        assert len(search_pupils(session, "", Y2026, limit=5)) == 5
        assert search_pupils(session, "zoe", Y2027) == []
        assert all(p.id is not None for p in search_pupils(session, "a", Y2026))


def test_remove_leavers(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())
    # next year: only two stay; a new pupil joins
    do_import(
        sessions,
        rows_of(
            "Zoë,Smith,,5,2027/28,yes,yes",
            "Summer,Jones,,3,2027/28,no,yes",
            "Ava,Green,,N,2027/28,yes,yes",
        ),
    )
    with sessions() as session:
        assert count_leavers(session, Y2026) == 0  # all on the register this year or next
        assert count_leavers(session, Y2027) == 10
    with sessions.begin() as session:
        assert remove_leavers(session, Y2027, ACTOR) == 10
    with sessions() as session:
        assert session.scalar(select(func.count(PupilRow.id))) == 3
        left = session.scalars(select(ConsentRow.pupil_id).distinct()).all()
        assert len(left) == 3
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pupils.remove_leavers")
        ).one()
    assert entry.detail == {"academic_year": "2027/28", "pupils": 10, "consent_records": 20}
    with sessions.begin() as session:
        assert remove_leavers(session, Y2027, ACTOR) == 0


def test_import_audit_row_has_counts_not_names(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample(), "roster.csv")
    with sessions() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor, entry.subject) == ("pupils.import", ACTOR, "roster.csv")
    assert entry.detail is not None
    assert entry.detail["added"] == 12
    text = repr((entry.subject, entry.reason, entry.detail))
    for row in sample():
        assert row.first_name not in text
        assert row.last_name not in text


# -- pupils by their MIS id ----------------------------------------------------------------------

UPN_HEADER = "upn," + ",".join(FIELDS)


def upn_rows(*lines: str) -> list[RosterRow]:
    return parse_roster(("\n".join([UPN_HEADER, *lines]) + "\n").encode())


def upns(sessions: sessionmaker[Session]) -> dict[str, tuple[str, str, str]]:
    with sessions() as session:
        return {
            p.upn or "": (p.first_name, p.last_name, p.preferred_name)
            for p in session.scalars(select(PupilRow))
        }


def test_same_name_pupils_with_ids_are_two_pupils(sessions: sessionmaker[Session]) -> None:
    report = do_import(
        sessions,
        upn_rows(
            "H341210724090,Jack,Jones,,2,2026/27,yes,yes",
            "A341210720029,Jack,Jones,,6,2026/27,no,yes",
        ),
    )
    assert report.added == 2
    with sessions() as session:
        labels = [p.label for p in search_pupils(session, "jack jones", Y2026)]
        assert labels == ["Jack Jones (Year 2)", "Jack Jones (Year 6)"]
        with pytest.raises(
            AmbiguousPupil, match=r"2 pupils are called .* \(year group 2, year group 6\)"
        ):
            withdraw_consent(session, "Jack Jones", Channel.TWITTER, Y2026, ACTOR)
        change = withdraw_consent(session, "h341210724090", Channel.TWITTER, Y2026, ACTOR)
        session.commit()
    assert change.before is ConsentStatus.GIVEN
    assert consent_map_by_upn(sessions)["H341210724090"] == "withdrawn"
    assert consent_map_by_upn(sessions)["A341210720029"] == "no"


def consent_map_by_upn(sessions: sessionmaker[Session]) -> dict[str, str]:
    with sessions() as session:
        return {line.upn: line.twitter.value for line in list_register(session, Y2026)}


def test_change_of_name_updates_the_same_pupil(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, upn_rows("H1,Jack,Jones,,2,2026/27,yes,yes"))
    report = do_import(sessions, upn_rows("H1,Jack,Smith-Jones,Jackie,2,2026/27,yes,yes"))
    assert (report.added, report.updated) == (0, 1)
    assert upns(sessions) == {"H1": ("Jack", "Smith-Jones", "Jackie")}
    again = do_import(sessions, upn_rows("H1,Jack,Smith-Jones,Jackie,2,2026/27,yes,yes"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    with sessions() as session:
        # found by the new name, the old one is gone
        assert find_name(session, "Jack Smith-Jones") == "H1"


def find_name(session: Session, name: str) -> str | None:
    from chatbot.services.registers import find_pupil

    return find_pupil(session, name).upn


def test_first_import_with_ids_adopts_the_pupils_known_by_name(
    sessions: sessionmaker[Session],
) -> None:
    do_import(sessions, sample())
    with sessions.begin() as session:
        withdraw_consent(session, "Zoë Smith", Channel.TWITTER, Y2026, ACTOR)
    known_by_name = pupil_id(sessions, "zoë smith")
    report = do_import(
        sessions,
        upn_rows("Z1,Zoë,Smith,,4,2026/27,yes,yes", "Z2,Zoë,Smith,,1,2026/27,yes,yes"),
    )
    assert report.added == 1  # the Year 1 Zoë is new; the Year 4 one is the pupil known by name
    assert [k.line for k in report.kept_withdrawn] == [2]
    with sessions() as session:
        year4 = session.scalar(select(PupilRow.id).where(PupilRow.upn == "Z1"))
    assert year4 == known_by_name
    assert consent_map_by_upn(sessions)["Z1"] == "withdrawn"  # never restored by an import
    assert consent_map_by_upn(sessions)["Z2"] == "yes"


def test_ambiguous_adoption_writes_nothing(sessions: sessionmaker[Session]) -> None:
    do_import(sessions, sample())  # Zoë Smith, Year 4, no id
    with pytest.raises(RosterInvalid) as caught:
        do_import(
            sessions,
            upn_rows("Z1,Zoë,Smith,,2,2026/27,yes,yes", "Z2,Zoë,Smith,,1,2026/27,yes,yes"),
        )
    (problem,) = caught.value.problems
    assert "lines 2, 3 are pupils of one name" in str(problem)
    assert "Zoë" not in str(problem)
    assert set(upns(sessions)) == {""}


def test_a_file_without_ids_cannot_tell_same_name_pupils_apart(
    sessions: sessionmaker[Session],
) -> None:
    do_import(
        sessions, upn_rows("H1,Jack,Jones,,2,2026/27,yes,yes", "H2,Jack,Jones,,6,2026/27,no,no")
    )
    with pytest.raises(RosterInvalid, match="2 pupils on the register have this name"):
        do_import(sessions, rows_of("Jack,Jones,,2,2026/27,no,no", "Zoë,Smith,,4,2026/27,yes,yes"))
    assert len(upns(sessions)) == 2
    assert consent_map_by_upn(sessions) == {"H1": "yes", "H2": "no"}
    # a file without ids still finds a pupil whose name is not shared
    do_import(sessions, upn_rows("Z1,Zoë,Smith,,4,2026/27,yes,yes"))
    report = do_import(sessions, rows_of("Zoë,Smith,,4,2026/27,no,yes"))
    assert (report.added, report.updated, report.withdrawn) == (0, 1, 1)


def test_benchmark_register_with_same_name_pairs(sessions: sessionmaker[Session]) -> None:
    from pathlib import Path

    registers = Path(__file__).parents[2] / "benchmarks" / "names" / "registers"
    rows = read_roster(registers / "birmingham.csv")
    report = do_import(sessions, rows)
    assert report.added == 450
    with sessions() as session:
        labels = [p.label for p in search_pupils(session, "maryam hussain", Y2026)]
    assert labels == ["Maryam Hussain (Year 1)", "Maryam Hussain (Year 5)"]
    assert do_import(sessions, rows).unchanged == 450
