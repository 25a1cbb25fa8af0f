"""The `chatbot` command. Heavy imports (Slack, X, OpenCV) happen inside the commands that need
them, so `chatbot check` on text alone starts fast."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, NoReturn

import click

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from chatbot.settings import Settings

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def settings_or_exit() -> Settings:
    # Imported here: pydantic-settings costs ~90 ms, which `chatbot check` mostly does without.
    from chatbot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        fail(f"{exc}\nFix these in the environment, .env or CHATBOT_SECRETS_DIR.")


def database_or_exit(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    """An engine for the configured database, brought to the latest migration first."""
    from chatbot.adapters.db.db import DatabaseError, make_engine, make_sessionmaker, upgrade

    try:
        engine = make_engine(settings.effective_database_url)
        upgrade(engine)
    except DatabaseError as exc:
        fail(str(exc))
    except Exception as exc:  # a malformed URL or a missing driver
        fail(f"cannot use CHATBOT_DATABASE_URL: {exc}")
    return engine, make_sessionmaker(engine)


def cli_actor() -> str:
    """Who did it, for audit rows written from the command line."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chatbot")
def main() -> None:
    """Slack approval bot for a primary school's X (Twitter) account."""
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


# -- configuration -----------------------------------------------------------------------------


@main.command("check-config")
def check_config() -> None:
    """Say what is set, what is missing for `chatbot run`, and what is invalid (no secrets)."""
    from chatbot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        for name, message in exc.problems:
            click.echo(f"invalid  {name}: {message}")
        sys.exit(USAGE_ERROR)
    for line in describe_settings(settings):
        click.echo(line)
    missing = settings.missing_for_run()
    for name in missing:
        click.echo(f"missing  {name} (needed by `chatbot run`)")
    if not settings.x_credentials_complete:
        click.echo(
            "note     X credentials are not all set: `chatbot run` will run in dry-run mode "
            "and record posts in the audit log instead of publishing them."
        )
    click.echo("ok: ready for `chatbot run`" if not missing else "not ready for `chatbot run`")


def describe_settings(settings: Settings) -> list[str]:
    from pydantic import SecretStr

    lines = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        env = f"CHATBOT_{name.upper()}"
        if isinstance(value, SecretStr):
            shown = "set (hidden)"
        elif value is None or value == ():
            continue
        elif name == "database_url":
            from sqlalchemy.engine import make_url

            shown = make_url(value).render_as_string(hide_password=True)
        elif name == "proxy_url":
            shown = "set (hidden)" if "@" in value else value
        elif isinstance(value, tuple):
            shown = ", ".join(value)
        else:
            shown = str(value)
        lines.append(f"set      {env} = {shown}")
    return lines


# -- database ----------------------------------------------------------------------------------


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest migration (safe to run at any time)."""
    settings = settings_or_exit()
    engine, _ = database_or_exit(settings)
    click.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


# -- register: pupils, consent, audit (anchor: REGISTER) ----------------------------------------


if TYPE_CHECKING:
    from datetime import datetime

    from chatbot.domain.academic_year import AcademicYear


def _academic_year(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> AcademicYear | None:
    """Click callback: "2026/27" -> AcademicYear, or a usage error saying how to write it."""
    from chatbot.domain.academic_year import AcademicYear

    if value is None:
        return None
    try:
        return AcademicYear.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


_MAX_PROBLEMS_SHOWN = 50


def _current_year() -> AcademicYear:
    from datetime import UTC, datetime

    from chatbot.domain.academic_year import AcademicYear

    return AcademicYear.at(datetime.now(UTC))


@main.group()
def pupils() -> None:
    """The pupil register: import the roster, list it, remove leavers."""


@pupils.command("import")
@click.argument("csv_file", type=click.Path())
@click.option(
    "--mapping",
    type=click.Choice(["arbor", "sims", "bromcom"], case_sensitive=False),
    help="Column names of an MIS export (presets: check them against your export).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='FIELD="Header"',
    help='Name the file\'s column for one field, e.g. --map first_name="Legal Forename".',
)
@click.option(
    "--year",
    metavar="YYYY/YY",
    callback=_academic_year,
    help="Academic year of every row, for an export without an academic year column.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and show what would change.")
def pupils_import(
    csv_file: str,
    mapping: str | None,
    maps: tuple[str, ...],
    year: AcademicYear | None,
    dry_run: bool,
) -> None:
    """Import the register from CSV_FILE: adds and updates pupils, never deletes.

    \b
    Columns: first_name, last_name, preferred_name, year_group,
             academic_year (like 2026/27), twitter_consent, website_consent (yes/no)

    The whole file is checked first: any problem, and nothing is written. A "no" where consent
    was given withdraws it at once; an import never restores a withdrawn consent (use
    `chatbot consent give`).
    """
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from chatbot.services.registers import import_roster
    from chatbot.services.roster_csv import RosterInvalid, build_mapping, read_roster

    settings = settings_or_exit()
    try:
        columns = build_mapping(mapping, maps)
    except ValueError as exc:
        fail(str(exc))
    engine, sessions = database_or_exit(settings)
    try:
        rows = read_roster(Path(csv_file), columns, default_year=year)
        with sessions() as session:
            report = import_roster(session, rows, actor=cli_actor(), source=Path(csv_file).name)
            if dry_run:
                session.rollback()
            else:
                session.commit()
    except RosterInvalid as exc:
        shown = [str(p) for p in exc.problems[:_MAX_PROBLEMS_SHOWN]]
        if len(exc.problems) > _MAX_PROBLEMS_SHOWN:
            shown.append(f"... and {len(exc.problems) - _MAX_PROBLEMS_SHOWN} more")
        count = len(exc.problems)
        fail(
            f"{csv_file}: {count} problem{'s' if count != 1 else ''}, nothing was imported:\n  "
            + "\n  ".join(shown)
        )
    except SQLAlchemyError as exc:
        # The database's own message may quote pupils' names: give only its kind.
        fail(
            f"the database refused the import ({type(exc).__name__}); nothing was written. "
            "Try again; if it fails again, run `chatbot db upgrade` and check the database."
        )
    finally:
        engine.dispose()
    years = ", ".join(str(y) for y in report.years)
    click.echo(f"{Path(csv_file).name}: {report.rows} pupils for {years}")
    click.echo(f"  added {report.added}, updated {report.updated}, unchanged {report.unchanged}")
    if report.withdrawn:
        click.echo(f"  consents withdrawn because the file says no: {report.withdrawn}")
    for kept in report.kept_withdrawn:
        click.echo(
            f"  line {kept.line}: {kept.channel} consent for {kept.academic_year} was withdrawn "
            "and stays withdrawn although the file says yes; if the parent has given it again, "
            f'run: chatbot consent give "First Last" --channel {kept.channel} '
            f"--year {kept.academic_year}"
        )
    if dry_run:
        click.echo("dry run: nothing was written")


def _consent_cell(status: str) -> str:
    return {"none": "no record"}.get(status, status)


@pupils.command("list")
@click.option(
    "--year",
    metavar="YYYY/YY",
    callback=_academic_year,
    help="Academic year (default: the current one).",
)
def pupils_list(year: AcademicYear | None) -> None:
    """Show the register for a year: names, year group and consents."""
    from chatbot.services.registers import list_register

    settings = settings_or_exit()
    year = year or _current_year()
    engine, sessions = database_or_exit(settings)
    try:
        with sessions() as session:
            lines = list_register(session, year)
    finally:
        engine.dispose()
    if not lines:
        click.echo(
            f"no pupils on the register for {year}; import it with `chatbot pupils import FILE`"
        )
        return
    table = [("Name", "Preferred", "Year group", "Twitter", "Website")]
    table += [
        (
            line.pupil.full_name,
            line.pupil.preferred_name,
            line.pupil.year_group,
            _consent_cell(line.twitter.value),
            _consent_cell(line.website.value),
        )
        for line in lines
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    click.echo(f"{len(lines)} pupils on the register for {year}")


@pupils.command("remove-leavers")
@click.option(
    "--year",
    metavar="YYYY/YY",
    callback=_academic_year,
    help="The current academic year (default: today's).",
)
@click.option("--yes", "assume_yes", is_flag=True, help="Do not ask for confirmation.")
def pupils_remove_leavers(year: AcademicYear | None, assume_yes: bool) -> None:
    """Delete pupils who are not on the register this year or later, with their consents."""
    from chatbot.services.registers import count_leavers, remove_leavers

    settings = settings_or_exit()
    year = year or _current_year()
    engine, sessions = database_or_exit(settings)
    try:
        with sessions() as session:
            count = count_leavers(session, year)
        if not count:
            click.echo(f"no leavers: every pupil is on the register for {year} or later")
            return
        click.echo(
            f"{count} pupil{'s are' if count != 1 else ' is'} not on the register for {year} or "
            "later; they and their consent records will be deleted."
        )
        if not assume_yes and not click.confirm("Delete them?", default=False):
            click.echo("nothing was deleted")
            return
        with sessions.begin() as session:
            removed = remove_leavers(session, year, cli_actor())
    finally:
        engine.dispose()
    click.echo(f"deleted {removed} pupil{'s' if removed != 1 else ''} and their consent records")


@main.group()
def consent() -> None:
    """Record a pupil's consent given or withdrawn."""


def _consent_command(give: bool) -> click.Command:
    verb = "give" if give else "withdraw"

    @click.argument("name")
    @click.option(
        "--channel",
        type=click.Choice(["twitter", "website"], case_sensitive=False),
        required=True,
        help="Which consent.",
    )
    @click.option(
        "--year",
        metavar="YYYY/YY",
        callback=_academic_year,
        help="Academic year (default: the current one).",
    )
    def command(name: str, channel: str, year: AcademicYear | None) -> None:
        from chatbot.domain.pupils import Channel
        from chatbot.services.registers import RegisterError, give_consent, withdraw_consent

        settings = settings_or_exit()
        year = year or _current_year()
        engine, sessions = database_or_exit(settings)
        action = give_consent if give else withdraw_consent
        try:
            with sessions.begin() as session:
                change = action(session, name, Channel(channel.lower()), year, cli_actor())
        except RegisterError as exc:
            fail(str(exc))
        finally:
            engine.dispose()
        from chatbot.domain.academic_year import LONDON

        what = f"{change.channel} consent for {change.academic_year}"
        when = change.at.astimezone(LONDON).strftime("%d %b %Y %H:%M")
        recorded = f"recorded by {change.by} on {when}"
        if not change.changed:
            click.echo(f"{what} is already {change.after.value} ({recorded}); nothing changed")
        else:
            was = _consent_cell(change.before.value)
            click.echo(f"{what}: {change.after.value} (was: {was}); {recorded}")
        if not change.on_register:
            click.echo(f"note: this pupil is not on the register for {change.academic_year}")

    command.__doc__ = (
        'Record consent given for pupil NAME ("First Last").'
        if give
        else 'Record consent withdrawn for pupil NAME ("First Last"); takes effect at once.'
    )
    return click.command(verb)(command)


consent.add_command(_consent_command(give=True))
consent.add_command(_consent_command(give=False))


@main.group("audit")
def audit_group() -> None:
    """The audit log (append-only)."""


@audit_group.command("export")
@click.option(
    "--from",
    "start",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    required=True,
    help="First day, YYYY-MM-DD.",
)
@click.option(
    "--to",
    "end",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    required=True,
    help="Last day, YYYY-MM-DD (included).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    help="CSV file to write (default: standard output).",
)
def audit_export(start: datetime, end: datetime, output: str | None) -> None:
    """Write the audit log between two dates (London days, inclusive) as CSV for governors."""
    import os
    import tempfile
    from pathlib import Path

    from chatbot.adapters.db.repositories import audit
    from chatbot.services.audit_export import export_audit

    if end.date() < start.date():
        fail(f"--to {end.date()} is before --from {start.date()}; swap them")
    settings = settings_or_exit()
    engine, sessions = database_or_exit(settings)
    try:
        with sessions() as session:
            if output is None:
                count = export_audit(session, start.date(), end.date(), sys.stdout)
            else:
                # Written beside the target and renamed, so a failure leaves no half file;
                # with a BOM so Excel reads accented text (in reasons, say) correctly.
                fd, tmp = tempfile.mkstemp(
                    prefix=".audit-", suffix=".csv", dir=Path(output).resolve().parent
                )
                try:
                    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as out:
                        count = export_audit(session, start.date(), end.date(), out)
                    os.replace(tmp, output)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
        with sessions.begin() as session:
            # Who read the log is part of the log.
            audit(
                session,
                actor=cli_actor(),
                action="audit.export",
                detail={"from": str(start.date()), "to": str(end.date()), "rows": count},
            )
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")
    finally:
        engine.dispose()
    where = "standard output" if output is None else str(output)
    click.echo(f"wrote {count} audit row{'s' if count != 1 else ''} to {where}", err=True)


# -- policy: check (anchor: POLICY) -------------------------------------------------------------

if TYPE_CHECKING:
    from concurrent.futures import Future

    from chatbot.domain.academic_year import AcademicYear
    from chatbot.domain.drafts import PhotoCheck
    from chatbot.domain.pupils import Register
    from chatbot.images import PhotoRejected, PreparedPhoto
    from chatbot.policy.model import Policy

    PendingPhotos = tuple[list[str], Future[list[PreparedPhoto | PhotoRejected]]]


@main.command("check")
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
    import json
    from datetime import date, datetime

    from chatbot.domain.academic_year import LONDON, AcademicYear
    from chatbot.domain.drafts import DraftContent
    from chatbot.policy.engine import PolicyEngine
    from chatbot.policy.report import render_report

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
    # Photos first, on other threads (they release the GIL): the policy, register and dictionary
    # load meanwhile, so a check with photos costs little more than the photos themselves.
    pending_photos = _start_photos(photos)
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
    from chatbot.resources import default_policy_file
    from chatbot.settings import SettingsError, load_settings

    if policy_file:
        path = Path(policy_file)
    else:
        # Only the policy path matters here: a half-configured Slack set-up must not stop a check.
        try:
            path = load_settings().policy_file
        except SettingsError:
            path = default_policy_file()
    try:
        return load_policy(path)
    except PolicyError as exc:
        fail(str(exc))


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


# -- X and the worker (anchor: PUBLISHING) ------------------------------------------------------

if TYPE_CHECKING:
    from chatbot.adapters.x.client import XPublisher
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.services.ports import ChatGateway


@main.command("worker")
@click.option("--poll-seconds", default=2.0, show_default=True, help="Pause when idle.")
@click.option("--drain", is_flag=True, help="Stop once nothing is due or in hand.")
@click.option("--lease-seconds", default=300.0, hidden=True)
def worker_command(poll_seconds: float, drain: bool, lease_seconds: float) -> None:
    """Publish approved posts and run periodic tasks, without Slack, until SIGTERM or Ctrl+C.

    Without X credentials it runs as a dry run (posts are recorded in the audit log only).
    """
    import signal
    import threading

    from chatbot.adapters.x import make_publisher
    from chatbot.policy.engine import PolicyError, load_policy
    from chatbot.worker import worker_for_policy

    settings = settings_or_exit()
    try:
        policy = load_policy(settings.policy_file)
    except PolicyError as exc:
        fail(str(exc))
    try:
        logging.getLogger().setLevel(settings.log_level.upper())
    except ValueError:
        fail(f"CHATBOT_LOG_LEVEL {settings.log_level!r} is not DEBUG, INFO, WARNING or ERROR")
    engine, sessions = database_or_exit(settings)
    publisher = make_publisher(settings)
    if publisher.is_dry_run:
        click.echo("X credentials are not all set: dry run, nothing is sent to X.", err=True)
    chat = _worker_chat(settings, sessions)
    worker = worker_for_policy(sessions, publisher, chat, policy, lease_seconds=lease_seconds)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    try:
        worker.run(stop, poll_seconds, drain=drain)
    finally:
        engine.dispose()


def _worker_chat(settings: Settings, sessions: sessionmaker[Session]) -> ChatGateway:
    """Slack when it is configured, so SLT hear about failures; otherwise the log."""
    from chatbot.worker import LogOnlyChat

    if settings.slack_bot_token is None or settings.approvals_channel is None:
        return LogOnlyChat()
    try:
        from slack_sdk import WebClient

        from chatbot.adapters.slack.gateway import SlackGateway

        client = WebClient(
            token=settings.slack_bot_token.get_secret_value(),
            base_url=settings.slack_api_url,
            proxy=settings.proxy_url,
        )
        return SlackGateway(settings=settings, sessions=sessions, client=client)
    except ImportError:
        return LogOnlyChat()


@main.group("x")
def x_group() -> None:
    """The school's X account: check the credentials, take a post down."""


def _x_publisher_or_exit(settings: Settings) -> XPublisher:
    if not settings.x_credentials_complete:
        fail(
            "X credentials are not all set: set CHATBOT_X_API_KEY, CHATBOT_X_API_SECRET, "
            "CHATBOT_X_ACCESS_TOKEN and CHATBOT_X_ACCESS_TOKEN_SECRET (X developer portal > "
            "your app > Keys and tokens)."
        )
    from chatbot.adapters.x.client import XPublisher

    return XPublisher.from_settings(settings)


@x_group.command("whoami")
def x_whoami() -> None:
    """Check the X credentials: print the account they post as."""
    from chatbot.services.ports import PublishError, PublishErrorKind

    publisher = _x_publisher_or_exit(settings_or_exit())
    try:
        handle = publisher.whoami()
    except PublishError as exc:
        if exc.kind is PublishErrorKind.CREDENTIALS:
            fail(
                f"X refused the credentials ({exc}). Check the four CHATBOT_X_* tokens, and "
                "that the app's permissions are Read and Write (regenerate the access token "
                "and secret after changing them).",
                1,
            )
        fail(f"could not reach X: {exc}", 1)
    click.echo(f"@{handle}")


@x_group.command("delete")
@click.argument("ident", metavar="ID")
@click.option("--reason", required=True, help="Why it is taken down (for the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def x_delete(ident: str, reason: str, yes: bool) -> None:
    """Delete a post from X now. ID is a draft id or an X post id; recorded in the audit log."""
    from sqlalchemy import select

    from chatbot.adapters.db.models import Draft, NetworkPost
    from chatbot.adapters.x import NETWORK
    from chatbot.services.ports import PublishError
    from chatbot.services.publishing import delete_now

    if not reason.strip():
        fail("--reason must say why the post is taken down")
    settings = settings_or_exit()
    engine, sessions = database_or_exit(settings)
    with sessions() as session:
        on_x = select(NetworkPost).where(NetworkPost.network == NETWORK)
        post = session.scalar(on_x.where(NetworkPost.post_id == ident))
        if post is None and ident.isdigit() and len(ident) < 10:
            draft = session.get(Draft, int(ident))
            if draft is None:
                fail(f"there is no draft #{ident}")
            post = session.scalar(on_x.where(NetworkPost.draft_id == draft.id))
            if post is None:
                fail(f"draft #{ident} is {draft.state} and has no post on X")
        post_id = post.post_id if post is not None else ident
        draft_id = post.draft_id if post is not None else None
    engine.dispose()
    if not post_id or not (post_id.isdigit() or post_id.startswith("dryrun-")):
        fail(f"{ident!r} is neither a draft id nor an X post id")
    what = f"post {post_id}" + (f" (draft #{draft_id})" if draft_id else " (not from a draft)")
    if not post_id.startswith("dryrun-"):
        publisher: XPublisher | DryRunPublisher = _x_publisher_or_exit(settings)
    else:
        from chatbot.adapters.x.dryrun import DryRunPublisher

        publisher = DryRunPublisher()  # a dry-run "post" exists only in our audit log
    if not yes and not click.confirm(f"Delete {what} from X?"):
        fail("nothing deleted", 1)
    try:
        delete_now(
            sessions,
            publisher,
            post_id=post_id,
            draft_id=draft_id,
            actor=cli_actor(),
            reason=reason.strip(),
        )
    except PublishError as exc:
        fail(f"X did not delete {what}: {exc}", 1)
    dry = " (dry run: nothing sent to X)" if publisher.is_dry_run else ""
    click.echo(f"deleted {what}{dry}")


@x_group.command("resume")
def x_resume() -> None:
    """Resume publishing after X refused the credentials and they were fixed."""
    from chatbot.services.publishing import resume_publishing

    _, sessions = database_or_exit(settings_or_exit())
    if resume_publishing(sessions, actor=cli_actor()):
        click.echo("publishing resumed")
    else:
        click.echo("publishing was not paused")


# -- Slack: run (anchor: SLACK) -----------------------------------------------------------------

_RUN_SETTING_HINTS = {
    "CHATBOT_SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-...) from OAuth & Permissions",
    "CHATBOT_SLACK_APP_TOKEN": "an app-level token (xapp-...) with connections:write, from "
    "Basic Information > App-Level Tokens",
    "CHATBOT_DRAFTS_CHANNEL": "the id of the channel where staff post drafts (like C012AB3CD)",
    "CHATBOT_APPROVALS_CHANNEL": "the id of the channel where SLT approve posts",
    "CHATBOT_SAFEGUARDING_CHANNEL": "the id of the private channel for safeguarding alerts",
    "CHATBOT_SLT_USERS": "the member ids of SLT, comma-separated (or CHATBOT_SLT_USERGROUP)",
}


@main.command("run")
def run_command() -> None:
    """Serve Slack (Socket Mode) and publish approved posts, until SIGTERM or Ctrl+C.

    Exit status: 0 after a clean stop, 2 when a setting must be fixed, 1 when Slack or the
    network could not be reached (a restart may help).
    """
    settings = settings_or_exit()
    from chatbot.adapters.slack.runtime import StartupError, configure_logging, run

    try:
        configure_logging(settings.log_level)
    except StartupError as exc:
        fail(str(exc))
    missing = settings.missing_for_run()
    if missing:
        lines = [f"{name} is not set: {_RUN_SETTING_HINTS.get(name, '')}" for name in missing]
        fail("`chatbot run` needs these settings:\n  " + "\n  ".join(lines))
    engine, sessions = database_or_exit(settings)
    try:
        status = run(settings, sessions)
    except StartupError as exc:
        fail(str(exc), exc.exit_code)
    finally:
        engine.dispose()
    sys.exit(status)


# -- safeguarding monitors (anchor: MONITORING) -------------------------------------------------


@main.group("staff")
def staff_group() -> None:
    """Staff X accounts whose followers are checked for pupils (each member of staff opts in)."""


@staff_group.command("add")
@click.argument("handle")
@click.option("--slack-user", required=True, help="The member of staff's Slack user id (U…).")
def staff_add(handle: str, slack_user: str) -> None:
    """Record that @HANDLE's owner opted in (today) to have their followers checked."""
    from chatbot.adapters.db.db import transaction
    from chatbot.adapters.slack.refs import user_id_problem
    from chatbot.services.monitoring.staff import StaffError, add_staff, normalise_handle

    _, sessions = database_or_exit(settings_or_exit())
    try:
        normalise_handle(handle)  # the handle's problem first, then the user id's
        if problem := user_id_problem(slack_user):
            raise StaffError(problem)
        with transaction(sessions) as session:
            row = add_staff(session, handle, slack_user, actor=cli_actor())
            name, day = row.handle, row.opted_in_at
    except StaffError as exc:
        fail(str(exc))
    click.echo(f"@{name}: followers will be checked (opted in {day:%Y-%m-%d})")


@staff_group.command("remove")
@click.argument("handle")
def staff_remove(handle: str) -> None:
    """Stop checking @HANDLE's followers and forget which were checked."""
    from chatbot.adapters.db.db import transaction
    from chatbot.services.monitoring.staff import StaffError, remove_staff

    _, sessions = database_or_exit(settings_or_exit())
    try:
        with transaction(sessions) as session:
            name = remove_staff(session, handle, actor=cli_actor()).handle
    except StaffError as exc:
        fail(str(exc))
    click.echo(f"@{name}: no longer checked")


@staff_group.command("list")
@click.option("--all", "include_removed", is_flag=True, help="Include staff who opted out.")
def staff_list(include_removed: bool) -> None:
    """The staff accounts whose followers are checked, with their opt-in dates."""
    from chatbot.adapters.db.db import transaction
    from chatbot.services.monitoring.staff import list_staff

    _, sessions = database_or_exit(settings_or_exit())
    with transaction(sessions) as session:
        lines = list_staff(session, include_removed=include_removed)
    if not lines:
        click.echo("no staff accounts are checked; add one with `chatbot staff add @handle`")
    for line in lines:
        removed = f"  removed {line.removed_at:%Y-%m-%d}" if line.removed_at else ""
        since = f"opted in {line.opted_in_at:%Y-%m-%d}"
        click.echo(f"@{line.handle:<16} {line.chat_user:<12} {since}{removed}")


@main.command("monitor")
@click.argument("which", type=click.Choice(["followers", "staff", "mentions", "following"]))
def monitor_command(which: str) -> None:
    """Run one safeguarding monitor now (the worker runs them on the policy's timetable)."""
    settings = settings_or_exit()
    missing_x = [] if settings.x_credentials_complete else [
        "CHATBOT_X_API_KEY", "CHATBOT_X_API_SECRET", "CHATBOT_X_ACCESS_TOKEN",
        "CHATBOT_X_ACCESS_TOKEN_SECRET",
    ]  # fmt: skip
    missing_slack = [
        f"CHATBOT_{name.upper()}"
        for name in ("slack_bot_token", "safeguarding_channel", "approvals_channel")
        if getattr(settings, name) is None
    ]
    if missing_x or missing_slack:
        fail(
            "the monitors read X and report to Slack; set "
            + ", ".join(missing_x + missing_slack)
            + " (see `chatbot check-config`)"
        )
    from slack_sdk import WebClient

    from chatbot.adapters.slack.alerts import SlackAlertChat
    from chatbot.adapters.slack.gateway import SlackGateway
    from chatbot.adapters.x.reader import XReader
    from chatbot.policy.engine import PolicyError, load_policy
    from chatbot.services.monitoring import monitor_context, run_monitor

    engine, sessions = database_or_exit(settings)
    try:
        policy = load_policy(settings.policy_file)
    except PolicyError as exc:
        fail(f"CHATBOT_POLICY_FILE: {exc}")
    assert settings.slack_bot_token is not None  # noqa: S101 (checked above)
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        proxy=settings.proxy_url,
    )
    chat = SlackAlertChat(SlackGateway(settings, sessions, client), settings, sessions, client)
    try:
        ctx = monitor_context(sessions, XReader.from_settings(settings), chat, policy)
        report = run_monitor(ctx, which)
    finally:
        engine.dispose()
    click.echo(report.summary(which))


if __name__ == "__main__":
    main()
