"""`chatbot check`: a post checked against the policy as the bot would, without chat or database.

It must start fast: only click at import time, the rest inside the command."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import fail

if TYPE_CHECKING:
    from concurrent.futures import Future
    from pathlib import Path

    from chatbot.domain.academic_year import AcademicYear
    from chatbot.domain.drafts import PhotoCheck
    from chatbot.domain.pupils import Register
    from chatbot.images import PhotoRejected, PreparedPhoto
    from chatbot.policy.model import Policy

    PendingPhotos = tuple[list[str], Future[list[PreparedPhoto | PhotoRejected]]]


@click.command("check")
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(dir_okay=False),
    help="Policy file (default: CHATBOT_POLICY_FILE, or the school's policy).",
)
@click.option(
    "--roster",
    type=click.Path(),
    help="Register CSV (the `chatbot pupils import` format); read directly, no database.",
)
@click.option(
    "--date",
    "post_date",
    metavar="YYYY-MM-DD",
    help="Day the post would go out (default: today); consent is for its school year.",
)
@click.option(
    "--photo", "photos", multiple=True, type=click.Path(), help="A photo for the post; repeatable."
)
@click.option("--alt", "alts", multiple=True, help="Alt text, one per --photo, in order.")
@click.option(
    "--pictured", multiple=True, metavar='"First Last"', help="A pupil in the photos; repeatable."
)
@click.option("--no-pupils-pictured", is_flag=True, help="The photos show no pupils.")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as one JSON object.")
@click.argument("text")
def check(
    *,
    policy_file: str | None,
    roster: str | None,
    post_date: str | None,
    photos: tuple[str, ...],
    alts: tuple[str, ...],
    pictured: tuple[str, ...],
    no_pupils_pictured: bool,
    as_json: bool,
    text: str,
) -> None:
    """Check TEXT (and photos) against the policy, as the bot would, without Slack.

    Exit status: 0 pass or warn, 1 block, 2 bad usage or unreadable input.
    """
    from datetime import date, datetime

    from chatbot.domain.academic_year import LONDON, AcademicYear

    try:
        # Today in England, whatever the machine's clock zone: consent ends on 31 August there.
        day = date.fromisoformat(post_date) if post_date else datetime.now(LONDON).date()
    except ValueError:
        fail(f"--date {post_date!r} is not a date; write it like 2026-11-25")
    if len(alts) > len(photos):
        fail(
            f"{len(alts)} --alt but {len(photos)} --photo: each --alt describes the --photo "
            "given in the same position; give one --photo for each --alt"
        )
    if pictured and no_pupils_pictured:
        fail("--pictured and --no-pupils-pictured contradict each other; use one of them")
    # Photos first, on other threads (they release the GIL): the engine's modules, the policy,
    # register and dictionary load meanwhile, so a check with photos costs little more than the
    # photos themselves.
    pending_photos = _start_photos(photos)
    import json

    from chatbot.domain.drafts import DraftContent
    from chatbot.policy.engine import PolicyEngine
    from chatbot.policy.report import render_report

    policy = _check_policy(policy_file)
    register = _check_register(roster, AcademicYear.of(day))
    engine = PolicyEngine(policy, register)
    content = DraftContent(
        text=text,
        photos=_finish_photos(pending_photos, alts),
        declared=bool(pictured) or no_pupils_pictured,
        no_pupils=no_pupils_pictured,
        pictured=pictured,
        post_date=day,
    )
    verdict = engine.check(content)
    if as_json:
        click.echo(json.dumps(verdict.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(render_report(verdict))
    sys.exit(1 if verdict.blocking else 0)


def _check_policy(policy_file: str | None) -> Policy:
    from pathlib import Path

    from chatbot.policy.engine import PolicyError, load_policy

    path = Path(policy_file) if policy_file else _settings_policy_file()
    try:
        return load_policy(path)
    except PolicyError as exc:
        fail(str(exc))


def _settings_policy_file() -> Path:
    """The policy file the settings name, read without them where the environment alone decides:
    loading the settings costs a check 50 ms of imports."""
    import os
    from pathlib import Path

    from chatbot.resources import default_policy_file

    # Settings put the environment first, then .env, then the secrets directory; an empty
    # value counts as unset there.
    named = [v for k, v in os.environ.items() if k.upper() == "CHATBOT_POLICY_FILE" and v]
    if named:
        return Path(named[0])
    if not Path(".env").exists() and not os.environ.get("CHATBOT_SECRETS_DIR"):
        return default_policy_file()
    from chatbot.settings import load_policy_file_setting

    return load_policy_file_setting()


def _check_register(roster: str | None, year: AcademicYear) -> Register:
    """The register for the post's academic year, straight from the CSV (empty without one)."""
    from pathlib import Path

    from chatbot.domain.pupils import Register

    if roster is None:
        return Register(year)
    from chatbot.services.roster_csv import RosterInvalid, read_roster, roster_register

    try:
        return roster_register(read_roster(Path(roster)), year)
    except RosterInvalid as exc:
        # Not the import's own wording ("nothing was imported"): check only reads the file.
        problems = "\n  ".join(str(problem) for problem in exc.problems)
        fail(f"--roster {roster}: the register cannot be read:\n  {problems}")


def _start_photos(photos: tuple[str, ...]) -> PendingPhotos | None:
    """Read each --photo (a missing one is a usage error) and start preparing them."""
    from pathlib import Path

    if not photos:
        return None
    items: list[tuple[bytes, str]] = []
    for photo in map(Path, photos):
        try:
            items.append((photo.read_bytes(), photo.name))
        except FileNotFoundError:
            fail(f"--photo {photo}: no such file; check the path")
        except OSError as exc:
            fail(f"--photo {photo}: cannot read it ({exc.strerror or exc}); check the path")
    from chatbot.images import prepare_many_in_background  # OpenCV: loaded only for photos

    return [name for _, name in items], prepare_many_in_background(items)


def _finish_photos(pending: PendingPhotos | None, alts: tuple[str, ...]) -> tuple[PhotoCheck, ...]:
    """Each photo as the bot would see it; an unusable image becomes a photo-format finding."""
    if pending is None:
        return ()
    from chatbot.domain.drafts import PhotoCheck
    from chatbot.images import PhotoRejected

    names, future = pending
    named_alts = [*alts, *[""] * (len(names) - len(alts))]
    checks = []
    for name, alt, result in zip(names, named_alts, future.result(), strict=True):
        if isinstance(result, PhotoRejected):
            checks.append(PhotoCheck(alt_text=alt, problem=str(result), filename=name))
        else:
            checks.append(PhotoCheck(alt_text=alt, face_count=result.face_count, filename=name))
    return tuple(checks)
