"""`chatbot check` as a teacher (or a test outside the project) runs it: a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PHOTOS

pytestmark = pytest.mark.slow

HEADER = (
    "first_name,last_name,preferred_name,year_group,academic_year,twitter_consent,website_consent"
)
ROSTER = f"""{HEADER}
Zoë,Okafor,,4,2026/27,yes,yes
Grace,Lindqvist,,4,2026/27,no,yes
Harvey,Patel,,6,2025/26,yes,yes
"""


def chatbot(tmp_path: Path, *args: str, tz: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    if tz:
        env["TZ"] = tz
    return subprocess.run(
        [sys.executable, "-m", "chatbot", "check", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,  # no stray .env
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_a_good_post_passes_with_the_json_shape(tmp_path: Path) -> None:
    result = chatbot(tmp_path, "--json", "Year 4 loved their visit to the museum today.")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"verdict": "pass", "findings": []}


def test_a_warning_exits_0_and_a_block_exits_1(tmp_path: Path, roster: Path) -> None:
    warned = chatbot(
        tmp_path, "--json", "--roster", str(roster), "--date", "2026-11-25", "Well done Zoe!"
    )
    assert warned.returncode == 0, warned.stderr
    report = json.loads(warned.stdout)
    assert report["verdict"] == "warn"
    [finding] = report["findings"]
    assert set(finding) == {"rule", "severity", "message", "clause", "excerpt"}
    assert finding["rule"] == "pupil-name"

    blocked = chatbot(tmp_path, "--json", "Sports day was gr8 lol")
    assert blocked.returncode == 1
    report = json.loads(blocked.stdout)
    assert report["verdict"] == "block"
    assert {f["rule"] for f in report["findings"]} == {"textspeak"}


def test_the_readable_report_puts_the_verdict_first(tmp_path: Path) -> None:
    result = chatbot(tmp_path, "Sports day was gr8. Pls recieve the letters.")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("BLOCK")
    assert lines.index("Must fix (2):") < lines.index("Worth a look (1):")
    assert "[textspeak]" in result.stdout
    assert "policy: “Any Tweets from the official school account" in result.stdout


def test_pictured_pupils_need_consent_for_the_year_of_the_post(
    tmp_path: Path, roster: Path
) -> None:
    photo = str(PHOTOS / "one-face.jpg")
    common = [
        "--json",
        "--roster",
        str(roster),
        "--photo",
        photo,
        "--alt",
        "A pupil in a spacesuit",
    ]
    ok = chatbot(
        tmp_path, *common, "--date", "2026-11-25", "--pictured", "Zoë Okafor", "Space day."
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["verdict"] == "pass"

    refused = chatbot(
        tmp_path,
        *common,
        "--date",
        "2026-11-25",
        "--pictured",
        "Grace Lindqvist",
        "--pictured",
        "Harvey Patel",  # on the register only for 2025/26
        "Space day.",
    )
    assert refused.returncode == 1
    messages = [f["message"] for f in json.loads(refused.stdout)["findings"]]
    assert any("Grace Lindqvist does not have Twitter consent for 2026/27" in m for m in messages)
    assert any("“Harvey Patel” is not on the register for 2026/27" in m for m in messages)


def test_consent_lapses_at_the_end_of_the_academic_year(tmp_path: Path, roster: Path) -> None:
    common = ["--json", "--roster", str(roster), "--photo", str(PHOTOS / "no-face.jpg")]
    common += ["--alt", "A cup of coffee", "--pictured", "Zoë Okafor", "Coffee morning."]
    last_day = chatbot(tmp_path, "--date", "2027-08-31", *common)
    assert last_day.returncode == 0, last_day.stdout + last_day.stderr
    next_year = chatbot(tmp_path, "--date", "2027-09-01", *common)
    assert next_year.returncode == 1
    [finding] = json.loads(next_year.stdout)["findings"]
    assert finding["rule"] == "photo-consent"
    assert "There is no register for 2027/28 yet" in finding["message"]


def test_the_default_date_is_today_in_england_whatever_the_machines_zone(tmp_path: Path) -> None:
    # Without a register the consent finding names the post's date: the default must be
    # London's day even on a machine set to a zone a day ahead or behind.
    args = ["--json", "--photo", str(PHOTOS / "no-face.jpg"), "--pictured", "Zoë Okafor", "x."]
    for tz in ("Etc/GMT+12", "Etc/GMT-14"):
        today = datetime.now(ZoneInfo("Europe/London")).date()
        result = chatbot(tmp_path, *args, tz=tz)
        messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
        assert any(f"post on {today.day} {today:%B %Y}" in m for m in messages), (tz, messages)


def test_photos_need_a_declaration_and_unusable_files_are_findings(tmp_path: Path) -> None:
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_text("shopping list", encoding="utf-8")
    result = chatbot(
        tmp_path,
        "--json",
        "--photo",
        str(PHOTOS / "no-face.jpg"),
        "--photo",
        str(not_a_photo),
        "Coffee.",
    )
    assert result.returncode == 1
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert {"photo-undeclared", "photo-format", "alt-text"} <= rules


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--photo", "missing.jpg", "Hello."], "--photo missing.jpg: no such file"),
        (["--alt", "A photo", "Hello."], "1 --alt but 0 --photo"),
        (["--date", "25/11/2026", "Hello."], "write it like 2026-11-25"),
        (["--pictured", "Zoë Okafor", "--no-pupils-pictured", "Hi."], "contradict"),
        (["--policy", "nope.toml", "Hello."], "nope.toml"),
    ],
)
def test_bad_usage_exits_2_with_what_to_do(tmp_path: Path, args: list[str], expected: str) -> None:
    result = chatbot(tmp_path, *args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_a_bad_roster_exits_2_naming_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nZoë,Okafor,,4,2026/27,maybe,yes\n", encoding="utf-8")
    result = chatbot(tmp_path, "--roster", str(bad), "Hello.")
    assert result.returncode == 2
    assert 'line 2, column "twitter_consent"' in result.stderr
    assert "nothing was imported" not in result.stderr  # check reads; it imports nothing
    assert "Zoë" not in result.stderr  # errors name lines, never pupils


def test_a_text_check_loads_no_image_or_database_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from chatbot.entrypoints.main import main\n"
        "try:\n"
        "    main(['check', 'Hello there.'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('cv2', 'PIL', 'numpy', 'sqlalchemy', 'slack_sdk', 'slack_bolt', 'tweepy')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATBOT_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env_line", "dot_env"),
    [
        ("CHATBOT_POLICY_FILE=elsewhere.toml", ""),
        ("chatbot_policy_file=elsewhere.toml", ""),  # settings ignore case
        ("", "CHATBOT_POLICY_FILE=elsewhere.toml\n"),
        ("", "CHATBOT_SLACK_BOT_TOKEN=half-set-up\nCHATBOT_POLICY_FILE=elsewhere.toml\n"),
    ],
)
def test_the_policy_file_comes_from_the_settings(
    tmp_path: Path, env_line: str, dot_env: str
) -> None:
    """The check reads the settings' policy path without loading the settings when the
    environment alone decides; from the environment or a .env file, it must be the same path."""
    if dot_env:
        (tmp_path / ".env").write_text(dot_env, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("CHATBOT_")}
    if env_line:
        key, value = env_line.split("=")
        env[key] = value
    result = subprocess.run(
        [sys.executable, "-m", "chatbot", "check", "Hello there."],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "elsewhere.toml" in result.stderr


def test_the_policy_file_can_come_from_the_secrets_directory(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "CHATBOT_POLICY_FILE").write_text("from-secrets.toml", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("CHATBOT_")}
    env["CHATBOT_SECRETS_DIR"] = str(secrets)
    result = subprocess.run(
        [sys.executable, "-m", "chatbot", "check", "Hello there."],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "from-secrets.toml" in result.stderr
