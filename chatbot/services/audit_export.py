"""The audit log as CSV, for governors: every action between two dates, oldest first."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime, time, timedelta
from typing import TextIO

from sqlalchemy.orm import Session

from chatbot.adapters.db.audit import audit_entries_between
from chatbot.domain.academic_year import LONDON

# actor is the platform's user id ("system" for the bot itself); actor_name the person's name
# as it was when they acted, blank for the bot and for rows from before names were kept.
COLUMNS = (
    "at",
    "actor",
    "actor_name",
    "action",
    "draft_id",
    "subject",
    "verdict",
    "reason",
    "detail",
)

# A cell starting with one of these is a formula to Excel or LibreOffice (OWASP, "CSV
# injection"); a reason typed in chat must not run when a governor opens the file.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The text as a spreadsheet shows it, never as a formula: a leading quote disarms it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From the start of `start` to the end of `end` (inclusive), as days are in London."""
    return (
        datetime.combine(start, time(), tzinfo=LONDON),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=LONDON),
    )


def export_audit(session: Session, start: date, end: date, out: TextIO) -> int:
    """Write the audit rows from `start` to `end` (inclusive, London days) as CSV; returns the
    number of rows. Times are London local time with their UTC offset."""
    if end < start:
        raise ValueError(f"the end date {end} is before the start date {start}")
    low, high = day_bounds(start, end)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    rows = audit_entries_between(session, low, high)
    for entry in rows:
        detail = (
            json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            if entry.detail is not None
            else ""
        )
        cells = (
            entry.at.astimezone(LONDON).isoformat(timespec="seconds"),
            entry.actor,
            entry.actor_name or "",
            entry.action,
            "" if entry.draft_id is None else str(entry.draft_id),
            entry.subject or "",
            entry.verdict or "",
            entry.reason or "",
            detail,
        )
        writer.writerow([safe_cell(cell) for cell in cells])
        count += 1
    return count
