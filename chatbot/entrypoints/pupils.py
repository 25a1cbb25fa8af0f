"""`chatbot pupils` and `chatbot consent`: the pupil register and its consents."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import boot_or_exit, cli_actor, database_or_exit, fail

if TYPE_CHECKING:
    from chatbot.bootstrap import Bootstrap
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


@click.group()
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

    boot = boot_or_exit()
    try:
        columns = build_mapping(mapping, maps)
    except ValueError as exc:
        fail(str(exc))
    sessions = database_or_exit(boot)
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
        boot.close()
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
    elif report.withdrawn:
        _announce_past_posts(boot)


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

    boot = boot_or_exit()
    year = year or _current_year()
    sessions = database_or_exit(boot)
    try:
        with sessions() as session:
            lines = list_register(session, year)
    finally:
        boot.close()
    if not lines:
        click.echo(
            f"no pupils on the register for {year}; import it with `chatbot pupils import FILE`"
        )
        return
    table: list[tuple[str, ...]] = [("Name", "Preferred", "Year group", "Twitter", "Website")]
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
    if any(line.upn for line in lines):  # the id that tells two pupils of one name apart
        table = [
            (*row, upn) for row, upn in zip(table, ["UPN", *(x.upn for x in lines)], strict=True)
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

    boot = boot_or_exit()
    year = year or _current_year()
    sessions = database_or_exit(boot)
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
        boot.close()
    click.echo(f"deleted {removed} pupil{'s' if removed != 1 else ''} and their consent records")


@click.group()
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

        boot = boot_or_exit()
        year = year or _current_year()
        sessions = database_or_exit(boot)
        action = give_consent if give else withdraw_consent
        try:
            with sessions.begin() as session:
                change = action(session, name, Channel(channel.lower()), year, cli_actor())
        except RegisterError as exc:
            fail(str(exc))
        finally:
            boot.close()
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
        if not give and change.changed:
            _announce_past_posts(boot)

    command.__doc__ = (
        'Record consent given for pupil NAME ("First Last", or their UPN).'
        if give
        else 'Record consent withdrawn for pupil NAME ("First Last", or their UPN); takes effect '
        "at once."
    )
    return click.command(verb)(command)


consent.add_command(_consent_command(give=True))
consent.add_command(_consent_command(give=False))


def _announce_past_posts(boot: Bootstrap) -> None:
    """Show SLT the live posts picturing a pupil whose consent was just withdrawn."""
    from chatbot.services.past_posts import announce, unannounced

    if not unannounced(boot.sessions):
        return
    if not boot.chat.can_notify():
        click.echo(
            "note: posts on X picture this pupil or others withdrawn; the chat is not set up "
            "here, so the worker will show SLT the list (`chatbot consent posts` prints it)"
        )
        return
    try:
        shown = announce(boot.sessions, boot.chat.gateway)
    except Exception as exc:  # the worker shows it later; the withdrawal stands
        click.echo(f"note: could not show SLT the live posts now ({type(exc).__name__})")
        return
    if shown:
        click.echo("SLT have a card listing the live posts on X that picture the pupil")


@consent.command("posts")
@click.argument("name")
def consent_posts(name: str) -> None:
    """List the live posts on X that picture pupil NAME ("First Last", or their UPN)."""
    from chatbot.services.past_posts import live_posts, post_line
    from chatbot.services.registers import AmbiguousPupil, RegisterError, find_pupil

    boot = boot_or_exit()
    sessions = database_or_exit(boot)
    try:
        with sessions() as session:
            pupil = find_pupil(session, name)
            posts = live_posts(session, pupil.id)
    except AmbiguousPupil as exc:
        fail(f"{exc}; e.g. chatbot consent posts A1234567890")
    except RegisterError as exc:
        fail(str(exc))
    finally:
        boot.close()
    if not posts:
        click.echo("no live posts on X picture this pupil")
        return
    count = len(posts)
    posts_picture = "post on X pictures" if count == 1 else "posts on X picture"
    click.echo(f"{count} live {posts_picture} this pupil:")
    for post in posts:
        click.echo(f"  draft #{post.draft_id}  {post_line(post)}")
    click.echo('delete one with: chatbot x delete <draft id> --reason "..."')
