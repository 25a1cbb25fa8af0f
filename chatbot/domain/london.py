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


def age(since: datetime, now: datetime) -> str:
    """How long ago, as a card says it: '5 min', '3 h 20 min', '4 days'."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{hours // 24} days"
