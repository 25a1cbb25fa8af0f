"""`chatbot x`: the school's X account (check the credentials, take a post down, resume)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import boot_or_exit, cli_actor, database_or_exit, fail

if TYPE_CHECKING:
    from chatbot.adapters.x.client import XPublisher
    from chatbot.adapters.x.dryrun import DryRunPublisher
    from chatbot.bootstrap import Bootstrap


@click.group("x")
def x_group() -> None:
    """The school's X account: check the credentials, take a post down."""


def _x_publisher_or_exit(boot: Bootstrap) -> XPublisher:
    if not boot.settings.x_credentials_complete:
        fail(
            "X credentials are not all set: set CHATBOT_X_API_KEY, CHATBOT_X_API_SECRET, "
            "CHATBOT_X_ACCESS_TOKEN and CHATBOT_X_ACCESS_TOKEN_SECRET (X developer portal > "
            "your app > Keys and tokens)."
        )
    from chatbot.adapters.x.client import XPublisher

    publisher = boot.publisher
    assert isinstance(publisher, XPublisher)  # noqa: S101 (all four credentials are set)
    return publisher


@x_group.command("whoami")
def x_whoami() -> None:
    """Check the X credentials: print the account they post as."""
    from chatbot.services.ports import PublishError, PublishErrorKind

    publisher = _x_publisher_or_exit(boot_or_exit())
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
    from chatbot.services.publishing.commands import delete_now

    if not reason.strip():
        fail("--reason must say why the post is taken down")
    boot = boot_or_exit()
    sessions = database_or_exit(boot)
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
    boot.close()
    if not post_id or not (post_id.isdigit() or post_id.startswith("dryrun-")):
        fail(f"{ident!r} is neither a draft id nor an X post id")
    what = f"post {post_id}" + (f" (draft #{draft_id})" if draft_id else " (not from a draft)")
    if not post_id.startswith("dryrun-"):
        publisher: XPublisher | DryRunPublisher = _x_publisher_or_exit(boot)
    else:
        publisher = boot.dry_run_publisher()  # a dry-run "post" exists only in our audit log
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
    from chatbot.services.publishing.state import resume_publishing

    sessions = database_or_exit(boot_or_exit())
    if resume_publishing(sessions, actor=cli_actor()):
        click.echo("publishing resumed")
    else:
        click.echo("publishing was not paused")
