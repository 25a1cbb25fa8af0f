"""`chatbot pupils`, `chatbot consent` and `chatbot audit export` as an office would run them."""

from __future__ import annotations

import csv
import getpass
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func, select

from chatbot.adapters.db.db import make_engine
from chatbot.adapters.db.models import AuditEntry, PupilRow
from chatbot.entrypoints.main import main
from chatbot.services.roster_csv import FIELDS
from tests.conftest import FIXTURES

ROSTER = FIXTURES / "roster.csv"
NAMES = ("Zoë", "Smith", "Mohammed", "Khan", "Summer", "Jones", "Alexander", "Wright", "Patel")


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The CLI pointed at the test database; yields an engine to look inside it."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CHATBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("CHATBOT_DATA_DIR", str(tmp_path / "data"))
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def pupil_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count(PupilRow.id))) or 0


def test_import_list_and_reimport(cli_env: Engine) -> None:
    first = run("pupils", "import", str(ROSTER))
    assert first.exit_code == 0, first.output
    assert "roster.csv: 12 pupils for 2026/27" in first.stdout
    assert "added 12, updated 0, unchanged 0" in first.stdout

    again = run("pupils", "import", str(ROSTER))
    assert again.exit_code == 0
    assert "added 0, updated 0, unchanged 12" in again.stdout

    listed = run("pupils", "list", "--year", "2026/27")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["Name", "Preferred", "Year", "group", "Twitter", "Website"]
    assert lines[1].split() == ["Jacob", "Roberts", "Jake", "N", "no", "no"]  # nursery first
    assert ["Alexander", "Wright", "Alex", "3", "yes", "yes"] in [line.split() for line in lines]
    assert lines[-1] == "12 pupils on the register for 2026/27"


def test_bad_file_writes_nothing_and_names_lines(cli_env: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "export.csv"
    bad.write_text(
        ",".join(FIELDS) + "\nZoë,Smith,,4,2026/27,yes,yes\nWill,Brown,,5,2026/27,perhaps,no\n",
        encoding="utf-8",
    )
    result = run("pupils", "import", str(bad))
    assert result.exit_code == 2
    assert "1 problem, nothing was imported" in result.stderr
    assert 'line 3, column "twitter_consent"' in result.stderr
    assert "Traceback" not in result.output
    assert pupil_count(cli_env) == 0


def test_dry_run_writes_nothing(cli_env: Engine) -> None:
    result = run("pupils", "import", "--dry-run", str(ROSTER))
    assert result.exit_code == 0
    assert "added 12" in result.stdout
    assert "dry run: nothing was written" in result.stdout
    assert pupil_count(cli_env) == 0


def test_import_with_a_mapping(cli_env: Engine, tmp_path: Path) -> None:
    export = tmp_path / "sims.csv"
    export.write_text(
        "Forename,Surname,Preferred Forename,Year,Twitter Consent,Website Consent\n"
        "Zoë,Smith,,Year 4,Yes,No\n",
        encoding="utf-8-sig",
    )
    result = run("pupils", "import", str(export), "--mapping", "sims", "--year", "2026/27")
    assert result.exit_code == 0, result.output
    assert "added 1" in result.stdout
    bad_map = run("pupils", "import", str(export), "--map", "forename")
    assert bad_map.exit_code == 2
    assert "FIELD=" in bad_map.stderr


def test_missing_file_and_bad_year(cli_env: Engine, tmp_path: Path) -> None:
    missing = run("pupils", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    bad_year = run("pupils", "list", "--year", "2026-27")
    assert bad_year.exit_code == 2
    assert "write it like 2026/27" in bad_year.stderr


def test_consent_give_and_withdraw(cli_env: Engine) -> None:
    run("pupils", "import", str(ROSTER))
    result = run("consent", "withdraw", "Zoë Smith", "--channel", "twitter", "--year", "2026/27")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "twitter consent for 2026/27: withdrawn (was: yes); recorded by cli"
    )
    listed = run("pupils", "list", "--year", "2026/27").stdout
    assert ["Zoë", "Smith", "4", "withdrawn", "yes"] in [
        line.split() for line in listed.splitlines()
    ]

    # an old export saying yes does not bring it back
    again = run("pupils", "import", str(ROSTER))
    assert "line 2: twitter consent for 2026/27 was withdrawn and stays withdrawn" in again.stdout

    given = run("consent", "give", "zoë smith", "--channel", "twitter", "--year", "2026/27")
    assert given.stdout.startswith("twitter consent for 2026/27: yes (was: withdrawn); recorded by")
    same = run("consent", "give", "Zoë Smith", "--channel", "twitter", "--year", "2026/27")
    assert "is already yes (recorded by cli" in same.stdout
    assert same.stdout.rstrip().endswith("; nothing changed")

    unknown = run("consent", "give", "Zoe Smyth", "--channel", "twitter", "--year", "2026/27")
    assert unknown.exit_code == 2
    assert 'did you mean "Zoë Smith"?' in unknown.stderr
    no_channel = run("consent", "give", "Zoë Smith")
    assert no_channel.exit_code == 2
    assert "--channel" in no_channel.stderr


def test_remove_leavers_asks_first(cli_env: Engine) -> None:
    run("pupils", "import", str(ROSTER))
    declined = run("pupils", "remove-leavers", "--year", "2027/28", input="n\n")
    assert "12 pupils are not on the register for 2027/28 or later" in declined.stdout
    assert "nothing was deleted" in declined.stdout
    assert pupil_count(cli_env) == 12

    kept = run("pupils", "remove-leavers", "--year", "2026/27", "--yes")
    assert "no leavers" in kept.stdout

    removed = run("pupils", "remove-leavers", "--year", "2027/28", "--yes")
    assert removed.exit_code == 0
    assert "deleted 12 pupils" in removed.stdout
    assert pupil_count(cli_env) == 0


def test_audit_export_round_trip_without_names(cli_env: Engine, tmp_path: Path) -> None:
    run("pupils", "import", str(ROSTER))
    run("consent", "withdraw", "Summer Jones", "--channel", "website", "--year", "2026/27")
    run("pupils", "remove-leavers", "--year", "2027/28", "--yes")
    out = tmp_path / "governors" / "audit.csv"
    out.parent.mkdir()

    result = run(
        "audit", "export", "--from", "2000-01-01", "--to", "2099-12-31", "--output", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "wrote 3 audit rows" in result.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # so Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == [
        "pupils.import",
        "consent.withdraw",
        "pupils.remove_leavers",
    ]
    assert rows[0]["subject"] == "roster.csv"
    assert json.loads(rows[0]["detail"])["added"] == 12
    assert rows[1]["subject"].startswith("pupil:")
    assert json.loads(rows[2]["detail"])["pupils"] == 12
    assert all(r["actor"].startswith("cli") for r in rows)
    # the office on the server is named by its login, marked as the command line's
    assert {r["actor_name"] for r in rows} == {f"{getpass.getuser()} (command line)"}
    assert list(tmp_path.joinpath("governors").iterdir()) == [out]  # no temporary file left

    # to standard output; the export itself was recorded
    stdout = run("audit", "export", "--from", "2000-01-01", "--to", "2099-12-31")
    actions = [r["action"] for r in csv.DictReader(io.StringIO(stdout.stdout))]
    assert actions[-1] == "audit.export"

    with cli_env.connect() as conn:
        table = repr(conn.execute(select(AuditEntry.__table__)).all())
    for name in NAMES:
        assert name not in table
        assert name not in stdout.stdout


def test_audit_export_bad_dates(cli_env: Engine) -> None:
    swapped = run("audit", "export", "--from", "2026-12-01", "--to", "2026-11-01")
    assert swapped.exit_code == 2
    assert "swap them" in swapped.stderr
    wrong = run("audit", "export", "--from", "01/12/2026", "--to", "2026-12-31")
    assert wrong.exit_code == 2
    assert "--from" in wrong.stderr


def test_nothing_about_pupils_goes_to_the_log(
    cli_env: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    run("pupils", "import", str(ROSTER))
    run("consent", "withdraw", "Grace Patel", "--channel", "twitter", "--year", "2026/27")
    run("pupils", "remove-leavers", "--year", "2027/28", "--yes")
    for name in NAMES:
        assert name not in caplog.text


@pytest.mark.slow
def test_real_process_exit_codes(database_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "CHATBOT_DATABASE_URL": database_url}
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(FIELDS) + "\nZoë,Smith,,4,2026/2027,yes,yes\n", encoding="utf-8")
    command = [sys.executable, "-m", "chatbot", "pupils", "import"]
    failed = subprocess.run(
        [*command, str(bad)], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert failed.returncode == 2
    assert 'line 2, column "academic_year"' in failed.stderr
    assert "Traceback" not in failed.stderr
    done = subprocess.run(
        [*command, str(ROSTER)], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "added 12" in done.stdout


def test_import_a_register_with_upns_and_same_name_pupils(cli_env: Engine) -> None:
    register = Path(__file__).parents[2] / "benchmarks" / "names" / "registers" / "liverpool.csv"
    result = run("pupils", "import", str(register))
    assert result.exit_code == 0, result.output
    assert "liverpool.csv: 420 pupils for 2026/27" in result.stdout
    assert "added 420, updated 0, unchanged 0" in result.stdout
    listed = run("pupils", "list", "--year", "2026/27").stdout.splitlines()
    assert listed[0].split()[-1] == "UPN"
    jacks = [line.split() for line in listed if line.startswith("Jack ") and " Jones " in line]
    assert [(row[2], row[-1]) for row in jacks] == [("2", "H341210724090"), ("6", "A341210720029")]
    ambiguous = run(
        "consent", "withdraw", "Jack Jones", "--channel", "twitter", "--year", "2026/27"
    )
    assert ambiguous.exit_code == 2
    assert "2 pupils are called" in ambiguous.stderr
    withdrawn = run(
        "consent", "withdraw", "A341210720029", "--channel", "website", "--year", "2026/27"
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    assert "website consent for 2026/27: withdrawn (was: yes)" in withdrawn.stdout
    again = run("pupils", "import", str(register))
    assert "added 0, updated 0, unchanged 420" in again.stdout
    assert "line 392: website consent for 2026/27 was withdrawn and stays withdrawn" in again.stdout


def test_a_header_the_mapping_does_not_know_writes_nothing(cli_env: Engine, tmp_path: Path) -> None:
    export = tmp_path / "arbor.csv"
    export.write_text(
        "UPN,Legal First Name,Legal Last Name,Preferred First Name,Year Group,Academic Year,"
        "Consent: Twitter,Consent: School Website,Home Address\n"
        "H1,Zoë,Smith,,Year 4,2026/27,Yes,No,1 Street\n",
        encoding="utf-8",
    )
    result = run("pupils", "import", str(export), "--mapping", "arbor")
    assert result.exit_code == 2
    assert 'line 1, column "Home Address": the arbor mapping does not know' in result.stderr
    assert pupil_count(cli_env) == 0
