"""The school's clock: Europe/London, and how a moment is written for staff."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def london_time(moment: datetime, *, short: bool = False) -> str:
    """'Tue 1 Dec 2026, 10:42' in London time; short: '10:42' today, 'Tue 1 Dec 10:42' another
    day."""
    local = moment.astimezone(LONDON)
    if short and local.date() == datetime.now(UTC).astimezone(LONDON).date():
        return local.strftime("%H:%M")
    day = f"{local.strftime('%a')} {local.day} {local.strftime('%b')}"
    return f"{day} {local.strftime('%H:%M')}" if short else f"{day} {local.year}, {local:%H:%M}"
