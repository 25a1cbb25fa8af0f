"""`chatbot audit`: the append-only audit log, exported for governors."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from chatbot.entrypoints.common import boot_or_exit, cli_actor, database_or_exit, fail

if TYPE_CHECKING:
    from datetime import datetime


@click.group("audit")
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
    boot = boot_or_exit()
    sessions = database_or_exit(boot)
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
        boot.close()
    where = "standard output" if output is None else str(output)
    click.echo(f"wrote {count} audit row{'s' if count != 1 else ''} to {where}", err=True)
