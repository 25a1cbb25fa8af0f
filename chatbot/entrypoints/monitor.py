"""`chatbot staff` and `chatbot monitor`: the safeguarding monitors and the staff accounts."""

from __future__ import annotations

import click

from chatbot.entrypoints.common import (
    boot_or_exit,
    cli_actor,
    database_or_exit,
    fail,
    policy_or_exit,
)


@click.group("staff")
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

    sessions = database_or_exit(boot_or_exit())
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

    sessions = database_or_exit(boot_or_exit())
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

    sessions = database_or_exit(boot_or_exit())
    with transaction(sessions) as session:
        lines = list_staff(session, include_removed=include_removed)
    if not lines:
        click.echo("no staff accounts are checked; add one with `chatbot staff add @handle`")
    for line in lines:
        removed = f"  removed {line.removed_at:%Y-%m-%d}" if line.removed_at else ""
        since = f"opted in {line.opted_in_at:%Y-%m-%d}"
        click.echo(f"@{line.handle:<16} {line.chat_user:<12} {since}{removed}")


@click.command("monitor")
@click.argument("which", type=click.Choice(["followers", "staff", "mentions", "following"]))
def monitor_command(which: str) -> None:
    """Run one safeguarding monitor now (the worker runs them on the policy's timetable)."""
    boot = boot_or_exit()
    settings = boot.settings
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
    from chatbot.services.monitoring import monitor_context, run_monitor

    sessions = database_or_exit(boot)
    policy = policy_or_exit(boot, name_setting=True)
    assert boot.reader is not None  # noqa: S101 (the X credentials were checked above)
    try:
        ctx = monitor_context(sessions, boot.reader, boot.chat.gateway, policy)
        report = run_monitor(ctx, which)
    finally:
        boot.close()
    click.echo(report.summary(which))
